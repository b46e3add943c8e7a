"""Incident narratives: sentinel cues in clinical shorthand, drills, and the cause as the topic."""

from __future__ import annotations

import pytest

from nlp import Analyzer

SENTINEL = [
    "ได้ยาที่มีประวัติแพ้ เกิดผื่นทั้งตัว ใส่ท่อช่วยหายใจ ย้ายเข้า ICU",
    "ไม่ได้รายงานแพทย์เมื่อคะแนนเตือนสูง อาการทรุด ใส่ท่อช่วยหายใจ",
    "ผ่าตัดแล้วพบกรรไกรค้างในช่องท้อง",
    "stool culture พบ Vibrio cholerae",
    "ให้ยาเร็วเกิน เกิดหัวใจเต้นผิดจังหวะ ต้องช็อกไฟฟ้า",
]
NOT_SENTINEL = [
    "ซ้อมแผน code blue ที่แผนกผู้ป่วยนอก ทีมมาถึงตามเวลา",
]


@pytest.mark.parametrize("text", SENTINEL)
def test_incident_sentinel(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyse(text).sentinel, text


@pytest.mark.parametrize("text", NOT_SENTINEL)
def test_incident_not_sentinel(analyzer: Analyzer, text: str) -> None:
    assert not analyzer.analyse(text).sentinel, text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("HIS ล่ม ห้องบัตรออกบัตรด้วยมือ", "process"),
        ("เวรดึก RN 1 คน ผู้ป่วย 25 ราย", "staffing"),
        ("จัดยาผิดความแรง เภสัชตรวจพบก่อนจ่าย", "medication"),
        ("ลิฟต์ขัดข้อง ผู้ป่วยติดอยู่ 20 นาที", "environment"),
    ],
)
def test_incident_cause_is_the_topic(analyzer: Analyzer, text: str, code: str) -> None:
    assert code in {t.code for t in analyzer.analyse(text).topics}, text
