"""Issue 14, round 12: incident families read from the analyser's errors on tune29.jsonl's incident lines (heldout10
retired).

Each report is written here the way staff type into the risk system, unlike tune29's lines, with look-alikes that must
stay quiet. A drill proposed under the report's remedy heading ("การแก้ไข:", "แนวทาง:") does not make the event told
before it a drill; a critical-care unit named ("ward วิกฤต") is no patient in crisis.
"""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band
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
