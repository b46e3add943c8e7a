"""Patient answers, round 9 (issue 14, tune20's patient lines, heldout7 retired): praise opened as a case, the
"nothing" clause read into the next, Isan negation and praise, well-wishing read as neutral, and topics named
without the lexicon's phrase. Written as patients type on a phone, phrased unlike tune20's lines."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.normalize import normalize_text, normalize_text_reference
from tests.support import codes


# A harm or procedure word inside plain praise ("ปลอดภัย", "อัมพฤกษ์", "ผ่าตัด", "refer") is what the care overcame:
# no case is opened for it, whatever the question.
@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("ขอบคุณหมอที่ทำคลอดให้นะคะ ลูกปลอดภัยแข็งแรง", "compliment"),
        ("ขอบคุณนักกายภาพ ยายลุกเดินได้แล้วหลังเป็นอัมพฤกษ์ครึ่งปี", "message"),
        ("มา รพ. นี้ทีไรรู้สึกปลอดภัยดีค่ะ", "expectation"),
        ("ขอบคุณคุณหมอที่ผ่าตัดให้พ่อนะคะ ตอนนี้หายดี", "improvement"),
    ],
    ids=["delivery", "paresis", "safe", "surgery"],
)
def test_harm_word_in_praise_opens_no_case(analyzer: Analyzer, text: str, question: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert r.sentiment.label == "pos", r.details
    assert not r.complaint


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("ขอบคุณพยาบาลที่ช่วยนะคะ แต่แม่เสียชีวิตเพราะได้ยาผิด", "compliment"),
        ("ลูกคลอดออกมาตัวเขียว ต้องย้ายเข้าไอซียู", "message"),
    ],
    ids=["death-after-thanks", "harm-told"],
)
def test_harm_told_is_still_a_case(analyzer: Analyzer, text: str, question: str) -> None:
    assert analyzer.analyse(text, question=question).complaint


# A price asked about a procedure is a question about cost, not an event.
def test_price_question_is_cost_and_no_case(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ผ่าคลอดค่าใช้จ่ายราวๆเท่าไรครับ", question="message")
    assert "cost_rights" in codes(r)
    assert not r.complaint
    lab = analyzer.analyse("หมอไม่เคยบอกเลยว่าค่าน้ำตาลเท่าไหร่", question="complaint")
    assert "cost_rights" not in codes(lab)  # a lab value is no price


# A question that starts with a verb of the service ("ทำฟัน…", "ทำบัตร…") asks, it does not wish for a change.
@pytest.mark.parametrize("text", ["ทำฟันเบิกบัตรทองได้มั้ยคะ", "ทำบัตรใหม่ต้องใช้อะไรบ้างครับ ?"])
def test_question_starting_with_a_service_verb_is_no_wish(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="message")
    assert not r.complaint, r.details


# The "nothing" clause forms no phrase with the next one: "ไม่มี พยาบาล…" is not "ไม่มีพยาบาล" (too few nurses).
@pytest.mark.parametrize(
    "text",
    ["ไม่มี พยาบาลวอร์ดเด็กดูแลดีมาก", "ไม่มี เภสัชกรแนะนำละเอียด", "บ่มีเด้อ หมอใจดีหลาย"],
)
def test_nothing_clause_names_no_lack_of_staff(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="dissatisfaction")
    assert "staffing" not in codes(r), codes(r)
    assert r.sentiment.label == "pos" and not r.complaint


@pytest.mark.parametrize("text", ["ไม่มีค่ะ หมอไม่พอ", "ไม่มีพยาบาลเลยตอนกลางคืน"])
def test_a_lack_of_staff_is_still_heard(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="dissatisfaction")
    assert "staffing" in codes(r) and r.complaint


# "Nothing much" is nothing to report.
@pytest.mark.parametrize("text", ["ไม่มีอะไรมากค่ะ", "บ่มีหยังหลายเด้อ", "ไม่มีไรมากครับ"])
def test_nothing_much_is_nothing(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="dissatisfaction")
    assert r.sentiment.label == "neu" and not r.complaint, r.details


# "Nothing I disliked" anywhere in the answer denies the grievance word after it.
@pytest.mark.parametrize("text", ["พยาบาลน่ารัก ไม่มีอะไรที่ไม่พอใจเลย", "หมอเก่ง บ่มีหยังบ่พอใจ", "บริการดีค่ะ ไม่มีตรงไหนไม่ชอบ"])
def test_nothing_disliked_is_no_grievance(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="dissatisfaction")
    assert r.sentiment.label == "pos" and not r.complaint, r.details


def test_a_grievance_is_still_one(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ไม่พอใจที่ต้องรอนาน", question="dissatisfaction")
    assert r.sentiment.label == "neg" and r.complaint


# Isan "บ่" negates like "ไม่" ("บ่พอใจ", "บ่ดี"), and Isan praise words are praise ("แซ่บ", "คัก", "หลาย").
@pytest.mark.parametrize("text", ["บ่พอใจเลยค่ะ ห้องน้ำบ่มีน้ำ", "บ่พอใจ พยาบาลบ่ยิ้ม"])
def test_isan_negation_is_a_grievance(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="dissatisfaction")
    assert r.sentiment.label == "neg" and r.complaint, r.details


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("บ่มีเด้อ กับข้าวโรงบาลแซบคัก", "dissatisfaction"),
        ("ไม่มีค่ะ จะกลับมาใช้บริการอีกแน่นอนค่ะ", "dissatisfaction"),
        ("ข้าวต้มโรงพยาบาลแซ่บหลายเด้อ", "compliment"),  # (already praise on main: a guard)
    ],
    ids=["isan-food", "come-back", "isan-compliment"],
)
def test_praise_after_nothing_or_in_dialect(analyzer: Analyzer, text: str, question: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert r.sentiment.label == "pos" and not r.complaint, r.details


# Well-wishing and care for the staff are praise, not a wish for a change.
@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("ขอให้ได้บุญเยอะๆ นะคะ", "message"),
        ("ขอให้ทุกท่านเฮงๆ ปังๆ", "improvement"),
        ("สู้ๆนะคะ เหนื่อยก็พักผ่อนบ้างนะ", "message"),
        ("อยากให้ รพ. เจริญรุ่งเรืองยิ่งๆขึ้นไปค่ะ", "expectation"),
    ],
    ids=["merit", "luck", "rest", "prosper"],
)
def test_well_wishing_is_praise(analyzer: Analyzer, text: str, question: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert r.sentiment.label == "pos" and not r.complaint, r.details


# "No change needed" is praise, whatever it starts with.
@pytest.mark.parametrize(
    "text",
    [
        "ไม่ต้องปรับปรุงแล้วค่ะ พยาบาลน่ารักทุกคน",
        "หมอเก่ง พยาบาลใจดี ไม่ต้องปรับปรุงอะไรแล้ว",
        "ได้ยาไว ทำแผลเก่ง ดีแล้วครับ ไม่ต้องแก้ไรเลย",
    ],
)
def test_no_change_needed_is_praise(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="improvement")
    assert r.sentiment.label == "pos" and not r.complaint, r.details


def test_a_change_asked_is_still_one(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ควรปรับปรุงห้องน้ำให้สะอาดกว่านี้", question="improvement")
    assert r.complaint


# A fault of the past the writer compares with is what got better ("ปีก่อนรอเป็นชั่วโมง").
def test_a_past_wait_in_praise_is_no_fault(analyzer: Analyzer) -> None:
    r = analyzer.analyse("จ่ายยาไวขึ้นมากค่ะ เมื่อก่อนรอครึ่งวัน", question="compliment")
    assert r.sentiment.label == "pos" and not r.complaint, r.details
    now = analyzer.analyse("เมื่อก่อนก็ดี แต่ตอนนี้รอนานมาก", question="dissatisfaction")
    assert now.sentiment.label == "neg" and now.complaint


# An expectation met told by saying it again ("…ก็ใจดีจริงๆค่ะ"); "…ก็ดี" as a wish is not met.
def test_expectation_met_by_repeating_it(analyzer: Analyzer) -> None:
    r = analyzer.analyse("หวังว่าพยาบาลจะใจดี ก็ใจดีจริงค่ะ", question="expectation")
    assert r.sentiment.label == "pos", r.details
    wish = analyzer.analyse("อยากให้หมอฟังปอดด้วยก็ดี", question="expectation")
    assert wish.sentiment.label == "neu"


# Wishing to get well names no care that was judged.
@pytest.mark.parametrize("text", ["อยากหายเร็วๆจะได้ไปเลี้ยงหลาน", "ขอให้หายไวๆค่ะ", "หวังว่าจะหายไวๆนะคะ"])
def test_wish_to_get_well_has_no_topic(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="expectation")
    assert "clinical_care" not in codes(r), r.topics


# A wait told by its hours "nearly killed" the writer: a figure of speech, not a sentinel event.
def test_a_long_wait_that_nearly_killed_is_no_sentinel(analyzer: Analyzer) -> None:
    r = analyzer.analyse("นั่งรอตั้งแต่ 7 โมงถึงเที่ยงครึ่ง เกือบตายค่ะ", question="complaint")
    assert not r.sentinel, r.details["severity_reasons"]
    real = analyzer.analyse("แม่หายใจไม่ออกเกือบตาย เรียกพยาบาลก็ไม่มา", question="complaint")
    assert real.sentinel


# Thanks glued to a title ("ขอบคุณหมอ…") is cut as thanks and whom, not "ขอบ" + "คุณหมอ".
def test_thanks_glued_to_a_title(analyzer: Analyzer) -> None:
    assert analyzer.tokenize("ขอบคุณหมอมากค่ะ")[:2] == ["ขอบคุณ", "หมอ"]
    r = analyzer.analyse("ขอบคุณพยาบาลเวรดึกที่ดูแลแม่ค่ะ", question="message")
    assert r.sentiment.label == "pos" and not r.complaint


def test_thanks_before_a_suggestion_keeps_it(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ขอบคุณหมอค่ะ แนะนำว่าน่าจะมีที่นั่งรอหน้าห้องแล็บเพิ่ม")
    assert r.complaint


# Topics named without the lexicon's phrase.
@pytest.mark.parametrize(
    ("text", "question", "topic"),
    [
        ("รพ.สต.อยู่ใกล้ ไปมาสะดวกดีค่ะ", "message", "parking_access"),
        ("จอดรถง่ายมากค่ะ", "compliment", "parking_access"),
        ("ขอบคุณพี่ อสม. ที่พายายไปส่งโรงพยาบาลตอนตีสอง", "compliment", "parking_access"),
        ("พนักงานขับรถพยาบาลขับนิ่มมาก แม่ไม่เวียนหัวเลย", "compliment", "parking_access"),
        ("พี่คนขับรถ refer ขับนิ่มมาก", "compliment", "parking_access"),
        ("พยาบาลห้องคลอดสอนหายใจตอนเจ็บท้อง ดีมาก", "compliment", "communication"),
        ("ผลเลือดพ่อออกหรือยังครับ", "message", "communication"),
        ("เภสัชอธิบายวิธีกินยาละเอียดมาก", "compliment", "medication"),
        ("เภสัชอธิบายวิธีกินยาละเอียดมาก", "compliment", "communication"),
        ("สอนพ่นยาจนแม่ทำเองได้", "compliment", "medication"),
        ("เภสัชสอนวิธีพ่นยาจนยายทำได้", "compliment", "medication"),
        ("คุณหมอช่วยลูกไว้ได้ทันจริงๆ ขอบคุณค่ะ", "compliment", "clinical_care"),
        ("นวดแผนไทยแล้วหายปวดเอวเลยค่ะ", "message", "clinical_care"),
        ("ขอบคุณหมอนวด หายปวดหลังแล้ว", "message", "clinical_care"),
    ],
)
def test_topics_named_without_the_lexicons_phrase(analyzer: Analyzer, text: str, question: str, topic: str) -> None:
    assert topic in codes(analyzer.analyse(text, question=question))


# A district's name is no judgement of cleanliness.
def test_a_place_name_is_no_cleanliness(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ขอบคุณหมอ รพ.สต.โนนสะอาดที่มาเยี่ยมบ้านค่ะ", question="message")
    assert "environment" not in codes(r)
    dirty = analyzer.analyse("ห้องน้ำ รพ.สต. ไม่สะอาดเลย", question="dissatisfaction")
    assert "environment" in codes(dirty)


# Spelling variants read as the word (one entry in the normaliser's typo table, not variants in many rules).
@pytest.mark.parametrize(
    ("typed", "word"),
    [("ขอบคุนมากค่ะ", "ขอบคุณมากค่ะ"), ("ห้องน้ำสกปกมาก", "ห้องน้ำสกปรกมาก"), ("ตึกไหม่", "ตึกใหม่"),
     ("โทรสับไม่มีคนรับ", "โทรศัพท์ไม่มีคนรับ"), ("แพทไม่พอ", "แพทย์ไม่พอ"), ("แพทย์ใจดี", "แพทย์ใจดี")],
)  # fmt: skip
def test_typo_table(typed: str, word: str) -> None:
    assert normalize_text(typed) == word == normalize_text_reference(typed)


def test_typoed_doctor_is_heard(analyzer: Analyzer) -> None:
    r = analyzer.analyse("แพทมีน้อย คนไข้เยอะ", question="dissatisfaction")
    assert "staffing" in codes(r)


# Words of a sentinel list used for something else in patient lines: the rescue unit by name, drugs that "fight"
# (interact), prices that "rob", "ให้ สื่อสาร" (communicate), and a patient photographed and posted (a privacy
# breach) with no sign that it went public.
@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("ขอบคุณทีมกู้ชีพค่ะ มารับพ่อถึงบ้านภายในสิบนาที", "compliment"),
        ("โทรเรียกกู้ชีพ 1669 ไม่ถึงสิบห้านาทีก็มา ประทับใจ", "message"),
        ("เภสัชดูให้ว่ายาที่กินอยู่ตัวไหนตีกันบ้าง ขอบคุณมากค่ะ", "compliment"),
        ("ค่าห้องคืนละ 5 พัน ยังกับปล้น", "dissatisfaction"),
        ("มีพยาบาลพูดภาษาเขมรได้ คอยแปลให้ สื่อสารง่ายขึ้นเยอะ", "message"),
        ("มีคนแอบถ่ายรูปยายตอนเปลี่ยนผ้าอ้อมแล้วเอาไปลงเฟสค่ะ", "complaint"),
        ("ขอบคุณเจ้าหน้าที่ที่ช่วยเรื่องเอกสารการเสียชีวิตของแม่ให้เสร็จเร็ว", "compliment"),
    ],
    ids=[
        "rescue-team", "rescue-1669", "drugs-interact", "price-robbery", "communicate", "photo-posted", "death-papers",
    ],
)
def test_sentinel_words_used_for_something_else(analyzer: Analyzer, text: str, question: str) -> None:
    r = analyzer.analyse(text, question=question)
    assert not r.sentinel, r.details["severity_reasons"]


@pytest.mark.parametrize(
    "text",
    [
        "ทีมกู้ชีพมาถึงพ่อหยุดหายใจแล้ว ต้องปั๊มหัวใจในรถ",
        "ญาติสองฝ่ายตีกันหน้าห้องฉุกเฉิน หัวแตกเย็บหลายเข็ม",
        "โดนปล้นกระเป๋าที่ลานจอดรถ แจ้งตำรวจแล้ว",
        "ถ่ายรูปแม่ลงเฟสแล้วคนแชร์เป็นพัน นักข่าวโทรมาถาม",
    ],
    ids=["rescue-cpr", "fight", "robbery", "went-public"],
)
def test_the_events_themselves_stay_sentinel(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyse(text, question="complaint").sentinel


# The same without a question (a message from the older sets, or one the flows pass on its own).
@pytest.mark.parametrize(
    "text", ["ขอบคุณหมอตาที่ผ่าตัดให้ยาย ตอนนี้อ่านหนังสือได้แล้ว", "ทีมห้องคลอดเก่งมาก ลูกคลอดปลอดภัยค่ะ"]
)
def test_harm_word_in_praise_without_a_question(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text)
    assert r.sentiment.label == "pos" and not r.complaint, r.details


def test_harm_told_without_a_question_is_a_case(analyzer: Analyzer) -> None:
    assert analyzer.analyse("ผ่าตัดตาแล้วติดเชื้อ ตาบอดข้างหนึ่ง").complaint


# Told by the clock or by who said nothing: the doctor came at an hour (staffing), the wait from one hour to
# another (waiting), nobody told why (communication), a kept appointment, round-the-clock opening and a counter of
# their own for the elderly (process).
@pytest.mark.parametrize(
    ("text", "question", "topic"),
    [
        ("นัดไว้แปดโมง คุณหมอมาถึง 10 โมงกว่า", "complaint", "staffing"),
        ("มาถึงตั้งแต่ 7 โมง ได้เจอหมอตอนบ่ายสาม", "dissatisfaction", "waiting"),
        ("ไม่มีคนบอกเลยว่าห้องตรวจย้ายไปตึกใหม่", "complaint", "communication"),
        ("คลินิกเด็กเปิดตลอด 24 ชั่วโมงมั้ยคะ", "message", "process"),
        ("ได้พบหมอตรงเวลานัดเป๊ะ ประทับใจ", "compliment", "process"),
        ("ควรมีจุดบริการสำหรับคนพิการ", "improvement", "process"),
    ],
)
def test_told_by_the_clock_or_by_silence(analyzer: Analyzer, text: str, question: str, topic: str) -> None:
    assert topic in codes(analyzer.analyse(text, question=question))


def test_a_right_not_told_is_cost_not_communication(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ไม่มีใครบอกเลยว่าสิทธิ์ประกันสังคมใช้ที่นี่ไม่ได้", question="complaint")
    assert "communication" not in codes(r) and "cost_rights" in codes(r)
