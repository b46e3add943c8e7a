"""Issue 14, helper nlp-sent7: sentinel incidents told by writers the analyser has not met (tune19.jsonl).

tune19's sentinel misses and false alarms were fixed by family (how that kind of event is told), not by line:
every report below is written here in other words than the file's. Each test failed before the change, except
the GUARDS, which keep the new exceptions from hiding real events."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.analyzer import Analysis
from tests.support import incident


def why(r: Analysis) -> tuple[object, ...]:
    return (r.severity, r.details.get("sentinel_cues"), r.details.get("severity_reasons"))


# --- recall: sentinel events told in ways the rules did not hear ------------------------------------------------
SENTINEL = {
    # a death typed with a vowel dropped
    "death_typo": "ผู้ป่วยหญิงลื่นในห้องน้ำ ศีรษะฟาดขอบอ่าง ญาติพบตอนเช้า เสียชวิต",
    "death_typo_general": "ช่างซ่อมแอร์ตกจากนั่งร้านหลังตึก OPD เสียชีวต ที่เกิดเหตุ",
    # a cluster whose count has no unit, or whose infection is typed in English with "+"
    "cluster_count_without_unit": "ห้องคลอด พยาบาล 3 ผช. 2 มีไข้ เจ็บคอ ตรวจ RT-PCR influenza A ผลบวกทั้ง 5",
    "cluster_english_plus": "นักศึกษาแพทย์ที่ขึ้น ward เด็ก มีไข้ ตุ่มน้ำใส ผล varicella IgM + 2 คนในสัปดาห์เดียว",
    # an ICU stay the event caused
    "icu_stay": "ส่องกล้องตัดติ่งเนื้อลำไส้ แล้วลำไส้ทะลุ ผ่าตัดเย็บซ่อม ต้องนอน ICU 4 วัน",
    # a loss told as for good, muscle that died, a state still there months later with spaces in between
    "loss_for_good": "ฉีดยาเข้าสะโพกโดนเส้นประสาท เท้าซ้ายยกไม่ขึ้นอีกเลย",
    "months_later_spaced": "ตกเตียงศีรษะกระแทก หลังจากนั้น 3 เดือนแล้ว ยังนอนติดเตียง ลุกนั่งเองไม่ได้",
    # resuscitation typed with the tone mark wrong
    "cpr_typo": "เวรเช้าพบคุณยายเตียง 9 นอนนิ่ง ตัวเขียว ตามทีมมาช่วยกันปั้มหัวใจ 15 นาที",
    # two patients swapped on the way to a procedure
    "patients_swapped": "ผป. 2 รายชื่อคล้ายกัน นัดเวลาเดียวกัน เปลสลับตัวกันหน้าห้องผ่าตัด คนที่นัดส่องกล้องได้ทำไส้เลื่อน",
    # a natural disaster that forced patients out
    "disaster_evacuation": "แผ่นดินไหว ผนังตึกผป.ในร้าว ต้องย้ายผู้ป่วยทั้งหมด 26 รายลงมาที่เต็นท์",
    # the media told by what they did
    "media_act": "ญาติอัดคลิปว่าหมอไม่ยอมตรวจ ทีวีช่อง 7 มาทำข่าวหน้าโรงพยาบาล",
    # a scar that pulls, left for good after a burn
    "scar_contracture": "กระเป๋าน้ำร้อนลวกหลังเท้าผป.เบาหวาน แผลหายแต่แผลเป็นดึงรั้ง นิ้วเท้างอค้าง",
}


@pytest.mark.parametrize("text", SENTINEL.values(), ids=SENTINEL.keys())
def test_sentinel_told_in_other_words(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.sentinel, why(r)


# --- precision: look-alikes that name an event without one happening -------------------------------------------
NOT_SENTINEL = {
    # a vaccine named for a disease
    "vaccine_named": "ผป.มารับวัคซีนพิษสุนัขบ้าเข็มที่ 3 พยาบาลลงวันนัดเข็มต่อไปผิด โทรแจ้งแก้ไขแล้ว",
    # an ICU transfer the report denies
    "icu_denied": "หลังผ่าตัด sat 87% ให้ O2 mask 10 ลิตร ดีขึ้นเป็น 97% ไม่ต้องส่ง ICU",
    # a rehearsed code on a mannequin
    "mannequin_drill": "ฝึก code blue ประจำเดือน ward ศัลย์ชาย ใช้หุ่น CPR ทีมมาครบใน 4 นาที AED แบตเหลือน้อย",
    # fire equipment named in English
    "smoke_detector": "smoke detector หน้าห้องผ่าตัด 3 ดังเองตอนตีสอง ตรวจรอบบริเวณแล้วปกติ แจ้งช่าง",
    # a flame denied, a burning smell alone
    "flame_denied": "ได้กลิ่นไหม้จากสายชาร์จโทรศัพท์ที่เคาน์เตอร์ ไม่มีเปลวไฟ ถอดปลั๊กแล้ว",
    # a cold body with its temperature charted
    "cold_measured": "ทารกแรกเกิดตัวเย็น วัดได้ 35.4 องศา เพราะเครื่องให้ความอบอุ่นไม่ได้เปิดก่อน ห่อผ้า อุ่นขึ้นปกติ",
    # resuscitation not done by the family's wish
    "cpr_not_wished": "ผป.มะเร็งตับ ญาติขอไม่ทำ CPR หายใจช้าลงเรื่อยๆ ถึงแก่กรรม แพทย์แจ้งญาติ",
    # a weapon shown with a threat, nobody hurt
    "weapon_shown": "ลูกชายผป.ถือมีดพร้าเข้ามาตะโกนที่ ward รปภ.ยึดมีดได้ ไม่มีผู้บาดเจ็บ",
    # property smashed, the police came, nobody hurt
    "property_smashed": "ชายเมาใช้มือทุบตู้กระจกหน้าห้องบัตรแตก ตำรวจมารับตัวไป ไม่มีผู้ได้รับบาดเจ็บ",
    # a wrong side caught at the sign-in
    "wrong_side_caught": "mark ผ่าตัดนิ้วผิดข้าง ตรวจพบตอน sign in ก่อนดมยา แก้ไขเรียบร้อย",
}


@pytest.mark.parametrize("text", NOT_SENTINEL.values(), ids=NOT_SENTINEL.keys())
def test_look_alike_is_not_sentinel(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert not r.sentinel, why(r)


def test_muscle_that_died_is_permanent_harm_not_a_death(analyzer: Analyzer) -> None:
    r = incident(analyzer, "ใส่เฝือกขาแน่นเกิน บ่นปวดทั้งคืนไม่ได้รายงาน เช้ากล้ามเนื้อน่องตาย ต้องผ่าตัดเอาออก")
    assert r.sentinel and r.severity == "G", why(r)


GUARDS_SENTINEL = [
    "พบผป.ไม่หายใจ ไม่ได้ CPR ทันทีเพราะรถ crash cart อยู่อีกตึก ผป.เสียชีวิต",  # resuscitation late, not declined
    "ชายเมาใช้มีดแทงพยาบาลที่แขน เย็บ 6 เข็ม ตำรวจมาควบคุมตัว",  # a weapon used, someone hurt
    "เด็กเป็นไข้เลือดออกใน ward 2 ราย หลังพบลูกน้ำในห้องน้ำ ทั้งที่ฉีดวัคซีนไข้เลือดออกแล้ว",  # a case beside a vaccine
    "ผ่าตัดเข่าซ้ายแทนเข่าขวา ไม่ได้ทำ time out",  # a wrong side operated
    "ไม่พบควันตอนแรก ต่อมาไฟลุกจากตู้ไฟ ใช้ถังดับเพลิง 2 ถัง",  # a fire that came after a denial
]


@pytest.mark.parametrize("text", GUARDS_SENTINEL)
def test_guards_stay_sentinel(analyzer: Analyzer, text: str) -> None:
    r = incident(analyzer, text)
    assert r.sentinel, why(r)
