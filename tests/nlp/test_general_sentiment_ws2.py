"""The general-Thai model, round 3 (issue 14, h/nlp-ws2): wisesight's questions are a class of their own (read as
neutral), a linear SVM is summed with the NB-SVM, and social-media Thai that names a hospital word in passing
is still read by the general model when the domain row is sure it is no hospital message."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nlp import Analyzer
from nlp import train as train_mod
from nlp.model import load_model

TINY = [
    ("pos", "ดีมาก ชอบมากค่ะ"), ("pos", "ประทับใจ อร่อยมาก"), ("pos", "ชอบมาก สวยมาก"),
    ("neg", "แย่มาก ห่วยแตก"), ("neg", "ผิดหวัง ห่วยมาก"), ("neg", "แย่ ไม่อร่อยเลย"),
    ("neu", "วันนี้ไปตลาดมา"), ("neu", "ประกาศวันหยุดร้าน"), ("neu", "โปรโมชั่นเดือนนี้"),
    ("q", "เปิดกี่โมงคะ"), ("q", "ราคาเท่าไหร่คะ"), ("q", "มีสาขาไหนบ้างคะ"),
]  # fmt: skip


def _train(tmp_path: Path, name: str) -> Path:
    ws = tmp_path / "ws.jsonl"
    ws.write_text("".join(json.dumps({"category": c, "texts": t}, ensure_ascii=False) + "\n" for c, t in TINY))
    out = tmp_path / name
    assert train_mod.main(["--wisesight", str(ws), "--hospital", "", "--out", str(out)]) == 0
    return out


@pytest.mark.slow
def test_questions_are_learnt_as_a_class_and_read_as_neutral(tmp_path: Path) -> None:
    model = load_model(_train(tmp_path, "m.joblib"))
    assert model.general is not None and model.general.classes == ("neg", "neu", "pos", "q")
    assert model.meta["labels"] == {"neg": 3, "neu": 6, "pos": 3}  # the hospital model still counts q as neu
    r = Analyzer(model=model).analyse("ส่งต่างจังหวัดได้ไหมคะ ราคาเท่าไหร่คะ")
    assert r.details["general_weight"] > 0
    assert set(r.details["model"]) == {"neg", "neu", "pos"}
    assert sum(r.details["model"].values()) == pytest.approx(1.0)


@pytest.mark.slow
def test_the_general_model_sums_an_svm_with_the_nb_svm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Turning the SVM off changes the general model's coefficients: the shipped one carries both learners."""
    both = load_model(_train(tmp_path, "both.joblib")).general
    monkeypatch.setattr(train_mod, "GENERAL_SVM_WEIGHT", 0.0)
    nb_only = load_model(_train(tmp_path, "nb.joblib")).general
    assert both is not None and nb_only is not None
    n = len(both.classes)
    assert not np.allclose(both.coef[:n], nb_only.coef[:n])
    assert np.allclose(both.coef[n], nb_only.coef[n])  # the hospital-domain row is the same


def test_shipped_general_model_has_the_question_class() -> None:
    model = load_model()
    assert model.general is not None and model.general.classes == ("neg", "neu", "pos", "q")


def test_a_hospital_word_in_plainly_general_thai_is_read_by_the_general_model(analyzer: Analyzer) -> None:
    """"ดุ" is a hospital complaint word (a rude nurse), but a post about a modified pickup truck is general Thai:
    the domain row finds it far from the hospital's messages, so the general model reads it and the hospital
    lexicon rule does not decide."""
    r = analyzer.analyse("Nissan Navara คันนี้แต่งมาดุดิบมาก!! ภาพจากเพจแต่งรถ")
    assert r.details["general_weight"] > 0.5 and r.details["decided_by"] == "blend", r.details


@pytest.mark.parametrize("text", ["หมอพูดจาไม่ดีเลยค่ะ รอนานมาก", "พยาบาลดุมากค่ะ ถามอะไรก็ไม่ตอบ"])
def test_a_patient_complaint_without_question_stays_with_the_hospital_model(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text)
    assert r.details["general_weight"] == 0.0 and r.sentiment.label == "neg", r.details
