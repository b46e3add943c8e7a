"""Sentinel events told by patients and relatives in a LINE chat (tune24, helper nlp-lay24): a relative "gone"
at an hour of the night, grief told as what should not have been, a breath that failed and what it forced,
cyanosis with a failed breath, harm the care itself did, a lasting loss after care, another patient's drugs,
a baby gone from its cot or swapped, the wrong side, cannabis at work, a clip that went round — each family with
look-alikes that stay quiet: rescues thanked for, feelings said with "ตาย", fears, past illnesses, "what if"
questions, a death of old age, near misses. Phrased unlike tune24's lines."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.features import split_glued
from nlp.normalize import normalize_text
from nlp.severity import assess

FLAGGED = [
    # a relative gone at an hour of the night; grief as what should not have been
    ("ตีสามคุณย่าก็ไปแล้วค่ะ ไม่มีพยาบาลมาดูเลยทั้งคืน", "complaint"),
    ("ตกเย็นลุงไปแล้ว ทั้งที่ตอนบ่ายยังกินข้าวได้", "message"),
    ("ถ้าหมอมาดูเร็วกว่านี้ ปู่คงไม่ตายหรอกค่ะ", "complaint"),
    ("น้องอายุแค่ 12 ไม่ควรตายแบบนี้ รอหมอเด็กทั้งคืน", "complaint"),
    # a breath that failed and what it forced; cyanosis with a failed breath or no answer
    ("ยายกินยาแล้วหายใจไม่ออก ต้องปั๊มหัวใจกลางวอร์ด", "complaint"),
    ("ลุงตกบันไดหน้าตึก หมอผ่าตัดด่วน เกือบตายครับ", "complaint"),
    ("ลูกสำลักนมในห้องเด็กอ่อน ปากเขียว หายใจไม่ได้ ไม่มีใครอยู่เลย", "complaint"),
    ("คุณตาเล็บเขียว เรียกไม่ตอบ กว่าพยาบาลจะมา", "complaint"),
    # harm the care did; a lasting loss after care; another patient's drugs with lasting harm
    ("หมอทำมดลูกทะลุตอนขูด ช็อก ต้องเข้าไอซียู", "complaint"),
    ("ผ่าหลังมาแล้วเดินไม่ได้อีกเลยตั้งแต่นั้น หมอไม่เคยบอกว่ามีโอกาสแบบนี้", "complaint"),
    ("ซองยามันเป็นยาของคนอื่น ป้ากินไปจนเป็นอัมพาตครึ่งซีก", "complaint"),
    # a notifiable disease typed short; a baby gone or swapped; the wrong side
    ("ได้ข่าวว่าเด็กในตึกเด็กติดอหิวากันหลายคน", "message"),
    ("หลานหายจากตู้อบ ไม่มีใครรู้ว่าใครเอาไป", "complaint"),
    ("ได้ลูกผิดคนมาค่ะ ชื่อที่ข้อมือเป็นของเตียงอื่น", "complaint"),
    ("หมอนัดผ่าตาซ้าย แต่ไปผ่าตาขวาที่ไม่ได้เป็นอะไร", "complaint"),
    # cannabis at work; a clip that went round
    ("ยามหน้าตึกเมากัญชาทุกคืน ใครจะกล้ามา", "complaint"),
    ("ยอดวิวคลิปที่หมอตะคอกแม่ทะลุแสนแล้ว", "complaint"),
    # a rescue thanked for, but the arrest came from a drug error: still sentinel
    ("ขอบคุณที่ปั๊มหัวใจแม่จนฟื้น แต่ที่หัวใจหยุดเพราะพยาบาลให้ยาผิด", "complaint"),
    # a wish to die acted on; a past event told after "ถ้า"
    ("ลูกบอกว่าอยากตาย แล้วกินยาเกินขนาดในห้องน้ำวอร์ด", "complaint"),
]
QUIET = [
    ("ตอนเย็นแม่ก็ไปแล้วกลับบ้านก่อน ไม่ได้รอฟังผล", "complaint"),
    ("ไม่ได้ต้องปั๊มหัวใจอะไรนะคะ แค่ให้ออกซิเจนก็ดีขึ้น", "message"),
    ("รอหมอนานจนเกือบตาย ห้องตรวจสองมีหมอคนเดียว", "complaint"),
    ("หนาวจนปากเขียว แอร์ห้องรอตรวจเย็นมาก", "complaint"),
    ("ตอนลูกตัวเขียวนิดหน่อยพยาบาลรีบเอาไปส่องไฟ ใจดีมาก", "compliment"),
    ("ล้างไตตลอดชีวิต จะใช้สิทธิบัตรทองได้ไหมคะ", "message"),
    ("ได้ยาของคนอื่นมา แต่ยังไม่ได้กิน เอาไปคืนแล้ว", "complaint"),
    ("ลูกหายจากไข้แล้ว ขอบคุณหมอค่ะ", "compliment"),
    ("เกือบได้ลูกผิดคน ดีที่แม่ดูป้ายก่อน", "complaint"),
    ("พยาบาลจะให้เลือดผิดถุง แต่พี่เวรดึกเช็คเจอก่อน", "complaint"),
    ("ผ่าเข่าขวาไปเมื่อปีก่อน ปีนี้มาผ่าเข่าซ้ายต่อ หมอเก่งมาก", "compliment"),
    ("ขอบคุณคุณหมอที่ช่วยลูกตอนหยุดหายใจไว้ทัน ตอนนี้หายแล้วค่ะ", "compliment"),
    ("ขอบพระคุณทีมห้องฉุกเฉินที่ปั๊มหัวใจพ่อจนรอด", "compliment"),
    ("ขอบใจหลายๆ ที่ช่วยแม่บ่ให้ตาย", "compliment"),
    ("ที่นั่งรอร้อนตายเลยค่ะ", "complaint"),
    ("หมอพูดกับยายว่าไม่กินยาเดี๋ยวก็ตาย ฟังแล้วใจหาย", "complaint"),
    ("ผ่าตัดนี้เสี่ยงตายไหมคะ", "message"),
    ("เคยเป็นคอตีบตอนเด็ก ตอนนี้ต้องฉีดกระตุ้นไหมครับ", "message"),
    ("กังวลว่าลูกจะเป็นไข้เลือดออก ยุงเยอะมากแถวตึก", "complaint"),
    ("รอคิวตั้งแต่ตีห้า อยากตายแล้วค่ะ", "complaint"),
    ("ตาอายุ 98 จากไปตามวัย ไม่ติดใจอะไรค่ะ แต่ห้องน้ำสกปรก", "complaint"),
    ("หากคนไข้ชักจนหยุดหายใจ ญาติต้องทำอะไรก่อนคะ", "message"),
]


@pytest.mark.parametrize(("text", "question"), FLAGGED)
def test_lay_chat_sentinel_is_flagged(analyzer: Analyzer, text: str, question: str) -> None:
    analysis = analyzer.analyse(text, question=question)
    assert analysis.sentinel, (text, analysis.details["severity_reasons"])


@pytest.mark.parametrize(("text", "question"), QUIET)
def test_lay_chat_look_alike_stays_quiet(analyzer: Analyzer, text: str, question: str) -> None:
    analysis = analyzer.analyse(text, question=question)
    assert not analysis.sentinel, (text, analysis.details["severity_reasons"])


@pytest.mark.parametrize("text", [t for t, _ in FLAGGED + QUIET])
def test_lay_chat_cues_keep_the_shortcut_exact(analyzer: Analyzer, text: str) -> None:
    norm = normalize_text(text)
    toks = split_glued(analyzer.tokenize(norm))
    assert assess(norm, toks) == assess(norm, toks, shortcut=False)


@pytest.mark.parametrize(
    "text",
    ["รอคิวจ่ายเงินนานจนเกือบตาย", "รอคิวรับยาที่ห้องยานานมากจนเกือบตายค่ะ", "คอยเรียกชื่อที่หน้าห้องตรวจนานจนเกือบตาย"],
)
def test_a_long_wait_that_nearly_killed_the_writer_is_a_figure_of_speech(analyzer: Analyzer, text: str) -> None:
    """nlp-lay24's note: the wait word more than 10 characters before "เกือบตาย" was read as a near-death."""
    assert not analyzer.analyse(text, question="complaint").sentinel


def test_a_near_death_told_after_a_wait_is_still_heard(analyzer: Analyzer) -> None:
    r = analyzer.analyse("รอหมอทั้งคืน แม่หายใจไม่ออก ปากเขียว เกือบตาย ต้องปั๊มหัวใจ", question="complaint")
    assert r.sentinel
