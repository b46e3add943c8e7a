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


def split_glued(tokens: list[str]) -> list[str]:
    """Split glued "ไม่X" / "Xมาก" tokens so negation and intensifiers stay visible.

    Safe for lexicon matching too: phrases are matched on the joined text, so "ไม่ดี" still matches
    across the split.
    """
    out: list[str] = []
    for tok in tokens:
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
    return out
