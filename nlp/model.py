"""The statistical sentiment model: TF-IDF over nlpo3 tokens + logistic regression.

Training uses scikit-learn; inference re-implements ``TfidfVectorizer.transform`` + ``decision_function``
with a vocabulary dict and numpy, because sklearn's per-call validation costs more than the whole
rest of the analysis for a single short message.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nlp.features import token_features

MODEL_FORMAT = 1
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "sentiment_model.joblib"
LABELS = ("neg", "neu", "pos")


class ModelError(RuntimeError):
    """The model file is missing, of another format, or unreadable."""


@dataclass(frozen=True)
class SentimentModel:
    version: str
    data_hash: str
    classes: tuple[str, ...]
    vocab: dict[str, int]
    idf: np.ndarray  # (V,)
    coef: np.ndarray  # (C, V)
    intercept: np.ndarray  # (C,)
    meta: dict[str, Any]

    def proba(self, tokens: list[str]) -> dict[str, float]:
        """Class probabilities (softmax of the linear scores, as multinomial LogisticRegression does)."""
        counts = Counter(f for f in token_features(tokens) if f in self.vocab)
        scores = self.intercept.copy()
        if counts:
            idx = np.fromiter((self.vocab[f] for f in counts), dtype=np.int64, count=len(counts))
            tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts))
            w = tf * self.idf[idx]
            w /= np.sqrt(float(w @ w))
            scores = scores + self.coef[:, idx] @ w
        scores = scores - scores.max()
        e = np.exp(scores)
        e /= e.sum()
        return {c: float(p) for c, p in zip(self.classes, e, strict=True)}

    def to_payload(self) -> dict[str, Any]:
        vocab_list = [""] * len(self.vocab)
        for term, i in self.vocab.items():
            vocab_list[i] = term
        return {
            "format": MODEL_FORMAT,
            "version": self.version,
            "data_hash": self.data_hash,
            "classes": list(self.classes),
            "vocab": vocab_list,
            "idf": self.idf.astype(np.float32),
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float32),
            "meta": self.meta,
        }

    def save(self, path: Path) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.to_payload(), path, compress=("xz", 6))


def load_model(path: Path | None = None) -> SentimentModel:
    """Load a model file written by ``python -m nlp.train``."""
    import joblib

    path = Path(path) if path is not None else DEFAULT_MODEL_PATH
    try:
        data = joblib.load(path)
    except FileNotFoundError as exc:
        raise ModelError(f"sentiment model not found: {path} (build it with `python -m nlp.train`)") from exc
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ModelError(f"{path}: not a format-{MODEL_FORMAT} Patient Voice sentiment model")
    return SentimentModel(
        version=str(data["version"]),
        data_hash=str(data["data_hash"]),
        classes=tuple(data["classes"]),
        vocab={t: i for i, t in enumerate(data["vocab"])},
        idf=np.asarray(data["idf"], dtype=np.float64),
        coef=np.asarray(data["coef"], dtype=np.float64),
        intercept=np.asarray(data["intercept"], dtype=np.float64),
        meta=dict(data.get("meta", {})),
    )
