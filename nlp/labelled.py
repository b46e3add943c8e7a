"""Reading labelled JSONL files: the dev set, the committee's exported corrections and wisesight."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nlp.model import LABELS


def rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; a line that is not JSON stops with its place."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{lineno}: not JSON: {exc}") from exc


def text_of(row: dict[str, Any]) -> str | None:
    """The message: "text" (dev set) or "texts" (wisesight)."""
    text = row.get("text", row.get("texts"))
    return text if isinstance(text, str) else None


def sentiment_of(row: dict[str, Any], keep_question: bool = False) -> str | None:
    """pos/neu/neg from "sentiment" or wisesight's "category" (its question label q counts as neu, unless
    ``keep_question``: the general model learns questions as a class of their own and reads them as neu)."""
    label = row.get("sentiment", row.get("category"))
    if label == "q":
        return "q" if keep_question else "neu"
    return label if label in LABELS else None
