"""Patient answers, round 11 (issue 14, tune25's 280 patient lines, heldout9 retired): lay sentinel events told by
what happened (a fire that spread, a death told by who is left, a self-harm act, the healthy side operated), harm
hints that were no harm (a disability the writer lives with, what a child was brought in with, a bare "ปลอดภัย"),
"หมอออก" kept whole by the normaliser, praise and wishes read in context, and topics named without the lexicon's
phrase. Written as patients and relatives type on a phone, phrased unlike tune25's lines, each family with
look-alikes that must stay quiet."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.normalize import normalize_text, normalize_text_reference
from tests.support import codes

# --- Lay sentinel events told by what happened ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a fire that spread, or one the extinguisher could not put out, or patients run out of the ward
        "ไฟลามจากปลั๊กพ่วงไปติดม่าน พยาบาลเอาถังดับเพลิงมาฉีด ควันเต็มทางเดิน",
        "ปลั๊กตู้เย็นไหม้ค่ะ ถังดับเพลิงหน้าห้องก็ฉีดไม่ออก ต้องวิ่งไปเอาอีกถังชั้นล่าง",
        # a death told by who is left without whom, or by a rescue that came too late
        "น้องคลอดได้แค่วันเดียว ตอนนี้หลานไม่มีแม่แล้วค่ะ ไม่มีใครมาอธิบายอะไรเลย",
        "พ่อเข้าห้องฉุกเฉินตอนเช้า บ่ายก็ต้องเสียพ่อไป ทั้งที่บอกพยาบาลแล้วว่าเจ็บหน้าอก",
        "ยายหายใจแรงๆอยู่ครึ่งคืนไม่มีใครมาดู พอหมอมาถึงก็ช่วยชีวิตไม่ทันแล้ว",
        # a self-harm act told by what was done
        "พ่อใช้สายออกซิเจนรัดคอตัวเองตอนตีสาม ไม่มีใครเฝ้าเลยทั้งที่บอกแล้วว่าพ่อซึมเศร้า",
        "น้องชายเอามีดโกนเชือดข้อมือตัวเองในห้องน้ำตึกจิตเวช เจ้าหน้าที่ไม่ได้เก็บของมีคมออก",
        # the healthy side operated, or the wound found on the other side
        "นัดผ่าเท้าขวา ออกมาผ้าพันแผลอยู่ที่เท้าซ้ายค่ะ ใครจะรับผิดชอบ",
        "มือซ้ายที่ดีๆโดนผ่าไปแทน ส่วนมือขวาที่ชาก็ยังไม่ได้ทำ",
    ],
    ids=["fire-spread", "extinguisher-failed", "left-without-mother", "lost-father", "rescue-too-late",
         "ligature", "self-cut", "bandage-other-side", "healthy-hand-operated"],
)  # fmt: skip
def test_lay_sentinel_told_by_what_happened(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="complaint")
    assert r.sentinel, r.details["severity_reasons"]
    assert r.complaint


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("ปลั๊กไหม้นิดเดียว พยาบาลใช้ถังดับเพลิงฉีดดับทัน ไม่ลาม", "complaint"),
        ("ลิฟต์เสียทั้งวัน ต้องพาคนไข้เดินลงบันไดเอง", "complaint"),
        ("หมอบอกว่าถ้ามาช้ากว่านี้คงช่วยไม่ทัน ขอบคุณทีมฉุกเฉินมากค่ะ", "compliment"),
        ("เกือบช่วยไม่ทัน แต่ตอนนี้แม่ปลอดภัยแล้ว ขอบคุณหมอมาก", "compliment"),
        ("ลูกไม่มีแม่มาเฝ้าเพราะแม่ทำงาน พยาบาลช่วยดูให้ตลอด", "message"),
        ("ยายใส่ผ้าพันคอทั้งวัน แอร์ในวอร์ดหนาวมาก", "dissatisfaction"),
        ("สายน้ำเกลือพันคอลูกตอนนอนดิ้น พยาบาลมาแก้ให้ทัน", "message"),
        ("ลุงพูดว่าจะผูกคอตัวเอง ญาติเลยขอให้ย้ายไปห้องใกล้เคาน์เตอร์", "message"),
        ("ผ่าเข่าขวาไปเมื่อปีก่อน ปีนี้มาผ่าเข่าซ้ายต่อ หายดีทั้งสองข้าง", "compliment"),
        ("ผ่าตาขวาเสร็จ แผลหายดี ตาซ้ายที่ดีอยู่ก็ยังมองชัด", "message"),
        # someone else's result handed out is a privacy slip, not another person's blood
        ("ไปรับผลตรวจ เจ้าหน้าที่ให้ผลเลือดของคนอื่นมา ชื่อไม่ใช่เรา", "complaint"),
    ],
    ids=["small-fire-put-out", "stairs-lift-broken", "rescue-feared", "nearly-too-late", "mother-at-work",
         "scarf", "line-tangled", "ligature-talk", "two-knees-planned", "healthy-eye-fine", "someone-elses-result"],
)  # fmt: skip
def test_look_alikes_are_not_sentinel(analyzer: Analyzer, text: str, question: str) -> None:
    assert not analyzer.analyse(text, question=question).sentinel


def test_someone_elses_result_is_privacy_and_anothers_blood_stays_sentinel(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ไปรับผลตรวจ เจ้าหน้าที่ให้ผลเลือดของคนอื่นมา ชื่อไม่ใช่เรา", question="complaint")
    assert "safety_privacy" in codes(r) and r.sentiment.label == "neg"
    assert analyzer.analyse("พยาบาลให้เลือดของคนอื่นกับแม่ แม่หนาวสั่นทั้งคืน", question="complaint").sentinel


# --- Harm hints that were no harm ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "question"),
    [
        # a disability the writer lives with
        ("ผมตาบอดครับ อยากให้มีคนช่วยพาไปห้องตรวจ", "expectation"),
        ("ดิฉันหูหนวก พยาบาลเขียนใส่กระดาษให้อ่านทุกครั้ง ขอบคุณค่ะ", "message"),
        # what a child or a parent was brought in with
        ("พาแม่มาห้องฉุกเฉินเพราะอาเจียนทั้งคืน พยาบาลดูแลดีมาก", "compliment"),
        ("ตีสองพาหลานมา ER ชักตัวเกร็ง หมอรีบมาดูทันที ขอบคุณค่ะ", "message"),
        # "safe" as a quality hoped for or praised, nothing happened
        ("สะอาด ปลอดภัย เป็นกันเอง", "expectation"),
    ],
    ids=["blind-writer", "deaf-writer", "brought-vomiting", "brought-seizing", "safe-hoped-for"],
)
def test_no_harm_hint_where_nothing_happened(analyzer: Analyzer, text: str, question: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert r.severity_hint is None, r.details["severity_reasons"]


@pytest.mark.parametrize(
    "text",
    [
        "ลูกผมหูหนวกหลังได้ยาฉีดที่วอร์ดนี้",  # a relative's disability after a drug: harm
        "ฉีดยาแก้ปวดแล้วแม่อาเจียนไม่หยุด",  # a symptom after care, not brought in with
        "พ่อตกเตียงตอนกลางคืน แต่ปลอดภัย",  # a fall that reached the patient
    ],
    ids=["deaf-after-drug", "vomiting-after-jab", "fall-but-safe"],
)
def test_harm_hint_kept_where_an_event_is_told(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyse(text, question="complaint").severity_hint is not None


def test_brought_in_and_praised_is_praise_not_a_case(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ตีสองพาหลานมา ER ชักตัวเกร็ง หมอรีบมาดูทันที ขอบคุณค่ะ", question="message")
    assert r.sentiment.label == "pos" and not r.complaint
    assert "waiting" in codes(r)  # seen at once


# --- The normaliser keeps a word ending in "อ" before "ออก" --------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("หมอออกตรวจสายทุกวัน", "หมอออกตรวจสายทุกวัน"),
        ("พ่อเหงื่อออกท่วมตัว", "พ่อเหงื่อออกท่วมตัว"),
        ("ขอออกใบรับรองแพทย์", "ขอออกใบรับรองแพทย์"),
        ("รอออออ นานมาก", "รอ นานมาก"),  # a stretched letter still collapses
        ("ดีมากกกก", "ดีมาก"),
    ],
)
def test_three_o_are_a_word_and_ook(typed: str, read: str) -> None:
    assert normalize_text(typed) == read
    assert normalize_text_reference(typed) == read


# --- Praise and wishes read in context ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("ขอให้โรงพยาบาลเจริญรุ่งเรืองยิ่งๆ ค่ะ", "message"),
        ("ขอบคุณพยาบาลทุกคนนะครับ เหนื่อยหน่อยนะครับ", "improvement"),
        ("staff friendly and helpful ค่ะ", "message"),
    ],
    ids=["prosperity", "sympathy", "english-friendly"],
)
def test_blessing_sympathy_and_english_praise(analyzer: Analyzer, text: str, question: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert r.sentiment.label == "pos"
    assert not r.complaint


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("ขอให้มีที่จอดรถเพิ่มอีกค่ะ", "message"),
        ("ช่วยดูแลแม่ให้ดีกว่านี้หน่อยนะคะ", "improvement"),
        ("staff rude มาก ถามอะไรก็ไม่ตอบ", "dissatisfaction"),
    ],
    ids=["wish-more-parking", "please-care-better", "english-rude"],
)
def test_wishes_and_faults_stay_complaints(analyzer: Analyzer, text: str, question: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert r.complaint and r.sentiment.label != "pos"


def test_english_praise_names_the_staff(analyzer: Analyzer) -> None:
    assert "staff_behavior" in codes(analyzer.analyse("staff friendly มาก", question="compliment"))


@pytest.mark.parametrize(
    "text",
    ["ห้องน้ำสะอาดกว่านี้", "หวังว่าจะมีห้องให้นมลูก เหมือนโรงพยาบาลอื่นเขามีกัน"],
    ids=["cleaner-than-this", "as-others-have"],
)
def test_expectation_of_more_than_they_got_asks_for_a_change(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="expectation")
    assert r.complaint
    assert r.sentiment.label != "pos"


@pytest.mark.parametrize(
    "text",
    ["ดีกว่าที่คิดไว้เยอะค่ะ", "อยากได้ข้าวต้มที่นุ่มกว่านี้", "หวังว่าจะได้ตรวจไว ไม่ต้องรอครึ่งวันเหมือนที่อื่น"],
    ids=["better-than-thought", "general-wish", "unlike-elsewhere"],
)
def test_expectation_look_alikes_ask_for_nothing(analyzer: Analyzer, text: str) -> None:
    assert not analyzer.analyse(text, question="expectation").complaint


# --- Topics named without the lexicon's phrase ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "question", "topic"),
    [
        ("เจ้าหน้าที่ตะโกนดังๆว่าใครมารับยาวัณโรค คนหันมามองหมด", "complaint", "safety_privacy"),
        ("ได้ผลตรวจของคนอื่นมาทางไลน์ แล้วผลเราไปอยู่ไหน", "complaint", "safety_privacy"),
        ("ยาส่งมาช้าไปสามวัน ยาความดันหมดพอดี", "complaint", "medication"),
        ("อินซูลินที่ส่งมาไม่มีน้ำแข็งเลยค่ะ", "complaint", "medication"),
        ("หมอนวดแผนไทยมีอยู่คนเดียวเอง", "dissatisfaction", "staffing"),
        ("พยาบาลคลินิกเบาหวานเปลี่ยนบ่อยมาก", "dissatisfaction", "staffing"),
        ("อยากให้พยาบาลมีเวลาคุยกับญาติบ้าง", "improvement", "communication"),
        ("ผมหูหนวก พยาบาลพิมพ์ในมือถือให้ดูทุกขั้นตอน", "compliment", "communication"),
        ("พยาบาลน่ารัก แต่ลานจอดรถหาไม่ได้เลย", "message", "parking_access"),
        ("อาคารเคมีบำบัดไปทางไหนคะ", "message", "parking_access"),
        ("กดกริ่งเรียกพยาบาล กว่าจะมาตั้ง 40 นาที", "complaint", "waiting"),
        ("ตรวจสุขภาพเสร็จภายใน 1 ชั่วโมง", "compliment", "waiting"),
        ("ยื่นบัตรเช้า เสร็จก่อนเที่ยง", "expectation", "waiting"),
    ],
    ids=["disease-aloud", "anothers-result", "post-late", "cold-chain", "lone-masseur", "clinic-turnover",
         "time-to-talk", "typed-for-deaf", "no-parking-found", "way-asked", "until-someone-came", "done-within",
         "done-before-noon"],
)  # fmt: skip
def test_topic_named_another_way(analyzer: Analyzer, text: str, question: str, topic: str) -> None:
    assert topic in codes(analyzer.analyse(text, question=question))


def test_way_asked_is_a_question_not_a_case(analyzer: Analyzer) -> None:
    r = analyzer.analyse("อาคารเคมีบำบัดไปทางไหนคะ", question="message")
    assert r.sentiment.label == "neu" and not r.complaint


@pytest.mark.parametrize(
    ("text", "question", "topic"),
    [
        ("ยาส่งมาช้าไปสามวัน ยาความดันหมดพอดี", "complaint", "staffing"),  # the drugs came late, not the staff
        ("อินซูลินที่ส่งมาไม่มีน้ำแข็งเลยค่ะ", "complaint", "environment"),  # ice, not the water supply
        ("เจ้าหน้าที่ตะโกนดังๆว่าใครมารับยาวัณโรค คนหันมามองหมด", "complaint", "environment"),  # no ward noise
        ("หมอนวดนวดเบามือดี ไม่เจ็บเลย", "compliment", "staffing"),
        ("ญาติเตียงข้างๆคุยเสียงดังทั้งคืน", "dissatisfaction", "safety_privacy"),
        ("ขอบคุณที่โทรมาเตือนนัดค่ะ", "message", "communication"),  # a reminder of the appointment is process
        ("พยาบาลให้แม่บอกชื่อตัวเองทุกครั้งก่อนให้ยา", "compliment", "communication"),
    ],
    ids=["post-late-no-staffing", "ice-no-water", "aloud-no-noise", "masseur-gentle", "noise-no-privacy",
         "appointment-reminder", "name-checked"],
)  # fmt: skip
def test_topic_look_alikes_stay_quiet(analyzer: Analyzer, text: str, question: str, topic: str) -> None:
    assert topic not in codes(analyzer.analyse(text, question=question))


@pytest.mark.parametrize(
    ("text", "topic"),
    [("หมอมาช้าทุกวัน", "staffing"), ("ห้องน้ำไม่มีน้ำ", "environment"), ("ญาติเตียงข้างๆคุยเสียงดังทั้งคืน", "environment")],
)
def test_the_plain_forms_still_tag(analyzer: Analyzer, text: str, topic: str) -> None:
    assert topic in codes(analyzer.analyse(text, question="dissatisfaction"))


# --- Praise and a problem only the frames heard, across "แต่" -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "question"),
    [("พยาบาลน่ารัก แต่ลานจอดรถหาไม่ได้เลย", "message"), ("หมอใจดีมาก แต่รอยาสองชั่วโมง", "dissatisfaction")],
    ids=["kind-but-no-parking", "kind-but-two-hours"],
)
def test_praise_but_a_frame_heard_problem_is_mixed(analyzer: Analyzer, text: str, question: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert r.sentiment.label == "neu" and r.complaint


@pytest.mark.parametrize(
    ("text", "question"),
    [("ห้องสะอาดดี ไม่รอนานด้วย", "message"), ("หมอใจดี แต่ที่จอดรถก็พอ", "compliment")],
    ids=["praise-and-no-wait", "but-parking-enough"],
)
def test_praise_with_no_problem_stays_praise(analyzer: Analyzer, text: str, question: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert r.sentiment.label == "pos" and not r.complaint


def test_convenient_and_fast_judges_the_speed(analyzer: Analyzer) -> None:
    tags = codes(analyzer.analyse("สะดวกรวดเร็วมากค่ะ", question="message"))
    assert "waiting" in tags and "process" not in tags
