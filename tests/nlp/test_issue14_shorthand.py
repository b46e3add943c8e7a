"""Issue 14, round 3: sentinel events told in clinical shorthand — by signs and acts, one sign at a time.

Each report below names only one of the issue's patterns (no pulse, GCS E1V1M1, SpO2 60 %, CPR, a suicide
attempt told by what was done, a staff infection cluster, an electrical fire put out with an extinguisher,
harm during restraint) in a wording the round-2 rules missed: every case failed before this round's fix.
Written as ward staff type into the risk system, not copied from a data file."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band, sentinel_cues
from tests.support import incident

MISSED_BEFORE = {
    "no_pulse": [
        "พบผป.นอนนิ่งบนเตียง คลำ carotid pulse ไม่ได้ แจ้งแพทย์เวร",
        "ผป.ชาย 68 ปี หลังกลับจากห้องน้ำ ชีพจรคลำไม่ได้ ปลุกไม่ตื่น",
        "round 02.00 pulse impalpable BP วัดไม่ได้ ตามทีม",
        "EKG flat line ตาม team",
        "ผป.ซึมลง V/S วัดไม่ได้ ไม่มี pulse",
    ],
    "gcs": [
        "ผู้ป่วยหลังผ่าตัด GCS drop จาก 15 เหลือ 4 (E1V1M2)",
        "พบผป.ไม่ตอบสนองต่อการกระตุ้นด้วยความเจ็บปวด E1 V1 M1",
        "ผป.ซึมลง GCS = 3",
    ],
    "spo2": [
        "ขณะป้อนอาหารผป.สำลัก O2 sat 55% เขียวทั้งตัว",
        "หลังให้ morphine ผป.ซึม sat 70% RR 6",
        "ระหว่างย้ายเตียง ท่อ O2 หลุด SpO2 drop ถึง 58%",
        "SpO2 ลดลงเหลือ 62 % ปลายมือเขียว",
        "ผป.เด็ก ตัวเขียว oxygen saturation 65%",
        "desat เหลือ 50% ขณะ suction",
    ],
    "cpr": [
        "ทีมช่วยกด chest compression 20 นาที",
        "ให้ adrenaline 1 mg IV ทุก 3 นาที ตาม ACLS",
    ],
    "suicide_acts": [
        "ผป.ใช้ผ้าปูที่นอนผูกกับเหล็กดัดหน้าต่างแล้วคล้องคอ",
        "ผป.กินยาที่เก็บสะสมไว้ 30 เม็ด ตรวจพบตอนเช้า",
        "ผป.ปีนออกระเบียงชั้น 4 จะกระโดด รปภ.ดึงไว้ทัน",
        "ผป.กินยาพาราทั้งกระปุก ประมาณ 40 เม็ด",
        "ผป.พยายามกลืนใบมีดโกน",
        "ผป. depression เอาถุงพลาสติกคลุมศีรษะ",
    ],
    "staff_cluster": [
        "staff ICU COVID positive 4 cases",
    ],
    "restraint": [
        "ผป.ดิ้นจนตกเตียงทั้งที่ยังมีสายผูกยึดที่ข้อมือ",
        "restrained pt found with strap around neck",
        "จับมัดผป.กับเตียง ผป.ไหล่หลุด",
    ],
    # G–I harm told by its consequence rather than by the textbook word
    "permanent_or_death": [
        "ผป.หญิง 80 ปี ลื่นล้มข้างเตียง Fx hip ผ่าตัด หลังจากนั้นไม่สามารถลุกเดินได้เหมือนเดิม",
        "ผป.สูงอายุหายจากเตียงตอนตี 3 ตามหา 6 ชม. พบร่างที่บ่อน้ำหลังอาคาร",
        "ผป.ติดเตียง แผลกดทับก้นกบ stage 4 เห็นกระดูก ต้อง debridement ใน OR",
    ],
    "retained_found_later": [
        "หลัง C/S 2 สัปดาห์ ผป.มาด้วยไข้ ปวดท้อง U/S พบผ้าก๊อซในอุ้งเชิงกราน",
    ],
}
CASES = [(kind, text) for kind, texts in MISSED_BEFORE.items() for text in texts]


@pytest.mark.parametrize(("kind", "text"), CASES)
def test_sentinel_told_by_one_sign_or_act_is_flagged(analyzer: Analyzer, kind: str, text: str) -> None:
    r = incident(analyzer, text)
    assert r.sentinel, (kind, r.details.get("severity_reasons"), r.details.get("sentinel_cues"), r.severity)


@pytest.mark.parametrize(
    "text",
    [
        "round 04.00 pulse impalpable ตาม team",
        "ผป.ซึมลง GCS = 3",
        "SpO2 ลดลงเหลือ 62 % ปลายมือเขียว",
        "ทีมช่วยกด chest compression 20 นาที",
    ],
)
def test_arrest_signs_grade_near_death(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.severity in ("H", "I") and band(r.severity) == "GI", r.severity
    assert "arrest" in sentinel_cues(text)


# Which rule heard it (what the committee sees in details["sentinel_cues"]); these already held in round 2.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("บุคลากร ward 5 ติดโควิด 6 คน", "infection_cluster"),
        ("RN 3 คน NA 2 คน ATK +ve", "infection_cluster"),
        ("เต้ารับมีประกายไฟ ลามไปผ้าม่าน ใช้ถังดับเพลิงชนิด CO2 ดับ", "fire_extinguished"),
        ("breaker ในตู้ไฟระเบิด มีควันดำ ใช้ถัง CO2 ดับ", "fire_extinguished"),
        ("ผูกยึดแน่นเกิน ปลายนิ้วมือเขียวคล้ำ", "restraint_harm"),
        ("ผป.ใช้สายชาร์จโทรศัพท์รัดคอ", "suicide_attempt"),
    ],
)
def test_sentinel_rule_names_the_pattern(text: str, kind: str) -> None:
    assert kind in sentinel_cues(text)


@pytest.mark.parametrize(
    "text",
    [
        # round 2 flagged the first four; the next two are look-alikes of this round's own cues
        "ผูกยึดผป.ตามแนวทาง ประเมินทุก 2 ชม. ไม่มีการบาดเจ็บ",  # restraint, harm denied
        "ATK เจ้าหน้าที่ 1 คน ผลบวก กักตัว",  # one case is no cluster
        "ตรวจถังดับเพลิงพบหมดอายุ 3 ถัง",  # the extinguisher named, no fire
        "เครื่อง CPR อัตโนมัติส่งซ่อม",  # a machine, not a resuscitation
        "เครื่อง defibrillator ประจำวอร์ดแบตเตอรี่หมด ตรวจพบระหว่างเช็คประจำวัน เปลี่ยนแล้ว",
        "ผป. CKD stage 4 ได้อาหารธรรมดาแทนอาหารจำกัดโปแตสเซียม K 5.9",  # a kidney stage, not an ulcer's
        # and these must stay quiet too
        "ผป. v/s stable SpO2 96% pulse 88 GCS E4V5M6",
        "sat 98% on cannula 3 lpm",
        "ซ้อมดับเพลิงประจำปี ใช้ถังดับเพลิง",
    ],
)
def test_look_alikes_are_not_sentinel(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert not r.sentinel, (r.details.get("severity_reasons"), r.details.get("sentinel_cues"), r.severity)


# --- severity: what caused the harm, not what was named in passing (each failed before this round) ------
@pytest.mark.parametrize(
    ("text", "want"),
    [
        # an admission named in passing is not a prolonged stay (F)
        ("ผป.ได้ยา Losartan ซ้ำกับยาเดิมที่นำมาเอง ไม่ได้ทำ med reconcile ตอน admit V/S ปกติ", "AD"),
        # the wrong strength dispensed, noticed by the patient before taking any
        ("ห้องยาจ่าย Metformin 1000 mg แทน 500 mg ผป.สังเกตว่าเม็ดยาไม่เหมือนเดิม ยังไม่ได้กิน โทรมาถาม", "AD"),
        # treatment the harm needed: potassium binder and insulin, uterotonics after a bleed, fluids for a drop in BP
        ("K 6.9 โทรแจ้งแล้วไม่ได้รายงานแพทย์ 3 ชม. ได้ Kalimate 30 g + RI/glucose ตามมา", "EF"),
        ("หลังคลอด EBL 800 ml มดลูกหดตัวไม่ดี ให้ Oxytocin drip และ Methergin เลือดหยุด", "EF"),
        ("ให้ยาผิดเตียง ผป.ได้ Enalapril BP ลดลงเหลือ 82/48 ให้ NSS load 500 ml", "EF"),
        # a death after an arrest, with a note that there was NO DNR order, is a death
        ("พบผป.ไม่หายใจ เริ่ม CPR 25 นาที ไม่ ROSC เสียชีวิต ไม่มีคำสั่ง DNR ในแฟ้ม", "GI"),
    ],
)
def test_clinical_severity_band(analyzer: Analyzer, text: str, want: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == want, (r.severity, r.details.get("severity_reasons"))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a fire put out at once with "no evacuation needed" is minor, not an evacuation
        ("ไฟช็อตที่ปลั๊กตู้เย็นห้องพักญาติ มีควัน ใช้ถังดับเพลิงดับได้ ไม่ต้องอพยพผู้ป่วย ไม่มีผู้บาดเจ็บ", "12"),
        # a system down for more than two hours stopped the service for hours
        ("ระบบ LIS ล่ม 08.10-10.40 น. ส่งผลแล็บด้วยกระดาษ ผลออกช้า", "3"),
        # gunfire at the hospital is the worst of violence even with no one hit
        ("ชาย 2 คนทะเลาะกันหน้าตึก OPD มีการยิงปืน 2 นัด ไม่มีผู้บาดเจ็บ ตำรวจมาควบคุม", "45"),
        # a bruise that needed no treatment stays minor
        ("ญาติผป.ผลักเจ้าหน้าที่เวรเปลล้ม มีรอยช้ำที่แขน ไม่ต้องรักษา หัวหน้าเวรเจรจา", "12"),
    ],
)
def test_general_severity_band(analyzer: Analyzer, text: str, want: str) -> None:
    r = incident(analyzer, text)
    assert r.details["scale"] == "general", r.details["scale"]
    assert band(r.severity) == want, r.severity


def test_an_admission_named_in_passing_is_not_harm(analyzer: Analyzer) -> None:
    """A guard for the narrower F cue: an admission the event caused is still F."""
    r = incident(analyzer, "ผล CBC ผป. ER ออกช้า 2 ชม. เครื่อง lab ขัดข้อง แพทย์ยังสั่ง admit ไม่ได้")
    assert r.severity not in ("E", "F", "G", "H", "I", "3", "4", "5"), r.severity
    caused = incident(analyzer, "ผป.ได้ยานอนหลับเกินขนาดจากการสั่งซ้ำ ซึมมาก ต้อง admit สังเกตอาการ 2 วัน")
    assert caused.severity == "F", caused.severity
