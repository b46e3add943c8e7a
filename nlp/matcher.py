"""Phrase matching on word boundaries, tolerant of how the tokenizer split the phrase itself."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from nlp.normalize import normalize_text

P = TypeVar("P")
MIN_ONE_EDGE = 4  # characters


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
    Phrases of MIN_ONE_EDGE+ characters need only one edge on a token boundary.
    """

    def __init__(self, entries: Iterable[tuple[str, P]]) -> None:
        self._index: dict[str, list[tuple[str, P]]] = defaultdict(list)
        for phrase, payload in entries:
            key = phrase_key(phrase)
            if key:
                self._index[key[:2]].append((key, payload))
        for cands in self._index.values():
            cands.sort(key=lambda c: -len(c[0]))

    def find(self, tokens: list[str]) -> list[Match[P]]:
        joined = "".join(tokens)
        owner: list[int] = []  # token index of each character
        starts: set[int] = set()
        ends: set[int] = set()
        pos = 0
        for i, tok in enumerate(tokens):
            starts.add(pos)
            owner.extend([i] * len(tok))
            pos += len(tok)
            ends.add(pos)
        out: list[Match[P]] = []
        index = self._index
        for p in range(len(joined)):
            two = joined[p : p + 2]
            for key in (two, two[:1]) if len(two) == 2 else (two,):
                for phrase, payload in index.get(key, ()):
                    if (len(phrase) >= 2) != (len(key) == 2) or not joined.startswith(phrase, p):
                        continue
                    e = p + len(phrase)
                    start_ok, end_ok = p in starts, e in ends
                    # Short words must fill whole tokens ("รอ" never inside "รอบ"); longer ones may share a
                    # token at one edge, because the dictionary glues words ("ห้อง|น้ำสะอาด").
                    if (start_ok and end_ok) or (len(phrase) >= MIN_ONE_EDGE and (start_ok or end_ok)):
                        out.append(Match(owner[p], owner[e - 1] + 1, phrase, payload, p, e))
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
