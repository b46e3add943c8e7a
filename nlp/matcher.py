"""Phrase matching on word boundaries, tolerant of how the tokenizer split the phrase itself."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from nlp.normalize import normalize_text

P = TypeVar("P")


def phrase_key(phrase: str) -> str:
    """Canonical form of a lexicon phrase: normalised like messages, spaces removed."""
    return normalize_text(phrase).replace(" ", "")


@dataclass(frozen=True, slots=True)
class Match(Generic[P]):
    start: int  # first token index
    end: int  # one past the last token index
    phrase: str
    payload: P
    char_start: int = 0  # offsets in the joined text
    char_end: int = 0


class PhraseMatcher(Generic[P]):
    """Finds lexicon phrases that start and end on token boundaries.

    Matching on the joined text rather than on token tuples means "รอนาน" is found whether the
    tokenizer produced ["รอนาน"] or ["รอ", "นาน"], while "รอ" never matches inside "รอบ".
    """

    def __init__(self, entries: Iterable[tuple[str, P]]) -> None:
        self._phrases: dict[str, list[P]] = defaultdict(list)
        for phrase, payload in entries:
            key = phrase_key(phrase)
            if key:
                self._phrases[key].append(payload)
        self._longest = max((len(k) for k in self._phrases), default=0)

    def find(self, tokens: list[str]) -> list[Match[P]]:
        """Every phrase that spans whole tokens: one dictionary lookup per (start, end) pair of token
        boundaries no further apart than the longest phrase, so the cost does not grow with the lexicon."""
        joined = "".join(tokens)
        bounds = [0]
        for tok in tokens:
            bounds.append(bounds[-1] + len(tok))
        out: list[Match[P]] = []
        phrases = self._phrases
        n = len(tokens)
        for i in range(n):
            p = bounds[i]
            limit = p + self._longest
            for j in range(i + 1, n + 1):
                e = bounds[j]
                if e > limit:
                    break
                payloads = phrases.get(joined[p:e])
                if payloads:
                    phrase = joined[p:e]
                    out.extend(Match(i, j, phrase, payload, p, e) for payload in payloads)
        return out


def longest_non_overlapping(matches: list[Match[P]]) -> list[Match[P]]:
    """Greedy left-to-right selection preferring the longest match at each position."""
    chosen: list[Match[P]] = []
    last_end = 0
    for m in sorted(matches, key=lambda m: (m.char_start, -len(m.phrase))):
        if m.char_start >= last_end:
            chosen.append(m)
            last_end = m.char_end
    return chosen
