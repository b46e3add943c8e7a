"""The single-byte (cp874) Hyperscan scan answers as the UTF-8 one (issue 14 speed): the same patterns
found, no first match ending later, every yes/no and every ``search`` the same as ``re`` — on the tuning
texts, the speed bench's incident reports and the texts cp874 cannot encode (which keep the UTF-8 scan)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.nlp_speed import DEV, incident_reports, load_rows
from nlp import frames, nrls
from nlp.prefilter import PatternSet, QuickRegex, byte_class, single_byte_chars, single_byte_expressions
from nlp.severity import _rules

hyperscan = pytest.importorskip("hyperscan")

# The report whose assault cue (ชก … เจ้าหน้าที่) a bounded repeat scanned over bytes lost.
ASSAULT = ("ผู้ป่วยชายอายุ 34 ปี amphetamine-induced psychosis อาละวาด ชกเจ้าหน้าที่ เจ้าหน้าที่ 4 คนจับผูกยึดใน"
           "ท่านอนคว่ำ มีคนกดหลังไว้ ให้ haloperidol 10 mg im ประมาณ 10 นาทีต่อมาผู้ป่วยเงียบ ตัวเขียว ไม่หายใจ")  # fmt: skip
NOT_CP874 = ["รอนาน 😡 มาก", "café ที่ รพ. ไม่อร่อย", "ผู้ป่วยตกเตียง ✔ ไม่มีบาดเจ็บ", "ญาติ ด่า จนท.\u200b"]


def _sets() -> dict[str, PatternSet]:
    rules = _rules()
    return {"nrls": nrls.RULE_SET, "severity.text": rules.text_set, "severity.long": rules.long_set,
            "frames": frames._PATTERNS}  # fmt: skip


@contextmanager
def utf8_only(ps: PatternSet) -> Iterator[None]:
    """The set as it scanned before: its UTF-8 database alone (a fresh scan cache both ways)."""
    db, _twin = ps._databases()
    ps._local.cache = {}
    ps._databases = lambda: (db, None)  # type: ignore[method-assign]
    try:
        yield
    finally:
        del ps._databases
        ps._local.cache = {}


def _texts() -> list[str]:
    rows = load_rows(sorted(DEV.glob("tune*.jsonl")))
    reports = [text for text, _ in incident_reports(rows)][:60]
    patient = [text for text, _, kind in rows if kind != "incident"][:300]
    out: list[str] = []
    for text in [ASSAULT, *reports, *patient, *NOT_CP874]:
        low = nrls.coder_text(text)
        out += [text, low, nrls.undenied(low)]
    return list(dict.fromkeys(out))


TEXTS = _texts()


@pytest.mark.parametrize("name", list(_sets()))
def test_every_set_has_its_single_byte_twin(name: str) -> None:
    assert _sets()[name].single_byte


@pytest.mark.parametrize("name", list(_sets()))
def test_hits_and_first_ends_as_the_utf8_scan(name: str) -> None:
    """Every pattern the UTF-8 scan finds is found, and no first match ends later (the confirming ``re``
    starts from there); where the twin's answer is exact, it is the UTF-8 one."""
    ps = _sets()[name]
    for text in TEXTS:
        ps._local.cache = {}
        twin = ps._scan(text)
        with utf8_only(ps):
            utf8 = ps._scan(text)
        assert twin is not None and utf8 is not None
        try:
            text.encode("cp874")
            assert twin.single_byte or not text
        except UnicodeEncodeError:
            assert not twin.single_byte
        assert utf8.found <= twin.found, text
        sure_pattern, _ = ps._sure_alone[twin.single_byte]
        for i in utf8.found:
            assert twin.char_end(twin.pattern_ends[i]) <= utf8.char_end(utf8.pattern_ends[i]), (text, i)
        for i in twin.found - utf8.found:
            assert not sure_pattern[i], (text, ps.patterns[i])


def test_answers_are_re_answers() -> None:
    """QuickRegex.found/search over the twin give ``re``'s own answers, for every rule of the NRLS set."""
    rules = nrls._ALL_RULES
    for text in TEXTS:
        for rx in rules:
            want = rx.rx.search(text)
            got = rx.search(text)
            assert (got is None) == (want is None), (text, rx.pattern)
            if want is not None and got is not None:
                assert got.span() == want.span(), (text, rx.pattern)
            assert rx.found(text) == (want is not None), (text, rx.pattern)


def test_the_assault_cue_is_found() -> None:
    low = nrls.coder_text(ASSAULT)
    cue = next(rx for rx, _, _ in nrls._CUES if "ชก" in rx.pattern)
    assert nrls.RULE_SET._scan(low).single_byte  # type: ignore[union-attr]
    assert cue.found(low) and cue.search(low) is not None
    assert "GPE304" in [s.code for s in nrls.get_coder().suggest(ASSAULT)]


def test_bounded_repeat_over_bytes_is_not_missed() -> None:
    """Hyperscan over single bytes misses this match (alternation, bounded repeat matching nothing, literal,
    far enough into the text); the set scans the repeat unbounded and lets ``re`` confirm."""
    for pattern, least in ((r"(?:ab|cd).{0,15}xyzabcdefgh", 0), (r"(?:ab|cde)q{3,20}xyzabcdefgh", 3)):
        ps = PatternSet([pattern])
        rx = QuickRegex(pattern)
        rx.attach(ps, 0)
        for n in range(0, 60, 3):
            for gap in (least, least + 1, least + 4):
                text = "x" * n + "ab" + "q" * gap + "xyzabcdefgh"
                assert rx.found(text), text
                got, want = rx.search(text), re.search(pattern, text)
                assert got is not None and want is not None and got.span() == want.span(), text
        assert not rx.found("x" * 30 + "ab" + "q" * 21 + "xyzabcdefgh")


def test_bounded_repeat_over_utf8_is_not_missed() -> None:
    """The same Hyperscan miss on the UTF-8 database, which scans texts cp874 cannot encode (an emoji here): the
    set scans every bounded repeat unbounded there too."""
    for pattern, least in ((r"(?:ab|cd).{0,15}xyzabcdefgh", 0), (r"(?:ab|cde)q{3,20}xyzabcdefgh", 3)):
        ps = PatternSet([pattern])
        rx = QuickRegex(pattern)
        rx.attach(ps, 0)
        for n in range(0, 60, 3):
            for gap in (least, least + 1, least + 4):
                text = "🙏" + "x" * n + "ab" + "q" * gap + "xyzabcdefgh"
                assert rx.found(text), text
        assert not rx.found("🙏" + "x" * 30 + "ab" + "q" * 21 + "xyzabcdefgh")


def test_classes_accept_what_hyperscan_utf8_accepts() -> None:
    """Each class's byte set holds exactly the cp874 characters its UTF-8/UCP reading matches."""
    classes = [r"\s", r"\S", r"\w", r"\W", r"\d", r"\D", ".", "[ก-ฮ]", "[^ก]", r"[\d๐-๙]", "[a-z]", "x"]
    translated = single_byte_expressions(classes)
    utf8 = hyperscan.Database()
    flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_SINGLEMATCH
    utf8.compile(expressions=[c.encode() for c in classes], ids=list(range(len(classes))), elements=len(classes),
                 flags=[flags] * len(classes))  # fmt: skip
    single = hyperscan.Database()
    single.compile(expressions=[e.encode("latin-1") for e, _, _ in translated], ids=list(range(len(classes))),
                   elements=len(classes), flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(classes))  # fmt: skip
    a: list[int] = []
    b: list[int] = []
    for _b, ch in single_byte_chars():
        a.clear()
        b.clear()
        utf8.scan(ch.encode("utf-8"), match_event_handler=lambda i, *_: a.append(i))
        single.scan(ch.encode("cp874"), match_event_handler=lambda i, *_: b.append(i))
        assert sorted(a) == sorted(b), repr(ch)
    assert byte_class([]) == "\\xff" and byte_class([1, 2, 3, 7]) == "[\\x01-\\x03\\x07]"


def test_texts_cp874_cannot_encode_keep_the_utf8_scan(tmp_path: Path) -> None:
    for text in NOT_CP874:
        scan = nrls.RULE_SET._scan(nrls.coder_text(text))
        assert scan is not None and not scan.single_byte
