"""Train the sentiment model: ``python -m nlp.train [--wisesight PATH] [--extra F.jsonl ...] [--corrections F.jsonl]``.

Data: the wisesight train split (general social-media Thai; ``q`` counts as ``neu``), the project's own
labelled hospital messages (nlp/data/dev/tune*.jsonl — never heldout.jsonl, which only measures), any
``--extra`` files, and the committee's stored corrections, which are weighted highest because they are
the hospital's own judgement on its own messages.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from nlp import labelled
from nlp.analyzer import lexicon_words
from nlp.features import CHAR_BITS, CHAR_NGRAMS, char_ngram_ids, general_token_features, split_glued, token_features
from nlp.model import DEFAULT_MODEL_PATH, GeneralModel, SentimentModel, TopicModel
from nlp.normalize import normalize_text
from nlp.tokenizer import DEFAULT_ENGINE, ENGINES, Tokenizer
from nlp.topics import TOPIC_CODES, load_lexicon

REPO_ROOT = Path(__file__).resolve().parents[1]
# The wisesight-sentiment corpus (CC0) is not shipped; its train split is looked for in these places, in order.
WISESIGHT_PLACES = (
    REPO_ROOT / "data" / "wisesight" / "train.jsonl",
    REPO_ROOT.parent / "shared" / "data" / "wisesight" / "train.jsonl",
)
DEFAULT_WISESIGHT = next((p for p in WISESIGHT_PLACES if p.exists()), WISESIGHT_PLACES[0])
WISESIGHT_MISSING = (
    "error: wisesight corpus not found at {path}: save the train split of PyThaiNLP's CC0 wisesight-sentiment "
    "corpus as JSON lines ({{texts, category}}) at data/wisesight/train.jsonl, or pass --wisesight PATH ('' to skip)"
)
DEV_DIR = Path(__file__).resolve().parent / "data" / "dev"
# Every tuning file (tune.jsonl, tune2.jsonl, ...); heldout.jsonl only measures and is never trained on.
DEFAULT_HOSPITAL = tuple(sorted(DEV_DIR.glob("tune*.jsonl")))
# Hospital sentences are few and in-domain; weight them so they are not drowned by 20k tweets.
HOSPITAL_WEIGHT = 1.25  # 2.0 until tune8/tune9: with 2,388 hospital lines, 2.0 left wisesight at 0.7196
# Vocabulary size: 80,000 once tune6/tune7 were added (50,000 left wisesight validation at 0.718 < 0.72).
MAX_FEATURES = 80_000
CORRECTION_WEIGHT = 8.0
# The committee's topic labels in the topic model (train_topics' sample weight; the project's files weigh 1).
CORRECTION_TOPIC_WEIGHT = 3.0
# The general-Thai model's regularisation (wisesight train, 5-fold).
GENERAL_C = 3.0
# The general model's two learners, summed (3-fold CV on wisesight train, bench/README.md h/nlp-ws2).
GENERAL_NB_WEIGHT = 0.5
GENERAL_SVM_WEIGHT = 2.0
GENERAL_SVM_C = 0.1
DOMAIN_C = 1.0
# Labelled incident reports teach the NRLS coder; the committee's own codes weigh more.
NRLS_WEIGHT = 1.0
NRLS_CORRECTION_WEIGHT = 3.0
# The corrections layer learns against what the analyser says of each corrected line out of fold (train.py
# out_of_fold_bases): this many topic models, each without a fifth of the corrections.
OOF_FOLDS = 5


def read_nrls(path: Path, weight: float) -> Iterator[tuple[str, str, str | None, float]]:
    """(text, risk_code, severity or None, weight) of the lines that carry a "risk_code"."""
    for _, row in labelled.rows(path):
        text, code, sev = row.get("text"), row.get("risk_code"), row.get("severity")
        if isinstance(text, str) and isinstance(code, str) and code:
            yield text, code, (str(sev) if sev is not None and str(sev) in "ABCDEFGHI12345" else None), weight


def read_corrections(path: Path) -> list[tuple[str, str | None, list[str] | None, str | None]]:
    """(text, question, topics, sentiment) of each corrected line (either label may be missing)."""
    out = []
    for _, row in labelled.rows(path):
        text = labelled.text_of(row)
        if text is None:
            continue
        topics = row.get("topics")
        q = row.get("question") or ("incident" if row.get("kind") == "incident" else None)
        out.append((
            text,
            q if isinstance(q, str) else None,
            [t for t in topics if t in TOPIC_CODES] if isinstance(topics, list) else None,
            labelled.sentiment_of(row),
        ))  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str
    weight: float


def read_labelled(path: Path, weight: float, keep_question: bool = False) -> Iterator[Example]:
    """Lines in the dev-set format ({"text", "sentiment"}) or the wisesight one ({"texts", "category"});
    wisesight's question label stays "q" with ``keep_question`` (the general model's classes), else is neu."""
    for _, row in labelled.rows(path):
        text, label = labelled.text_of(row), labelled.sentiment_of(row, keep_question)
        if text is not None and label is not None:  # else e.g. a correction that only fixed topics
            yield Example(text, label, weight)


def read_topic_labels(path: Path) -> Iterator[tuple[str, list[str]]]:
    """(text, topic codes) of the lines that carry a "topics" list (dev set, corrections)."""
    for _, row in labelled.rows(path):
        text, topics = row.get("text"), row.get("topics")
        if isinstance(text, str) and isinstance(topics, list):
            yield text, [t for t in topics if t in TOPIC_CODES]


def train_topics(
    docs: list[list[str]],
    labels: list[list[str]],
    c: float = 10.0,
    min_df: int = 2,
    weights: list[float] | None = None,
) -> TopicModel:
    """One-vs-rest logistic regression per topic over the same TF-IDF features as the sentiment model."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer=token_features, sublinear_tf=True, min_df=min(min_df, len(docs)))
    x = vec.fit_transform(docs)
    coef = np.zeros((len(TOPIC_CODES), x.shape[1]))
    intercept = np.full(len(TOPIC_CODES), -10.0)  # a topic never seen in training is never predicted
    for c_i, code in enumerate(TOPIC_CODES):
        y = np.array([code in lab for lab in labels])
        if 0 < y.sum() < len(y):
            clf = LogisticRegression(C=c, max_iter=2000)
            clf.fit(x, y, sample_weight=None if weights is None else np.asarray(weights))
            coef[c_i], intercept[c_i] = clf.coef_[0], clf.intercept_[0]
    return TopicModel(TOPIC_CODES, {t: int(i) for t, i in vec.vocabulary_.items()}, vec.idf_, coef, intercept)


def refit_topics(
    full: TopicModel, x: Any, labels: list[list[str]], weights: list[float], c: float = 10.0
) -> TopicModel:
    """``train_topics`` on a subset of its rows (``x``: their TF-IDF under ``full``'s vocabulary), each regression
    started from ``full``'s coefficients (those of features the subset lacks set to zero: they carry only what the
    left-out rows taught). The optimum is the same as a cold start's; lbfgs reaches it in far fewer steps."""
    from sklearn.linear_model import LogisticRegression

    seen = np.asarray((x != 0).sum(axis=0)).ravel() > 0
    coef = np.zeros_like(full.coef)
    intercept = np.full(len(full.classes), -10.0)
    for c_i, code in enumerate(full.classes):
        y = np.array([code in lab for lab in labels])
        if 0 < y.sum() < len(y):
            clf = LogisticRegression(C=c, max_iter=2000, warm_start=True)
            clf.coef_ = np.where(seen, full.coef[c_i], 0.0)[None, :]
            clf.intercept_ = np.array([full.intercept[c_i]])
            clf.fit(x, y, sample_weight=np.asarray(weights))
            coef[c_i], intercept[c_i] = clf.coef_[0], clf.intercept_[0]
    return TopicModel(full.classes, full.vocab, full.idf, coef, intercept)


def char_tfidf(
    texts: list[str], ngrams: tuple[int, ...] = CHAR_NGRAMS, bits: int = CHAR_BITS, idf: np.ndarray | None = None
) -> tuple[Any, np.ndarray]:
    """Rows of l2-normalised sublinear TF-IDF over hashed character n-grams, as ``GeneralModel`` computes them
    (smooth idf, as TfidfVectorizer); returns (csr matrix, idf)."""
    import scipy.sparse as sp

    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        ids, counts = char_ngram_ids(text, ngrams, bits)
        rows.append(np.full(len(ids), i, dtype=np.int64))
        cols.append(ids)
        vals.append(1.0 + np.log(counts))
    width = 1 << bits
    x = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(len(texts), width))
    if idf is None:
        df = np.bincount(x.indices, minlength=width)
        idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
    x = (x @ sp.diags(idf)).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sp.diags(1.0 / norms) @ x).tocsr(), idf


def general_texts(examples: list[Example]) -> list[str]:
    """The normalised text the analyser hands the general model (its first MAX_CHARS characters)."""
    from nlp.analyzer import MAX_CHARS

    return [normalize_text(ex.text[:MAX_CHARS]) for ex in examples]


def train_general(
    examples: list[Example],
    docs: list[list[str]],
    hospital: Sequence[Example] = (),
    hospital_docs: Sequence[list[str]] = (),
    c: float = GENERAL_C,
    min_df: int = 2,
    nb_weight: float | None = None,
    svm_weight: float | None = None,
) -> GeneralModel:
    """The general-Thai model (wisesight): words with particles + hashed char n-grams, NB-SVM one-vs-rest
    plus a linear SVM one-vs-rest over the same features (scores added, so one dot product per class);
    ``hospital`` (texts only, no labels read) fits its last row, how likely a text is a hospital message."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    nb_weight = GENERAL_NB_WEIGHT if nb_weight is None else nb_weight
    svm_weight = GENERAL_SVM_WEIGHT if svm_weight is None else svm_weight
    vec = TfidfVectorizer(analyzer=general_token_features, sublinear_tf=True, min_df=min(min_df, len(docs)))
    xw = vec.fit_transform(docs)
    xc, char_idf = char_tfidf(general_texts(examples))
    x = sp.hstack([xw, xc]).tocsr()
    y = np.array([ex.label for ex in examples])
    present = (x > 0).astype(np.float64)
    classes = tuple(sorted(set(y.tolist())))
    coef = np.zeros((len(classes), x.shape[1]))
    intercept = np.zeros(len(classes))
    for i, label in enumerate(classes):
        # NB-SVM (Wang & Manning 2012), with logistic regression: each feature scaled by its naive-Bayes
        # log-count ratio for this class against the rest; the ratio folds into the coefficients, so
        # inference stays one dot product per class.
        mine = y == label
        p = np.asarray(present[mine].sum(axis=0)).ravel() + 1.0
        q = np.asarray(present[~mine].sum(axis=0)).ravel() + 1.0
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        clf = LogisticRegression(C=c, max_iter=3000)
        clf.fit(x @ sp.diags(ratio), mine)
        coef[i], intercept[i] = nb_weight * clf.coef_[0] * ratio, nb_weight * clf.intercept_[0]
    if svm_weight and len(classes) > 1:
        # The SVM (hinge loss, plain TF-IDF) errs elsewhere than the NB-scaled logistic regression: their sum
        # beat either alone on every fold of wisesight train (bench/README.md, h/nlp-ws2).
        svm = LinearSVC(C=GENERAL_SVM_C)
        svm.fit(x, y)
        rows = svm.coef_ if len(classes) > 2 else np.vstack([-svm.coef_[0], svm.coef_[0]])
        bias = svm.intercept_ if len(classes) > 2 else np.r_[-svm.intercept_[0], svm.intercept_[0]]
        coef += svm_weight * rows
        intercept += svm_weight * bias
    # Which world a text comes from: the hospital's messages against general Thai, over the same features
    # (the last row of coef). No sentiment label is read here.
    domain_coef, domain_intercept = np.zeros(x.shape[1]), -10.0
    if hospital:
        xh = sp.hstack([vec.transform(list(hospital_docs)), char_tfidf(general_texts(list(hospital)), idf=char_idf)[0]])
        dom = LogisticRegression(C=DOMAIN_C, max_iter=3000, class_weight="balanced")
        dom.fit(sp.vstack([x, xh]).tocsr(), np.r_[np.zeros(x.shape[0]), np.ones(xh.shape[0])])
        domain_coef, domain_intercept = dom.coef_[0], float(dom.intercept_[0])
    return GeneralModel(
        classes=classes,
        vocab={term: int(i) for term, i in vec.vocabulary_.items()},
        idf=vec.idf_,
        char_idf=char_idf,
        coef=np.vstack([coef, domain_coef]),
        intercept=np.r_[intercept, domain_intercept],
    )


def data_hash(examples: Iterable[Example]) -> str:
    h = hashlib.sha256()
    for ex in examples:
        h.update(f"{ex.label}\t{ex.weight}\t{ex.text}\n".encode())
    return h.hexdigest()


def tokenize_examples(
    examples: list[Example], engine: str = DEFAULT_ENGINE, config_dir: Path | None = None
) -> list[list[str]]:
    """Tokens as the analyser sees them (same dictionary, lexicon phrases included, glued words split)."""
    tokenize = Tokenizer(engine, extra_words=lexicon_words(load_lexicon(config_dir)))
    return [split_glued(tokenize(normalize_text(ex.text))) for ex in examples]


def train(
    examples: list[Example],
    engine: str = DEFAULT_ENGINE,
    max_features: int = MAX_FEATURES,
    c: float = 3.0,
    min_df: int = 2,
    config_dir: Path | None = None,
    docs: list[list[str]] | None = None,
    topic_labels: list[tuple[str, list[str]]] | None = None,
    nrls_examples: list[tuple[str, str, str | None, float]] | None = None,
    corrections: list[tuple[str, str | None, list[str] | None, str | None]] | None = None,
    general: GeneralModel | None = None,
    bases_out: list[tuple[list[str], str]] | None = None,
) -> SentimentModel:
    """Fit TF-IDF (uni+bigrams, negation-scoped words) + multinomial logistic regression.

    ``docs`` are the examples' tokens when the caller already has them (cross-validation). ``general`` is the
    general-Thai model (``train_general`` on wisesight) shipped beside it for text that answers no question.
    ``bases_out``, when given, receives what the analyser said of each correction before the corrections layer
    (bench/learning_loop.py keeps them to re-learn the layer alone).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    if len({ex.label for ex in examples}) < 2:
        raise ValueError("training needs at least two sentiment classes")
    if docs is None:
        docs = tokenize_examples(examples, engine, config_dir)
    vec = TfidfVectorizer(
        analyzer=token_features, sublinear_tf=True, min_df=min(min_df, len(docs)), max_features=max_features
    )
    x = vec.fit_transform(docs)
    y = [ex.label for ex in examples]
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(x, y, sample_weight=np.array([ex.weight for ex in examples]))
    classes = tuple(str(k) for k in clf.classes_)
    coef = clf.coef_
    intercept = clf.intercept_
    if len(classes) == 2:  # binary LR stores one row: expand so inference is always softmax over rows
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    topics = None
    topic_docs: list[list[str]] = []
    # The committee's topics teach the topic model too, weighted like their sentiment: where the hospital labelled
    # a text, its label replaces the project's label of the same text.
    topic_labels = list(topic_labels or ())
    topic_weights = [1.0] * len(topic_labels)
    corrected = [(text, list(codes)) for text, _, codes, _ in corrections or () if codes is not None]
    if corrected:
        relabelled = {text for text, _ in corrected}
        topic_labels = [row for row in topic_labels if row[0] not in relabelled]
        topic_weights = [1.0] * len(topic_labels) + [CORRECTION_TOPIC_WEIGHT] * len(corrected)
        topic_labels += corrected
    if topic_labels:
        by_text = {ex.text: d for ex, d in zip(examples, docs, strict=True)}
        tokenize = None
        for text, _ in topic_labels:
            doc = by_text.get(text)
            if doc is None:
                tokenize = tokenize or Tokenizer(engine, extra_words=lexicon_words(load_lexicon(config_dir)))
                doc = split_glued(tokenize(normalize_text(text)))
            topic_docs.append(doc)
        topics = train_topics(topic_docs, [codes for _, codes in topic_labels], weights=topic_weights)
    from nlp.corrections import train_corrections
    from nlp.nrls import RiskCoder

    coder = RiskCoder.build(nrls_examples or [])
    digest = data_hash(examples)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    model = SentimentModel(
        version=f"sentiment-tfidf-lr/{stamp}/{digest[:12]}",
        data_hash=digest,
        classes=classes,
        vocab={term: int(i) for term, i in vec.vocabulary_.items()},
        idf=vec.idf_,
        coef=coef,
        intercept=intercept,
        meta={
            "engine": engine,
            "n_train": len(examples),
            "labels": {lab: y.count(lab) for lab in classes},
            "max_features": max_features,
            "C": c,
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "n_topic_train": len(topic_labels or ()),
            "n_nrls_train": len(nrls_examples or ()),
            "n_corrections": len(corrections or ()),
            # per topic, how many corrected lines the hospital gave it (the analyser lets the topic model add
            # these topics where a lexicon word of another topic would have kept it out)
            "correction_topics": dict(Counter(code for _, codes in corrected for code in set(codes))),
        },
        topics=topics,
        nrls=coder.to_payload(),
        general=general,
    )
    if not corrections:
        return model
    # The corrections are learnt on top of the analyser this model makes (lexicon + model, no corrections).
    from nlp.analyzer import Analyzer

    base = Analyzer(config_dir, engine, model=model)

    def analyse(text: str, question: str | None) -> tuple[list[str], str]:
        topics, label = base.analyse(text, question=question).details["base"]
        return topics, label

    bases = None
    if topic_labels and len(corrections) >= 2 * OOF_FOLDS:
        bases = out_of_fold_bases(model, topic_docs, topic_labels, topic_weights, corrections, config_dir, engine)
    if bases is None:
        bases = [analyse(text, q) for text, q, _, _ in corrections]
    if bases_out is not None:
        bases_out[:] = bases
    fixes = train_corrections(corrections, analyse, bases=bases)
    meta = {**model.meta, "corrections_cv": fixes.cv}
    return dataclasses.replace(model, meta=meta, corrections=fixes.to_payload())


def out_of_fold_bases(
    model: SentimentModel,
    topic_docs: list[list[str]],
    topic_labels: list[tuple[str, list[str]]],
    topic_weights: list[float],
    corrections: list[tuple[str, str | None, list[str] | None, str | None]],
    config_dir: Path | None,
    engine: str,
) -> list[tuple[list[str], str]]:
    """What the analyser says of each corrected line when its topic model never saw that line (k folds over the
    corrections; every copy of a held-out text leaves the topic model's training).

    The model shipped with the corrections has learnt them by heart: read by it, the corrections look as if the
    analyser already agreed with the hospital, so the corrections layer would learn from the few lines a bag of
    words could not memorise and judge itself against an analyser better than the one new answers meet."""
    from nlp.analyzer import Analyzer

    bases: list[tuple[list[str], str]] = [([], "neu")] * len(corrections)
    full = model.topics
    x_all = None
    if full is not None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        # The full model's features (its vocabulary and idf: fitted on every text, the held-out fold's too, but
        # on no label), so each fold's regressions start from the full model's and converge in a few steps.
        vec = TfidfVectorizer(analyzer=token_features, sublinear_tf=True, vocabulary=full.vocab)
        x_all = vec.fit_transform(topic_docs)
    for k in range(OOF_FOLDS):
        fold = range(k, len(corrections), OOF_FOLDS)
        held = {corrections[i][0] for i in fold}
        keep = [j for j, (text, _) in enumerate(topic_labels) if text not in held]
        if full is not None and x_all is not None:
            topics_k = refit_topics(
                full, x_all[keep], [topic_labels[j][1] for j in keep], [topic_weights[j] for j in keep]
            )
        else:
            topics_k = train_topics(
                [topic_docs[j] for j in keep], [topic_labels[j][1] for j in keep],
                weights=[topic_weights[j] for j in keep],
            )  # fmt: skip
        analyser = Analyzer(config_dir, engine, model=dataclasses.replace(model, topics=topics_k))
        for i in fold:
            text, question, _, _ = corrections[i]
            got_topics, label = analyser.analyse(text, question=question).details["base"]
            bases[i] = (list(got_topics), label)
    return bases


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nlp.train", description=__doc__.splitlines()[0])
    ap.add_argument(
        "--wisesight",
        type=Path,
        default=DEFAULT_WISESIGHT,
        help="wisesight train.jsonl (default data/wisesight/train.jsonl, else ../shared/data/wisesight/); '' to skip",
    )
    ap.add_argument(
        "--hospital",
        type=Path,
        action="append",
        default=None,
        help="the project's labelled hospital messages (repeatable; default nlp/data/dev/tune*.jsonl); '' to skip",
    )
    ap.add_argument("--extra", type=Path, action="append", default=[], help="more labelled JSONL (repeatable)")
    ap.add_argument("--corrections", type=Path, help="committee corrections exported by the service (JSONL)")
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH, help="model file to write")
    ap.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE)
    ap.add_argument("--max-features", type=int, default=MAX_FEATURES)
    ap.add_argument("--C", type=float, default=3.0, dest="c")
    ap.add_argument("--config-dir", type=Path, default=None, help="directory holding topics.toml (default config/)")
    args = ap.parse_args(argv)

    examples: list[Example] = []
    topic_labels: list[tuple[str, list[str]]] = []
    nrls_examples: list[tuple[str, str, str | None, float]] = []
    sources: list[tuple[Path, float]] = []
    general_examples: list[Example] = []
    if str(args.wisesight) not in ("", "."):
        if not args.wisesight.exists():
            print(WISESIGHT_MISSING.format(path=args.wisesight), file=sys.stderr)
            return 2
        sources.append((args.wisesight, 1.0))
    hospital = list(DEFAULT_HOSPITAL) if args.hospital is None else args.hospital
    sources += [(p, HOSPITAL_WEIGHT) for p in hospital if str(p) not in ("", ".")]
    sources += [(p, HOSPITAL_WEIGHT) for p in args.extra]
    if args.corrections:
        sources.append((args.corrections, CORRECTION_WEIGHT))
    if any(path.name.startswith("heldout") for path, _ in sources):
        print("error: heldout files only measure; train on the tuning files (tune*.jsonl)", file=sys.stderr)
        return 2
    for path, weight in sources:
        if not path.exists():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
        before = len(examples)
        examples.extend(read_labelled(path, weight))
        if path == args.wisesight:  # the same lines in the same order, questions kept as a class
            general_examples = list(read_labelled(path, weight, keep_question=True))
        if weight > 1.0:  # the hospital's own files (not wisesight) also teach the topic model
            if weight != CORRECTION_WEIGHT:  # the corrections' topics: train() adds them, weighted
                topic_labels.extend(read_topic_labels(path))
            nrls_weight = NRLS_CORRECTION_WEIGHT if weight == CORRECTION_WEIGHT else NRLS_WEIGHT
            nrls_examples.extend(read_nrls(path, nrls_weight))
        print(f"{path}: {len(examples) - before} examples (weight {weight:g})", file=sys.stderr)
    if not examples:
        print("error: no training examples", file=sys.stderr)
        return 2
    docs = tokenize_examples(examples, args.engine, args.config_dir)
    general = None
    if general_examples:  # the wisesight examples come first, so their tokens are the first docs
        n = len(general_examples)
        general = train_general(general_examples, docs[:n], examples[n:], docs[n:])
    model = train(
        examples, engine=args.engine, max_features=args.max_features, c=args.c, config_dir=args.config_dir,
        topic_labels=topic_labels, nrls_examples=nrls_examples, docs=docs,
        corrections=read_corrections(args.corrections) if args.corrections else None, general=general,
    )  # fmt: skip
    model.save(args.out)
    size = args.out.stat().st_size
    print(
        json.dumps(
            {
                "out": str(args.out),
                "version": model.version,
                "data_hash": model.data_hash,
                "n_train": len(examples),
                "vocab": len(model.vocab),
                "bytes": size,
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
