"""Cross-validate on the tuning data: ``python -m nlp.crossval [--k 5] [--fast] [--json] [FILE.jsonl ...]``.

The tuning files (default nlp/data/dev/tune*.jsonl) are split into k folds; for each fold the sentiment
model is re-trained on wisesight train + the other folds (exactly as ``python -m nlp.train`` does) and the
analyser measures the held-out fold. The figures are summed over the folds into one report, in the
``nlp.evaluate`` format. ``--fast`` trains one model on wisesight alone (no tuning data, so no leak)
and skips the per-fold re-training: a quick lower bound while editing the lexicon.

The lexicon itself is written by people who read the tuning data, so its share of these figures is
optimistic; heldout.jsonl is the honest measure, and it is never read here.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from nlp.evaluate import Gold, Report, print_text, read_gold, score, summary
from nlp.tokenizer import DEFAULT_ENGINE, ENGINES
from nlp.train import (
    DEFAULT_HOSPITAL,
    DEFAULT_WISESIGHT,
    HOSPITAL_WEIGHT,
    Example,
    data_hash,
    read_labelled,
    tokenize_examples,
    train,
    train_general,
    train_topics,
)


def folds(n: int, k: int, seed: int) -> list[list[int]]:
    idx = list(range(n))
    random.Random(seed).shuffle(idx)  # noqa: S311 - a reproducible split, not a secret
    return [idx[i::k] for i in range(k)]


def crossvalidate(
    files: list[Path], k: int = 5, engine: str = DEFAULT_ENGINE, fast: bool = False, seed: int = 13,
    wisesight: Path = DEFAULT_WISESIGHT, models_dir: Path | None = None, topic_model: bool = True,
) -> dict[str, Any]:  # fmt: skip
    from nlp.analyzer import Analyzer
    from nlp.model import GeneralModel, SentimentModel, load_model

    rows: list[Gold] = [g for f in files for g in read_gold(f)]
    hosp = [Example(g.text, g.sentiment or "neu", HOSPITAL_WEIGHT) for g in rows]
    ws_cache: list[tuple[list[Example], list[list[str]]]] = []
    general_cache: list[GeneralModel] = []

    def fit(docs_of: list[int] | None) -> SentimentModel:
        # Fold models depend only on their training data: cached by its hash, so re-measuring after a
        # lexicon edit does not re-train (the model's tokens do not depend on the topic lexicon much).
        if not ws_cache:
            ws = list(read_labelled(wisesight, 1.0))
            ws_cache.append((ws, tokenize_examples(ws, engine)))
        ws, ws_docs = ws_cache[0]
        extra = [hosp[j] for j in docs_of or []]
        path = models_dir / f"fold-g-{data_hash(ws + extra)[:16]}.joblib" if models_dir else None
        if path is not None and path.exists():
            return load_model(path)
        if not general_cache:
            # The same for every fold: its sentiment is wisesight's alone, but its domain row (hospital text or
            # general Thai) is fitted on every tuning line, the held-out fold's too (texts, no labels). So the
            # fold figures read hospital text a little more surely as hospital text than unseen text would be.
            ws_q = list(read_labelled(wisesight, 1.0, keep_question=True))  # the same lines, "q" kept
            general_cache.append(train_general(ws_q, ws_docs, hosp, hosp_docs))
        model = train(
            ws + extra, engine=engine, docs=ws_docs + tokenize_examples(extra, engine), general=general_cache[0]
        )
        if path is not None:
            model.save(path)
        return model

    hosp_docs = tokenize_examples(hosp, engine)
    analyzer = Analyzer(engine=engine)
    rep = Report(n=len(rows))
    if fast:
        analyzer.model = fit(None)
    for i, fold in enumerate(folds(len(rows), k, seed)):
        held = set(fold)
        if not fast:
            keep = [j for j in range(len(rows)) if j not in held and rows[j].sentiment is not None]
            analyzer.model = fit(keep)
        if topic_model and analyzer.model is not None:
            tk = [j for j in range(len(rows)) if j not in held and rows[j].topics is not None]
            topics = train_topics([hosp_docs[j] for j in tk], [rows[j].topics or [] for j in tk])
            analyzer.model = replace(analyzer.model, topics=topics)
        elif analyzer.model is not None:
            analyzer.model = replace(analyzer.model, topics=None)
        part = [rows[j] for j in fold]
        score(rep, part, [analyzer.analyse(g.text, question=g.question) for g in part])
        print(f"fold {i + 1}/{k}: {len(part)} messages", file=sys.stderr)
    return summary(rep)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nlp.crossval", description=__doc__.splitlines()[0])
    ap.add_argument("files", type=Path, nargs="*", help="labelled JSONL (default nlp/data/dev/tune*.jsonl)")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--fast", action="store_true", help="one wisesight-only model, no per-fold re-training")
    ap.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE)
    ap.add_argument("--wisesight", type=Path, default=DEFAULT_WISESIGHT)
    ap.add_argument("--models-dir", type=Path, help="keep fold models here and reuse them on the next run")
    ap.add_argument("--no-topic-model", action="store_true", help="lexicon topics only")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    files = args.files or list(DEFAULT_HOSPITAL)
    if any("heldout" in f.name for f in files):
        print("error: heldout files only measure; cross-validate on the tuning files", file=sys.stderr)
        return 2
    if args.models_dir:
        args.models_dir.mkdir(parents=True, exist_ok=True)
    s = crossvalidate(
        files, args.k, args.engine, args.fast, args.seed, args.wisesight, args.models_dir, not args.no_topic_model
    )
    if args.json:
        print(json.dumps(s, ensure_ascii=False))
    else:
        print_text(s)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
