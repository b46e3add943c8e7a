"""The statistical models: TF-IDF over nlpo3 tokens + logistic regression, for sentiment and for topics.

Training uses scikit-learn; inference re-implements ``TfidfVectorizer.transform`` + ``decision_function``
with a vocabulary dict and numpy, because sklearn's per-call validation costs more than the whole
rest of the analysis for a single short message.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nlp.features import (
    CHAR_BITS,
    CHAR_NGRAMS,
    char_ngram_ids,
    content_features,
    general_token_features,
    token_features,
)

# Format 2 (issue 14, the file nearing its 5 MB limit): coefficients stored feature-major in half precision, the
# multinomial model's last row left out (rebuilt as minus the others' sum), all-zero feature rows left out, the
# vocabularies as one newline-joined string, the NRLS centroids in half precision. Format 1 files still load.
MODEL_FORMAT = 2
READABLE_FORMATS = (1, 2)
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "sentiment_model.joblib"
LABELS = ("neg", "neu", "pos")


class ModelError(RuntimeError):
    """The model file is missing, of another format, or unreadable."""


def feature_counts(tokens: list[str], content: list[str] | None = None) -> Counter[str]:
    """The message's bag of features, computed once and shared by the sentiment and topic models; ``content``
    is ``content_tokens(tokens)`` when the caller has it already."""
    return Counter(token_features(tokens) if content is None else content_features(content))


def _tfidf(
    vocab: dict[str, int], idf: np.ndarray, tokens: list[str], features: Counter[str] | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """Column indices and l2-normalised sublinear TF-IDF weights of a message, as TfidfVectorizer computes.

    A short message's features mostly occur once (tf = 1 + log 1 = 1.0): its weights are then its idf values
    as they are, the product with a vector of ones skipped (the same floats: x · 1.0 is x)."""
    counts = features if features is not None else feature_counts(tokens)
    if len(counts) >= TFIDF_VECTOR_MIN:
        return _tfidf_vector(vocab, idf, counts)
    get = vocab.get
    found = [(column, count) for feature, count in counts.items() if (column := get(feature)) is not None]
    if not found:
        return None
    idx = np.array([column for column, _ in found], dtype=np.int64)
    w = idf[idx]  # a new array: gathered
    if any(count != 1 for _, count in found):
        w *= np.array([1.0 + math.log(count) for _, count in found])
    w /= math.sqrt(float(w @ w))
    return idx, w


# A bag this large (a long report: ~700 features) is looked up with map() and numpy instead of a Python loop per
# feature; a short message's bag costs less the plain way. Both give the same columns and the same floats.
TFIDF_VECTOR_MIN = 64
# 1 + ln(count), computed by math.log as the plain way does, for the counts a report holds.
_SUBLINEAR = np.array([1.0 + math.log(c) if c else 0.0 for c in range(256)])


def _tfidf_vector(vocab: dict[str, int], idf: np.ndarray, counts: Counter[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """``_tfidf`` of a large bag, vectorised: the known features in the bag's order, the same weights."""
    n = len(counts)
    cols = np.fromiter(map(vocab.get, counts, itertools.repeat(-1)), dtype=np.int64, count=n)
    known = cols >= 0
    if not known.any():
        return None
    idx = cols[known]
    tf = np.fromiter(counts.values(), dtype=np.int64, count=n)[known]
    w = idf[idx]  # a new array: gathered
    if (tf != 1).any():
        if int(tf.max()) < len(_SUBLINEAR):
            w *= _SUBLINEAR[tf]
        else:
            w *= np.array([1.0 + math.log(c) for c in tf.tolist()])
    w /= math.sqrt(float(w @ w))
    return idx, w


def terms_by_column(vocab: dict[str, int]) -> list[str]:
    """The vocabulary as a list, each term at its column (how the model file stores it)."""
    terms = [""] * len(vocab)
    for term, i in vocab.items():
        terms[i] = term
    return terms


def pack_terms(terms: list[str]) -> str | list[str]:
    """A vocabulary (terms in column order) as one newline-joined string: xz packs it ~20% smaller than a pickled
    list of 80,000 strings, and it loads faster. A vocabulary the join cannot round-trip stays a list."""
    if not terms or any(not t or "\n" in t for t in terms):
        return terms
    return "\n".join(terms)


def unpack_terms(data: str | list[str]) -> list[str]:
    """``pack_terms`` undone; a list (format 1, or a vocabulary with a newline) is returned as it is."""
    return data.split("\n") if isinstance(data, str) else list(data)


# A multinomial model's coefficients sum to zero over its classes for every feature (the L2 optimum: adding a
# constant to every class changes no probability and only adds to the penalty); lbfgs leaves ~4e-7. Below this
# the last row is left out of the file and rebuilt as minus the others' sum.
ZERO_SUM_TOLERANCE = 1e-5


def pack_coef(coef: np.ndarray, zero_sum: bool = False) -> dict[str, Any]:
    """A (C, V) coefficient matrix for the model file: feature-major (V, C) half precision (xz packs a feature's
    classes together better than a class's features; a weight's rounding error is ≤ 2**-11 of it), the rows of
    features with no weight in any class left out (a bitmap names the others), and with ``zero_sum`` the last
    class left out when the classes sum to zero."""
    c, v = coef.shape
    drop_last = zero_sum and c > 1 and float(np.abs(coef.sum(axis=0)).max(initial=0.0)) <= ZERO_SUM_TOLERANCE
    kept = coef[:-1] if drop_last else coef
    if not np.isfinite(kept).all() or float(np.abs(kept).max(initial=0.0)) > float(np.finfo(np.float16).max):
        raise ValueError("a coefficient beyond half precision's range (±65,504): the model diverged")
    rows = kept.T.astype(np.float16)
    nonzero = (rows != 0).any(axis=1) if len(rows) else np.zeros(0, dtype=bool)
    return {
        "shape": (c, v),
        "rows": np.ascontiguousarray(rows[nonzero]),
        "nonzero": np.packbits(nonzero),
        "last": "neg_sum" if drop_last else "stored",
    }


def unpack_coef(data: dict[str, Any] | np.ndarray) -> np.ndarray:
    """``pack_coef`` undone, as float64 (C, V): a transposed view of a C-contiguous (V, C) array, which is what
    inference gathers rows from (``_rows`` then needs no copy). A plain array (format 1) is widened as it is."""
    if not isinstance(data, dict):
        return np.asarray(data, dtype=np.float64)
    c, v = (int(n) for n in data["shape"])
    stored = c - 1 if data["last"] == "neg_sum" else c
    nonzero = np.unpackbits(np.asarray(data["nonzero"], dtype=np.uint8), count=v).astype(bool)
    rows = np.zeros((v, c), dtype=np.float64)
    packed = np.asarray(data["rows"], dtype=np.float64).reshape(-1, stored)
    if len(packed) != int(nonzero.sum()):
        raise ModelError(f"coefficient rows: {len(packed)} stored, {int(nonzero.sum())} named")
    rows[nonzero, :stored] = packed
    if stored < c:
        rows[:, -1] = -rows[:, :-1].sum(axis=1)
    return rows.T


def _rows(model: object, coef: np.ndarray) -> np.ndarray:
    """coef transposed to (V, C), C-contiguous and cached on the (frozen) model: gathering a message's rows
    is several times faster than gathering columns of (C, V)."""
    cached: np.ndarray | None = model.__dict__.get("_coef_rows")
    if cached is None:
        cached = np.ascontiguousarray(coef.T)
        object.__setattr__(model, "_coef_rows", cached)
    return cached


@dataclass(frozen=True)
class TopicModel:
    """Multi-label topics: one logistic regression per topic (one-vs-rest) on the hospital's own messages."""

    classes: tuple[str, ...]
    vocab: dict[str, int]
    idf: np.ndarray  # (V,)
    coef: np.ndarray  # (C, V)
    intercept: np.ndarray  # (C,)

    def proba(
        self, tokens: list[str], min_p: float = 0.5, features: Counter[str] | None = None
    ) -> dict[str, tuple[float, list[str]]]:
        """Topics with probability ≥ min_p → (probability, the one or two features that weighed most)."""
        x = _tfidf(self.vocab, self.idf, tokens, features)
        if x is None:
            return {}
        idx, w = x
        contrib = _rows(self, self.coef)[idx]  # (n, C), a new array: gathered
        contrib *= w[:, None]
        probs = (1.0 / (1.0 + np.exp(-(self.intercept + contrib.sum(axis=0))))).tolist()
        out: dict[str, tuple[float, list[str]]] = {}
        for c, p in enumerate(probs):
            if p >= min_p:
                column = contrib[:, c]
                best = [int(b) for b in np.argsort(-column)[:2] if column[b] > 0]
                out[self.classes[c]] = (p, [self.terms[int(idx[b])] for b in best])
        return out

    @property
    def terms(self) -> list[str]:
        return self._terms()

    def _terms(self) -> list[str]:
        cached: list[str] | None = self.__dict__.get("_terms_cache")
        if cached is None:
            cached = terms_by_column(self.vocab)
            object.__setattr__(self, "_terms_cache", cached)
        return cached

    def to_payload(self) -> dict[str, Any]:
        return {
            "classes": list(self.classes),
            "vocab": pack_terms(terms_by_column(self.vocab)),
            "idf": self.idf.astype(np.float32),
            "coef": pack_coef(self.coef),  # one-vs-rest: each row its own, none rebuilt
            "intercept": self.intercept.astype(np.float32),
        }

    @staticmethod
    def from_payload(data: dict[str, Any]) -> TopicModel:
        return TopicModel(
            classes=tuple(data["classes"]),
            vocab={t: i for i, t in enumerate(unpack_terms(data["vocab"]))},
            idf=np.asarray(data["idf"], dtype=np.float64),
            coef=unpack_coef(data["coef"]),
            intercept=np.asarray(data["intercept"], dtype=np.float64),
        )


@dataclass(frozen=True)
class GeneralModel:
    """General-Thai sentiment, trained on wisesight alone: the words with their polite particles (TF-IDF over
    ``general_token_features``) beside hashed character n-grams (TF-IDF over ``char_ngram_ids``), each block
    l2-normalised, NB-SVM one-vs-rest per class; and over the same features, how likely the text is a
    hospital message (trained on the hospital's messages against wisesight). Read for text that answers no
    question; the hospital model (which drops the particles) reads the patient's answers.
    """

    classes: tuple[str, ...]
    vocab: dict[str, int]
    idf: np.ndarray  # (V,) word block
    char_idf: np.ndarray  # (2**bits,) char block
    coef: np.ndarray  # (C + 1, V + 2**bits): the classes' rows, then the hospital-domain row
    intercept: np.ndarray  # (C + 1,)
    ngrams: tuple[int, ...] = CHAR_NGRAMS
    bits: int = CHAR_BITS

    def scores(self, tokens: list[str], text: str) -> np.ndarray:
        rows = _rows(self, self.coef)
        scores = self.intercept.copy()
        x = _tfidf(self.vocab, self.idf, tokens, Counter(general_token_features(tokens)))
        if x is not None:
            idx, w = x
            scores += w @ rows[idx]
        ids, counts = char_ngram_ids(text, self.ngrams, self.bits)
        if len(ids):
            w = (1.0 + np.log(counts)) * self.char_idf[ids]
            norm = math.sqrt(float(w @ w))
            if norm > 0:
                scores += (w / norm) @ rows[len(self.vocab) + ids]
        return scores

    def read(self, tokens: list[str], text: str) -> tuple[dict[str, float], float]:
        """(class probabilities, probability that the text is a hospital message) of ``text`` (normalised)
        whose tokens are ``tokens``: the classes' one-vs-rest scores softmaxed, the domain score's sigmoid.
        A question (wisesight's "q", learnt as a class of its own) is read as neutral."""
        scores = self.scores(tokens, text)
        cls = scores[: len(self.classes)]
        e = np.exp(cls - cls.max())
        e /= e.sum()
        hospital = 1.0 / (1.0 + math.exp(-float(scores[-1])))
        probs = {c: float(p) for c, p in zip(self.classes, e, strict=True)}
        if "q" in probs:
            probs["neu"] = probs.get("neu", 0.0) + probs.pop("q")
        return probs, hospital

    def to_payload(self) -> dict[str, Any]:
        return {
            "classes": list(self.classes),
            "vocab": pack_terms(terms_by_column(self.vocab)),
            "idf": self.idf.astype(np.float32),
            "char_idf": self.char_idf.astype(np.float32),
            # Half precision: 2**18 hashed character columns × 5 rows are most of the model file; a weight's
            # rounding error (≤ 0.003 on weights up to ≈ 11) moves no score that decides a class (bench/README.md).
            # The hashed columns no training text reached (~190,000) weigh 0 in every row and are left out.
            "coef": pack_coef(self.coef),
            "intercept": self.intercept.astype(np.float32),
            "ngrams": list(self.ngrams),
            "bits": self.bits,
        }

    @staticmethod
    def from_payload(data: dict[str, Any]) -> GeneralModel:
        return GeneralModel(
            classes=tuple(data["classes"]),
            vocab={t: i for i, t in enumerate(unpack_terms(data["vocab"]))},
            idf=np.asarray(data["idf"], dtype=np.float64),
            char_idf=np.asarray(data["char_idf"], dtype=np.float64),
            coef=unpack_coef(data["coef"]),
            intercept=np.asarray(data["intercept"], dtype=np.float64),
            ngrams=tuple(int(n) for n in data["ngrams"]),
            bits=int(data["bits"]),
        )


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
    topics: TopicModel | None = None  # trained alongside when the hospital data carries topic labels
    nrls: dict[str, Any] | None = None  # the NRLS risk coder (nlp.nrls.RiskCoder payload), when trained
    corrections: dict[str, Any] | None = None  # the hospital's own per-topic classifier (nlp.corrections)
    general: GeneralModel | None = None  # general-Thai sentiment for text that answers no question

    def proba(self, tokens: list[str], features: Counter[str] | None = None) -> dict[str, float]:
        """Class probabilities (softmax of the linear scores, as multinomial LogisticRegression does)."""
        x = _tfidf(self.vocab, self.idf, tokens, features)
        scores = self.intercept
        if x is not None:
            idx, w = x
            scores = scores + w @ _rows(self, self.coef)[idx]
        scores = scores - scores.max()  # a new array: the intercept is never changed
        e = np.exp(scores)
        e /= e.sum()
        return dict(zip(self.classes, e.tolist(), strict=True))

    def to_payload(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "version": self.version,
            "data_hash": self.data_hash,
            "classes": list(self.classes),
            "vocab": pack_terms(terms_by_column(self.vocab)),
            "idf": self.idf.astype(np.float32),
            "coef": pack_coef(self.coef, zero_sum=True),  # multinomial: the last class rebuilt from the others
            "intercept": self.intercept.astype(np.float32),
            "meta": self.meta,
            **({"topics": self.topics.to_payload()} if self.topics is not None else {}),
            **({"nrls": pack_nrls(self.nrls)} if self.nrls is not None else {}),
            **({"corrections": self.corrections} if self.corrections is not None else {}),
            **({"general": self.general.to_payload()} if self.general is not None else {}),
        }

    def save(self, path: Path) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.to_payload(), path, compress=("xz", 6))


def pack_nrls(payload: dict[str, Any]) -> dict[str, Any]:
    """The NRLS coder's payload for the file: its centroid cells in half precision (a cell's rounding error is
    ≤ 2**-11 of it; the cells are cosines' terms, ≤ 0.46) and its vocabulary joined."""
    out = dict(payload)
    if "data" in out:
        out["data"] = np.asarray(out["data"]).astype(np.float16)
    if "vocab" in out:
        out["vocab"] = pack_terms(list(out["vocab"]))
    return out


def unpack_nrls(payload: dict[str, Any]) -> dict[str, Any]:
    """``pack_nrls`` undone: the payload ``RiskCoder.to_payload`` gives (float32 cells, the vocabulary a list)."""
    out = dict(payload)
    if "data" in out:
        out["data"] = np.asarray(out["data"], dtype=np.float32)
    if "vocab" in out:
        out["vocab"] = unpack_terms(out["vocab"])
    return out


def load_model(path: Path | None = None) -> SentimentModel:
    """Load a model file written by ``python -m nlp.train``."""
    import joblib

    path = Path(path) if path is not None else DEFAULT_MODEL_PATH
    try:
        data = joblib.load(path)
    except FileNotFoundError as exc:
        raise ModelError(f"sentiment model not found: {path} (build it with `python -m nlp.train`)") from exc
    if not isinstance(data, dict) or data.get("format") not in READABLE_FORMATS:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise ModelError(
            f"{path}: not a Patient Voice sentiment model of format {' or '.join(map(str, READABLE_FORMATS))}"
            f" (found {found!r}; retrain it with `python -m nlp.train`)"
        )
    return SentimentModel(
        version=str(data["version"]),
        data_hash=str(data["data_hash"]),
        classes=tuple(data["classes"]),
        vocab={t: i for i, t in enumerate(unpack_terms(data["vocab"]))},
        idf=np.asarray(data["idf"], dtype=np.float64),
        coef=unpack_coef(data["coef"]),
        intercept=np.asarray(data["intercept"], dtype=np.float64),
        meta=dict(data.get("meta", {})),
        topics=TopicModel.from_payload(data["topics"]) if data.get("topics") else None,
        nrls=unpack_nrls(data["nrls"]) if data.get("nrls") is not None else None,
        corrections=data.get("corrections"),
        general=GeneralModel.from_payload(data["general"]) if data.get("general") else None,
    )
