"""Incident cause topics told the way new reporters write them (issue 14, nlp-inc21, read from tune21's errors):
porters, drivers, cooks, housekeepers, lab and X-ray staff, clerks and IT name the cause by an act or an object,
not by the lexicon's word. Each family has phrasings of its own (none copied from tune21) and near misses that
must stay out."""

from __future__ import annotations

import pytest

from nlp import Analyzer


def topics(analyzer: Analyzer, text: str) -> set[str]:
    return {t.code for t in analyzer.analyse(text, question="incident").topics}


@pytest.mark.parametrize(
    "text",
    [
        "เวรบ่ายห้องเอกซเรย์เหลือนักรังสีคนเดียว อุบัติเหตุหมู่มา 6 ราย ถ่ายฟิล์มไม่ทัน",
        "คืนนั้นทั้งตึกมีผู้ช่วยเหลือคนไข้คนเดียว ผป.ลุกจากเตียงเองแล้วล้ม",
        "จนท.ห้องบัตรลาป่วย 2 คน เหลือ 1 คน ลงทะเบียนผิดสิทธิ 3 ราย",
        "ตึกพิเศษ พยาบาล 1 คนดูแล 22 ห้อง ผป.ห้อง 7 เรียกแล้วไม่มีใครมา",
        "โรงครัวเวรเช้าเหลือแม่ครัวคนเดียว ส่งอาหารเบาหวานผิดถาด",
    ],
)
def test_a_lone_or_depleted_worker_of_any_trade_is_staffing(analyzer: Analyzer, text: str) -> None:
    assert "staffing" in topics(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "ทีมเยี่ยมบ้านพบยายอยู่บ้านคนเดียว ลื่นล้มในห้องน้ำ ศีรษะแตก",  # the patient lives alone
        "พยาบาลแนะนำไม่ให้ลุกเดินคนเดียว แต่ผป.ลุกเองแล้วล้ม",  # advice to the patient
        "ผป.ทรุดลงกับพื้น มีเจ้าหน้าที่ช่วยพยุงคนเดียว ข้อเท้าพลิก",  # a task done single-handed
    ],
)
def test_alone_said_of_a_patient_or_a_task_is_not_staffing(analyzer: Analyzer, text: str) -> None:
    assert "staffing" not in topics(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "คนขับรถ refer ด่าญาติผป.ว่าโง่ที่ขึ้นรถช้า",
        "แม่บ้านบ่นเสียงดังใส่ญาติผป.ที่ทำน้ำหกบนพื้น",
        "หมอเวรไม่ยอมมาดูผป.ที่ ER พยาบาลโทรตาม 2 รอบ",
        "ผู้ช่วยพยาบาลหยิกแขนผป.เด็กที่ร้องไห้ไม่หยุด",
        "พนักงานเปลแอบนอนหลับระหว่างเวรดึก ward เรียกไม่มา",
        "รปภ.เอารถตู้ของโรงพยาบาลไปใช้ธุระส่วนตัว",
        "จนท.แล็บพูดถึงผป.ว่าอ้วนจนหาเส้นไม่เจอ ต่อหน้าคนที่นั่งรอ",
    ],
)
def test_conduct_told_by_the_act_is_staff_behavior(analyzer: Analyzer, text: str) -> None:
    assert "staff_behavior" in topics(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "ผป.เมาสุราด่าพยาบาลที่ ER ตำรวจมาควบคุมตัว",  # the patient's conduct
        "พยาบาลได้กลิ่นสุราจากผป.ที่มา ER",  # the patient drank
        "ญาติผป.ชกหน้า รปภ. ที่หน้า ER",  # a blow to staff
        "พยาบาลอธิบายซ้ำแล้ว ผป.ไม่ยอมกินยาความดัน",  # the patient refused
        "พขร.มีกลิ่นสุราก่อนออกรถ refer เปลี่ยนคนขับทันที",  # a driver unfit to drive (GPL105)
    ],
)
def test_the_conduct_of_patients_relatives_or_drivers_is_not_staff_behavior(analyzer: Analyzer, text: str) -> None:
    assert "staff_behavior" not in topics(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "ตู้แช่เลือดเสีย อุณหภูมิขึ้น 12 องศา ต้องทิ้งเลือด 8 unit",
        "กริ่งเรียกพยาบาลห้อง 305 ชำรุด ผป.กดแล้วไม่มีเสียง",
        "เครื่องวัดความดันอัตโนมัติค่าเพี้ยน สูงกว่าจริง 30 mmHg ผป.ได้ยาลดความดันเกิน",
        "เครื่องตรวจน้ำตาลปลายนิ้ว ward เด็กไม่ได้สอบเทียบมา 6 เดือน",
        "ก๊าซออกซิเจนท่อกลางแรงดันต่ำ ventilator alarm ทั้ง ICU",
    ],
)
def test_equipment_that_broke_read_wrong_or_went_unchecked_is_environment(analyzer: Analyzer, text: str) -> None:
    assert "environment" in topics(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "ผป.ความดันตก 80/50 หลังให้ยา ให้ NSS 500 ml",  # blood pressure, not a piped gas
        "โทรศัพท์หาญาติไม่ติด แจ้งเยี่ยมไม่ได้",  # a call not answered, no broken phone
    ],
)
def test_a_pressure_drop_or_an_unanswered_call_is_not_environment(analyzer: Analyzer, text: str) -> None:
    assert "environment" not in topics(analyzer, text)


def test_the_harm_after_a_named_cause_is_not_clinical_care(analyzer: Analyzer) -> None:
    found = topics(analyzer, "ออกซิเจนท่อกลางแรงดันตก ผป.ใส่เครื่องช่วยหายใจ desat 55% arrest CPR 4 นาที ROSC")
    assert "environment" in found
    assert "clinical_care" not in found


def test_an_infection_after_surgery_stays_clinical_care(analyzer: Analyzer) -> None:
    # SSI is the care's own outcome: the infection-control cause does not push clinical_care out
    assert "clinical_care" in topics(analyzer, "แผลผ่าตัดไส้เลื่อนบวมแดงมีหนอง SSI ต้องเปิดแผลล้าง ให้ ATB 7 วัน")


@pytest.mark.parametrize(
    "text",
    [
        "ผป.สูงอายุต่อคิวรับบัตรนาน 2 ชม. เป็นลมหน้าห้องบัตร",
        "รอใบรับรองแพทย์ 3 วัน ผป.ยังไม่ได้ไปยื่นประกัน",
        "ผป.รอเปล 50 นาที กว่าจะได้ไปห้องผ่าตัด",
        "คิวผ่าตัดต้อกระจกยาวถึง 5 เดือน ผป.มองไม่เห็นจนล้ม",
        "ตึกพิเศษ ผป.รอใบสรุปค่ารักษา 4 ชม. กว่าจะได้กลับบ้าน",
    ],
)
def test_a_wait_for_papers_a_porter_or_a_queue_told_by_its_length_is_waiting(analyzer: Analyzer, text: str) -> None:
    assert "waiting" in topics(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "พนักงานเปลลาป่วย 2 คน เหลือคนเดียว ผป.ER รอเปลขึ้นตึก 80 นาที",  # too few staff: staffing only
        "pt STEMI รอ refer 2 ชม. เพราะรถพยาบาลคันเดียวออกไปส่งผป.รายอื่น",  # the ambulance that was out
        "นั่งรอตรวจ OPD ปนกับผป.อื่น 2 ชม. ไม่ได้ใส่ mask ผป.สงสัยวัณโรค",  # infection control, no wait judged
    ],
)
def test_a_wait_with_another_cause_is_not_waiting(analyzer: Analyzer, text: str) -> None:
    assert "waiting" not in topics(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "ผลเลือด K 2.8 ออกตั้งแต่บ่าย ไม่มีใครรายงานแพทย์เวร",
        "แล็บรายงานค่าวิกฤตในระบบอย่างเดียว ไม่ได้โทรแจ้งหอผู้ป่วย",
        "ญาติไม่ได้รับแจ้งให้งดน้ำงดอาหารก่อนผ่าตัด ต้องเลื่อนไปบ่าย",
        "ส่งเวรด้วยวาจา ไม่ได้เขียนว่าผป.แพ้ penicillin",
        "ไม่ได้สาธิตการฉีดอินซูลินแบบปากกาให้ผป.ก่อนกลับบ้าน",
    ],
)
def test_a_finding_or_an_instruction_not_passed_on_is_communication(analyzer: Analyzer, text: str) -> None:
    assert "communication" in topics(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "ญาติบอกว่าไม่ได้แจ้งว่าค่าห้องพิเศษไม่รวมอาหาร เก็บเพิ่ม 1,200 บาท",  # a price not told is cost_rights
        "คลอดระยะที่สองนาน FHS ลดลงไม่ได้รายงานแพทย์ ทารก apgar 5",  # a monitoring lapse is care
        "ผป.ตกเตียงตอนตี 2 ไม่ได้แจ้งญาติ ศีรษะโน",  # relatives not told of the event: a passing mention
    ],
)
def test_a_price_or_a_monitoring_lapse_is_not_communication(analyzer: Analyzer, text: str) -> None:
    assert "communication" not in topics(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "หลังอัปเดตโปรแกรม HosXP ใบสั่งยาพิมพ์ไม่ออกทั้งเช้า",
        "ระบบส่งเคลมประกันสังคมส่งข้อมูลไม่ผ่าน 3 สัปดาห์ ไม่มีใครตรวจ",
        "OPD card ของผป.หาไม่พบ ต้องทำแฟ้มใหม่ ตรวจโดยไม่มีประวัติ",
        "ผลชิ้นเนื้อออกแล้ว แต่ไม่มีใครโทรนัดผป.มาฟังผล",
        "ห้องบัตรลงสิทธิ์ผิดเป็นชำระเงินเอง ผป.ต้องกลับมาแก้",
    ],
)
def test_software_records_and_bookings_that_failed_are_process(analyzer: Analyzer, text: str) -> None:
    assert "process" in topics(analyzer, text)


def test_a_doctor_who_booked_no_follow_up_is_not_process(analyzer: Analyzer) -> None:
    # valid.jsonl: a result the doctor did not read and no follow-up booked is the care
    assert "process" not in topics(analyzer, "CT พบก้อนที่ไต แพทย์ไม่ได้ดูผล ไม่ได้นัดติดตาม 8 เดือนต่อมาพบมะเร็งลุกลาม")


@pytest.mark.parametrize(
    "text",
    [
        "ห้องยา รพ.สต. จ่าย Gliclazide แทน Glipizide ผป.หน้ามืดล้มที่บ้าน",
        "ฉีด Enoxaparin 80 mg แทน 40 mg ผป.มีจ้ำเลือดที่หน้าท้อง",
        "วัคซีนพิษสุนัขบ้าหมดสต็อก ผป.ถูกสุนัขกัดต้องไปฉีดที่อื่น",
    ],
)
def test_a_drug_given_in_place_of_another_or_out_of_stock_is_medication(analyzer: Analyzer, text: str) -> None:
    assert "medication" in topics(analyzer, text)


@pytest.mark.parametrize(
    ("text", "cause", "hidden"),
    [
        # the lab technician's grumbling, not noise in the building
        ("นักเทคนิคการแพทย์บ่นเสียงดังต่อหน้าผป.ว่าส่งเลือดมาตรวจทำไมตอนตีสอง", "staff_behavior", "environment"),
        # a tyre that burst on the ambulance, not an explosion
        ("รถ EMS ยางระเบิดขณะไปรับผป. เสียหลักตกข้างทาง จนท.ฟกช้ำ", "parking_access", "safety_privacy"),
    ],
)
def test_a_word_inside_another_causes_words_is_that_causes(
    analyzer: Analyzer, text: str, cause: str, hidden: str
) -> None:
    r = analyzer.analyse(text, question="incident")
    assert [t.code for t in r.topics] == [cause]
    assert hidden in r.details["cause"]["dropped"]


def test_a_food_trolley_without_a_lid_is_not_parking_access(analyzer: Analyzer) -> None:
    found = topics(analyzer, "รถเข็นอาหารผป.ไม่มีฝาปิด ฝุ่นลงในอาหาร")
    assert "food" in found
    assert "parking_access" not in found


@pytest.mark.parametrize(
    "text",
    [
        "พบเส้นผมในข้าวต้มของผป.เตียง 12",
        "ถาดอาหารเย็น มีแมลงวันตอม ไม่มีฝาครอบ",
        "แกงจืดในถาดอาหาร บูด มีกลิ่นเปรี้ยว ผป.ไม่ได้ทาน",
        "มดขึ้นถาดอาหารผป.ที่วางไว้บนโต๊ะข้างเตียง",
    ],
)
def test_food_that_reached_the_patient_dirty_or_spoilt_is_a_food_cause(analyzer: Analyzer, text: str) -> None:
    """Writers file food hygiene under a general code (premises hygiene, a complaint), so no suggested code backs
    food: the cause is told by the dirt or the spoilage in the food (nlp.nrls.FOOD_CAUSE)."""
    assert "food" in topics(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "ผมพบผป.ล้มในห้องน้ำ ศีรษะกระแทกพื้น",  # "ผม" is "I", not hair
        "ฝุ่นเยอะในห้องพักผป. ไม่ได้ทำความสะอาด 3 วัน",  # dust in a room, no food
    ],
)
def test_dust_or_the_word_for_i_without_food_is_no_food_cause(analyzer: Analyzer, text: str) -> None:
    assert "food" not in topics(analyzer, text)
