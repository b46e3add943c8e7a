"""Phrase matching on word boundaries, tolerant of how the tokenizer split the phrase itself."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from nlp.normalize import normalize_text

P = TypeVar("P")


def phrase_key(phrase: str) -> str:
    """Canonical form of a lexicon phrase: normalised like messages, spaces removed."""
    return normalize_text(phrase).replace(" ", "")


# How people type on a phone: tone marks and the short-vowel mark dropped or misplaced, the silent letter
# under a karan left out ("แพท" for "แพทย์"), a vowel doubled ("ช้าา"), abbreviation dots left out ("รพ"
# for "รพ."). The loose key forgets all of these; it is computed per token, so it never reaches across
# a word boundary.
_LOOSE_DROP = re.compile("[\u0e47-\u0e4b]|[\u0e01-\u0e2e][\u0e34\u0e38]?\u0e4c|[.\\s]")
_LOOSE_VOWEL_RUN = re.compile("([\u0e30-\u0e39\u0e40-\u0e44])\\1+")
# Loose matching only for phrases this long (as loose keys): short words collide ("ข่าว"/"ข้าว").
LOOSE_MIN = 4


@lru_cache(maxsize=1 << 16)
def loose_key(text: str) -> str:
    """The typo-tolerant form of a token or phrase (see above)."""
    return _LOOSE_VOWEL_RUN.sub(r"\1", _LOOSE_DROP.sub("", text))


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

    def __init__(self, entries: Iterable[tuple[str, P]], loose: bool = False) -> None:
        self._phrases: dict[str, list[P]] = defaultdict(list)
        for phrase, payload in entries:
            key = phrase_key(phrase)
            if key:
                self._phrases[key].append(payload)
        self._longest = max((len(k) for k in self._phrases), default=0)
        self.longest_span = self._longest + 2  # in characters of the text, loose matches included
        self.longest_tokens = self.longest_span  # a phrase never spans more tokens than characters
        # With loose matching every phrase is indexed by its loose key — loose key → (the canonical phrase
        # a typo stands for, or "" when the key is too short to match loosely): one lookup per span, and
        # the exact phrase is checked only when the loose key is known.
        self._loose: dict[str, str] = {}
        if loose:
            for key in sorted(self._phrases, key=len, reverse=True):
                lk = loose_key(key)
                canonical = key if len(lk) >= LOOSE_MIN else ""
                if not self._loose.get(lk):
                    self._loose[lk] = canonical
        # Every prefix of a key: a span that is no key's prefix cannot grow into a key, so the scan from a
        # start stops at the first such span (usually after one or two tokens).
        self._prefixes = {k[:i] for k in self._phrases for i in range(1, len(k) + 1)}
        self._lprefixes = {k[:i] for k in self._loose for i in range(1, len(k) + 1)}

    def find(self, tokens: list[str]) -> list[Match[P]]:
        """Every phrase that spans whole tokens: one dictionary lookup per (start, end) pair of token
        boundaries no further apart than the longest phrase, so the cost does not grow with the lexicon."""
        joined = "".join(tokens)
        bounds = [0]
        for tok in tokens:
            bounds.append(bounds[-1] + len(tok))
        out: list[Match[P]] = []
        phrases = self._phrases
        loose = self._loose
        prefixes = self._prefixes
        lprefixes = self._lprefixes
        lbounds = bounds
        ljoined = joined
        n = len(tokens)
        if loose:
            ltoks = [loose_key(t) for t in tokens]
            ljoined = "".join(ltoks)
            lbounds = [0]
            for tok in ltoks:
                lbounds.append(lbounds[-1] + len(tok))
            for i in range(n):
                p, lp = bounds[i], lbounds[i]
                limit = lp + self.longest_span
                for j in range(i + 1, n + 1):
                    le = lbounds[j]
                    if le > limit:
                        break
                    span = ljoined[lp:le]
                    if span not in lprefixes:
                        if le > lp:
                            break
                        continue  # a token with an empty loose key ("." alone) adds nothing yet
                    canonical = loose.get(span)
                    if canonical is None:
                        continue
                    e = bounds[j]
                    phrase = joined[p:e]
                    payloads = phrases.get(phrase)
                    if not payloads and canonical:
                        phrase, payloads = canonical, phrases[canonical]
                    if payloads:
                        out.extend(Match(i, j, phrase, payload, p, e) for payload in payloads)
            return out
        for i in range(n):
            p = bounds[i]
            limit = p + self.longest_span
            for j in range(i + 1, n + 1):
                e = bounds[j]
                if e > limit:
                    break
                phrase = joined[p:e]
                if phrase not in prefixes:
                    if e > p:
                        break
                    continue
                payloads = phrases.get(phrase)
                if payloads:
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
