"""Issue 14, round 2: what the blind set showed after round 1 (each test failed before its fix).

Written as ward staff type into the risk system: Thai–English shorthand, vital signs, drug doses."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band
from tests.support import incident


# --- 1. the scale follows the incident's nature; general incidents are mostly minor ---------------------
@pytest.mark.parametrize(
    "text",
    [
        "แอร์ห้องพักญาติ ward 5 น้ำหยดใส่พื้น แจ้งช่าง วางกรวยกั้น ยังไม่มีใครลื่น",
        "ลิฟต์ผู้ป่วยตัวที่ 1 ค้างชั้น 2 ประมาณ 10 นาที มีญาติในลิฟต์ 1 คน ช่างมาเปิด ไม่มีผู้บาดเจ็บ",
        "HOSxP ล่ม 13.00-14.00 ห้องบัตรใช้กระดาษ ผป.รอคิวนานขึ้น",
        "ปลั๊กพ่วง nurse station มีประกายไฟ ควันนิดหน่อย ถอดปลั๊กทัน ไม่มีไฟลุก",
        "กระเป๋าสตางค์ญาติเตียง 8 หาย ตรวจกล้องวงจรปิดแล้วไม่พบ ญาติยังไม่แจ้งความ",
        "ญาติไม่พอใจที่รอ x-ray นาน พูดเสียงดังหน้า counter หัวหน้าเวรอธิบาย ญาติเข้าใจ",
    ],
)
def test_general_incident_graded_minor_on_the_general_scale(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.severity is not None and band(r.severity) == "12", (r.severity, [c.code for c in r.risk_codes])
    assert r.details["scale"] == "general"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("ไฟไหม้ห้องพัสดุ ไฟลามหลังคา อพยพผป. 20 ราย เรียกรถดับเพลิง", "45"),
        ("ญาติใช้ไม้ตีหัว รปภ. ศีรษะแตก CT พบเลือดออก admit แจ้งความ", "45"),
        ("โพสต์คลิปลงเฟซบุ๊กว่า รพ.ไม่สนใจผป. ยอดแชร์ 8,000 ครั้ง นักข่าวโทรมาขอสัมภาษณ์", "45"),
    ],
)
def test_general_incident_serious_only_with_serious_damage(analyzer: Analyzer, text: str, want: str) -> None:
    r = incident(analyzer, text)
    assert r.details["scale"] == "general" and band(r.severity) == want, (r.severity, r.details["scale"])


def test_patient_care_stays_on_the_clinical_scale(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ให้ enoxaparin 60 mg SC ซ้ำ เวรเช้าให้แล้ว เวรบ่ายให้อีก เฝ้าระวัง bleeding ไม่มีอาการผิดปกติ")
    assert r.details["scale"] == "clinical" and band(r.severity) == "AD"


# --- 2. clinical harm at G–I is heard, and is sentinel ---------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "ผป. post op ไส้ติ่ง เวรดึกไม่ได้ f/u V/S BP 70/40 ซึม on ventilator ย้าย ICU",
        "DTX 28 mg% ไม่ได้รายงานแพทย์ 3 ชม. พบผป.ไม่ตอบสนอง ต่อมา brain damage bed ridden",
        "แผลเบาหวานที่เท้าไม่ได้ consult ศัลย์ตามนัด ติดเชื้อลุกลามสุดท้ายต้องตัดขาใต้เข่า",
        "ตกเตียงตี 2 ไม่ได้ยกไม้กั้นเตียง CT พบ SDH ผ่าตัดสมอง ต่อมาอัมพาตครึ่งซีก",
        "ให้ morphine 10 mg IV แทน 1 mg RR 6 SpO2 80% ให้ naloxone bag mask",
        "คนไข้ sepsis ไม่ได้ให้ ATB ใน 1 ชม. ตามแนวทาง BP drop ต่อมา pronounced dead 04.10",
    ],
)
def test_clinical_harm_g_to_i_is_heard_and_sentinel(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.severity in ("G", "H", "I"), (r.severity, [c.code for c in r.risk_codes])
    assert r.sentinel


@pytest.mark.parametrize(
    "text",
    [
        "ward เด็ก ผป. 3 ราย NS1 positive สัปดาห์เดียวกัน แจ้งงานควบคุมโรค",
        "ผป.เด็ก 5 ขวบ สงสัย DHF grade 2 ให้ IV fluid ตาม protocol",
        "รับผป.สงสัยอหิวา ถ่ายเหลวเป็นน้ำซาวข้าว 10 ครั้ง ไม่ได้แยกห้อง",
        "เด็กคอบวม มีแผ่นฝ้าขาวในคอ สงสัยคอตีบ แยกห้องช้า 5 ชม.",
    ],
)
def test_notifiable_disease_as_nurses_type_it_is_sentinel(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.sentinel
    # sentinel by seed 004's disease rule, not harm: the severity stays what the text describes
    assert r.severity not in ("H", "I")


def test_a_code_often_fatal_elsewhere_does_not_make_this_report_fatal(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ผป.หนีออกจาก ward ตอนตี 4 รปภ.ตามกลับมาได้ v/s ปกติ")
    assert r.severity not in ("G", "H", "I") and not r.sentinel


# --- 3. the cause topic from the code's family where the lexicon is silent -------------------------------
@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # a specimen error is a step of the lab process (HA's CPL2 "right laboratory specimen"; the tuning
        # files label such reports process), not the care itself
        ("specimen CBC ไม่ได้ติด sticker ส่ง lab ต้องเจาะใหม่", "process"),
        ("ET tube เลื่อนลึก 2 cm พบตอน CXR เช้า ปรับตำแหน่ง", "clinical_care"),
        ("ผป. ESI 2 ถูก triage เป็น ESI 4 รอ 50 นาที", "clinical_care"),
    ],
)
def test_incident_topic_from_the_code_family(analyzer: Analyzer, text: str, topic: str) -> None:
    assert topic in {t.code for t in incident(analyzer, text).topics}


# --- 4. wishes and flat problem statements are complaints where the form asks for faults or changes ------
@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("ดีค่ะ ถ้าเปิดคลินิกวันเสาร์ด้วยจะดีมาก", "message"),
        ("ประทับใจหมอค่ะ ถ้ามีที่จอดรถเยอะกว่านี้คงดี", "improvement"),
        ("ที่นั่งรอน้อย", "complaint"),
        ("ขอที่จอดรถมอเตอร์ไซค์มีหลังคา", "complaint"),
        ("ห้องน้ำชั้นล่างเหม็นนิดหน่อย", "dissatisfaction"),
        ("ควรมีน้ำดื่มตรงจุดรอ", "complaint"),
    ],
)
def test_wish_or_flat_problem_is_a_complaint(analyzer: Analyzer, text: str, question: str) -> None:
    assert analyzer.analyse(text, question=question).complaint


@pytest.mark.parametrize(
    ("text", "question"),
    [("ไม่มีค่ะ พอใจทุกอย่าง", "dissatisfaction"), ("ดีแล้วค่ะ", "improvement"), ("ขอบคุณคุณหมอมากค่ะ", "message")],
)
def test_praise_and_nothing_stay_no_complaint(analyzer: Analyzer, text: str, question: str) -> None:
    assert not analyzer.analyse(text, question=question).complaint


def test_a_complaint_flow_wish_is_marked_a_suggestion(analyzer: Analyzer) -> None:
    r = analyzer.analyse("อยากให้มีที่จอดรถมากกว่านี้ค่ะ", question="complaint")
    assert r.complaint and r.details["suggestion"]


@pytest.mark.parametrize(
    "text",
    [
        "ห้องยาจ่าย glipizide แทน glibenclamide ผป.กินไป 2 มื้อ DTX 45 ให้ 50% glucose 50 ml",
        "set pump nicardipine 30 ml/hr แทน 3 ml/hr BP 80/50 หน้ามืด หยุดยา",
        "แทง central line ที่ ward เกิด pneumothorax ใส่ ICD",
    ],
)
def test_temporary_harm_told_by_treatment_and_vitals_is_e_or_f(analyzer: Analyzer, text: str) -> None:
    assert band(incident(analyzer, text).severity) == "EF"


# --- risk codes where the blind set was weakest (GPE, CPP) ------------------------------------------------
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ลิฟต์ส่งของตึกอายุรกรรมค้าง 20 นาที พนักงานเปลติดอยู่ข้างใน ช่างมาเปิดได้", "GPE205"),
        ("ปั๊มน้ำเสีย น้ำไม่ไหล ward หญิง 5 ชม. ใช้น้ำถังสำรอง", "GPE206"),
        ("ชายเมาสุราอาละวาดหน้า ER ขว้างเก้าอี้ รปภ.ควบคุมตัว", "GPE305"),
        ("ผป.ปวดท้อง ER ให้กลับบ้าน วันต่อมากลับมาด้วยอาการ appendix rupture", "CPP301"),
        ("เครื่อง suction ICU ใช้ไม่ได้ตอนเช็คเช้า ส่งซ่อม ยืม ward อื่น", "GOI205"),
    ],
)
def test_risk_code_in_the_top_three(analyzer: Analyzer, text: str, code: str) -> None:
    assert code in [c.code for c in incident(analyzer, text).risk_codes]


@pytest.mark.parametrize(
    "text",
    [
        "ไฟดับ ICU 5 นาที generator ติด ventilator มี battery ไม่มีผลต่อผป.",
        "ผป.admit ward 5 โทรศัพท์มือถือหายจากตู้ข้างเตียง ยังไม่แจ้งความ",
        "ทีวีห้องพิเศษ 3 เปิดไม่ติด แจ้งช่างซ่อม",
        "พนักงานเวรเปลสื่อสารกับญาติไม่ชัดเจน ญาติไม่พอใจ หัวหน้าอธิบายแล้ว",
    ],
)
def test_place_and_word_look_alikes_do_not_raise_a_general_incident(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.details["scale"] == "general" and band(r.severity) == "12", (r.severity, r.details["scale"])


def test_permanent_harm_is_sentinel_as_ha_lists_it() -> None:
    from nlp.nrls import get_coder

    coder = get_coder()
    # HA lists G for nearly every clinical code, not for a patient leaving before being seen (CPE404)
    assert coder.sentinel(["CPP405"], "G") and not coder.sentinel(["CPE404"], "G")
