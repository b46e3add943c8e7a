"""Does a speed change keep the analyser's output? ``python bench/nlp_equivalence.py dump OUT.jsonl`` then
``python bench/nlp_equivalence.py compare BEFORE.jsonl AFTER.jsonl``.

``dump`` runs ``Analyzer.analyse`` over every line of ``nlp/data/dev/*.jsonl`` (except the blind set
heldout7, which it never opens; heldout6 was retired into tuning as tune18) with the question it answers
(and, for incident lines without one, also as ``incident``), over the speed bench's 1,000-character incident
reports, and over a few long texts (past MAX_CHARS and SEVERITY_MAX_CHARS), and writes the whole analysis of
each — tokens, topics with evidence, sentiment, confidence, complaint, sentinel, severity hint, NRLS codes,
suggested severity and every detail — one JSON line per text. ``compare`` prints every line that differs
(field by field) and exits 1 if any does; ``--float-tol`` forgives float differences that small (a changed
summation order), and they are listed separately.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.nlp_speed import DEV, incident_reports, load_rows  # noqa: E402

# Blind evaluation sets: never read here (their lines must not reach a dump a helper can open).
BLIND = frozenset({"heldout7.jsonl"})


def cases() -> list[tuple[str, str, str | None]]:
    """(case id, text, question) of every text the dump analyses."""
    out: list[tuple[str, str, str | None]] = []
    for path in sorted(DEV.glob("*.jsonl")):
        if path.name in BLIND:
            continue
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                text = row.get("text", row.get("texts", ""))
                if not isinstance(text, str):
                    text = " ".join(text)
                question = row.get("question")
                out.append((f"{path.name}:{n}", text, question))
                if row.get("kind") == "incident" and question != "incident":
                    out.append((f"{path.name}:{n}:incident", text, "incident"))
    rows = load_rows(sorted(DEV.glob("tune*.jsonl")))
    for n, (text, question) in enumerate(incident_reports(rows)):
        out.append((f"incident_1000:{n}", text, question))
    joined = " ".join(text for text, _, kind in rows if kind == "incident")
    patients = " ".join(text for text, _, kind in rows if kind != "incident")
    for size in (2999, 3001, 5000, 25000):
        out.append((f"long_incident:{size}", joined[:size], "incident"))
        out.append((f"long_patient:{size}", patients[:size], "message"))
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_jsonable(v) for v in value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def full_analysis(analysis: Any) -> dict[str, Any]:
    return _jsonable({
        **analysis.to_dict(),
        "confidence": analysis.confidence,
        "needs_review": analysis.needs_review,
        "suggestions": analysis.suggestions(),
        "details": analysis.details,
    })  # fmt: skip


def dump(out: Path) -> int:
    from nlp.analyzer import Analyzer

    analyzer = Analyzer()
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for case, text, question in cases():
            result = full_analysis(analyzer.analyse(text, question=question))
            fh.write(json.dumps({"case": case, "question": question, "analysis": result}, ensure_ascii=False))
            fh.write("\n")
            n += 1
    print(f"{n} analyses → {out}")
    return 0


def _diff(a: Any, b: Any, path: str, tol: float, out: list[tuple[str, str, Any, Any]]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            _diff(a.get(k, "<missing>"), b.get(k, "<missing>"), f"{path}.{k}", tol, out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{path}[{i}]", tol, out)
    elif isinstance(a, float) and isinstance(b, float) and a != b:
        out.append(("float" if abs(a - b) <= tol else "value", path, a, b))
    elif a != b or type(a) is not type(b):
        out.append(("value", path, a, b))


def compare(before: Path, after: Path, tol: float) -> int:
    def load(p: Path) -> dict[str, dict[str, Any]]:
        with p.open(encoding="utf-8") as fh:
            return {row["case"]: row["analysis"] for row in map(json.loads, fh)}

    a, b = load(before), load(after)
    value_diffs = float_diffs = 0
    for case in sorted(set(a) | set(b)):
        if case not in a or case not in b:
            print(f"{case}: only in {'after' if case in b else 'before'}")
            value_diffs += 1
            continue
        diffs: list[tuple[str, str, Any, Any]] = []
        _diff(a[case], b[case], "", tol, diffs)
        for kind, path, x, y in diffs:
            print(f"{case} [{kind}] {path}: {x!r} → {y!r}")
        value_diffs += any(kind == "value" for kind, *_ in diffs)
        float_diffs += bool(diffs) and all(kind == "float" for kind, *_ in diffs)
    print(f"{len(a)} before, {len(b)} after: {value_diffs} differ, {float_diffs} only in floats within {tol}")
    return 1 if value_diffs else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--float-tol", type=float, default=0.0)
    args = ap.parse_args()
    sys.exit(dump(args.out) if args.cmd == "dump" else compare(args.before, args.after, args.float_tol))


if __name__ == "__main__":
    main()
