"""Issue 14, round 12: incident families read from the analyser's errors on tune29.jsonl's incident lines (heldout10
retired).

Each report is written here the way staff type into the risk system, unlike tune29's lines, with look-alikes that must
stay quiet. A drill proposed under the report's remedy heading ("การแก้ไข:", "แนวทาง:") does not make the event told
before it a drill; a critical-care unit named ("ward วิกฤต") is no patient in crisis.
"""

from __future__ import annotations

from typing import Any

import pytest

from nlp import Analyzer
from nlp.analyzer import TopicTag, _r12_process_in_passing
from nlp.nrls import band, contributing_causes, general_level
from tests.support import codes, incident

# --- a drill proposed as the remedy (the event told before it stands) ------------------------------------------------

REMEDY_DRILL = {
    # a fire with an evacuation, the drill only proposed under the remedy heading
    "fire": (
        "ตึกเด็ก ชั้น 2 เวลา 23.50 น. ปลั๊กพ่วงหลังตู้เย็นมีควันดำ ไฟลามผ้าม่าน ดับด้วยถังดับเพลิงไม่สำเร็จ "
        "อพยพผู้ป่วยเด็ก 14 รายไปตึกข้างเคียง รถดับเพลิงมาดับได้ เสียหายประมาณ 600,000 บาท\n"
        "การแก้ไข: ห้ามใช้ปลั๊กพ่วง ซ้อมแผนอพยพกลางคืนทุกไตรมาส",
        True,
        "4",
    ),
    # an arrest after a spinal, "ซ้อม CPR" only as the plan
    "arrest": (
        "OR 2: หลังฉีด spinal 5 นาที ผป.หายใจไม่ออก เรียกไม่ตอบ คลำชีพจรไม่ได้ CPR 4 นาที ROSC ใส่ท่อช่วยหายใจ ส่ง ICU\n"
        "แนวทาง: ซ้อม CPR ในห้องผ่าตัดทุกเดือน",
        True,
        "H",
    ),
}


@pytest.mark.parametrize("key", list(REMEDY_DRILL))
def test_a_drill_proposed_as_the_remedy_leaves_the_event(analyzer: Analyzer, key: str) -> None:
    text, sentinel, level = REMEDY_DRILL[key]
    r = incident(analyzer, text)
    assert r.sentinel is sentinel, r.details
    assert band(r.severity) == band(level), (r.severity, r.details)


def test_a_report_about_a_drill_stays_a_drill(analyzer: Analyzer) -> None:
    # the drill is the event itself (told before any heading): nobody harmed, whatever the remedy says
    r = incident(
        analyzer,
        "ซ้อมแผนอัคคีภัยตึกอายุรกรรม จำลองไฟไหม้ห้องเก็บของ อพยพหุ่น 10 ตัว ใช้เวลา 12 นาที เกินเป้า\n"
        "การแก้ไข: ซ้อมซ้ำเดือนหน้า ติดป้ายทางหนีไฟเพิ่ม",
    )
    assert not r.sentinel, r.details
    assert r.severity in ("1", "A"), r.details


def test_a_critical_care_unit_named_is_no_crisis(analyzer: Analyzer) -> None:
    # a blackout handled, the plan names the critical-care wards: no arrest
    r = incident(
        analyzer,
        "ไฟดับทั้งตึก 30 นาที เครื่องปั่นไฟไม่ทำงาน ผป. on ventilator 2 รายใช้แบตสำรอง ไม่มีผป.ได้รับอันตราย\n"
        "สาเหตุ: ลืมเติมน้ำมันเครื่องปั่นไฟ\nการแก้ไข: ทำรายการเครื่องช่วยหายใจที่แบตเสื่อมของ ward วิกฤตส่งเปลี่ยน",
    )
    assert not r.sentinel, r.details
    # a patient in crisis is still one
    r = incident(analyzer, "ผป.หลังผ่าตัดอยู่ในภาวะวิกฤต BP 60/30 ให้ยากระตุ้นความดัน ย้าย ICU หลังให้ยาผิดขนาด")
    assert r.sentinel, r.details


# --- sentinel: heard now, and false alarms quietened ----------------------------------------------------------------


def test_a_healthy_tooth_told_as_lost_is_permanent_harm(analyzer: Analyzer) -> None:
    r = incident(
        analyzer,
        "คลินิกฟัน: นัดถอนซี่ 17 แต่ถอนซี่ 27 ออกไป ผู้ป่วยทักตอนบ้วนปาก ต้องถอนซี่ 17 อีกครั้ง สูญเสียฟันที่ดี 1 ซี่",
    )
    assert r.severity == "G" and r.sentinel, (r.severity, r.details)
    # a wrong tooth pulled and put right, no healthy tooth told as lost: temporary harm (tune19), not sentinel
    r = incident(analyzer, "ถอนฟันผิดซี่ ถอน 26 แทน 25 ผป.ทราบ ขอโทษ นัดถอนซี่ที่ถูกต้องสัปดาห์หน้า")
    assert not r.sentinel, r.details


NOT_SENTINEL = {
    # a stage 4 pressure ulcer alone is F (tune21, tune29); bone seen stays G below
    "ulcer_stage4": "ทีมเยี่ยมบ้านไม่ได้ไปเยี่ยม 6 สัปดาห์ พบแผลกดทับที่สะโพก stage 4 มีหนอง ส่งนอน รพ. ทำแผล",
    # a newborn moved to the NICU, nothing else: F
    "nicu_only": "ห้องคลอด: ไม่ได้ฟัง FHS ตามเวลา พบ FHS 100 ทำ C/S ด่วน ทารก Apgar 7,9 ส่ง NICU สังเกตอาการ",
    # a hard intubation told with "ETT" broke a tooth: the anaesthetic's intubation, not a rescue
    "ett_hard": "OR 4 induction: ใส่ ET tube ยาก ต้องเปลี่ยน blade 2 ครั้ง ฟันหน้าล่างบิ่น แจ้งผป.หลังตื่น",
    # a lone staff infection; the contacts screened are counted
    "contacts": "พยาบาล OPD ไอเรื้อรัง ตรวจพบวัณโรคปอด หยุดงาน 2 สัปดาห์ IC คัดกรองผู้สัมผัส 31 ราย ผลปกติทุกราย",
    # a CPR rehearsal that found a skill gap
    "cpr_drill": "ซ้อม CPR ประจำเดือน ward ศัลยกรรม พบ PN 2 คนต่อสาย defibrillator ไม่ถูก จัดสอนซ้ำ",
    # a staff member's own clip, shared, with no news and no accusation against the hospital
    "staff_clip": "ผู้ช่วยพยาบาลอัพคลิปลง TikTok เต้นในห้องพักเวร เห็นผป.ด้านหลัง ยอดแชร์ 3,500 ครั้ง หัวหน้าให้ลบแล้ว",
}


@pytest.mark.parametrize("key", list(NOT_SENTINEL))
def test_false_alarms_stay_quiet(analyzer: Analyzer, key: str) -> None:
    r = incident(analyzer, NOT_SENTINEL[key])
    assert not r.sentinel, r.details


STILL_SENTINEL = {
    # bone seen in the ulcer: G (tune19, tune25, tune26)
    "ulcer_bone": "ผป.ติดเตียงไม่ได้พลิกตัว 2 เวร แผลกดทับก้นกบ stage 4 เห็นกระดูก ต้อง debride ในห้องผ่าตัด",
    # a newborn intubated before the NICU
    "nicu_tube": "ทารกคลอดติดไหล่ Apgar 2,4 ใส่ท่อช่วยหายใจ ส่ง NICU on ventilator",
    # cases found among the contacts: a cluster
    "contacts_positive": "IC: พยาบาล ward เด็กเป็นอีสุกอีใส คัดกรองผู้สัมผัส 20 ราย พบผป.เด็กติดเชื้อเพิ่ม 3 ราย",
    # a relative's clip that the TV news picked up
    "clip_news": "ญาติอัดคลิปพยาบาลตะคอกผป. ยอดแชร์ 3,500 ครั้ง ทีวีช่อง 7 มาทำข่าว",
}


@pytest.mark.parametrize("key", list(STILL_SENTINEL))
def test_the_events_beside_the_false_alarms_are_still_heard(analyzer: Analyzer, key: str) -> None:
    r = incident(analyzer, STILL_SENTINEL[key])
    assert r.sentinel, r.details


def test_the_false_alarms_are_graded_below_permanent_harm(analyzer: Analyzer) -> None:
    assert band(incident(analyzer, NOT_SENTINEL["ulcer_stage4"]).severity) == "EF"
    assert band(incident(analyzer, NOT_SENTINEL["nicu_only"]).severity) == "EF"
    assert band(incident(analyzer, NOT_SENTINEL["ett_hard"]).severity) != "GI"


# --- causes heard in the narrative (nrls.R12_CAUSES) -----------------------------------------------------------------

CAUSES = [
    # patients' data up for sale, a login from outside, a departed worker's account still in use, a badge not worn
    ("ทีม IT ได้รับแจ้งว่าไฟล์รายชื่อผู้ป่วยคลินิกเบาหวานถูกประกาศขายในกลุ่มเทเลแกรม", "safety_privacy"),
    ("บัญชีผู้ใช้ของพยาบาลที่ย้ายออกไปแล้ว 2 เดือน ยังล็อกอินได้ พบการเข้าดูประวัติผู้ป่วย", "safety_privacy"),
    ("ตรวจห้อง cath lab พบแพทย์ไม่ได้สวม dosimeter ระหว่างทำหัตถการ", "safety_privacy"),
    ("นักศึกษาพยาบาลแจ้งโทรศัพท์มือถือในห้องพักหาย 8,900 บาท ไม่ได้แจ้งความ", "safety_privacy"),
    # a claim cut or clawed back for its money
    ("ฝ่ายประกัน: ส่งข้อมูลผู้ป่วยนอกช้า ถูกปรับลดยอด 18,300 บาท", "cost_rights"),
    ("สปสช.ตรวจเวชระเบียนย้อนหลัง เรียกเงินคืน 96,000 บาท", "cost_rights"),
    # a specialist on call who did not answer, nobody to take over, no spare driver
    ("รอวิสัญญีแพทย์ on call (โทร 4 รอบไม่รับสาย) ผ่าตัดล่าช้า 1 ชม.", "staffing"),
    ("พยาบาลคลินิกวาร์ฟารินลาออก ไม่มีผู้รับช่วง ผู้ป่วยขาดการติดตาม INR 3 เดือน", "staffing"),
    ("รถ refer ออกรอบที่ 4 ของวัน ไม่มีคนขับผลัด พขร.ง่วงจนเกือบชนท้าย", "staffing"),
    # a dose copied wrong, medicine trays swapped
    ("ใบสั่ง heparin 5000 unit ถูกลอกเป็น 50000 unit ในใบบันทึกการให้ยา พยาบาลทักก่อนผสม", "medication"),
    ("ถาดยาเที่ยงของเตียง 5 กับ 6 สลับกัน ตรวจพบตอนเทียบสายรัดข้อมือ", "medication"),
    # a sponge count that came up short
    ("ห้องผ่าตัด 3: นับผ้าซับเลือดก่อนเย็บปิดไม่ครบ 1 ผืน ค้นพบในถังขยะ ทำ X-ray ยืนยัน", "clinical_care"),
    # food stock past its date in the kitchen, the meal cart late to the ward
    ("งานโภชนาการ: พบขนมปังหมดอายุ 3 ถุงในคลังก่อนจัดถาดเช้า คัดทิ้ง", "food"),
    ("รถเข็นอาหารเช้าขึ้นตึกสายไป 1 ชม. ผป.เบาหวาน 3 รายน้ำตาลต่ำ", "food"),
    # a wait told by the clock it ran to, or by the hours at a place
    ("ผป.นัดเจาะเลือด 07.30 น. รอจนถึง 11.45 ยังไม่ได้เจาะ", "waiting"),
    ("ผู้สูงอายุนอนเปลรออยู่หน้าห้อง X-ray นาน 3 ชม. ไม่มีใครมาดู", "waiting"),
    # a car park too small, circling for a space
    ("ผป.ฟอกไตวนหาที่จอดครึ่งชั่วโมง มาฟอกไม่ทันรอบ", "parking_access"),
]


@pytest.mark.parametrize(("text", "topic"), CAUSES)
def test_r12_causes_are_heard(text: str, topic: str) -> None:
    assert topic in contributing_causes(text), contributing_causes(text)


CAUSE_LOOK_ALIKES = [
    ("ทีม IT ตรวจแล้ว ไม่มีข้อมูลผู้ป่วยรั่วไหล ระบบนัดออนไลน์ใช้งานได้ตามปกติ", "safety_privacy"),
    ("ตรวจห้อง cath lab บุคลากรติด dosimeter ครบทุกคน", "safety_privacy"),
    ("ฝ่ายประกัน: ส่งข้อมูลครบตามกำหนด ไม่ถูกปรับลด", "cost_rights"),
    ("วิสัญญีแพทย์ on call มาถึงภายใน 15 นาที ผ่าตัดตามเวลา", "staffing"),
    ("ลอกผล lab Hb 10.2 ผิดเป็น 12.0 ในใบส่งเวร", "medication"),
    ("นับผ้าก๊อซก่อนปิดแผลครบ 20 ผืนตรงกับที่บันทึก", "clinical_care"),
    ("ห้องยา: พบยา amoxicillin หมดอายุ 2 กล่องในสต็อก คัดออก", "food"),
    ("ญาติรอหน้าห้องผ่าตัด 4 ชม. ระหว่างผ่าตัดไม่มีใครออกมาแจ้ง", "waiting"),  # the operation's length
    ("รอผลเลือด 20 นาที แพทย์ตรวจต่อ", "waiting"),  # no clock, no hours at a place
    ("ที่จอดรถชั้น 3 ไฟดับ รปภ.ตรวจพบ", "parking_access"),  # the car park as the place
]


@pytest.mark.parametrize(("text", "topic"), CAUSE_LOOK_ALIKES)
def test_r12_cause_look_alikes_stay_quiet(text: str, topic: str) -> None:
    assert topic not in contributing_causes(text), contributing_causes(text)


# --- process named in passing beside another cause (analyzer._r12_process_in_passing) --------------------------------


def test_a_referral_trip_or_a_system_named_is_no_process_cause(analyzer: Analyzer) -> None:
    # the oxygen ran out on the way: the trip's equipment, not the referral process
    r = incident(analyzer, "ส่งต่อผู้ป่วย COPD ไปโรงพยาบาลจังหวัด ถังออกซิเจนในรถหมดกลางทาง ไม่มีถังสำรอง SpO2 ลดลง 80%")
    assert "process" not in codes(r), r.details["cause"]


def _tags(*names: str) -> list[TopicTag]:
    return [TopicTag(n, 0.6, [n]) for n in names]


@pytest.mark.parametrize(
    ("evidence", "kinds", "causes", "vote", "text", "kept"),
    [
        (["ส่งต่อ"], {"aspect"}, {}, 0.2, "ส่งต่อ รพ.จังหวัด ถังออกซิเจนหมด", False),  # the trip named
        (["his"], {"aspect", "context"}, {}, 0.3, "มีบันทึกใน HIS", False),  # the system named
        (["ขั้นตอน"], {"aspect"}, {}, 0.2, "ขั้นตอนการนัดซ้ำซ้อน", True),  # the steps themselves
        (["ลงทะเบียน"], {"aspect"}, {}, 0.2, "ลงทะเบียนซ้ำเป็น HN ใหม่", True),  # registration itself
        (["ส่งต่อ"], {"aspect"}, {"process": ["x"]}, 0.2, "…", True),  # a process cause told
        (["ส่งต่อ"], {"aspect", "negative"}, {}, 0.2, "…", True),  # a problem word heard
        (["his"], {"aspect"}, {}, 1.1, "…", True),  # the codes vote for it strongly
        (["ส่งต่อ"], {"aspect"}, {}, 0.2, "ศูนย์ส่งต่อ: refer ล่าช้า 3 ชม.", True),  # the referral centre's own report
    ],
)
def test_process_named_in_passing_yields_to_another_cause(
    evidence: list[str], kinds: set[str], causes: dict[str, list[str]], vote: float, text: str, kept: bool
) -> None:
    topics = {"process": {"kinds": kinds, "evidence": evidence}, "environment": {"kinds": {"cause"}, "evidence": ["x"]}}
    why: dict[str, Any] = {"votes": {"process": vote}, "dropped": {}}
    out = _r12_process_in_passing(text, _tags("environment", "process"), topics, causes, why)
    assert ("process" in [t.code for t in out]) is kept, why
    # a lone tag always stays
    assert _r12_process_in_passing(text, _tags("process"), topics, causes, why) == _tags("process")


def test_medication_named_in_passing_yields_to_another_cause(analyzer: Analyzer) -> None:
    # the pharmacy as the place of a wait: waiting, not medication (LABELLING.md: waiting for drugs is waiting)
    r = incident(
        analyzer,
        "งานเภสัช OPD: รอรับยาเฉลี่ย 2 ชม. 10 นาที ผป.สูงอายุนั่งรอหน้าห้องยาตั้งแต่เช้า ปรับให้ใบสั่งยาเดิมไปรับที่ รพ.สต.",
    )
    assert "waiting" in codes(r) and "medication" not in codes(r), r.details["cause"]
    # a patient who left unseen "without the drugs": the wait's, told by the clock it ran to
    r = incident(analyzer, "OPD ศัลย์: ผป.นัด 08.00 รอจนถึง 12.30 บัตรคิวหายจากระบบ ผป.กลับบ้านไปก่อน ไม่ได้รับยา")
    assert "waiting" in codes(r) and "medication" not in codes(r), r.details["cause"]


def test_a_road_fall_that_brought_the_patient_is_no_fall_in_hospital(analyzer: Analyzer) -> None:
    r = incident(
        analyzer,
        "ผป. head injury จากรถล้ม GCS 15 รับไว้ ward บันทึก neuro sign ไม่ครบตามแผน ตี 3 ซึม pupil ไม่เท่ากัน ย้าย ICU",
    )
    assert "safety_privacy" not in codes(r), r.details["cause"]
    # a fall on the ward beside it is still one
    r = incident(analyzer, "ผป.ขี่มอเตอร์ไซค์ล้ม admit ward ศัลย์ ลุกเข้าห้องน้ำเองกลางคืน หกล้มศีรษะกระแทกพื้น")
    assert "safety_privacy" in codes(r), r.details["cause"]


# --- severity: harm not told, harm denied, a death that is an animal's ---------------------------------------------


def test_an_animal_that_died_is_no_death(analyzer: Analyzer) -> None:
    # an exposure history: the chickens died, the patient is on the ward (a notifiable disease stays sentinel)
    r = incident(
        analyzer,
        "ER: ผป.ชาย 52 ปี ไข้ ไอ หอบ ให้ประวัติเลี้ยงเป็ดซึ่งป่วยตาย 20 ตัวเมื่อสัปดาห์ก่อน ไม่ได้ซักประวัติ "
        "รับไว้ห้องรวม ต่อมาผล H5N1 positive ย้ายห้องแยก",
    )
    assert r.sentinel and r.severity not in ("I", "H"), (r.severity, r.details)
    # a patient who died is still a death
    r = incident(analyzer, "ผป.ไข้หวัดนกไม่ได้แยกห้อง อาการทรุดลง ใส่ท่อช่วยหายใจ สุดท้ายเสียชีวิต")
    assert r.severity == "I", r.details


def test_anthrax_told_by_its_exposure_and_sign_is_sentinel(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ชาวบ้านแล่เนื้อควายที่ตายเอง 4 วันต่อมามีแผลสะเก็ดดำที่มือ บวมแดง แพทย์ส่งย้อมเชื้อ")
    assert r.sentinel, r.details
    # a dead animal handled with no sign of the disease is nothing of the kind
    assert not incident(analyzer, "แม่บ้านพบหนูตายในฝ้าห้องพักญาติ แจ้งงานอาคารมาเก็บ ทำความสะอาด").sentinel


def test_a_case_count_denied_with_ราย_is_no_shock(analyzer: Analyzer) -> None:
    r = incident(
        analyzer,
        "IC: ผป.ไข้เลือดออกในหอเด็ก 3 ราย ติดเชื้อในโรงพยาบาล พบลูกน้ำในแจกัน ให้สารน้ำตามแนวทาง ไม่มีรายใดช็อก",
    )
    assert r.sentinel and band(r.severity) != "GI", (r.severity, r.details)


NO_HARM = {
    # stopped before it reached the patient
    "caught_before_eating": "ผป.แพ้กุ้ง ได้ข้าวผัดกุ้งจากครัว ญาติทักก่อนกิน เปลี่ยนเมนูให้",
    # a search that found something and kept it
    "search_kept": "รับใหม่หอจิตเวช ตรวจค้นของใช้ พบไฟแช็ก 1 อัน และเชือก เก็บไว้ที่เคาน์เตอร์",
}


@pytest.mark.parametrize("key", list(NO_HARM))
def test_no_harm_told_is_graded_below_temporary_harm(analyzer: Analyzer, key: str) -> None:
    r = incident(analyzer, NO_HARM[key])
    assert band(r.severity) == "AD", (r.severity, r.details)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # a worker or a visitor treated or kept off work (3)
        ("แม่บ้านลื่นบันไดหนีไฟ ข้อเท้าหัก ใส่เฝือก ลางาน 4 สัปดาห์", "3"),
        ("หัวหน้างานตะคอกด่าพนักงานใหม่ทุกวัน พนักงานเครียด ส่งพบจิตแพทย์", "3"),
        ("ขาดพยาบาล 3 ตำแหน่ง ควบเวรติดกัน 2 สัปดาห์ ป่วยลาพัก 2 คน", "3"),
        ("ไฟดับ ลิฟต์ค้าง 50 นาที ญาติผู้สูงอายุเป็นลม ส่ง ER ดม O2 สังเกตอาการ", "3"),
        # asked for, not taken; nobody treated (1–2)
        ("พนักงานเปลปวดหลัง ขอลาพัก 2 วัน หัวหน้าอนุญาต", "2"),
        ("ลิฟต์ค้างระหว่างชั้น 10 นาที ช่างมาเปิด ทุกคนปลอดภัย", "2"),
    ],
)
def test_general_levels_of_people_treated_or_off_work(text: str, level: str) -> None:
    assert general_level(text.lower()) == level


# --- code families (nrls.CUE_RULES, round 12) -----------------------------------------------------------------------

CODE_FIRST = [
    ("แม่บ้านหกล้มหน้าลิฟต์ ข้อมือหัก ใส่เฝือก", "GPP103"),
    ("ช่างไฟพลัดตกบันไดขณะเปลี่ยนหลอดไฟ ข้อเท้าแพลง", "GPP103"),
    ("ใบ MAR: RI 8 unit คัดลอกเป็น 80 unit พยาบาลเวรเช้าทักก่อนฉีด", "CPM202"),
    ("RN ER ไลฟ์สดขณะรับผป.อุบัติเหตุ เห็นหน้าผป. ญาติร้องเรียน", "GPS203"),
    ("PN ตึกสูติโพสต์ TikTok ล้อเลียนชื่อทารก ผู้ปกครองเห็นแจ้ง รพ.", "GPS203"),
    ("ตู้ดูดควันเสีย ใช้ xylene ต่อ จนท.เวียนศีรษะ", "GPP204"),
]


@pytest.mark.parametrize(("text", "code"), CODE_FIRST)
def test_r12_code_families_come_first(analyzer: Analyzer, text: str, code: str) -> None:
    r = incident(analyzer, text)
    assert r.risk_codes[0].code == code, r.risk_codes


def test_ransomware_reaches_the_top_three(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ระบบ PACS และ HIS ใช้ไม่ได้ ตรวจพบมัลแวร์เรียกค่าไถ่ ตัดเครือข่าย ประกาศ downtime ใช้กระดาษ 2 วัน")
    assert "GPS103" in [c.code for c in r.risk_codes], r.risk_codes


def test_a_patient_fall_stays_the_patient_fall_code(analyzer: Analyzer) -> None:
    # a staff member named beside a patient who fell: the patient's fall (CPP405), not a worker's injury
    r = incident(analyzer, "พยาบาลเดินตรวจเวรดึก พบผป.ลื่นล้มในห้องน้ำ ศีรษะโน ส่ง CT ปกติ")
    codes_ = [c.code for c in r.risk_codes]
    assert codes_[0] == "CPP405" and "GPP103" not in codes_, r.risk_codes


def test_a_camera_that_does_not_cover_a_spot_is_no_right(analyzer: Analyzer) -> None:
    r = incident(analyzer, "กระเป๋าสตางค์ของญาติในห้องรอหาย 3,000 บาท กล้อง CCTV ไม่ครอบคลุมมุมเก้าอี้ แนะนำให้ฝากของมีค่า")
    assert "cost_rights" not in codes(r) and "safety_privacy" in codes(r), r.details["cause"]
    # a right that does not cover a drug is still one
    r = incident(analyzer, "สิทธิประกันสังคมไม่ครอบคลุมยานอกบัญชี ผป.ต้องจ่ายเอง 4,500 บาท ไม่ได้แจ้งก่อนสั่งยา")
    assert "cost_rights" in codes(r), r.details["cause"]
