"""Round 11, helper nlp-pat27 (tune27): sentinel events told by what a relative saw, and sentiment's hard cases in
survey answers and LINE chats — each family with look-alikes that must stay quiet. Phrased unlike tune27's lines.

Sentinel families: a body found cold or stiff; a relative "no longer here"; an organ that failed because of the care;
blood from a bag with someone else's name; a lasting loss told by what can no longer be done; patients moved out of a
fire; a suicide attempt or a killing told by the act; drug use told by the scene. Quiet: news of another hospital asked
about, a vaccine named beside a past illness, a glare "that kills", a rescue told with gladness, stiffness from cold
or a fit, a relative moved to another ward, a kidney failed from years of diabetes, a blood bag caught in time, a spinal
block wearing off, a fire with nobody moved, an act only threatened, a lab's glass tube.

Sentiment families: praise around a long wait told as if short (sarcasm, a complaint); a past fault now better
(praise, no complaint); a hope, then told as met (praise); a scare that ended well, thanked for (praise, no complaint);
a LINE question retelling a past illness or news (neutral, no complaint)."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.features import split_glued
from nlp.normalize import normalize_text
from nlp.severity import assess

FLAGGED = [
    # a body found cold or stiff
    ("พอเปิดมุ้งดูย่า ตัวคล้ำเย็นชืดไปหมดแล้ว ไม่มีใครมาวัดความดันทั้งคืน", "complaint"),
    ("น้าชายนอนรอเตียงที่ ER ทั้งคืน เช้ามาตัวแข็งทื่ออยู่บนเปล", "complaint"),
    # a relative "no longer here"
    ("หมอเดินมาบอกว่าแม่ผมไม่อยู่แล้ว ทั้งที่บ่ายยังนั่งกินข้าวได้", "complaint"),
    # an organ that failed because of the care
    ("หมอให้ยาแก้ปวดขนาดสูงทุกวัน สุดท้ายทำให้ไตวายเฉียบพลัน", "complaint"),
    # blood from a bag with someone else's name
    ("ถุงเลือดที่แขวนให้พ่อเป็นของคนไข้เตียงอื่น พ่อหนาวสั่นไข้ขึ้นทั้งคืน", "complaint"),
    # a lasting loss told by what can no longer be done, after an error
    ("พยาบาลลืมยกที่กั้นเตียง ตาตกลงมาหัวกระแทกพื้น ตอนนี้ขยับแขนไม่ได้อีกเลย", "complaint"),
    # patients moved out of a fire
    ("ปลั๊กแอร์ช็อตไฟลุก ดับได้ทัน แต่พยาบาลต้องอุ้มเด็กลงบันไดหมดทั้งตึก", "message"),
    # suicide attempts and a killing told by the act
    ("ป้าเอาเชือกผูกผ้าม่านรัดคอตัวเองในห้องน้ำวอร์ด", "complaint"),
    ("คนไข้จิตเวชปีนระเบียงชั้น 5 ลงไปตอนพยาบาลเปลี่ยนเวร", "complaint"),
    ("น้องกินยาพาราทีเดียว 30 เม็ดตอนมาเฝ้าแม่ที่วอร์ด", "message"),
    ("มีผู้ชายเอาผ้าห่มปิดหน้ายายเตียงข้างๆ จนยายดิ้น ไม่มีพยาบาลอยู่เลย", "complaint"),
    # drug use told by the scene
    ("เห็นญาติคนไข้นั่งสูบหลอดแก้วในที่จอดรถทุกคืน", "complaint"),
    ("พนักงานเวรดึกเอาฟอยล์มาลนไฟหลังห้องซักผ้า", "complaint"),
    # news about THIS hospital is no news of elsewhere; a vaccine given, then the disease caught here
    ("เห็นข่าวว่ารพ.นี้มีเด็กติดคอตีบในวอร์ด จริงไหมคะ", "message"),
    ("ลูกเคยฉีดวัคซีนคอตีบแล้ว แต่ก็ยังติดคอตีบจากเด็กในวอร์ด", "complaint"),
    # a killing with a knife is no figure of speech
    ("ผัวเก่ามาฆ่าเมียด้วยมีดในวอร์ดสูติ", "complaint"),
]
QUIET = [
    # stiff with cold or a fit
    ("นั่งรอในห้องแอร์จนตัวแข็งไปแล้ว หนาวมาก", "complaint"),
    ("ลูกไข้สูงชักเกร็งจนตัวแข็ง พยาบาลเช็ดตัวให้จนหาย ขอบคุณค่ะ", "compliment"),
    # moved or discharged
    ("ไปถามที่ตึกบอกว่าแม่ไม่อยู่แล้ว ย้ายไปตึกศัลย์", "message"),
    # a kidney failed from years of diabetes, no care named
    ("แม่เป็นเบาหวานมาสิบปีจนไตวาย ฟอกไตอยู่ที่นี่ คิวนานมาก", "complaint"),
    # a blood bag caught in time; a lab result under another name
    ("พยาบาลจะให้เลือดที่เป็นของเตียงอื่น ดีที่ญาติเห็นก่อน", "complaint"),
    ("ผลเลือดของแม่เป็นชื่อคนอื่น ต้องเจาะใหม่", "complaint"),
    # a spinal block wearing off
    ("บล็อกหลังผ่าคลอดแล้วขยับขาไม่ได้แล้วตกใจมาก พยาบาลบอกเดี๋ยวยาหมดฤทธิ์", "message"),
    # a fire with nobody moved
    ("ไฟไหม้หญ้าข้างรั้ว รปภ.ดับทัน ไม่ต้องย้ายคนไข้ออก", "message"),
    # a climb stopped, an act only threatened, a scarf
    ("หลานปีนหน้าต่างเล่น พยาบาลดึงไว้ทัน", "complaint"),
    ("ลูกบอกว่าจะกินยาทีเดียว 20 เม็ด พยาบาลเลยเก็บยาไว้ให้", "message"),
    ("แม่ใส่ผ้าพันคอมาโรงพยาบาลเพราะแอร์หนาว", "message"),
    # a lab's glass tube; a needle held to a flame at home
    ("หลอดแก้วเก็บเลือดแตกตอนพยาบาลเจาะ ต้องเจาะใหม่", "complaint"),
    ("ยายเอาเข็มลนไฟก่อนบ่งหนามที่บ้าน แผลเลยอักเสบ", "message"),
    # news of elsewhere, asked about
    ("ได้ข่าวว่าที่อื่นมีคนไข้โดนแทงใน รพ. ที่นี่มียามหน้าวอร์ดไหมคะ", "message"),
    ("อ่านข่าวว่ามีไข้หวัดนกที่จังหวัดอื่น ควรพาลูกมาฉีดอะไรไหมคะ", "message"),
    # a vaccine beside a past illness
    ("ตอนสาวๆ เคยติดไข้เลือดออก ตอนนี้มีวัคซีนไข้เลือดออกให้ฉีดไหม", "message"),
    # a glare "that kills"
    ("ห้องบัตรฆ่าคนไข้ด้วยคำพูดทุกวัน ถามอะไรก็ไม่ตอบ", "complaint"),
    # a rescue told with gladness
    ("สองปีก่อนลูกหยุดหายใจที่ห้องฉุกเฉิน หมอปั๊มจนรอด วันนี้มาฉีดวัคซีน ปลื้มมากค่ะ", "compliment"),
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.mark.parametrize(("text", "question"), FLAGGED)
def test_lay_sentinel_heard(analyzer: Analyzer, text: str, question: str) -> None:
    result = analyzer.analyse(text, question=question)
    assert result.sentinel, text
    assert result.complaint, text  # a sentinel event always opens a case


@pytest.mark.parametrize(("text", "question"), QUIET)
def test_look_alikes_stay_quiet(analyzer: Analyzer, text: str, question: str) -> None:
    assert not analyzer.analyse(text, question=question).sentinel, text


@pytest.mark.parametrize("text", [t for t, _ in FLAGGED + QUIET])
def test_pat27_cues_keep_the_shortcut_exact(analyzer: Analyzer, text: str) -> None:
    """The one pass over the joined words hears the new cues: skipping the rules when it hears nothing changes
    nothing."""
    norm = normalize_text(text)
    toks = split_glued(analyzer.tokenize(norm))
    assert assess(norm, toks) == assess(norm, toks, shortcut=False)


# (text, question, sentiment, complaint)
SENTIMENT = [
    # praise around a long wait told as if short: sarcasm
    ("เยี่ยมมากครับ รอเจาะเลือดแค่ 3 ชั่วโมงเอง", "dissatisfaction", "neg", True),
    ("ประทับใจสุดๆ ได้คิว 312 เรียกอีกทีตอนเย็น", "message", "neg", True),
    # look-alikes: a short wait so told, a small queue number
    ("ประทับใจค่ะ รอแค่ 15 นาทีเอง", "message", "pos", False),
    # a past fault now better
    ("เมื่อก่อนเจ้าหน้าที่ไม่ค่อยยิ้ม เดี๋ยวนี้ดีขึ้นเยอะเลยค่ะ", "dissatisfaction", "pos", False),
    # a hope, then told as met in its own clause
    ("อยากให้หมอตรวจละเอียด ได้จริงๆค่ะ", "expectation", "pos", False),
    # a scare that ended well, thanked for
    ("หลานตกบันไดหัวแตก หมอเย็บให้ ตอนนี้หายดีแล้ว ขอบคุณนะคะ", "compliment", "pos", False),
    ("ลูกแพ้กุ้งปากบวม หมอฉีดยาให้ยุบในชั่วโมงเดียว ขอบคุณค่ะ", "compliment", "pos", False),
    # a LINE question retelling a past illness or news
    ("เคยแพ้ยาเพนิซิลลินจนหน้าบวม ครั้งนี้ต้องแจ้งหมอก่อนไหมคะ", "message", "neu", False),
    ("ได้ข่าวว่ามีคนตายในลิฟต์ที่รพ.อื่น ลิฟต์ที่นี่ตรวจสภาพล่าสุดเมื่อไหร่คะ", "message", "neu", False),
    # typos of praise
    ("ห้องพักสอาดกว่าที่คิด", "message", "pos", False),
]


@pytest.mark.parametrize(("text", "question", "label", "complaint"), SENTIMENT)
def test_hard_sentiment(analyzer: Analyzer, text: str, question: str, label: str, complaint: bool) -> None:
    result = analyzer.analyse(text, question=question)
    assert (result.sentiment.label, result.complaint) == (label, complaint), text


NOT_THESE = [
    # a fault after the improvement is no improvement told alone
    ("เมื่อก่อนรอนาน ตอนนี้ดีขึ้นแล้ว แต่ที่จอดรถยังไม่พอเลย", "dissatisfaction", "pos"),
    # "ได้จริง" inside the wish itself is no hope met
    ("อยากได้ทางลาดที่รถเข็นขึ้นได้จริงๆ", "expectation", "pos"),
    # thanks, then a fault: still a complaint
    ("ขอบคุณที่ช่วยแม่ไว้ทัน แต่พยาบาลเวรดึกพูดไม่ดีเลย", "compliment", "pos"),
    # a past allergy retold, then the fault it met, asked "why": a complaint, not a neutral question
    ("เคยแพ้ยาเพนิซิลลินบอกแล้ว แต่พยาบาลก็ยังฉีดให้อีก ทำไมคะ", "message", "neu"),
]


@pytest.mark.parametrize(("text", "question", "label"), NOT_THESE)
def test_families_do_not_overreach(analyzer: Analyzer, text: str, question: str, label: str) -> None:
    result = analyzer.analyse(text, question=question)
    assert result.sentiment.label != label, text
    assert result.complaint, text


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("หมอกับพยาบาลอู้จ๋าดีขนาด", "staff_behavior"),
        ("หมอกับพยาบาลอู้ม่วนขนาด", "staff_behavior"),
        ("การเงินคิดผิด ต้องกลับไปแก้อีกรอบ", "process"),
        ("หมอหนัดมากค่ะ", "clinical_care"),
    ],
)
def test_typos_and_dialect_topics(analyzer: Analyzer, typed: str, code: str) -> None:
    assert code in {t.code for t in analyzer.analyse(typed, question="message").topics}, typed


@pytest.mark.parametrize("typed", ["ไม่มีจ้า มาทีไรก็ประทัปใจ", "ไม่มีค่ะ ห้องพักสอาดกว่าที่คิด"])
def test_praise_typos_are_praise(analyzer: Analyzer, typed: str) -> None:
    result = analyzer.analyse(typed, question="dissatisfaction")
    assert (result.sentiment.label, result.complaint) == ("pos", False), typed
