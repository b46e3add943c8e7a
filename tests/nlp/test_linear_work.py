"""Issue 14: no analysis is slower than linear in the text's length — counted as well as timed.

The count is every Python and C function call one analysis makes (``sys.setprofile``): a step that turns
quadratic (a loop over the matches inside a loop over the tokens, a rescan of the text for each cue) multiplies
it, and unlike CPU time it does not move when other jobs load the machine. The timed bound (1,000 against
20,000 characters, each length's least CPU time over interleaved tries) catches what a call count cannot see:
work inside one C call (a regex that backtracks, a slice copied per match)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest

import nlp.analyzer as analyzer_module
from nlp.analyzer import MAX_CHARS, SEVERITY_MAX_CHARS, Analyzer
from nlp.nrls import TOP_K

# Incident clauses of the kinds every pass reads: vital signs and shorthand (arrest cues), drugs and doses (the
# coder's Latin words), denied harm, staff and places (topics), a fall, an outage, a complaint.
CLAUSES = (
    "ผป.หญิงอายุ 72 ปี ward 3 พบนอนนิ่ง no pulse GCS E1V1M1 SpO2 58% ทำ CPR 10 นาที ROSC ย้าย ICU",
    "ให้ยา morphine 4 mg iv ผิดเตียง ตรวจพบหลังให้ เฝ้าระวังอาการ ไม่มีบาดเจ็บ แจ้งแพทย์เวร",
    "ผู้ป่วยลุกเดินเข้าห้องน้ำเองแล้วลื่นล้ม ศีรษะกระแทกพื้น ญาติไม่พอใจ CT brain ปกติ",
    "พยาบาล 2 คน ผู้ป่วย 30 ราย ภาระงานมาก ส่งเวรไม่ครบ ญาติรอนานกว่า 2 ชั่วโมง โพสต์ facebook",
    "ไฟฟ้าดับ 15 นาที เครื่องปั่นไฟไม่ทำงาน ventilator alarm ใช้ ambu bag แทน ไม่มีผู้ได้รับอันตราย",
    "ระบบ HIS ล่ม 08.10-10.40 น. ใช้ใบสั่งยากระดาษ จ่ายยา warfarin 5 mg แทน 2 mg เภสัชกรตรวจพบ",
)


def _report(chars: int, shift: int) -> str:
    unit = " ".join(CLAUSES[shift % len(CLAUSES) :] + CLAUSES[: shift % len(CLAUSES)]) + " "
    return (unit * (chars // len(unit) + 1))[:chars]


def _calls(analyzer: Analyzer, text: str) -> int:
    """Function calls (Python and C) of one incident analysis of ``text``."""
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        analyzer.analyse(text, question="incident")
    finally:
        sys.setprofile(None)
    return count


def _calls_per_length(analyzer: Analyzer, lengths: tuple[int, ...]) -> dict[int, int]:
    """Calls of one analysis per length, after a warm-up analysis of another text of each length (first calls
    fill caches: compiled pattern sets, the loose keys of the tokens seen)."""
    for chars in lengths:
        analyzer.analyse(_report(chars, 5), question="incident")
    return {chars: _calls(analyzer, _report(chars, 1)) for chars in lengths}


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def test_calls_per_character_do_not_grow_with_length(analyzer: Analyzer) -> None:
    """Within MAX_CHARS every pass runs (tokens, lexicon, models, codes, severity, sentinel): three times the
    text makes at most 1.3 × three times the calls. Past it only the severity and sentinel cues read on, up to
    SEVERITY_MAX_CHARS: four times the text, at most 1.3 × four times the calls."""
    assert 3 * 900 <= MAX_CHARS < 5000 and 4 * 5000 <= SEVERITY_MAX_CHARS
    calls = _calls_per_length(analyzer, (900, 2700, 5000, 20000))
    print(calls)
    assert 1 <= len(analyzer.analyse(_report(2700, 2), question="incident").risk_codes) <= TOP_K
    assert calls[2700] <= 1.3 * 3 * calls[900], calls
    assert calls[20000] <= 1.3 * 4 * calls[5000], calls


def test_the_call_count_sees_a_quadratic_step(analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The measure can fail: a step that looks at every token again for each token (n² calls) is caught."""
    split_glued: Callable[[list[str]], list[str]] = analyzer_module.split_glued

    def quadratic(tokens: list[str]) -> list[str]:
        for _ in tokens:
            for other in tokens:
                len(other)
        return split_glued(tokens)

    monkeypatch.setattr(analyzer_module, "split_glued", quadratic)
    calls = _calls_per_length(analyzer, (900, 2700))
    assert calls[2700] > 1.3 * 3 * calls[900], calls


def test_twenty_thousand_characters_cost_at_most_thirty_times_one_thousand(analyzer: Analyzer) -> None:
    """CPU time, each length's least over interleaved tries (robust on a shared machine): linear would be at most
    20× (past MAX_CHARS less: only the severity and sentinel cues read on); 30× leaves room for noise, a
    quadratic step would cost 400×."""
    texts = {chars: [_report(chars, shift) for shift in range(2)] for chars in (1000, SEVERITY_MAX_CHARS)}
    for batch in texts.values():
        for text in batch:
            analyzer.analyse(text, question="incident")  # warm-up
    best = dict.fromkeys(texts, float("inf"))
    for _ in range(5):
        for chars, batch in texts.items():
            start = time.process_time()
            for text in batch:
                analyzer.analyse(text, question="incident")
            best[chars] = min(best[chars], time.process_time() - start)
    ratio = best[SEVERITY_MAX_CHARS] / best[1000]
    print(f"1000 → {SEVERITY_MAX_CHARS} characters: {ratio:.1f}×")
    assert ratio <= 30.0, f"{SEVERITY_MAX_CHARS} characters cost {ratio:.1f}× 1,000: slower than linear"
