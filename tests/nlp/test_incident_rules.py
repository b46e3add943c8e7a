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


def test_unplanned_reintubation_is_near_death(analyzer: Analyzer) -> None:
    """A complication that needed the airway secured again at once (re-intubation) nearly killed the patient."""
    text = "post thyroidectomy คอบวม hematoma กดทางเดินหายใจ SpO2 60% re-intubate ด่วน ย้าย ICU"
    assert analyzer.analyse(text).sentinel


def test_a_threat_to_go_on_television_is_a_reputation_event(analyzer: Analyzer) -> None:
    """Seed 004 non-clinical (6): an accusation that reaches the media harms the hospital's name."""
    assert analyzer.analyse("ถ้าไม่ชี้แจงเรื่องผลเลือดลูกสาว จะไปออกรายการทีวีให้รู้กันทั้งประเทศ").sentinel


def test_drills_and_advance_directives_are_not_sentinel(analyzer: Analyzer) -> None:
    """A drill with a simulated MERS patient is no case; a death at home under an advance directive was expected.
    A real suspected MERS patient still is."""
    assert not analyzer.analyse("ซ้อมแผนรับผู้ป่วยโรคติดต่ออันตราย จำลองผู้ป่วยสงสัย MERS ที่ ER").sentinel
    assert not analyzer.analyse("ผป. ESRD มี advance directive เสียชีวิตที่บ้านตามความประสงค์").sentinel
    assert analyzer.analyse("รับผู้ป่วยสงสัย MERS ที่ ER แยกห้อง negative pressure").sentinel
