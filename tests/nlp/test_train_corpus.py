"""Retraining finds the wisesight corpus at a documented place, or says in one line where to get it."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp import train


def test_missing_wisesight_says_where_to_get_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing corpus is one stderr line naming the path looked at and where to put the corpus; exit 2."""
    missing = tmp_path / "nowhere" / "train.jsonl"
    assert train.main(["--wisesight", str(missing), "--out", str(tmp_path / "m.joblib")]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert str(missing) in line and "data/wisesight/train.jsonl" in line and "wisesight-sentiment" in line


def test_corpus_is_looked_for_inside_the_clone_first() -> None:
    """data/wisesight/train.jsonl in the clone (git-ignored) comes before ../shared beside it."""
    inside, beside = train.WISESIGHT_PLACES
    assert inside == train.REPO_ROOT / "data" / "wisesight" / "train.jsonl"
    assert beside.parent.parent.parent.parent == train.REPO_ROOT.parent
    assert train.DEFAULT_WISESIGHT in train.WISESIGHT_PLACES
