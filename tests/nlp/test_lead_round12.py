"""Round 12 (lead, after the retrain): thanks, then "แต่" and a fault that outweighs them, is no praise even where the
model is sure of the thanks; a fault conceded before "แต่" and praise after it stays praise."""

from __future__ import annotations

import pytest

from nlp.analyzer import Analyzer


@pytest.mark.parametrize(
    "text",
    [
        "ขอบคุณคุณหมอที่ผ่าตัดให้นะคะ แต่พยาบาลห้องพักฟื้นพูดจาไม่ดีเลยค่ะ",
        "ขอบคุณที่ช่วยชีวิตพ่อไว้ครับ แต่ รปภ. หน้าตึกพูดจาไม่ดีเลย",
        "ขอบคุณหมอที่ดูแลลูกค่ะ แต่เภสัชพูดไม่ดีเลย ตะคอกใส่",
    ],
)
def test_thanks_then_a_heavier_fault_after_but_is_no_praise(analyzer: Analyzer, text: str) -> None:
    result = analyzer.analyse(text, question="compliment")
    assert result.sentiment.label != "pos", text
    assert result.complaint, text


@pytest.mark.parametrize(
    "text",
    [
        "รอนานไปนิดนึง แต่คุณหมอใจดีมาก ขอบคุณค่ะ",
        "ขอบคุณพยาบาลทุกคนที่ดูแลดีมากค่ะ",
    ],
)
def test_a_fault_conceded_before_but_then_thanks_stays_praise(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyse(text, question="compliment").sentiment.label == "pos", text
