"""Round 12 (lead, after the retrain): thanks, then "แต่" and a fault that outweighs them, is no praise even where the
model is sure of the thanks; a fault conceded before "แต่" and praise after it stays praise."""

from __future__ import annotations

import pytest

from nlp.analyzer import Analyzer


@pytest.mark.parametrize(
    "text",
    [
        "ขอบคุณคุณหมอที่ผ่าตัดให้นะคะ แต่พยาบาลห้องพักฟื้นพูดจาไม่ดีเลยค่ะ",
        "ขอบคุณที่ช่วยชีวิตพ่อไว้ครับ แต่ รปภ. หน้าตึกพูดจาไม่ดีเลย",
        "ขอบคุณหมอที่ดูแลลูกค่ะ แต่เภสัชพูดไม่ดีเลย ตะคอกใส่",
    ],
)
def test_thanks_then_a_heavier_fault_after_but_is_no_praise(analyzer: Analyzer, text: str) -> None:
    result = analyzer.analyse(text, question="compliment")
    assert result.sentiment.label != "pos", text
    assert result.complaint, text


@pytest.mark.parametrize(
    "text",
    [
        "รอนานไปนิดนึง แต่คุณหมอใจดีมาก ขอบคุณค่ะ",
        "ขอบคุณพยาบาลทุกคนที่ดูแลดีมากค่ะ",
    ],
)
def test_a_fault_conceded_before_but_then_thanks_stays_praise(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyse(text, question="compliment").sentiment.label == "pos", text


REPORT = (
    "หน่วยงาน: ward อายุรกรรมชาย เวรดึก 03.10 น. พบผู้ป่วยชายอายุ 72 ปี ไม่รู้สึกตัว คลำชีพจรไม่ได้ ไม่หายใจ "
    "GCS E1V1M1 SpO2 วัดไม่ได้ เริ่ม CPR ใส่ ETT ให้ adrenaline 1 mg iv ทุก 3 นาที ROSC ที่ 18 นาที ย้าย ICU"
)


# CPR told of another bed beside a late dose: no harm to this patient (the gated INC26_NOT_THIS_HARM pass reads it)
ANOTHER_BED = (
    "หน่วยงาน: ward ศัลยกรรมชาย ให้ cefazolin มื้อ 18.00 น. ล่าช้าไป 3 ชม. เวรบ่าย RN 1 คนดูแล 22 เตียง รับใหม่ 3 ราย "
    "และมี CPR เตียง 4 ผป.รายนี้ไม่มีอาการเปลี่ยนแปลง หัวหน้าหอแจ้งอัตรากำลังไม่พอ"
)


@pytest.mark.parametrize("report", [REPORT, ANOTHER_BED], ids=["arrest", "another_bed"])
@pytest.mark.parametrize("space", ["\x1f", "\x1c", "\u00a0", "\u3000"])
def test_a_report_spaced_with_odd_whitespace_reads_as_with_spaces(analyzer: Analyzer, report: str, space: str) -> None:
    """Python's and Hyperscan's whitespace differ on U+001C–U+001F: a report whose spaces arrive as such (a
    copy from another system) must read as the same report, not as a different event in the gated passes."""
    plain = analyzer.analyse(report, question="incident")
    odd = analyzer.analyse(report.replace(" ", space), question="incident")
    assert plain.sentinel == (report == REPORT)
    assert (odd.sentinel, odd.severity, sorted(t.code for t in odd.topics)) == (
        plain.sentinel,
        plain.severity,
        sorted(t.code for t in plain.topics),
    )


def _least_cpu(analyzer: Analyzer, text: str) -> float:
    """The least CPU time of three analyses of ``text`` as a complaint chat."""
    import time

    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        analyzer.analyse(text, question="complaint")
        best = min(best, time.process_time() - start)
    return best


def test_a_long_run_of_one_word_before_a_blood_unit_is_read_in_linear_time(analyzer: Analyzer) -> None:
    """BLOOD_UNITS split a long run of letters two ways and backtracked in cubic time ("เลือด" × 320: 6 s of CPU, a
    5,000-character LINE message minutes). A text four times as long costs about four times as much, not 64."""
    short, long = (_least_cpu(analyzer, "ผู้ป่วยได้รับ" + "เลือด" * n + " ได้ให้ prc 1 unit") for n in (80, 320))
    assert long < 16 * max(short, 1e-3), (short, long)


@pytest.mark.parametrize("word", ["cryo", "pc", "เลือด"])
def test_a_long_run_of_a_blood_word_is_read_in_linear_time(analyzer: Analyzer, word: str) -> None:
    """Round 13's review: even possessive, an unbounded word run read from every start of a run of "cryo" or "pc" to its
    end (quadratic; "ให้ยา 2 unit " + "cryo" × 730: 13 s of CPU for a 2,900-character chat). Four times the text costs
    at most about four times as much (bound 8: a quadratic read costs 16)."""
    short, long = (_least_cpu(analyzer, "ให้ยา 2 unit " + word * n) for n in (150, 600))
    assert long < 8 * max(short, 2e-3), (short, long)
