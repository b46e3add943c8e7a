"""Issue 14: incident causes and sentinel signs read from the analyser's errors on tune30.jsonl (180 HRMS reports by a
new writer whose harm words point away from the cause, 48 sentinel told by signs and acts, helper nlp-inc30).

Each report here is phrased unlike tune30's lines (other units, trades, drugs and words), with look-alikes where the
word is only the setting, where the older files call it otherwise, or where the harm is denied, which must stay
quiet."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band, contributing_causes, sentinel_cues
from tests.support import codes, incident


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


CAUSES = {
    # cost_rights: a bill wrong, twice or too high, a deposit asked first, no money to pay, a right read as ending
    "billed_wrong": ("ห้องบัตรเก็บค่าบริการ ทันตกรรมผิดอัตรา ผป.บัตรทองต้องจ่ายเอง 1,200 บาท", "cost_rights"),
    "charged_twice": ("โปรแกรมการเงินคิดเงินค่า X-ray ซ้ำ ผป.ต้องกลับมาขอคืน", "cost_rights"),
    "overpaid": ("ญาติจ่ายเกินไป 600 บาท เพราะใบเสร็จรวมค่ายาที่คืนแล้ว", "cost_rights"),
    "deposit": ("ห้องผ่าตัดให้ญาติวางมัดจำก่อนใส่ขาเทียม ผ่าตัดเลื่อน 2 วัน", "cost_rights"),
    "no_money": ("ยายไม่มีเงินค่ารถมาตามนัด ขาดยาความดัน 1 เดือน stroke", "cost_rights"),
    "right_run_out": ("เจ้าหน้าที่แจ้งว่าสิทธิ์ประกันสังคมหมดแล้ว ผป.เลยไม่ผ่าตัด", "cost_rights"),
    "cash_first": ("คลินิกทันตกรรมขอให้ชำระเงินสดก่อน ผป.ฟันผุปวดกลับบ้าน", "cost_rights"),
    # process: orders the system carried forward, no form, no order for an act, a field lost on migration, a new
    # assessment with no box, a queue system that does not sort, nobody updating, a purchase late
    "carried_forward": ("HIS คัดลอกต่อจากการนอนครั้งก่อน ผป.ได้ digoxin ที่แพทย์หยุดแล้ว", "process"),
    "copy_order": ("ใช้ปุ่ม copy order ในระบบ ทำให้ได้ enoxaparin ซ้ำ 2 วัน", "process"),
    "no_form": ("จุดรับผป.จิตเวชไม่มีแบบบันทึกการตรวจค้นตัว เข็มขัดหลุดเข้า ward", "process"),
    "no_doctor_order": ("ใส่สายสวนปัสสาวะโดยไม่มีแพทย์สั่ง ผป.เป็น UTI", "process"),
    "migration": ("โอนข้อมูลจากโปรแกรมเก่าไม่ได้ย้ายน้ำหนักตัวเด็กมา คำนวณยาผิด", "process"),
    "new_assessment": ("แบบประเมินแผลกดทับในระบบใหม่ไม่มีช่องเรื่องโภชนาการ", "process"),
    "queue_system": ("ระบบคิวห้องยาไม่แยกคิวผป.สูงอายุ ยายเป็นลมหน้าห้องยา", "process"),
    "nobody_updates": ("ทะเบียนผป.ติดเตียงไม่มีผู้รับผิดชอบอัปเดต เยี่ยมบ้านผิดหลัง", "process"),
    "purchase_late": ("ฝ่ายพัสดุจัดซื้อน้ำยาล้างไตล่าช้า ผป. CAPD ขาดน้ำยา 3 วัน", "process"),
    # staffing: float or borrowed staff, one team, nobody of a kind on the rota
    "float": ("ER ได้พยาบาลลอยตัวจากคลินิกพิเศษ ใส่ ET tube ผิดขนาด", "staffing"),
    "never_worked_here": ("น้องจบใหม่ไม่เคยขึ้นเวร icu ถูกจัดให้ดูแลผป. on ventilator", "staffing"),
    "one_team": ("คืนวันอาทิตย์มีทีมดมยาชุดเดียว ผป.ไส้ติ่งแตกรอ 3 ชม.", "staffing"),
    "nobody_of_a_kind": ("ไม่มีนักเทคนิคการแพทย์อยู่เวร ผล troponin ออกตอนเช้า", "staffing"),
    "no_on_call": ("คืนนั้นไม่มีแพทย์ศัลย์ on call ต้อง refer ผป.แผลฉีก", "staffing"),
    # waiting: hours in a place of care, hours for a procedure, hours and no dose
    "hours_in_er": ("คุณยายรอที่ห้องฉุกเฉิน 7 ชม. กว่าจะได้เตียง นอนเปลเป็นแผลที่ก้น", "waiting"),
    "hours_for_procedure": ("ผป.นิ่วรอทำ ESWL นาน 3 ชั่วโมง ปวดจนอาเจียน", "waiting"),
    "hours_no_dose": ("เด็กรอ 4 ชม.ไม่ได้ฉีดยาฆ่าเชื้อ ไข้สูงชัก", "waiting"),
    # parking_access: the porter service, the only ambulance, a transfer vehicle without oxygen
    "porter_late": ("เวรเปลมาช้า 40 นาที ผป.ต้องไป cath lab ด่วน", "parking_access"),
    "no_porter": ("เวรดึกไม่มีพนักงานเปล พยาบาลเข็นผป.ไป CT เอง", "parking_access"),
    "stretchers": ("เปลหน้าตึกอุบัติเหตุมีไม่พอ ผป.นั่งรถเข็นทั้งที่ขาหัก", "parking_access"),
    "only_ambulance": ("รถ refer คันเดียวติดส่งผป.จิตเวช ผป.ครรภ์เป็นพิษต้องรอ", "parking_access"),
    "no_oxygen_o2": ("รถส่งต่อไป รพ.จังหวัด ไม่มี O2 สำรอง เด็กหอบเขียวกลางทาง", "parking_access"),
    # environment: a fitting broken or silent, a chair's leg or back broken, a flowmeter loose, a fitting missing
    "bell_silent": ("ออดเรียกพยาบาลห้อง 5 เสียมา 3 วัน ผป.ตะโกนเรียกจนล้ม", "environment"),
    "cabinet_lock": ("ตู้ยาเสพติดของหอล็อกไม่ได้ ยา morphine หาย 2 amp", "environment"),
    "chair_leg": ("เก้าอี้ที่ห้องฟังผล ขาหัก ผป.หญิงตั้งครรภ์หงายหลัง", "environment"),
    "flowmeter": ("flowmeter หัวเตียง 12 หลวม ออกซิเจนรั่ว ผป.เหนื่อยขึ้น", "environment"),
    "no_bed_rail": ("เปลนอนเด็กที่ ER ไม่มีราวกั้น เด็ก 2 ขวบตกเปล", "environment"),
    "no_lockers": ("ห้องแต่งตัวพยาบาลไม่มีล็อกเกอร์ กระเป๋าหาย", "environment"),
    # staff_behavior: curt talk, rough turning, care out of annoyance
    "curt": ("เจ้าหน้าที่ศูนย์เปลพูดห้วนกับญาติผป.ติดเตียง", "staff_behavior"),
    "rough_turn": ("ผู้ช่วยพลิกตัวผู้ป่วยอัมพาตแรงๆ จนสาย foley หลุด", "staff_behavior"),
    "annoyed": ("พยาบาลดูดเสมหะด้วยความรำคาญ ผป.เลือดออกในปาก", "staff_behavior"),
    # communication: the allergy history not asked, a patient handed over by word of mouth, patients not told
    "allergy_not_asked": ("พยาบาล ER ไม่ได้ถามประวัติการแพ้ ให้ diclofenac ผป.หอบ", "communication"),
    "verbal_handover": ("ส่งเวรผป.ปากเปล่า ไม่ได้บอกว่ามี drain ต้องนับ", "communication"),
    "patients_not_told": ("คลินิกย้ายตึก ไม่ได้แจ้งผู้ป่วยล่วงหน้า ผป.สูงอายุเดินหาจนเป็นลม", "communication"),
    # food: a meal that reached the ward late, by the clock
    "meal_by_clock": ("ผป.เบาหวานฉีดยา 07.00 น. อาหารเช้ามาถึงหอ 09.10 น. น้ำตาล 48", "food"),
    "meal_late": ("ฉีด insulin แล้ว อาหารกลางวันมาช้า ผป.ใจสั่น", "food"),
    # safety_privacy: a suicide attempt told by the act, whatever else is blamed
    "ligature": ("ผป.ใช้สายชาร์จโทรศัพท์ผูกคอกับหัวเตียง เวรดึกมีพยาบาล 1 คน", "safety_privacy"),
    "hoard": ("ผป.แอบเก็บยานอนหลับไว้ใต้หมอนนาน 1 สัปดาห์ กลืนพร้อมกัน", "safety_privacy"),
}


@pytest.mark.parametrize(("text", "topic"), list(CAUSES.values()), ids=list(CAUSES))
def test_causes_are_heard(text: str, topic: str) -> None:
    assert topic in contributing_causes(text), contributing_causes(text)


NOT_CAUSES = {
    # a drug order copied wrong is the drug's error in the older files (tune, tune2, tune19, tune23), not process
    "drug_transcribed": ("คัดลอกคำสั่งยา amlodipine ผิดเป็น 10 mg", "process"),
    # the time-out skipped is the operation's care in the older files
    "time_out": ("ไม่ได้ทำ time out ก่อนเจาะปอด", "process"),
    # a bare wait in a clinical report stays the care's; a wait caused by too few staff is staffing only
    "bare_wait": ("ER ผป.ปวดท้อง รอ 1 ชม. แพทย์ตรวจแล้ว ไส้ติ่งแตก", "waiting"),
    "staff_wait": ("มีทีมดมยาชุดเดียว ผป.รอที่ห้องฉุกเฉิน 5 ชม.", "waiting"),
    # the same team is no lone team
    "same_team": ("ทีมเดียวกันผ่าตัดต่อเนื่องทั้งวัน ผป.แผลติดเชื้อ", "staffing"),
    # a camera or a door alarm that failed is left to security (the older files); broken chairs stored in the way
    # and a van that broke down are not a fitting that failed under a patient
    "cctv": ("กล้องวงจรปิดหน้าหอเสีย ทำให้ดูไม่ได้ว่าใครเอาของไป", "environment"),
    "chairs_stored": ("ตรวจบันไดหนีไฟพบเก้าอี้ชำรุดกองไว้ 4 ตัว", "environment"),
    "van": ("รถตู้ส่งผป.ฟอกไตเสียกลางทาง ผป.มาช้า", "environment"),
    # relatives who shout are security, a photo posted is privacy (the older files), not staff conduct
    "relative_shouts": ("ญาติเมาตะโกนด่าพยาบาลหน้า ER", "staff_behavior"),
    "photo_posted": ("พนักงานถ่ายรูปผป.ดาราแล้วโพสต์ลงเฟซบุ๊กส่วนตัว", "staff_behavior"),
    # a porter named as who pushed the bed is no porter service that failed; a stretcher and relatives "not enough"
    "porter_named": ("พนักงานเปลเข็นผป.ไปห้องผ่าตัด ระหว่างทางผป.อาเจียน", "parking_access"),
    "vague_lack": ("ญาติยกผป.ลงจากเปล ญาติไม่พอ ผป.ตก", "parking_access"),
    # a kitchen fire is the building's and security's in the older files; talk of dying is not an attempt
    "kitchen_fire": ("โรงครัวกระทะน้ำมันลุกไหม้ ใช้ถังดับเพลิง", "food"),
    "talk_of_dying": ("ผป.พูดว่าอยากตาย ไม่ได้ทำร้ายตนเอง", "safety_privacy"),
    # a price paid in full, a handover given in writing
    "paid_right": ("ผป.จ่ายค่าห้องพิเศษตามอัตรา ไม่มีปัญหา", "cost_rights"),
    "written_handover": ("ส่งเวรผป.ตามแบบ SBAR ครบ ผป.ล้มตอนตี 3", "communication"),
}


@pytest.mark.parametrize(("text", "topic"), list(NOT_CAUSES.values()), ids=list(NOT_CAUSES))
def test_look_alikes_are_no_cause(text: str, topic: str) -> None:
    assert topic not in contributing_causes(text), contributing_causes(text)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # the harm (an arrest, a hypoglycaemia, a fracture, an intubation) points elsewhere; the report names the cause
        ("ผป.หลังผ่าตัดหัวใจหยุดเต้นระหว่างรอ เพราะเวรเปลมาช้า 50 นาที CPR 10 นาที ROSC", "parking_access"),
        ("เงินไม่พอจ่ายค่ายาฉีดอินซูลิน ญาติขอวางมัดจำไม่ได้ ผป.กลับบ้าน DKA ย้าย ICU", "cost_rights"),
        ("พยาบาลลอยตัวจากแผนกสูติ ให้ magnesium ผิดอัตรา ผป.หยุดหายใจ ใส่ท่อ", "staffing"),
        ("ผป.ชราตกเตียงกระดูกสะโพกหัก เตียงเด็กโตที่ใช้ไม่มีราวกั้น", "environment"),
        ("เด็กโรคไตได้ยาเกินขนาด เพราะโอนข้อมูลระบบใหม่ไม่ได้ย้ายค่า creatinine มา ต้องฟอกเลือด", "process"),
    ],
)
def test_a_named_cause_survives_the_harm_words(analyzer: Analyzer, text: str, topic: str) -> None:
    r = incident(analyzer, text)
    assert topic in codes(r), r.details["cause"]


# --- sentinel told by signs and acts (nlp.nrls SENTINEL_RULES, tagged nlp-inc30) --------------------------------

SENTINEL = {
    # a baby fed a while, then found wearing another mother's wristband
    "wrong_baby_fed": "ห้องหลังคลอดเตียง 8 แม่ให้ลูกกินนมไป 15 นาที พยาบาลเวรดึกตรวจสายรัดข้อมือเด็กเป็นชื่อแม่เตียง 2",
    # a procedure done and then the patient's number found not to match
    "hn_mismatch": "ห้องส่องกล้อง ทำ gastroscopy ให้ผป.ชื่อสมศรีเสร็จ ตรวจสอบพบว่า HN ไม่ตรงกับใบนัด",
    # a cluster still counted beside a queue's count
    "cluster_beside_queue": "หออายุรกรรม คิวรอห้องแยกโรค 2 ราย พบผป. influenza A positive 4 รายในห้องรวม",
}


@pytest.mark.parametrize("text", list(SENTINEL.values()), ids=list(SENTINEL))
def test_sentinel_signs_are_flagged(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.sentinel, (sentinel_cues(text), r.details["severity_reasons"])


NOT_SENTINEL = {
    # the wristbands swapped and caught before any feed
    "wristband_caught": "ป้ายข้อมือทารก 2 รายสลับกัน พยาบาลตรวจพบก่อนนำไปให้แม่ ไม่มีทารกไปถึงแม่ผิดคน",
    # a number checked before the scope went in
    "hn_checked_before": "ก่อนส่องกล้องตรวจสอบพบว่า HN ไม่ตรงกับใบนัด เปลี่ยนผป.ให้ถูกคน ยังไม่ได้ทำหัตถการ",
    # a critical value, a disease's critical phase
    "critical_value": "พยาบาลรับแจ้งค่าวิกฤต Hb 6.1 แต่ไม่ได้แจ้งแพทย์ 3 ชม. ให้ PRC 1 unit",
    "critical_phase": "ผป.ไข้ซิก้าเข้าสู่ระยะวิกฤต ได้น้ำเกลือตามแนวทาง ปัสสาวะออกดี",
    # a wish to die reported as said to someone, with no act
    "wish_reported": "ผป.ไตวายบอกกับลูกสาวว่า 'อยากตาย เหนื่อยแล้ว' ไม่มีการทำร้ายตนเอง ส่งปรึกษาจิตแพทย์",
    # a fight denied with a word between; CPR not needed
    "fight_denied": "ญาติเสียงดังเรื่องที่จอดรถ รปภ.เชิญออก ไม่มีเหตุทะเลาะวิวาท",
    "cpr_not_needed": "ผู้มาเยี่ยมหน้ามืดในลิฟต์ ไม่ต้อง CPR นั่งพัก 10 นาทีดีขึ้น",
    # lasting harm or an organ's removal denied; staff counted as not vaccinated
    "lasting_denied": "เครื่อง suction หยุดทำงานระหว่างดูดเสมหะ SpO2 88% เปลี่ยนเครื่อง ไม่มีผป.ได้รับอันตรายถาวร",
    "organ_kept": "ผป.ครรภ์นอกมดลูกรอผ่าตัด 2 ชม. เสียเลือด 800 ml ให้เลือด 2 units ไม่ต้องตัดรังไข่",
    "unvaccinated": "พยาบาล 1 คนเป็นอีสุกอีใส ลาป่วย 5 วัน บุคลากรยังไม่ได้วัคซีน 60 คน",
    # an infection beside people counted in a queue (no cluster)
    "queue_count": "คิวผ่าตัดไส้เลื่อนมี 14 ราย ผป.รอ 2 เดือน แผลผ่าตัดติดเชื้อ ให้ยาฆ่าเชื้อ นอนนานขึ้น 5 วัน",
    # an ICU transfer planned and named before it happened; a restraint with the pulse charted good
    "icu_planned": "ตามแผนต้องย้าย ICU หลังผ่าตัดหลอดเลือดแดงใหญ่ แต่ ICU เต็ม ผป.อยู่ห้องพักฟื้น 8 ชม. v/s ปกติ",
    "restraint_fine": "ผป.เมาสุราถูกผูกยึดข้อเท้า 2 ข้าง 4 ชม. ตรวจชีพจรปลายเท้าดี ผิวหนังไม่มีรอยแดง",
}


@pytest.mark.parametrize("text", list(NOT_SENTINEL.values()), ids=list(NOT_SENTINEL))
def test_look_alikes_are_no_sentinel(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert not r.sentinel, (sentinel_cues(text), r.details["severity_reasons"], r.severity)
    assert band(r.severity) != "GI", r.severity
