"""Issue 14, helper nlp-band: the severity band of incident reports, fixed by how nurses write, not by line.

The band errors on tune11/14/17/19 were grouped by family (scale wrong, level too high, level too low, and the
cue behind each); the biggest families are fixed here. Every report below is written in other words than the
tuning files'; each test failed before the change except the GUARDS, which keep the new rules from eating
real cases."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.analyzer import Analysis
from nlp.nrls import band
from tests.support import incident


def why(r: Analysis) -> tuple[object, ...]:
    return (r.severity, r.details.get("scale"), [c.code for c in r.risk_codes], r.details.get("severity_reasons"))


# --- clinical, too low: temporary harm told by the care it needed, with no harm word --------------------------
HARM_BY_CARE = [
    "ผป.หญิง 76 ปี ลื่นในห้องน้ำ ward ศัลย์ หน้าผากแตก เย็บ 5 เข็ม รู้สึกตัวดี",
    "ผป.ลุกจากเตียงเองตอนกลางคืน ล้มลง ข้อเท้าขวาหัก ใส่ slab",
    "ผป.หลังผ่าตัดได้ morphine ต่อเนื่อง เวรดึก SpO2 ลดลงเหลือ 88% ปลุกตื่น ให้ O2 mask ดีขึ้น",
    "ผป. CHF ได้ furosemide เกิน order K 2.9 ต้องให้ KCl เสริมทางปาก",
    "ย้ายทารกจากห้องคลอดมาตึกหลังคลอดโดยไม่ได้ห่อผ้า ตัวเย็น 35.2 วางใต้ radiant warmer",
    "จ่าย tramadol ให้ผป.ผิดเตียง ชื่อคล้ายกัน ผป.คลื่นไส้ เวียนศีรษะ นอนพัก",
]


@pytest.mark.parametrize("text", HARM_BY_CARE)
def test_harm_told_by_the_care_it_needed_is_e_f(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == "EF", why(r)


# --- clinical, too high: the fever the patient came with is not harm the event did ---------------------------
NOT_HARM = [
    "ใบขอ x-ray ระบุข้างผิด แพทย์เจ้าของไข้ทักก่อนถ่าย แก้ไขใบใหม่",
    "ER เด็กไข้ ถ่ายเหลว triage เป็นระดับ 4 ประเมินซ้ำหลัง 40 นาที พบขาดน้ำเล็กน้อย ให้ ORS เฝ้าระวัง",
    "ถุงขยะติดเชื้อวางปนถุงขยะทั่วไปหน้า ward พบขณะเดินตรวจ แยกใหม่",
]


@pytest.mark.parametrize("text", NOT_HARM)
def test_presenting_fever_is_not_harm(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == "AD", why(r)


def test_guard_fever_the_event_brought_stays_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ให้ LPRC ถุงแรกไป 20 นาที ผป.มีไข้ 38.4 หนาวสั่น หยุดให้เลือด ให้ paracetamol อาการดีขึ้น")
    assert band(r.severity) in ("EF", "GI"), why(r)


# --- general, too high: a staff member's exposure handled by first aid ---------------------------------------
FIRST_AID = [
    "ผู้ช่วยพยาบาลถูกเข็มที่ใช้แล้วตำมือขณะเก็บถาดฉีดยา ผป.ต้นทาง HIV negative ล้างแผล รายงานหัวหน้า",
    "เวรเปลถูกเข็มที่ทิ้งไว้บนเตียงตำมือ ล้างแผลด้วยสบู่ ผป.ต้นทาง anti-HCV positive ติดตามผลเลือด",
]


@pytest.mark.parametrize("text", FIRST_AID)
def test_staff_exposure_handled_by_first_aid_is_level_2(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.severity in ("1", "2"), why(r)


def test_guard_exposure_that_needed_pep_stays_3(analyzer: Analyzer) -> None:
    r = incident(analyzer, "พยาบาลถูกเข็มตำนิ้ว ผป.ต้นทาง HIV positive ล้างแผล ให้ PEP 28 วัน")
    assert r.severity == "3", why(r)


# --- general, too low: staff infected named by the disease; patients moved out, counted ----------------------
MODERATE = [
    "พยาบาลห้องฉุกเฉินติดวัณโรคปอด หลังดูแลผป.ไอเรื้อรังโดยไม่ได้ใส่ N95 ต้องกินยา 6 เดือน",
    "เจ้าหน้าที่ห้องบัตร 2 คน ผล measles IgM + ต้องหยุดพักรักษาตัว",
]
SERIOUS = [
    "ควันจากห้องเครื่องซักผ้าเข้าหอผู้ป่วยชั้น 3 ต้องย้ายผู้ป่วย 16 รายไปตึกข้างเคียง ดับได้ด้วยถังดับเพลิง",
]


@pytest.mark.parametrize("text", MODERATE)
def test_staff_infected_is_level_3(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.severity == "3", why(r)


@pytest.mark.parametrize("text", SERIOUS)
def test_patients_moved_out_is_level_4_5(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == "45", why(r)


# --- scale: a complaint that names a ward, a bed and a test is not a patient's care --------------------------
COMPLAINTS = [
    "ญาติ ผป.เตียง 4 ต่อว่าพยาบาลหน้า ward ว่ารอ CT นาน หัวหน้าตึกชี้แจง ญาติรับทราบ",  # issue 14's example
    "ญาติผู้ป่วยเตียง 12 ต่อว่าพยาบาลที่ ward ว่ารอผล CT นาน หัวหน้าเวรชี้แจง",
]


@pytest.mark.parametrize("text", COMPLAINTS)
def test_scolding_about_a_wait_is_general(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.details["scale"] == "general" and band(r.severity) == "12", why(r)


def test_guard_care_act_in_a_complaint_stays_clinical(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ให้ยา morphine 10 mg IV แทน 1 mg ผป.ซึม RR 10 ญาติต่อว่าพยาบาล หัวหน้าตึกชี้แจง")
    assert r.details["scale"] == "clinical", why(r)


# --- clinical, too high: no harm told, but the code's usual harm (E–F for a delay, a fall, a missed drug) used --
NO_HARM_TOLD = [
    "เด็ก 4 ขวบปีนราวเตียงตกลงพื้น แม่ออกไปซื้อข้าว แพทย์ตรวจไม่พบบาดแผล เล่นได้ปกติ",
    "ผป.ค้างที่ ER รอเตียง ICU 8 ชม. เพราะเตียงเต็ม สัญญาณชีพคงที่",
    "ผป.รอเตียง ward ที่ ER 9 ชม. อาการคงที่ ญาติบ่นว่าไม่ได้พัก",
    "รับใหม่ ผป.โรคลมชัก ไม่ได้รับยากันชักมื้อเย็น เพราะไม่ได้ทวนยาเดิม ไม่มีชัก ให้ยาทันที",
]


@pytest.mark.parametrize("text", NO_HARM_TOLD)
def test_no_harm_told_is_not_graded_by_the_codes_usual_harm(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == "AD", why(r)


def test_guard_oxygen_needed_stays_harm_though_icu_denied(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ผป.ปอดอักเสบ หอบ SpO2 88% ที่ ward ให้ high flow ดีขึ้น ไม่ต้องใส่ท่อ ไม่ต้องย้าย ICU")
    assert band(r.severity) == "EF", why(r)
