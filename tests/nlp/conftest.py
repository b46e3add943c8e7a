"""Fixtures for the NLP tests: one analyser per run (the tokenizer dictionary and model load once)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nlp import Analyzer, get_analyzer

DEV_DIR = Path(__file__).resolve().parents[2] / "nlp" / "data" / "dev"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return get_analyzer()


def read_dev(name: str) -> list[dict[str, Any]]:
    with (DEV_DIR / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
