"""A literal prefilter for the cue regexes (issue 14 speed): a pattern runs only when the text holds one of
the literals every match must begin with.

Python's ``re`` scans an alternation of Thai words position by position; a 1,000-character report paid that
for each of about a hundred cue rules. The literals each rule's matches start with are read from the pattern
itself (top-level alternatives, ``\\b`` skipped, a leading ``(?:…)`` group opened); the text's character
bigrams are collected once, and a rule whose literals cannot occur is skipped. Exact: a pattern with an
alternative that does not start with a literal of two or more characters always runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

_SPECIAL = set("\\.[](){}*+?|^$")
_CLASS_ESCAPES = set("dDsSwWbBAZ0123456789")


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth after it) of each "(", ")" and "|" outside escapes and [classes], then
    (len, "", depth) at the end — depth -1 there when a [class] is left open."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()|":
            depth += 1 if ch == "(" else -1 if ch == ")" else 0
            yield i, ch, depth
        i += 1
    yield len(pattern), "", -1 if in_class else depth


def _split_top(pattern: str) -> list[str] | None:
    """Top-level alternatives, or None when the pattern is not well-formed for this reader."""
    out: list[str] = []
    start = 0
    for i, ch, depth in _structure(pattern):
        if ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        elif ch == "":
            if depth != 0:
                return None
    out.append(pattern[start:])
    return out


def _closing(alt: str, open_at: int) -> int:
    """The index of the ")" that closes the group opened at `open_at`, or -1."""
    return next((i for i, ch, depth in _structure(alt, open_at) if ch == ")" and depth == 0), -1)


def _alt_literals(alt: str) -> list[str] | None:
    i = 0
    while alt.startswith("\\b", i):
        i += 2
    if alt.startswith("(?:", i):
        end = _closing(alt, i)
        if end < 0 or (end + 1 < len(alt) and alt[end + 1] in "?*{"):
            return None
        return leading_literals(alt[i + 3 : end])
    if alt.startswith("(", i) and not alt.startswith("(?", i):
        end = _closing(alt, i)
        if end < 0 or (end + 1 < len(alt) and alt[end + 1] in "?*{"):
            return None
        return leading_literals(alt[i + 1 : end])
    lit: list[str] = []
    while i < len(alt):
        ch = alt[i]
        if ch == "\\":
            if i + 1 < len(alt) and alt[i + 1] not in _CLASS_ESCAPES and not alt[i + 1].isalnum():
                lit.append(alt[i + 1])
                i += 2
                continue
            break
        if ch in _SPECIAL:
            break
        lit.append(ch)
        i += 1
    if i < len(alt) and alt[i] in "?*{" and lit:
        lit.pop()
    return ["".join(lit)] if len(lit) >= 2 else None


@lru_cache(maxsize=4096)
def leading_literals(pattern: str) -> list[str] | None:
    """Literals one of which every match of ``pattern`` starts with; None when that cannot be said."""
    alts = _split_top(pattern)
    if alts is None:
        return None
    out: list[str] = []
    for alt in alts:
        lits = _alt_literals(alt)
        if lits is None:
            return None
        out.extend(lits)
    return out


@lru_cache(maxsize=64)
def bigrams(text: str) -> frozenset[str]:
    """The text's character bigrams (cached: the same report is read by several rule families)."""
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


class QuickRegex:
    """A compiled pattern with its literal prefilter; ``search``/``findall`` take the text as-is."""

    __slots__ = ("lits", "pattern", "rx")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.rx = re.compile(pattern, flags)
        self.pattern = pattern
        lits = None if flags & re.IGNORECASE else leading_literals(pattern)
        self.lits: tuple[tuple[str, str], ...] | None = (
            tuple(sorted({(lit[:2], lit) for lit in lits})) if lits else None
        )

    def may_match(self, text: str) -> bool:
        if self.lits is None:
            return True
        grams = bigrams(text)
        return any(gram in grams and lit in text for gram, lit in self.lits)

    def search(self, text: str) -> re.Match[str] | None:
        return self.rx.search(text) if self.may_match(text) else None

    def findall(self, text: str) -> list[str]:
        return self.rx.findall(text) if self.may_match(text) else []
