from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.model import DEFAULT_MODEL_PATH, load_model
from nlp.train import main


@pytest.mark.slow
def test_train_on_tiny_dataset(tmp_path: Path) -> None:
    """`nlp.train` builds a versioned model from tiny wisesight-style, extra and correction files."""
    ws = tmp_path / "ws.jsonl"
    ws.write_text(
        "".join(json.dumps({"category": c, "texts": t}, ensure_ascii=False) + "\n" for c, t in [
            ("pos", "ดีมาก ชอบ"), ("pos", "ประทับใจ ดีมาก"), ("neg", "แย่มาก ห่วย"), ("neg", "ห่วย ผิดหวัง"),
            ("neu", "วันนี้ไปโรงพยาบาล"), ("q", "เปิดกี่โมง"),
        ]),
        encoding="utf-8",
    )  # fmt: skip
    corrections = tmp_path / "corr.jsonl"
    corrections.write_text(
        json.dumps({"text": "รอนาน", "topics": ["waiting"], "sentiment": "neg", "complaint": True}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "model.joblib"
    rc = main(["--wisesight", str(ws), "--hospital", "", "--extra", str(corrections),
               "--corrections", str(corrections), "--out", str(out)])  # fmt: skip
    assert rc == 0
    model = load_model(out)
    assert model.version.startswith("sentiment-tfidf-lr/") and len(model.data_hash) == 64
    assert model.meta["n_train"] == 8
    probs = model.proba(["ดี", "มาก", "ชอบ"])
    assert max(probs, key=lambda k: probs[k]) == "pos"


def test_shipped_model_is_versioned_and_small() -> None:
    """The committed model carries a version and training-data hash and stays a few MB at most."""
    model = load_model()
    assert model.version and len(model.data_hash) == 64
    assert set(model.classes) == {"neg", "neu", "pos"}
    assert DEFAULT_MODEL_PATH.stat().st_size < 5_000_000


def test_topic_model_learns_multilabel_topics() -> None:
    """The one-vs-rest topic model learns topics from labelled messages and names its evidence."""
    from nlp.train import train_topics

    docs = [["รอ", "คิว", "นาน"], ["คิว", "ยาว", "มาก"], ["ห้องน้ำ", "สกปรก"], ["ห้องน้ำ", "เหม็น"], ["คิว", "ห้องน้ำ"]]
    labels = [["waiting"], ["waiting"], ["environment"], ["environment"], ["waiting", "environment"]]
    model = train_topics(docs * 3, labels * 3, min_df=1)
    hits = model.proba(["คิว", "นาน", "จัง"], min_p=0.5)
    assert "waiting" in hits and "environment" not in hits
    assert "คิว" in hits["waiting"][1] or "นาน" in hits["waiting"][1]


def test_shipped_model_has_topic_model() -> None:
    """The committed model carries the topic model trained on the hospital's labelled messages."""
    model = load_model()
    assert model.topics is not None and "waiting" in model.topics.classes
    assert model.meta["n_topic_train"] > 0


def test_train_refuses_the_held_out_set(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The held-out set only measures: `nlp.train` refuses it by name, whichever option brings it in."""
    heldout = Path(__file__).resolve().parents[2] / "nlp" / "data" / "dev" / "heldout.jsonl"
    out = tmp_path / "model.joblib"
    for option in ("--hospital", "--extra"):
        assert main(["--wisesight", "", option, str(heldout), "--out", str(out)]) == 2
        assert "heldout" in capsys.readouterr().err
    assert not out.exists()
