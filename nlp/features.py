"""Bag-of-words features shared by training and inference, so both see exactly the same strings."""

from __future__ import annotations

import itertools

import numpy as np

NEGATORS = frozenset({"ไม่", "ไม่ค่อย", "ไม่เคย", "ไม่ได้", "ไม่ต้อง", "ไม่มี", "มิ", "ไม่ค่อยจะ", "ไม่ใช่"})
# Politeness and address carry no opinion, but on social-media Thai (wisesight) they go with shop
# replies and praise, so a model that sees them reads "รอนานมากค่ะ" as praise. Thai patients end
# nearly every message with one of them: they are never features.
POLITE_PARTICLES = frozenset({
    "ค่ะ", "คะ", "ค่า", "คร่า", "ค๊ะ", "คับ", "ครับ", "ครัช", "ค้าบ", "คร้าบ", "ครับผม", "ขา", "ค่ะๆ",
    "จ้า", "จ้ะ", "จ๊ะ", "จ๋า", "จ้ำ", "ฮะ", "ฮับ", "งับ", "ค่าา", "เจ้าค่ะ", "นะคะ", "นะครับ", "นะค่ะ", "นะคับ",
    "นะจ๊ะ", "นะจ้ะ", "นะจ้า", "น้า", "นะ", "น่ะ", "จ้าา", "ครับๆ", "ค่ะค่ะ", "ด้วยค่ะ", "ด้วยครับ", "ฮ่ะ",
    "เด้อ", "เน้อ", "ค๊าบ", "คัฟ", "ขอรับ",
})  # fmt: skip
# Punctuation and symbols: noise for a bag of words.
_PUNCT = frozenset("!?.,:;\"'()[]{}-–—~*/\\|_+=<>#@&%^`…")
_PUNCT_CHARS = "".join(sorted(_PUNCT))


def content_tokens(tokens: list[str]) -> list[str]:
    # a token of punctuation only strips to "" (as does an empty one)
    return [t for t in tokens if t not in POLITE_PARTICLES and t.strip(_PUNCT_CHARS)]


def token_features(tokens: list[str]) -> list[str]:
    """Unigrams, bigrams and a negation-scoped copy of the word after a negator ("~สะอาด").

    Polite particles and punctuation are dropped first, so bigrams join the words around them.
    """
    return content_features(content_tokens(tokens))


def content_features(tokens: list[str]) -> list[str]:
    """``token_features`` of tokens already reduced to ``content_tokens`` (the analyser has them anyway)."""
    feats = list(tokens)
    # " ".join((a, b)) is f"{a} {b}", mapped in C; the negation copies only when a negator is there at all.
    feats.extend(map(" ".join, itertools.pairwise(tokens)))
    if not NEGATORS.isdisjoint(tokens):
        feats.extend(["~" + b for a, b in itertools.pairwise(tokens) if a in NEGATORS])
    return feats


def split_glued(tokens: list[str]) -> list[str]:
    """Split glued "ไม่X" / "Xมาก" tokens so negation and intensifiers stay visible.

    Safe for lexicon matching too: phrases are matched on the joined text, so "ไม่ดี" still matches
    across the split.
    """
    # Most tokens are neither: find the few that are first (one comprehension), copy the runs between them.
    glued = [i for i, tok in enumerate(tokens) if len(tok) > 3 and (tok.endswith("มาก") or tok.startswith("ไม่"))]
    if not glued:
        return list(tokens)
    out: list[str] = []
    done = 0
    for i in glued:
        out += tokens[done:i]
        done = i + 1
        tok = tokens[i]
        tail = []
        if len(tok) > 3 and tok.endswith("มาก"):
            tok, tail = tok[:-3], ["มาก"]  # "ดีมาก" glued: "ใจ"+"ดี" must still match "ใจดี"
        if len(tok) > 3 and tok.startswith("ไม่"):
            rest = tok[3:]
            if rest.startswith("ค่อย") and len(rest) > 4:
                out += ["ไม่", "ค่อย", rest[4:]]
            else:
                out += ["ไม่", rest]
        else:
            out.append(tok)
        out += tail
    out += tokens[done:]
    return out


def general_token_features(tokens: list[str]) -> list[str]:
    """The general-Thai model's words: as ``token_features`` but with the polite particles kept.

    On social-media Thai (wisesight) the particles carry signal (shop replies and friendly praise end in
    "ค่ะ"/"นะคะ", angry posts rarely do); the hospital model drops them because patients end every
    message, complaints included, with one. Only text that answers no question is read with them.
    """
    tokens = [t for t in tokens if t.strip(_PUNCT_CHARS)]
    feats = list(tokens)
    feats.extend(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    feats.extend(f"~{b}" for a, b in itertools.pairwise(tokens) if a in NEGATORS)
    return feats


# Character n-grams of the general model, hashed into 2**CHAR_BITS columns: spelling-tolerant ("ดีมากกกก",
# "แพท"), no tokenizer decisions, and computed with a few numpy operations over the code points.
CHAR_NGRAMS = (1, 2, 3)
CHAR_BITS = 18
_FNV = np.uint64(1099511628211)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def char_ngram_ids(
    text: str, ngrams: tuple[int, ...] = CHAR_NGRAMS, bits: int = CHAR_BITS
) -> tuple[np.ndarray, np.ndarray]:
    """(sorted column ids, counts) of the text's character n-grams (the text padded with one space each side).

    Deterministic across runs and machines (no Python ``hash``): an n-gram's code points are folded by
    multiply-add in uint64 (wrapping), mixed with n and a multiplicative hash, and the top ``bits`` bits kept.
    """
    c = np.frombuffer(f" {text} ".encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts = []
    h = c
    for n in range(1, max(ngrams) + 1):
        if n > 1:
            h = h[: len(c) - n + 1] * _FNV + c[n - 1 :]
        if n in ngrams and len(h):
            parts.append(((h + np.uint64(n)) * _GOLDEN) >> np.uint64(64 - bits))
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ids, counts = np.unique(np.concatenate(parts), return_counts=True)
    return ids.astype(np.int64), counts
