"""The hospital's own judgement, learnt from its corrections: it outranks the shipped lexicon and model.

``python -m nlp.train --corrections F`` trains, on the corrected lines alone, one character n-gram logistic
regression per topic and one per sentiment label (one-vs-rest), and stores them in the model file. At
analysis time a confident vote of these classifiers adds a topic the lexicon missed, removes one the
hospital's labels say is not there, and sets the sentiment: where the hospital's labels and the shipped
lexicon disagree, the hospital wins. A topic or label the corrections never (or hardly) show is left alone.

Character n-grams (2–4, over the typo-tolerant text) rather than words: corrections are few, and
misspellings, spacing and dialect share n-grams with the correct spelling.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from nlp.matcher import loose_key
from nlp.model import LABELS, TopicModel
from nlp.normalize import normalize_text
from nlp.topics import TOPIC_CODES

NGRAMS = (2, 3, 4)
MAX_CHARS = 600
# A vote this sure adds a topic / sets the sentiment; this unsure of a topic removes it.
ADD_AT = 0.6
REMOVE_BELOW = 0.05
SENTIMENT_AT = 0.7
# A class needs this many corrected examples (positive) before its votes count.
MIN_SUPPORT = 4


def char_features(text: str, question: str | None = None) -> list[str]:
    """Character n-grams of the typo-tolerant text (spaces kept as a boundary mark) and the question."""
    s = " " + loose_key(normalize_text(text[:MAX_CHARS]).replace(" ", "_")) + " "
    feats = [s[i : i + n] for n in NGRAMS for i in range(len(s) - n + 1)]
    if question:
        feats.append(f"__q:{question}")
        feats.extend(f"{question}|{s[i : i + 3]}" for i in range(0, len(s) - 2, 3))
    return feats


@dataclass(frozen=True)
class Corrections:
    topics: TopicModel
    sentiment: TopicModel
    support: dict[str, int]  # corrected examples per topic / label

    def to_payload(self) -> dict[str, Any]:
        return {"topics": self.topics.to_payload(), "sentiment": self.sentiment.to_payload(), "support": self.support}

    @staticmethod
    def from_payload(d: dict[str, Any]) -> Corrections:
        return Corrections(
            TopicModel.from_payload(d["topics"]), TopicModel.from_payload(d["sentiment"]), dict(d["support"])
        )

    def votes(self, text: str, question: str | None) -> tuple[dict[str, tuple[float, list[str]]], dict[str, float]]:
        """(topic → (probability, the n-grams that weighed most), label → probability), for the classes
        with enough corrected examples."""
        feats = Counter(char_features(text, question))
        topics = {
            c: (p, ev)
            for c, (p, ev) in self.topics.proba([], 0.0, feats).items()
            if self.support.get(c, 0) >= MIN_SUPPORT
        }
        labels = {
            c: p for c, (p, _) in self.sentiment.proba([], 0.0, feats).items() if self.support.get(c, 0) >= MIN_SUPPORT
        }
        return topics, labels


def train_corrections(rows: list[tuple[str, str | None, list[str] | None, str | None]], c: float = 4.0) -> Corrections:
    """rows: (text, question, topics or None, sentiment or None) — the hospital's corrected lines."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = [(text, q) for text, q, _, _ in rows]
    vec = TfidfVectorizer(analyzer=lambda d: char_features(d[0], d[1]), sublinear_tf=True, min_df=1)
    x = vec.fit_transform(docs)
    vocab = {t: int(i) for t, i in vec.vocabulary_.items()}
    support: dict[str, int] = {}

    def ovr(classes: tuple[str, ...], gold: list[set[str] | None]) -> TopicModel:
        coef = np.zeros((len(classes), x.shape[1]))
        intercept = np.full(len(classes), -10.0)
        keep = [i for i, g in enumerate(gold) if g is not None]
        for ci, code in enumerate(classes):
            y = np.array([code in (gold[i] or set()) for i in keep])
            support[code] = int(y.sum())
            if 0 < y.sum() < len(y):
                clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
                clf.fit(x[keep], y)
                coef[ci], intercept[ci] = clf.coef_[0], clf.intercept_[0]
        return TopicModel(classes, vocab, vec.idf_, coef, intercept)

    topics = ovr(TOPIC_CODES, [set(t) if t is not None else None for _, _, t, _ in rows])
    sentiment = ovr(LABELS, [{s} if s is not None else None for _, _, _, s in rows])
    return Corrections(topics, sentiment, support)
