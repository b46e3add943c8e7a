"""Round 12, helper nlp-pat31 (tune31): patient answers from a new writer — topics named without the lexicon's phrase,
sentiment of mixed, wish and short answers, a lay suicide attempt told by the climb — each family with look-alikes that
must stay quiet. Phrased unlike tune31's lines.

Topic families: the service's steps told unclearly or being sent from room to room (process, not communication); staff
gone from their post, a visit booked and not made, staff asked to come out to a health post (staffing); seats asked for
and furniture broken (environment); how to take a drug not told (medication and communication); a wait told by the
clock or as "nearly an hour" (waiting); faster than elsewhere, all done in half a day (waiting); a sign named with where
it should lead and a patient lost on the way (parking_access, not safety_privacy); quiet: a warning sign on a wet floor,
a belonging not found again, a surgery's preparation explained (communication stays).

Sentiment and complaint families: a hope that next time will not be like this (neg); praise, "แต่", then the fault in
the dissatisfaction answer (mixed); "ขอ" + who is asked to change (a wish, a complaint); a question only in the
complaint channel (no complaint); "อยากรู้…อะไรบ้าง" (no complaint); a fear at first answered by the right's coverage
(expectation met); an adjective said twice in an expectation answer (a hope); a few words with no problem in an
expectation answer (a hope); the hospital wished to stay with its people (praise)."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.features import split_glued
from nlp.normalize import normalize_text
from nlp.severity import assess


def _topics(analyzer: Analyzer, text: str, question: str) -> set[str]:
    return {t.code for t in analyzer.analyse(text, question=question).topics}


# --- topics named without the lexicon's phrase (positives fail on the branch point, main at 601231d) ---

NAMED = [
    # the service's steps told unclearly, sent from one building to another and back
    ("พนักงานบอกขั้นตอนไม่เคลียร์เลย", "dissatisfaction", "process", "communication"),
    ("จนท.บอกให้ไปตึก 3 พอถึงตึก 3 บอกให้กลับไปตึก 1", "complaint", "process", None),
    # staff gone from their post, a visit booked and not made, staff asked to come to the health post, turnover with
    # the clinic named after "ที่"
    ("กดกริ่งแล้วพยาบาลหายไปไหนหมดก็ไม่รู้", "dissatisfaction", "staffing", "clinical_care"),
    ("พยาบาลนัดไว้ว่าจะมาล้างแผลที่บ้านวันพุธ แล้วก็ไม่มา", "complaint", "staffing", None),
    ("น่าจะมีหมอตามาที่ รพ.สต. บ้าง", "improvement", "staffing", None),
    ("หมอที่แผนกกระดูกเปลี่ยนบ่อยมาก", "dissatisfaction", "staffing", None),
    # seats asked for without "มี", furniture broken
    ("เพิ่มม้านั่งหน้าห้องยาด้วย", "improvement", "environment", None),
    ("ราวจับข้างเตียงหัก ยายลุกเองไม่ได้", "complaint", "environment", None),
    ("ไม้กั้นเตียงชำรุดมาหลายวัน", "complaint", "environment", None),
    # how to take a drug not told: the drug, beside the telling
    ("หมอไม่บอกว่าต้องกินก่อนหรือหลังอาหาร", "dissatisfaction", "medication", None),
    ("หมอไม่บอกว่าต้องกินก่อนหรือหลังอาหาร", "dissatisfaction", "communication", None),
    # faster than elsewhere
    ("ตรวจเร็วกว่าคลินิกแถวบ้านอีกค่ะ", "message", "waiting", None),
    # a sign named with where it should lead; lost on the way is getting around, not a wandering patient
    ("ป้ายไปห้องฟันไม่ชัดเลย เดินหลงสองรอบ", "complaint", "parking_access", "safety_privacy"),
]


@pytest.mark.parametrize(("text", "question", "code", "not_code"), NAMED)
def test_topic_named_without_the_lexicon_phrase(
    analyzer: Analyzer, text: str, question: str, code: str, not_code: str | None
) -> None:
    found = _topics(analyzer, text, question)
    assert code in found, found
    if not_code is not None:
        assert not_code not in found, found


QUIET_TOPICS = [
    # a warning sign on a wet floor is no sign for the way
    ("ห้องน้ำพื้นเปียก ไม่มีป้ายเตือน ยายเกือบล้ม", "complaint", "parking_access"),
    # a belonging not found again is no way lost
    ("ลืมแว่นไว้ที่ห้องตรวจ กลับไปหาไม่เจอแล้วค่ะ", "complaint", "parking_access"),
    # a wait blamed on one nurse stays the staffing's ("รอเป็นชม." is not the new "nearly an hour")
    ("พยาบาลเวรดึกมีคนเดียว กดกริ่งรอเป็นชม.", "dissatisfaction", "waiting"),
    # a surgery's preparation explained well stays communication, no process
    ("พยาบาลอธิบายขั้นตอนก่อนผ่าตัดชัดเจนดีค่ะ", "message", "process"),
    # nothing to report
    ("ไม่มีค่ะ", "dissatisfaction", "staffing"),
]


def test_a_patient_who_did_not_come_is_no_staffing_frame() -> None:
    from nlp.frames import frame_topics

    assert "staffing" in frame_topics(normalize_text("หมอนัดไว้ว่าจะมาตรวจที่บ้าน แล้วก็ไม่มา"))
    assert "staffing" not in frame_topics(normalize_text("หมอนัดไว้ แต่คนไข้ไม่มาเอง"))


@pytest.mark.parametrize(("text", "question", "code"), QUIET_TOPICS)
def test_look_alikes_do_not_tag_the_topic(analyzer: Analyzer, text: str, question: str, code: str) -> None:
    assert code not in _topics(analyzer, text, question)


def test_steps_told_unclearly_are_process_not_communication(analyzer: Analyzer) -> None:
    a = analyzer.analyse("อยากให้อธิบายขั้นตอนให้ชัดกว่านี้ งงว่าต้องไปห้องไหนก่อน", question="improvement")
    codes = {t.code for t in a.topics}
    assert "process" in codes and "communication" not in codes, codes


# --- sentiment and complaint ---------------------------------------------------------------------------------------

SENTIMENT = [
    # a hope that next time will not be like this: this time it was (neg, a complaint)
    ("ครั้งต่อไปขอให้ไม่ต้องยืนรอนานขนาดนี้นะคะ", "message", "neg", True),
    ("ขอให้รอบหน้าไม่ต้องเดินไปมาหลายตึกขนาดนี้", "improvement", "neg", True),
    # praise, "แต่", then the fault, in the dissatisfaction answer: mixed, still a complaint (the wait told by the clock)
    ("พยาบาลน่ารัก แต่ต้องรอถึงบ่ายสาม", "dissatisfaction", "neu", True),
    # "ขอ" + who is asked to change: a wish (neutral) and a complaint
    ("ขอเจ้าหน้าที่ห้องบัตรพูดสุภาพกับคนแก่หน่อย", "expectation", "neu", True),
    # "อยากรู้…อะไรบ้าง" asks for information, not a change
    ("อยากรู้ว่าประกันสังคมตรวจฟันได้อะไรบ้าง", "expectation", "neu", False),
    # a fear at first, answered by the right's coverage: the expectation met
    ("ทีแรกกลัวต้องจ่ายเยอะ แต่สิทธิข้าราชการครอบคลุมทั้งหมด", "expectation", "pos", False),
    # an adjective said twice in an expectation answer asks for good ones
    ("พยาบาลสุภาพๆ", "expectation", "neu", False),
    ("หมอใจดีๆ เก่งๆ", "expectation", "neu", False),
    # a few words with no problem at all in an expectation answer: a hope
    ("เข้าใจผู้ป่วย", "expectation", "neu", False),
    # the hospital wished to stay with its people: praise, no complaint
    ("ขอให้โรงพยาบาลอยู่คู่ชาวบ้านไปนานๆนะคะ", "message", "pos", False),
]


@pytest.mark.parametrize(("text", "question", "label", "complaint"), SENTIMENT)
def test_sentiment_and_complaint(analyzer: Analyzer, text: str, question: str, label: str, complaint: bool) -> None:
    a = analyzer.analyse(text, question=question)
    assert (a.sentiment.label, a.complaint) == (label, complaint)


SENTIMENT_QUIET = [
    # praise reported twice over ("ดีมากๆ") in an expectation answer stays praise
    ("บริการดีมากๆ ได้ตามที่หวังไว้", "expectation", "pos"),
    # a hope for next time with nothing that went wrong this time
    ("ครั้งหน้าจะพาแม่มาใช้บริการอีกแน่นอน ประทับใจมากค่ะ", "message", "pos"),
    # a fear that came true is no expectation met
    ("ตอนแรกกลัวจะรอนาน แล้วก็รอนานจริงๆ ทั้งวัน", "expectation", "neg"),
    # a dissatisfaction answer with only a fault stays negative
    ("เภสัชพูดไม่เพราะ", "dissatisfaction", "neg"),
]


@pytest.mark.parametrize(("text", "question", "label"), SENTIMENT_QUIET)
def test_sentiment_look_alikes(analyzer: Analyzer, text: str, question: str, label: str) -> None:
    assert analyzer.analyse(text, question=question).sentiment.label == label


QUESTIONS_ONLY = [
    "ห้องยาเปิดถึงกี่โมงคะ",
    "จะขอประวัติการรักษาต้องเตรียมอะไรบ้าง",
    "สอบถามค่ะ ย้ายสิทธิบัตรทองมาจากเชียงใหม่ ต้องติดต่อที่ไหนครับ",
]


@pytest.mark.parametrize("text", QUESTIONS_ONLY)
def test_question_only_in_the_complaint_channel_is_no_complaint(analyzer: Analyzer, text: str) -> None:
    a = analyzer.analyse(text, question="complaint")
    assert a.sentiment.label == "neu" and not a.complaint


QUESTIONS_WITH_A_FAULT = [
    "ห้องยาปิดก่อนเวลาทุกวัน เปิดถึงกี่โมงกันแน่คะ",
    "รอมาสามชั่วโมงแล้ว อีกนานไหมคะ",
    "เบิกไม่ได้ ต้องทำยังไงครับ",
]


@pytest.mark.parametrize("text", QUESTIONS_WITH_A_FAULT)
def test_question_with_a_fault_stays_a_complaint(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyse(text, question="complaint").complaint


# --- a lay suicide attempt told by the climb ----------------------------------------------------------------------


def _sentinel(text: str) -> bool:
    norm = normalize_text(text)
    from nlp.analyzer import get_analyzer

    return assess(norm, split_glued(get_analyzer().tokenize(norm))).sentinel


@pytest.mark.parametrize(
    "text",
    [
        "น้องหนีขึ้นไปบนดาดฟ้าตึกแล้วกระโดดลงไป ตอนนี้อยู่ ICU",
        "คนไข้ปีนขึ้นระเบียงชั้น 4 แล้วโดดลงมาตอนตีสอง",
    ],
)
def test_jump_after_the_climb_is_sentinel(analyzer: Analyzer, text: str) -> None:
    assert _sentinel(text)
    assert analyzer.analyse(text, question="complaint").sentinel


@pytest.mark.parametrize(
    "text",
    [
        "เด็กๆ ขึ้นไปบนดาดฟ้าแล้วกระโดดเล่นบนเบาะ",  # play
        "ขู่ว่าจะขึ้นไปดาดฟ้าแล้วกระโดดลงมา พยาบาลห้ามไว้ทัน",  # only threatened
        "ช่างขึ้นไปบนหลังคาซ่อมแอร์ แล้วลงมาทางบันได",  # no jump
    ],
)
def test_climb_look_alikes_are_not_sentinel(analyzer: Analyzer, text: str) -> None:
    assert not analyzer.analyse(text, question="complaint").sentinel
