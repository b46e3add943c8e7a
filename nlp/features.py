"""Bag-of-words features shared by training and inference, so both see exactly the same strings."""

from __future__ import annotations

import itertools

NEGATORS = frozenset({"ไม่", "ไม่ค่อย", "ไม่เคย", "ไม่ได้", "ไม่ต้อง", "ไม่มี", "มิ", "ไม่ค่อยจะ", "ไม่ใช่"})


def token_features(tokens: list[str]) -> list[str]:
    """Unigrams, bigrams and a negation-scoped copy of the word after a negator ("~สะอาด")."""
    feats = list(tokens)
    feats.extend(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    feats.extend(f"~{b}" for a, b in itertools.pairwise(tokens) if a in NEGATORS)
    return feats
