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
        self._index: dict[str, list[tuple[str, P]]] = defaultdict(list)
        for phrase, payload in entries:
            key = phrase_key(phrase)
            if key:
                self._index[key[:2]].append((key, payload))

    def find(self, tokens: list[str]) -> list[Match[P]]:
        joined = "".join(tokens)
        starts: list[int] = []
        ends: dict[int, int] = {}
        pos = 0
        for i, tok in enumerate(tokens):
            starts.append(pos)
            pos += len(tok)
            ends[pos] = i + 1
        out: list[Match[P]] = []
        for i, p in enumerate(starts):
            two = joined[p : p + 2]
            for key in (two, two[:1]) if len(two) == 2 else (two,):
                for phrase, payload in self._index.get(key, ()):
                    if (len(phrase) >= 2) != (len(key) == 2):
                        continue
                    end = ends.get(p + len(phrase))
                    if end is not None and joined.startswith(phrase, p):
                        out.append(Match(i, end, phrase, payload, p, p + len(phrase)))
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
