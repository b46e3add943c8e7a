"""Issue 14: incident families read from the analyser's errors on tune26.jsonl (200 HRMS reports whose harm words
point away from the cause, helper nlp-inc26).

Each report here is phrased unlike tune26's lines (other units, trades and words), with look-alikes that must stay
quiet. Causes now heard: a lone worker counted against the patients in their care, a trade with nobody on duty, a
vacant post, one team for the night; a record system migrated or doubling orders, a form that lost a field, a
booking lost; a drug given to the wrong patient by another verb or by its name, a drug found run out; a device's
guard or consumable missing. Not heard any more: "ผลไม่…" read as fruit, a missing wristband read as a missing sign,
a denied harm's word, a wait told as what an outage cost. Severity and sentinel: a CPR on another bed, a denied ICU
stay or want of oxygen, a fire alarm's name, a skin burn, "subclavian" and the rescue unit's vehicle no longer make
a sentinel event; a deficit months later with the months in brackets, a brain damaged on imaging and grafted skin
are G, and such lasting harm keeps the report clinical."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band, contributing_causes
from tests.support import codes, incident


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


# --- causes heard beside the event's code (nlp.nrls.contributing_causes) ---------------------------------------

CAUSES = {
    # staffing: a census counted in patients, nobody of a trade on duty, a vacant post, one team for the night
    "census_patients": ("เวรดึก ward เด็ก มี RN 1 คน ต้องดูแลเด็กป่วยหนักอีก 4 ราย ให้ antibiotic ช้า 2 ชม.", "staffing"),
    "census_two_trades": ("OPD เย็น แพทย์ 1 คน พยาบาล 1 คน รับผป.ฉุกเฉินพร้อมกัน 5 ราย ผป.หอบได้พ่นยาช้า", "staffing"),
    "no_staff_on_duty": ("เวรบ่าย ER ไม่มี staff ประจำ แพทย์จบใหม่ใส่สายระบายทรวงอกเอง เลือดออก", "staffing"),
    "no_guard": ("คืนนั้นไม่มี รปภ.ประจำ ตึกสูติ ชายแปลกหน้าเดินเข้า ward", "staffing"),
    "vacant_post": ("ตำแหน่งพนักงานขับรถเวรดึกว่าง 3 เดือน รถ refer ออกช้า", "staffing"),
    "one_team": ("คืนนั้นมีทีมวิสัญญีชุดเดียว ผป.ผ่าคลอดฉุกเฉินต้องรอห้องผ่าตัด", "staffing"),
    # process: a system migrated or doubling, a form that lost a field, a booking lost, a point closed by the clock
    "system_changed": ("หลังเปลี่ยนระบบ HIS ใหม่ ประวัติแพ้ยาเก่าไม่ขึ้น ผป.ได้ยาที่เคยแพ้", "process"),
    "orders_doubled": ("ระบบสั่งยาสร้างรายการ warfarin ซ้ำ 2 บรรทัด ผป.ได้ยาเกิน", "process"),
    "form_changed": ("ใบขอตรวจฉบับใหม่ไม่มีช่องระบุการตั้งครรภ์ หญิงตั้งครรภ์ได้ x-ray", "process"),
    "booking_lost": ("ใบจองห้องผ่าตัดหาย ผป.งดน้ำงดอาหารมาแล้วต้องเลื่อน", "process"),
    "point_closed": ("จุดคัดกรองไข้ปิด 16.00 น. ผป.ไข้ไอมาตอนเย็นนั่งรอปนกับคนอื่น", "process"),
    "no_order": ("ผูกยึดผป.เมาไว้ทั้งคืนโดยไม่มีคำสั่งแพทย์", "process"),
    # communication: a dose given and not charted, a referral letter that left out what mattered, the queue display
    "not_charted": ("พยาบาลเวรเช้าฉีดยาแล้วไม่ได้ลงบันทึก เวรบ่ายฉีด morphine ซ้ำ", "communication"),
    "letter_short": ("ใบ refer ไป รพ.จังหวัดไม่ได้ระบุว่าผป.กิน warfarin อยู่", "communication"),
    "queue_display": ("จอเรียกคิวห้องยาดับทั้งเช้า คนไข้สูงอายุไม่รู้ว่าถึงคิว", "communication"),
    # medication: the wrong patient by another verb or by the drug's name, a drug found run out
    "eye_drops": ("คลินิกตาหยอดยาชาให้เด็กผิดคน", "medication"),
    "named_drug": ("ward ศัลย์ ให้ enoxaparin ผิดคน ชื่อเล่นเหมือนกัน", "medication"),
    "blood_thai": ("ให้เลือดผิดคนที่ห้องพิเศษ ผป.หนาวสั่น", "medication"),
    "ran_out": ("ผป.ชักต่อเนื่อง เปิดตู้ยาพบว่า diazepam หมด ต้องวิ่งไปเบิก", "medication"),
    # environment: a device's guard or consumable missing or worn
    "ekg_paper": ("ER เครื่อง ECG กระดาษหมด ทำคลื่นหัวใจไม่ได้ 20 นาที", "environment"),
    "lead_apron": ("เสื้อตะกั่วห้องสวนหัวใจชำรุดเป็นรู", "environment"),
    "safety_glass": ("กระจกหน้าต่างห้องแยกจิตเวชไม่ใช่แบบนิรภัย ผป.ต่อยแตก", "environment"),
    "shelf": ("ชั้นวางน้ำยาล้างไตพังลงมาทับเท้าพนักงาน", "environment"),
    "guard_missing": ("เครื่องบดอาหารฝาครอบหาย แม่ครัวนิ้วเข้าไปในเครื่อง", "environment"),
    "gas_hose": ("สายแก๊สหม้อต้มโรงซักฟอกแตก กลิ่นแก๊สทั้งอาคาร", "environment"),
    "filter": ("ไส้กรองเครื่องทำน้ำ RO ไม่ได้เปลี่ยน 8 เดือน", "environment"),
}


@pytest.mark.parametrize(("text", "topic"), list(CAUSES.values()), ids=list(CAUSES))
def test_causes_are_heard(text: str, topic: str) -> None:
    assert topic in contributing_causes(text), contributing_causes(text)


NOT_CAUSES = {
    # a task done by one person with no second check is how it was done, not a short shift
    "task_alone": ("ตั้งค่าปั๊ม insulin โดยพยาบาลคนเดียวไม่มีคนตรวจซ้ำ ผป.น้ำตาลต่ำ", "staffing"),
    # nurses counted against beds stay the event's (tune11); another post named with a vacancy of a bed
    "beds": ("เวรดึกพยาบาล 2 คน ผู้ป่วย 30 เตียง ผป.ตกเตียง", "staffing"),
    "bed_free": ("เตียง ICU ว่างแล้ว ย้ายผป.ขึ้นไป", "staffing"),
    # an anaesthetist named as a missing specialty is the older files' care, not a staffing cause (tune25)
    "specialty": ("รพ.ชุมชนไม่มีวิสัญญีแพทย์ประจำ ต้อง refer ผ่าคลอด", "staffing"),
    # copying into a ward's file is a hand-over, not the record system; phishing leaks are privacy (tune11)
    "copy_file": ("เบอร์ญาติไม่ได้ถ่ายข้อมูลเข้าแฟ้ม ward", "process"),
    "phishing": ("จนท.หลงกรอกรหัสในอีเมลปลอม ข้อมูลผป. 200 รายหลุด", "process"),
    # blood components named in Latin are left to the codes (tune22 labels a wrong-patient FFP safety_privacy only)
    "ffp": ("ให้ FFP ผิดคน ถุงของเตียง 4", "medication"),
    "draw": ("เจาะเลือดผิดคน ติดสติกเกอร์สลับ", "medication"),
    "expiry": ("พบว่า insulin หมดอายุ 2 ขวดในตู้เย็น", "medication"),
    # a broken part named as what the patient lost, not a device
    "filter_changed": ("เปลี่ยนไส้กรองเครื่องทำน้ำตามรอบแล้ว", "environment"),
}


@pytest.mark.parametrize(("text", "topic"), list(NOT_CAUSES.values()), ids=list(NOT_CAUSES))
def test_look_alikes_are_no_cause(text: str, topic: str) -> None:
    assert topic not in contributing_causes(text), contributing_causes(text)


def test_a_named_cause_survives_the_codes_vote(analyzer: Analyzer) -> None:
    # the harm words (a bleed, an ICU stay, a re-operation) point to care; the report names the lone nurse's census
    r = incident(
        analyzer,
        "ward ศัลยกรรมหญิง เวรดึก มี RN เพียง 1 คน ต้องดูแลผป.หลังผ่าตัดอีก 6 ราย ผป.เตียง 4 ตกเลือดจากแผลผ่าตัด"
        "ไม่มีใครเห็น ความดันตก ย้าย ICU ผ่าตัดห้ามเลือดซ้ำ",
    )
    assert "staffing" in codes(r), r.details["cause"]


# --- words the lexicon read wrongly -------------------------------------------------------------------------


def test_negation_is_no_typo_of_wood(analyzer: Analyzer) -> None:
    # "ผลไม่…" (the result was not …) is no "ผลไม้" (fruit); fruit itself stays food
    r = incident(analyzer, "ผล CT ไม่ได้แจ้งแพทย์เจ้าของไข้ ผป.ได้รับการผ่าตัดช้า 1 วัน")
    assert "food" not in codes(r), r.topics
    assert "food" not in codes(analyzer.analyse("ผลไม่ออกสักที รอทั้งวัน", question="complaint"))
    assert "food" in codes(analyzer.analyse("อยากให้มีผลไม้ในอาหารเช้าค่ะ", question="improvement"))


def test_missing_wristband_is_identification(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ทารกย้ายจากห้องคลอดมาหลังคลอด ไม่มีป้ายข้อมือ พยาบาลพบตอนจะฉีดวัคซีน")
    assert "safety_privacy" in codes(r) and "parking_access" not in codes(r), r.topics
    # a missing sign stays getting around the hospital
    assert "parking_access" in codes(analyzer.analyse("ทางไปตึกเอกซเรย์ไม่มีป้ายบอกทาง หาไม่เจอ", question="complaint"))


def test_denied_harm_names_no_topic(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ตู้สาขาโทรศัพท์ล่ม 40 นาที ใช้มือถือประสานแทน ไม่มีผู้ป่วยได้รับอันตราย")
    assert "safety_privacy" not in codes(r), r.topics
    # the same word judged, not denied, stays
    r = incident(analyzer, "ทางลาดหน้าตึกชันและลื่น อันตราย ผป.นั่งรถเข็นไถลลงมา")
    assert "safety_privacy" in codes(r), r.topics


def test_a_wait_an_outage_cost_is_the_outage(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ระบบ LIS ล่ม 3 ชม. ใช้ใบส่งตรวจกระดาษ ผป.OPD รอผลเลือดนานขึ้น 2 ชม.")
    assert "process" in codes(r) and "waiting" not in codes(r), r.topics
    # a wait told as the cause stays
    r = incident(analyzer, "ผป. stroke รอ CT 3 ชม. เพราะคิวยาว เลยเวลาให้ยาละลายลิ่มเลือด")
    assert "waiting" in codes(r), r.topics


# --- severity and sentinel ----------------------------------------------------------------------------------

NOT_SENTINEL = {
    "cpr_elsewhere": "เวรบ่ายพยาบาลไปช่วย CPR ผป.ห้อง 12 ยาปฏิชีวนะห้อง 3 ให้ช้า 2 ชม. ผป.อาการคงที่",
    "cpr_in_census": "ER ดูแลผป.หนักพร้อมกัน 4 ราย (CPR 2 ราย) ผป.ไข้สูงได้ยาลดไข้ช้า 1 ชม. ไม่มีอาการแย่ลง",
    "icu_denied": "ผป.ใน 5 รายท้องเสียหลังมื้อเย็น ให้ ORS และ IV fluid ไม่มีรายใดต้องเข้า ICU",
    "oxygen_denied": "ท่อออกซิเจนกลางแรงดันตก 30 นาที สลับใช้ถัง ไม่มีผู้ป่วยขาดออกซิเจน",
    "non_haemolytic": "ให้ PRC แล้วไข้ หนาวสั่น กรุ๊ปตรง ผลเป็น non-hemolytic febrile reaction ให้ยาลดไข้",
    "fire_alarm": "ระบบแจ้งเหตุเพลิงไหม้ดังที่ห้องซักฟอก เพราะฝุ่นในหัวจับควัน ไม่มีเหตุ",
    "skin_burn": "หลังผ่าตัดพบผิวหนังบริเวณก้นไหม้ใต้แผ่นสายดิน 3 cm ทำแผล",
    "on_ett_setting": "ผป. on ETT 5 วัน เกิดแผลที่ริมฝีปากจากเชือกผูกท่อ ทำแผล",
    "subclavian": "แทง subclavian line ครั้งที่ 3 เกิด pneumothorax ใส่สายระบายทรวงอก",
    "rescue_vehicle": "รถพยาบาลยางแตกระหว่างทาง ผป.ถูกส่งต่อด้วยรถกู้ชีพของ อบต. ถึงปลายทางปลอดภัย",
}


@pytest.mark.parametrize("text", list(NOT_SENTINEL.values()), ids=list(NOT_SENTINEL))
def test_harm_not_this_patients_is_no_sentinel(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert not r.sentinel, r.details
    assert band(r.severity) not in ("GI", "45"), (r.severity, r.details["severity_reasons"])


SENTINEL = {
    # the look-alikes' own events, told of this patient
    "cpr_this": "พยาบาลพบผป.ห้อง 3 ไม่มีชีพจร ทำ CPR 10 นาที ROSC",
    "icu_needed": "ผป.ท้องเสียรุนแรงหลังมื้อเย็น ความดันตก ต้องเข้า ICU",
    "fire_put_out": "ไฟไหม้ตู้ไฟห้องซักฟอก ใช้ถังดับเพลิง 2 ถัง ดับได้",
    # lasting harm told with the months in brackets, on imaging, or as grafted skin
    "months_bracket": "ให้ยาละลายลิ่มเลือดช้า ปัจจุบัน (6 เดือน) ขาซ้ายยังอ่อนแรง เดินเองไม่ได้",
    "imaging": "ผป.ได้ออกซิเจนไม่ได้ 15 นาทีเพราะ flowmeter ชำรุด MRI ภายหลังพบสมองเสียหายจากการขาดออกซิเจน",
    "graft": "ยา dopamine รั่วออกนอกเส้นที่หลังมือ ผิวหนังเนื้อตาย ต้องทำ skin graft",
}


@pytest.mark.parametrize("text", list(SENTINEL.values()), ids=list(SENTINEL))
def test_sentinel_events_still_heard(analyzer: Analyzer, text: str) -> None:
    assert incident(analyzer, text).sentinel


def test_lasting_harm_keeps_the_report_clinical(analyzer: Analyzer) -> None:
    # a failed device (a general code's words) with a patient's brain damaged: clinical G, sentinel
    r = incident(
        analyzer,
        "เครื่องอุ่นทารกแบบ servo เซนเซอร์หลุด เครื่องไม่เตือน ทารกตัวร้อน 40 °C ชัก ต่อมา MRI พบสมองเสียหาย",
    )
    assert r.details["scale"] == "clinical" and band(r.severity) == "GI" and r.sentinel, r.details
    # a disabled person's car park names no harm done
    r = incident(analyzer, "ที่จอดรถผู้พิการหน้า OPD มีรถเจ้าหน้าที่จอดทับ ผป.นั่งรถเข็นต้องลงที่ถนน")
    assert not r.sentinel and r.details["scale"] == "general", r.details


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("แม่บ้านตกบันไดหนีไฟ ข้อมือหัก ผ่าตัดใส่เหล็ก", "45"),
        ("พนักงานซักฟอกยกถุงผ้าหนัก ปวดหลัง ส่งทำกายภาพ", "3"),
        ("พนักงานเปลลื่นในห้องน้ำ เข่าบวม ลาป่วย 4 วัน", "3"),
        ("ตรวจสุขภาพประจำปี ผู้ช่วยพยาบาล ward ชายตรวจพบวัณโรค", "3"),
        ("ไฟฟ้าไม่มาทั้งอาคารโรงครัว 3 ชม. การไฟฟ้ามาต่อสายที่ขาด", "3"),
        # asked for, not taken: no harm told (tune19)
        ("เวรเปลเครียดจากอยู่เวรควบ ขอลาป่วย 1 วัน", "12"),
    ],
)
def test_general_levels(analyzer: Analyzer, text: str, expected: str) -> None:
    r = incident(analyzer, text)
    assert band(r.severity) == expected, (r.severity, r.details)


@pytest.mark.parametrize(
    ("text", "scale"),
    [
        # a worker's own fall and broken bone: the worker's injury (general 1–5), whatever the codes' vote says
        ("เวรเปลสะดุดทางลาดหน้าตึก ข้อเท้าหัก ต้องใส่เฝือก", "general"),
        ("พนักงานทำความสะอาดลื่นพื้นเปียก ล้มแขนหัก", "general"),
        # look-alikes: a patient's fall found by staff, a patient named between, stays clinical
        ("เจ้าหน้าที่พบผู้ป่วยลื่นล้มในห้องน้ำ แขนหัก", "clinical"),
        ("แม่บ้านลื่นชนผู้ป่วยล้ม ผู้ป่วยสะโพกหัก", "clinical"),
    ],
)
def test_a_workers_fall_with_a_broken_bone_is_graded_general(analyzer: Analyzer, text: str, scale: str) -> None:
    r = incident(analyzer, text)
    assert r.details.get("scale") == scale, (r.severity, r.details)
