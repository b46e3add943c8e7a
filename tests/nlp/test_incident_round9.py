"""Issue 14, round 9: incident families read from the analyser's errors on tune20.jsonl (heldout7 retired).

Each report is written here the way staff type into the risk system, unlike tune20's lines. Sentinel now heard:
money embezzled by staff and reported to the police (seed 004's theft), a blow with an object picked up ("ใช้
เก้าอี้ฟาด…"), a deficit still there months later told by a movement the lists lacked ("ยังกระดกข้อเท้าไม่ได้"),
a flood told as water that came in with patients moved out (HA's GOS301). Not sentinel any more: a post on a
social platform or a complaint to an authority with no spread or accusation told (seed 004's reputation event is
an accusation in the media), damage ("ค่าเสียหาย") read as a theft ("หาย") once the police came, a ventilated
patient named as the kind of care a nurse lacked. A staff word before "ผู้ป่วย" or "ลาป่วย" no longer suggests a
staff infection, and a relative's scolding over a wait is graded on the general scale."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band
from tests.support import incident


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()



SENTINEL = {
    "embezzle": "จนท.ห้องการเงินยักยอกเงินค่ายาของผป. 45,000 บาท ผอ.แจ้งความที่ สภ.แล้ว",
    "embezzle_cash": "พนักงานเก็บเงิน OPD เบียดบังเงินสดค่ารักษา ทำใบเสร็จปลอมนาน 2 เดือน หัวหน้าไปแจ้งความ",
    "personal_use": "เจ้าหน้าที่ศูนย์เปลนำเงินบริจาคของมูลนิธิ รพ. ไปใช้ส่วนตัว 20,000 บาท แจ้งตำรวจดำเนินคดี",
    "walking_stick": "ญาติคนไข้ใช้ไม้เท้าฟาดหัวพยาบาลหน้าเคาน์เตอร์ หัวแตก เย็บ 4 เข็ม",
    "chair": "ผป.จิตเวชคว้าเก้าอี้เหล็กตีพยาบาลเวรที่หลังและแขน แขนช้ำ ตำรวจมารับตัว",
    "plastic_chair": "ญาติใช้เก้าอี้พลาสติกฟาดพยาบาลที่ไหล่ ฟกช้ำ หยุดงาน 2 วัน",
    "tray": "ผป.ชายหยิบแก้วน้ำขว้าง แล้วใช้ถาดอาหารตีผู้ช่วยพยาบาลที่แขน มีรอยช้ำ",
    "bottle": "ชายเมาสุราหยิบขวดเบียร์ฟาดศีรษะ รปภ. เลือดออก ส่งเย็บที่ ER",
    "foot_lift": "ฉีดยาเข้าสะโพกโดนเส้นประสาท sciatic 4 เดือนแล้วยังกระดกข้อเท้าซ้ายไม่ขึ้น",
    "finger_stretch": "ยาเคมีบำบัดรั่วออกนอกเส้นที่หลังมือ เนื้อตายต้องผ่าตัด ปัจจุบันยังเหยียดนิ้วมือไม่ได้",
    "flood": "พายุฝนทำให้น้ำเข้าท่วมตึกผู้ป่วยใน สูง 40 ซม. ย้ายผู้ป่วยสามัญชาย 19 ราย ขึ้นชั้น 3",
    "riverbank": "น้ำล้นตลิ่งไหลเข้า รพ.สต. ท่วมถึงห้องตรวจ ย้ายคนไข้นอนรอส่งต่อ 5 คน ไปศาลาวัด",
    "spread": "ญาติโพสต์เฟซบุ๊กกล่าวหาว่าหมอปล่อยให้แม่ตาย ยอดแชร์ 15,000 ครั้ง",
    "clip_press": "คลิป TikTok พยาบาลตะคอกคนไข้ มีคนแชร์กว่าสองหมื่น นักข่าวโทรมาขอสัมภาษณ์",
}


@pytest.mark.parametrize("text", list(SENTINEL.values()), ids=list(SENTINEL))
def test_sentinel_families_are_heard(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.sentinel, r.details


NOT_SENTINEL = {
    # embezzlement handled inside, the police not told
    "no_police": "ตรวจพบเจ้าหน้าที่ยักยอกเงินค่าบัตร 3,000 บาท ตั้งกรรมการสอบวินัย ไม่แจ้งความ",
    # a chair used on a door, nobody hurt; a swing stopped in time; a bed rail raised
    "door": "ญาติใช้เก้าอี้ทุบกระจกประตู ER แตก ตำรวจมาควบคุมตัว ไม่มีผู้บาดเจ็บ",
    "swing": "ผป.ยกเก้าอี้ขึ้นจะฟาด แต่ รปภ.ห้ามไว้ทัน ไม่มีผู้ใดบาดเจ็บ",
    "bed_rail": "ผป.สับสนพยายามปีนข้ามไม้กั้นเตียง ผช.พยุงไว้ทัน ยกไม้กั้นเตียงขึ้น ไม่มีบาดเจ็บ",
    # property damage with the police: "ค่าเสียหาย" is no theft
    "damage": "วัยรุ่นทุบกระจกรถพยาบาลแตก ค่าเสียหาย 12,000 บาท แจ้งความที่ สภ.",
    # a movement lost for an hour and back by morning is no lasting harm
    "transient": "หลังใส่เฝือก 2 ชม. บ่นชา กระดกนิ้วเท้าไม่ได้ รายงานแพทย์ ตัดเฝือกทัน เช้าขยับได้ปกติ",
    # water without patients moved out; patients moved without a disaster
    "pipe": "ท่อประปาแตก น้ำท่วมพื้นห้องน้ำ ward ชาย ปิดห้องน้ำ 3 ชม.",
    "renovation": "ย้ายผู้ป่วย 16 ราย ไปตึกใหม่ตามแผนปรับปรุงอาคาร",
    # a post with no spread, a staff member's photo of a patient, a complaint to an authority
    "own_post": "ญาติโพสต์เฟสบ่นว่าห้องน้ำสกปรก มีคนกดไลค์ 30 คน ทีมประชาสัมพันธ์โทรขอโทษ ลบโพสต์แล้ว",
    "staff_photo": "เจ้าหน้าที่ถ่ายรูปแผลผป.ลงเฟซบุ๊กส่วนตัว ลบออกแล้วหลังหัวหน้าเตือน",
    "damrongdham": "ผป.ร้องเรียนผ่านศูนย์ดำรงธรรมเรื่องค่ารถ refer ต้องตอบหนังสือภายใน 15 วัน",
    # a ventilated patient named as the kind of care a nurse had never given
    "ventilator_kind": "ส่งพยาบาลจาก ward สูติกรรมไปช่วย ICU ทั้งที่ไม่เคยดูแลผู้ป่วย on ventilator ไม่มีพี่เลี้ยง",
}


@pytest.mark.parametrize("text", list(NOT_SENTINEL.values()), ids=list(NOT_SENTINEL))
def test_look_alikes_are_not_sentinel(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert not r.sentinel, r.details


def test_a_patients_complaint_about_a_photo_online_is_not_sentinel(analyzer: Analyzer) -> None:
    r = analyzer.analyse("มีคนแอบถ่ายรูปยายตอนนอนให้น้ำเกลือแล้วโพสต์ลงเฟส ไม่ขออนุญาตเลยค่ะ", question="complaint")
    assert not r.sentinel and r.complaint, r.details


def test_embezzlement_keeps_its_money_topic(analyzer: Analyzer) -> None:
    r = incident(analyzer, SENTINEL["embezzle"])
    assert "cost_rights" in {t.code for t in r.topics}, r.topics


def test_a_lasting_deficit_is_graded_g(analyzer: Analyzer) -> None:
    r = incident(analyzer, SENTINEL["foot_lift"])
    assert r.severity == "G", (r.severity, r.details)


def test_a_flood_that_moved_patients_is_graded_on_the_general_scale(analyzer: Analyzer) -> None:
    r = incident(analyzer, SENTINEL["flood"])
    assert r.details["scale"] == "general" and r.severity == "4", (r.severity, r.details)


@pytest.mark.parametrize(
    "text",
    [
        "เจ้าหน้าที่เวชระเบียนหยิบแฟ้มผู้ป่วยผิดคน ส่งไปห้องตรวจ 5",
        "พยาบาลเวรดึกลาป่วย 2 คน ไม่มีคนแทน เหลือ RN 1 คน",
        "พยาบาลอ่านผล HIV ของผู้ป่วยเสียงดังที่จุดซักประวัติ",
    ],
    ids=["record", "sick_leave", "privacy"],
)
def test_a_staff_word_before_a_patient_is_no_staff_infection(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.risk_codes[0].code != "CPI303", r.risk_codes


def test_a_staff_influenza_cluster_still_suggests_the_infection_codes(analyzer: Analyzer) -> None:
    r = incident(analyzer, "พยาบาล 4 คนป่วยเป็นไข้หวัดใหญ่ภายในสัปดาห์เดียว ต้องหยุดงาน")
    assert {"CPI303", "GPI202", "GPI201"} & {c.code for c in r.risk_codes}, r.risk_codes


@pytest.mark.parametrize(
    "text",
    [
        "ลูกสาวผู้ป่วยเตียง 14 โวยวายใส่พยาบาลว่ารอผลเลือดนาน หัวหน้าเวรชี้แจง",
        "สามีคนไข้ห้อง 208 ตะโกนต่อว่าพยาบาลเพราะรอ MRI นานเกินไป",
        "ภรรยาผป.ห้อง 512 โวยวายที่ nurse station ว่ารอ echo นาน",
    ],
    ids=["daughter", "husband", "son"],
)
def test_a_relatives_scolding_is_on_the_general_scale(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.details["scale"] == "general" and band(r.severity) in (band("1"), band("2")), (r.severity, r.details)


@pytest.mark.parametrize(
    "text",
    [
        "ผู้ป่วยเจ็บหน้าอกระดับ 2 รอตรวจที่ ER 40 นาที สามีโวยวายใส่พยาบาล",
        "ญาติโวยวายเพราะพยาบาลให้ยาผิดเตียง ผป.ได้ amlodipine 10 mg แทน ความดันลดลง 90/50",
    ],
    ids=["care_waited", "drug_error"],
)
def test_care_scolded_about_stays_clinical(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.details["scale"] == "clinical", (r.severity, r.details)


GENERAL_SCALE = {
    # a staff member struck and admitted: the patient's words (pt, CT, admit) do not make it care
    "staff_struck": "ผป.ชายติดสุรา อาละวาด ใช้ขาตั้งน้ำเกลือตีพยาบาลที่ศีรษะ CT พบกะโหลกร้าว admit 3 วัน ลาป่วย 2 สัปดาห์",
    # a relative crushed by the building
    "visitor_crushed": "ป้ายโฆษณาหน้าตึก OPD หล่นทับญาติผู้ป่วย ขาหัก ส่งผ่าตัด",
    # plumbing fixed by the technician, the network down, a stock check, staff radiation protection
    "toilet": "ชักโครกห้องน้ำผู้ป่วยหญิง ward 5 ตัน น้ำล้นทางเดิน ช่างมาแก้ 2 ชม.",
    "network": "อินเทอร์เน็ตของ รพ.ใช้ไม่ได้ 4 ชม. แพทย์ OPD ดูผล lab ผู้ป่วยไม่ได้",
    "stock": "ตรวจ crash cart ward ศัลยกรรม พบ atropine 2 amp หมดอายุ เปลี่ยนใหม่แล้ว",
    "lead_apron": "จนท.ห้องเอกซเรย์ช่วยจับผู้ป่วยเด็กขณะถ่ายภาพโดยไม่สวมเสื้อตะกั่ว",
    # staff infected: HA's staff infection codes, not a ward outbreak
    "staff_covid": "พยาบาล ward ศัลยกรรม 3 คน ผล ATK โควิดบวก ต้องกักตัว 5 วัน",
}


@pytest.mark.parametrize("text", list(GENERAL_SCALE.values()), ids=list(GENERAL_SCALE))
def test_staff_visitors_and_the_building_are_on_the_general_scale(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.details["scale"] == "general" and r.severity in tuple("12345"), (r.severity, r.details, r.risk_codes)


@pytest.mark.parametrize(
    "text",
    [
        "ผป.ลื่นล้มในห้องน้ำ ward ศีรษะแตก เย็บ 3 เข็ม",
        "ฉีดวัคซีนบาดทะยักที่หมดอายุ 1 เดือนให้ผู้ป่วย ER แพทย์สั่งฉีดซ้ำ",
        "ญาติผู้ป่วยแจ้งว่าแม่ไม่ได้รับยาหลังผ่าตัด 2 มื้อ ปวดมาก pain score 8",
    ],
    ids=["patient_fall", "expired_vaccine_given", "patient_harmed"],
)
def test_a_patients_harm_near_those_words_stays_clinical(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.details["scale"] == "clinical", (r.severity, r.details, r.risk_codes)


def test_an_x_ray_named_as_a_thing_is_no_imaging_error(analyzer: Analyzer) -> None:
    r = incident(analyzer, "พยาบาลถ่ายรูป film X-ray ของผู้ป่วยส่งในกลุ่มไลน์เพื่อน เห็นชื่อและ HN")
    assert r.risk_codes[0].code != "CPL203", r.risk_codes


CODE_TOP1 = {
    "clabsi": ("pt on PICC line 3 สัปดาห์ ไม่ได้ประเมินการถอดสาย มีไข้หนาวสั่น H/C ขึ้น Staph aureus", "CPI203"),
    "threat": ("ผู้ป่วยโวยวายเรื่องใบรับรองแพทย์ ขู่จะเอาปืนมายิงแพทย์เวร", "GPE303"),
    "chemical": ("จนท.ซักฟอก 3 คนแสบตา ระคายผิว หลังน้ำยาคลอรีนหกใส่ ไม่ได้ใส่แว่น", "GPP206"),
    "lifting": ("พนักงานโรงครัวยกหม้อแกงหนักเกิน 30 กก. ทุกวัน ปวดหลังเรื้อรัง", "GPP212"),
    "purchasing": ("งานพัสดุจัดซื้อยาโดยไม่ผ่านคณะกรรมการ งบประมาณเกินแผน 120,000 บาท", "GOE201"),
}


@pytest.mark.parametrize("case", list(CODE_TOP1.values()), ids=list(CODE_TOP1))
def test_code_families_are_suggested_first(analyzer: Analyzer, case: tuple[str, str]) -> None:
    text, code = case
    r = incident(analyzer, text)
    assert r.risk_codes[0].code == code, r.risk_codes


CODE_TOP3 = {
    "ceiling": ("ฝ้าเพดานห้องรอตรวจแผ่นใหญ่ร่วงลงมาโดนผู้มารับบริการ หัวแตก", "GOS201"),
    "staff_fight": ("จนท.เวรเปล 2 คนทะเลาะกันเรื่องแบ่งงาน คนหนึ่งต่อยอีกคนจนปากแตก", "GPE302"),
    "road": ("เจ้าหน้าที่ รพ.สต. ขับมอเตอร์ไซค์ไปส่งยาผู้ป่วยที่บ้าน ถูกรถกระบะชน ขาหัก", "GPL102"),
}


@pytest.mark.parametrize("case", list(CODE_TOP3.values()), ids=list(CODE_TOP3))
def test_code_families_stay_in_the_top_three(analyzer: Analyzer, case: tuple[str, str]) -> None:
    text, code = case
    r = incident(analyzer, text)
    assert code in [c.code for c in r.risk_codes[:3]], r.risk_codes


def test_a_verbal_quarrel_between_staff_is_no_assault(analyzer: Analyzer) -> None:
    r = incident(analyzer, "พยาบาล 2 คนทะเลาะกันเสียงดังที่ counter เรื่องตารางเวร ผู้ป่วยได้ยิน")
    assert "GPE302" not in [c.code for c in r.risk_codes[:1]], r.risk_codes


@pytest.mark.parametrize(
    "text",
    [
        "ผป.เบาหวานได้ขนมหวานจากโรงครัวผิดเตียง เจาะ DTX 388 mg% แจ้งแพทย์เวร",
        "ผป. CKD ได้ถาดอาหารเค็มผิดเตียง ผลเลือด BUN 80 mg/dl แพทย์ปรับ diet",
    ],
    ids=["dtx", "bun"],
)
def test_a_lab_value_in_mg_is_no_drug(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert "medication" not in {t.code for t in r.topics}, r.topics


@pytest.mark.parametrize(
    "text",
    [
        "แม่บ้านยกถังขยะเปียกหนักเกิน 30 kg ปวดหลัง ต้องทำกายภาพ 5 ครั้ง หยุดงาน 4 วัน",
        "พนักงานซักฟอกยกผ้าหนักทุกวัน ปวดไหล่ Dx rotator cuff tear ต้องทำกายภาพบำบัด หยุดงาน 5 วัน",
        "พนักงานเปลลื่นที่ทางลาดขณะเข็นผป. ข้อมือหัก ต้องผ่าตัดใส่เหล็ก ลาป่วย 1 เดือน",
    ],
    ids=["physio", "rotator_cuff", "operation"],
)
def test_a_staff_members_own_treatment_is_no_clinical_care(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    found = {t.code for t in r.topics}
    assert "clinical_care" not in found and "safety_privacy" in found, r.topics


NEAR_MISS_AND_STATES = {
    # a wrong bag or a swapped baby found before it reached anyone
    "blood_bag": "ธนาคารเลือดส่งถุง PRC ของเตียง 7 มาให้เตียง 17 พยาบาลเช็คชื่อกับป้ายข้อมือพบว่าไม่ตรง เปลี่ยนถุงก่อนให้",
    "blood_nearmiss": "near miss: หยิบถุงเลือดผิดคนไปแขวนเสา ตรวจพบก่อนให้ ยังไม่ได้ต่อสาย",
    "baby": "หลังคลอด: ป้ายข้อมือทารกสลับกับทารกห้องข้าง ตรวจพบก่อนส่งทารกให้มารดาให้นม",
    # a planned ICU stay, talk of wanting to die, what the patient lives with
    "planned_icu": "ผป.หลังผ่าตัดหัวใจเปิด ส่ง ICU ตามแผนที่วางไว้ (elective) vital signs คงที่",
    "ideation": "ผป.จิตเวชเล่าว่ามีความคิดอยากตายบ่อยๆ ประเมิน 8Q ได้ 9 คะแนน รายงานจิตแพทย์",
    "deaf": "ผู้ป่วยหูหนวก มาตรวจตามนัด ไม่มีล่ามภาษามือ สื่อสารด้วยการเขียน ใช้เวลานาน",
}


@pytest.mark.parametrize("text", list(NEAR_MISS_AND_STATES.values()), ids=list(NEAR_MISS_AND_STATES))
def test_near_misses_and_states_are_not_sentinel(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert not r.sentinel, (r.severity, r.details)


@pytest.mark.parametrize(
    "text",
    [
        # the wrong bag reached the patient: a reaction is told, or nobody checked before giving it
        "ให้เลือดผิดถุงแก่ผป.เตียง 3 ตรวจพบก่อนให้ถุงที่สอง แต่ผป.หนาวสั่น ไข้ 39 ปัสสาวะสีโค้ก",
        "ไม่ได้ตรวจสอบชื่อก่อนให้ ผป.ได้เลือดผิดกรุ๊ป หยุดให้เลือด",
        # an unplanned ICU transfer
        "ผป.หลังผ่าตัดไส้ติ่ง ความดันต่ำ หายใจเหนื่อย ย้ายเข้า ICU ด่วน ใส่ท่อช่วยหายใจ",
    ],
    ids=["reaction", "unchecked", "unplanned_icu"],
)
def test_what_reached_the_patient_stays_sentinel(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.sentinel, (r.severity, r.details)
