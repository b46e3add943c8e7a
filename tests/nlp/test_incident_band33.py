"""Issue 14, round 13, helper nlp-band33: severity bands of tune33's new writer, fixed by family, not by line.

tune33's 65 band errors were grouped by family (which band was read for which, and the words that tell the harm or
the scale). The reports below are written in other words than tune33's; each test of a fix fails with that fix
undone, and the look-alikes keep the new rules from reaching reports whose band must not move."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.analyzer import Analysis
from nlp.nrls import band, clinical_scale
from tests.support import incident


def why(r: Analysis) -> tuple[object, ...]:
    return (r.severity, r.details.get("scale"), [c.code for c in r.risk_codes], r.details.get("severity_reasons"))


# --- harm words found inside other Thai words ------------------------------------------------------------------
# "คัน" counting wheelchairs or cars, "ตบ" inside "ฟุตบาท", "ไข้" inside "เฝ้าไข้", "ทำแผล" naming the dressing set,
# "ถาวร" naming a sign made for good: none of them is harm
INSIDE_OTHER_WORDS = [
    ("ผป.ล้มหน้า ER ตอนรอรถเข็น รถเข็นมีแค่ 2 คัน จนท.ประเมินแล้วไม่มีแผล เฝ้าดูอาการต่อ", "AD"),
    ("ป้ายจราจรหน้าตึกล้มทับรถผู้มาติดต่อที่จอดริมฟุตบาท รถบุบเล็กน้อย ไม่มีคนเจ็บ", "12"),
    ("ผป.ล้มในห้องน้ำตอนตี 2 ก้นกระแทกพื้น ไม่มีแผล ญาติที่เฝ้าไข้หลับอยู่ สังเกตอาการต่อ", "AD"),
    ("cssd ส่งชุดทำแผลที่ห่อฉีกขึ้น ward 2 ชุด พยาบาลเห็นก่อนเปิดใช้ ส่งคืนแล้ว", "AD"),
]


@pytest.mark.parametrize(("text", "want"), INSIDE_OTHER_WORDS)
def test_a_harm_word_inside_another_word_is_no_harm(analyzer: Analyzer, text: str, want: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == want, why(r)


def test_a_sign_made_for_good_is_no_lasting_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, "คนไข้หาห้องแล็บไม่เจอเพราะป้ายชั่วคราวหลุด มาช้าต้องนัดเจาะเลือดวันใหม่ ติดป้ายถาวรแล้วค่ะ")
    assert band(r.severity) != "GI", why(r)


# the same words where they do tell harm
HARM_STILL_TOLD = [
    ("ผป.ได้ยาผิดตัวเป็นของเตียงข้างๆ 1 เม็ด ครึ่งชม.ต่อมาคันทั้งตัว ให้ยาแก้แพ้", "EF"),
    ("ญาติเมาตบหน้า รปภ. 1 ครั้งหน้าตึก OPD รปภ.ไปแจ้งความ", "3"),
    ("แผลผ่าตัดซึมหนองเพราะไม่ได้เปลี่ยน dressing ตามเวลา ต้องทำแผลวันละ 2 ครั้ง", "EF"),
    ("หลังผ่าตัดต้อกระจกติดเชื้อ ตาขวามองไม่เห็นถาวร", "GI"),
]


@pytest.mark.parametrize(("text", "want"), HARM_STILL_TOLD)
def test_the_same_words_telling_harm_keep_their_band(analyzer: Analyzer, text: str, want: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == want, why(r)


def test_watching_over_a_patient_is_no_ceiling_for_the_scale() -> None:
    # "เฝ้า" holds the letters of "ฝ้า" (a ceiling, a general cue): a fall code on top keeps the report clinical
    assert clinical_scale("ยายลุกไปห้องน้ำเองตอนดึก ญาติที่เฝ้าอยู่หลับ", ["CPP405", "GOS201"])
    assert not clinical_scale("ฝ้าเพดานห้องพักหลุดลงมา", ["CPP405", "GOS201"])


# --- naloxone that woke the patient at once is E; with a bag-mask or the ICU it stays H -------------------------
def test_naloxone_that_woke_the_patient_is_temporary_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ผป.หลังผ่าตัดได้ pethidine ซ้ำ 2 รอบ ซึม RR 9 แพทย์ให้ naloxone 0.2 mg ตื่นดีใน 5 นาที")
    assert band(r.severity) == "EF", why(r)


def test_naloxone_with_a_rescue_stays_near_death(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ให้ morphine เกิน RR 5 ให้ naloxone แล้วไม่ตื่น ต้องบีบ ambu ย้าย ICU")
    assert band(r.severity) == "GI", why(r)


# --- harm told by the treatment it needed ("ต้องให้ insulin") or a saturation in the 80s with no "ลด" -------------
NEEDED_TREATMENT = [
    "ผป.copd รอคิวเอกซเรย์นาน หอบมากขึ้น sat 86 พยาบาลพาไปห้องพ่นยา",
    "ผลน้ำตาล 520 ไม่มีใครแจ้งแพทย์ 5 ชม. ต้องให้ insulin drip",
]


@pytest.mark.parametrize("text", NEEDED_TREATMENT)
def test_treatment_needed_is_temporary_harm(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == "EF", why(r)


def test_a_normal_saturation_is_no_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ผป.รอเตียงที่ ER 3 ชม. เพราะ ward เต็ม sat 97 v/s stable")
    assert band(r.severity) == "AD", why(r)


# --- a transfer, an admission or an allergy named in passing is no harm the event did ---------------------------
IN_PASSING = [
    "ทีม coc ไม่ได้ไปเยี่ยมแผลเบาหวานที่บ้าน 10 วัน แผลยังไม่อักเสบ ส่งต่อทีมแผลแล้ว",
    "ผป.หญิงพบ atk บวกหลัง admit 6 วัน แยกห้องแล้ว ติดตามผู้สัมผัส",
    "ใบสั่งยาไม่มีประวัติแพ้ยา เภสัชทักก่อนจ่าย ผป.ยังไม่ได้รับยา",
]


@pytest.mark.parametrize("text", IN_PASSING)
def test_named_in_passing_is_no_harm(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == "AD", why(r)


TOLD_AS_HARM = [
    "แผลติดเชื้อลุกลามเพราะไม่ได้ล้างแผลตามนัด ต้อง refer ไปผ่าตัดที่ รพ.จังหวัด",
    "ให้ ceftriaxone ผป.แพ้ยา ผื่นขึ้นทั้งตัว ให้ยาแก้แพ้",
]


@pytest.mark.parametrize("text", TOLD_AS_HARM)
def test_a_transfer_or_reaction_the_event_caused_stays_harm(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == "EF", why(r)


# --- scale: a complaint that tells the patient's harm is clinical; staff hurt or sick are general ---------------
def test_a_complaint_telling_a_readmission_is_clinical(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ญาติร้องเรียนผ่านทีมไกล่เกลี่ย ผป.ผ่าตัดไส้ติ่งแล้วแผลแยก ต้อง re-admit 4 วัน")
    assert r.details.get("scale") == "clinical", why(r)
    assert band(r.severity) == "EF", why(r)


def test_a_complaint_about_manners_stays_general(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ญาติร้องเรียนเจ้าหน้าที่การเงินพูดจาไม่สุภาพ หัวหน้าชี้แจงแล้ว")
    assert r.details.get("scale") == "general", why(r)
    assert band(r.severity) == "12", why(r)


STAFF_HURT = [
    ("จนท.ท้องเสีย 8 คนหลังกินข้าวกล่องงานเลี้ยง 2 คนต้องให้น้ำเกลือ", "3"),
    ("ญาติเมาใช้ขวดตีหัว รปภ. กะโหลกร้าว นอนสังเกตอาการ", "45"),
]


@pytest.mark.parametrize(("text", "want"), STAFF_HURT)
def test_staff_hurt_or_sick_are_graded_one_to_five(analyzer: Analyzer, text: str, want: str) -> None:
    r = incident(analyzer, text)
    assert r.details.get("scale") == "general", why(r)
    assert band(r.severity) == want, why(r)


# --- general levels: money told with two qualifiers or as a refused claim, water out for hours, a fire lane -----
GENERAL_LEVELS = [
    ("พายุพัดต้นไม้ล้มทับหลังคาโรงจอดรถ ค่าเสียหายรวมประมาณ 150,000 ไม่มีคนเจ็บ", "45"),
    ("ส่งเบิกผิดรหัส ถูกปฏิเสธจ่าย 30,000 แก้ไขส่งใหม่", "3"),
    ("น้ำประปาตึกใน ไม่ไหล 5 ชม. งดอาบน้ำผป.", "3"),
    ("รถส่งของจอดขวางทางรถดับเพลิงหน้าตึกทั้งเช้า รปภ.ให้ย้ายออกแล้ว", "12"),
]


@pytest.mark.parametrize(("text", "want"), GENERAL_LEVELS)
def test_general_levels(analyzer: Analyzer, text: str, want: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == want, why(r)


def test_a_fire_engine_called_is_still_a_major_fire(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ไฟไหม้ห้องเก็บผ้า ดับเองไม่อยู่ ต้องเรียกรถดับเพลิงเทศบาล 2 คัน")
    assert band(r.severity) == "45", why(r)


# --- a fever asked about at screening is no fever the event caused; the check the event called for came back normal
def test_a_fever_asked_about_is_no_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, "จุดคัดกรองถามแต่ไข้ ไม่ได้ถามอาการอื่น เด็กสงสัยหัดนั่งรอปนเด็กอื่น 1 ชม. ย้ายห้องแยก ติดตามผู้สัมผัส")
    assert band(r.severity) == "AD", why(r)


def test_a_fever_that_came_is_still_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, "เด็กสงสัยหัดนั่งรอปนเด็กอื่น 1 ชม. ไข้ขึ้น 39 ย้ายห้องแยก")
    assert band(r.severity) == "EF", why(r)


def test_a_normal_check_is_no_usual_harm(analyzer: Analyzer) -> None:
    # nothing heard: the code's usual level (E) gives way when the check the event called for came back normal
    r = incident(
        analyzer,
        "จุดคัดกรองไม่ได้ซักประวัติไอเรื้อรัง ผป.วัณโรคนั่งรอ OPD รวม 2 ชม. แยกห้องแล้ว เอกซเรย์ปอด จนท.ที่สัมผัส ผลปกติ",
    )
    assert band(r.severity) == "AD", why(r)


# --- watched told as "เฝ้าดู" is monitoring (D), not the code's usual harm; harm told beside it keeps its band ----
def test_watching_alone_is_monitoring(analyzer: Analyzer) -> None:
    r = incident(analyzer, "infusion pump ตั้ง 40 ml/hr ไหลจริงหมดถุง 500 ml ใน 3 ชม. ผป.ฟังปอดใส เฝ้าดูต่อ ส่งเครื่องซ่อม")
    assert band(r.severity) == "AD", why(r)


def test_watching_beside_a_treatment_is_still_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, "infusion pump ไหลเร็วเกิน ผป.หอบ ต้อง on O2 เฝ้าดูต่อ ส่งเครื่องซ่อม")
    assert r.details.get("scale") == "clinical", why(r)
    assert band(r.severity) == "EF", why(r)
