"""Text that answers no question and is not a hospital message is read by the general-Thai model (wisesight,
polite particles kept, character n-grams); a patient's answer, and any text naming the hospital's world, by the
hospital model, which drops the particles (issue 14: wisesight ≥ 0.76 without losing the hospital side)."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import Analyzer
from nlp.features import char_ngram_ids, general_token_features, token_features
from nlp.model import load_model

POLITE_COMPLAINTS = ["รอนานมากค่ะ ขอบคุณค่ะ", "เจ้าหน้าที่พูดจาไม่ดีเลยค่ะ ขอบคุณค่ะ", "ห้องน้ำสกปรกมากนะคะ"]
# Everyday social-media Thai (shops, products, questions), each with a polite particle.
GENERAL = [
    "ครีมตัวนี้ใช้แล้วหน้าใสขึ้นจริงค่ะ ชอบมาก",
    "โปรนี้ถึงวันไหนคะ",
    "มีสาขาที่เชียงใหม่ไหมคะ",
    "ร้านนี้อร่อยมากค่ะ ไว้จะมาอุดหนุนอีกนะคะ",
]


def test_general_features_keep_particles_hospital_features_do_not() -> None:
    toks = ["อร่อย", "มาก", "ค่ะ"]
    assert "ค่ะ" in general_token_features(toks) and "มาก ค่ะ" in general_token_features(toks)
    assert "ค่ะ" not in token_features(toks)


def test_char_ngrams_are_hashed_deterministically() -> None:
    """Same text, same columns in every process (no Python hash); a typo shares most n-grams with the word."""
    ids, counts = char_ngram_ids("แพทย์ใจดี", (1, 2, 3), 18)
    again, _ = char_ngram_ids("แพทย์ใจดี", (1, 2, 3), 18)
    assert np.array_equal(ids, again) and ids.min() >= 0 and ids.max() < 1 << 18
    assert counts.sum() == 11 + 10 + 9  # 9 code points padded with a space each side: 1-, 2- and 3-grams
    typo, _ = char_ngram_ids("แพทใจดี", (1, 2, 3), 18)
    assert len(np.intersect1d(ids, typo)) >= len(typo) * 0.6


def test_shipped_model_carries_the_general_model() -> None:
    model = load_model()
    assert model.general is not None and set(model.general.classes) == {"neg", "neu", "pos", "q"}


@pytest.mark.parametrize("text", GENERAL)
def test_general_text_without_question_is_read_by_the_general_model(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text)
    assert r.details["general_weight"] > 0.5, r.details


@pytest.mark.parametrize("question", ["message", "complaint", "dissatisfaction", "improvement", "expectation"])
def test_the_question_keeps_the_general_model_out(analyzer: Analyzer, question: str) -> None:
    """A patient's answer is a hospital message whatever its words: the hospital model alone reads it."""
    for text in GENERAL:
        assert analyzer.analyse(text, question=question).details["general_weight"] == 0.0


@pytest.mark.parametrize("text", POLITE_COMPLAINTS)
@pytest.mark.parametrize("question", [None, "message", "complaint", "dissatisfaction"])
def test_polite_complaints_stay_negative(analyzer: Analyzer, text: str, question: str | None) -> None:
    """The particles the general model reads never make a patient's polite complaint praise."""
    r = analyzer.analyse(text, question=question)
    assert r.sentiment.label == "neg", r.details
    assert r.details["general_weight"] < 0.5


def test_the_blend_moves_the_probabilities(analyzer: Analyzer) -> None:
    """Without a question the general model's read is blended in; with one the hospital model's stands alone."""
    text = "ร้านนี้อร่อยมากค่ะ ไว้จะมาอุดหนุนอีกนะคะ"
    general = analyzer.analyse(text)
    hospital = analyzer.analyse(text, question="message")
    assert general.details["general_weight"] > 0
    assert general.details["model"] != hospital.details["model"]
