"""Incident narratives: sentinel cues in clinical shorthand, drills, and the cause as the topic."""

from __future__ import annotations

import pytest

from nlp import Analyzer

SENTINEL = [
    "ได้ยาที่มีประวัติแพ้ เกิดผื่นทั้งตัว ใส่ท่อช่วยหายใจ ย้ายเข้า ICU",
    "ไม่ได้รายงานแพทย์เมื่อคะแนนเตือนสูง อาการทรุด ใส่ท่อช่วยหายใจ",
    "ผ่าตัดแล้วพบกรรไกรค้างในช่องท้อง",
    "stool culture พบ Vibrio cholerae",
    "ให้ยาเร็วเกิน เกิดหัวใจเต้นผิดจังหวะ ต้องช็อกไฟฟ้า",
]
NOT_SENTINEL = [
    "ซ้อมแผน code blue ที่แผนกผู้ป่วยนอก ทีมมาถึงตามเวลา",
]


@pytest.mark.parametrize("text", SENTINEL)
def test_incident_sentinel(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyse(text).sentinel, text


@pytest.mark.parametrize("text", NOT_SENTINEL)
def test_incident_not_sentinel(analyzer: Analyzer, text: str) -> None:
    assert not analyzer.analyse(text).sentinel, text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("HIS ล่ม ห้องบัตรออกบัตรด้วยมือ", "process"),
        ("เวรดึก RN 1 คน ผู้ป่วย 25 ราย", "staffing"),
        ("จัดยาผิดความแรง เภสัชตรวจพบก่อนจ่าย", "medication"),
        ("ลิฟต์ขัดข้อง ผู้ป่วยติดอยู่ 20 นาที", "environment"),
    ],
)
def test_incident_cause_is_the_topic(analyzer: Analyzer, text: str, code: str) -> None:
    assert code in {t.code for t in analyzer.analyse(text).topics}, text


def test_unplanned_reintubation_is_near_death(analyzer: Analyzer) -> None:
    """A complication that needed the airway secured again at once (re-intubation) nearly killed the patient."""
    text = "post thyroidectomy คอบวม hematoma กดทางเดินหายใจ SpO2 60% re-intubate ด่วน ย้าย ICU"
    assert analyzer.analyse(text).sentinel


def test_a_threat_to_go_on_television_is_a_reputation_event(analyzer: Analyzer) -> None:
    """Seed 004 non-clinical (6): an accusation that reaches the media harms the hospital's name."""
    assert analyzer.analyse("ถ้าไม่ชี้แจงเรื่องผลเลือดลูกสาว จะไปออกรายการทีวีให้รู้กันทั้งประเทศ").sentinel


def test_drills_and_advance_directives_are_not_sentinel(analyzer: Analyzer) -> None:
    """A drill with a simulated MERS patient is no case; a death at home under an advance directive was expected.
    A real suspected MERS patient still is."""
    assert not analyzer.analyse("ซ้อมแผนรับผู้ป่วยโรคติดต่ออันตราย จำลองผู้ป่วยสงสัย MERS ที่ ER").sentinel
    assert not analyzer.analyse("ผป. ESRD มี advance directive เสียชีวิตที่บ้านตามความประสงค์").sentinel
    assert analyzer.analyse("รับผู้ป่วยสงสัย MERS ที่ ER แยกห้อง negative pressure").sentinel


@pytest.mark.parametrize(
    "text",
    [
        # Seed 004 clinical (2): a medication error that left permanent harm (level G) is sentinel.
        "ได้ Gentamicin 10 วันไม่ได้ปรับขนาดตามไต สุดท้ายสูญเสียการได้ยินถาวร",
        # A sudden death where the report says there was NO resuscitation order is not an expected death.
        "ผป. pneumonia ตอนเที่ยงคืนยังคุยได้ ตี 3 พบไม่หายใจ CPR 30 นาทีไม่สำเร็จ ไม่มีคำสั่ง DNR",
        "ญาติพบผู้ป่วยนอนนิ่ง ตัวเย็น ในห้องพิเศษ เข้ามารอผ่าตัดตามนัด",
        # Never events told around their key words.
        "ห้องผ่าตัดตา ผ่าตัดต้อกระจกผิดคน เพราะชื่อซ้ำกัน",
        "ฟิล์มหลังใส่ central line พบ guidewire ค้างอยู่ในหลอดเลือด",
        "ป้ายข้อมือไม่ตรง ทารกถูกสลับกันตั้งแต่ห้องเด็กอ่อน",
        "ชายแปลกหน้าอุ้มทารกแรกเกิดออกจากตึกหลังคลอด แจ้งตำรวจติดตาม",
        # A group written as "กรุ๊ปเลือด … เป็น O" and the unit given as another group; a haemolytic reaction.
        "ห้องเลือดรายงานกรุ๊ปเลือดเป็น A ที่จริงเป็น O ผู้ป่วยได้ PRC กรุ๊ป A ไป 1 unit",
        "ระหว่างให้ PRC ผู้ป่วยหนาวสั่น ปัสสาวะสีโค้ก สงสัย hemolysis หยุดให้เลือดทันที",
        # Notifiable diseases described by their signs; a shooting; a viral accusation.
        "เด็ก 4 ขวบ ไม่ได้รับวัคซีน ขาอ่อนแรงเฉียบพลัน รายงาน AFP",
        "คอบวม มีแผ่นฝ้าขาวเทาที่ทอนซิล สงสัยโรคติดต่อ แยกห้อง",
        "วัยรุ่นยิงปืนกันหน้า ER กระสุนถูกญาติผู้ป่วย",
        "ญาติโพสต์เฟซบุ๊กว่าโรงพยาบาลปล่อยให้แม่ตาย สื่อท้องถิ่นโทรมาขอสัมภาษณ์",
        # Intubation or the ICU after a drug given in the wrong amount: near-death from a medication error (H).
        "ให้ Phenytoin 1000 mg แทน 100 mg ต่อมาความดันต่ำมาก ใส่ท่อช่วยหายใจ ย้าย ICU",
    ],
)
def test_sentinel_cues_told_in_other_words(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyse(text).sentinel, text


@pytest.mark.parametrize(
    "text",
    [
        "ซ้อม code blue ใน ICU ด้วยหุ่นจำลอง ทีม CPR มาครบใน 2 นาที ช็อกไฟฟ้าภายใน 3 นาที",
        "ซ้อมแผน code pink ทารกถูกลักพาตัว (สมมติ) รปภ.ปิดทางออกภายใน 4 นาที",
        "โทรศัพท์ญาติหายที่ ward ตรวจกล้องไม่พบ ญาติไม่ประสงค์แจ้งความ",
        "ไฟลุกที่เครื่องปิ้งขนมปัง ใช้ถังดับเพลิงดับได้ทันที ไม่ต้องอพยพ",
        "ทดสอบสัญญาณเตือนเพลิงไหม้และระบบ sprinkler ทุกชั้น ทำงานปกติ",
        "ultrasound พบทารกเสียชีวิตในครรภ์ตั้งแต่ก่อนมาถึงโรงพยาบาล ให้การดูแลด้านจิตใจ",
    ],
)
def test_drills_unreported_thefts_and_small_fires_are_not_sentinel(analyzer: Analyzer, text: str) -> None:
    assert not analyzer.analyse(text).sentinel, text
