"""The hospital's own judgement, learnt from its corrections: it outranks the shipped lexicon and model.

``python -m nlp.train --corrections F`` first builds the shipped analyser (lexicon + model), runs it over the
corrected lines, and then learns, per topic and for the sentiment, how the hospital's labels relate to what the
analyser said: a logistic regression over the analyser's own output (each topic it tagged, the label it gave,
each crossed with the question the text answers) and character n-grams of the text. Where the hospital agrees
with the lexicon the analyser's output is the strongest feature and nothing changes; where it disagrees — a topic
the lexicon tags that the hospital never gives to such answers, a topic it gives that the lexicon has no words
for, a label its conventions set differently — the learnt weights override it.

Only what the corrections show to help is switched on: each topic's (and the sentiment's) stacked classifier
is scored by k-fold cross-validation on the corrections against the analyser alone, and it decides only where
it beat the analyser there. With a handful of corrections nothing moves; with a few hundred the hospital's
conventions win. A corrected text seen again (the same answer typed the same way, short answers repeat a lot)
takes its corrected labels outright.

Character n-grams (2–4, over the typo-tolerant text) rather than words: corrections are few, and misspellings,
spacing and dialect share n-grams with the correct spelling.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nlp.matcher import loose_key
from nlp.model import LABELS
from nlp.normalize import normalize_text
from nlp.topics import TOPIC_CODES

NGRAMS = (2, 3, 4)
MAX_CHARS = 600
FORMAT = 2
# A topic's (or label's) disagreements with the analyser are learnt once there are this many of them.
MIN_FLIPS = 2
FOLDS = 5
# A clear gain in cross-validation: at least this many fewer errors, and this share of the analyser's errors.
MIN_GAIN = 3
MIN_GAIN_SHARE = 0.2
# The analyser's own output (other topics, the label, the question) as features beside the n-grams.
BASE_WEIGHT = 1.0
# A new answer this close to a corrected one (cosine of character trigrams of their typo-tolerant forms, the
# same question, polite particles aside) takes the corrected topics: short answers repeat with a particle, a
# typo or a word more. The sentiment is taken only from the same answer (a "ไม่" more is a near duplicate).
NEAR = 0.85
NEAR_MAX_CHARS = 60  # short answers repeat; a long report is not looked up (and costs the look-up most)
PARTICLES = re.compile(r"(?:นะ)?(?:คะ|ค่ะ|ค่า|คับ|ครับ|ฮะ|จ้า|จ้ะ|จ่ะ|นะ)+(?=$|[\s.!?,]|\d)")

# (text, question, topics or None, sentiment or None): one corrected line.
Row = tuple[str, "str | None", "list[str] | None", "str | None"]
# What the analyser said before the corrections: (topic codes, sentiment label).
Base = tuple[Sequence[str], str]


def char_features(text: str, question: str | None = None) -> list[str]:
    """Character n-grams of the typo-tolerant text (spaces kept as a boundary mark)."""
    s = " " + loose_key(normalize_text(text[:MAX_CHARS]).replace(" ", "_")) + " "
    return [s[i : i + n] for n in NGRAMS for i in range(len(s) - n + 1)]


def base_features(topics: Sequence[str], label: str, question: str | None) -> list[str]:
    """The analyser's output as features, alone and crossed with the question."""
    q = question or "-"
    feats = [f"q:{q}", f"l:{label}", f"l:{label}|{q}"]
    for code in topics:
        feats += [f"b:{code}", f"b:{code}|{q}"]
    return feats


def _squeezed(text: str) -> str:
    """The typo-tolerant form without spaces, punctuation or polite particles ("ที่จอดรถน้อยค่ะ!!" → "ที่จอดรถน้อย")."""
    norm = PARTICLES.sub(" ", normalize_text(text[:MAX_CHARS]))
    return loose_key("".join(ch for ch in norm if ch.isalnum() or "\u0e00" <= ch <= "\u0e7f"))


def text_key(text: str, question: str | None) -> str:
    """A corrected text and a new one are "the same answer" when their typo-tolerant forms match (spacing,
    punctuation and polite particles aside)."""
    return f"{question or '-'}|{_squeezed(text)}"


def trigrams(squeezed: str) -> Counter[str]:
    s = f" {squeezed} "
    return Counter(s[i : i + 3] for i in range(len(s) - 2))


class NearIndex:
    """The corrected answers' trigram vectors (rows of a sparse matrix, l2-normalised), for the nearest corrected
    answer to a new one: one sparse product per look-up."""

    def __init__(self, keys: Sequence[str]) -> None:
        from scipy.sparse import csc_matrix

        self.keys = [k for k in keys if 0 < len(k.split("|", 1)[1]) <= NEAR_MAX_CHARS]
        self.questions = np.array([k.split("|", 1)[0] for k in self.keys], dtype=object)
        self.grams: dict[str, int] = {}
        data: list[float] = []
        rows: list[int] = []
        cols: list[int] = []
        for i, key in enumerate(self.keys):
            vec = trigrams(key.split("|", 1)[1])
            norm = math.sqrt(sum(n * n for n in vec.values()))
            for g, n in vec.items():
                rows.append(i)
                cols.append(self.grams.setdefault(g, len(self.grams)))
                data.append(n / norm)
        self.matrix = csc_matrix((data, (rows, cols)), shape=(len(self.keys), len(self.grams)))

    def nearest(self, key: str) -> tuple[str, float] | None:
        question, squeezed = key.split("|", 1)
        if not squeezed or len(squeezed) > NEAR_MAX_CHARS or not self.keys:
            return None
        vec = trigrams(squeezed)
        norm = math.sqrt(sum(n * n for n in vec.values()))
        found = [(j, n / norm) for g, n in vec.items() if (j := self.grams.get(g)) is not None]
        if not found:
            return None
        scores = self.matrix[:, [j for j, _ in found]] @ np.array([w for _, w in found])
        scores[self.questions != question] = -1.0
        best = int(np.argmax(scores))
        return (self.keys[best], float(scores[best])) if scores[best] > 0 else None


@dataclass(frozen=True)
class Stacked:
    """Linear classifiers over [l2-normalised TF-IDF of char n-grams | binary analyser-output features]."""

    classes: tuple[str, ...]
    vocab: dict[str, int]  # char n-grams, then the base features (columns after len(idf))
    idf: np.ndarray  # (Vc,)
    coef: np.ndarray  # (C, Vc + Vb)
    intercept: np.ndarray  # (C,)

    def scores(self, text: str, base: list[str]) -> np.ndarray:
        counts = Counter(char_features(text))
        nc = len(self.idf)
        cols: list[int] = []
        tf: list[float] = []
        for f, n in counts.items():
            j = self.vocab.get(f)
            if j is not None and j < nc:
                cols.append(j)
                tf.append(1.0 + math.log(n))
        s = self.intercept.copy()
        if cols:
            idx = np.array(cols, dtype=np.int64)
            w = np.array(tf) * self.idf[idx]
            w /= math.sqrt(float(w @ w))
            s += self.coef[:, idx] @ w
        bidx = [j for f in base if (j := self.vocab.get(f)) is not None and j >= nc]
        if bidx:
            s += BASE_WEIGHT * self.coef[:, bidx].sum(axis=1)
        return s

    def to_payload(self) -> dict[str, Any]:
        vocab = [""] * len(self.vocab)
        for t, i in self.vocab.items():
            vocab[i] = t
        return {"classes": list(self.classes), "vocab": vocab, "idf": self.idf.astype(np.float32),
                "coef": self.coef.astype(np.float32), "intercept": self.intercept.astype(np.float32)}  # fmt: skip

    @staticmethod
    def from_payload(d: dict[str, Any]) -> Stacked:
        return Stacked(tuple(d["classes"]), {t: i for i, t in enumerate(d["vocab"])},
                       np.asarray(d["idf"], dtype=np.float64), np.asarray(d["coef"], dtype=np.float64),
                       np.asarray(d["intercept"], dtype=np.float64))  # fmt: skip


@dataclass(frozen=True)
class Corrections:
    add: Stacked  # per topic: P(the hospital has this topic | the analyser did not tag it)
    remove: Stacked  # per topic: P(the hospital has not this topic | the analyser tagged it)
    sentiment: dict[str, Stacked]  # the analyser's label → P(the hospital's label)
    enabled: dict[str, bool]  # topic → whether its flips beat the analyser in cross-validation
    sentiment_enabled: bool
    seen: dict[str, tuple[list[str] | None, str | None]]  # text_key → the corrected (topics, sentiment)
    support: dict[str, int]
    cv: dict[str, Any]  # cross-validation figures, for the report

    def to_payload(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "add": self.add.to_payload(), "remove": self.remove.to_payload(),
            "sentiment": {k: m.to_payload() for k, m in self.sentiment.items()},
            "enabled": self.enabled, "sentiment_enabled": self.sentiment_enabled,
            "seen": {k: [t, s] for k, (t, s) in self.seen.items()}, "support": self.support, "cv": self.cv,
        }  # fmt: skip

    @functools.cached_property
    def near(self) -> NearIndex:
        return NearIndex([k for k, (topics, _) in self.seen.items() if topics is not None])

    @staticmethod
    def from_payload(d: dict[str, Any]) -> Corrections | None:
        if d.get("format") != FORMAT:
            return None  # an older model's corrections: retrain with `nlp.train --corrections`
        return Corrections(
            add=Stacked.from_payload(d["add"]),
            remove=Stacked.from_payload(d["remove"]),
            sentiment={k: Stacked.from_payload(m) for k, m in d["sentiment"].items()},
            enabled=dict(d["enabled"]),
            sentiment_enabled=bool(d["sentiment_enabled"]),
            seen={k: (v[0], v[1]) for k, v in d["seen"].items()},
            support=dict(d["support"]),
            cv=dict(d.get("cv", {})),
        )

    def apply(
        self, text: str, question: str | None, topics: Sequence[str], label: str
    ) -> tuple[dict[str, tuple[bool, float, list[str]]], str | None]:
        """The hospital's verdict on the analyser's output: topic → (present, probability, evidence) for the
        topics it decides, and the sentiment label it sets (None: the analyser's stands)."""
        key = text_key(text, question)
        seen = self.seen.get(key)
        if seen is not None:
            gold_topics, gold_label = seen
            verdict = {c: (c in gold_topics, 1.0 if c in gold_topics else 0.0, ["hospital labels"])
                       for c in TOPIC_CODES} if gold_topics is not None else {}  # fmt: skip
            return verdict, gold_label
        base = base_features(topics, label, question)
        out: dict[str, tuple[bool, float, list[str]]] = {}
        if any(self.enabled.values()):
            add = 1.0 / (1.0 + np.exp(-self.add.scores(text, base)))
            remove = 1.0 / (1.0 + np.exp(-self.remove.scores(text, base)))
            for i, code in enumerate(self.add.classes):
                if not self.enabled.get(code):
                    continue
                if code in topics and remove[i] >= 0.5:
                    out[code] = (False, float(1.0 - remove[i]), ["hospital labels"])
                elif code not in topics and add[i] >= 0.5:
                    out[code] = (True, float(add[i]), ["hospital labels"])
        near = self.near.nearest(key)
        if near is not None and near[1] >= NEAR:
            # a corrected answer typed a little differently: its topics, over whatever the classifiers said
            near_topics = self.seen[near[0]][0] or []
            why = [f"hospital labels ({near[1]:.2f} like a corrected answer)"]
            out = {c: (c in near_topics, 1.0 if c in near_topics else 0.0, why) for c in TOPIC_CODES}
        new_label = None
        model = self.sentiment.get(label) if self.sentiment_enabled else None
        if model is not None:
            new_label = model.classes[int(np.argmax(model.scores(text, base)))]
        return out, new_label


def _design(rows: Sequence[Row], bases: Sequence[Base]) -> tuple[Any, dict[str, int], np.ndarray]:
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=char_features, sublinear_tf=True, min_df=2 if len(rows) >= 50 else 1)
    xc = vec.fit_transform([text for text, *_ in rows])
    vocab = {t: int(i) for t, i in vec.vocabulary_.items()}
    nc = len(vocab)
    bfeats = [base_features(b[0], b[1], r[1]) for r, b in zip(rows, bases, strict=True)]
    for feats in bfeats:
        for f in feats:
            vocab.setdefault(f, len(vocab))
    data, ri, ci = [], [], []
    for i, feats in enumerate(bfeats):
        for f in set(feats):
            data.append(BASE_WEIGHT)
            ri.append(i)
            ci.append(vocab[f] - nc)
    xb = csr_matrix((data, (ri, ci)), shape=(len(rows), len(vocab) - nc))
    return hstack([xc, xb]).tocsr(), vocab, vec.idf_


def _clearly_better(corrected_errors: int, base_errors: int) -> bool:
    """The hospital's classifier decides only where cross-validation shows a clear gain over the analyser: a
    gain of one or two lines out of a few hundred is noise, and where the analyser already labels as the
    hospital does nothing should move."""
    gain = base_errors - corrected_errors
    return gain >= MIN_GAIN and gain >= MIN_GAIN_SHARE * base_errors


def _folds(n: int, k: int = FOLDS) -> list[np.ndarray]:
    return [np.arange(i, n, k) for i in range(k)]


def _flip_model(x: Any, flip: np.ndarray, c: float) -> tuple[np.ndarray, float] | None:
    """A logistic regression for "the hospital disagrees with the analyser here", when there is something to
    learn (at least MIN_FLIPS disagreements, and some agreements)."""
    from sklearn.linear_model import LogisticRegression

    if flip.sum() < MIN_FLIPS:
        return None
    if flip.all():  # the hospital disagrees every time: always flip
        return np.zeros(x.shape[1]), 10.0
    clf = LogisticRegression(C=c, solver="liblinear").fit(x, flip)
    return clf.coef_[0], float(clf.intercept_[0])


def _flips(x: Any, y: np.ndarray, b: np.ndarray, c: float) -> tuple[Any, Any]:
    """(add, remove) models of one topic, each trained on the lines where the analyser said no / yes."""
    on, off = np.flatnonzero(b), np.flatnonzero(~b)
    add = _flip_model(x[off], y[off], c) if len(off) else None
    remove = _flip_model(x[on], ~y[on], c) if len(on) else None
    return add, remove


def _predict_flips(x: Any, b: np.ndarray, add: Any, remove: Any) -> np.ndarray:
    out = b.copy()
    for model, side in ((add, False), (remove, True)):
        if model is None:
            continue
        rows = np.flatnonzero(b == side)
        if len(rows):
            z = x[rows] @ model[0] + model[1]
            out[rows[z >= 0]] = not side
    return out


def _sentiment_models(x: Any, gold: np.ndarray, base: np.ndarray, c: float) -> dict[str, Any]:
    """Per label the analyser gave: a multinomial regression over the labels the hospital gave those lines."""
    from sklearn.linear_model import LogisticRegression

    out: dict[str, Any] = {}
    for lab in LABELS:
        rows = np.flatnonzero(base == lab)
        if len(rows) == 0:
            continue
        counts = Counter(gold[rows].tolist())
        others = sum(n for g, n in counts.items() if g != lab)
        if others < MIN_FLIPS:
            continue
        if len(counts) == 1:  # the hospital gives these lines another label every time
            (only,) = counts
            out[lab] = ((only,), np.zeros((1, x.shape[1])), np.zeros(1))
            continue
        clf = LogisticRegression(C=c, max_iter=1000).fit(x[rows], gold[rows])
        classes = tuple(str(k) for k in clf.classes_)
        coef, icpt = clf.coef_, clf.intercept_
        if len(classes) == 2:
            coef, icpt = np.vstack([-coef[0] / 2, coef[0] / 2]), np.array([-icpt[0] / 2, icpt[0] / 2])
        out[lab] = (classes, coef, icpt)
    return out


def _predict_sentiment(x: Any, base: np.ndarray, models: dict[str, Any]) -> np.ndarray:
    out = base.copy()
    for lab, (classes, coef, icpt) in models.items():
        rows = np.flatnonzero(base == lab)
        if len(rows):
            z = np.asarray(x[rows] @ coef.T) + icpt
            out[rows] = np.array(classes)[np.argmax(z, axis=1)]
    return out


def train_corrections(
    rows: Sequence[Row],
    analyse: Callable[[str, str | None], Base],
    c: float = 1.0,
    bases: Sequence[Base] | None = None,
) -> Corrections:
    """Learn the hospital's corrections on top of ``analyse`` (text, question → the analyser's (topics, label)
    before any corrections).

    ``bases``, when given, are what the analyser said of each row out of fold (a topic model that never saw
    that row): a model retrained with the corrections has learnt them by heart, so what it says of them is not
    what it will say of the next answer, and flips learnt against it are too few and the gate too strict."""
    if bases is None:
        bases = [analyse(text, q) for text, q, _, _ in rows]
    x, vocab, idf = _design(rows, bases)
    n_cols = x.shape[1]
    support: dict[str, int] = {}
    enabled: dict[str, bool] = {}
    cv: dict[str, Any] = {"n": len(rows), "topics": {}, "sentiment": None}
    add_coef, rm_coef = np.zeros((len(TOPIC_CODES), n_cols)), np.zeros((len(TOPIC_CODES), n_cols))
    add_icpt, rm_icpt = np.full(len(TOPIC_CODES), -10.0), np.full(len(TOPIC_CODES), -10.0)
    t_idx = np.array([i for i, r in enumerate(rows) if r[2] is not None], dtype=np.int64)
    xt = x[t_idx]
    can_cv = len(t_idx) >= 2 * FOLDS
    for ci, code in enumerate(TOPIC_CODES):
        y = np.array([code in (rows[i][2] or ()) for i in t_idx])
        b = np.array([code in bases[i][0] for i in t_idx])
        support[code] = int(y.sum())
        enabled[code] = False
        if not can_cv or (b == y).all():
            continue
        pred = b.copy()
        for f in _folds(len(t_idx)):
            train = np.setdiff1d(np.arange(len(t_idx)), f)
            add, remove = _flips(xt[train], y[train], b[train], c)
            pred[f] = _predict_flips(xt[f], b[f], add, remove)
        base_err, flip_err = int((b != y).sum()), int((pred != y).sum())
        cv["topics"][code] = {"base_errors": base_err, "corrected_errors": flip_err}
        add, remove = _flips(xt, y, b, c)
        if add is not None:
            add_coef[ci], add_icpt[ci] = add
        if remove is not None:
            rm_coef[ci], rm_icpt[ci] = remove
        enabled[code] = _clearly_better(flip_err, base_err)

    s_idx = np.array([i for i, r in enumerate(rows) if r[3] is not None], dtype=np.int64)
    gold = np.array([rows[i][3] for i in s_idx], dtype=object)
    for lab in LABELS:
        support[lab] = int((gold == lab).sum())
    base_labels = np.array([bases[i][1] for i in s_idx], dtype=object)
    sentiment: dict[str, Stacked] = {}
    sentiment_enabled = False
    if len(s_idx) >= 2 * FOLDS:
        xs = x[s_idx]
        pred = base_labels.copy()
        for f in _folds(len(s_idx)):
            train = np.setdiff1d(np.arange(len(s_idx)), f)
            pred[f] = _predict_sentiment(
                xs[f], base_labels[f], _sentiment_models(xs[train], gold[train], base_labels[train], c)
            )
        base_err, flip_err = int((base_labels != gold).sum()), int((pred != gold).sum())
        cv["sentiment"] = {"base_errors": base_err, "corrected_errors": flip_err}
        for lab, (classes, coef, icpt) in _sentiment_models(xs, gold, base_labels, c).items():
            sentiment[lab] = Stacked(classes, vocab, idf, coef, icpt)
        sentiment_enabled = _clearly_better(flip_err, base_err)

    seen: dict[str, tuple[list[str] | None, str | None]] = {}
    votes: dict[str, Counter[str]] = {}
    for text, q, t, s in rows:
        key = text_key(text, q)
        labels = (sorted(t) if t is not None else None, s)
        votes.setdefault(key, Counter())[repr(labels)] += 1
        if votes[key].most_common(1)[0][0] == repr(labels):
            seen[key] = labels
    return Corrections(
        add=Stacked(TOPIC_CODES, vocab, idf, add_coef, add_icpt),
        remove=Stacked(TOPIC_CODES, vocab, idf, rm_coef, rm_icpt),
        sentiment=sentiment, enabled=enabled, sentiment_enabled=sentiment_enabled, seen=seen,
        support=support, cv=cv,
    )  # fmt: skip
