"""Round 13, helper nlp-pat34 (tune34): patient answers from a new writer (migrant workers, deaf writers, monks, factory
workers, dialysis and psychiatric outpatients) — topics named without the lexicon's phrase, words that named a topic in
passing, and sentiment frames — each family with look-alikes that must stay quiet. Phrased unlike tune34's lines.
The positive cases fail on main at 94051bd (44 of the 60); the look-alikes guard the new rules.

Topic families: visits limited by head count, a queue screen stuck, the next step untold (process); a deaf patient
called by voice only, a drill's alarm with nobody telling (communication); a right checked or a bill paid fast
(waiting); nobody told how to take a drug, how to take it told (medication and communication); a needle put in well or
badly, a pressure brought down, a visit of minutes, "cared for well" (clinical_care); diet advice (communication, no
food); no charge made, Isan too (cost_rights); more staff told or asked for bare (staffing); a car park too narrow, a
wheelchair heard as "วิว" (parking_access); rails asked for after a slip (environment).

Quiet: "late" said of the patient, a meal or a result (no staffing); Isan "ดน" inside "โดน" (no waiting); a price board
(no way sign); a fire drill (no fire); nobody told beforehand of a price (cost_rights only); a card that introduces the
writer (no cost_rights); a queue named by what it is for (no drug); a pharmacist counted (no medication); a guard who
looks after people (manners, not care).

Sentiment and complaint: next time hoped better with "คง"/"ดีขึ้น" (neg); a hope with the last visit's fault (neg); glad of
a change made (pos, no complaint); "as I wanted" (expectation met); a wait only supposed with words between (met);
"ไม่มีอะไรคับผม" (nothing)."""

from __future__ import annotations

import pytest

from nlp import Analyzer


def _topics(analyzer: Analyzer, text: str, question: str) -> set[str]:
    return {t.code for t in analyzer.analyse(text, question=question).topics}


# --- topics named without the lexicon's phrase ---

NAMED = [
    # visits limited by head count, a queue screen stuck, the next step untold (process)
    ("วอร์ดเด็กให้พ่อแม่เข้าเยี่ยมได้ครั้งละคนเดียว ไม่สะดวกเลย", "dissatisfaction", "process"),
    ("ป้ายคิวห้องเจาะเลือดค้างเลขเดิม ไม่ขยับ", "complaint", "process"),
    # a deaf patient called by voice only; a drill's alarm told beside nobody telling (communication)
    ("แม่หูตึง เจ้าหน้าที่เรียกชื่อด้วยเสียงอย่างเดียว แม่เลยไม่รู้ว่าถึงคิว", "complaint", "communication"),
    ("ตีสองสัญญาณเตือนดังทั้งวอร์ด ที่แท้ซ้อมอพยพ ไม่มีคนบอกก่อนเลย", "complaint", "communication"),
    # how to take a drug told, asked for (communication beside the drug)
    ("อยากให้บอกวิธีกินยาให้ยายด้วย", "expectation", "communication"),
    # a right checked or a bill paid fast (waiting)
    ("จนท.ตรวจสอบสิทธิ์ให้ไวมาก ขอบคุณค่ะ", "compliment", "waiting"),
    ("ชำระเงินรวดเร็วดีครับ", "message", "waiting"),
    # nobody explained how to use it (medication beside the telling)
    ("รับยามาแล้ว ไม่มีคนอธิบายวิธีใช้เลย", "dissatisfaction", "medication"),
    # care: a needle put in wrong or right, a pressure brought down, a visit of minutes, cared for well
    ("น้องพยาบาลแทงเข็มลูกพลาดหลายครั้ง ลูกร้องไห้", "complaint", "clinical_care"),
    ("ฟอกเลือดที่นี่ เจาะเส้นครั้งเดียวติดทุกรอบ", "message", "clinical_care"),
    ("มาตามนัดทุกเดือน ความดันก็คุมได้ ขอบคุณค่ะ", "message", "clinical_care"),
    ("ได้เข้าห้องหมอ 2 นาทีเท่านั้น ยังไม่ทันเล่า", "complaint", "clinical_care"),
    ("เจอหมอแค่ 3 นาทีเอง แล้วก็ให้กลับ", "complaint", "clinical_care"),
    ("เตียงสะอาด พยาบาลเวรดึกดูแลดี", "expectation", "clinical_care"),
    # diet advice is told
    ("หมอแนะนำเรื่องอาหารดีมาก", "message", "communication"),
    # no charge made, Isan too (cost_rights)
    ("ทันตแพทย์บ่เก็บเงินค่าอุดฟันหลานเลย ขอบใจหลาย", "compliment", "cost_rights"),
    ("หมอไม่คิดเงินค่าทำแผลเลยค่ะ", "message", "cost_rights"),
    # more staff told as news or asked for bare (staffing)
    ("ปีนี้มีพยาบาลเพิ่มขึ้น ห้องฉุกเฉินเลยไม่วุ่นวาย", "message", "staffing"),
    ("เพิ่มนักกายภาพด้วยครับ", "improvement", "staffing"),
    ("เพิ่มเภสัชช่วงเช้าหน่อยครับ", "improvement", "staffing"),
    # a car park too narrow, a wheelchair heard as "วิว" (parking_access); rails asked for after a slip (environment)
    ("ที่จอดรถคับแคบ ถอยรถยากมาก", "dissatisfaction", "parking_access"),
    ("ขอวิวแชร์ตรงหน้าตึกมากกว่านี้หน่อย", "improvement", "parking_access"),
    ("ตาเกือบลื่นตอนอาบน้ำ ควรมีแผ่นกันลื่นในห้องน้ำ", "improvement", "environment"),
]


@pytest.mark.parametrize(("text", "question", "code"), NAMED)
def test_topic_named_without_the_lexicon_phrase(analyzer: Analyzer, text: str, question: str, code: str) -> None:
    assert code in _topics(analyzer, text, question)


# --- words that named a topic in passing, and look-alikes of the new cues: the topic must NOT be tagged ---

QUIET = [
    # "late" said of the patient, a meal, a result: no staffing (a nurse late stays staffing, KEPT below)
    ("ตื่นสาย มาสายหน่อย ที่จอดเต็มหมดแล้ว", "dissatisfaction", "staffing"),
    ("ข้าวเย็นมาช้าทุกวัน แม่หิวมาก", "complaint", "staffing"),
    ("ผลชิ้นเนื้อส่งมาช้าเกือบเดือน", "complaint", "staffing"),
    # Isan "ดน" inside "โดน" (got hit): no wait
    ("นอนรอเตียงอยู่โดนญาติเตียงข้างๆด่า", "complaint", "waiting"),
    # a price board is no way sign
    ("ร้านขายยาใน รพ. ไม่มีป้ายราคา", "dissatisfaction", "parking_access"),
    # a car park's room is not the building's
    ("ที่จอดรถคับแคบ ถอยรถยากมาก", "dissatisfaction", "environment"),
    # nobody told beforehand of a price: the price's (no communication beside it)
    ("โดนเก็บค่าเวชภัณฑ์เพิ่ม 800 ไม่มีใครแจ้งก่อน", "complaint", "communication"),
    # the next step untold is the process's, not communication
    ("มาทำบัตร แล้วไม่มีใครแนะนำว่าต้องไปชั่งน้ำหนักต่อ", "complaint", "communication"),
    # a card that introduces the writer
    ("บัตรทองค่ะ มาตามใบนัดแต่ห้องบัตรหาแฟ้มไม่เจอ รอทั้งเช้า", "complaint", "cost_rights"),
    # a queue named by what it is for; a pharmacist counted
    ("อยากให้แยกคิวรับยาผู้สูงอายุกับคิวทั่วไป", "improvement", "medication"),
    ("เพิ่มเภสัชช่วงเช้าหน่อยครับ", "improvement", "medication"),
    # "cared for well" by a guard is manners, not care
    ("ลุงยามดูแลดี ช่วยจูงยายลงรถ", "compliment", "clinical_care"),
    # diet advice is no meal; "cared for well" is no manners
    ("หมอแนะนำเรื่องอาหารดีมาก", "message", "food"),
    ("เตียงสะอาด พยาบาลเวรดึกดูแลดี", "expectation", "staff_behavior"),
    # a drill: no fire
    ("ตีสองสัญญาณเตือนดังทั้งวอร์ด ที่แท้ซ้อมอพยพ ไม่มีคนบอกก่อนเลย", "complaint", "safety_privacy"),
    # not a needle's skill: no infection found after a test
    ("โดนเข็มตำ เจาะเลือดแล้วไม่ติดเชื้อ", "complaint", "clinical_care"),
    # how queues are organised is the process's, not a wait; thanks after a staff noun judge no manners; a risk asked
    # about is no safety lapse
    ("ชอบระบบคิวแบบใหม่ ขึ้นเลขบนจอชัด", "message", "waiting"),
    ("ขอบคุณหมอ ขอบคุณพยาบาลค่ะ อธิบายละเอียดทุกขั้นตอน", "compliment", "staff_behavior"),
    ("หมอบอกว่าต้องส่องกล้อง ไม่อธิบายว่าเสี่ยงแค่ไหน", "complaint", "safety_privacy"),
]


@pytest.mark.parametrize(("text", "question", "code"), QUIET)
def test_named_in_passing_is_no_topic(analyzer: Analyzer, text: str, question: str, code: str) -> None:
    assert code not in _topics(analyzer, text, question)


KEPT = [
    # look-alikes that keep their topic: a nurse late, a wait with "นาน", another hospital's card question
    ("เรียกพยาบาลแล้วมาช้ามาก", "complaint", "staffing"),
    ("รับยามาแล้ว ไม่มีคนอธิบายวิธีใช้เลย", "dissatisfaction", "communication"),
    ("รอหมอนานมาก", "complaint", "waiting"),
    ("บัตรทองใช้ที่นี่ได้ไหมคะ", "message", "cost_rights"),
    ("ไม่มีป้ายบอกทางไปตึกเอกซเรย์", "complaint", "parking_access"),
]


@pytest.mark.parametrize(("text", "question", "code"), KEPT)
def test_look_alikes_keep_their_topic(analyzer: Analyzer, text: str, question: str, code: str) -> None:
    assert code in _topics(analyzer, text, question)


def test_a_theft_told_to_the_police_is_safety_privacy(analyzer: Analyzer) -> None:
    a = analyzer.analyse("แหวนกับเงินสดของตาหายจากลิ้นชักข้างเตียง แจ้งความที่โรงพักแล้วครับ", question="complaint")
    assert a.sentinel
    assert "safety_privacy" in {t.code for t in a.topics}


# --- sentiment and complaint ---

SENTIMENT = [
    # next time hoped better, with "คง" and "ดีขึ้น": the service fell short
    ("ครั้งหน้าคงดีขึ้นนะ", "message", "neg", True),
    # a hope with the last visit's fault told
    ("อยากให้พยาบาลพูดเพราะๆ คราวที่แล้วโดนตะคอก", "expectation", "neg", True),
    # glad of a change made: praise, no complaint
    ("ดีใจที่มีพยาบาลเพิ่ม กดกริ่งแป๊บเดียวก็มา", "message", "pos", False),
    # met "as I wanted"
    ("พยาบาลพูดเพราะ อย่างที่ต้องการเลยค่ะ", "expectation", "pos", False),
    # nothing, typed with a teen's particles
    ("ไม่มีอะไรคับผม", "improvement", "neu", False),
    # nothing, then the wait got shorter: praise
    ("ไม่มีค่ะ เดี๋ยวนี้รอน้อยลงมาก", "dissatisfaction", "pos", False),
    # a long wait only supposed, with words between ("นึกว่า … คง"), then fast: met
    ("นึกว่าวันจันทร์คงรอนาน แต่ได้ตรวจไวมากค่ะ", "expectation", "pos", False),
]


@pytest.mark.parametrize(("text", "question", "label", "complaint"), SENTIMENT)
def test_sentiment_frames(analyzer: Analyzer, text: str, question: str, label: str, complaint: bool) -> None:
    a = analyzer.analyse(text, question=question)
    assert (a.sentiment.label, a.complaint) == (label, complaint)


SENTIMENT_QUIET = [
    # a hope with no past fault stays a hope; "which room first" is no last visit
    ("อยากให้พยาบาลพูดเพราะๆ", "expectation", "neg"),
    ("อยากให้มีป้ายบอกว่าไปห้องไหนก่อน", "expectation", "neg"),
    # glad, but a fault after it: no plain praise
    ("ดีใจที่มีหมอเพิ่ม แต่ยังรอนานเหมือนเดิม", "message", "pos"),
    # "next time" in a plain thanks is no hope of better
    ("ครั้งหน้าจะมาอีกนะคะ ขอบคุณค่ะ", "message", "neg"),
    # a wait told, not supposed, stays a fault
    ("รอนาน แต่ได้ตรวจละเอียด", "expectation", "pos"),
]


@pytest.mark.parametrize(("text", "question", "not_label"), SENTIMENT_QUIET)
def test_sentiment_look_alikes(analyzer: Analyzer, text: str, question: str, not_label: str) -> None:
    assert analyzer.analyse(text, question=question).sentiment.label != not_label
