"""The learning loop measured without a blind set (issue 14): leave one file out, learn from half of it.

```
.venv/bin/python bench/learning_loop.py [FILE.jsonl ...] [--json] [--cache-dir DIR] [--show-halves]
```

For each labelled file X (default: the patient-answer and incident files tune16, tune17, tune15, tune8 and
valid.jsonl): the base model is trained as ``python -m nlp.train`` does, on wisesight and every tuning file
except X (valid.jsonl is never trained on); X is split into alternate lines, A (even) and B (odd); a second model
is trained as ``python -m nlp.train --corrections A`` does (the same training set plus A as the committee's
corrections) and both are scored on B with ``nlp.evaluate``'s figures; then A and B swap. The report gives, per
file and in the mean over files, base → base + corrections on the half never learnt from (the two halves' analyses
pooled into one report per file).

A file named ``heldout*`` is a blind set: it is accepted here (the lead measures the loop on it), nothing in this
script prints its lines, only the aggregate figures; it is never in the base training set. Tuning files are taken
out of the base training set when they are X, so the base never saw the hospital's data, as in the issue.

The general-Thai model (wisesight sentiment, used for texts that answer no question) is the shipped model's: its
sentiment rows read wisesight only, its domain row read the tuning files' texts (no labels), X's too when X is a
tuning file, so texts of X read a little more surely as hospital text than new ones would. Retraining it per file
would cost minutes and change only texts without a ``question`` that look like general Thai.

CPU time and the machine's load are printed at the end; wisesight's tokens are cached in ``--cache-dir``.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import pickle
import resource
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from nlp import labelled  # noqa: E402
from nlp.evaluate import Report, read_gold, score, summary  # noqa: E402
from nlp.model import SentimentModel, load_model  # noqa: E402
from nlp.tokenizer import DEFAULT_ENGINE, ENGINES  # noqa: E402
from nlp.train import (  # noqa: E402
    CORRECTION_WEIGHT,
    DEFAULT_HOSPITAL,
    DEFAULT_WISESIGHT,
    DEV_DIR,
    HOSPITAL_WEIGHT,
    NRLS_CORRECTION_WEIGHT,
    NRLS_WEIGHT,
    Example,
    read_corrections,
    read_labelled,
    read_nrls,
    read_topic_labels,
    tokenize_examples,
    train,
)

DEFAULT_FILES = tuple(
    DEV_DIR / f for f in ("tune16.jsonl", "tune17.jsonl", "tune15.jsonl", "tune8.jsonl", "valid.jsonl")
)
FIGURES = ("topics_micro_f1", "topics_macro_f1", "sentiment_accuracy", "complaint_recall", "sentinel_recall",
           "risk_code_top3", "severity_band_accuracy")  # fmt: skip


class Tokens:
    """Tokens of every text trained on, computed once per text (wisesight's cached on disk)."""

    def __init__(self, engine: str, cache_dir: Path | None) -> None:
        self.engine = engine
        self.cache_dir = cache_dir
        self.docs: dict[str, list[str]] = {}

    def load(self, path: Path, examples: list[Example]) -> None:
        if self.cache_dir is None:
            return
        h = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        cached = self.cache_dir / f"tokens-{self.engine}-{h}.pickle"
        if cached.exists():
            with cached.open("rb") as fh:
                self.docs.update(pickle.load(fh))  # noqa: S301 - our own cache file
            return
        self.of(examples)
        with cached.open("wb") as fh:
            pickle.dump({ex.text: self.docs[ex.text] for ex in examples}, fh)

    def of(self, examples: list[Example]) -> list[list[str]]:
        new = list({ex.text: ex for ex in examples if ex.text not in self.docs}.values())
        if new:
            self.docs.update(zip((ex.text for ex in new), tokenize_examples(new, self.engine), strict=True))
        return [self.docs[ex.text] for ex in examples]


def fit(
    wisesight: list[Example],
    hospital: list[Path],
    tokens: Tokens,
    general: Any,
    corrections: Path | None = None,
    keep: Path | None = None,
) -> SentimentModel:
    """A model as ``python -m nlp.train --hospital H... [--corrections C]`` trains it (the shipped general model).

    ``keep``: a file for the trained model and the analyser's output on the corrections before the layer; when it
    exists, the model is read from it and only the corrections layer is learnt again (nlp/corrections.py as it is
    now), so a change to the layer is measured in seconds instead of re-training every model."""
    from nlp.corrections import train_corrections

    rows = read_corrections(corrections) if corrections is not None else None
    if keep is not None and keep.exists():
        with keep.open("rb") as fh:
            kept, kept_bases = pickle.load(fh)  # noqa: S301 - our own cache file
        if rows is None:
            return kept
        fixes = train_corrections(rows, lambda t, q: ([], "neu"), bases=kept_bases)
        return dataclasses.replace(kept, meta={**kept.meta, "corrections_cv": fixes.cv}, corrections=fixes.to_payload())
    examples = list(wisesight)
    topic_labels: list[tuple[str, list[str]]] = []
    nrls: list[tuple[str, str, str | None, float]] = []
    for path in hospital:
        examples.extend(read_labelled(path, HOSPITAL_WEIGHT))
        topic_labels.extend(read_topic_labels(path))
        nrls.extend(read_nrls(path, NRLS_WEIGHT))
    if corrections is not None:
        examples.extend(read_labelled(corrections, CORRECTION_WEIGHT))
        nrls.extend(read_nrls(corrections, NRLS_CORRECTION_WEIGHT))
    bases: list[tuple[list[str], str]] = []
    model = train(
        examples, engine=tokens.engine, docs=tokens.of(examples), topic_labels=topic_labels, nrls_examples=nrls,
        corrections=rows, general=general, bases_out=bases,
    )  # fmt: skip
    if keep is not None:
        with keep.open("wb") as fh:
            pickle.dump((model, bases), fh)
    return model


def halves(path: Path, tmp: Path) -> tuple[Path, Path]:
    """Alternate lines of ``path`` as two files (A: 1st, 3rd, ... line; B: 2nd, 4th, ...)."""
    lines = [json.dumps(row, ensure_ascii=False) + "\n" for _, row in labelled.rows(path)]
    a, b = tmp / f"{path.stem}.A.jsonl", tmp / f"{path.stem}.B.jsonl"
    a.write_text("".join(lines[0::2]), encoding="utf-8")
    b.write_text("".join(lines[1::2]), encoding="utf-8")
    return a, b


def measure(model: SentimentModel, gold_path: Path, rep: Report, engine: str) -> None:
    from nlp.analyzer import Analyzer

    analyzer = Analyzer(engine=engine, model=model)
    rows = read_gold(gold_path)
    score(rep, rows, [analyzer.analyse(g.text, question=g.question) for g in rows])


def run(
    files: list[Path],
    wisesight_path: Path,
    engine: str,
    cache_dir: Path | None,
    keep_dir: Path | None = None,
    log: Any = sys.stderr,
    base_without: tuple[Path, ...] = (),
) -> dict[str, Any]:
    tokens = Tokens(engine, cache_dir)
    wisesight: list[Example] = []
    if str(wisesight_path) not in ("", "."):
        wisesight = list(read_labelled(wisesight_path, 1.0))
        tokens.load(wisesight_path, wisesight)
    general = load_model().general
    out: dict[str, Any] = {"files": {}}
    with tempfile.TemporaryDirectory(prefix="learning-loop-") as tmp:
        for x in files:
            left_out = {x.resolve(), *(p.resolve() for p in base_without)}
            hospital = [p for p in DEFAULT_HOSPITAL if p.resolve() not in left_out]
            tag = hashlib.sha256(x.read_bytes()).hexdigest()[:10] + ("-ws" if wisesight else "")
            kept = {part: keep_dir / f"{x.stem}-{tag}-{part}.pickle" if keep_dir else None for part in "0AB"}
            base = fit(wisesight, hospital, tokens, general, keep=kept["0"])
            before, after, retrained = Report(), Report(), Report()
            a, b = halves(x, Path(tmp))
            for learn, held, part in ((a, b, "A"), (b, a, "B")):
                measure(base, held, before, engine)
                model = fit(wisesight, hospital, tokens, general, corrections=learn, keep=kept[part])
                measure(model, held, after, engine)
                # the retrained models alone (the corrections layer off): what the layer adds
                measure(dataclasses.replace(model, corrections=None), held, retrained, engine)
                print(f"{x.name}: learnt {learn.name}, scored {held.name}", file=log)
            before.n = after.n = retrained.n = before.n_topics or len(before.sentiment)
            out["files"][x.name] = {
                "base": summary(before),
                "corrected": summary(after),
                "retrained": summary(retrained),
            }
    mean: dict[str, Any] = {}
    for side in ("base", "corrected", "retrained"):
        mean[side] = {}
        for key in FIGURES:
            vals = [f[side][key] for f in out["files"].values() if f[side][key] is not None]
            mean[side][key] = round(sum(vals) / len(vals), 4) if vals else None
    out["mean"] = mean
    return out


def print_table(out: dict[str, Any], show_per_topic: bool) -> None:
    print(
        f"{'file':<16} {'topics micro':>17} {'topics macro':>17} {'sentiment':>17} {'complaint R':>17} {'no layer':>17}"
    )
    rows = [(name, f) for name, f in out["files"].items()] + [("mean", out["mean"])]
    for name, f in rows:
        cells = []
        for key in ("topics_micro_f1", "topics_macro_f1", "sentiment_accuracy", "complaint_recall"):
            b, c = f["base"].get(key), f["corrected"].get(key)
            cells.append("—" if b is None or c is None else f"{b:.3f} → {c:.3f}")
        r = f["retrained"].get("topics_micro_f1")
        cells.append("—" if r is None else f"{r:.3f}")
        print(f"{name:<16} " + " ".join(f"{c:>17}" for c in cells))
    if show_per_topic:
        for name, f in out["files"].items():
            print(f"\n{name}: per-topic F1 base → corrected (support)")
            for code, m in (f["base"]["per_topic"] or {}).items():
                m2 = f["corrected"]["per_topic"][code]
                if m["support"] or m["f1"] is not None or m2["f1"] is not None:
                    print(f"  {code:<16} {m['f1'] or 0:.3f} → {m2['f1'] or 0:.3f} ({m['support']})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", type=Path, nargs="*", help="labelled JSONL (default: tune16 tune17 tune15 tune8 valid)")
    ap.add_argument("--wisesight", type=Path, default=DEFAULT_WISESIGHT)
    ap.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE)
    ap.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "learning-loop-cache")
    ap.add_argument(
        "--keep-models",
        type=Path,
        help="keep the trained models here; on the next run read them and learn only the corrections layer again",
    )
    ap.add_argument(
        "--base-without",
        type=Path,
        action="append",
        default=[],
        help="also leave this tuning file out of the base (X is a relabelled copy of it: a synthetic convention)",
    )
    ap.add_argument("--per-topic", action="store_true", help="per-topic F1 of each file (not for blind files)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    files = args.files or list(DEFAULT_FILES)
    if args.per_topic and any(f.name.startswith("heldout") for f in files):
        print("error: a blind file is measured in aggregate only", file=sys.stderr)
        return 2
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    if args.keep_models:
        args.keep_models.mkdir(parents=True, exist_ok=True)
    out = run(
        files, args.wisesight, args.engine, args.cache_dir, args.keep_models, base_without=tuple(args.base_without)
    )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 1)
    out["load"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        for f in out["files"].values():
            for side in f.values():
                side.pop("per_topic", None) if not args.per_topic else None
        print(json.dumps(out, ensure_ascii=False))
    else:
        print_table(out, args.per_topic)
        print(f"\nCPU {out['cpu_seconds']} s, load {out['load']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
