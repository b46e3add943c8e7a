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
