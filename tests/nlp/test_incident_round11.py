"""Issue 14, round 11: incident families read from the analyser's errors on tune25.jsonl's incident lines (heldout9
retired).

Each report is written here the way staff type into the risk system, unlike tune25's lines, with look-alikes that must
stay quiet. Sentinel, heard now: a criminal complaint told by its summons or charge; a procedure done and then the
patient found to be another of the same name; a baby's wristband read with the other baby's name; climbing out over a
balcony or a window; an emergency operation and then days in the ICU (H). Not sentinel any more: the bodies a mortuary
handles; the NEWS early-warning score; a list of vaccines ending in a notifiable disease; dialysis that was not needed;
sight that came back. Severity on the general scale: things priced each and counted, a threat with the police told, a
push, a drip, a service stopped for hours told by what replaced it, patients switched to a backup (counted); a worker
caught by a machine or pricked by a needle of a source patient is graded 1–5, a patient's own self-harm on the clinical
scale. Causes: a late meal tray, a nurse census told with babies or children, an old-version sheet, an order another
unit never saw, procurement (process), "ผู้เสียหาย" is no broken device. Codes: a worker caught (GPP103), a needle
told as "ตำ" (GPI101), a shock right after a jab (CPM105), an ER stay in hours (CPE409), two patients of one name
(CPP101), a scope not leak-tested (CPI204)."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band, code_topic, contributing_causes, general_level, staff_harmed
from tests.support import incident


def _codes(r: object) -> list[str]:
    return [c.code for c in r.risk_codes]  # type: ignore[attr-defined]


SENTINEL = {
    # a criminal complaint against staff, told by the summons or the charge (not "ฟ้อง", "ดำเนินคดี")
    "summons": "ฝ่ายกฎหมาย: สถานีตำรวจส่งหมายเรียกพยาบาลห้องคลอดไปให้ถ้อยคำ กรณีสามีผู้คลอดร้องทุกข์",
    "charge": "ครอบครัวผู้ป่วยร้องทุกข์ต่อตำรวจข้อหาประมาทเป็นเหตุให้ผู้อื่นได้รับอันตรายสาหัส ต่อศัลยแพทย์",
    # the procedure done, then the patient found to be someone else
    "other_patient": "หน่วยส่องกล้อง: colonoscopy เสร็จแล้ว จึงพบว่าเป็นนายสมชาย อีกคนที่รอคิวห้องข้างๆ",
    "not_booked": "ตัดชิ้นเนื้อปากมดลูกไปแล้ว ตรวจเอกสารภายหลัง ผู้ป่วยรายนี้ไม่มีนัดหัตถการวันนี้",
    # the baby's wristband read with the other baby's name before the denial
    "wristband_name": "มารดาเตียง 3 อ่านสายรัดข้อมือลูกเป็นชื่อ ด.ญ.บุตรนาง ก. ไม่ใช่ของตน แจ้งพยาบาลหลังให้นมแล้ว",
    # climbing out over a balcony
    "balcony": "ผู้ป่วยชายติดสุรา ปีนไปทางระเบียงชั้น 4 ตกลงมาบนหลังคาโรงรถ ข้อเท้าหัก",
    # an emergency operation and then days in the ICU
    "rescue_op": "หลัง ERCP ผป.ปวดท้องมาก CT พบลำไส้ส่วนต้นทะลุ ส่งผ่าตัดด่วน หลังผ่าตัด ICU 3 วัน",
}


@pytest.mark.parametrize("text", list(SENTINEL.values()), ids=list(SENTINEL))
def test_sentinel_families_are_heard(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.sentinel, r.details


NOT_SENTINEL = {
    # a mortuary's bodies and the deaths that made them
    "mortuary_fridge": "ห้องเย็นเก็บศพ คอมเพรสเซอร์เสียช่วงกลางคืน ย้ายศพ 4 รายไปตู้ชั่วคราว ช่างซ่อมเสร็จบ่าย",
    "tags_swapped": "ห้องศพ: ป้ายชื่อศพ 2 รายที่เสียชีวิตเมื่อคืนติดสลับกัน ญาติทักก่อนรับกลับ",
    # the early-warning score
    "news_score": "ward: ไม่ได้คิดคะแนน qSOFA/NEWS ทุก 4 ชม. ผป.ไข้สูงขึ้น แพทย์ปรับยา",
    "news_number": "NEWS 7 ตั้งแต่เวรบ่าย ไม่ได้รายงานแพทย์ ย้ายห้องสังเกตอาการ ให้สารน้ำ",
    # a list of vaccines ending in a notifiable disease's name
    "vaccine_list": "ตู้แช่วัคซีนไฟดับทั้งคืน ทิ้งวัคซีน BCG, หัด, ไข้สมองอักเสบ รวม 300 โด๊ส",
    # dialysis that was not needed
    "no_dialysis": "หลังฉีดสีทำ CT creatinine ขึ้นจาก 1.2 เป็น 3.0 ต้องนอนต่อ 4 วัน ไม่ต้องฟอกไต",
    # sight that came back
    "sight_back": "หลังฉีดยาเข้าวุ้นตา ตามัว VA HM วันรุ่งขึ้น หยอดยาลดความดันตา 1 เดือนต่อมา VA 20/30",
    # patients of one name told apart before the scope
    "told_apart": "เรียกชื่อนางสมใจ มีผู้ป่วยลุกมา 2 คน ตรวจสอบวันเกิดก่อนเข้าห้องส่องกล้อง พบว่าเป็นนางสมใจ อีกคน ส่งกลับไปนั่งรอ",
    # a wristband checked and found right
    "wristband_right": "ตรวจป้ายข้อมือทารกเป็นชื่อ ด.ช.ลูกนาง ข. ตรงกับมารดา ก่อนส่งให้ดูดนม",
    # an emergency operation and a ward stay (tune21 labels it F)
    "op_ward_stay": "ส่องกล้องแล้วลำไส้ทะลุ ผ่าตัดฉุกเฉิน นอนโรงพยาบาลต่อ 6 วัน",
}


@pytest.mark.parametrize("text", list(NOT_SENTINEL.values()), ids=list(NOT_SENTINEL))
def test_look_alikes_stay_quiet(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert not r.sentinel, r.details


STILL_SENTINEL = {
    # a body found is still a death, mortuary named or not
    "body_found": "ผป.สมองเสื่อมหายจากหอ เช้าพบศพที่บ่อน้ำหลังห้องเก็บศพ",
    # the news as the media, a vaccine missed and the disease caught, dialysis that was needed, sight that stayed lost
    "news_media": "ญาติให้สัมภาษณ์ news ท้องถิ่นว่า รพ.ปล่อยให้แม่นอนรอจนทรุด",
    "caught_disease": "เด็กไม่ได้รับวัคซีน ติดคอตีบ นอนห้องรวม 2 วันก่อนแยกห้อง",
    "dialysis_needed": "หลังฉีดสีทำ CT creatinine ขึ้นจาก 1.2 เป็น 6.0 ต้องฟอกไต",
    "sight_lost": "หลังฉีดยาเข้าวุ้นตา ตามัว VA HM 3 เดือนต่อมายังมองเห็นแค่แสง",
}


@pytest.mark.parametrize("text", list(STILL_SENTINEL.values()), ids=list(STILL_SENTINEL))
def test_the_events_beside_the_look_alikes_are_still_heard(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.sentinel, r.details


def test_emergency_operation_then_icu_days_is_a_rescue(analyzer: Analyzer) -> None:
    assert incident(analyzer, SENTINEL["rescue_op"]).severity == "H"
    assert band(incident(analyzer, NOT_SENTINEL["op_ward_stay"]).severity) == "EF"


def test_death_denied_is_no_death(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ผู้ป่วยเด็ก 3 รายในห้องรวมติดอีสุกอีใส ให้ acyclovir ทุกราย ไม่มีผู้ป่วยเสียชีวิต")
    assert band(r.severity) != "GI", r.details["severity_reasons"]
    # a death told after an inability is still one (not "ไม่ได้ ผป.เสียชีวิต")
    r = incident(analyzer, "รถกู้ชีพ: AED แบตหมด ช็อกไม่ได้ ผป.เสียชีวิต")
    assert band(r.severity) in ("GI", "45"), r.details["severity_reasons"]


def test_a_swapped_baby_is_no_permanent_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, SENTINEL["wristband_name"])
    assert r.sentinel and band(r.severity) != "GI", (r.severity, r.details["severity_reasons"])


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # things priced each and counted
        ("เครื่องวัดความดันอัตโนมัติ 3 เครื่อง (เครื่องละ 30,000 บาท) หายจากหอ แจ้ง รปภ.", "4"),
        ("ค่าจอดรถชั่วโมงละ 20 บาท ญาติไม่พอใจ", "2"),
        # a threat with the police told, and without them
        ("ชายเมาสุราขู่จะฟันเจ้าหน้าที่เวรเปล ตำรวจมาคุมตัวไป", "3"),
        ("ญาติขู่จะร้องเรียน ผอ. หัวหน้าตึกไกล่เกลี่ย เข้าใจกันดี", "1"),
        # a push, a drip
        ("พนักงานเปล 2 คนผลักกันหน้าลิฟต์", "3"),
        ("แม่ครัวเป็นลมในครัวร้อน ให้น้ำเกลือที่ ER", "3"),
        # a service stopped for hours, told by what replaced it or how long it took to come back; a short one
        ("ระบบเรียกคิวห้องยาค้าง ต้องเขียนมือ 4 ชั่วโมง", "3"),
        ("น้ำประปาไม่ไหลทั้งตึก 3 ชม. กว่าจะซ่อมเสร็จ", "3"),
        ("ระบบเรียกคิวค้าง 10 นาที รีสตาร์ทแล้วใช้ได้", "2"),
        # patients switched to a backup, counted
        ("ท่อออกซิเจนรั่ว ต้องเปลี่ยนผู้ป่วย 12 รายไปใช้ถังออกซิเจน", "4"),
    ],
)
def test_general_levels_read_from_what_the_report_tells(text: str, level: str) -> None:
    assert general_level(text.lower()) == level


def test_worker_caught_is_graded_1_to_5_however_the_rescue_is_told(analyzer: Analyzer) -> None:
    r = incident(analyzer, "คนงานก่อสร้างตกลงไปในบ่อพักน้ำ ถูกทับด้วยแผ่นปูน หมดสติ CPR 20 นาที เสียชีวิต")
    assert r.details["scale"] == "general" and r.severity == "5", (r.details["scale"], r.severity, _codes(r))
    assert "clinical_care" not in {t.code for t in r.topics}, r.details["cause"]
    # a patient caught by a door is no worker
    assert not staff_harmed("ผู้ป่วยเด็กนิ้วถูกประตูห้องน้ำหนีบ บวม ประคบเย็น")


def test_needle_of_a_source_patient_is_a_staff_exposure() -> None:
    assert staff_harmed("แม่บ้านเก็บขยะ เข็มที่ทิ้งในถุงดำตำนิ้ว ไม่ทราบผู้ป่วยต้นทาง ให้ PEP")
    assert not staff_harmed("พยาบาลเจาะเลือดผู้ป่วยซ้ำ 3 ครั้ง แขนช้ำ")


def test_a_patients_self_harm_is_on_the_clinical_scale(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ผู้ป่วยชายซึมเศร้า ผูกผ้าขนหนูกับราวม่านในห้องน้ำ คล้องคอ พยาบาลพบทัน ปลดออก รู้สึกตัวดี")
    assert r.sentinel and r.details["scale"] == "clinical", (r.details["scale"], _codes(r))
    # a thief who fled is no patient who left the ward
    r = incident(analyzer, "ผู้ป่วยแจ้งว่ากระเป๋าเงินหาย คนร้ายหลบหนีไปทางลานจอดรถ แจ้งความ สภ.เมือง")
    assert r.details["scale"] == "general", (r.details["scale"], _codes(r))


CAUSES = {
    # a meal tray that came late after the insulin
    "late_tray": ("ฉีดอินซูลินก่อนมื้อเที่ยง 11.30 แต่อาหารมาถึง 13.10 ผป.ใจสั่น DTX 50", "food"),
    # a nurse census told with children or babies, a shift left at a number
    "census_children": ("เวรบ่ายพยาบาล 2 คนรับเด็กป่วย 30 ราย ให้ยาไม่ทันเวลา", "staffing"),
    "census_beds": ("หอทารกแรกเกิด 24 เตียง พยาบาล 2 วัด V/S ไม่ครบทุกราย", "staffing"),
    "shift_left": ("พยาบาลเวรเหลือ 1 ผป.ตกเตียงตอนตี 3", "staffing"),
    # an old version handed out, an order another unit never saw or was never told
    "old_sheet": ("แผ่นพับเตรียมตัวก่อนผ่าตัดที่แจกเป็นฉบับเก่า ผป.ไม่ได้งดยาละลายลิ่มเลือด", "communication"),
    "order_unseen": ("หอผู้ป่วยไม่เห็น order ให้ยาปฏิชีวนะ ผป.ได้ยาช้า 6 ชม.", "communication"),
    "unit_untold": ("เลื่อนผ่าตัดแต่ไม่ได้แจ้งโภชนาการ ผป.ได้อาหารเที่ยง", "communication"),
    # a scope not leak-tested
    "leak_test": ("หน่วยส่องกล้อง: bronchoscope ไม่ได้ทำ leak test ก่อนล้าง ใช้กับผู้ป่วย 2 ราย", "safety_privacy"),
}


@pytest.mark.parametrize(("text", "topic"), list(CAUSES.values()), ids=list(CAUSES))
def test_causes_heard_in_the_narrative(text: str, topic: str) -> None:
    assert topic in contributing_causes(text)


NOT_CAUSES = {
    # fasting until a time is no late tray
    "npo_until": ("ผป.งดน้ำงดอาหารถึง 10.00 น. ตามแผน", "food"),
    # two nurses and one child
    "one_child": ("พยาบาล 2 คนช่วยกันอุ้มเด็ก 1 ราย ขึ้นเตียง", "staffing"),
    # a pulse not felt, the team called
    "team_called": ("คลำชีพจรไม่ได้ แจ้งทีม code blue ทำ CPR", "communication"),
    # a new version used
    "new_form": ("ใช้แบบฟอร์มประเมินฉบับใหม่ตั้งแต่เดือนนี้", "communication"),
    # drugs whose names look alike are no identification error
    "lasa": ("จ่าย Losec แทน Lasix ชื่อยาคล้ายกัน 2 ราย", "safety_privacy"),
    # the victim of a theft is no broken machine
    "victim": ("ตู้ล็อกเกอร์ถูกงัด โทรศัพท์ 1 เครื่อง ผู้เสียหายแจ้งความ", "environment"),
}


@pytest.mark.parametrize(("text", "topic"), list(NOT_CAUSES.values()), ids=list(NOT_CAUSES))
def test_look_alike_causes_stay_quiet(text: str, topic: str) -> None:
    assert topic not in contributing_causes(text)


def test_procurement_is_process_and_money_is_cost_rights() -> None:
    assert code_topic("GOE201") == "process"
    assert code_topic("GOE101") == "cost_rights"


CODES = {
    "worker_caught": ("คนงานโรงซักฟอกยื่นมือเข้าไปในเครื่องรีดผ้า ถูกหนีบนิ้ว 2 นิ้ว ส่ง ER เย็บแผล", "GPP103"),
    "worker_crushed": ("พนักงานขับรถขนขยะ ลงไปเก็บถุงท้ายรถ ระบบยกถังทำงาน ถูกทับเท้า", "GPP103"),
    "pricked": ("คนงานเก็บผ้าเปื้อนจากหอศัลย์ ปลายเข็มในกองผ้าตำฝ่ามือ", "GPI101"),
    "needle_in_linen": ("ซักฟอกพบเข็มฉีดยาปนมากับผ้าเปื้อน 2 อัน ไม่มีใครบาดเจ็บ", "GPI101"),
    "jab_shock": ("หลังฉีด ceftriaxone แล้วช็อก BP 60/40 ให้ adrenaline", "CPM105"),
    "er_hours": ("ชายหลังให้ยาละลายลิ่มเลือด รอเตียงหน่วยโรคหลอดเลือดสมองที่ ER 10 ชม. ญาติป้อนน้ำ สำลัก", "CPE409"),
    "same_name": ("ห้องแล็บ: หลอดเลือด 2 หลอดของผู้ป่วยนามสกุลเดียวกัน 2 ราย ติดสติกเกอร์สลับ", "CPP101"),
}


@pytest.mark.parametrize(("text", "code"), list(CODES.values()), ids=list(CODES))
def test_code_families_come_first(analyzer: Analyzer, text: str, code: str) -> None:
    r = incident(analyzer, text)
    assert _codes(r)[:1] == [code], [(c.code, c.evidence) for c in r.risk_codes]


def test_scope_not_leak_tested_is_suggested_infection_control(analyzer: Analyzer) -> None:
    r = incident(analyzer, CAUSES["leak_test"][0])
    assert "CPI204" in _codes(r), [(c.code, c.evidence) for c in r.risk_codes]
