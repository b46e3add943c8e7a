"""Patient answers, round 8 (issue 14, tune18's patient lines, heldout6 retired): complaints that read as none
and "nothing to report" that read as complaints. Written here as patients type on a phone (dialect, typos,
particles, spaces), phrased unlike tune18's lines."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from tests.support import codes


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()



# "Nothing", then praise: the first clause's "ไม่มี" negates nothing after it, its "ไม่พอใจ" is no grievance, and
# news of a change already made ("ปีนี้มีที่นั่งเพิ่ม") asks for none.
@pytest.mark.parametrize(
    "text",
    [
        "ไม่มีค่ะ พอใจมากๆ หมอตรวจไว",
        "ไม่มีไรไม่ชอบเลยค่ะ ห้องน้ำสะอาดขึ้นเยอะ",
        "บ่มีหยังเด้อ ประทับใจทุกอย่าง",
        "ไม่มีอะไรค่ะ ปีนี้มีที่นั่งรอเพิ่ม สบายขึ้นมาก",
    ],
    ids=["satisfied", "no-dislike", "isan", "news-of-more"],
)
def test_nothing_then_praise_is_no_complaint(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="dissatisfaction")
    assert r.sentiment.label == "pos", r.details
    assert not r.complaint


@pytest.mark.parametrize("text", ["บ่มีเจ้า", "บ่มีหยัง", "ไม่มีไรค่ะ"])
@pytest.mark.parametrize("question", ["dissatisfaction", "improvement"])
def test_nothing_in_dialect_is_nothing(analyzer: Analyzer, text: str, question: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert r.sentiment.label == "neu"
    assert not r.complaint


def test_nothing_and_a_fault_is_still_a_complaint(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ไม่มีค่ะ แต่ห้องน้ำชั้นสองสกปรก", question="dissatisfaction")
    assert r.complaint and "environment" in codes(r)


# An expectation that wishes for more or less than what they got asks for a change: a complaint (neutral).
@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("อยากเห็นพยาบาลพูดเพราะๆบ้าง", "staff_behavior"),
        ("คาดหวังให้ห้องยาจ่ายยาเร็วขึ้น", "waiting"),
        ("หวังว่าค่ายาจะถูกลงบ้างค่ะ", "cost_rights"),
        ("อยากไห้มีที่นั่งรอหน้าห้องตรวจ", "environment"),
    ],
    ids=["some", "faster", "cheaper", "typo"],
)
def test_an_expectation_asking_for_a_change_is_a_complaint(analyzer: Analyzer, text: str, topic: str) -> None:
    r = analyzer.analyse(text, question="expectation")
    assert r.complaint, r.details
    assert r.sentiment.label != "pos"
    assert topic in codes(r)


@pytest.mark.parametrize("text", ["หวังว่าจะได้เจอหมอเก่งๆ", "ไม่อยากรอนาน บ้านไกล", "หวังว่าสิทธิ์บัตรทองจะครอบคลุม ไม่ต้องจ่ายเพิ่ม"])
def test_a_general_wish_is_no_complaint(analyzer: Analyzer, text: str) -> None:
    assert not analyzer.analyse(text, question="expectation").complaint


# Praise with an exception or a "but": neutral, and the fault is a complaint for its unit.
@pytest.mark.parametrize(
    ("text", "question", "topic"),
    [
        ("บริการดีทุกอย่างค่ะ ยกเว้นห้องน้ำชั้นสอง", "message", "environment"),
        ("ขอชมพยาบาลวอร์ดสูติ ใจดีมาก แต่ลานจอดรถเต็มทุกวัน", "compliment", "parking_access"),
        ("ได้ตามคาดค่ะ แต่รอรับยานานไปนิด", "expectation", "waiting"),
    ],
    ids=["except", "compliment-but", "met-but"],
)
def test_praise_with_a_fault_is_mixed_and_a_complaint(analyzer: Analyzer, text: str, question: str, topic: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert r.sentiment.label == "neu", r.details
    assert r.complaint
    assert topic in codes(r)


def test_praise_without_a_but_stays_praise(analyzer: Analyzer) -> None:
    r = analyzer.analyse("คิดว่าจะรอนาน แต่ได้รับยาเร็วกว่าที่คิดค่ะ", question="expectation")
    assert r.sentiment.label == "pos" and not r.complaint


# Keep it as it is: a wish that asks for no change.
@pytest.mark.parametrize(
    "text",
    ["หมอพยาบาลใจดีมาก ขอให้รักษาไว้แบบนี้นะคะ", "ไม่มีอะไรต้องแก้แล้วค่ะ ขอให้ทุกคนทำงานด้วยความสุข"],
    ids=["keep", "happiness"],
)
def test_a_wish_to_keep_it_is_praise(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="improvement")
    assert r.sentiment.label == "pos", r.details
    assert not r.complaint


@pytest.mark.parametrize("text", ["จัดที่นอนให้ญาติเฝ้าไข้หน่อยค่ะ", "จัดเก้าอี้หน้าห้องเอ็กซเรย์ให้หน่อย"], ids=["bed", "chairs"])
def test_a_request_told_as_please_do_is_a_suggestion(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="improvement")
    assert r.sentiment.label == "neu", r.details
    assert r.complaint
    assert "environment" in codes(r)


def test_an_infection_control_lapse_told_with_did_not(analyzer: Analyzer) -> None:
    r = analyzer.analyse("พยาบาลไม่ได้เปลี่ยนถุงมือตอนเจาะเลือดลูก", question="message")
    assert "safety_privacy" in codes(r)
    assert r.sentiment.label == "neg" and r.complaint


# Another patient's drugs, told by the name on the packet; caught in time ("โชคดีที่…") is still a complaint,
# and a drug packet is not a blood bag.
@pytest.mark.parametrize(
    "text",
    ["เปิดซองยาที่บ้าน เป็นยาของคนไข้อื่น โชคดีที่หลานทักก่อนกิน", "รับยามา ชื่อที่ถุงยาไม่ตรงกับแม่ ดีที่ยังไม่ได้กิน"],
    ids=["other-patient", "name-on-bag"],
)
def test_another_patients_drugs(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="complaint")
    assert "medication" in codes(r)
    assert r.complaint
    assert not r.sentinel


def test_staff_telling_a_patients_illness_is_privacy_not_a_lawsuit(analyzer: Analyzer) -> None:
    r = analyzer.analyse("เจ้าหน้าที่เอาเรื่องอาการของแม่ไปพูดต่อในกลุ่มไลน์หมู่บ้าน", question="complaint")
    assert "safety_privacy" in codes(r)
    assert not r.sentinel
    assert r.sentiment.label == "neg"


def test_taking_it_further_is_still_heard(analyzer: Analyzer) -> None:
    assert analyzer.analyse("ถ้าไม่มีคำตอบ จะเอาเรื่องให้ถึงที่สุดค่ะ", question="complaint").sentinel


@pytest.mark.parametrize("question", ["message", "improvement"])
def test_asking_to_be_better_next_time_fell_short(analyzer: Analyzer, question: str) -> None:
    r = analyzer.analyse("ครั้งต่อไปขอให้ดีกว่านี้ค่ะ", question=question)
    assert r.sentiment.label == "neg" and r.complaint
