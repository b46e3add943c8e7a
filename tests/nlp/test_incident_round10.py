"""Issue 14, round 10: incident families read from the analyser's errors on tune22.jsonl (heldout8 retired).

Each report is written here the way staff type into the risk system, unlike tune22's lines, with look-alikes that
must stay quiet. Severity: a longer stay told with a space or against the usual (F); sight left at hand motion or
finger counting and a healthy tooth lost for good (G); a tooth broken by the laryngoscope (E); a hard intubation at
induction is no rescue (H); on the general scale people sent to a doctor or given a drip, a service late by hours, a
stock-out counted in days (3), the whole hospital down with no backup that took over (4); a surgical blade is no
knife, a plan nobody tested is no drill, "เสื่อม" holds no media ("สื่อ"), a nurse driving home is no patient who
went home, a CPR named as when a staff member was splashed is no arrest. Sentinel: cash taken in and never handed
over once the police are told, cuts on the patient's own wrist told by the shard used, a newborn breastfed by
another mother, an eye or spine injection given to someone with no indication; a mark redone and the right side
operated is a near miss. Topics: a drug heard only as the treatment of another event is no medication cause; a
unit's drug run out is; an ambulance that failed a referral is parking_access, not process. Codes: cue families
that no rule named (TB in an open ward, a staff member posting a
patient, dialysis hypotension, late post-exposure prophylaxis, drug interactions)."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band, general_level
from tests.support import incident


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()



# (text, expected band)
BANDS = {
    # a longer stay told with a space or against the usual, not a night added for a test put off
    "stay_spaced": ("ผป.ปวดกล้ามเนื้อ ปัสสาวะสีเข้ม CPK สูง หยุดยา นอน รพ.เพิ่ม 4 วัน", "EF"),
    "stay_usual": ("แผลผ่าตัดมีหนอง นอนนานกว่ากำหนด 5 วัน", "EF"),
    "stay_no_harm": ("ลืมงดน้ำงดอาหารก่อนส่องกล้อง ต้องเลื่อนไปวันถัดไป นอน รพ.เพิ่ม 1 คืน โดยไม่มีอันตรายใดๆ", "AD"),
    # sight lost told by the acuity left, a healthy tooth lost for good
    "acuity": ("หลังผ่าต้อกระจกติดเชื้อในลูกตา ฉีดยาเข้าวุ้นตา 3 ครั้ง สุดท้ายตาซ้ายเหลือ VA CF 1 ft", "GI"),
    "healthy_tooth": ("ทันตแพทย์ถอนซี่ 26 แทนซี่ 27 ที่ผุ ตรวจพบภายหลัง ฟันดีหายไป 1 ซี่ ต้องทำรากฟันเทียม", "GI"),
    # a tooth broken by the laryngoscope; a hard airway at induction is not a rescue
    "tooth_broken": ("ระหว่างดมยาสลบ ใช้ laryngoscope ฟันหน้าบนซี่ 21 บิ่น ส่งปรึกษาทันตกรรม", "EF"),
    # on the general scale: people sent to a doctor or given a drip, a delay in hours, a stock-out in days
    "staff_to_doctor": ("แอร์ห้องเก็บเอกสารมีเชื้อรา จนท.เวชระเบียน 3 คน ไอ จาม ผื่นขึ้น ไปพบแพทย์ ย้ายที่ทำงานชั่วคราว", "3"),
    "late_hours": ("รถขนผ้าสะอาดเสีย ผ้าสะอาดส่งถึงทุกหน่วยช้ากว่ากำหนด 3 ชั่วโมง ช่างซ่อมรถ", "3"),
    "stock_days": ("ถุงมือ sterile ขาด stock 3 วัน เพราะไม่มีใครดูยอดคงคลัง ต้องยืมจากห้องผ่าตัด", "3"),
    "whole_down": ("ระบบ HIS ล่มทั้งโรงพยาบาล ตั้งแต่เช้า ไม่มีระบบสำรอง ทุกจุดเขียนมือ", "45"),
    "backup_ran": ("ไฟฟ้าดับทั้งรพ. 20 นาที เครื่องปั่นไฟทำงานปกติ ไม่มีผู้ป่วยได้รับผลกระทบ", "12"),
    # a surgical blade is no knife (first aid only), a knife still is
    "blade": ("ผู้ช่วยพยาบาลถูกใบมีดผ่าตัดที่ใช้แล้วบาดนิ้วขณะล้างเครื่องมือ ล้างแผล ผลเลือดผู้ป่วยต้นทางปกติ", "12"),
    # a plan nobody tested is no drill: the outage of hours still counts
    "untested_plan": ("ระบบ LIS ล่ม 4 ชม. ส่ง lab ด้วยใบกระดาษ ผลออกช้า ไม่มีแผนสำรองที่ทดสอบแล้ว", "3"),
    # "เสื่อม" (worn out) holds no media; a nurse driving home is no patient who went home
    "worn": ("แบตเตอรี่ UPS ห้อง server เสื่อม ระบบคิวหยุด 20 นาที ออกบัตรคิวมือ", "12"),
    "drive_home": ("พยาบาลเวรดึกขึ้นเวรติดกัน 3 คืน ง่วงมากขณะขับรถกลับบ้าน 1 ราย ไม่เกิดอุบัติเหตุ", "12"),
}


@pytest.mark.parametrize(("text", "expected"), list(BANDS.values()), ids=list(BANDS))
def test_band_read_from_what_the_report_tells(analyzer: Analyzer, text: str, expected: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == expected, (r.severity, r.details.get("scale"), r.details["severity_reasons"])


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # people given a drip or sent for treatment (graded 1–5 once the report is general)
        ("ลูกค้าโรงอาหาร 5 คนกินส้มตำ ปวดท้องถ่ายเหลว มารับการรักษาที่ er ให้ iv fluid 1 ราย", "3"),
        ("แม่บ้าน 2 คนสูดไอน้ำยาล้างห้องน้ำ เวียนศีรษะ ไปพบแพทย์", "3"),
        # no one treated, a short delay: still 2
        ("ตู้เย็นเก็บอาหารเสีย อาหารเย็นส่งช้า 15 นาที ทำใหม่", "2"),
    ],
)
def test_general_level_of_people_treated(text: str, level: str) -> None:
    assert general_level(text) == level


def test_hard_intubation_at_induction_is_no_rescue(analyzer: Analyzer) -> None:
    r = incident(analyzer, "วิสัญญี: ผป.คอสั้น ใส่ท่อช่วยหายใจยาก 3 ครั้งจึงได้ ริมฝีปากแตกเล็กน้อย")
    assert not r.sentinel and band(r.severity) != "GI", r.details
    # an intubation that rescued a patient still is H and sentinel
    r = incident(analyzer, "ผป.หอบเหนื่อยมาก SpO2 78% ใส่ท่อช่วยหายใจ ย้าย ICU")
    assert r.sentinel and r.severity == "H", r.details


def test_cpr_named_as_the_setting_of_a_staff_splash(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ทีมกู้ชีพ: ระหว่าง CPR ผู้บาดเจ็บข้างถนน เลือดกระเด็นเข้าตาเจ้าหน้าที่ ล้างตา ติดตามผลเลือด")
    assert not r.sentinel and r.severity in ("1", "2", "3"), r.details
    # an arrest on the ward is still one
    r = incident(analyzer, "ผป.หัวใจหยุดเต้นใน ward ทำ CPR 20 นาที ROSC ย้าย ICU")
    assert r.sentinel, r.details


SENTINEL = {
    "cash_kept": "พนักงานรับเงินคลินิกพิเศษรับเงินค่าตรวจแล้วไม่นำส่ง 3 เดือน รวม 52,000 บาท รพ.แจ้งความแล้ว",
    "wrist_shard": "หอจิตเวชหญิง ผป.ซึมเศร้า ข้อมือขวามีแผล 4 แห่ง บอกว่าใช้เศษแก้วจากแก้วน้ำที่แตก เย็บ 6 เข็ม",
    "razor": "ผป.วัยรุ่นใช้ใบมีดโกนที่เพื่อนนำมาเยี่ยมกรีดที่ต้นขา 3 แผล ห้ามเลือด",
    "breastfed": "แม่เตียง 2 ให้นมลูกของแม่เตียง 7 ไปประมาณ 5 นาที พยาบาลพบจึงสลับคืน ตรวจเลือดแม่",
    "intravitreal": "เรียกชื่อซ้ำกัน ฉีดยาเข้าวุ้นตาให้ผู้ป่วยที่ไม่มีข้อบ่งชี้ ความดันตาขึ้น ให้ยาลดความดันตา",
}


@pytest.mark.parametrize("text", list(SENTINEL.values()), ids=list(SENTINEL))
def test_sentinel_families_are_heard(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.sentinel, r.details


NOT_SENTINEL = {
    # money handed over late, nobody told the police
    "cash_late": "เงินค่าบริการไม่ได้นำส่งการเงินภายในวัน เพราะลืม นำส่งวันรุ่งขึ้นครบทุกบาท",
    # glass that cut a nurse, a dressing put on a graze
    "glass_cut": "พยาบาลถูกเศษกระจกบาดข้อมือขณะเก็บขวดน้ำเกลือที่แตก ล้างแผล ปิดพลาสเตอร์",
    "graze": "ผป.สูงอายุแขนมีแผลถลอกจากขอบเตียง ใช้ผ้าก๊อซปิดแผล",
    # another mother's expressed milk given in the NICU
    "nicu_milk": "NICU: ให้นมแม่ของทารกเตียง 3 แก่ทารกเตียง 5 ทางสาย 10 ml พบตอนตรวจสอบขวด",
    # a drug prescribed without indication, queried by the pharmacist
    "no_indication": "แพทย์สั่งยาปฏิชีวนะให้ผู้ป่วยที่ไม่มีข้อบ่งชี้ เภสัชกรทักท้วง แพทย์ยกเลิก",
    # the wrong side marked, the mark redone and the right side operated
    "mark_redone": "Sign in พบ mark site ที่เข่าซ้าย แต่ใบ consent เป็นเข่าขวา ทำเครื่องหมายใหม่ ผ่าตัดถูกข้าง",
}


@pytest.mark.parametrize("text", list(NOT_SENTINEL.values()), ids=list(NOT_SENTINEL))
def test_look_alikes_stay_quiet(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert not r.sentinel, r.details


def test_drug_named_as_treatment_is_no_medication_cause(analyzer: Analyzer) -> None:
    r = incident(
        analyzer, "ICU เวรดึก พยาบาล 2 คนดูแล 8 เตียง พลิกตัวคนเดียว ETT เลื่อนหลุด SpO2 60% ให้ adrenaline 1 mg ใส่ท่อใหม่"
    )
    assert "medication" not in {t.code for t in r.topics}, r.details["cause"]
    # a drug given in place of another is a medication cause
    r = incident(analyzer, "จ่าย diazepam 10 mg แทน 1 mg ตามคำสั่ง ผป.ซึม ปลุกตื่น")
    assert "medication" in {t.code for t in r.topics}, r.details["cause"]


def test_unit_drug_run_out_is_medication(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ยาในหอศัลยกรรมหมด ไม่มีใครเบิกเพิ่ม ผป.ได้ยาปฏิชีวนะช้า 3 ชม. ไข้สูงขึ้น")
    assert "medication" in {t.code for t in r.topics}, r.details["cause"]


def test_ambulance_that_failed_a_referral_is_parking_access(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ส่งต่อผป.ไส้ติ่งอักเสบไป รพ.ศูนย์ รถ refer คันเดียวออกไปรับผป.อื่น รถสำรองสตาร์ทไม่ติด รอ 90 นาที")
    codes = {t.code for t in r.topics}
    assert "parking_access" in codes and "process" not in codes, r.details["cause"]


CODES = {
    "tb_open_ward": ("ผป.ไอเรื้อรังนอน ward รวม 3 วัน ไม่ได้แยกห้อง ผล AFB positive ย้ายห้องความดันลบ", "CPI204"),
    "staff_post": ("ผู้ช่วยพยาบาลถ่ายคลิปผป.ติดเตียงขณะอาบน้ำ โพสต์ลงกลุ่มไลน์เพื่อน เห็นหน้าผป.", "GPS203"),
    "dialysis_drop": ("ไตเทียม: ตั้ง UF สูงเกิน ผป.บ่นหน้ามืด BP 70/40 หยุด UF ให้ NSS 200 ml", "CSM605"),
    "pep_late": ("พยาบาลถูกเข็มตำ ผป.ต้นทาง HIV positive แต่ยา PEP ไม่มีในคลัง ได้รับยาช้า 20 ชม.", "GPI104"),
}


@pytest.mark.parametrize(("text", "code"), list(CODES.values()), ids=list(CODES))
def test_code_families_are_suggested(analyzer: Analyzer, text: str, code: str) -> None:
    r = incident(analyzer, text)
    assert code in [c.code for c in r.risk_codes], [(c.code, c.evidence) for c in r.risk_codes]


def test_interaction_is_the_first_code(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ระบบเตือน DDI ถูกปิด ผป.ได้ warfarin ร่วมกับ fluconazole INR 7.8 เลือดออกตามไรฟัน")
    assert r.risk_codes[0].code == "CPM107", [(c.code, c.evidence) for c in r.risk_codes]


def test_allergy_history_named_as_data_is_no_allergy_event(analyzer: Analyzer) -> None:
    r = incident(analyzer, "งานเวชระเบียน: ประวัติแพ้ยาอยู่ในแฟ้มเก่า ไม่ได้ scan เข้าระบบ พบตอนทบทวน")
    assert "CPM105" not in [c.code for c in r.risk_codes[:1]], [(c.code, c.evidence) for c in r.risk_codes]
    # an allergy that happened is still one
    r = incident(analyzer, "ผป.มีประวัติแพ้ยา sulfa ได้รับ co-trimoxazole เกิดผื่นทั้งตัว")
    assert "CPM105" in [c.code for c in r.risk_codes], [(c.code, c.evidence) for c in r.risk_codes]


@pytest.mark.parametrize(
    "text",
    [
        "ER: ผู้ป่วยเจ็บแน่นหน้าอก ถูก under triage ให้นั่งรอที่ OPD 45 นาที",
        "คัดกรองผิดระดับ ชายมีไข้สูงซึม ให้รอคิวทั่วไป",
        "ระดับ 2 แต่คัดกรองเป็น ระดับ 4 รอตรวจ 1 ชม.",
    ],
)
def test_an_under_triage_is_a_care_cause_whatever_the_codes_vote(text: str) -> None:
    """The lead, after the retrain: "ESI 2 ถูก triage เป็น ESI 4 รอ 50 นาที" kept its clinical_care only while the
    codes' vote passed CAUSE_VOTE_ADDS; an under-triage told is now a contributing cause of its own."""
    from nlp.nrls import contributing_causes

    assert "clinical_care" in contributing_causes(text)


@pytest.mark.parametrize("text", ["ESI 2 ได้ตรวจภายใน 5 นาที", "คัดกรองเป็นระดับ 3 ตามเกณฑ์ รอ 20 นาที", "ระดับ 1 ใส่ท่อ"])
def test_a_triage_level_told_plainly_is_no_care_cause(text: str) -> None:
    from nlp.nrls import contributing_causes

    assert "clinical_care" not in contributing_causes(text)
