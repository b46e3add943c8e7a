"""Issue 14, round 8: incident cues from the analyser's errors on tune18.jsonl (heldout6 retired into tuning).

Each report is written here the way ward and support staff type into the risk system, unlike tune18's lines:
harm the report denies ("ไม่มีหายใจลำบาก", "ไม่มีภาวะกดการหายใจ", "ไม่ต้องให้ naloxone") grades nothing; a burn wound
is not a fire; a threat with property broken is not an assault; an evacuation for a chemical spill is not HA's
disaster pair; a consumer or civil court case is seed 004's reputation event; and the arrest that followed an
event does not outrank the event's own code."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


NOT_SENTINEL = [
    # a drug rash with breathing difficulty denied: treated harm (E), not anaphylaxis
    "ผป.หญิง 45 ปี ได้ ceftriaxone 2 g IV 20 นาทีต่อมามีผื่นแดงคันทั้งตัว ไม่มีหายใจลำบาก ได้ยาแก้แพ้ อาการดีขึ้น",
    # an opioid infusion not monitored, respiratory depression denied, no antidote needed
    "fentanyl PCA ไม่ได้ติดตาม sedation score 6 ชม. ตรวจพบซึมเล็กน้อย RR 14 ไม่มีภาวะกดการหายใจ ไม่ต้องให้ naloxone",
    # a burn wound from a device: its depth and place, no flame or smoke
    "ใช้กระเป๋าน้ำร้อนประคบท้องผป.หลังผ่าตัด ไม่ได้ห่อผ้า ผิวหนังมีแผลไหม้ระดับ 2 ขนาด 3x3 ซม. ทำแผลต่อเนื่อง",
    # threatened and broke things, the police took him; nobody hurt
    "ญาติผป.เมาสุราโวยวายหน้าห้องฉุกเฉิน ทุบโต๊ะคัดกรองจนแตก ขู่ทำร้ายพยาบาล ตำรวจมาควบคุมตัว ไม่มีผู้ใดบาดเจ็บ",
    # a chemical spill cleared a floor for an hour: not a fire, flood or storm
    "ฟอร์มาลินหกในห้องพยาธิวิทยา ต้องอพยพเจ้าหน้าที่ออกจากชั้น 2 นาน 1 ชม. เจ้าหน้าที่ 2 คนแสบตา ล้างตาแล้วกลับบ้านได้",
]


@pytest.mark.parametrize("text", NOT_SENTINEL, ids=["rash", "opioid", "burn", "threat", "spill"])
def test_denied_or_lesser_harm_is_not_sentinel(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="incident")
    assert not r.sentinel, r.details


def test_denied_respiratory_depression_grades_no_harm(analyzer: Analyzer) -> None:
    r = analyzer.analyse(NOT_SENTINEL[1], question="incident")
    assert band(r.severity) == band("D"), r.severity


def test_a_fire_with_an_evacuation_still_is_sentinel(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ไฟฟ้าลัดวงจรห้องเก็บพัสดุ ควันเต็มชั้น 3 อพยพผป. 15 รายลงชั้นล่าง", question="incident")
    assert r.sentinel


@pytest.mark.parametrize(
    "text",
    [
        "ผู้รับบริการยื่นฟ้องคดีผู้บริโภคต่อโรงพยาบาล เรื่องถูกเก็บค่าห้องพิเศษเกินสิทธิ์ข้าราชการ",
        "ญาติผป.ฟ้องศาลแพ่ง กรณีแม่ผ่าตัดนิ่วแล้วแผลติดเชื้อ นิติกรรับเรื่อง",
    ],
    ids=["consumer", "civil"],
)
def test_a_court_case_is_sentinel(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="incident")
    assert r.sentinel, r.details


def test_a_real_blow_with_the_police_stays_sentinel(analyzer: Analyzer) -> None:
    r = analyzer.analyse("ผู้ป่วยคลุ้มคลั่งทุบพยาบาลที่ศีรษะ ตำรวจมาควบคุมตัว", question="incident")
    assert r.sentinel


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # a potassium push: the high-alert drug given wrong is the event, the arrest what followed
        ("พยาบาลฉีด KCl 20 mEq IV push ผป.หัวใจหยุดเต้น CPR 15 นาที เสียชีวิต", {"CPM104", "CPM205"}),
        # chest pain under-triaged, found without a pulse in the queue
        ("ผป.เจ็บหน้าอก คัดกรองผิดเป็นไม่เร่งด่วน รอหน้าห้องตรวจ 2 ชม. หมดสติ no pulse CPR ไม่สำเร็จ", {"CPE402", "CPE406"}),
        # a hanging on a psychiatric ward, found not breathing
        ("หอผู้ป่วยจิตเวชหญิง พบผป.ใช้ผ้าถุงผูกคอกับลูกกรงหน้าต่าง ไม่หายใจ CPR 10 นาที ROSC ส่ง ICU", {"CPP402"}),
    ],
    ids=["kcl", "triage", "hanging"],
)
def test_the_event_outranks_the_arrest_that_followed(analyzer: Analyzer, text: str, codes: set[str]) -> None:
    r = analyzer.analyse(text, question="incident")
    assert r.risk_codes[0].code in codes, r.risk_codes
    assert r.sentinel  # the arrest still makes it sentinel


def test_blood_given_in_units_is_not_a_drug_topic(analyzer: Analyzer) -> None:
    r = analyzer.analyse("หลังผ่าตัดคลอดเสียเลือด 1,500 ml มดลูกหดรัดตัวไม่ดี ให้ PRC 3 unit ย้าย ICU", question="incident")
    assert "medication" not in [t.code for t in r.topics], r.topics
    assert "clinical_care" in [t.code for t in r.topics]


def test_insulin_units_still_are_a_drug(analyzer: Analyzer) -> None:
    r = analyzer.analyse("พยาบาลฉีด insulin RI 20 unit แทน 2 unit DTX 40", question="incident")
    assert "medication" in [t.code for t in r.topics]
