"""Measure the analyser: ``python -m nlp.evaluate FILE.jsonl [--json] [--engine newmm|nlpo3]``.

Lines: ``{"text", "topics": [codes], "sentiment": "pos|neu|neg", "complaint": bool, "sentinel"?: bool,
"question"?: str, "risk_code"?: NRLS code, "severity"?: A–I | 1–5}`` (extra keys ignored), or wisesight lines
``{"texts", "category"}`` for sentiment only (``q`` = ``neu``). The question (what the text answers) is passed
to the analyser; a line with ``"kind": "incident"`` and no question is a staff incident report. Figures a file
cannot support (no topics, no sentinel labels, no risk codes) are reported as null. ``--model PATH`` scores
another model file (e.g. one trained with ``nlp.train --corrections``); the default is the shipped one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp import labelled
from nlp.model import LABELS
from nlp.nrls import band
from nlp.tokenizer import ENGINES
from nlp.topics import TOPIC_CODES


@dataclass(slots=True)
class Gold:
    text: str
    sentiment: str | None
    topics: list[str] | None
    complaint: bool | None
    sentinel: bool | None
    question: str | None = None
    risk_code: str | None = None
    severity: str | None = None


@dataclass(slots=True)
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: bool, pred: bool) -> None:
        self.tp += gold and pred
        self.fp += pred and not gold
        self.fn += gold and not pred

    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def f1(self) -> float | None:
        denom = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denom if denom else None


@dataclass(slots=True)
class Report:
    n: int = 0
    seconds: float = 0.0
    topics: dict[str, _Counts] = field(default_factory=lambda: {c: _Counts() for c in TOPIC_CODES})
    n_topics: int = 0
    sentiment: list[tuple[str, str]] = field(default_factory=list)
    complaint: _Counts = field(default_factory=_Counts)
    n_complaint: int = 0
    sentinel: _Counts = field(default_factory=_Counts)
    n_sentinel: int = 0
    n_code: int = 0
    code_top1: int = 0
    code_top3: int = 0
    n_severity: int = 0
    severity_band: int = 0
    n_review: int = 0


SEVERITIES = frozenset("ABCDEFGHI12345")


def question_of(d: dict[str, Any]) -> str | None:
    q = d.get("question")
    if isinstance(q, str) and q:
        return q
    return "incident" if d.get("kind") == "incident" else None


def read_gold(path: Path) -> list[Gold]:
    gold: list[Gold] = []
    for lineno, d in labelled.rows(path):
        text = labelled.text_of(d)
        if text is None:
            raise SystemExit(f'{path}:{lineno}: no "text"')
        topics = d.get("topics")
        gold.append(Gold(
            text=text,
            sentiment=labelled.sentiment_of(d),
            topics=[t for t in topics if isinstance(t, str)] if isinstance(topics, list) else None,
            complaint=d["complaint"] if isinstance(d.get("complaint"), bool) else None,
            sentinel=d["sentinel"] if isinstance(d.get("sentinel"), bool) else None,
            question=question_of(d),
            risk_code=d["risk_code"] if isinstance(d.get("risk_code"), str) else None,
            severity=str(d["severity"]) if str(d.get("severity", "")) in SEVERITIES else None,
        ))  # fmt: skip
    return gold


def evaluate(
    rows: list[Gold], engine: str | None = None, config_dir: Path | None = None, model_path: Path | None = None
) -> Report:
    from nlp.analyzer import Analyzer

    analyzer = Analyzer(config_dir, engine, model_path=model_path)
    analyzer.analyse("อุ่นเครื่อง")  # first call pays one-off costs; keep them out of the speed figure
    analyzer.analyse("อุ่นเครื่อง", question="incident")
    rep = Report(n=len(rows))
    start = time.perf_counter()
    results = [analyzer.analyse(g.text, question=g.question) for g in rows]
    rep.seconds = time.perf_counter() - start
    score(rep, rows, results)
    return rep


def score(rep: Report, rows: list[Gold], results: list[Any]) -> None:
    """Add the analyses of ``rows`` to ``rep`` (cross-validation sums its folds into one report)."""
    for g, r in zip(rows, results, strict=True):
        if g.topics is not None:
            rep.n_topics += 1
            predicted = {t.code for t in r.topics}
            for code in TOPIC_CODES:
                rep.topics[code].add(code in g.topics, code in predicted)
        if g.sentiment is not None:
            rep.sentiment.append((g.sentiment, r.sentiment.label))
        if g.complaint is not None:
            rep.n_complaint += 1
            rep.complaint.add(g.complaint, r.complaint)
        if g.sentinel is not None:
            rep.n_sentinel += 1
            rep.sentinel.add(g.sentinel, r.sentinel)
        codes = [c.code for c in getattr(r, "risk_codes", [])]
        if g.risk_code is not None:
            rep.n_code += 1
            rep.code_top1 += codes[:1] == [g.risk_code]
            rep.code_top3 += g.risk_code in codes[:3]
        if g.severity is not None:
            rep.n_severity += 1
            rep.severity_band += band(getattr(r, "severity", None)) == band(g.severity)
        rep.n_review += bool(getattr(r, "needs_review", False))


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def summary(rep: Report) -> dict[str, Any]:
    out: dict[str, Any] = {"n": rep.n}
    if rep.n_topics:
        micro = _Counts(
            sum(c.tp for c in rep.topics.values()),
            sum(c.fp for c in rep.topics.values()),
            sum(c.fn for c in rep.topics.values()),
        )
        # Macro over topics that occur in the gold labels or the predictions (others have no F1).
        f1s = [f for c in rep.topics.values() if (f := c.f1()) is not None]
        out["topics_micro_f1"] = _r(micro.f1() or 0.0)
        out["topics_macro_f1"] = _r(sum(f1s) / len(f1s) if f1s else None)
    else:
        out["topics_micro_f1"] = out["topics_macro_f1"] = None
    if rep.sentiment:
        correct = sum(g == p for g, p in rep.sentiment)
        f1s = []
        for lab in LABELS:
            c = _Counts()
            for g, p in rep.sentiment:
                c.add(g == lab, p == lab)
            if c.tp + c.fn:
                f1s.append(c.f1() or 0.0)
        out["sentiment_accuracy"] = _r(correct / len(rep.sentiment))
        out["sentiment_macro_f1"] = _r(sum(f1s) / len(f1s))
    else:
        out["sentiment_accuracy"] = out["sentiment_macro_f1"] = None
    out["complaint_precision"] = _r(rep.complaint.precision()) if rep.n_complaint else None
    out["complaint_recall"] = _r(rep.complaint.recall()) if rep.n_complaint else None
    out["sentinel_precision"] = _r(rep.sentinel.precision()) if rep.n_sentinel else None
    out["sentinel_recall"] = _r(rep.sentinel.recall()) if rep.n_sentinel else None
    out["risk_code_top1"] = _r(rep.code_top1 / rep.n_code) if rep.n_code else None
    out["risk_code_top3"] = _r(rep.code_top3 / rep.n_code) if rep.n_code else None
    out["severity_band_accuracy"] = _r(rep.severity_band / rep.n_severity) if rep.n_severity else None
    out["needs_review_share"] = _r(rep.n_review / rep.n) if rep.n else None
    out["messages_per_second"] = round(rep.n / rep.seconds, 1) if rep.seconds > 0 else None
    out["per_topic"] = (
        {
            code: {
                "precision": _r(c.precision()),
                "recall": _r(c.recall()),
                "f1": _r(c.f1()),
                "support": c.tp + c.fn,
            }
            for code, c in rep.topics.items()
        }
        if rep.n_topics
        else None
    )
    return out


def _fmt(x: Any) -> str:
    return "—" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def print_text(s: dict[str, Any]) -> None:
    if s["per_topic"]:
        print(f"{'topic':<16} {'prec':>6} {'recall':>6} {'f1':>6} {'support':>7}")
        for code, m in s["per_topic"].items():
            print(f"{code:<16} {_fmt(m['precision']):>6} {_fmt(m['recall']):>6} {_fmt(m['f1']):>6} {m['support']:>7}")
        print()
    for key in ("topics_micro_f1", "topics_macro_f1", "sentiment_accuracy", "sentiment_macro_f1",
                "complaint_precision", "complaint_recall", "sentinel_precision", "sentinel_recall",
                "risk_code_top1", "risk_code_top3", "severity_band_accuracy", "needs_review_share",
                "messages_per_second", "n"):  # fmt: skip
        print(f"{key:<20} {_fmt(s[key])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nlp.evaluate", description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--engine", choices=ENGINES, default=None)
    ap.add_argument("--config-dir", type=Path, default=None)
    ap.add_argument("--model", type=Path, default=None, help="model file to score (default: the shipped one)")
    args = ap.parse_args(argv)
    if not args.file.exists():
        print(f"error: {args.file} not found", file=sys.stderr)
        return 2
    s = summary(evaluate(read_gold(args.file), args.engine, args.config_dir, args.model))
    if args.json:
        print(json.dumps(s, ensure_ascii=False))
    else:
        print_text(s)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
