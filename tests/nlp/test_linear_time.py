"""Issue 14: no analysis is slower than linear in the text's length. Measured as a ratio (CPU time of a text
four times as long), not an absolute, so a loaded machine does not make it flaky: each length's least time
over several interleaved tries."""

from __future__ import annotations

import time

import pytest

from nlp.analyzer import MAX_CHARS, SEVERITY_MAX_CHARS, Analyzer

# Incident-report clauses of the kinds the passes read: shorthand and vital signs (the arrest cues), drugs and
# doses (the coder's Latin words), denied harm (the text the severity rules read), staff and places (topics).
CLAUSES = (
    "ผป.ชายอายุ 67 ปี ward 5 พบไม่รู้สึกตัว no pulse GCS E1V1M1 SpO2 60% เริ่ม CPR ROSC 12 นาที ย้าย ICU",
    "ให้ยา ceftriaxone 2 g iv ผิดคน ตรวจพบก่อนให้ ไม่มีอาการแพ้ ไม่มีบาดเจ็บ",
    "ญาติแจ้งว่าผู้ป่วยลื่นล้มในห้องน้ำ ศีรษะกระแทกพื้น CT brain ปกติ แพทย์ให้สังเกตอาการ",
    "พยาบาล 2 คน ผู้ป่วย 28 ราย ขึ้นเวรต่อเนื่อง ภาระงานมาก รอนาน ญาติไม่พอใจ โพสต์ facebook",
    "ไฟฟ้าดับ 20 นาที เครื่องปั่นไฟไม่ทำงาน ventilator alarm ใช้ ambu bag แทน ไม่มีผู้ได้รับอันตราย",
    "ระบบ HIS ล่ม 09.20-11.45 น. ใช้ใบสั่งยากระดาษ จ่ายยาผิดขนาด warfarin 5 mg แทน 3 mg",
)


def _report(chars: int, shift: int) -> str:
    unit = " ".join(CLAUSES[shift % len(CLAUSES) :] + CLAUSES[: shift % len(CLAUSES)]) + " "
    return (unit * (chars // len(unit) + 1))[:chars]


def _least_cpu(analyzer: Analyzer, texts: dict[int, list[str]], tries: int) -> dict[int, float]:
    """Per length, the least CPU seconds of one analysis (the sum over its texts), lengths interleaved."""
    best = dict.fromkeys(texts, float("inf"))
    for _ in range(tries):
        for chars, batch in texts.items():
            start = time.process_time()
            for text in batch:
                analyzer.analyse(text, question="incident")
            best[chars] = min(best[chars], time.process_time() - start)
    return best


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.mark.parametrize("short", [1000, MAX_CHARS + 1000])
def test_an_incident_report_four_times_as_long_costs_at_most_five_times_as_much(short: int, analyzer: Analyzer) -> None:
    """1,000 → 4,000 characters crosses MAX_CHARS (topics and codes stop, the severity and sentinel cues read
    on); 4,000 → 16,000 is the severity tail alone (up to SEVERITY_MAX_CHARS)."""
    assert 4 * short <= SEVERITY_MAX_CHARS
    texts = {chars: [_report(chars, shift) for shift in range(3)] for chars in (short, 4 * short)}
    for batch in texts.values():
        for text in batch:
            analyzer.analyse(text, question="incident")  # warm-up: first calls pay one-off costs
    best = _least_cpu(analyzer, texts, tries=5)
    ratio = best[4 * short] / best[short]
    print(f"{short} → {4 * short} characters: {ratio:.2f}×")
    assert ratio <= 5.0, f"{4 * short} characters cost {ratio:.1f}× {short}: slower than linear"
