"""Issue 14, round 3: patient answers — the patterns the issue lists that had no test yet, and complaints the
questions hid (an expectation that was not met, a fault named beside praise)."""

from __future__ import annotations

import pytest

from nlp import Analyzer


def codes(analyzer: Analyzer, text: str, question: str | None = None) -> set[str]:
    return {t.code for t in analyzer.analyse(text, question=question).topics}


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("ระบบนัดไม่ดี นัดแล้วยังต้องรอ", "process"),  # an appointment system
        ("อยากให้มีระบบนัดออนไลน์", "process"),
        ("เปิดแค่วันจันทร์ถึงศุกร์ อยากให้เปิดเสาร์อาทิตย์", "process"),  # opening days
        ("รอ นาน มาก", "waiting"),  # words split by spaces
        ("ห้อง น้ำ สก ปรก", "environment"),
        ("หมอ ไม่ พอ", "staffing"),
        ("ER ช้ามาก", "waiting"),  # abbreviations
        ("OPD คนเยอะ รอนานน", "waiting"),  # and a doubled letter
    ],
)
def test_real_phrasings_spacing_and_abbreviations(analyzer: Analyzer, text: str, topic: str) -> None:
    assert topic in codes(analyzer, text, "dissatisfaction")


@pytest.mark.parametrize(
    "text",
    [
        "หวังว่าจะได้ยาตัวเดิม แต่ยาหมด ให้ไปซื้อเอง",  # a hope, "but", and what happened instead
        "อยากได้ห้องพิเศษ แต่เต็ม ต้องนอนระเบียง ร้อนมาก",
    ],
)
def test_an_expectation_not_met_is_a_complaint(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="expectation")
    assert r.sentiment.label == "neg" and r.complaint, text


def test_an_expectation_only_hoped_for_stays_neutral(analyzer: Analyzer) -> None:
    for text in ("อยากได้บริการรวดเร็ว", "หวังว่าจะได้ตรวจเร็วๆ", "คาดหวังว่าจะได้รับการรักษาที่ดี"):
        r = analyzer.analyse(text, question="expectation")
        assert r.sentiment.label == "neu" and not r.complaint, text


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("พยาบาลดูแลดี แต่ข้าวไม่ค่อยอร่อย", "message"),
        ("อยากบอกว่าหมอเก่งมาก แต่รอนานจริงๆ ค่ะ", "message"),
        ("ห้องพักสะอาด แต่แอร์เสียทั้งคืน", "message"),
    ],
)
def test_a_fault_beside_praise_is_still_a_complaint(analyzer: Analyzer, text: str, question: str) -> None:
    """Mixed answers are neutral (LABELLING.md), but the fault they name is a case for the unit that owns it."""
    r = analyzer.analyse(text, question=question)
    assert r.sentiment.label != "pos" and r.complaint, text


def test_praise_with_no_fault_is_no_complaint(analyzer: Analyzer) -> None:
    for text in ("พยาบาลดูแลดี หมอเก่ง ขอบคุณค่ะ", "ได้ตรวจเร็ว หมอใจดี"):
        assert not analyzer.analyse(text, question="message").complaint, text
