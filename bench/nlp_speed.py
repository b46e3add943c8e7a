"""NLP tagging speed, one process, one core: ``python bench/nlp_speed.py [--n 3000] [--file F.jsonl] [--newmm]``.

Two workloads (issue 14), each cycled to ``--n`` messages, tagging only (loading excluded):
``patient`` — the project's patient messages (tuning files) with the question each answers, and
``incident_1000`` — staff incident reports joined and cut to 1,000 characters, tagged as incidents
(NRLS codes, severity, sentinel). nlpo3 by default; ``--newmm`` adds the newmm tokenizer.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "nlp" / "data" / "dev"


def load_rows(files: list[Path]) -> list[tuple[str, str | None, str]]:
    """(text, question, kind) of every line."""
    rows = []
    for path in files:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    kind = row.get("kind", "patient")
                    question = row.get("question") or ("incident" if kind == "incident" else None)
                    rows.append((row.get("text", row.get("texts", "")), question, kind))
    return rows


def incident_reports(rows: list[tuple[str, str | None, str]], chars: int = 1000) -> list[tuple[str, str | None]]:
    """Incident narratives joined end to end and cut into reports of exactly ``chars`` characters."""
    joined = " ".join(text for text, _, kind in rows if kind == "incident")
    return [(joined[i : i + chars], "incident") for i in range(0, len(joined) - chars, chars)]


def measure(
    engine: str, texts: list[tuple[str, str | None]], n: int, workload: str
) -> dict[str, float | str | int]:
    from nlp.analyzer import Analyzer

    analyzer = Analyzer(engine=engine)
    for text, question in texts[:50]:  # warm-up: first calls pay one-off costs
        analyzer.analyse(text, question=question)
    batch = list(itertools.islice(itertools.cycle(texts), n))
    start, cpu_start = time.perf_counter(), time.process_time()
    for text, question in batch:
        analyzer.analyse(text, question=question)
    seconds = time.perf_counter() - start
    # CPU seconds of this process: the one-core figure even when other jobs share the machine.
    cpu_seconds = time.process_time() - cpu_start
    tok_start = time.perf_counter()
    for text, _ in batch:
        analyzer.tokenize(text)
    tok_seconds = time.perf_counter() - tok_start
    return {
        "engine": engine,
        "workload": workload,
        "n": n,
        "messages_per_second": round(n / seconds, 1),
        "messages_per_cpu_second": round(n / cpu_seconds, 1),
        "us_per_message": round(seconds / n * 1e6, 1),
        "tokenize_us_per_message": round(tok_seconds / n * 1e6, 1),
        "mean_chars": round(sum(len(t) for t, _ in batch) / n, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--file", type=Path, action="append", help="JSONL with text/texts (default: the dev set)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--newmm", action="store_true", help="also measure the newmm tokenizer")
    args = ap.parse_args()
    rows = load_rows(args.file or sorted(DEV.glob("tune*.jsonl")))
    workloads = {
        "patient": [(text, q) for text, q, kind in rows if kind != "incident"],
        "incident_1000": incident_reports(rows),
    }
    engines = ("nlpo3", "newmm") if args.newmm else ("nlpo3",)
    results = [measure(e, texts, args.n, name) for e in engines for name, texts in workloads.items() if texts]
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return
    header = ("engine", "workload", "msgs/s", "msgs/cpu-s", "µs/msg", "tokenize µs", "chars")
    print("{:<8} {:<14} {:>9} {:>11} {:>8} {:>12} {:>6}".format(*header))
    for r in results:
        print(f"{r['engine']:<8} {r['workload']:<14} {r['messages_per_second']:>9} {r['messages_per_cpu_second']:>11} "
              f"{r['us_per_message']:>8} {r['tokenize_us_per_message']:>12} {r['mean_chars']:>6}")  # fmt: skip


if __name__ == "__main__":
    main()
