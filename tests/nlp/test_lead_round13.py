"""Round 13 (lead): a family thanking the staff who cared for someone until the end tells an expected death, not a
sudden one (LABELLING: an expected death in palliative care is not sentinel); nobody caring until the end stays one."""

from __future__ import annotations

import pytest

from nlp.analyzer import Analyzer


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("compliment", "ขอบคุณทีมที่ดูแลยายจนสิ้นลม"),
        ("message", "ขอบคุณพยาบาลที่ดูแลพ่อจนเสียชีวิตค่ะ"),
        ("message", "ขอบคุณ หมอ พยาบาล ดูแลแม่ จน วาระสุดท้าย นะคะ"),
        ("compliment", "ขอบคุณน้องๆพยาบาลวอร์ดชาย ดูแลตาจนสิ้นใจ ไม่ทรมานเลย"),
    ],
)
def test_cared_for_until_the_end_is_no_sentinel(analyzer: Analyzer, question: str, text: str) -> None:
    result = analyzer.analyse(text, question=question)
    assert not result.sentinel, text
    assert result.sentiment.label == "pos", text


@pytest.mark.parametrize(
    "text",
    [
        "ไม่มีใครมาดูแลยายจนสิ้นลม",
        "ไม่มีหมอมาดูแลจนยายเสียชีวิต",
        "พยาบาลไม่ดูแลเลย ปล่อยให้ยายนอนจนสิ้นลม",
        "ให้ยาผิดแล้วแม่เสียชีวิต ทั้งที่บอกว่าจะดูแลจนหาย",
    ],
)
def test_nobody_caring_until_a_death_stays_sentinel(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyse(text, question="complaint").sentinel, text


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("เจ้าหน้าที่ลื่นล้มในห้องน้ำ ไม่ต้องไปพบแพทย์", "2"),
        ("จนท.ลื่นล้มหน้าลิฟต์ ไม่จำเป็นต้องไปพบแพทย์ค่ะ", "2"),
        ("จนท.ลื่นล้มในห้องน้ำชาย ไม่ต้อง ไปรับการรักษาครับ", "2"),
        ("เจ้าหน้าที่ลื่นล้มในห้องน้ำ ข้อเท้าบวม ต้องไปพบแพทย์", "3"),
    ],
)
def test_no_need_to_see_a_doctor_is_no_treatment(analyzer: Analyzer, text: str, level: str) -> None:
    """A doctor not needed ("ไม่ต้องไปพบแพทย์") is no injury that needed treatment (general level 3); one that had to be
    seen ("ต้องไปพบแพทย์") still is (the review of round 13: only "ไม่" and "ไม่ได้" were heard before it)."""
    assert analyzer.analyse(text, question="incident").severity == level, text
