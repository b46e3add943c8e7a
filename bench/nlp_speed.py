"""NLP tagging speed, one process, one core: ``python bench/nlp_speed.py [--n 3000] [--file F.jsonl] [--newmm]``.

Workloads (issue 14), each cycled to ``--n`` messages, tagging only (loading excluded):
``patient`` — the project's patient messages (tuning files) with the question each answers, as the product
passes it: the survey, complaint and compliment flows pass theirs, free text typed at the menu passes none
(``handlers/menu.py``), and the lines written as LINE chats carry none;
``patient_question`` — only the lines that answer a question (what the flows analyse); and
``incident_1000`` — staff incident reports joined and cut to 1,000 characters, tagged as incidents
(NRLS codes, severity, sentinel). nlpo3 by default; ``--newmm`` adds the newmm tokenizer.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "nlp" / "data" / "dev"
# The tree this script sits in is the one measured: run from a copy of another commit with this venv, it would
# otherwise import the editable install's nlp (the worktree's), not the copy's — an A/B of one code twice.
if sys.path[:1] != [str(REPO)]:
    sys.path.insert(0, str(REPO))


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
    engine: str, texts: list[tuple[str, str | None]], n: int, workload: str, passes: int = 1
) -> dict[str, float | str | int]:
    from nlp.analyzer import Analyzer

    analyzer = Analyzer(engine=engine)
    for text, question in texts[:50]:  # warm-up: first calls pay one-off costs
        analyzer.analyse(text, question=question)
    batch = list(itertools.islice(itertools.cycle(texts), n))
    seconds = cpu_seconds = float("inf")
    for _ in range(passes):  # best of several passes: the machine is shared
        start, cpu_start = time.perf_counter(), time.process_time()
        for text, question in batch:
            analyzer.analyse(text, question=question)
        seconds = min(seconds, time.perf_counter() - start)
        # CPU seconds of this process: the one-core figure even when other jobs share the machine.
        cpu_seconds = min(cpu_seconds, time.process_time() - cpu_start)
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


def _best_cpu(fns: list[Callable[[], object]], passes: int) -> float:
    """CPU seconds (user + sys) of running every call once, each call's least time of ``passes`` tries: on a
    shared machine a call's minimum is what it costs, a batch's total also carries the other jobs' noise."""
    best = [float("inf")] * len(fns)
    clock = time.process_time
    for _ in range(passes):
        for k, fn in enumerate(fns):
            start = clock()
            fn()
            best[k] = min(best[k], clock() - start)
    return sum(best)


def steps(texts: list[tuple[str, str | None]], n: int, passes: int) -> dict[str, float]:
    """CPU µs per text of each step of ``Analyzer.analyse`` timed alone (best of ``passes``), on its real
    inputs: what each step costs, so the biggest can be attacked first. The steps' sum differs from the
    whole (shared caches, the glue between steps)."""
    from nlp import nrls
    from nlp.analyzer import Analyzer, _clause_ids
    from nlp.features import split_glued
    from nlp.frames import frame_topics
    from nlp.model import feature_counts
    from nlp.normalize import normalize_text
    from nlp.severity import assess

    analyzer = Analyzer()
    batch = texts[:n]  # each text once: a call's minimum over the passes is its cost
    n = len(batch)
    for text, question in batch[:50]:
        analyzer.analyse(text, question=question)
    norms = [normalize_text(t[:3000]) for t, _ in batch]
    tokens = [analyzer.tokenize(x) for x in norms]
    toks = [split_glued(t) for t in tokens]
    matches = [analyzer.matcher.find(t) for t in toks]
    clauses = [_clause_ids(x, t) for x, t in zip(norms, toks, strict=True)]
    feats = [feature_counts(t) for t in toks]
    model = analyzer.model
    coder = analyzer.coder()
    suggestions = [coder.suggest(t) for t, _ in batch]
    codes = [[r.code for r in s] for s in suggestions]
    k = range(len(batch))
    topic_model = model.topics if model is not None else None
    items: dict[str, list[Callable[[], object]]] = {
        "normalize": [lambda i=i: normalize_text(batch[i][0][:3000]) for i in k],
        "tokenize": [lambda i=i: analyzer.tokenize(norms[i]) for i in k],
        "split_glued": [lambda i=i: split_glued(tokens[i]) for i in k],
        "matcher": [lambda i=i: analyzer.matcher.find(toks[i]) for i in k],
        "clause_ids": [lambda i=i: _clause_ids(norms[i], toks[i]) for i in k],
        "topics": [lambda i=i: analyzer._topics(toks[i], matches[i], clauses[i]) for i in k],
        "polarity": [lambda i=i: analyzer._polarity(toks[i], matches[i], {}) for i in k],
        "severity.assess": [lambda i=i: assess(norms[i], toks[i]) for i in k],
        "frames": [lambda i=i: frame_topics(norms[i]) for i in k],
        "feature_counts": [lambda i=i: feature_counts(toks[i]) for i in k],
        "topic_model": [lambda i=i: topic_model.proba(toks[i], 0.4, feats[i]) for i in k] if topic_model else [],
        "sentiment_model": [lambda i=i: model.proba(toks[i], feats[i]) for i in k] if model is not None else [],
        "coder.suggest": [lambda i=i: coder.suggest(batch[i][0]) for i in k],
        "coder.scores": [lambda i=i: coder.scores(batch[i][0]) for i in k],
        "clinical_scale": [lambda i=i: nrls.clinical_scale(batch[i][0], suggestions[i]) for i in k],
        "coder.severity": [lambda i=i: coder.severity_with_source(batch[i][0], codes[i][0] if codes[i] else None)
                           for i in k],
        "sentinel_cues": [lambda i=i: nrls.sentinel_cues(batch[i][0]) for i in k],
        "analyse (whole)": [lambda i=i: analyzer.analyse(batch[i][0], question=batch[i][1]) for i in k],
    }  # fmt: skip
    return {name: round(_best_cpu(fn, passes) / n * 1e6, 1) for name, fn in items.items()}


def scaling(rows: list[tuple[str, str | None, str]], passes: int) -> list[dict[str, float]]:
    """CPU µs of one analysis (each call's least over ``passes``) of incident text cut to growing lengths: the
    cost per character should not grow (no step slower than linear; past MAX_CHARS only the sentinel and
    severity cues read on, up to SEVERITY_MAX_CHARS)."""
    from nlp.analyzer import Analyzer
    from nlp.normalize import normalize_text

    analyzer = Analyzer()
    joined = " ".join(text for text, _, kind in rows if kind == "incident")
    out = []
    for chars in (250, 500, 1000, 2000, 3000, 6000, 12000, 24000):
        starts = range(0, max(1, len(joined) - chars), max(1, (len(joined) - chars) // 8))[:8]
        texts = [joined[s : s + chars] for s in starts]
        analyse = _best_cpu([lambda t=t: analyzer.analyse(t, question="incident") for t in texts], passes)
        tokenize = _best_cpu([lambda t=t: analyzer.tokenize(normalize_text(t)) for t in texts], passes)
        out.append({"chars": chars, "analyse_us": round(analyse / len(texts) * 1e6, 1),
                    "analyse_us_per_char": round(analyse / len(texts) / chars * 1e6, 3),
                    "tokenize_us": round(tokenize / len(texts) * 1e6, 1)})  # fmt: skip
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--file", type=Path, action="append", help="JSONL with text/texts (default: the dev set)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--newmm", action="store_true", help="also measure the newmm tokenizer")
    ap.add_argument("--passes", type=int, default=1, help="best of this many passes (CPU time)")
    ap.add_argument(
        "--workload", choices=("patient", "patient_question", "incident_1000"), action="append", help="only these"
    )
    ap.add_argument("--scaling", action="store_true", help="µs per analysis of incident text by its length")
    ap.add_argument("--steps", action="store_true", help="CPU µs per text of each analysis step, timed alone")
    args = ap.parse_args()
    rows = load_rows(args.file or sorted(DEV.glob("tune*.jsonl")))
    if args.scaling:
        for row in scaling(rows, args.passes):
            print(json.dumps(row))
        return
    workloads: dict[str, list[tuple[str, str | None]]] = {
        "patient": [(text, q) for text, q, kind in rows if kind != "incident"],
        "patient_question": [(text, q) for text, q, kind in rows if kind != "incident" and q is not None],
        "incident_1000": incident_reports(rows),
    }
    workloads = {k: v for k, v in workloads.items() if not args.workload or k in args.workload}
    if args.steps:
        table = {name: steps(texts, args.n, args.passes) for name, texts in workloads.items() if texts}
        if args.json:
            print(json.dumps(table, ensure_ascii=False))
            return
        names = list(next(iter(table.values())))
        print(f"{'CPU µs per text':<18}" + "".join(f"{w:>15}" for w in table))
        for step in names:
            print(f"{step:<18}" + "".join(f"{table[w][step]:>15}" for w in table))
        return
    engines = ("nlpo3", "newmm") if args.newmm else ("nlpo3",)
    results = [
        measure(e, texts, args.n, name, args.passes) for e in engines for name, texts in workloads.items() if texts
    ]
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
