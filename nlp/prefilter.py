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


_BOUNDED = re.compile(r"(?<!\\)\{(\d+),(\d+)\}\??")


def unbound(pattern: str) -> str:
    """The pattern with its bounded repeats made unbounded (``{0,n}`` → ``*``, ``{1,n}`` → ``+``, ``{m,n}`` →
    ``{m,}``, n ≥ 2): it matches wherever the original does, Hyperscan compiles it many times faster (it
    unrolls a bounded repeat of a multi-byte class such as ``\\S`` state by state), and it dodges Hyperscan
    5.4's miss of an alternation, a bounded repeat and a literal far enough into the text (see the cp874
    notes below; that miss is not limited to single bytes)."""
    return _BOUNDED.sub(_unbounded_repeat, pattern)


def _unbounded_repeat(m: re.Match[str]) -> str:
    least, most = int(m.group(1)), int(m.group(2))
    if most < 2 or least >= most:
        return m.group(0)
    return "*" if least == 0 else "+" if least == 1 else f"{{{least},}}"


def max_width(pattern: str) -> int:
    """The most characters a match of ``pattern`` can span; -1 when unbounded or unknown."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        width = int(_parser.parse(pattern).getwidth()[1])
    except Exception:  # a private module: any failure means "unknown"
        return -1
    return width if width < 1 << 16 else -1


# --- the same scan over a third of the bytes (cp874) -----------------------------------------------------
# Thai is 3 bytes a character in UTF-8 and 1 in cp874 (TIS-620 and a few punctuation marks), so a text that
# cp874 can encode is scanned over a third of the bytes by a second database whose expressions say the same
# thing byte for byte: each literal is its cp874 byte (a character cp874 lacks becomes a byte cp874 never
# produces), each class (``\s``, ``\d``, ``[ก-ฮ]``, ``.``, ``[^x]``) the set of cp874 characters that
# Hyperscan's own UTF-8/UCP reading of that class accepts, asked of Hyperscan character by character.
# One exception: over single bytes Hyperscan 5.4 misses matches of an alternation, a bounded repeat and a
# literal when the repeat matches nothing far enough into the text (``(?:ab|cd).{0,15}xyzabcdefgh`` on 24
# "x" then "abxyzabcdefgh": no match; the report "… อาละวาด ชกเจ้าหน้าที่ …" missed its assault cue that
# way), so a bounded repeat ``{m,n}`` (n ≥ 2) is scanned unbounded ``{m,}`` there: a wider answer, which
# ``re`` confirms (the pattern is not exact in that scan). The hits then hold every pattern the UTF-8 scan
# holds, and each first match ends (bytes are characters) no later than there. A text cp874 cannot encode
# (emoji, accented Latin) is scanned with the UTF-8 database, as is every text of a set with an expression
# the translation does not cover.
SINGLE_BYTE = "cp874"
_NEVER = 0xFF  # not a cp874 byte: no encoded text holds it
TRANSLATION = "2"  # in the cached database's key: a change to the translation compiles afresh


class Untranslatable(ValueError):
    """An expression the single-byte translation does not cover."""


@lru_cache(maxsize=1)
def single_byte_chars() -> tuple[tuple[int, str], ...]:
    """(byte, character) of every byte cp874 decodes."""
    out: list[tuple[int, str]] = []
    for b in range(256):
        try:
            out.append((b, bytes([b]).decode(SINGLE_BYTE)))
        except UnicodeDecodeError:
            continue
    return tuple(out)


def _literal_byte(cp: int) -> str:
    try:
        b = chr(cp).encode(SINGLE_BYTE)[0]
    except UnicodeEncodeError:
        b = _NEVER
    return f"\\x{b:02x}"


def byte_class(members: Sequence[int]) -> str:
    """A byte class, runs merged, for the sorted byte values ``members`` (an empty one never matches)."""
    if not members:
        return f"\\x{_NEVER:02x}"
    parts: list[str] = []
    lo = prev = members[0]
    for b in (*members[1:], -1):
        if b == prev + 1:
            prev = b
            continue
        parts.append(f"\\x{lo:02x}" if lo == prev else f"\\x{lo:02x}-\\x{prev:02x}")
        lo = prev = b
    return "[" + "".join(parts) + "]"


def _class_source(op: Any, av: Any) -> str:
    """PCRE text (code points as ``\\x{…}``) of one class-like node of Python's parse: IN, ANY, NOT_LITERAL."""
    from re import _constants as c  # type: ignore[attr-defined]

    if op is c.ANY:
        return "."
    if op is c.NOT_LITERAL:
        return f"[^\\x{{{av:x}}}]"
    escapes = {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_NOT_DIGIT: r"\D", c.CATEGORY_SPACE: r"\s",
               c.CATEGORY_NOT_SPACE: r"\S", c.CATEGORY_WORD: r"\w", c.CATEGORY_NOT_WORD: r"\W"}  # fmt: skip
    out: list[str] = []
    for item_op, item in av:
        if item_op is c.NEGATE:
            out.insert(0, "^")
        elif item_op is c.LITERAL:
            out.append(f"\\x{{{item:x}}}")
        elif item_op is c.RANGE:
            out.append(f"\\x{{{item[0]:x}}}-\\x{{{item[1]:x}}}")
        elif item_op is c.CATEGORY and item in escapes:
            out.append(escapes[item])
        else:
            raise Untranslatable(f"class item {item_op} {item}")
    return "[" + "".join(out) + "]"


def _emit(tree: Any, classes: dict[str, int], widened: list[bool]) -> str:
    """Single-byte PCRE for a parsed (sub)pattern; each class is recorded in ``classes`` (source → number)
    and written as ``\\x00n\\x00``, replaced by its byte class once Hyperscan has said what it accepts. A
    bounded repeat is written unbounded, and ``widened`` told so."""
    from re import _constants as c  # type: ignore[attr-defined]

    out: list[str] = []
    for op, av in tree:
        if op is c.LITERAL:
            out.append(_literal_byte(av))
        elif op in (c.IN, c.ANY, c.NOT_LITERAL):
            out.append(f"\x00{classes.setdefault(_class_source(op, av), len(classes))}\x00")
        elif op is c.BRANCH:
            out.append("(?:" + "|".join(_emit(alt, classes, widened) for alt in av[1]) + ")")
        elif op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise Untranslatable("flags in a group")
            out.append("(?:" + _emit(sub, classes, widened) + ")")
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):  # lazy or greedy: Hyperscan reports every end alike
            lo, hi, sub = av
            body = "(?:" + _emit(sub, classes, widened) + ")"
            if hi is not c.MAXREPEAT and lo < hi and hi >= 2:
                widened.append(True)  # see above: Hyperscan's bounded repeats over bytes miss matches
                hi = c.MAXREPEAT
            out.append(body + (f"{{{lo},}}" if hi is c.MAXREPEAT else f"{{{lo},{hi}}}"))
        elif op is c.AT and av is c.AT_BEGINNING:
            out.append("^")
        elif op is c.AT and av is c.AT_END:
            out.append("$")
        else:
            raise Untranslatable(f"{op} {av}")
    return "".join(out)


def single_byte_drafts(expressions: Sequence[str]) -> tuple[list[tuple[str, bool, bool]], dict[bool, dict[str, int]]]:
    """Each UTF-8/UCP expression (a leading ``(?i)`` read as caseless) as (draft, caseless, widened) — the
    single-byte expression with its classes still to fill — and the classes, per caseless."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    classes: dict[bool, dict[str, int]] = {False: {}, True: {}}  # per caseless: class source → number
    drafts: list[tuple[str, bool, bool]] = []
    for expr in expressions:
        caseless = expr.startswith("(?i)")
        body = expr[4:] if caseless else expr
        try:
            parsed = _parser.parse(body)
        except re.error as exc:
            raise Untranslatable(str(exc)) from exc
        if parsed.state.flags & ~c.SRE_FLAG_UNICODE:
            raise Untranslatable("global flags")
        widened: list[bool] = []
        drafts.append((_emit(parsed, classes[caseless], widened), caseless, bool(widened)))
    return drafts, classes


def single_byte_expressions(expressions: Sequence[str]) -> list[tuple[str, bool, bool]]:
    """Each UTF-8/UCP expression as (single-byte expression, caseless, widened): the translated one matches
    a cp874-encoded text wherever the original matches the UTF-8 one, exactly so unless widened."""
    import hyperscan

    drafts, classes = single_byte_drafts(expressions)
    # What each class accepts, from Hyperscan itself: one database of the classes, each character alone.
    members: dict[tuple[bool, int], list[int]] = {}
    sources = [(ci, src, n) for ci, table in classes.items() for src, n in table.items()]
    if sources:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        base = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_SINGLEMATCH
        db.compile(expressions=[src.encode("utf-8") for _, src, _ in sources], ids=list(range(len(sources))),
                   elements=len(sources),
                   flags=[base | (hyperscan.HS_FLAG_CASELESS if ci else 0) for ci, _, _ in sources])  # fmt: skip
        scratch = hyperscan.Scratch(db)
        seen: list[int] = []
        for b, ch in single_byte_chars():
            seen.clear()
            db.scan(ch.encode("utf-8"), match_event_handler=lambda i, *_: seen.append(i), scratch=scratch)
            for i in seen:
                ci, _, n = sources[i]
                members.setdefault((ci, n), []).append(b)
    hole = re.compile("\x00(\\d+)\x00")

    def fill(draft: str, ci: bool) -> str:
        return hole.sub(lambda m: byte_class(sorted(set(members.get((ci, int(m.group(1))), [])))), draft)

    return [(fill(draft, ci), ci, wide) for draft, ci, wide in drafts]


class _Scan:
    """One text's scan: the patterns found, where each pattern's and each expression's first match ends
    (bytes), the UTF-8 text, and the yes/no answers already confirmed with ``re``."""

    __slots__ = ("answers", "data", "expr_ends", "found", "pattern_ends", "single_byte")

    def __init__(self, found: frozenset[int], pattern_ends: dict[int, int], expr_ends: dict[int, int],
                 data: bytes, single_byte: bool = False) -> None:  # fmt: skip
        self.found = found
        self.pattern_ends = pattern_ends
        self.expr_ends = expr_ends
        self.data = data
        self.single_byte = single_byte  # data is cp874: a byte offset is a character offset
        self.answers: dict[int, bool] = {}

    def char_end(self, byte_end: int) -> int:
        if self.single_byte:
            return byte_end
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


def _cached_database(
    encoding: str,
    expressions: list[tuple[str, int]] | Callable[[], list[tuple[str, int]]],
    key_of: list[tuple[str, int]] | None = None,
) -> Any:
    """A Hyperscan block database of (expression, flags), loaded from the disk cache when there (compiling
    takes about a second); ``expressions`` may be a function, called only when the cache misses, and
    ``key_of`` what the cache key is computed from (default the expressions). None if it fails to compile."""
    import hyperscan

    key_src = key_of if key_of is not None else expressions
    assert isinstance(key_src, list)
    version = str(getattr(hyperscan, "__version__", ""))
    parts = (version, encoding, *(f"{f}:{e}" for e, f in key_src)) if encoding != "utf-8" else (
        version, str(key_src[0][1] if key_src else 0), *(e for e, _ in key_src))  # fmt: skip
    key = hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:20]
    path = _hs_cache_path(key)
    try:
        return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except (OSError, hyperscan.error):
        pass
    pairs = expressions() if callable(expressions) else expressions
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        db.compile(
            expressions=[e.encode("utf-8") if encoding == "utf-8" else e.encode("latin-1") for e, _ in pairs],
            ids=list(range(len(pairs))),
            elements=len(pairs),
            flags=[f for _, f in pairs],
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


@lru_cache(maxsize=32)
def _single_bytes(text: str) -> bytes:
    """The text in cp874, b"" when it cannot be (h/nlp-speed: one encoding for the several sets and gates that scan
    the same report's text)."""
    try:
        return text.encode(SINGLE_BYTE)
    except UnicodeEncodeError:
        return b""


class PatternSet:
    """Which of many patterns can match a text, from one Hyperscan pass (thread-safe).

    ``hits(text)`` is a superset of the patterns ``re`` would find; ``exact[i]`` says Hyperscan's answer is
    ``re``'s own (nothing was loosened), so a yes/no question needs no second look. A loosened pattern with
    several top-level alternatives is scanned as one expression per alternative, so that ``re`` confirms
    only the alternatives seen (and none where an alternative that was not loosened is seen). The compiled
    database is cached on disk (compiling takes about a second)."""

    def __init__(self, patterns: Sequence[str | re.Pattern[str]]) -> None:
        """Patterns as text, or compiled ones (whose IGNORECASE is kept; their answer is then not exact).
        Hyperscan scans them with their bounded repeats made unbounded (``unbound``): a quicker compile, and
        no bounded-repeat miss; ``re`` confirms those patterns (they are not exact)."""
        texts = [p if isinstance(p, str) else p.pattern for p in patterns]
        caseless = [not isinstance(p, str) and bool(p.flags & re.IGNORECASE) for p in patterns]
        self.patterns = tuple(texts)
        widen = unbound
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
        # Whether a scan's yes needs no confirming, for the UTF-8 scan and for the single-byte one.
        utf8 = self._exactness([False] * len(self._exprs))
        self._sure_alone = (utf8, utf8)
        self._db: Any = None  # the UTF-8 database
        self._twin: Any = None  # its single-byte twin
        self._ready = False
        self._lock = threading.Lock()
        self._local = threading.local()

    def _compile(self) -> tuple[Any, Any]:
        """(the UTF-8 database, its single-byte twin or None); (None, None) without Hyperscan."""
        try:
            import hyperscan
        except ImportError:  # no wheel for this platform: re decides alone
            return None, None
        expressions = [e for _, _, e in self._exprs]
        flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_SINGLEMATCH
        db = _cached_database("utf-8", [(e, flags) for e in expressions])
        if db is None:
            return None, None
        single = hyperscan.HS_FLAG_SINGLEMATCH

        def translated() -> list[tuple[str, int]]:
            return [(e, single | (hyperscan.HS_FLAG_CASELESS if ci else 0))
                    for e, ci, _ in single_byte_expressions(expressions)]  # fmt: skip

        try:
            widened = [wide for _, _, wide in single_byte_drafts(expressions)[0]]
            twin = _cached_database(f"{SINGLE_BYTE}/{TRANSLATION}", translated,
                                    key_of=[(e, flags) for e in expressions])  # fmt: skip
        except (Untranslatable, hyperscan.error):
            return db, None
        if twin is not None:
            self._sure_alone = (self._sure_alone[0], self._exactness(widened))
        return db, twin

    def _exactness(self, widened: Sequence[bool]) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
        """(per pattern, per expression): a scan's yes is ``re``'s own — the pattern or alternative was not
        loosened, nor (``widened[e]``) scanned wider."""
        by_expr = tuple((alt is None or alt.exact) and not widened[e] for e, (_, alt, _) in enumerate(self._exprs))
        wide = {i for e, i in enumerate(self._expr_pattern) if widened[e]}
        by_pattern = tuple(self.exact[i] and i not in wide for i in range(len(self.patterns)))
        return by_pattern, by_expr

    @property
    def engine(self) -> bool:
        """True when Hyperscan answers (False: every pattern is a "maybe")."""
        return self._databases()[0] is not None

    @property
    def single_byte(self) -> bool:
        """True when cp874-encodable texts are scanned with the single-byte database."""
        return self._databases()[1] is not None

    def _databases(self) -> tuple[Any, Any]:
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self._db, self._twin = self._compile()
                    self._ready = True
        return self._db, self._twin

    def _scan(self, text: str) -> _Scan | None:
        """The text's scan (cached per thread for the last few texts); None without the engine."""
        local = self._local
        cache: dict[str, _Scan] | None = getattr(local, "cache", None)
        if cache is None:
            cache = local.cache = {}
        found = cache.get(text)
        if found is not None:
            return found
        db, twin = self._databases()
        if db is None:
            return None
        import hyperscan

        data = _single_bytes(text) if twin is not None else b""
        single_byte = bool(data) or (twin is not None and not text)
        if single_byte:
            db, slot = twin, "scratch1"
        else:
            data, slot = text.encode("utf-8"), "scratch"
        scratch = getattr(local, slot, None)
        if scratch is None:
            scratch = hyperscan.Scratch(db)
            setattr(local, slot, scratch)
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

        db.scan(data, match_event_handler=on_match, scratch=scratch)
        if len(cache) >= HITS_CACHED:
            cache.clear()
        found = cache[text] = _Scan(frozenset(pattern_ends), pattern_ends, expr_ends, data, single_byte)
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
        sure_pattern, sure_expr = self._sure_alone[scan.single_byte]
        if sure_pattern[i]:
            return True
        answer = scan.answers.get(i)
        if answer is None:
            exprs = self._alts.get(i, ())
            # An alternative that was not loosened (nor widened) and was seen is a match.
            answer = any(e in scan.expr_ends and sure_expr[e] for e in exprs)
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
        if i not in self._alts:
            # One expression: the confirming search's match is the answer (the same search from where it
            # started would find it again).
            width = self._widths[i]
            m = rx.search(text, max(0, scan.char_end(scan.pattern_ends[i]) - width) if width >= 0 else 0)
            scan.answers[i] = m is not None
            return m
        start = self._confirm(i, text, rx, scan)
        scan.answers[i] = start is not None
        return None if start is None else rx.search(text, start)


# --- one regex gated by its own pass (h/nlp-speed, round 12) ----------------------------------------------
# A rule that reads out part of a report (``DENIED_HARM.sub``, a vaccine named, a harm that was not this patient's)
# or looks for one cue in it is a single alternation that Python's ``re`` tries at every one of the 1,000
# positions (50–350 µs a report each) although most reports hold no match. ``gated_search``/``gated_sub``/
# ``gated_finditer`` ask a one-pattern Hyperscan set first (~5 µs over the report's cp874 bytes): no hit, no ``re``;
# a hit, and ``re`` starts where the first match can begin. Same answers as the plain calls (``gated_sub`` returns
# the text itself when nothing matches, as ``re.sub`` does). Sets are made on first use and cached on disk.
_GATES: dict[re.Pattern[str], PatternSet] = {}
_GATES_LOCK = threading.Lock()
# Characters outside ASCII that Python's IGNORECASE matches with an ASCII letter (İ ı ſ K): a caseless pattern's
# scan is not trusted on a text holding one (tests/nlp/test_speed_round12.py checks the list).
FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"


def prepare_gates(patterns: Sequence[re.Pattern[str]]) -> None:
    """Build (or load from the disk cache) these patterns' gates now: a cold compile takes up to 3 s for the
    largest (DENIED_HARM), which Analyzer.warm() pays instead of the first report that reaches the rule."""
    for rx in patterns:
        _gate(rx)._databases()


def _gate(rx: re.Pattern[str]) -> PatternSet:
    gate = _GATES.get(rx)
    if gate is None:
        with _GATES_LOCK:
            gate = _GATES.get(rx)
            if gate is None:
                gate = _GATES[rx] = PatternSet([rx])
    return gate


# Below this many characters ``re`` alone costs less than the pass (a patient's short answer).
GATE_MIN_CHARS = 100


def _ungated(rx: re.Pattern[str], text: str) -> bool:
    return len(text) < GATE_MIN_CHARS or (
        bool(rx.flags & re.IGNORECASE) and not text.isascii() and any(c in text for c in FOLDS_TO_ASCII)
    )


def gated_search(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    """``rx.search(text)``, the same match; ``re`` runs only when a Hyperscan pass says ``rx`` can match."""
    if _ungated(rx, text):
        return rx.search(text)
    return _gate(rx).search(0, text, rx)


def gated_finditer(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, the same matches, from where the first one starts."""
    first = gated_search(rx, text)
    return iter(()) if first is None else rx.finditer(text, first.start())


def gated_sub(rx: re.Pattern[str], repl: str | Callable[[re.Match[str]], str], text: str) -> str:
    """``rx.sub(repl, text)`` (``text`` itself when nothing matches); a ``repl`` function sees the same matches
    (each match's ``pos`` is where the first one starts, not 0)."""
    first = gated_search(rx, text)
    if first is None:
        return text
    if isinstance(repl, str) and "\\" in repl:
        return rx.sub(repl, text)  # a template: re expands it
    out: list[str] = []
    last = 0
    for m in rx.finditer(text, first.start()):
        out.append(text[last : m.start()])
        out.append(repl if isinstance(repl, str) else repl(m))
        last = m.end()
    out.append(text[last:])
    return "".join(out)
