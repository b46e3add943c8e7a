"""NLP tagging speed, one process, one core: ``python bench/nlp_speed.py [--n 3000] [--file F.jsonl]``.

Prints messages/second for the nlpo3 and newmm tokenizers side by side, over the project's dev-set
messages (the tuning files) cycled to ``--n`` messages. Tagging only: loading is excluded.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "nlp" / "data" / "dev"


def load_texts(files: list[Path]) -> list[str]:
    texts = []
    for path in files:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    texts.append(row.get("text", row.get("texts", "")))
    return texts


def measure(engine: str, texts: list[str], n: int) -> dict[str, float | str | int]:
    from nlp.analyzer import Analyzer

    analyzer = Analyzer(engine=engine)
    for text in texts[:50]:  # warm-up: first calls pay one-off costs
        analyzer.analyse(text)
    batch = list(itertools.islice(itertools.cycle(texts), n))
    start, cpu_start = time.perf_counter(), time.process_time()
    for text in batch:
        analyzer.analyse(text)
    seconds = time.perf_counter() - start
    # CPU seconds of this process: the one-core figure even when other jobs share the machine.
    cpu_seconds = time.process_time() - cpu_start
    tok_start = time.perf_counter()
    for text in batch:
        analyzer.tokenize(text)
    tok_seconds = time.perf_counter() - tok_start
    return {
        "engine": engine,
        "n": n,
        "messages_per_second": round(n / seconds, 1),
        "messages_per_cpu_second": round(n / cpu_seconds, 1),
        "us_per_message": round(seconds / n * 1e6, 1),
        "tokenize_us_per_message": round(tok_seconds / n * 1e6, 1),
        "mean_chars": round(sum(map(len, batch)) / n, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--file", type=Path, action="append", help="JSONL with text/texts (default: the dev set)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    texts = load_texts(args.file or sorted(DEV.glob("tune*.jsonl")))
    results = [measure(engine, texts, args.n) for engine in ("nlpo3", "newmm")]
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return
    print(f"{'engine':<8} {'msgs/s':>9} {'msgs/cpu-s':>11} {'µs/msg':>8} {'tokenize µs':>12} {'chars':>6}")
    for r in results:
        print(f"{r['engine']:<8} {r['messages_per_second']:>9} {r['messages_per_cpu_second']:>11} "
              f"{r['us_per_message']:>8} {r['tokenize_us_per_message']:>12} {r['mean_chars']:>6}")  # fmt: skip


if __name__ == "__main__":
    main()
