"""Sentinel events told by patients and relatives in lay Thai (issue 14, tune16): a death as an ending or a
euphemism, coma and resuscitation in everyday words, blood of someone else, the wrong side or the wrong person
operated on, an object left inside, a child taken, a weapon told as the act, permanent harm after care — and
the figures of speech, thanks and condolences that must stay unflagged. Phrased unlike tune16's lines."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.features import split_glued
from nlp.normalize import normalize_text
from nlp.severity import assess

LAY_SENTINEL = [
    # a death told as an ending, a euphemism or a typo
    ("เข้าไปนอนแค่คืนเดียว ยังไม่ทันได้เจอหมอ ตอนเช้าตาก็ไม่รอดแล้วค่ะ", "complaint"),
    ("ปู่ผมหมดลมหายใจตอนตีสี่ ตามพยาบาลตั้งแต่เที่ยงคืนไม่มีใครมาเลย", "complaint"),
    ("น้าสาวปวดหัวมาก ให้แค่พาราแล้วให้กลับ สุดท้ายก็เสียค่ะ เส้นเลือดในสมองแตก", "dissatisfaction"),
    ("พี่ชายเสียชิวิตที่ห้องฉุกเฉิน นั่งรอบนเก้าอี้สามชั่วโมง", "message"),
    ("ท้องแก่เก้าเดือนแล้วมาตรวจ หมอหาหัวใจลูกไม่เจอ ก่อนหน้าบอกให้กลับบ้านไปรอ", "complaint"),
    # coma and resuscitation in everyday words
    ("แม่ได้ยาแก้ปวดทางสายน้ำเกลือแล้วเรียกไม่ตื่นเลย ต้องย้ายไปห้องหนัก", "complaint"),
    ("น้องผมกินยาที่ห้องยาจ่ายมาผิดแล้วชักจนหมดสะติ", "complaint"),
    ("หลังพยาบาลมาฉีดยาให้ ยายหายใจเบาลงเรื่อยๆ จนหยุด ต้องเรียกทีมมาช่วย", "complaint"),
    ("หายใจไม่ได้ สิ้นใจคาเปลหน้าห้องเอกซเรย์ ไม่มีใครดูเลย", "complaint"),
    # blood of someone else
    ("ให้เลือดน้องสาวผิดคนค่ะ ตอนนี้ไข้ขึ้นหนาวสั่นฉี่แดง", "complaint"),
    ("ถุงเลือดของคนไข้อื่นถูกเอามาแขวนให้ยาย", "complaint"),
    ("เลือดที่ให้ลุงไม่ตรงกรุ๊ป พยาบาลเพิ่งมาบอกทีหลัง", "dissatisfaction"),
    # the wrong side or the wrong person, an object left behind
    ("หมอผ่าไส้เลื่อนข้างขวาของพ่อ ทั้งที่เป็นข้างซ้าย", "complaint"),
    ("คุณหมอผ่าตัดผิดขาให้คุณตาค่ะ", "complaint"),
    ("ผ่านิ่วมาได้ปีนึง ปวดท้องตลอด ไปอีกโรงพยาบาลเจอกรรไกรทิ้งไว้ในท้อง", "complaint"),
    # a child taken
    ("ลูกสาวโดนคนขโมยไปจากเตียงตอนแม่หลับ", "complaint"),
    # a weapon told as the act
    ("ญาติคนไข้ห้องข้างๆ เอาเก้าอี้ ฟาดหัวเจ้าหน้าที่ ตีด้วยเหล็กจนล้ม", "message"),
    # permanent harm after care, a fall or restraint
    ("คลอดเองนานเกินไปไม่ยอมผ่า ลูกออกมาสมองเสียหายถาวร", "complaint"),
    ("พ่อถูกมัดไว้กับเตียงแน่นเกินไปทั้งคืน สุดท้ายต้องตัดขา", "complaint"),
]

LOOK_ALIKES = [
    ("ต่อคิวทำบัตรเกือบตาย คนเยอะมาก", "dissatisfaction"),
    ("ยืนรอรถเข็นจนเกือบตาย ขาแทบหัก", "dissatisfaction"),
    ("ตายแล้ว วันนี้วันหยุดหรือคะ คลินิกปิด", "message"),
    ("ถ้ารอนานแบบนี้ คนไข้คงไม่รอดหรอก ควรเพิ่มหมอ", "improvement"),
    ("คุณแม่จากไปอย่างสงบที่บ้าน ขอบคุณทีมดูแลที่บ้านทุกคนค่ะ", "message"),
    ("ขอแสดงความเสียใจกับครอบครัวคุณหมอด้วยนะคะ", "message"),
    ("ตาไปสบายแล้วตามอายุ 95 ขอบคุณพยาบาลที่ดูแลช่วงสุดท้าย", "message"),
    ("กริ่งไฟไหม้ดังทั้งคืน นอนไม่หลับเลย", "dissatisfaction"),
    ("หมอเดินจากไปแล้ว ไม่อธิบายอะไรสักคำ", "complaint"),
    ("ที่จอดรถคนพิการโดนรถคนอื่นจอดผิดที่ตลอด", "improvement"),
    ("เจาะเลือดผิดคน ต้องมาเจาะใหม่ เสียเวลา", "complaint"),
    ("ลื่นล้มในห้องน้ำ แต่ไม่เป็นอะไรค่ะ", "message"),
    ("ผ้าก๊อซอยู่ในแผลตามที่หมอใส่ไว้ ต้องมาเปลี่ยนทุกวันไหมคะ", "message"),
]


@pytest.mark.parametrize(("text", "question"), LAY_SENTINEL)
def test_lay_telling_of_a_sentinel_event_is_flagged(analyzer: Analyzer, text: str, question: str) -> None:
    analysis = analyzer.analyse(text, question=question)
    assert analysis.sentinel, (text, analysis.details["severity_reasons"])
    assert analysis.complaint


@pytest.mark.parametrize(("text", "question"), LOOK_ALIKES)
def test_lay_look_alike_is_not_sentinel(analyzer: Analyzer, text: str, question: str) -> None:
    analysis = analyzer.analyse(text, question=question)
    assert not analysis.sentinel, (text, analysis.details["severity_reasons"])


def test_a_child_taken_is_security_not_care(analyzer: Analyzer) -> None:
    analysis = analyzer.analyse("หลานโดนคนแปลกหน้าอุ้มไปจากห้องเด็กอ่อน", question="complaint")
    assert analysis.sentinel
    assert "safety_privacy" in {tag.code for tag in analysis.topics}
    assert "clinical_care" not in {tag.code for tag in analysis.topics}


@pytest.mark.parametrize("text", [t for t, _ in LAY_SENTINEL + LOOK_ALIKES])
def test_lay_cues_keep_the_shortcut_exact(analyzer: Analyzer, text: str) -> None:
    norm = normalize_text(text)
    toks = split_glued(analyzer.tokenize(norm))
    assert assess(norm, toks) == assess(norm, toks, shortcut=False)
