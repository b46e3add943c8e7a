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
