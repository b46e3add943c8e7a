from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nlp.evaluate import main as evaluate_main

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=120, check=True
    )
    return proc.stdout


@pytest.mark.subprocess
def test_tag_prints_contract_json() -> None:
    """`python -m nlp tag` prints exactly the contract JSON, Thai unescaped."""
    out = run("nlp", "tag", "พยาบาลพูดจาไม่สุภาพ รอนานมาก")
    assert "พยาบาล" in out  # ensure_ascii=False
    d = json.loads(out)
    assert list(d) == ["tokens", "topics", "sentiment", "complaint", "severity_hint", "sentinel"]
    assert {t["code"] for t in d["topics"]} >= {"staff_behavior", "waiting"}
    assert all(set(t) == {"code", "score", "evidence"} for t in d["topics"])
    assert d["sentiment"]["label"] == "neg" and d["complaint"] is True
    assert d["severity_hint"] is None and d["sentinel"] is False


def evaluate(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    """`python -m nlp.evaluate` in-process (the tokenizer dictionaries are already loaded)."""
    assert evaluate_main(list(args)) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def test_evaluate_json_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m nlp.evaluate --json` prints every contract figure, null where the file can't support it."""
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"text": "รอนานมาก", "topics": ["waiting"], "sentiment": "neg", "complaint": True, "sentinel": False},
        {"text": "หมอใจดีค่ะ", "topics": ["staff_behavior"], "sentiment": "pos", "complaint": False, "x": 1},
        {"texts": "ชอบมากเลย", "category": "pos"},
    ]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    d = evaluate(capsys, str(gold), "--json")
    expected = {
        "topics_micro_f1", "topics_macro_f1", "sentiment_accuracy", "sentiment_macro_f1", "complaint_precision",
        "complaint_recall", "sentinel_precision", "sentinel_recall", "messages_per_second", "n", "per_topic",
        "risk_code_top1", "risk_code_top3", "severity_band_accuracy", "needs_review_share",
    }  # fmt: skip
    assert set(d) == expected
    assert d["risk_code_top3"] is None and d["severity_band_accuracy"] is None  # no gold codes in this file
    assert d["n"] == 3 and d["messages_per_second"] > 0
    assert set(d["per_topic"]) >= {"waiting", "staff_behavior"}
    assert d["sentinel_recall"] is None  # the only sentinel-labelled line is negative


@pytest.mark.slow
def test_evaluate_wisesight_format_is_sentiment_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wisesight lines give sentiment figures and null topic/complaint figures."""
    gold = tmp_path / "ws.jsonl"
    gold.write_text('{"texts": "แย่มาก", "category": "neg"}\n{"texts": "ถามหน่อย", "category": "q"}\n', encoding="utf-8")
    d = evaluate(capsys, str(gold), "--json", "--engine", "newmm")
    assert d["sentiment_accuracy"] is not None
    assert d["topics_micro_f1"] is None and d["complaint_recall"] is None and d["per_topic"] is None
