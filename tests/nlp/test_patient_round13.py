"""Round 13, helper nlp-r13pat (tune32's patient lines, ex heldout11): each family read from tune32's errors, with
texts phrased unlike its lines and look-alikes that must stay quiet.

Sentinel: the healthy or the other side operated, a stranger carrying the writer's baby out of the ward; look-alikes
— a disease feared "เป็นโรค…", an illness cured and thanked, insects slapped, "เกือบตาย" operated on at once and thanked.
Complaint: a question asked in clauses, a worried question about what to do next.
Topics: the patient's dialect spoken, slowly for the old, a name called too fast, the condition phoned, the film shown
(communication); a prisoner treated like others (staff_behavior); recovery hoped for, a bone knit, a cast swelling,
care to the end (clinical_care); results out quickly, "ชั่วโมงนึ่ง" (waiting); the price paid for real, "พรบ"
(cost_rights); rice shops (food); a lone guard, a doctor who did not come in (staffing); walked through, a wheelchair
lifted to the car (parking_access); a prisoner's relatives refused a visit (process); a room too small (environment);
a road crash is no fall in the hospital.
Sentiment: an expectation met now, a feared burden that did not come, a scare that ended well praised in a message, a
sentinel inside thanks (mixed), a change with its purpose (a suggestion), a look denied its thoroughness."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.features import split_glued
from nlp.normalize import normalize_text
from nlp.severity import assess


def _topics(analyzer: Analyzer, text: str, question: str) -> set[str]:
    return {t.code for t in analyzer.analyse(text, question=question).topics}


# --- sentinel -------------------------------------------------------------------------------------------------------
FLAGGED = [
    # the booked side named, then the other one operated; the side that was fine operated
    ("นัดลอกต้อตาขวาไว้ แต่หมอไปผ่าตาซ้ายให้แม่ ตอนนี้ตาซ้ายมัว", "complaint"),
    ("หมอผ่าตาข้างที่ไม่ได้เป็นต้อ ยายร้องไห้ทั้งวันเลยค่ะ", "complaint"),
    # a stranger told by who he is, carrying the writer's child out of the ward
    ("มีผู้ชายแปลกๆ อุ้มหลานเราออกไปจากวอร์ดเด็ก พยาบาลวิ่งตามไปเจอที่ลานจอดรถ", "complaint"),
]
QUIET = [
    # the parent carries the own baby out: no stranger
    ("แม่อุ้มลูกเราออกไปจากห้องคลอดเองค่ะ ขอบคุณพยาบาลทุกคน", "compliment"),
    # a disease feared, named as one
    ("แมวจรข่วนขา กังวลว่าจะเป็นโรคพิษสุนัขบ้า ต้องไปฉีดยาไหมครับ", "complaint"),
    # the patient's own illness, cured and thanked for
    ("ปีที่แล้วพ่อเป็นไข้เลือดออกหนัก หมอพยาบาลช่วยจนรอด วันนี้พามาตรวจตาเลยแวะมาขอบคุณ", "compliment"),
    # insects slapped all day, a bee's sting
    ("แมลงวันเยอะมากในห้องพักญาติ ตบกันทั้งวัน", "dissatisfaction"),
    ("ผมเป็นชาวสวน โดนผึ้งต่อยมา ER บวมทั้งหน้า", "complaint"),
    # nearly died in a fall outside, operated on at once, thanked
    ("ตกต้นมะพร้าวเกือบตาย หมอผ่าตัดให้ทันที ขอบคุณทีมศัลย์มากครับ", "compliment"),
]


@pytest.mark.parametrize(("text", "question"), FLAGGED)
def test_lay_sentinel_told_by_acts(analyzer: Analyzer, text: str, question: str) -> None:
    result = analyzer.analyse(text, question=question)
    assert result.sentinel, text
    assert result.complaint, text


@pytest.mark.parametrize(("text", "question"), QUIET)
def test_sentinel_look_alikes_stay_quiet(analyzer: Analyzer, text: str, question: str) -> None:
    result = analyzer.analyse(text, question=question)
    assert not result.sentinel, text
    if question == "compliment":
        assert result.sentiment.label == "pos", text
        assert not result.complaint, text


def test_a_blow_to_a_nurse_beside_insects_still_counts(analyzer: Analyzer) -> None:
    result = analyzer.analyse("ญาติเตียงข้างๆตบหน้าพยาบาลจนปากแตก ยุงก็เยอะ", question="complaint")
    assert result.sentinel


@pytest.mark.parametrize("text", [t for t, _ in FLAGGED + QUIET])
def test_r13pat_cues_keep_the_shortcut_exact(analyzer: Analyzer, text: str) -> None:
    norm = normalize_text(text)
    toks = split_glued(analyzer.tokenize(norm))
    assert assess(norm, toks) == assess(norm, toks, shortcut=False)


def test_a_sentinel_inside_thanks_is_mixed(analyzer: Analyzer) -> None:
    result = analyzer.analyse("ขอบคุณยามที่จับผู้หญิงที่อุ้มลูกเราออกจากห้องทารกไว้ได้", question="compliment")
    assert result.sentinel
    assert result.complaint
    assert result.sentiment.label == "neu"


# --- questions ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "ห้องฟัน เปิดวันเสาร์ไหมคะ",  # the clinic named, then asked
        "ลูกเฝ้าแม่ได้กี่คนคะ ต้องใช้บัตรอะไรบ้าง",  # two questions
        "มีรถไปส่งคนไข้ล้างไตที่ รพ. ไหมคะ",  # a short piece of the same clause
        # a worried question: what happened, then what to do next
        "ผ่าไส้ติ่งมาสามวัน แผลแดงๆ ต้องกลับไปให้หมอดูไหมคะ",
        "ลูกกินยาน้ำแล้วอาเจียนออกมาหมด ต้องให้กินใหม่ไหมคะ",
    ],
)
def test_questions_voice_no_grievance(analyzer: Analyzer, text: str) -> None:
    result = analyzer.analyse(text, question="complaint")
    assert not result.complaint, text
    assert result.sentiment.label == "neu", text


@pytest.mark.parametrize(
    "text",
    [
        "ห้องบัตรปิดเร็วทุกวัน เปิดถึงกี่โมงกันแน่คะ",  # a fault told before the question
        "หมอไม่ยอมดูแผล แผลแดงมาก ต้องไปรพ.อื่นไหมคะ",  # a fault beside the worry
        "รับยามาไม่ครบ บ้านไกลมาก จะให้ทำยังไงคะ",  # exasperation, not a question
    ],
)
def test_questions_with_a_fault_stay_complaints(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyse(text, question="complaint").complaint, text


# --- topics named without the lexicon's phrase ----------------------------------------------------------------------
NAMED = [
    ("หมอเว้าอีสานกับยาย ยายฟังเข้าใจหมด", "compliment", "communication"),
    ("อยากให้มีพยาบาลแหลงมลายูได้สักคน", "improvement", "communication"),
    ("พยาบาลโทรบอกอาการยายให้ลูกๆทุกวัน", "message", "communication"),
    ("ห้องบัตรเรียกชื่อเร็วมาก คนแก่ได้ยินไม่ทัน", "dissatisfaction", "communication"),
    ("หมอเอาฟิล์มปอดมาให้ดูเลยว่าดีขึ้น", "compliment", "communication"),
    ("ลูกผมเป็นผู้ต้องขัง แต่ทุกคนดูแลเหมือนคนไข้คนอื่นเลย", "compliment", "staff_behavior"),
    ("ขอให้หายอื้อเร็วๆ จะได้กลับไปออกเรือ", "expectation", "clinical_care"),
    ("เข้าเฝือกขามาวันนึง ปลายเท้าเขียวๆ", "complaint", "clinical_care"),
    ("หมอบอกกระดูกต่อกันดีแล้ว ดีใจมาก", "message", "clinical_care"),
    ("ขอบคุณทีมประคับประคองที่ดูแลยายจนจากไป อบอุ่นกับลูกหลานทุกคน", "message", "clinical_care"),
    ("อยากให้ผลแล็บออกไว ก็ออกไวจริง มีคนอธิบายให้ด้วย", "expectation", "waiting"),
    ("ป้ายหน้าคลินิกบอก 800 จ่ายจริง 1,200 ไม่มีใครแจ้ง", "complaint", "cost_rights"),
    ("เคลมพรบ.ยุ่งยากมาก", "dissatisfaction", "cost_rights"),
    ("ตอนกลางคืนมี รปภ. อยู่คนเดียวทั้งตึก", "complaint", "staffing"),
    ("นัดแล้วหมอไม่เข้าตรวจ ให้กลับบ้าน", "dissatisfaction", "staffing"),
    ("น้องจิตอาสาคอยพาเดินไปทุกแผนก", "compliment", "parking_access"),
    ("ไม่ให้ญาตินักโทษเข้าเยี่ยมเลยค่ะ", "dissatisfaction", "process"),
    ("หมอใจดีค่ะ ติดตรงห้องรอญาติแคบ นั่งไม่พอ", "dissatisfaction", "environment"),
]


@pytest.mark.parametrize(("text", "question", "code"), NAMED)
def test_topics_named_another_way(analyzer: Analyzer, text: str, question: str, code: str) -> None:
    assert code in _topics(analyzer, text, question), text


@pytest.mark.parametrize(
    ("text", "question", "absent"),
    [
        ("ทุกคนดูแลเหมือนคนไข้ทั่วไป ไม่ต้องมีเส้น", "compliment", "staff_behavior"),  # nobody looked down on
        ("พ่อจากไปอย่างสงบ ขอบคุณทุกคนที่ใจดีกับครอบครัว", "compliment", "clinical_care"),  # an end, no care told
        ("อยากให้เรียกคิวไวๆ คนแก่นั่งนาน", "expectation", "communication"),  # the speed of the queue
        ("อยากได้ใบรับรองแพทย์ภายในวันเดียว", "expectation", "waiting"),
        ("ค่า MRI บอก 8,000 แต่ bill จริง 12,500 no one explained", "complaint", "communication"),
        ("ล้มรถตอนฝนตก มาเย็บแผลที่ ER พยาบาลเก่งมาก", "compliment", "safety_privacy"),  # a road crash
        ("ได้ห้องพิเศษสมกับที่รอคอยค่ะ", "expectation", "waiting"),  # worth the wait
        ("รปภ.ช่วยยกวีลแชร์ลงรถให้แม่", "message", "staff_behavior"),  # getting around
    ],
)
def test_look_alikes_tag_no_topic(analyzer: Analyzer, text: str, question: str, absent: str) -> None:
    assert absent not in _topics(analyzer, text, question), text


def test_a_wheelchair_lifted_is_getting_around(analyzer: Analyzer) -> None:
    assert "parking_access" in _topics(analyzer, "รปภ.ช่วยยกวีลแชร์ลงรถให้แม่", "message")


# --- sentiment ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "หวังว่าจะกลับไปทำสวนได้ ตอนนี้ขึ้นต้นยางได้แล้วครับ",  # met now
        "กลัวว่าจะต้องจ่ายเงินเอง แต่สิทธิบัตรทองครอบคลุมหมดเลยค่ะ",  # a feared burden that did not come
    ],
)
def test_an_expectation_met_is_praise(analyzer: Analyzer, text: str) -> None:
    result = analyzer.analyse(text, question="expectation")
    assert result.sentiment.label == "pos", text
    assert not result.complaint, text


@pytest.mark.parametrize(
    "text",
    [
        "กลัวจะรอนาน แต่ก็รอนานจริงๆ",  # the fear came true
        "คาดว่าจะมีหมอพอ แต่วันนี้มีหมอคนเดียว",  # a hope not met
    ],
)
def test_an_expectation_not_met_is_no_praise(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyse(text, question="expectation").sentiment.label != "pos", text


def test_a_scare_that_ended_well_is_praise_in_a_message(analyzer: Analyzer) -> None:
    result = analyzer.analyse("ล้มรถตอนเลิกงาน หน้าแตก หมอเวรเย็บแผลให้ทันที ฝีมือดีมาก ตอนนี้แทบไม่มีแผลเป็น", question="message")
    assert result.sentiment.label == "pos"
    assert not result.complaint
    assert "safety_privacy" not in {t.code for t in result.topics}


def test_done_in_half_a_day_is_no_wait_complained_of(analyzer: Analyzer) -> None:
    result = analyzer.analyse("พาคนงานสิบคนมาตรวจสุขภาพ เสร็จครึ่งวัน ขอบคุณค่ะ", question="compliment")
    assert result.sentiment.label == "pos"
    assert not result.complaint


def test_a_change_with_its_purpose_is_a_suggestion(analyzer: Analyzer) -> None:
    result = analyzer.analyse("แยกช่องรับยาเด็กออกมา จะได้ไม่ต้องรอนาน", question="improvement")
    assert result.sentiment.label == "neu"
    assert result.complaint


def test_a_look_denied_its_thoroughness_is_a_fault(analyzer: Analyzer) -> None:
    result = analyzer.analyse("หมอส่องคอแป๊บเดียว ไม่ได้ดูละเอียดเลย", question="dissatisfaction")
    assert result.sentiment.label == "neg"
    assert result.complaint
