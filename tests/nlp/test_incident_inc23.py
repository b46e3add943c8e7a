"""Issue 14: incident families read from the analyser's errors on tune23.jsonl (200 reports in an HRMS export's
style, helper nlp-inc23).

Each report here is phrased unlike tune23's lines (other units, other words, typos, spaces), with look-alikes that
must stay quiet. Sentinel now heard: fraud or forged receipts reported to the police (seed 004's theft), a
structure that fell on people and put one in the ICU (seed 004's near-fatal accident). Not sentinel any more: a
wrong side caught at a time-out told before the finding or fixed "before the cut", a faint ("เป็นลมหมดสติ
ชั่วขณะ", "ฟื้นใน 1 นาที"), a febrile or allergic transfusion reaction with no wrong unit, a relative held by
the hospital's own guards with no police told."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band
from tests.support import incident


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()



SENTINEL = {
    "fraud_police": "งานพัสดุพบผู้รับจ้างส่งใบเสร็จปลอมเบิกค่าซ่อมแอร์ 38,000 บาท ผอ.ให้ไปลงบันทึกประจำวันที่ สภ.",
    "fraud_word": "หัวหน้าการเงินตรวจพบ จนท. ทุจริต เงินค่าตรวจสุขภาพ แจ้งความ ดำเนินคดี แล้วค่ะ",
    "swindle": "เจ้าหน้าที่เวชระเบียนฉ้อโกงเงินค่าใบรับรองแพทย์จากผู้มารับบริการ ผู้เสียหายไปแจ้งความที่โรงพัก",
    "sign_fell": "ป้ายโฆษณาหน้า รพ. ล้มทับญาติผู้ป่วยขณะเดินเข้าตึก ศีรษะกระแทก หมดสติ ใส่ท่อช่วยหายใจ ย้าย ICU",
    "roof_fell": "หลังคาทางเชื่อมตึกถล่ม ทับผู้มารับบริการ 2 คน 1 คนอาการหนัก ส่ง icu",
    # still heard: a faint word beside real coma signs, a time-out skipped, police told about a push
    "coma": "ผป.หมดสติ เรียกไม่ตอบสนอง GCS 6 ใส่ท่อช่วยหายใจ ย้าย ICU",
    "no_timeout": "ไม่ได้ทำ time out ผ่าตัดเข่าผิดข้าง พบหลังผ่าตัดเสร็จ",
    "push_police": "ชายเมาผลักผู้ช่วยพยาบาลชนผนัง ศีรษะแตก แจ้งตำรวจมารับตัว",
    "wrong_unit": "transfusion reaction: ผป.group O ได้ PRC group B ครึ่งถุง ไข้ หนาวสั่น",
}


@pytest.mark.parametrize("text", list(SENTINEL.values()), ids=list(SENTINEL))
def test_sentinel_families_are_heard(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.sentinel, r.details


NOT_SENTINEL = {
    # a wrong side caught at the check, the check told first or the fix told as made before the cut
    "timeout_first": "ทำ time-out ในห้องผ่าตัด ตรวจพบว่าใบยินยอมเขียนตาซ้าย แต่ mark ตาขวา แก้ไขให้ตรงกันก่อนเริ่ม",
    "fixed_before_cut": "mark ขาผิดข้าง ตอนเข้า OR พยาบาล scrub ทัก แก้ไขก่อนลงมีดค่ะ",
    "sign_in_first": "ทำ sign in ที่หน้าห้องผ่าตัด พบว่าป้ายข้อมือกับ consent ระบุข้างไม่ตรงกัน (ขวา/ซ้าย) แจ้งแพทย์ mark ใหม่",
    # a faint: consciousness back by itself within moments
    "faint_dental": "ระหว่างขูดหินปูน คนไข้เป็นลม หมดสติไปชั่วครู่ นอนราบ ยกขาสูง ดม แอมโมเนีย รู้สึกตัวดี",
    "faint_seconds": "ญาติผป.เป็นลมหน้าห้องยา วูบหมดสติไปประมาณ 10 วินาที นอนพัก วัด v/s ปกติ",
    "faint_woke": "หลังเจาะเลือด ผป.หมดสติ ล้มลง ฟื้นเองภายใน 30 วินาที ไม่มีบาดเจ็บ",
    # a febrile or allergic reaction to a unit of the right blood
    "febrile": "ให้ LPRC ถุงที่สอง 40 นาที คนไข้ไข้ 38.7 หนาวสั่น หยุดเลือด ส่ง transfusion reaction work up ผล DAT neg",
    "allergic": "transfusion reaction หลังให้ PRC ถุงที่ 1 ไป 20 นาที ผื่นลมพิษ คัน หยุดให้เลือด ให้ยาแก้แพ้ อาการดีขึ้น",
    # a relative held by the guards, a graze, no police told
    "guards_held": "ชายเมาผลักผู้ช่วยพยาบาลชนผนัง เข่าถลอก ยามควบคุมตัวไว้จนญาติมารับกลับ",
    # fraud suspected, handled inside, no police told
    "fraud_inside": "สงสัยทุจริตการเบิกค่าตอบแทน ตั้งกรรมการสอบข้อเท็จจริง ยังไม่แจ้งความ",
    "no_fraud": "ตรวจสอบบัญชีแล้วไม่พบการทุจริต เงินขาด 200 บาทจากการทอนผิด",
    # harm named as what a plan prevents
    "prevention_plan": "ผป.ซึมเศร้า ไม่ได้ทำแผนป้องกันการฆ่าตัวตายตามแนวทาง พบจาก audit",
    # a structure that fell and hurt nobody
    "ceiling_nobody": "ฝ้าห้องรอตรวจถล่มลงมา 1 แผ่น ช่วงพักเที่ยงไม่มีคน ไม่มีผู้บาดเจ็บ",
}


@pytest.mark.parametrize("text", list(NOT_SENTINEL.values()), ids=list(NOT_SENTINEL))
def test_look_alikes_stay_quiet(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert not r.sentinel, r.details


def test_faint_is_not_near_death(analyzer: Analyzer) -> None:
    r = incident(analyzer, NOT_SENTINEL["faint_dental"])
    assert band(r.severity) != "GI", (r.severity, r.details)


def test_wrong_side_caught_is_a_near_miss(analyzer: Analyzer) -> None:
    r = incident(analyzer, NOT_SENTINEL["fixed_before_cut"])
    assert r.severity in ("A", "B"), (r.severity, r.details)


# Severity band by family: what the text tells of the harm, read in words tune23's writers used and others.
BAND = {
    # a transfer is harm when the event made it needed, not where it names the ambulance, the form or the setting
    "transfer_setting": ("ส่งต่อเด็กแรกเกิด 2,000 g ไป รพ.ศูนย์ ตู้อบเคลื่อนย้ายแบตหมดกลางทาง ถึงปลายทางอุณหภูมิ 36.4", "AD"),
    "refer_form": ("ใบ refer ของผป.เบาหวานไม่ได้แนบผล lab ปลายทางโทรมาขอ ส่งแฟกซ์ให้ภายหลัง", "AD"),
    "transfer_needed": ("หลังผ่าตัดต้อกระจก เลนส์ตกลงวุ้นตา ต้องส่งต่อจักษุแพทย์ รพ.ศูนย์ ผ่าตัดเอาออก", "EF"),
    # a stay told by its added length, a return to theatre, blood given to make up a loss
    "stay_added": ("ผป.ลื่นในห้องน้ำ ไม่มีแผล แพทย์ให้นอนต่ออีก 4 วันเพื่อดูอาการ", "EF"),
    "stay_days": ("ไส้ติ่งแตกเพราะวินิจฉัยช้า ผ่าตัดใส่ท่อระบาย นอน 8 วัน", "EF"),
    "re_explore": ("post op 4 ชม. drain เลือดออก 300 ml/hr นำกลับเข้าห้องผ่าตัด re-explore ผูกเส้นเลือด", "EF"),
    # watched only, or a hazard with nothing happened yet, or eaten in part
    "watched": ("หลังทำ PCN ปัสสาวะปนเลือดเล็กน้อย ติดตาม Hct ทุก 8 ชม. ค่าคงที่", "AD"),
    "not_yet": ("ตู้ยาฉุกเฉินวาง adrenaline กับ atropine ช่องเดียวกัน ยังไม่เกิดการหยิบผิด", "AD"),
    "ate_half": ("แม่ครัวส่งข้าวต้มหมูให้ผป.ที่ต้องงดโปรตีน ผป.ทานไปครึ่งชาม ไม่มีอาการ", "AD"),
    # general scale: an amount told without "บาท", charges pressed by the hospital, a cluster, a place closed for days
    "repair_million": ("เครื่อง MRI เสียจากน้ำรั่วใส่ ค่าซ่อม 2.5 ล้าน งดตรวจ 2 สัปดาห์", "45"),
    "lost_income": ("สาย LAN ตึกผู้ป่วยนอกขาด ระบบเบิกจ่ายใช้ไม่ได้ 1 วัน ความเสียหายประมาณ 60,000", "45"),
    "charges_pressed": ("พนักงานเก็บเงินยักยอกเงินค่าบริการ 12,000 บาท รพ.แจ้งความดำเนินคดี", "3"),
    "staff_flu": ("พยาบาลหอผู้ป่วยเด็กเป็นไข้หวัดใหญ่ระบาด 4 คน ลาป่วย ต้องขอพยาบาลจากหอข้างเคียง", "3"),
    "closed_days": ("ฝ้าห้องประชุมหล่นลงมา ไม่มีคนอยู่ ปิดห้องประชุม 3 วัน รอซ่อม", "3"),
    "down_hours": ("สาย LAN ตึก OPD ขาด อินเทอร์เน็ตใช้ไม่ได้ 3 ชม. ตรวจสอบสิทธิผู้ป่วยไม่ได้", "3"),
    # harm named as what a plan prevents, a sign the patient came with after the age, a test or a biopsy done again
    "prevented": ("ผป.ติดเตียงไม่ได้รับที่นอนลมตามแผนป้องกันแผลกดทับ พบจาก audit ยังไม่มีแผล", "AD"),
    "age_then_fever": ("ชาย 60 ปี ไข้ ไอ มา OPD ใบสั่งยาพิมพ์ชื่อผิด แก้ไขก่อนจ่าย", "AD"),
    "biopsy_again": ("ส่งชิ้นเนื้อไม่ได้ใส่ formalin ชิ้นเนื้อเสีย ต้องนัดผป.มาทำ biopsy ซ้ำ", "EF"),
    # a floor mopped without its sign is the premises (general), a near miss
    "wet_floor": ("แม่บ้านถูพื้นหน้าห้องยาไม่วางป้ายพื้นเปียก คนไข้เกือบลื่น", "12"),
    # a fall risk named keeps the patient's scale
    "fall_risk": ("ประเมิน Morse 55 เสี่ยงต่อการพลัดตกหกล้ม แต่ไม่ได้ติดป้ายเตือนที่เตียง", "AD"),
}


@pytest.mark.parametrize(("text", "expected"), list(BAND.values()), ids=list(BAND))
def test_band_by_family(analyzer: Analyzer, text: str, expected: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == expected, (r.severity, r.details)


def test_costly_machine_is_no_unsafe_building(analyzer: Analyzer) -> None:
    # HA's GOS201 × 5 is the building itself; a machine's cost alone is not on seed 004's list
    r = incident(analyzer, BAND["repair_million"][0])
    assert not r.sentinel, r.details


def test_criminal_case_stays_a_court_case(analyzer: Analyzer) -> None:
    r = incident(analyzer, "พยาบาลถูกญาติกล่าวหาว่าทำให้ผป.เสียชีวิต ญาติแจ้งความดำเนินคดีอาญา")
    assert r.sentinel and band(r.severity) == "45", (r.severity, r.details)


def test_a_drain_is_no_intubation(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ไส้ติ่งแตกเพราะวินิจฉัยช้า ผ่าตัดใส่ท่อระบาย นอน 8 วัน")
    assert not r.sentinel and band(r.severity) == "EF", (r.severity, r.details)
    r = incident(analyzer, "ผป.ถอดท่อช่วยหายใจเอง SpO2 80% ใส่ท่อใหม่ ย้าย ICU")
    assert r.sentinel, r.details


# Cause topics by family (LABELLING.md: an incident's topic is its cause), with what must stay out.
CAUSES = {
    # a fast-track interval or a theatre waited for, told by its minutes or hours
    "door_to": ("STEMI fast track: door-to-needle 95 นาที เกินเป้า", "waiting"),
    "wait_or": ("ผป.ครรภ์นอกมดลูกแตก รอ OR 3 ชม. เพราะห้องผ่าตัดมีเคสค้าง Hct ลดลง ต้องให้เลือด", "waiting"),
    "triage_wait": ("คัดกรองผป.แน่นหน้าอกเป็นสีเขียว รอ 50 นาทีจึงได้ทำ EKG", "waiting"),
    "not_seen": ("ผู้ป่วยหอบ SpO2 90% ไม่ได้รับการตรวจภายใน 30 นาที", "waiting"),
    # a shift left short, a lone doctor named with the unit
    "shift_short": ("คืนวันเสาร์เวรไม่พอ พยาบาลลาป่วย 2 คน ไม่มีคนแทน ผป.ตกเตียง 1 ราย", "staffing"),
    "lone_er": ("แพทย์ ER คนเดียวกำลังใส่ท่อเคสอุบัติเหตุ ผป.เจ็บหน้าอกรอตรวจ 45 นาที", "staffing"),
    # a contagious patient not isolated
    "not_isolated": ("เด็กไข้เลือดออก NS1 บวก นอนรวมห้องกับเด็กอื่น 2 วัน ไม่ได้ย้ายเข้ามุ้ง", "safety_privacy"),
    "no_travel_history": ("จุดคัดกรองไม่ได้ซักประวัติการเดินทาง ผป.กลับจากตะวันออกกลาง ไข้ ไอ นั่งรวมกับผป.อื่น", "safety_privacy"),
    # the device or the oxygen that ran out
    "o2_first": ("รถ refer ออกซิเจนถังหมดกลางทาง ผป.เหนื่อย SpO2 85%", "environment"),
    "battery": ("ตู้อบทารกแบตเตอรี่หมดระหว่างย้ายไป NICU ทารกตัวเย็น 35.5", "environment"),
    # the network down or cut is an IT outage
    "network_cut": ("VPN ไป สปสช. หลุดทั้งวัน เบิกจ่ายค่ารักษาไม่ได้", "process"),
    # a drug to the wrong patient is the drug's error too
    "drug_wrong_patient": ("จ่ายยาผิดคน ชื่อ-สกุลคล้ายกัน ผป.ยังไม่ได้ทาน", "medication"),
}


@pytest.mark.parametrize(("text", "topic"), list(CAUSES.values()), ids=list(CAUSES))
def test_cause_topics_are_heard(analyzer: Analyzer, text: str, topic: str) -> None:
    r = incident(analyzer, text)
    assert topic in {t.code for t in r.topics}, (r.topics, r.details.get("cause"))


NOT_CAUSES = {
    # tube feeding is care, not the kitchen's food
    "tube_feed": ("ต่อสาย feed อาหารเหลวผิดเข้าสาย IV ประมาณ 30 ml ผป.หอบ", "food"),
    "feed_ng": ("ให้อาหารทางสาย NG ขณะผป.นอนราบ ผป.ไอ สำลัก", "food"),
    # the same person, not a lone worker (the unit between: the cause rule's own shape)
    "same_doctor": ("แพทย์ ER คนเดียวกันสั่งยาซ้ำในใบสั่งสองใบ เภสัชทักท้วงก่อนจ่าย", "staffing"),
    # television as the media that aired an accusation is no room's TV set
    "tv_news": ("ญาติกล่าวหาพยาบาลทอดทิ้งผป.จนเสียชีวิต ข่าวออกทีวีช่อง 7 ผอ.ต้องแถลง", "environment"),
    # a pelvic exam done is no wait
    "pelvic_exam": ("ตรวจภายในโดยไม่มีผู้ช่วยเพศหญิงอยู่ด้วย ผป.ไม่พอใจ", "waiting"),
}


@pytest.mark.parametrize(("text", "topic"), list(NOT_CAUSES.values()), ids=list(NOT_CAUSES))
def test_look_alike_causes_stay_out(analyzer: Analyzer, text: str, topic: str) -> None:
    r = incident(analyzer, text)
    assert topic not in {t.code for t in r.topics}, (r.topics, r.details.get("cause"))


# Risk codes by family: the specialty's own words name the code among the top three.
CODES = {
    "needle_pricked": ("ผู้ช่วยเหยียบเข็มอินซูลินที่ตกพื้นทิ่มเท้า ผป.ต้นทางไม่ทราบผลเลือด", "GPI101"),
    "skin_peeling": ("ได้ allopurinol 2 สัปดาห์ ผิวหนังหลุดลอกทั้งตัว ตาแดง ปากเปื่อย admit ICU", "CPM105"),
    "eclampsia": ("หญิงตั้งครรภ์ 36 wk BP 180/120 ชักเกร็งที่ห้องรอคลอด ให้ MgSO4 loading", "CSG102"),
    "child_dengue": ("ด.ช. 7 ขวบ ไข้เลือดออก วันที่ 5 ช็อก ชีพจรเบา ให้ bolus 2 ครั้ง ย้าย PICU", "CSP203"),
    "interaction": ("ผป.ได้ warfarin ร่วมกับ fluconazole ไม่มีใครตรวจคู่ปฏิกิริยาระหว่างยา INR 9 เลือดออกตามไรฟัน", "CPM107"),
    "heparin": ("heparin drip ตั้ง rate ตาม order แต่ไม่ได้เจาะ aPTT ตามเวลา 12 ชม.", "CPM102"),
    "precautions": ("ผป. CRE ไม่ได้แยกห้อง ไม่มีป้าย contact precaution ญาติเตียงข้างๆใช้ห้องน้ำร่วม", "CPI204"),
    "blood_consent": ("ให้ PRC 1 unit ก่อนได้ใบยินยอมรับเลือด ญาติมาเซ็นภายหลัง", "CPM503"),
    "tocolysis": ("GA 31 wk เจ็บครรภ์คลอดก่อนกำหนด ให้ nifedipine ยับยั้งการคลอด ความดันลดลง 80/50", "CSG107"),
    "tear": ("คลอดบุตรคนแรก ฝีเย็บฉีกขาดถึงหูรูดทวาร (3rd degree) เย็บซ่อมไม่ครบ", "CPE304"),
    "nephrostomy": ("เปลี่ยนสาย PCN ข้างขวา มีเลือดออกรอบสาย ต้องกดห้ามเลือด", "CSS201"),
    "knee": ("หลังเปลี่ยนข้อเข่าเทียม drain ออก 800 ml Hb ลดลง 3 g", "CSO104"),
}


@pytest.mark.parametrize(("text", "code"), list(CODES.values()), ids=list(CODES))
def test_codes_by_family(analyzer: Analyzer, text: str, code: str) -> None:
    r = incident(analyzer, text)
    assert code in [c.code for c in r.risk_codes[:3]], r.risk_codes


# The general scale for a staff member's own suicide attempt and for patient lists sent out.
GENERAL = {
    "staff_overdose": ("พยาบาลอยู่เวรติดกันหลายสัปดาห์ เครียดมาก กินยาคลายเครียดเกินขนาดที่หอพัก รพ. เพื่อนนำส่ง ER ล้างท้อง", "45"),
    "list_mailed": ("งานประกันส่ง e-mail รายชื่อผู้ป่วยไตวาย 150 ราย พร้อมเลขบัตร ผิดผู้รับ ไปหาบริษัทประกัน", "3"),
}


@pytest.mark.parametrize(("text", "expected"), list(GENERAL.values()), ids=list(GENERAL))
def test_general_scale_by_family(analyzer: Analyzer, text: str, expected: str) -> None:
    r = incident(analyzer, text)
    assert r.details["scale"] == "general" and band(r.severity) == expected, (r.severity, r.details)
