"""Phrase matching on word boundaries, tolerant of how the tokenizer split the phrase itself."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, Generic, TypeVar

import numpy as np

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


# nlp-inc26: the negation "ไม่" is never a typo of "ไม้" (wood) — "ผลไม่ได้ส่ง" (the result was not sent) is no
# "ผลไม้" (fruit), "ไม่กั้นเตียง" no bed rail: a loose match whose text has "ไม่" where the phrase has "ไม้" is refused.
def _negation_typo(phrase: str, canonical: str) -> bool:
    return "ไม่" in phrase and "ไม้" in canonical and "ไม่" not in canonical


# _LOOSE_DROP in two steps, faster on a long text: the karan sequences (the only drops that depend on a
# neighbour; none of their characters is dropped alone), then runs of single dropped characters.
_KARAN_SEQ = re.compile("[\u0e01-\u0e2e][\u0e34\u0e38]?\u0e4c")
_SINGLE_DROPS = re.compile("[\u0e47-\u0e4b.\\s]+")


def loose_key_reference(text: str) -> str:
    """loose_key by its definition (tested against the two-step form)."""
    return _LOOSE_VOWEL_RUN.sub(r"\1", _LOOSE_DROP.sub("", text))


# _SINGLE_DROPS's characters, deleted one by one (h/nlp-speed): str.split() drops exactly what re's \s matches, and
# str.replace each mark (a coder's 1,000-character text: 24 → 7 µs).
_DROPPED_MARKS = "\u0e47\u0e48\u0e49\u0e4a\u0e4b."


@lru_cache(maxsize=1 << 16)
def loose_key(text: str) -> str:
    """The typo-tolerant form of a token or phrase (see above)."""
    if "\u0e4c" in text:
        text = _KARAN_SEQ.sub("", text)
    text = "".join(text.split())
    for mark in _DROPPED_MARKS:
        if mark in text:
            text = text.replace(mark, "")
    return _LOOSE_VOWEL_RUN.sub(r"\1", text)


# Loose keys of tokens seen, for find(): one dict lookup per token (map over a plain dict) instead of a call
# through lru_cache; cleared when it holds LOOSE_CACHED keys (a dict's operations are atomic: thread-safe).
LOOSE_CACHED = 1 << 16
_loose_keys: dict[str, str] = {}


def loose_keys(tokens: list[str]) -> list[str]:
    """``[loose_key(t) for t in tokens]``, cached per token."""
    cache = _loose_keys
    keys = list(map(cache.get, tokens))
    if None in keys:
        for k, key in enumerate(keys):
            if key is None:
                if len(cache) >= LOOSE_CACHED:
                    cache.clear()
                keys[k] = cache[tokens[k]] = loose_key(tokens[k])
    return keys  # type: ignore[return-value]  # no None is left


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__ (about 2 µs a match
# against 0.4), and a 1,000-character report builds ~50 matches per analysis. Nothing changes a match after
# find() returns it (treat it as read-only); unsafe_hash keeps it hashable as before.
@dataclass(slots=True, unsafe_hash=True)
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
        self._automaton = _automaton(self._loose if loose else self._phrases)

    def find(self, tokens: list[str]) -> list[Match[P]]:
        """Every phrase that spans whole tokens (see find_reference): one Aho-Corasick pass over the joined
        tokens (their loose keys when matching loosely) finds every occurrence of every key, in C, and only
        those that start and end on token boundaries are kept — the same matches in the same order."""
        automaton = self._automaton
        n = len(tokens)
        if automaton is None or n < AUTOMATON_MIN_TOKENS:
            return self.find_reference(tokens)  # a short message: the per-span scan costs less than the set-up
        bounds = [0, *accumulate(map(len, tokens))]
        joined = "".join(tokens)
        if self._loose:
            ltoks = loose_keys(tokens)
            lbounds = [0, *accumulate(map(len, ltoks))]
            haystack = "".join(ltoks)
        else:
            lbounds, haystack = bounds, joined
        # Token indices at each offset of the haystack: a range, as a token with an empty (loose) key shares
        # its start with the next one.
        last = dict(zip(lbounds, range(n + 1), strict=True))
        first = last if len(last) == n + 1 else dict(zip(reversed(lbounds), range(n, -1, -1), strict=True))
        found: list[tuple[int, int, str]] = []
        for end, (key, size) in automaton.iter(haystack):
            end += 1
            start = end - size
            if start not in last or end not in last:
                continue
            for i in range(first[start], min(last[start], n - 1) + 1):
                for j in range(max(first[end], i + 1), last[end] + 1):
                    found.append((i, j, key))
        if len(found) > 1:
            found.sort(key=_by_span)
        out: list[Match[P]] = []
        phrases = self._phrases
        loose = self._loose
        for i, j, key in found:
            p, e = bounds[i], bounds[j]
            if loose:
                canonical = loose[key]
                phrase = joined[p:e]
                payloads = phrases.get(phrase)
                if not payloads and canonical and not _negation_typo(phrase, canonical):
                    phrase, payloads = canonical, phrases[canonical]
                if not payloads:
                    continue
            else:
                phrase, payloads = key, phrases[key]
            out.extend(Match(i, j, phrase, payload, p, e) for payload in payloads)
        return out

    def find_reference(self, tokens: list[str]) -> list[Match[P]]:
        """The plain-Python reference find() is tested against: one dictionary lookup per (start, end) pair
        of token boundaries no further apart than the longest phrase."""
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
                    if not payloads and canonical and not _negation_typo(phrase, canonical):
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


CLAUSE_VECTOR_MIN = 48


def clause_ids(norm: str, tokens: list[str]) -> list[int] | None:
    """Clause number of each token (the spaces before it in the normalised text), vectorised; None when the
    tokens do not tile the text less its single spaces with every space between two tokens (the caller's
    reference walk then decides)."""
    if len(tokens) < CLAUSE_VECTOR_MIN:
        return None  # numpy's per-call cost is more than the walk over a short message
    parts = norm.split(" ")
    if "" in parts or "".join(tokens) != "".join(parts):
        return None
    starts = np.fromiter(accumulate(map(len, parts)), dtype=np.int64, count=len(parts))
    offsets = np.fromiter(accumulate(map(len, tokens), initial=0), dtype=np.int64, count=len(tokens) + 1)
    # Every space must fall between two tokens: a token that straddles one is the reference walk's to judge.
    if not np.array_equal(offsets[np.searchsorted(offsets, starts)], starts):
        return None
    ids: list[int] = np.searchsorted(starts, offsets[:-1], side="right").tolist()
    return ids


AUTOMATON_MIN_TOKENS = 32


def _by_span(hit: tuple[int, int, str]) -> tuple[int, int]:
    return hit[0], hit[1]


def _automaton(keys: Iterable[str]) -> Any:
    """An Aho-Corasick automaton over the keys (value: the key and its length); None without pyahocorasick."""
    try:
        import ahocorasick
    except ImportError:  # find() falls back to the reference scan
        return None
    automaton = ahocorasick.Automaton()
    for key in keys:
        if key:
            automaton.add_word(key, (key, len(key)))
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def longest_non_overlapping(matches: list[Match[P]]) -> list[Match[P]]:
    """Greedy left-to-right selection preferring the longest match at each position."""
    chosen: list[Match[P]] = []
    last_end = 0
    for m in sorted(matches, key=lambda m: (m.char_start, -len(m.phrase))):
        if m.char_start >= last_end:
            chosen.append(m)
            last_end = m.char_end
    return chosen
