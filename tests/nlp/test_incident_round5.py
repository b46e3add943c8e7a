"""Issue 14, round 5: staff incident reports — denied harm, drills that were not drills, what is and is not a
sentinel event, the scale of a staff member's injury, and the causes the NRLS codes do not name.

Each report is written here as ward staff type into the risk system (shorthand, vital signs, Thai–English),
not copied from a data file. Every test failed before this round's change, except three of STILL_SENTINEL: those
guard that the narrowed cues (blows, ICU, suicide) still flag real events."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band
from tests.support import incident

# --- harm the report denies is not harm heard -------------------------------------------------------------
DENIED_HARM = [
    # (report, band it belongs to)
    ("ผป.ชาย 70 ปี เตียง 5 ลุกเข้าห้องน้ำเอง เซเกือบล้ม จนท.ประคองทัน ไม่มีบาดเจ็บ v/s ปกติ", "AD"),
    ("ผป.ได้ RI 10 u ซ้ำ 2 dose dtx 52 ให้ 50% glucose 50 ml ซึมเล็กน้อย ไม่ต้องใส่ท่อช่วยหายใจ อาการดีขึ้น", "EF"),
    ("audit การล้างมือ ward ศัลย์ ผ่านเกณฑ์ 58% ยังไม่พบการติดเชื้อที่เกี่ยวข้อง แจ้งหัวหน้าหอ", "AD"),
    ("dispense amlodipine 10 mg แทน 5 mg ผป.กินไป 1 มื้อ bp 120/70 ไม่มีอาการหน้ามืด ไม่มีไข้ นัดมาเปลี่ยนยา", "AD"),
]


@pytest.mark.parametrize(("text", "expected"), DENIED_HARM)
def test_denied_harm_does_not_raise_the_severity(analyzer: Analyzer, text: str, expected: str) -> None:
    a = incident(analyzer, text)
    assert band(a.severity) == expected, (a.severity, a.details["severity_reasons"])
    assert not a.sentinel


def test_denied_intubation_is_not_near_death(analyzer: Analyzer) -> None:
    a = incident(analyzer, "MgSO4 ตั้ง pump ผิด 10 g/hr ผป.ซึม rr 12 หยุดยา ให้ calcium gluconate ไม่ต้องใส่ท่อช่วยหายใจ")
    assert a.severity not in ("G", "H", "I")
    assert not a.sentinel


# --- a drill not done, or one only proposed, does not make a real event a drill ---------------------------
def test_a_test_not_done_is_no_drill(analyzer: Analyzer) -> None:
    a = incident(
        analyzer,
        "ไฟฟ้าดับทั้งรพ. 13.00-15.30 น. gen สตาร์ทไม่ติด เพราะไม่ได้ทดสอบเดินเครื่องมา 3 เดือน "
        "วัคซีนในตู้เย็นเสียหาย มูลค่า 120,000 บาท",
    )
    assert a.details["scale"] == "general"
    assert a.severity in ("4", "5")


def test_a_proposed_drill_does_not_cancel_a_real_fire(analyzer: Analyzer) -> None:
    a = incident(
        analyzer,
        "02.10 น. ไฟไหม้ห้องเก็บผ้าชั้น 2 ใช้ถังดับเพลิง 3 ถังดับไม่อยู่ เรียกรถดับเพลิง อพยพผป. 15 ราย "
        "ข้อเสนอ: ซ้อมแผนอพยพทุก 6 เดือน",
    )
    assert a.sentinel
    assert a.severity in ("4", "5")


# --- what is not a sentinel event ---------------------------------------------------------------------------
NOT_SENTINEL = [
    "ญาติผป.โทรมาด่า ขู่ว่าจะมาดักรอทำร้ายพยาบาลเวรดึก แจ้ง รปภ. เฝ้าระวัง",
    "ผป. delirium ต่อยแขนพยาบาล 1 ที มีรอยแดง ไม่มีแผล ประคบเย็น ทำงานต่อได้",
    "ตรวจนับยาเสพติดให้โทษประเภท 2 ห้องยา IPD morphine inj ขาด 2 amp บันทึกเบิกจ่ายไม่ครบ",
    "จนท.โดนเข็มตำหลังเจาะเลือด ผป.ต้นทาง HIV viral load undetectable ปรึกษาอาชีวอนามัย",
    "เวรบ่าย ward ชาย RN 2 คน ผป. 30 ราย on ventilator 3 ราย ขอคนเสริมไม่ได้ ให้ยาช้า",
    "ICU ท่อออกซิเจนรั่ว ความดันตก ผป. on ventilator 4 ราย เปลี่ยนใช้ถังสำรอง ผป.ปลอดภัย ช่างเปลี่ยนวาล์ว",
    "ผป.ติดเหล้าพูดว่าจะฆ่าตัวตายถ้าไม่ให้กลับบ้าน ไม่มีการกระทำ ประเมิน 9Q ต่ำ ปรึกษาจิตเวช",
]


@pytest.mark.parametrize("text", NOT_SENTINEL)
def test_threats_bruises_drug_counts_and_census_are_not_sentinel(analyzer: Analyzer, text: str) -> None:
    a = incident(analyzer, text)
    assert not a.sentinel, (a.details["severity_reasons"], a.details["sentinel_cues"], a.severity)


STILL_SENTINEL = [
    "คลิปว่อนเน็ต จนท.ตบหน้าคนไข้สูงอายุที่ไม่ยอมกินข้าว",  # a blow to a patient is abuse
    "ญาติเมาสุราชกหน้าแพทย์เวร ER จมูกหัก เลือดออกมาก",  # a blow that broke a bone
    "ผป.จิตเวชใช้เศษแก้วกรีดข้อมือ แผลตื้น 2 cm ทำแผล v/s ปกติ",  # an attempt, whatever its harm
    "ผป. ESRD รับยาเกินขนาด admit ICU ต่อ ventilator",  # a transfer to the ICU is harm
]


@pytest.mark.parametrize("text", STILL_SENTINEL)
def test_the_narrowed_cues_still_flag_real_events(analyzer: Analyzer, text: str) -> None:
    assert incident(analyzer, text).sentinel


def test_a_suicide_attempt_is_graded_by_what_it_did(analyzer: Analyzer) -> None:
    a = incident(analyzer, "ผป.จิตเวชใช้เศษแก้วกรีดข้อมือ แผลตื้น 2 cm ทำแผล v/s ปกติ")
    assert a.sentinel
    assert band(a.severity) == "EF", a.severity


def test_a_named_bone_broken_is_a_fracture(analyzer: Analyzer) -> None:
    a = incident(analyzer, "ทารกคลอดติดไหล่ ทำ McRoberts กระดูกไหปลาร้าซ้ายหัก ใส่ผ้าพยุงแขน นัดติดตาม")
    assert band(a.severity) == "EF", a.severity


def test_a_relative_gone_in_everyday_words_is_a_death(analyzer: Analyzer) -> None:
    a = analyzer.analyse("พ่อนอน ward ชาย บอกพยาบาลว่าหอบ ไม่มีใครมาดู เมื่อคืนพ่อเสียแล้ว", question="complaint")
    assert a.sentinel


# --- the scale follows who was harmed; general levels ------------------------------------------------------
def test_a_staff_member_harmed_is_graded_on_the_general_scale(analyzer: Analyzer) -> None:
    a = incident(analyzer, "ช่างซ่อมบำรุงโดนไฟดูดขณะเปลี่ยนหลอดไฟ ล้มหมดสติ ทีม ER CPR 2 รอบ ROSC")
    assert a.details["scale"] == "general"
    assert a.severity in ("4", "5")
    assert a.sentinel


def test_staff_sick_leave_makes_the_incident_general(analyzer: Analyzer) -> None:
    a = incident(analyzer, "พยาบาลลื่นล้มหน้าห้องผ่าตัด พื้นเปียก X-ray ข้อมือร้าว ใส่เฝือก หยุดงาน 2 สัปดาห์")
    assert a.details["scale"] == "general"


def test_a_breach_of_thousands_of_records_is_serious(analyzer: Analyzer) -> None:
    a = incident(analyzer, "ข้อมูลชื่อและผลตรวจ HIV ของผู้ป่วยคลินิก 3,500 ราย หลุดไปในกลุ่มไลน์ภายนอก ปิดลิงก์ แจ้ง PDPC")
    assert a.severity in ("4", "5")


def test_a_service_closed_for_days_is_level_3(analyzer: Analyzer) -> None:
    a = incident(analyzer, "ลิฟต์ตึกผู้ป่วยใน ค้างชั้น 3 เรียกช่าง หยุดใช้งาน 3 วัน รอบริษัทมาซ่อม ไม่มีผู้บาดเจ็บ")
    assert a.details["scale"] == "general"
    assert a.severity == "3"


# --- causes the NRLS codes do not name ----------------------------------------------------------------------
CAUSES = [
    ("ผป.ติดเตียงไม่ได้พลิกตัว 2 เวร ช่วงหยุดยาวตึกขาดผู้ช่วยพยาบาล 2 คน พบแผลกดทับ stage 2 ก้นกบ", "staffing"),
    ("แล็บ: ติดสติกเกอร์สลับหลอด 2 ราย ผล K สลับกัน แพทย์สั่ง KCl ก่อนแล็บโทรแจ้ง", "safety_privacy"),
    ("ICU ผป. on ETT วันที่ 5 ไม่ได้ทำ oral care ตาม bundle ไข้ 39 เสมหะเขียว CXR new infiltration", "safety_privacy"),
    ("ขณะ CPR เครื่อง suction ติดผนังไม่มีแรงดูด วิ่งไปยืมจากตึกข้างๆ 3 นาที", "environment"),
    ("ระบบ LIS ขัดข้อง 09.00-11.30 น. ผลแล็บ K ของผป. CKD ไม่ขึ้นในระบบ ให้ยา kalimate ล่าช้า ผป.ใจสั่น EKG peaked T",
     "process"),
    ("ระบบ HOSxP ล่ม 2 ชม. ดูประวัติแพ้ยาไม่ได้ แพทย์สั่ง ceftriaxone ผป.ที่แพ้ ผื่นขึ้นทั้งตัว ให้ CPM", "process"),
]


@pytest.mark.parametrize(("text", "topic"), CAUSES)
def test_causes_the_codes_do_not_name_are_tagged(analyzer: Analyzer, text: str, topic: str) -> None:
    a = incident(analyzer, text)
    assert topic in {t.code for t in a.topics}, ([t.code for t in a.topics], [r.code for r in a.risk_codes])
