"""Patient answers, round 7 (issue 14, tune17's patient lines): thanks that name the staff but no behaviour,
"nothing to add" after thanks, a wish that other wards were like this one, well-wishing, and rice named as a
meal time (when to take a drug, fasting for a test, hunger while waiting, feeding a patient) rather than the
hospital's food. Typed the way phones type them (typos, particles, spaces); phrased unlike tune17's lines."""

from __future__ import annotations

import pytest

from nlp import Analyzer


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


THANKS_NO_TOPIC = [
    ("ขอบคุน คุณหมอ กับ พยาบาลทุกท่านนะคะ", "message"),
    ("ขอบใจหลายๆเด้อ หมอพยาบาลทุกคน", "compliment"),
    ("ขอบคุณหมอพยาบาลทุกคนมากๆครับ", "message"),
]


@pytest.mark.parametrize(("text", "question"), THANKS_NO_TOPIC)
def test_thanks_to_staff_names_no_topic(analyzer: Analyzer, text: str, question: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert [t.code for t in r.topics] == [], r.topics
    assert r.sentiment.label == "pos"
    assert not r.complaint


def test_thanks_with_a_behaviour_still_tags_staff(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ขอบคุณพยาบาลทุกคน พูดจาไพเราะมากค่ะ", question="message")
    assert "staff_behavior" in [t.code for t in r.topics]


@pytest.mark.parametrize(
    "text",
    ["ขอบคุณมากค่ะ ไม่มีอะไรจะเสนอแล้ว", "ขอบคุนครับ ไม่มีเพิ่มเติมครับ", "ขอบคุณคับ ไม่มีอะไรจะแนะนำ"],
)
def test_thanks_and_nothing_to_add_is_praise_not_a_complaint(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="improvement")
    assert r.sentiment.label == "pos"
    assert not r.complaint


def test_nothing_to_add_still_lets_a_real_wish_through(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ไม่มีอะไรเพิ่ม แต่ห้องน้ำสกปรกมาก ควรทำความสะอาดบ่อยๆ", question="improvement")
    assert r.complaint


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("พยาบาลตึกเด็กน่ารักทุกคน อยากให้ทุกตึกเป็นแบบนี้ค่ะ", "improvement"),
        ("ขอให้หมอ พยาบาล สุขภาพดีๆ รวยๆ นะคะ", "message"),
    ],
)
def test_praise_wishes_are_praise(analyzer: Analyzer, text: str, question: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert r.sentiment.label == "pos"
    assert not r.complaint


@pytest.mark.parametrize(
    ("text", "question", "expected"),
    [
        ("ยาตัวใหม่กินหลังข้าวหรือก่อนข้าวคะ ลืมถามเภสัช", "message", set()),
        ("งดข้าวตั้งแต่เมื่อคืน รอเจาะเลือดนานมากกก", "dissatisfaction", {"waiting"}),
        ("รอหมอตั้งแต่เช้ายันบ่าย ยังไม่ได้กินข้าวเลยค่ะ", "dissatisfaction", {"waiting"}),
        ("น้องพยาบาลช่วยป้อนข้าวยายทุกมื้อ ใจดีมากๆ", "compliment", {"staff_behavior"}),
    ],
)
def test_rice_as_a_meal_time_is_not_food(analyzer: Analyzer, text: str, question: str, expected: set[str]) -> None:
    codes = {t.code for t in analyzer.analyse(text, question=question).topics}
    assert "food" not in codes, codes
    assert expected <= codes, codes


def test_the_hospitals_rice_is_still_food(analyzer: Analyzer) -> None:
    codes = {t.code for t in analyzer.analyse("ข้าวที่โรงพยาบาลแข็งมาก กินไม่ลงเลย", question="dissatisfaction").topics}
    assert "food" in codes
