"""Polite particles (ค่ะ/ครับ/นะคะ/จ้า…) carry no opinion: Thai patients end almost every message with one."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.features import POLITE_PARTICLES, token_features

COMPLAINTS = [
    "รอนานมากค่ะ",
    "รอนานมากครับ",
    "รอนานนะคะ",
    "รอนานมากจ้า",
    "รอคิวนานมากเลยค่ะ",
    "พยาบาลพูดจาไม่สุภาพค่ะ",
    "ห้องน้ำสกปรกมากนะครับ",
    "แย่มากค่ะ",
    "รอนานมากค่ะ ขอบคุณค่ะ",
]
PRAISE = [
    "พยาบาลใจดีมากค่ะ",
    "หมอใจดีครับ",
    "ประทับใจมากนะคะ",
    "บริการดีมากจ้า",
    "ได้ตรวจเร็วมากค่ะ ขอบคุณนะคะ",
]


def test_particles_are_not_model_features() -> None:
    """The model never sees polite particles or punctuation; bigrams join the words around them."""
    feats = token_features(["รอ", "นาน", "ค่ะ", "มาก", "!!"])
    assert not set(feats) & POLITE_PARTICLES
    assert "นาน มาก" in feats and "!!" not in feats


@pytest.mark.parametrize("text", COMPLAINTS)
def test_polite_complaint_is_negative(analyzer: Analyzer, text: str) -> None:
    """A complaint stays a negative complaint whichever polite particle ends it."""
    r = analyzer.analyse(text)
    assert r.sentiment.label == "neg", r.details
    assert r.sentiment.score < 0
    assert r.complaint


@pytest.mark.parametrize("text", PRAISE)
def test_polite_praise_is_positive(analyzer: Analyzer, text: str) -> None:
    """Praise stays positive and opens no case, with or without a particle."""
    r = analyzer.analyse(text)
    assert r.sentiment.label == "pos", r.details
    assert not r.complaint


def test_same_label_with_and_without_particle(analyzer: Analyzer) -> None:
    """Adding a particle never flips the label of a clear message."""
    for bare in ("รอนานมาก", "พยาบาลใจดีมาก", "ห้องน้ำสกปรก"):
        labels = {analyzer.analyse(bare + p).sentiment.label for p in ("", "ค่ะ", "ครับ", "นะคะ", "จ้า")}
        assert len(labels) == 1, (bare, labels)


def test_mixed_praise_and_complaint_is_neutral(analyzer: Analyzer) -> None:
    """Praise of one thing and a complaint about another is mixed (neu), and still a complaint."""
    r = analyzer.analyse("พยาบาลน่ารักมากค่ะ แต่รอคิวนานมาก")
    assert r.sentiment.label == "neu"
    assert r.complaint


@pytest.mark.parametrize("text", ["ไม่มีค่ะ", "ไม่มีครับ", "-", "ไม่มีข้อเสนอแนะค่ะ"])
def test_nothing_to_add_is_neutral(analyzer: Analyzer, text: str) -> None:
    """ "Nothing to add" answers are neutral and open no case."""
    r = analyzer.analyse(text)
    assert r.sentiment.label == "neu"
    assert not r.complaint


def test_suggestion_is_neutral_complaint(analyzer: Analyzer) -> None:
    """A polite wish for improvement is a complaint (it asks for change) with a neutral tone."""
    r = analyzer.analyse("อยากให้เพิ่มเก้าอี้หน้าห้องตรวจค่ะ")
    assert r.complaint
    assert r.sentiment.label == "neu"


def test_a_problem_told_flatly_is_negative(analyzer: Analyzer) -> None:
    """A hospital problem reported without any praise is a complaint, however plainly it is told: a model that
    reads a flat account as neutral does not outrank the problem the lexicon found."""
    result = analyzer.analyse("คนไข้ได้ข้าวเย็นชืดทุกมื้อ")
    assert result.sentiment.label == "neg" and result.complaint
    assert result.details["decided_by"] == "problem"


def test_a_problem_word_outside_the_hospital_is_left_to_the_model(analyzer: Analyzer) -> None:
    """Without a hospital word the rule does not apply: social-media Thai is the model's to judge."""
    # "อันตราย" is a safety problem word, but this is a tweet about politics, with no hospital word in it
    text = "เหตุผลเดียวประเทศฝั่งขวา เก็บภาษีไม่ได้เลยตีความว่าอันตราย"
    assert analyzer.analyse(text).details["decided_by"] != "problem"


def test_one_aspect_praised_and_another_faulted_is_neutral(analyzer: Analyzer) -> None:
    """Praise of the nurse and a complaint about the toilet are mixed, even when the complaint is intensified;
    a closing thanks after a complaint is not praise of an aspect and stays negative."""
    assert analyzer.analyse("พยาบาลน่ารักค่ะ แต่ห้องน้ำสกปรกมาก").sentiment.label == "neu"
    assert analyzer.analyse("รอนานมากค่ะ ขอบคุณค่ะ").sentiment.label == "neg"


def test_a_question_naming_a_problem_is_not_a_complaint_tone(analyzer: Analyzer) -> None:
    """"ยาหมดก่อนวันนัด มารับยาก่อนได้ไหมคะ" asks what to do; the problem rule leaves questions alone."""
    assert analyzer.analyse("ยาหมดก่อนวันนัด มารับยาก่อนได้ไหมคะ").details["decided_by"] != "problem"
