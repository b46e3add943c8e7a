"""Issue 14, helper nlp-band30: severity bands of tune30's new writer, fixed by family, not by line.

tune30's band errors were grouped by family (which band was read for which, and the words that tell the harm).
The reports below are written in other words than tune30's; each test of a fix fails with that fix undone, and
the look-alikes keep the new rules from reaching reports whose band must not move."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.analyzer import Analysis
from nlp.nrls import band
from tests.support import incident


def why(r: Analysis) -> tuple[object, ...]:
    return (r.severity, r.details.get("scale"), [c.code for c in r.risk_codes], r.details.get("severity_reasons"))


# --- scale: a patient's own body hurt is graded A–I, however much complaint, ramp or machine the report tells ---
PATIENT_HURT = [
    "ญาติร้องเรียนว่า ผู้ป่วยลื่นที่ทางลาดหน้าตึกเอกซเรย์ คิ้วแตก ต้องเย็บ 3 เข็ม ทางลาดไม่มีแผ่นกันลื่น แจ้งซ่อมแล้ว",
    "เปลี่ยนผ้าปูที่นอนให้คนไข้สูงอายุแรงเกินไป ผิวหนังขาฉีก 2 cm ญาติไม่พอใจมาก ร้องเรียนหัวหน้าตึก ทำแผลให้",
    "กระเป๋าน้ำร้อนรั่ว วางที่เท้าผู้ป่วยเบาหวาน ผิวพองเป็นตุ่มน้ำ 3 จุด ทำแผลทุกวัน อุปกรณ์ไม่มีวันหมดอายุ แจ้งซ่อมบำรุง",
]


@pytest.mark.parametrize("text", PATIENT_HURT)
def test_a_patients_body_hurt_is_clinical_harm(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.details.get("scale") == "clinical", why(r)
    assert band(r.severity) == "EF", why(r)


# the one hurt is a relative or a driver, or nobody is hurt: the general scale stays
NOT_THE_PATIENT = [
    "ผู้ป่วยและญาติร้องเรียนว่าพื้นหน้าห้องน้ำ OPD ลื่น ญาติคนหนึ่งล้ม ข้อมือบวม ประคบเย็น แม่บ้านไม่วางป้ายเตือน",
    "รถ refer ถูกชนท้ายขณะนำส่งผู้ป่วย พนักงานขับรถแขนหัก ต้องผ่าตัด ผู้ป่วยปลอดภัย ค่าซ่อมรถ 80,000 บาท",
    "ผู้ป่วยร้องเรียนว่ารอคิวห้องบัตรนาน 2 ชม. เจ้าหน้าที่พูดจาไม่สุภาพ ไม่มีใครบาดเจ็บ",
]


@pytest.mark.parametrize("text", NOT_THE_PATIENT)
def test_no_patient_hurt_stays_general(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.details.get("scale") == "general", why(r)


# --- a check whose record is missing is no drill: the harm the report tells is graded ------------------------
CHECK_NOT_DONE = [
    "เครื่องอุ่นผ้าห่มร้อนเกิน ไม่มีใบตรวจเช็คประจำเดือน คนไข้หลังผ่าตัดแขนพองเป็นตุ่มน้ำ ทำแผล burn",
    "ผป.ตกจากรถนอนเพราะราวกั้นล็อกไม่ได้ ไม่มีแบบฟอร์มตรวจเช็ครถนอน ศีรษะแตก เย็บ 4 เข็ม",
]


@pytest.mark.parametrize("text", CHECK_NOT_DONE)
def test_a_missing_check_record_is_no_drill(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == "EF", why(r)


def test_a_real_daily_check_is_still_a_drill(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ตรวจเช็คประจำวันรถ emergency พบแบตเตอรี่เครื่อง defib หมด เปลี่ยนทันที ไม่มีผู้ป่วยเกี่ยวข้อง")
    assert r.severity in ("A", "1"), why(r)


# --- a bruise only watched is D (tests and watching only); treated harm beside it stays E ---------------------
BRUISE_WATCHED = [
    "ผู้ป่วยตกเตียงตอนเช้ามืด ต้นแขนขวาฟกช้ำ แพทย์ตรวจแล้วกระดูกปกติ สังเกตอาการต่อ",
    "คนไข้สะดุดสายน้ำเกลือ ล้มเข่ากระแทก มีรอยฟกช้ำเล็กน้อย เฝ้าระวังต่อเนื่อง",
]


@pytest.mark.parametrize("text", BRUISE_WATCHED)
def test_a_bruise_only_watched_is_no_harm_band(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == "AD", why(r)


def test_a_bruise_beside_stitches_stays_temporary_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ผู้ป่วยลื่นล้มในห้องน้ำ ขาฟกช้ำ หน้าผากแตก เย็บ 2 เข็ม")
    assert band(r.severity) == "EF", why(r)


# --- words read as harm that are not: "คนไข้" is the patient, not a fever; "ผ่าตัดแขน" is no amputation -------
def test_the_word_for_patient_is_no_fever(analyzer: Analyzer) -> None:
    r = incident(analyzer, "คนไข้เตียง 7 ได้ยาเบาหวานซ้ำ 1 มื้อ เจาะ DTX 110 วัดสัญญาณชีพทุก 4 ชม. ปกติ")
    assert band(r.severity) == "AD", why(r)


def test_an_operation_on_the_arm_is_no_amputation(analyzer: Analyzer) -> None:
    r = incident(analyzer, "หลังผ่าตัดแขนซ้าย ผป.ได้ยาแก้ปวดซ้ำ 2 dose ง่วงซึม ปลุกตื่นได้ เฝ้าระวัง")
    assert band(r.severity) != "GI", why(r)


def test_a_fever_the_event_caused_is_still_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, "หลังให้เลือดผิดหมู่ 50 ml คนไข้มีไข้ หนาวสั่น หยุดเลือด ให้ยาแก้แพ้")
    assert band(r.severity) in ("EF", "GI"), why(r)


def test_a_drug_to_bring_potassium_down_is_treatment(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ได้ KCl เกินขนาดจากปั๊มตั้งผิด ค่า K 6.4 ให้ยาลด K และตาม EKG")
    assert band(r.severity) == "EF", why(r)


# --- general: a blow only threatened, or a knife found on a bag check, hurt nobody (1–2) ----------------------
THREAT_OR_FOUND = [
    "ผู้มาติดต่อเมาสุรา ขู่ว่าจะต่อยเจ้าหน้าที่ห้องบัตรเพราะไม่ได้คิวก่อน รปภ.พาออกไปนอกอาคาร",
    "รปภ.ประตูทางเข้าอาคารตรวจค้นกระเป๋าชายคนหนึ่ง ยึดมีดคัตเตอร์ 1 ด้าม ฝากไว้ที่ป้อม คืนให้ตอนกลับ",
]


@pytest.mark.parametrize("text", THREAT_OR_FOUND)
def test_a_threat_or_a_knife_taken_at_the_door_is_1_2(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == "12", why(r)


STILL_3 = [
    "ญาติผู้ป่วยตบหน้าพยาบาลที่เคาน์เตอร์ เพราะรอนาน รปภ.แยกตัว",
    "ชายเมาขู่จะแทงพยาบาล ER ตำรวจมารับตัว ลงบันทึกประจำวัน",
    "ผู้มาเยี่ยมใช้มีดฟันเจ้าหน้าที่เปลที่แขน ต้องเย็บแผล",
]


@pytest.mark.parametrize("text", STILL_3)
def test_a_blow_struck_or_a_threat_told_to_police_stays_3(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.severity in ("3", "4", "5"), why(r)


# --- a patient named as disabled is no permanent harm the event did --------------------------------------------
def test_a_patient_named_as_disabled_is_no_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ผู้ป่วยพิการ ท.74 ถูกเรียกเก็บค่ารถเข็น 3,500 บาท ทั้งที่เบิกได้")
    assert band(r.severity) == "12", why(r)
    assert not r.sentinel, why(r)


def test_disability_the_event_left_stays_permanent_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ผู้ป่วยตกเตียงตอนกลางคืน ศีรษะกระแทก เลือดออกในสมอง ผ่าตัดแล้ว พิการครึ่งซีกซ้าย")
    assert band(r.severity) == "GI", why(r)
