"""Issue 14 round 5: patients name staffing, process, communication, environment and waiting problems without the
lexicon's phrases — turnover told verb first, a doctor who is not there or comes late, appointments postponed or
not kept, opening days, lost records, failing online forms, no chance to ask, explanations praised, broken building
equipment, a wish for somewhere to sit or sleep, a wait told by its length, Isan "ถ่า"/"ดน" (nlp/frames.py).
Sentences typed as on a phone (spaces inside words, doubled letters, dialect); none is taken from a data file."""

from __future__ import annotations

import pytest

from nlp.analyzer import Analyzer

HEARD = [
    ("staffing", "dissatisfaction", "เปลี่ยนแพทย์บ่อยมาก ต้องเล่าอาการใหม่ทุกครั้ง"),
    ("staffing", "dissatisfaction", "หมอที่ รพ.สต. ไม่ค่อยอยู่เลยค่ะ"),
    ("staffing", "complaint", "นัดแปดโมง หมอเพิ่งมา สิบเอ็ดโมง"),
    ("staffing", "complaint", "โทรตามหมอเวรแล้วก็ไม่มา รอจนเช้า"),
    ("staffing", "dissatisfaction", "มาทีไรเจอแต่นักศึกษา"),
    ("staffing", "improvement", "ขอให้มีพยาบาลมาตรวจทุกอาทิตย์"),
    ("staffing", "improvement", "ควรมีหมอกระดูกตอนเย็นด้วย"),
    ("process", "complaint", "ผลเลือดหาย ต้องเจาะซ้ำ"),
    ("environment", "complaint", "ญาติต้องนอนกับพื้นทั้งคืน"),
    ("environment", "improvement", "ควรมีที่พักญาติ"),
    ("process", "complaint", "นัดผ่าตัดแม่ เลื่อนไปเลื่อนมา สองเดือนแล้ว"),
    ("process", "complaint", "เดินทางมาไกล มาถึงก็ปิด ไม่มีประกาศบอก"),
    ("process", "message", "ฉีดวัคซีนต้องจองก่อนไหมครับ"),
    ("process", "dissatisfaction", "บัตรคิวหมดตั้งแต่เจ็ดโมง"),
    ("communication", "improvement", "ควรเปิดโอกาสให้คนไข้ได้ซักถามบ้าง"),
    ("communication", "dissatisfaction", "หมอตรวจแป๊บเดียว ยังไม่ทันได้ถามอะไรเลย"),
    ("parking_access", "dissatisfaction", "วีลแชร์ มีน้อย ต้องยืนรอ"),
    ("parking_access", "complaint", "ยายมาคนเดียว ไม่มีวีลแชร์ให้ยืมเลย"),
    ("waiting", "complaint", "ขอผลตรวจต้องรอตั้ง 2 อาทิตย์"),
    ("waiting", "dissatisfaction", "ถ่าหมอดนหลายเด้อ"),
]


@pytest.mark.parametrize(("topic", "question", "text"), HEARD)
def test_a_topic_named_without_the_lexicons_phrase_is_heard(
    analyzer: Analyzer, topic: str, question: str, text: str
) -> None:
    got = [t.code for t in analyzer.analyse(text, question=question).topics]
    assert topic in got, (text, got)


NOT_HEARD = [
    ("process", "message", "แผลหายดีแล้ว ขอบคุณคุณหมอค่ะ"),  # "แผลหาย" holds "ผลหาย": healing, not a lost result
    ("process", "message", "ถ้าผลตรวจผิดปกติ จะโทรบอกไหมคะ"),  # a result that is abnormal, not a wrong record
    ("communication", "compliment", "ป้ายบอกทางชัดเจนมาก หาห้องง่าย"),  # the signs (access), not an explanation
    ("waiting", "improvement", "อยากให้ตอบไลน์ไวกว่านี้ค่ะ"),  # the chat's replies (communication)
    ("waiting", "message", "ขอให้หายเร็วกว่านี้ค่ะ"),  # recovery, not the service's speed
    ("staffing", "improvement", "อยากให้มีเจ้าหน้าที่ช่วยยกของ"),  # a service asked for, not more staff
]


@pytest.mark.parametrize(("topic", "question", "text"), NOT_HEARD)
def test_near_misses_stay_quiet(analyzer: Analyzer, topic: str, question: str, text: str) -> None:
    got = [t.code for t in analyzer.analyse(text, question=question).topics]
    assert topic not in got, (text, got)


def test_a_question_or_praise_names_its_topic_without_making_a_complaint(analyzer: Analyzer) -> None:
    asked = analyzer.analyse("คลินิกหู เปิดวันไหนบ้างคะ", question="message")
    assert "process" in [t.code for t in asked.topics]
    assert asked.sentiment.label != "neg"
    praised = analyzer.analyse("ทำบัตรไวมากค่ะ ประทับใจ", question="compliment")
    assert "waiting" in [t.code for t in praised.topics]
    assert praised.sentiment.label == "pos"
    assert not praised.complaint
