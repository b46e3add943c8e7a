"""The model file's format 2 (issue 14 housekeeping: the shipped model neared its 5 MB limit): coefficients stored
feature-major in half precision, the multinomial model's last class rebuilt from the others, all-zero feature rows
left out, vocabularies joined into one string, the NRLS centroids in half precision. A model saved and loaded
again must score as it did; format-1 files (fold caches, older checkouts) must still load; anything else must say
what it is. Small synthetic models: no training here."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pytest

from nlp.features import general_token_features, token_features
from nlp.model import (
    GeneralModel,
    ModelError,
    SentimentModel,
    TopicModel,
    load_model,
    pack_coef,
    pack_terms,
    terms_by_column,
    unpack_coef,
    unpack_terms,
)
from nlp.nrls import RiskCoder

# Phone-typed patient messages (particles, spaces, a typo), tokenised by hand.
DOCS = [
    ["รอ", "คิว", "นาน", "มาก", "ค่ะ"],
    ["หมอ", "พูด", "ดี", "มากๆ", "ครับ"],
    ["ห้องน้ำ", "ไม่", "สะอาด", "เลย", "อ่ะ"],
    ["พยาบาล", "ใจดี", "ขอบคุณ", "นะคะ"],
    ["จ่าย", "ยา", "ผิด", "คน", "ค่ะ"],
    ["ที่", "จอด", "รถ", "เต็ม", "ตลอด"],
]
INCIDENTS = ["ผู้ป่วยพลัดตกเตียงตอนกลางคืน ไม่มีแผล", "ให้ยาผิดคน พยาบาลรายงานทันที", "ไฟดับที่ห้องผ่าตัด 10 นาที"]


def _vocab(features: Any) -> dict[str, int]:
    return {t: i for i, t in enumerate(sorted({f for doc in DOCS for f in features(doc)}))}


def _model(rng: np.random.Generator, nrls: dict[str, Any] | None = None) -> SentimentModel:
    vocab = _vocab(token_features)
    v = len(vocab)
    coef = rng.normal(0.0, 1.5, (3, v))
    coef -= coef.mean(axis=0)  # multinomial: every feature's classes sum to zero
    topic_coef = rng.normal(-0.3, 1.0, (4, v))
    topic_coef[3] = 0.0  # a topic never seen in training
    gvocab = _vocab(general_token_features)
    bits = 10
    gcoef = rng.normal(0.0, 2.0, (4, len(gvocab) + (1 << bits)))
    gcoef[:, len(gvocab) + 7 :: 3] = 0.0  # hashed columns no training text reached
    return SentimentModel(
        version="sentiment-tfidf-lr/20261208/test",
        data_hash="0" * 64,
        classes=("neg", "neu", "pos"),
        vocab=vocab,
        idf=rng.uniform(1.0, 6.0, v),
        coef=coef,
        intercept=rng.normal(0.0, 0.5, 3),
        meta={"n_train": 6},
        topics=TopicModel(
            ("waiting", "staff", "environment", "billing"),
            vocab,
            rng.uniform(1.0, 5.0, v),
            topic_coef,
            np.array([-1.0, -0.5, -2.0, -10.0]),
        ),
        nrls=nrls,
        general=GeneralModel(
            classes=("neg", "neu", "pos"),
            vocab=gvocab,
            idf=rng.uniform(1.0, 6.0, len(gvocab)),
            char_idf=rng.uniform(1.0, 9.0, 1 << bits),
            coef=gcoef,
            intercept=rng.normal(0.0, 0.5, 4),
            bits=bits,
        ),
    )


def _scores(model: SentimentModel) -> list[float]:
    out: list[float] = []
    assert model.topics is not None and model.general is not None
    for doc in [*DOCS, ["ไม่", "รู้จัก", "คำ", "นี้"]]:
        out += list(model.proba(doc).values())
        out += [p for p, _ in model.topics.proba(doc, min_p=0.0).values()]
        out += model.general.scores(doc, "".join(doc)).tolist()
    return out


def test_saved_model_scores_as_it_did(tmp_path: Path) -> None:
    """save → load gives the same sentiment probabilities, topic probabilities and general-model scores (half
    precision: to ~1e-3), the same vocabularies in the same columns, and the same topic evidence."""
    model = _model(np.random.default_rng(14))
    model.save(tmp_path / "m.joblib")
    back = load_model(tmp_path / "m.joblib")
    assert joblib.load(tmp_path / "m.joblib")["format"] == 2
    assert back.vocab == model.vocab and back.classes == model.classes and back.meta == model.meta
    assert back.topics is not None and model.topics is not None and back.topics.vocab == model.topics.vocab
    assert back.general is not None and model.general is not None and back.general.vocab == model.general.vocab
    assert back.version == model.version and back.data_hash == model.data_hash
    np.testing.assert_allclose(_scores(back), _scores(model), atol=5e-3)
    for doc in DOCS:
        got = {c: ev for c, (_, ev) in back.topics.proba(doc, min_p=0.3).items()}
        assert got == {c: ev for c, (_, ev) in model.topics.proba(doc, min_p=0.3).items()}


def test_last_class_is_rebuilt_only_when_the_classes_sum_to_zero() -> None:
    """A multinomial model's last row is left out and rebuilt as minus the others' sum; one-vs-rest rows (which do
    not sum to zero) are all stored."""
    rng = np.random.default_rng(3)
    coef = rng.normal(0.0, 1.0, (3, 40))
    coef -= coef.mean(axis=0)
    packed = pack_coef(coef, zero_sum=True)
    assert packed["last"] == "neg_sum" and packed["rows"].shape == (40, 2)
    np.testing.assert_allclose(unpack_coef(packed), coef, atol=3e-3)
    ovr = coef + 0.5
    packed = pack_coef(ovr, zero_sum=True)
    assert packed["last"] == "stored" and packed["rows"].shape == (40, 3)
    np.testing.assert_allclose(unpack_coef(packed), ovr, atol=3e-3)


def test_only_features_with_no_weight_anywhere_are_left_out() -> None:
    """A feature that weighs nothing in every class is left out of the file and comes back as zeros; one that
    weighs a little in a single class is kept (it may be what decides a message)."""
    coef = np.zeros((5, 12))
    coef[:, 1] = [0.5, -0.25, 1.0, 2.0, -3.0]
    coef[4, 6] = 0.002  # tiny, in one class only
    coef[2, 11] = -7.5
    packed = pack_coef(coef)
    assert packed["rows"].shape == (3, 5)
    back = unpack_coef(packed)
    assert back.shape == (5, 12) and back[4, 6] != 0.0
    np.testing.assert_allclose(back, coef, rtol=1e-3)
    assert not back[:, [0, 2, 3, 4, 5, 7, 8, 9, 10]].any()


def test_a_weight_half_precision_cannot_hold_is_refused() -> None:
    """A diverged weight (beyond ±65,504) would come back infinite: the save refuses it instead."""
    coef = np.zeros((2, 4))
    coef[1, 2] = 1e6
    with pytest.raises(ValueError, match="half precision"):
        pack_coef(coef)


def test_loaded_coefficients_need_no_copy_to_score() -> None:
    """The file's feature-major rows are what inference gathers from: the loaded (C, V) matrix is their transpose."""
    back = unpack_coef(pack_coef(np.random.default_rng(1).normal(size=(3, 30))))
    assert back.T.flags["C_CONTIGUOUS"] and back.dtype == np.float64


def test_vocabulary_is_joined_only_when_the_join_round_trips() -> None:
    terms = ["ค่ะ", "รอ นาน", "~ดี", "w:ct"]
    packed = pack_terms(terms)
    assert isinstance(packed, str) and unpack_terms(packed) == terms
    for odd in (["รอ", "นาน\nมาก"], ["", "รอ"], []):
        assert pack_terms(odd) == odd and unpack_terms(pack_terms(odd)) == odd


def test_nrls_coder_suggests_the_same_codes_after_a_round_trip(tmp_path: Path) -> None:
    """The risk coder's centroids in half precision: the same suggested codes for incident reports, the scores to
    ~1e-3; its vocabulary comes back a list in column order."""
    labelled = zip(INCIDENTS, ("CPP405", "CPM101", "CPS302"), strict=True)
    coder = RiskCoder.build([(text, code, None, 1.0) for text, code in labelled])
    model = _model(np.random.default_rng(5), nrls=coder.to_payload())
    model.save(tmp_path / "m.joblib")
    back = load_model(tmp_path / "m.joblib")
    assert back.nrls is not None and isinstance(back.nrls["vocab"], list)
    again = RiskCoder.from_payload(back.nrls)
    assert again.vocab == coder.vocab
    assert coder.suggest(INCIDENTS[0])[0].code == "CPP405"
    for text in [*INCIDENTS, "คนไข้ล้มในห้องน้ำ ญาติแจ้งพยาบาล"]:
        np.testing.assert_allclose(again.scores(text), coder.scores(text), atol=2e-3)
        assert [s.code for s in again.suggest(text)] == [s.code for s in coder.suggest(text)]


def _format1_payload(model: SentimentModel) -> dict[str, Any]:
    """What format 1 wrote (nlp/model.py before issue 14's housekeeping)."""
    assert model.topics is not None and model.general is not None
    t, g = model.topics, model.general
    return {
        "format": 1, "version": model.version, "data_hash": model.data_hash, "classes": list(model.classes),
        "vocab": terms_by_column(model.vocab), "idf": model.idf.astype(np.float32),
        "coef": model.coef.astype(np.float32), "intercept": model.intercept.astype(np.float32), "meta": model.meta,
        "topics": {"classes": list(t.classes), "vocab": terms_by_column(t.vocab), "idf": t.idf.astype(np.float32),
                   "coef": t.coef.astype(np.float32), "intercept": t.intercept.astype(np.float32)},
        "general": {"classes": list(g.classes), "vocab": terms_by_column(g.vocab), "idf": g.idf.astype(np.float32),
                    "char_idf": g.char_idf.astype(np.float32), "coef": g.coef.astype(np.float16),
                    "intercept": g.intercept.astype(np.float32), "ngrams": list(g.ngrams), "bits": g.bits},
    }  # fmt: skip


def test_format_1_files_still_load(tmp_path: Path) -> None:
    """A format-1 file (crossval's cached fold models, a model from before) loads and scores as before."""
    model = _model(np.random.default_rng(8))
    joblib.dump(_format1_payload(model), tmp_path / "old.joblib", compress=("xz", 1))
    back = load_model(tmp_path / "old.joblib")
    assert back.vocab == model.vocab and back.meta == model.meta and back.nrls is None
    np.testing.assert_allclose(_scores(back), _scores(model), atol=5e-3)


@pytest.mark.parametrize("payload", [{"format": 3, "version": "x"}, {"version": "x"}, ["not", "a", "model"]])
def test_other_files_are_refused_with_a_clear_error(tmp_path: Path, payload: Any) -> None:
    joblib.dump(payload, tmp_path / "odd.joblib")
    with pytest.raises(ModelError, match=r"format 1 or 2 .*retrain"):
        load_model(tmp_path / "odd.joblib")


def test_half_precision_moves_a_probability_by_little() -> None:
    """The bound the format rests on: a weight's rounding error is ≤ 2**-11 of it, so a message's score (weights
    times an l2-normalised vector) moves by ≤ 2**-11 · |coef row| — far below the gaps that decide a class."""
    rng = np.random.default_rng(21)
    coef = rng.normal(0.0, 2.0, (3, 500))
    coef -= coef.mean(axis=0)
    back = unpack_coef(pack_coef(coef, zero_sum=True))
    x = rng.uniform(0.0, 1.0, 500)
    x /= math.sqrt(float(x @ x))
    bound = 2.0**-11 * np.linalg.norm(coef, axis=1).max() * 2  # the rebuilt row carries two rows' errors
    assert np.abs(back @ x - coef @ x).max() <= bound
