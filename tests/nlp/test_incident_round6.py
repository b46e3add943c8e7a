"""Issue 14, round 6: staff incident reports — sentinel events told by signs and acts for every family of HA's
code × impact list and seed 004's list, and the cause topics of an incident.

Each report is written here as ward staff type into the risk system (typos, spaces, Thai–English shorthand),
unlike the lines of tune15.jsonl. Every test failed before this round's change, except the GUARDS, which keep
the new cues from flagging what they must not (a drug name, a planned operation, a bleed that was handled)."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band
from tests.support import incident

# --- sentinel by signs and acts: near death (H), death (I), permanent harm (G) --------------------------------
SENTINEL_BY_SIGNS = [
    # (report, the band its severity must fall in)
    ("pt ซึมมาก ปลุกไม่ตื่น rr 5 ครั้ง/min หลังได้ pethidine 100 mg iv", "GI"),  # coma by waking, apnoea by rate
    ("NB คลอดท่าก้น ไม่ร้อง ไม่มีการหายใจ ตัวอ่อนปวกเปียก ส่ง NICU", "GI"),  # no breathing told as "no breathing"
    ("ANC 38 wk มา LR ฟัง FHS ไม่ได้ยิน u/s ไม่พบ heart beat หลังรอ admit 3 ชม.", "GI"),  # fetal heart not heard
    ("ผป.COPD on O2 cannula sat 65 บนหอผู้ป่วย ไม่ได้รายงาน Dr.", "GI"),  # saturation without a % sign
    ("ผป.หลังได้ morphine GCS E1 V1 M4 หายใจตื้น", "GI"),  # a GCS of 6 told by its parts
    ("คนไข้ล้มในห้องน้ำ หัวฟาด ct พบเลือดคั่งในสมอง ส่งผ่าตัดสมองด่วน", "GI"),  # a bleed in the brain, operated
    ("หลัง op หมอนรองกระดูก 3 เดือนยังเดินไม่ได้ ปัสสาวะเองไม่ได้", "GI"),  # a deficit still there months later
    ("phaco OD endophthalmitis ตาขวาบอดสนิท", "GI"),  # an eye lost, side named between the words
    ("ไส้ติ่งแตกเพราะ dx ช้า ต้องผ่าตัดเอาลำไส้ออกบางส่วน", "GI"),  # an organ taken out because of the event
    ("แผลกดทับ sacrum ลึก เห็นกระดูก มีกลิ่นเหม็น", "GI"),  # a pressure sore down to the bone
]


@pytest.mark.parametrize(("text", "expected"), SENTINEL_BY_SIGNS)
def test_harm_told_by_signs_is_sentinel(analyzer: Analyzer, text: str, expected: str) -> None:
    a = incident(analyzer, text)
    assert a.sentinel, (a.severity, a.details["severity_reasons"], a.details["sentinel_cues"])
    assert band(a.severity) == expected, (a.severity, a.details["severity_reasons"])


# --- seed 004's events told by what was done or found ---------------------------------------------------------
SEED_004_BY_ACTS = [
    "ทำ scope ให้คนไข้อีกคนที่ชื่อซ้ำกัน",  # a procedure on the wrong patient
    "ญาติ ผป. กระเป๋าเงินหายจากตู้ข้างเตียง ไปลงบันทึกที่ สภ.เมือง",  # a theft reported at the police station
    "ผลตรวจฉี่ รปภ.กะดึก พบแอมเฟตามีน",  # drug use, the drug's Thai name
    "ญาติเมาสุรา ตีด้วยไม้ถูพื้น ใส่หัวเวรเปล",  # an assault with a weapon, told as the act
    "ให้ PRC ผิดถุง 30 นาทีต่อมา ไข้ หนาวสั่น ปัสสาวะสีน้ำล้างเนื้อ",  # a transfusion followed by haemolysis
]


@pytest.mark.parametrize("text", SEED_004_BY_ACTS)
def test_seed_004_events_told_by_acts_are_sentinel(analyzer: Analyzer, text: str) -> None:
    a = incident(analyzer, text)
    assert a.sentinel, (a.details["severity_reasons"], a.details["sentinel_cues"])


# --- not sentinel: talk of dying, a burning smell alone --------------------------------------------------------
NOT_SENTINEL = [
    "ผป.บ่นว่าอยากตายทุกวัน ประเมิน 9Q 12 คะแนน ไม่มีการทำร้ายตนเอง ส่งปรึกษาจิตเวช",
    "ห้อง server มีกลิ่นไหม้ ปิดเครื่อง ช่างพบพัดลม PSU เสีย",
]


@pytest.mark.parametrize("text", NOT_SENTINEL)
def test_talk_and_smell_are_not_sentinel(analyzer: Analyzer, text: str) -> None:
    a = incident(analyzer, text)
    assert not a.sentinel, (a.details["severity_reasons"], a.details["sentinel_cues"])


GUARDS = [
    "พบยา Dopamine วางติดกับ Dobutamine ในรถ emergency ยังไม่มีการหยิบผิด",  # drug names, no harm
    "ผ่าตัดเต้านมซ้าย แผลแดง มีหนองเล็กน้อย ให้ยาฆ่าเชื้อ",  # a planned mastectomy is not an organ lost
    "ผ่าตัดคลอด EBL 1,500 ml ให้ PRC 2 unit v/s stable",  # a bleed below 2 litres, handled
    "ตรวจ v/s ผป. rr 6 วัน หลัง op ปกติ",  # "rr" next to a number of days
]


@pytest.mark.parametrize("text", GUARDS)
def test_new_cues_do_not_flag_look_alikes(analyzer: Analyzer, text: str) -> None:
    a = incident(analyzer, text)
    assert not a.sentinel, (a.severity, a.details["severity_reasons"], a.details["sentinel_cues"])
    assert a.severity not in ("G", "H", "I")


# --- the cause topics of an incident ----------------------------------------------------------------------------
# A blocked drain or sink is the cause (environment) even when the narrative's own words name only the wait or the
# place that followed: the known gap in the cause topics, fixed by hearing the cause in the text.
CAUSE_BESIDE_A_CONSEQUENCE = [
    ("ท่อระบายน้ำหน้า ER ตัน ฝนตก น้ำเอ่อล้นเข้าห้องรอตรวจ ผป.รอนาน บ่น", "environment"),
    ("อ่างล้างมือ ward ชายตัน น้ำล้นนองพื้น ผป.ต้องรอทำแผลนาน", "environment"),
]
# The four causes the blind set found weakest, told the way ward staff write them.
CAUSES_TOLD_BY_STAFF = [
    ("D/C ผป.ใหม่ warfarin ไม่ได้สอนเรื่องอาการเลือดออก 1 wk ต่อมา จ้ำเลือดทั้งตัว INR 7", "communication"),
    ("ผป.ชาวกัมพูชา ไม่มีล่าม เซ็นยินยอมทำ cath ไม่เข้าใจความเสี่ยง", "communication"),
    ("Dr.สั่ง KCl ทางโทรศัพท์ RN ได้ยินเป็น 40 mEq ให้ไปแล้ว K 5.9", "communication"),
    ("แพทย์ ER ตะคอกใส่แม่ของผป.เด็กต่อหน้าคนอื่น แม่ร้องเรียน", "staff_behavior"),
    ("พนักงานเปล ตรวจฉี่ พบแอมเฟตามีน ระหว่างเวร", "staff_behavior"),
    ("ผป.ปวดท้อง RLQ รอ CT 4 hrs ไส้ติ่งแตก ต้อง ex-lap", "waiting"),
    ("chest pain รอตรวจ ER 90 นาที ไม่ได้ทำ EKG ต่อมา VF", "waiting"),
    ("ขอบทางเท้าหน้า OPD สูง ล้อ wheelchair ติด ผป.หล่นเข่าถลอก", "parking_access"),
]


@pytest.mark.parametrize(("text", "topic"), CAUSE_BESIDE_A_CONSEQUENCE + CAUSES_TOLD_BY_STAFF)
def test_incident_cause_is_tagged(analyzer: Analyzer, text: str, topic: str) -> None:
    a = incident(analyzer, text)
    assert topic in {t.code for t in a.topics}, ([(t.code, t.evidence) for t in a.topics], a.details["cause"])


# What the cause cues must not take for a cause: water in the lungs, a car park named as a place, drugs a guard
# found on a relative, a dosing round and a spare generator's days.
NOT_THESE_CAUSES = [
    ("ผป. CHF น้ำท่วมปอด หอบ on O2 mask", "environment"),
    ("ผป.สับสน หนีออกจาก ward พบที่ลานจอดรถ ไม่บาดเจ็บ", "parking_access"),
    ("รปภ.พบญาติเสพยาบ้าในห้องน้ำ ward ชาย แจ้งตำรวจ", "staff_behavior"),
    ("ให้ยาแก้ปวดไม่ตรงรอบ 4 ชม. ผป.ปวดมาก", "waiting"),
    ("ไม่มีไฟสำรอง 2 วัน ช่างยังไม่มาซ่อม", "waiting"),
]


@pytest.mark.parametrize(("text", "topic"), NOT_THESE_CAUSES)
def test_cause_cues_do_not_tag_look_alikes(analyzer: Analyzer, text: str, topic: str) -> None:
    a = incident(analyzer, text)
    assert topic not in {t.code for t in a.topics}, [(t.code, t.evidence) for t in a.topics]


def test_the_cause_stays_beside_the_wait_it_caused(analyzer: Analyzer) -> None:
    """The narrative names only the wait; the codes (under-triage) name its cause: both are tagged."""
    a = incident(analyzer, "pt chest pain คัดกรองเป็น ESI 4 (ควรเป็น 2) ให้นั่งรอ 40 นาที")
    assert {"clinical_care", "waiting"} <= {t.code for t in a.topics}, a.details["cause"]
