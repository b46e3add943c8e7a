"""Round 12 speed (h/nlp-speed, issue 14): the mechanisms changed, each against what it must still answer.

The rules that read the coder's text but were defined after the NRLS rule set (the later cause families, the
complaint setting, the no-harm words, a wrong site caught) now answer from the one Hyperscan pass: they must still
fire where their cue sits late in a long report (past 1,000 characters, inside the coder's 1,500), stay quiet past
the coder's cut and on look-alikes, and agree with plain ``re`` on texts the single-byte scan cannot encode."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from nlp import nrls, severity
from nlp.analyzer import INC26_DENIED_HARM, INC26_NOT_THIS_HARM, INC26_NOT_THIS_HARM_QUICK
from nlp.matcher import loose_key, loose_key_reference
from nlp.prefilter import FOLDS_TO_ASCII, gated_finditer, gated_search, gated_sub

# A long neutral narrative (no cause, harm or scale word): a nurse's timeline of a quiet shift.
FILLER = "เวลา 08.00 น. รับเวรตามปกติ ตรวจเยี่ยมตามรอบ บันทึกสัญญาณชีพครบถ้วน ส่งเวรเรียบร้อย "


def _padded(cue: str, at: int) -> str:
    """``cue`` placed ``at`` characters into a neutral report of at least 1,200 characters."""
    pad = (FILLER * (at // len(FILLER) + 1))[:at]
    return pad + cue + " " + FILLER * (max(0, 1_200 - at) // len(FILLER) + 1)


LATE_RULES = (
    nrls.COMPLAINT_TOLD, nrls.CARE_WAITED, nrls.NO_HARM_TOLD, nrls.WRONG_SITE_CAUGHT, nrls.UNDER_TRIAGE_CAUSE,
    nrls.FOOD_CAUSE, *(rx for _, rx in nrls.EXTRA_CAUSES),
)  # fmt: skip


def test_the_late_rules_answer_from_the_one_pass() -> None:
    """Each is a pattern of RULE_SET (its own text), so no report pays its own prefilter and scan."""
    for rx in LATE_RULES:
        assert rx.ident >= 0, rx.pattern
        assert nrls.RULE_SET.patterns[rx.ident] == rx.pattern
    assert nrls.RULE_SET.engine and nrls.RULE_SET.single_byte


# Cues a nurse or a ward clerk would type, unlike the tuning lines' wording, with the cause each tells.
LATE_CAUSES = [
    ("เจ้าหน้าที่การเงินปฏิเสธการเบิกค่าอุปกรณ์ของผู้ป่วยสิทธิบัตรทอง", "cost_rights"),
    ("น้องพยาบาลให้เลือดผิดเตียง ตรวจพบหลังเริ่มให้ 5 นาที", "medication"),
    ("ช่วงดึกมี RN 1 คน PN 1 คน ดูผู้ป่วย 28 ราย", "staffing"),
    ("ถาดอาหารกลางวันมาถึง 13.40 น. ผู้ป่วยเบาหวานฉีดอินซูลินไปแล้ว", "food"),
]
# Look-alikes that must stay quiet: a refusal of treatment, blood given to the right bed, one nurse who went home.
LOOK_ALIKES = [
    "ผู้ป่วยปฏิเสธการรักษา ญาติขอพากลับบ้าน",
    "ให้เลือดถูกต้องตามเตียง ตรวจสอบสองคน",
    "พยาบาล 1 คนลากลับบ้านก่อนเวลาเพราะไม่สบาย",
]


@pytest.mark.parametrize(("cue", "topic"), LATE_CAUSES)
@pytest.mark.parametrize("at", [0, 1_050, 1_400])
def test_a_late_cause_cue_still_fires(cue: str, topic: str, at: int) -> None:
    text = _padded(cue, at)
    assert len(text) > 1_000
    assert topic in nrls.contributing_causes(text), (at, cue)
    # with an emoji the report is scanned as UTF-8, not over single bytes: the same answer
    assert topic in nrls.contributing_causes("🙏 " + text), (at, cue)


@pytest.mark.parametrize(("cue", "topic"), LATE_CAUSES)
def test_a_cue_past_the_coders_cut_is_not_read(cue: str, topic: str) -> None:
    text = _padded(cue, nrls.CODER_MAX_CHARS + 20)
    assert topic not in nrls.contributing_causes(text)


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_stay_quiet(text: str) -> None:
    for padded in (text, _padded(text, 1_100), "😡 " + _padded(text, 1_100)):
        causes = nrls.contributing_causes(padded)
        assert not {"cost_rights", "medication", "staffing"} & causes.keys(), (text, causes)


def test_the_late_rules_agree_with_re() -> None:
    """found/search of each late rule equal plain ``re`` over cp874 and non-cp874 long texts."""
    texts = [_padded(cue, at) for cue, _ in LATE_CAUSES for at in (0, 1_100)] + [
        "ญาติโวยวายต่อว่าพยาบาล รอตรวจนาน 3 ชม. " * 30,
        "🙏 mark ผิดข้าง ตรวจพบตอน time-out ก่อนลงมีด vital signs stable อาการคงที่ " * 20,
        *(_padded(t, 1_100) for t in LOOK_ALIKES),
    ]
    for text in texts:
        low = nrls.coder_text(text)
        for rx in LATE_RULES:
            want = rx.rx.search(low)
            got = rx.search(low)
            assert (got is None) == (want is None), (rx.pattern, text[:40])
            if want is not None and got is not None:
                assert got.span() == want.span()
            assert rx.found(low) == (want is not None)


# --- a single regex gated by its own Hyperscan pass (prefilter.gated_*) ---------------------------------------
GATED = [
    nrls.DENIED_HARM, nrls.VACCINE_NAMED, nrls.FAINT, nrls.SUICIDE_TALK, nrls._FIRST_AID, nrls.PROPOSALS,
    nrls._TIME_RANGE, nrls._BAHT, nrls._EACH_BAHT, INC26_NOT_THIS_HARM, INC26_NOT_THIS_HARM_QUICK, INC26_DENIED_HARM,
    severity.NO_ONE_HURT, severity.TO_ICU, severity.BLOOD_UNITS, severity.MORTUARY, severity.PLANNED,
]  # fmt: skip
# Reports a ward would send: harm denied, a vaccine, a faint, a CPR on another bed, money and hours, Latin shorthand
# in both cases (the IGNORECASE rules), a long run past 1,000 characters, and texts the single-byte scan cannot
# encode (emoji; the Kelvin sign and the long s that Python's IGNORECASE folds to ASCII letters).
GATE_TEXTS = [
    "",
    "ผู้ป่วยลื่นล้มในห้องน้ำ ไม่มีบาดเจ็บ ไม่มีแผล แพทย์ตรวจแล้วไม่พบกระดูกหัก",
    "ฉีดวัคซีนพิษสุนัขบ้าเข็มแรกผิดวัน ผู้ป่วยไม่มีอาการผิดปกติ",
    "ญาติเป็นลมหมดสติชั่วขณะที่หน้าห้องฉุกเฉิน ฟื้นเองภายใน 1 นาที",
    "พยาบาลไปช่วย CPR เตียงอื่น ผป.รอยาแก้ปวด 40 นาที ไม่มีรายใดต้องย้าย ICU",
    "ผู้ป่วย On ETT 7 วัน เกิดแผลกดทับ ส่ง icu หลังผ่าตัดใหญ่ตามแผน planned admission",
    "ระบบ HIS ล่ม 09.20-11.45 น. เสียค่าใช้จ่ายครั้งละ 1,200 บาท รวม 35,000 บาท",
    "ข้อเสนอ: ซ้อมแผนอพยพปีละ 2 ครั้ง; Prevention: check the O2 line daily",
    "PRC 2 units ให้ผิดคน group B ให้ group A  Hemolysis ไม่มี",
    FILLER * 14 + "ไม่มีผู้บาดเจ็บ ไม่มีไฟไหม้ ศพ 2 รายที่เสียชีวิต " + FILLER * 3,
    "🙏 " + FILLER * 12 + "ขู่ว่าจะฆ่าตัวตาย ไม่มี CPR ไม่ต้องใส่ท่อช่วยหายใจ",
    "\u212a\u017f ICU \u212aCU planned PLANNED \u017fhock no injury den\u0130ed " * 4,
    FILLER * 3 + "ย้าย ICU ไม่มีผู้บาดเจ็บ",  # past the length a gate is used from
]


@pytest.mark.parametrize("rx", GATED, ids=lambda rx: rx.pattern[:24])
def test_gated_calls_give_plain_re_answers(rx: re.Pattern[str]) -> None:
    def repl(m: re.Match[str]) -> str:
        return f"<{m.group(0)}>"

    for text in GATE_TEXTS:
        want = rx.search(text)
        got = gated_search(rx, text)
        assert (got is None) == (want is None), text
        if want is not None and got is not None:
            assert got.span() == want.span() and got.group(0) == want.group(0)
        assert [m.span() for m in gated_finditer(rx, text)] == [m.span() for m in rx.finditer(text)], text
        for r in (" ", "|", repl, r"[\g<0>]"):
            assert gated_sub(rx, r, text) == rx.sub(r, text), (text, r)
        if want is None:
            assert gated_sub(rx, " ", text) is text  # callers test "is text" for "nothing read out"


def test_a_gate_is_consulted_and_skips_re() -> None:
    """No hit in the pass, no ``re``: a pattern whose gate cannot match answers None without searching."""
    calls: list[str] = []

    class Spy:
        def __init__(self, rx: re.Pattern[str]) -> None:
            self.rx, self.pattern, self.flags = rx, rx.pattern, rx.flags

        def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
            calls.append(text)
            return self.rx.search(text, pos)

        def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
            return self.rx.finditer(text, pos)

    spy = Spy(re.compile(r"วัคซีน\S{0,20}(?:พิษสุนัขบ้า|บาดทะยัก)"))
    quiet = FILLER * 15
    assert gated_search(spy, quiet) is None  # type: ignore[arg-type]
    assert gated_sub(spy, " ", quiet) is quiet  # type: ignore[arg-type]
    assert calls == []
    told = quiet + "ฉีดวัคซีนบาดทะยัก"
    assert gated_sub(spy, " ", told) == quiet + "ฉีด "  # type: ignore[arg-type]
    assert calls  # a hit: re confirms


def test_the_caseless_fold_list_is_complete() -> None:
    """FOLDS_TO_ASCII holds every character past ASCII that IGNORECASE matches with an ASCII letter."""
    folds = {
        c for c in map(chr, range(0x80, 0x3000))
        if any(re.fullmatch("(?i)" + letter, c) for letter in "abcdefghijklmnopqrstuvwxyz")
    }  # fmt: skip
    assert folds == set(FOLDS_TO_ASCII)


def test_loose_key_drops_every_kind_of_space_and_mark() -> None:
    """loose_key deletes whitespace with str.split() and the marks with str.replace: the definition's answer for
    every character re's \\s matches (Unicode spaces included) and for marks typed twice or around dots."""
    spaces = "".join(c for c in map(chr, range(0x3000 + 1)) if re.fullmatch(r"\s", c))
    texts = [
        "ร" + spaces + "อ่ ่ ่น้ำ" + spaces,
        "ผ ป . ร พ .  แ พ ท ย์ ช้าาา มากก",
        "\u0e47\u0e48\u0e49\u0e4a\u0e4b..\u0e4c" * 3 + "ก์ กิ์ กุ์" + "\u00a0\u2003\u3000\x1c\x1f\x85",
        nrls.coder_text(FILLER * 12),
    ]
    for text in texts:
        loose_key.cache_clear()
        assert loose_key(text) == loose_key_reference(text), text


def test_every_gated_rule_is_built_by_warm() -> None:
    """Each regex a module reads through gated_* is in Analyzer.warm()'s list (a cold compile costs up to 3 s,
    which a report must not pay), and warm() leaves its gate built."""
    import importlib
    from pathlib import Path

    from nlp import analyzer, prefilter

    names: set[tuple[str, str]] = set()
    for module in ("analyzer", "nrls", "severity", "normalize", "matcher", "frames"):
        source = Path(importlib.import_module(f"nlp.{module}").__file__ or "").read_text(encoding="utf-8")
        names |= {(module, n) for n in re.findall(r"gated_(?:sub|search|finditer)\(\s*([A-Za-z_]\w*)", source)}
    assert len(names) >= 15
    gated = {id(rx) for rx in analyzer.GATED}
    for module, name in names:
        # (severity reads nlp.nrls.FAINT through an import inside its function)
        rx = getattr(importlib.import_module(f"nlp.{module}"), name, None) or getattr(nrls, name)
        assert id(rx) in gated, f"nlp.{module}.{name} is gated but not warmed"
    analyzer.Analyzer().warm()
    for rx in analyzer.GATED:
        assert prefilter._GATES[rx]._ready, rx.pattern
