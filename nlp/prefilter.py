"""A literal prefilter for the cue regexes (issue 14 speed): a pattern runs only when the text holds one of
the literals every match must begin with.

Python's ``re`` scans an alternation of Thai words position by position; a 1,000-character report paid that
for each of about a hundred cue rules. The literals each rule's matches start with are read from the pattern
itself (top-level alternatives, ``\\b`` skipped, a leading ``(?:…)`` group opened); the text's character
bigrams are collected once, and a rule whose literals cannot occur is skipped. Exact: a pattern with an
alternative that does not start with a literal of two or more characters always runs.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

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


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (each a pattern of its own)."""
    alts = _split_top(pattern)
    if alts is None:
        raise ValueError(f"cannot split {pattern!r}")
    return alts


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
    """A compiled pattern with its literal prefilter; ``search``/``findall`` take the text as-is. Attached
    to a PatternSet (``attach``), it is also skipped when one Hyperscan pass over the text says it cannot
    match, and ``found`` answers yes/no from that pass alone where it is exact."""

    __slots__ = ("_id", "_set", "lits", "pattern", "rx", "width")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.rx = re.compile(pattern, flags)
        self.pattern = pattern
        lits = None if flags & re.IGNORECASE else leading_literals(pattern)
        self.lits: tuple[tuple[str, str], ...] | None = (
            tuple(sorted({(lit[:2], lit) for lit in lits})) if lits else None
        )
        self._set: PatternSet | None = None
        self._id = -1
        self.width = max_width(pattern)

    def attach(self, patterns: PatternSet, i: int) -> None:
        """Be pattern ``i`` of a PatternSet (same pattern text, no flags)."""
        if patterns.patterns[i] != self.pattern or self.rx.flags & re.IGNORECASE:
            raise ValueError(f"pattern {i} of the set is not {self.pattern!r}")
        self._set, self._id = patterns, i

    @property
    def ident(self) -> int:
        """The pattern's index in its PatternSet (-1 when not attached)."""
        return self._id

    def may_match(self, text: str) -> bool:
        if self._set is not None and self._id not in self._set.hits(text):
            return False
        if self.lits is None:
            return True
        grams = bigrams(text)
        return any(gram in grams and lit in text for gram, lit in self.lits)

    def found(self, text: str) -> bool:
        """Whether the pattern occurs in ``text`` (``search(text) is not None``, often without running re)."""
        if self._set is not None:
            return self._set.matches(self._id, text, self.rx)
        return self.search(text) is not None

    def search(self, text: str) -> re.Match[str] | None:
        if self._set is not None and self._set.engine:
            # No match can start before the first match Hyperscan saw ends, less the longest match.
            return self._set.search(self._id, text, self.rx)
        return self.rx.search(text) if self.may_match(text) else None

    def findall(self, text: str) -> list[str]:
        return self.rx.findall(text) if self.may_match(text) else []


# --- one pass for many patterns (Hyperscan) ------------------------------------------------------------
# With a hundred cue rules a 1,000-character report still paid Python's regex scan for every rule whose
# literals it holds (most of them). Hyperscan scans the text once for all the patterns of a set and says
# which can match; Python's ``re`` then runs only for those (or not at all where the answer is exact).
# Hyperscan has no lookaround, so a pattern is loosened for it (``\b`` and lookarounds dropped: it then
# matches at least where the original does) and confirmed by ``re``; a set whose engine is missing (no
# wheel for the platform) or fails to compile answers "maybe" for every pattern, and ``re`` decides.
_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")
HITS_CACHED = 8  # per thread: the texts one report's analysis scans (its prefix, its words, ...)


def loosen(pattern: str) -> str:
    """The pattern without ``\\b``/``\\B`` and lookarounds: matches wherever the original does."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith(("\\b", "\\B"), i):
            i += 2
            continue
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if pattern.startswith(_LOOKAROUND, i):
            end = _closing(pattern, i)
            if end < 0:
                return pattern
            i = end + 1
            continue
        out.append(pattern[i])
        i += 1
    return "".join(out)


_BOUNDED = re.compile(r"(?<!\\)\{([01]),\d+\}\??")


def unbound(pattern: str) -> str:
    """The pattern with its repeats of at most n made unbounded (``{0,n}`` → ``*``, ``{1,n}`` → ``+``): it
    matches wherever the original does, and Hyperscan compiles it many times faster (it unrolls a bounded
    repeat of a multi-byte class such as ``\\S`` state by state)."""
    return _BOUNDED.sub(lambda m: "*" if m.group(1) == "0" else "+", pattern)


def max_width(pattern: str) -> int:
    """The most characters a match of ``pattern`` can span; -1 when unbounded or unknown."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        width = int(_parser.parse(pattern).getwidth()[1])
    except Exception:  # a private module: any failure means "unknown"
        return -1
    return width if width < 1 << 16 else -1


class _Scan:
    """One text's scan: the patterns found, where each pattern's and each expression's first match ends
    (bytes), the UTF-8 text, and the yes/no answers already confirmed with ``re``."""

    __slots__ = ("answers", "data", "expr_ends", "found", "pattern_ends")

    def __init__(self, found: frozenset[int], pattern_ends: dict[int, int], expr_ends: dict[int, int],
                 data: bytes) -> None:  # fmt: skip
        self.found = found
        self.pattern_ends = pattern_ends
        self.expr_ends = expr_ends
        self.data = data
        self.answers: dict[int, bool] = {}

    def char_end(self, byte_end: int) -> int:
        return len(self.data[:byte_end].decode("utf-8", errors="ignore"))


def _hs_cache_path(key: str) -> Path:
    from nlp.tokenizer import cache_dir

    return cache_dir() / f"hyperscan-{key}.db"


class _Alternative:
    """A top-level alternative of a loosened pattern, scanned as an expression of its own: ``re`` then
    confirms only the alternatives that Hyperscan saw, each far cheaper than the whole alternation."""

    __slots__ = ("exact", "rx", "width")

    def __init__(self, rx: re.Pattern[str], exact: bool) -> None:
        self.rx = rx
        self.exact = exact
        self.width = max_width(rx.pattern)


def _alternatives(pattern: str, flags: int, widen: Callable[[str], str] = str) -> list[_Alternative] | None:
    """The pattern's top-level alternatives when there are several and each compiles alone, else None."""
    alts = _split_top(pattern)
    if alts is None or len(alts) < 2:
        return None
    try:
        return [_Alternative(re.compile(alt, flags), loosen(widen(alt)) == alt and not flags & re.IGNORECASE)
                for alt in alts]  # fmt: skip
    except re.error:
        return None


class PatternSet:
    """Which of many patterns can match a text, from one Hyperscan pass (thread-safe).

    ``hits(text)`` is a superset of the patterns ``re`` would find; ``exact[i]`` says Hyperscan's answer is
    ``re``'s own (nothing was loosened), so a yes/no question needs no second look. A loosened pattern with
    several top-level alternatives is scanned as one expression per alternative, so that ``re`` confirms
    only the alternatives seen (and none where an alternative that was not loosened is seen). The compiled
    database is cached on disk (compiling takes about a second)."""

    def __init__(self, patterns: Sequence[str | re.Pattern[str]], unbounded: bool = False) -> None:
        """Patterns as text, or compiled ones (whose IGNORECASE is kept; their answer is then not exact).
        ``unbounded``: Hyperscan scans them with their bounded repeats made unbounded (``unbound``), a
        quicker compile for a wider (never exact) answer."""
        texts = [p if isinstance(p, str) else p.pattern for p in patterns]
        caseless = [not isinstance(p, str) and bool(p.flags & re.IGNORECASE) for p in patterns]
        self.patterns = tuple(texts)
        widen = unbound if unbounded else str
        self.loose = tuple(("(?i)" if ci else "") + loosen(widen(p)) for p, ci in zip(texts, caseless, strict=True))
        self.exact = tuple(lp == p for p, lp in zip(self.patterns, self.loose, strict=True))
        self._everything = frozenset(range(len(self.patterns)))
        self._widths = tuple(max_width(p) for p in self.patterns)
        # Hyperscan expressions: (pattern index, its alternative or None for the whole pattern, expression).
        self._exprs: list[tuple[int, _Alternative | None, str]] = []
        self._alts: dict[int, list[int]] = {}  # pattern index → its expressions, when split
        for i, (p, ci) in enumerate(zip(texts, caseless, strict=True)):
            alts = None if self.exact[i] else _alternatives(p, re.IGNORECASE if ci else 0, widen)
            if alts is None:
                self._exprs.append((i, None, self.loose[i]))
                continue
            self._alts[i] = []
            for alt in alts:
                self._alts[i].append(len(self._exprs))
                self._exprs.append((i, alt, ("(?i)" if ci else "") + loosen(widen(alt.rx.pattern))))
        self._expr_pattern = tuple(i for i, _, _ in self._exprs)
        self._db: Any = None
        self._ready = False
        self._lock = threading.Lock()
        self._local = threading.local()

    def _compile(self) -> Any:
        try:
            import hyperscan
        except ImportError:  # no wheel for this platform: re decides alone
            return None
        flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_SINGLEMATCH
        expressions = [e for _, _, e in self._exprs]
        version = str(getattr(hyperscan, "__version__", ""))
        key = hashlib.sha256("\x00".join((version, str(flags), *expressions)).encode("utf-8")).hexdigest()[:20]
        path = _hs_cache_path(key)
        try:
            return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        except (OSError, hyperscan.error):
            pass
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:
            db.compile(
                expressions=[e.encode("utf-8") for e in expressions],
                ids=list(range(len(expressions))),
                elements=len(expressions),
                flags=[flags] * len(expressions),
            )
        except hyperscan.error:
            return None
        try:
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(hyperscan.dumpb(db))
            tmp.replace(path)
        except OSError:
            pass
        return db

    @property
    def engine(self) -> bool:
        """True when Hyperscan answers (False: every pattern is a "maybe")."""
        return self._database() is not None

    def _database(self) -> Any:
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self._db = self._compile()
                    self._ready = True
        return self._db

    def _scan(self, text: str) -> _Scan | None:
        """The text's scan (cached per thread for the last few texts); None without the engine."""
        local = self._local
        cache: dict[str, _Scan] | None = getattr(local, "cache", None)
        if cache is None:
            cache = local.cache = {}
        found = cache.get(text)
        if found is not None:
            return found
        db = self._database()
        if db is None:
            return None
        import hyperscan

        scratch = getattr(local, "scratch", None)
        if scratch is None:
            scratch = local.scratch = hyperscan.Scratch(db)
        expr_ends: dict[int, int] = {}
        pattern_ends: dict[int, int] = {}
        owner = self._expr_pattern

        def on_match(expr_id: int, start: int, end: int, flags: int, context: object) -> None:
            # Single-match mode: the first (earliest) end of each expression; a pattern's is the earliest of
            # its alternatives' (kept as the least, whatever order the alternatives are reported in).
            expr_ends.setdefault(expr_id, end)
            i = owner[expr_id]
            if end < pattern_ends.get(i, end + 1):
                pattern_ends[i] = end

        data = text.encode("utf-8")
        db.scan(data, match_event_handler=on_match, scratch=scratch)
        if len(cache) >= HITS_CACHED:
            cache.clear()
        found = cache[text] = _Scan(frozenset(pattern_ends), pattern_ends, expr_ends, data)
        return found

    def hits(self, text: str) -> frozenset[int]:
        """Indices of the patterns that can match ``text`` (all of them without the engine)."""
        scan = self._scan(text)
        return self._everything if scan is None else scan.found

    def first_end(self, i: int, text: str) -> int | None:
        """Where (a character offset) the first match of loosened pattern ``i`` ends; None: no match."""
        scan = self._scan(text)
        if scan is None:
            return 0
        end = scan.pattern_ends.get(i)
        return None if end is None else scan.char_end(end)

    def matches(self, i: int, text: str, rx: re.Pattern[str]) -> bool:
        """Whether pattern ``i`` (compiled as ``rx``) is found in ``text``: Hyperscan alone when exact."""
        scan = self._scan(text)
        if scan is None:
            return rx.search(text) is not None
        if i not in scan.found:
            return False
        if self.exact[i]:
            return True
        answer = scan.answers.get(i)
        if answer is None:
            exprs = self._alts.get(i, ())
            # An alternative that was not loosened and was seen is a match.
            answer = any(e in scan.expr_ends and self._exprs[e][1].exact for e in exprs)  # type: ignore[union-attr]
            answer = scan.answers[i] = answer or self._confirm(i, text, rx, scan) is not None
        return answer

    def _confirm(self, i: int, text: str, rx: re.Pattern[str], scan: _Scan) -> int | None:
        """Where ``re``'s first match of pattern ``i`` starts (None: none), from the alternatives seen:
        no match of an alternative starts before its first loose match ends, less its longest match."""
        exprs = self._alts.get(i)
        if exprs is None:
            width = self._widths[i]
            start = max(0, scan.char_end(scan.pattern_ends[i]) - width) if width >= 0 else 0
            m = rx.search(text, start)
            return None if m is None else m.start()
        best: int | None = None
        for e in exprs:
            end = scan.expr_ends.get(e)
            if end is None:
                continue
            alt = self._exprs[e][1]
            assert alt is not None
            start = max(0, scan.char_end(end) - alt.width) if alt.width >= 0 else 0
            if best is not None and start >= best:
                continue  # it cannot start before the best already found
            m = alt.rx.search(text, start)
            if m is not None and (best is None or m.start() < best):
                best = m.start()
        return best

    def search(self, i: int, text: str, rx: re.Pattern[str]) -> re.Match[str] | None:
        """``rx.search(text)`` for pattern ``i``, started where the first match can begin."""
        scan = self._scan(text)
        if scan is None:
            return rx.search(text)
        if i not in scan.found or scan.answers.get(i) is False:
            return None
        start = self._confirm(i, text, rx, scan)
        scan.answers[i] = start is not None
        return None if start is None else rx.search(text, start)
