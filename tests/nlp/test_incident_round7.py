"""Issue 14, round 7: incident cues from the analyser's errors on tune17.jsonl (heldout5 retired into tuning).

Each report is written here as ward staff type into the risk system, unlike the lines of tune17.jsonl. Every
test failed before this round's change, except the GUARDS, which keep the new cues from hiding what they must
not (a wrong-site operation that was done, a fire put out with an extinguisher, a patient who was bagged)."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from tests.support import incident


# --- a code cued only by a denied event, or only faintly alike, does not decide the scale ---------------------------
@pytest.mark.parametrize(
    "text",
    [
        "ป้ายห้องน้ำญาติหลุดห้อยลงมา ward 5 ช่างมาซ่อม ยังไม่มีผู้ใดลื่นล้ม",
    ],
)
def test_building_report_that_denies_a_fall_is_graded_on_the_general_scale(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.details["scale"] == "general", (r.severity, [(c.code, c.evidence) for c in r.risk_codes])


# --- not sentinel: harm or acts the report denies, a wrong site caught before the cut -------------------------
@pytest.mark.parametrize(
    "text",
    [
        # bagging denied ("ไม่ต้อง bag mask"): the saturation came back on oxygen
        "หลังให้ยานอนหลับ ผป.ซึม sat 85% ปลุกตื่น ให้ O2 cannula 3 L sat 95% ไม่ต้อง bag mask",
        # an extinguisher not needed: smoke alone, unplugged
        "ควันออกจากไมโครเวฟห้องพักพยาบาล ถอดปลั๊กทัน ไม่ต้องใช้ถังดับเพลิง",
        # a wrong side caught at the sign-in, before anything was done
        "ใบนัดผ่าตัดเขียนไหล่ขวา แต่ mark site ไหล่ซ้าย พบระหว่าง sign in แก้ไขตำแหน่งก่อนดมยา",
    ],
)
def test_denied_or_caught_event_is_not_sentinel(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert not r.sentinel, (r.severity, r.details.get("sentinel_cues"), r.details.get("severity_reasons"))


GUARDS_SENTINEL = [
    "ผ่าตัดไหล่ซ้ายแทนไหล่ขวา ไม่ได้ทำ time out ก่อนลงมีด",  # a wrong side operated: still a never event
    "ไฟลุกจากปลั๊กพ่วงหลังเคาน์เตอร์ ใช้ถังดับเพลิงดับได้",  # a fire put out with an extinguisher
    "ผป.หยุดหายใจหลังได้ morphine ต้องบีบ ambu ใส่ท่อช่วยหายใจ ย้าย ICU",  # bagged and intubated
]


@pytest.mark.parametrize("text", GUARDS_SENTINEL)
def test_guards_stay_sentinel(analyzer: Analyzer, text: str) -> None:
    assert incident(analyzer, text).sentinel


# --- causes: equipment that ran out or went off is environment; a misread or unpassed result is communication --
@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("ระหว่าง refer ถัง o2 ในรถพยาบาลหมด ผป.เขียว", "environment"),
        ("ประกายไฟที่เต้ารับหลังตู้ยา ward 4 งานซ่อมบำรุงมาเปลี่ยน", "environment"),
        ("เครื่องอุ่นเลือดดับระหว่างให้เลือด ผป.หนาวสั่น", "environment"),
        ("เภสัชอ่านผิด 0.5 mg เป็น 5 mg จ่าย digoxin เกินขนาด ผป.คลื่นไส้", "communication"),
        ("ผล K 6.9 ออกตั้งแต่บ่าย ไม่ได้ส่งผลให้แพทย์ ผป.ใจสั่น EKG T สูง", "communication"),
    ],
)
def test_cause_heard_in_the_narrative(analyzer: Analyzer, text: str, topic: str) -> None:
    r = incident(analyzer, text)
    assert topic in {t.code for t in r.topics}, [t.code for t in r.topics]
