"""Issue 14, round 13: incident families read from the analyser's errors on tune32.jsonl's incident lines (heldout11
retired).

Each report is written here the way staff type into the risk system, unlike tune32's lines, with look-alikes that must
stay quiet: sentinel events told by their signs and acts (a push that broke a bone, a baby found to be another mother's
after the feed, an organ that lost its function, a drain redone on the other side, cash counted short with the police
told), and words that name no event (a burn unit, rice burnt in a pot, a cold sweat, a tube taken out, a bin kicked).
"""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band
from tests.support import codes, incident

# --- sentinel heard: seed 004's events told by their signs and acts ---------------------------------------------------

HEARD = {
    # severe violence: a relative shoves a nurse, her arm broken and plated (no police told)
    "push_fracture": "ER เวรบ่าย ญาติผป.ไม่พอใจรอนาน ผลักพยบ.หญิงล้มลงบันได แขนซ้ายหัก ต้องผ่าตัดดามเหล็ก ลางาน 2 เดือน",
    # a baby breastfed, then found to be another mother's
    "baby_fed": ("หลังคลอดเตียง 3 ดูดนมแม่ไป 20 นาที พยาบาลเวรเช้าเช็คป้าย พบว่าเด็กเป็นลูกของแม่เตียง 5 แยกคืนทันที แจ้งกุมารแพทย์"),
    # an organ that lost its function after an operation
    "organ_lost": (
        "ผ่าตัดไส้ติ่งแบบส่องกล้อง มีเลือดออกจาก epigastric a. หลังผ่าตัด hematoma กดท่อไต สุดท้ายไตขวาเสียหน้าที่ ทำ nephrectomy"
    ),
    # a drain put in on one side and then again on the other
    "drain_redo": (
        "ward อายุรกรรม แพทย์ใช้ทำ thoracentesis ข้างขวาตาม film ที่กลับด้าน ไม่มี fluid ตรวจ US ใหม่ ต้องเจาะข้างซ้ายใหม่ ผป.ปวดเพิ่ม"
    ),
    # cash counted short, the police told
    "cash_short": "ห้องการเงิน ER ส่งเวรเช้า นับยอดเงินสดขาดไป 7,200 บาท ไม่พบหลักฐาน หัวหน้าพาเจ้าหน้าที่ไปแจ้งความ สน.",
}


@pytest.mark.parametrize("key", list(HEARD))
def test_sentinel_told_by_its_signs_is_heard(analyzer: Analyzer, key: str) -> None:
    r = incident(analyzer, HEARD[key])
    assert r.sentinel, r.details


def test_an_organ_lost_is_permanent_harm(analyzer: Analyzer) -> None:
    r = incident(analyzer, HEARD["organ_lost"])
    assert r.severity == "G", (r.severity, r.details)


LOOKALIKES = {
    # a push with no injury worth more than a look: not severe violence
    "push_no_harm": "ญาติเมาผลักพยาบาลที่หน้าเคาน์เตอร์ ไม่ได้รับบาดเจ็บ รปภ.เชิญออก ไม่ได้แจ้งตำรวจ",
    # a threat to push, the fracture is the patient's own from the crash that brought him
    "threat_only": "ผป.อุบัติเหตุรถล้ม แขนหัก รอผ่าตัด ขู่จะทำร้ายพยาบาลถ้าไม่ให้ยาแก้ปวดเพิ่ม",
    # the right baby fed, the band checked
    "baby_right": "มารดาเตียง 4 ให้นมลูก 15 นาที เช็คป้ายข้อมือทารกตรงกับมารดา เป็นลูกของมารดาเตียง 4 ถูกต้อง",
    # a drain on one side kept there
    "drain_one_side": "ใส่ ICD ข้างขวาตาม CXR ระบายเลือด 400 ml ผป.หายใจดีขึ้น ใส่ต่อ 3 วัน ถอดได้",
    # cash counted short, found in the drawer; nobody told the police
    "cash_found": "ปิดยอดเวรดึก นับเงินสดขาด 500 บาท ค้นพบธนบัตรตกหลังลิ้นชัก ยอดตรงกัน ไม่ได้แจ้งความ",
    # a burn unit named: no fire
    "burn_unit": "หอผู้ป่วยไฟไหม้น้ำร้อนลวก IC สุ่มดูการล้างมือ 40 ครั้ง ถูกต้อง 22 ครั้ง ยังไม่มีการติดเชื้อ",
    # rice burnt in a pot in the staff room: smoke, no flame
    "rice_burnt": "ห้องพักพยาบาล ward 7 ข้าวในหม้อหุงไหม้ติดก้น ควันขึ้น ไม่มีเปลวไฟ ถอดปลั๊ก เปิดหน้าต่างระบาย",
    # a cold sweat from a low sugar, woken with glucose
    "cold_sweat": "ผป.เบาหวาน 04.00 พูดสับสน เหงื่อแตกตัวเย็น DTX 41 ให้ 50% glucose 50 ml รู้สึกตัวดี ได้ยา glipizide ซ้ำมื้อเย็น",
    # a tube taken out early, stridor eased with a mask
    "extubated": "หลังผ่าตัดต่อมทอนซิล ถอด ETT ตอนยังไม่ตื่นดี มีเสียง stridor SpO2 84% ทำ CPAP ดีขึ้นภายใน 5 นาที ไม่ได้ใส่ท่อใหม่",
    # a bin kicked by a drunk visitor, nobody hurt
    "bin_kicked": "รปภ.ดึก ชายเมาเตะถังขยะหน้าตึกอายุรกรรม ตะโกนเสียงดัง พาออกไปนอกรั้ว ไม่มีผู้บาดเจ็บ",
    # a wrong site marking caught at the time-out
    "site_caught": (
        "OR 5 ทำ time-out ก่อนดมยา พบว่า site marking อยู่เข่าซ้าย แต่ consent ระบุเข่าขวา หยุดก่อน mark ใหม่ ผ่าตัดตามแผน"
    ),
    # a sick nurse who worked a shift with patients, no second case
    "one_flu": ("อาชีวอนามัย: ผู้ช่วยพยาบาลไอ มีไข้ ขึ้นเวรดูแลผู้ป่วยสูงอายุ 10 ราย ตรวจพบ influenza B ให้พัก 5 วัน ไม่มีผู้ป่วยติดเพิ่ม"),
    # a fire alarm, everyone made ready: no evacuation
    "made_ready": "สัญญาณเตือนไฟดังที่ตึกสูติ ทุกคนเตรียมอพยพ ตรวจพบเป็นฝุ่นในหัวจับควัน ช่างรีเซ็ตระบบ 10 นาที",
}


@pytest.mark.parametrize("key", list(LOOKALIKES))
def test_lookalikes_are_no_sentinel(analyzer: Analyzer, key: str) -> None:
    r = incident(analyzer, LOOKALIKES[key])
    assert not r.sentinel, r.details


def test_made_ready_to_leave_is_no_evacuation_level(analyzer: Analyzer) -> None:
    r = incident(analyzer, LOOKALIKES["made_ready"])
    assert band(r.severity) != "45", (r.severity, r.details)
    # an evacuation done stays 4–5
    r = incident(analyzer, "ควันจากห้องเก็บผ้าชั้น 3 อพยพผู้ป่วย 20 รายลงชั้นล่าง ใช้ถังดับเพลิง 2 ถัง")
    assert band(r.severity) == "45", (r.severity, r.details)


# --- causes told in words the older rules miss ------------------------------------------------------------------------

CAUSES = {
    # staffing: nurses and helpers against the census, a nurse for several machines, a midwife away on a referral
    "rn_pn_census": (
        "ward ศัลยกรรมหญิง เวรดึก RN 1 PN 1 ดูแล 30 เตียง ผป.สูงอายุลุกไปห้องน้ำเอง ลื่นล้มก้นกระแทก x-ray ไม่พบกระดูกหัก",
        "staffing",
    ),
    "machines_unit": ("รอบเช้า พยาบาล HD 1 คน ดูแล 4 เครื่อง ผป.เข็มหลุดเลือดออกใต้ผ้าห่ม Hb ลด 2 g ให้ PRC", "staffing"),
    "births_at_once": (
        "ห้องคลอด พยาบาลผดุงครรภ์ 2 คน ผู้คลอด active 3 ราย พร้อมกัน มารดาหลังคลอดไม่มีใครประเมิน เสียเลือด 800 ml",
        "staffing",
    ),
    "away_refer": ("ห้องคลอดกลางคืน พยาบาล 2 คน อีกคนไป refer มารดาตกเลือดหลังคลอดไม่มีใครคลึงมดลูก เสียเลือด 700 ml", "staffing"),
    # environment: suction that will not draw, old wiring, a pump that runs fast, a roof leaking, a fence with a hole,
    # a ligature point, a lift missing
    "suction": (
        "ระหว่างนำส่ง ลูกยางต่อสายดูดเสมหะดูดไม่ขึ้นเพราะขวดรองรับแตก ผป.เสมหะครืดคราด SpO2 88% ต้องจอดรถเคาะปอด",
        "environment",
    ),
    "pump_fast": ("ผป.ได้ KCl drip ผ่านเครื่อง infusion ไหลเร็วกว่าที่ตั้ง 2 เท่า K ซ้ำ 5.9 หยุดยา เฝ้า EKG", "environment"),
    "roof": ("แม่บ้านลื่นที่ทางเดินหน้าตึก OPD น้ำฝนรั่วจากหลังคา ข้อเท้าพลิก ใส่ splint หยุดงาน 3 วัน", "environment"),
    "fence": ("ผป.สมองเสื่อมเดินออกนอกตึกตอนค่ำ ลอดผ่านรั้วหลังโรงอาหารที่มีช่องขาด ญาติตามเจอที่ปั๊มน้ำมัน", "environment"),
    "ligature": ("หอจิตเวชชาย ผป.เอาเชือกผ้าคล้องคอกับราวในห้องอาบน้ำซึ่งเป็นจุดผูกได้ พยาบาลพบทันช่วยลง รู้สึกตัวดี", "environment"),
    "lift_missing": ("ห้องกายภาพไม่มีเครื่องยกผู้ป่วย นักกายภาพยกผป.อัมพาตขึ้นเตียงเอง ปวดหลังต้องพักงาน 2 วัน", "environment"),
    # process: no step or backup written, a worker not trained, an alert that did not show, a new version overnight,
    # two HNs, a death certificate keyed wrong, a form with no field, money spent outside the plan, a dismissal suit
    "no_backup": ("ระบบน้ำ RO ของไตเทียมเสีย 3 วัน ไม่มีแผนสำรองส่งผป.ไปฟอกที่อื่น ผป. 2 รายหอบเหนื่อยต้องมา ER", "process"),
    "not_trained": ("จพ.เภสัชใหม่ยังไม่ได้อบรมเรื่องยา high alert จัด KCl ให้ ward โดยไม่ติดป้าย พยาบาลเห็นก่อนผสม", "process"),
    "no_alert": ("สั่ง Warfarin ร่วมกับ Fluconazole ระบบไม่ขึ้นเตือนยาตีกัน INR 6.8 มีจ้ำเลือดตามแขน หยุดยา", "process"),
    "two_hn": (
        "ผป.หญิงมี HN สองหมายเลข บันทึกแพ้ penicillin ไว้ใน HN แรก แพทย์เปิดอีก HN สั่ง amoxicillin เภสัชทักทันก่อนจ่าย",
        "process",
    ),
    "death_cert": ("ญาตินำมรณบัตรไปยื่นธนาคาร พบชื่อผู้ตายสะกดไม่ถูก ต้องกลับมาแก้ที่ รพ.", "process"),
    "plan_rules": ("สตง.ตรวจพบจัดซื้อเก้าอี้ 40 ตัวไม่ได้อยู่ในแผนและไม่ได้ขออนุมัติ ต้องชี้แจงภายใน 15 วัน", "process"),
    "dismissal": ("ลูกจ้างแม่บ้านยื่นฟ้องว่าถูกเลิกจ้างไม่เป็นธรรม ไม่มีหนังสือเตือนตามระเบียบ ผอ.ต้องไปให้การ", "process"),
}


@pytest.mark.parametrize("key", list(CAUSES))
def test_causes_told_in_new_words(analyzer: Analyzer, key: str) -> None:
    text, topic = CAUSES[key]
    r = incident(analyzer, text)
    assert topic in codes(r), (codes(r), r.details.get("cause"))


NOT_CAUSES = {
    # a relative, not a nurse, away with another patient
    "relative_away": ("ญาติมา 2 คน อีกคนไปส่งผู้ป่วยเตียงข้างๆ ที่ลานจอด ผป.ลุกเองลื่นล้มในห้องน้ำ ไม่มีแผล", "staffing"),
    # a camera out beside a theft stays the theft's
    "camera": ("กระเป๋าญาติหายจากเก้าอี้หน้าห้อง ICU กล้องวงจรปิดจุดนั้นเสีย แจ้งความแล้ว", "environment"),
    # no guideline alone (the older files: the event's own cause)
    "no_guideline": ("ไม่มีแนวทางการให้ยา heparin ใน ward นี้ ผป.ได้ยาตามขนาดเดิม aPTT สูง หยุดยา 1 ชม.", "process"),
    # training done, the alert shown
    "trained": ("จพ.ใหม่ผ่านการอบรมแล้ว จ่ายยาถูกต้อง ระบบขึ้นเตือนแพ้ยา เภสัชโทรยืนยันกับแพทย์ เปลี่ยนยา", "process"),
}


@pytest.mark.parametrize("key", list(NOT_CAUSES))
def test_lookalike_causes_stay_off(analyzer: Analyzer, key: str) -> None:
    text, topic = NOT_CAUSES[key]
    r = incident(analyzer, text)
    assert topic not in codes(r), (codes(r), r.details.get("cause"))


# --- severity bands -------------------------------------------------------------------------------------------------


def test_a_check_that_left_out_the_failed_part_is_no_drill(analyzer: Analyzer) -> None:
    # the ambulance was checked but its suction was not tested; the tube blocked and had to go in again: H
    r = incident(
        analyzer,
        "รถ refer ตรวจเช็คก่อนออกแต่ไม่ได้ทดสอบเครื่องดูดเสมหะ ระหว่างทางท่อช่วยหายใจอุดตัน SpO2 58% ต้อง re-intubate ที่ รพ.ปลายทาง",
    )
    assert band(r.severity) == "GI", (r.severity, r.details)
    # a device sent to be checked after the harm: the harm stands (E–F), no drill
    r = incident(
        analyzer,
        "ผป.ได้ heparin ผ่าน pump เร็วเกิน aPTT 150 มีเลือดออกที่แผล ให้ FFP 2 unit ส่งเครื่องไปตรวจเช็คที่ศูนย์เครื่องมือ",
    )
    assert band(r.severity) == "EF", (r.severity, r.details)
    # a real drill stays A
    r = incident(analyzer, "ซ้อมแผน code blue ใน ward ใช้หุ่นจำลอง ทีมมาถึงใน 4 นาที เครื่อง defib แบตอ่อน")
    assert r.severity == "A", (r.severity, r.details)


def test_a_palliative_patient_found_hanged_is_no_expected_death(analyzer: Analyzer) -> None:
    r = incident(
        analyzer,
        "หอประคับประคอง ผป.มะเร็งตับระยะสุดท้าย DNR พบห้อยอยู่กับราวแขวนผ้าในห้องน้ำ ไม่มีชีพจร CPR ไม่ได้ผล แพทย์ประกาศเสียชีวิต",
    )
    assert r.severity == "I" and r.sentinel, (r.severity, r.details)
    assert "safety_privacy" in codes(r), codes(r)
    # the expected death stays expected (no suicide act told)
    r = incident(analyzer, "หอประคับประคอง ผป.มะเร็งตับระยะสุดท้าย DNR เสียชีวิตอย่างสงบตามแผน ญาติอยู่ด้วย ใบรับรองการตายพิมพ์ช้า")
    assert r.severity not in ("H", "I"), (r.severity, r.details)


GENERAL_LOW = {
    # "ชก" inside "เภสัชกร" is no punch
    "pharmacist": "ศูนย์รับเรื่องร้องเรียน: ญาติร้องทาง LINE ว่าเภสัชกรพูดห้วนๆ ไม่สุภาพ หัวหน้างานโทรขอโทษแล้ว",
    # a bin kicked is no blow to anyone
    "kicked_bin": "ยามกะดึก ญาติเมาเตะถังขยะหน้าตึกหลายครั้ง ไม่มีใครบาดเจ็บ ไม่ได้แจ้งตำรวจ",
    # a worker's eyes stung, washed, better by himself, no doctor
    "no_doctor": "ห้องพยาธิ: จนท.เทน้ำยาไม่ใส่แว่น แสบตาเล็กน้อย ล้างตาที่อ่าง หายเอง ไม่ได้ไปพบแพทย์",
}


@pytest.mark.parametrize("key", list(GENERAL_LOW))
def test_general_reports_with_no_harm_done_stay_low(analyzer: Analyzer, key: str) -> None:
    r = incident(analyzer, GENERAL_LOW[key])
    assert r.severity in ("1", "2"), (r.severity, r.details)


def test_general_harm_done_stays_three(analyzer: Analyzer) -> None:
    # a punch that landed, a worker who saw the doctor: 3
    r = incident(analyzer, "ญาติชกหน้า รปภ. ปากแตก เย็บ 3 เข็ม แจ้งความ สภ.")
    assert r.severity in ("3", "4", "5"), (r.severity, r.details)
    r = incident(analyzer, "แม่บ้านโดนน้ำยาล้างห้องน้ำกระเด็นเข้าตา แสบตามาก ไปพบแพทย์ที่ ER ล้างตา ให้ยาหยอด")
    assert r.severity == "3", (r.severity, r.details)


# --- codes ----------------------------------------------------------------------------------------------------------

CODES = {
    "CPP402": "ตึกอายุรกรรม พบผป.ชายห้อยอยู่กับขื่อห้องเก็บของด้วยสายยาง ไม่มีชีพจร CPR 20 นาที ROSC",
    "GPM208": "ลูกจ้างเหมาบริการยื่นฟ้องต่อศาลปกครองขอให้เพิกถอนคำสั่งไม่ต่อสัญญา นิติกรเตรียมคำชี้แจง",
    "GOS301": "ฝนตกทั้งคืน น้ำป่าไหลเข้า รพ. ท่วมห้องเวชระเบียนชั้นล่าง แฟ้มเปียก 300 แฟ้ม",
    "GPE305": "หอจิตเวช ได้กลิ่นควันในห้องน้ำ พบผป.ชาย 2 คนเสพยาไอซ์ผ่านฟอยล์ ยึดอุปกรณ์ แจ้งแพทย์",
}


@pytest.mark.parametrize("code", list(CODES))
def test_codes_told_in_new_words_are_suggested(analyzer: Analyzer, code: str) -> None:
    r = incident(analyzer, CODES[code])
    assert code in [c.code for c in r.risk_codes[:3]], [c.code for c in r.risk_codes[:3]]
