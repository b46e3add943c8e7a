"""Issue 14, round 13: incident families read from the analyser's errors on tune33.jsonl (blind13i's short HRMS
reports from units the project lacked: radiology, IT, motor pool, finance, the prison clinic, security).

Each report is written here the way staff type into the risk system, unlike tune33's lines, with look-alikes that must
keep their flag or topic: a sentinel word that names a device, a drug, a lane or a test result is no event; cash short
of the account with the police told is a theft, press on the phone is the media.
"""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import contributing_causes
from tests.support import incident

# --- sentinel: words of the lists that name no event (false alarms) ---------------------------------------------------

NOT_SENTINEL = {
    # X-ray slang: "ยิง" is taking the film
    "xray_shot": "ห้อง x-ray: ผป.ข้อมือ ใบสั่งเขียนข้างขวา น้องยิงฟิล์มไปแล้ว 1 รูปค่อยเห็นว่าข้างซ้ายที่เจ็บ ยิงใหม่ให้ ผป.ไม่เป็นไร",
    # a transformer that blew: a power cut, no bomb
    "transformer": "หม้อแปลงหลังตึกอุบัติเหตุระเบิดตอนฝนตก ไฟดับ 40 นาที เครื่องสำรองไฟติดช้า ไม่มีคนไข้เป็นอะไร",
    # a network switch that burnt out: an outage, no fire
    "switch": "งาน IT: สวิตช์ชั้น 3 ไหม้ ระบบคิวใช้ไม่ได้ครึ่งวัน ต้องเขียนบัตรคิวมือ สั่งของใหม่แล้ว",
    # a disease's drug, two prisoners: no cluster
    "tb_drug": "สถานพยาบาลเรือนจำ: ยาวัณโรคของผู้ต้องขัง 2 คนจัดใส่ซองสลับกัน เห็นก่อนแจก ไม่มีใครกินผิด",
    # a dengue test that came back negative
    "dengue_negative": "ผป.ไข้ 3 วัน จนท.ห้องบัตรให้ไปรอแผนกทั่วไปนาน 2 ชม. ผล dengue NS1 neg ให้ยาลดไข้กลับบ้าน ญาติบ่นเรื่องรอ",
}


@pytest.mark.parametrize("case", sorted(NOT_SENTINEL))
def test_r13_33_words_naming_no_event_raise_no_flag(analyzer: Analyzer, case: str) -> None:
    a = incident(analyzer, NOT_SENTINEL[case])
    assert not a.sentinel, (case, a.details["severity_reasons"], a.details["sentinel_cues"])


def test_r13_33_fire_lane_is_no_fire(analyzer: Analyzer) -> None:
    # the fire engine's lane blocked: no fire heard (the level, and HA's pair at it, are the band's)
    a = incident(analyzer, "มีรถมาจอดทับทางรถดับเพลิงหน้าตึกใน ทุกวันพุธ รปภ.ติดป้ายเตือนแล้วก็ยังจอด ขอกรวยมาวางกั้น")
    assert not any(r.startswith("fire") for r in a.details["severity_reasons"]), a.details["severity_reasons"]
    assert "fire_extinguished" not in a.details["sentinel_cues"]


def test_r13_33_defibrillator_checked_is_no_arrest(analyzer: Analyzer) -> None:
    # the defibrillator as equipment checked and charged: no shock given (the H level its name hears is the band's)
    a = incident(analyzer, "เวรเช้าเช็ครถ emergency ตรวจ defib ไม่ผ่าน แบตหมด ชาร์จไม่เข้า ยืมของ ward อื่นมาแทน ยังไม่ได้ใช้กับผป.")
    assert "arrest" not in a.details["sentinel_cues"]
    assert not any(r.startswith("arrest") for r in a.details["severity_reasons"]), a.details["severity_reasons"]


STILL_SENTINEL = {
    # a shot fired, near the X-ray room
    "gunfire": "คนร้ายยิงปืนใส่คู่อริหน้าห้อง x-ray กระสุนถูกญาติผป.ที่ขา ตำรวจมาควบคุมตัว",
    # a bomb, not a part that blew
    "bomb": "มีคนโยนระเบิดปิงปองเข้ามาลานจอดรถ ER ญาติบาดเจ็บ 2 คน ตำรวจปิดพื้นที่",
    # a fire put out, in the same lane
    "fire": "ไฟไหม้ห้องเก็บของข้างทางรถดับเพลิง ควันเต็มทางเดิน ใช้ถังดับเพลิง 2 ถังดับได้",
    # a shock given on a patient
    "defib_used": "ผป.ward ชาย VF ทำ CPR + defib 200 J 2 ครั้ง ROSC ย้าย ICU",
    # a positive test, two cases in the ward
    "dengue_positive": "ward เด็ก NS1 positive 2 ราย นอนห้องเดียวกัน ไม่ได้กางมุ้ง แจ้งระบาดวิทยาแล้ว",
    # cash short of the account, police told
    "cash_short": "ห้องการเงิน: ปิดยอดเย็นพบเงินสดขาด 24,500 บาท ตรวจกล้องไม่ชัด แจ้งความที่ สภ. แล้ว",
    # the press calling about a clip
    "press": "ญาติอัดคลิปพยาบาลเสียงดังใส่ ลงเพจดังของจังหวัด สื่อโทรมาขอข้อมูล ทีมประชาสัมพันธ์ตอบแล้ว",
}


@pytest.mark.parametrize("case", sorted(STILL_SENTINEL))
def test_r13_33_look_alikes_keep_their_flag(analyzer: Analyzer, case: str) -> None:
    a = incident(analyzer, STILL_SENTINEL[case])
    assert a.sentinel, (case, a.details["severity_reasons"], a.details["sentinel_cues"])


NOT_THEFT = {
    # cash short, found and counted again, no police
    "cash_short_no_police": "การเงิน OPD: ปิดยอดเงินสดขาด 300 บาท นับใหม่เจอเงินตกหลังลิ้นชัก ยอดตรง",
    # the press, denied
    "no_press": "ญาติขู่จะเอาไปลงเพจ แต่คุยกันเข้าใจ ไม่มีสื่อติดต่อมา ไม่ได้โพสต์",
}


@pytest.mark.parametrize("case", sorted(NOT_THEFT))
def test_r13_33_money_and_press_need_their_event(analyzer: Analyzer, case: str) -> None:
    a = incident(analyzer, NOT_THEFT[case])
    assert not a.sentinel, (case, a.details["severity_reasons"], a.details["sentinel_cues"])


# --- codes: a theft reported to the police is no lawsuit ----------------------------------------------------------


def _codes(analyzer: Analyzer, text: str) -> list[str]:
    return [r.code for r in incident(analyzer, text).risk_codes]


def test_r13_33_theft_told_to_police_is_no_lawsuit(analyzer: Analyzer) -> None:
    got = _codes(analyzer, "คอมพิวเตอร์โน้ตบุ๊คห้องประชุมหายไปช่วงวันหยุดยาว ประตูไม่ได้ล็อก แจ้งความ สภ.ไว้แล้ว")
    assert not {"GPM205", "GPM206", "GPM207"} & set(got), got
    assert "GOI201" in got, got


def test_r13_33_a_charge_pressed_keeps_the_lawsuit_codes(analyzer: Analyzer) -> None:
    # money taken and the charge pressed ("แจ้งความดำเนินคดี"), and a civil suit: the legal codes stay
    got = _codes(analyzer, "จนท.การเงินเอาเงินค่ารักษาไปใช้ แล้วเงินหาย 30,000 บาท ผอ.แจ้งความดำเนินคดีอาญา")
    assert {"GPM206", "GPM207"} & set(got), got
    got = _codes(analyzer, "ญาติผป.ยื่นฟ้องศาลแพ่งเรียกค่าเสียหาย 3 ล้าน หลังแผลผ่าตัดติดเชื้อ")
    assert "GPM206" in got, got


# --- cause topics told in the words of units the lexicon lacked ------------------------------------------------------

CAUSES = {
    # the kitchen's stock gone bad, pests in the store
    "spoilt_stock": ("โรงครัว: ไก่สดที่ร้านส่งมาเช้านี้เหม็นเน่า ต้องเปลี่ยนเมนูกลางวัน ตีกลับร้าน", "food"),
    "pests_in_store": ("ห้องเก็บของครัว เจอขี้หนูในกระสอบข้าวสาร 2 กระสอบ ทิ้งทั้งหมด ปิดรูที่ผนัง", "food"),
    "shop_price": ("ญาติแจ้งว่าร้านค้าในตึกผู้ป่วยใน ขายน้ำดื่มเกินราคา ไม่มีป้ายราคาติด", "food"),
    # each team sure the other did it, orders in another chat group
    "each_thought": ("รพ.สต.กับทีม COC ต่างคนต่างคิดว่าอีกทีมไปล้างแผลแล้ว ยายไม่ได้ล้างแผล 5 วัน แผลเหม็น", "communication"),
    "other_group": ("ward แจ้งขอเปลในไลน์ แต่เวรเปลใช้คนละกลุ่ม ไม่มีใครเห็น ผป.ไป CT ช้า 40 นาที", "communication"),
    # a record keyed wrong, a system in error, no referral guideline
    "keyed_wrong": ("ห้องบัตรคีย์วันเกิดผิดในระบบ ผล lab ไปผูกกับอีกแฟ้ม แก้ในระบบแล้ว", "process"),
    "system_error": ("เช้าวันจันทร์ HOSxP error ทั้ง OPD 2 ชม. ใช้ใบสั่งยากระดาษ", "process"),
    "no_guideline": ("รพ.สต.ไม่มีแนวทางส่งต่อเด็กหอบ ให้พ่นยาแล้วกลับบ้าน กลางคืนมา ER ต้อง admit", "process"),
    # a guard's shove, a worker positive for amphetamine
    "guard_shoved": ("ยามหน้า ER ผลักญาติออกจากประตู ญาติไม่พอใจ ร้องเรียนถึงหัวหน้า", "staff_behavior"),
    "amphetamine": ("พนักงานทำความสะอาดตรวจปัสสาวะ methamphetamine positive ขณะอยู่เวร พักงานแล้ว", "staff_behavior"),
    # a patient who got away, gloves not changed, records sent without consent
    "absconded": ("ผป.ชายจิตเวชหนีออกทางประตูห้องซักผ้าที่ล็อกไม่ได้ ตามเจอที่ป้ายรถเมล์", "safety_privacy"),
    "gloves": ("ผช.ทำแผลเตียง 3 ต่อเตียง 4 ไม่เปลี่ยนถุงมือ หัวหน้าเห็นเลยให้หยุด", "safety_privacy"),
    "no_consent": ("ห้องเวชระเบียนถ่ายเอกสารผลตรวจให้บริษัทนายจ้างไป โดยไม่ได้ขออนุญาตผป.ก่อน", "safety_privacy"),
}


@pytest.mark.parametrize("case", sorted(CAUSES))
def test_r13_33_causes_told_in_new_words(analyzer: Analyzer, case: str) -> None:
    text, topic = CAUSES[case]
    assert topic in contributing_causes(text), (case, contributing_causes(text))
    a = incident(analyzer, text)
    assert topic in [t.code for t in a.topics], (case, [(t.code, t.evidence) for t in a.topics])


NOT_CAUSES = {
    # a patient's own food gone off at the bedside is no kitchen stock; the food is named, not judged
    "relative_food": ("ญาตินำผัดกะเพราจากบ้านมาให้ผป.เบาหวาน DTX 350 แจ้งแพทย์ปรับยา", "food"),
    # one team that thought wrong ("คิดว่า"), no other side it failed to tell
    "one_team": ("ทีมกายภาพคิดว่าผป.เดินเองได้แล้ว ให้ลุกเดินไปห้องน้ำคนเดียว ผป.ล้ม ข้อมือเคล็ด", "communication"),
    # the key of a room, no record keyed
    "door_key": ("กุญแจห้องยาหาย ต้องงัดประตู เปลี่ยนกุญแจใหม่", "process"),
    # a relative who pushed a guard: the relative's act, no staff conduct
    "relative_shoved": ("ญาติเมาผลักยามหน้า ER ล้ม ตำรวจมาควบคุมตัว", "staff_behavior"),
    # a patient who went home without paying: the bill's, no one lost
    "left_unpaid": ("ผป.ห้องพิเศษหนีกลับบ้านตอนเช้า ค้างค่าห้อง 4 คืน ติดต่อญาติไม่ได้", "safety_privacy"),
}


@pytest.mark.parametrize("case", sorted(NOT_CAUSES))
def test_r13_33_look_alikes_add_no_cause(analyzer: Analyzer, case: str) -> None:
    text, topic = NOT_CAUSES[case]
    assert topic not in contributing_causes(text), (case, contributing_causes(text))
    a = incident(analyzer, text)
    assert topic not in [t.code for t in a.topics], (case, [(t.code, t.evidence) for t in a.topics])


# --- staff conduct seen by others is the conduct, not a privacy or security event -------------------------------------

WITNESSED = {
    "mocked": "พยาบาลดุด่าผป.จิตเวชต่อหน้าคนอื่นว่าบ้า ผป.ร้องไห้ ญาติไม่พอใจ",
    "filmed": "เภสัชพูดเสียงดังใส่ยายที่ช่องจ่ายยาว่าไม่ฟังเลย คนที่รอคิวถ่ายคลิปไว้ ส่งร้องเรียน",
    "quarrel": "จนท.ห้องบัตร 2 คนทะเลาะกันเรื่องแบ่งงานต่อหน้าคนไข้ที่รอ เสียงดัง คนไข้ถ่ายคลิปไว้",
}


@pytest.mark.parametrize("case", sorted(WITNESSED))
def test_r13_33_conduct_seen_by_others_is_staff_behavior(analyzer: Analyzer, case: str) -> None:
    a = incident(analyzer, WITNESSED[case])
    got = [t.code for t in a.topics]
    assert "staff_behavior" in got and "safety_privacy" not in got, (case, [(t.code, t.evidence) for t in a.topics])


KEEPS_SAFETY = {
    # a fight that broke a bone: security too (tune19, tune9)
    "hurt": "จนท.ซักฟอก 2 คนทะเลาะกันแล้วชกต่อย คนหนึ่งฟันหัก ต้องเย็บปาก",
    # a disease told aloud in front of the queue: a privacy breach of its own
    "disclosed": "พยาบาลเรียกชื่อผป.แล้วพูดต่อหน้าคนอื่นว่ามารับยาต้าน HIV ผป.อับอาย",
}


@pytest.mark.parametrize("case", sorted(KEEPS_SAFETY))
def test_r13_33_harm_or_a_disclosure_keeps_safety(analyzer: Analyzer, case: str) -> None:
    a = incident(analyzer, KEEPS_SAFETY[case])
    assert "safety_privacy" in [t.code for t in a.topics], (case, [(t.code, t.evidence) for t in a.topics])
