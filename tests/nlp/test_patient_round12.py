"""Round 12, helper nlp-r12pat (tune29's patient lines, ex heldout10): each family read from tune29's errors, with
texts phrased unlike its lines and look-alikes that must stay quiet.

Sentinel: blood from a bag named by another bed; the hospital's drug-treatment clinic named (or a patient who quit
there) is no drug use seen; "saved his life" with thanks, and "never forget" is no forgotten act.
Topics: an emoji's name judges nothing; skill praised after a carer is the care; topics real writers name without the
lexicon's phrase — a doctor absent from the appointment or a specialist asked for (staffing), how often visits come,
visiting and consent rules (process), a caregiver taught, every step or a result explained, a chat group to ask
(communication), how to take a drug or what it does not told, a vaccine out (medication), help from the bus stop or
the car park (parking_access), a bone that knit, back to work, an exam of minutes (clinical_care), a pregnancy said
aloud and a teen's privacy asked about (safety_privacy), more seats asked for (environment), a rider's job (no food).
Sentiment: keep doing it and season's greetings are praise; "not again like this" is a fault met; a home visit is no
"excellent"; "…อะไรคะ" asks; an interpreter asked for in an expectation answer is a complaint."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.features import split_glued
from nlp.normalize import normalize_text
from nlp.severity import assess


def _topics(analyzer: Analyzer, text: str, question: str) -> set[str]:
    return {t.code for t in analyzer.analyse(text, question=question).topics}


# --- sentinel -------------------------------------------------------------------------------------------------------
FLAGGED = [
    # blood from a bag named by another bed
    ("ถุงเลือดที่แขวนให้ยายเขียนชื่อป้าเตียงตรงข้าม ยายไข้ขึ้นหนาวสั่นทั้งคืน", "complaint"),
    ("พยาบาลให้เลือดตาจากถุงที่เป็นชื่อคนไข้เตียงอื่น ตาปัสสาวะเป็นสีโค้ก", "complaint"),
    # drug use told beside the clinic's name still counts
    ("คนไข้คลินิกยาเสพติดแอบเสพยาในห้องน้ำชั้นสอง", "complaint"),
    ("เวรเปลตึกใหม่สูบยาบ้าหลังโรงซักฟอก", "complaint"),
    # a rescue that failed is no happy end
    ("พ่อหยุดหายใจบนเตียง หมอพยายามช่วยชีวิตเป็นชั่วโมง สุดท้ายไม่รอด", "complaint"),
    # a dismissal, then a disease others on the ward caught too, is an outbreak
    ("หมอบอกไม่เป็นไร แต่เด็กในวอร์ดติดไข้เลือดออกกันสามคนแล้ว", "complaint"),
    ("หมอบอกหวัดธรรมดา สุดท้ายเป็นคอตีบ เด็กเตียงข้างๆก็เป็นด้วย", "complaint"),
]
QUIET = [
    # the hospital's drug-treatment service, praised or named
    ("ขอบคุณศูนย์บำบัดยาเสพติดนะครับ ตอนนี้ผมเลิกยาบ้าได้ปีนึงแล้ว", "compliment"),
    ("พยาบาลตะโกนถามว่ามาคลินิกยาเสพติดใช่ไหม คนมองกันทั้งแถว", "dissatisfaction"),
    ("น้องชายเข้าบำบัดยาเสพติดที่นี่ครบสามเดือน ตอนนี้กลับไปเรียนได้แล้ว ขอบใจหลายๆ", "message"),
    # a life saved, thanked for, and "never forget"
    ("หมอช่วยชีวิตลูกไว้ตอนลูกหยุดหายใจ ไม่มีวันลืมพระคุณเลยค่ะ ขอบคุณค่ะ", "compliment"),
    ("ขอบคุณทีมกู้ชีพที่ช่วยชีวิตแม่ไว้ตอนหัวใจหยุดเต้นกลางตลาด จะไม่ลืมเลยครับ", "compliment"),
    # the patient's own infection found after a dismissal: a missed diagnosis, no outbreak
    ("ไปหาหมอสองครั้ง หมอบอกไม่เป็นอะไร ที่แท้เป็นไข้เลือดออก", "dissatisfaction"),
    ("พาแม่มาสามรอบ บอกแค่หวัด สุดท้ายแม่ติดโควิด ต้องไปนอนรพ.อื่น", "complaint"),
]


@pytest.mark.parametrize(("text", "question"), FLAGGED)
def test_lay_sentinel_heard(analyzer: Analyzer, text: str, question: str) -> None:
    result = analyzer.analyse(text, question=question)
    assert result.sentinel, text
    assert result.complaint, text


@pytest.mark.parametrize(("text", "question"), QUIET)
def test_look_alikes_stay_quiet(analyzer: Analyzer, text: str, question: str) -> None:
    result = analyzer.analyse(text, question=question)
    assert not result.sentinel, text
    if question in ("compliment", "message"):
        assert not result.complaint, text


@pytest.mark.parametrize("text", [t for t, _ in FLAGGED + QUIET])
def test_r12pat_cues_keep_the_shortcut_exact(analyzer: Analyzer, text: str) -> None:
    norm = normalize_text(text)
    toks = split_glued(analyzer.tokenize(norm))
    assert assess(norm, toks) == assess(norm, toks, shortcut=False)


# --- emoji and skill ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "question", "absent"),
    [
        ("ไม่มีค่ะ 😊", "dissatisfaction", "staff_behavior"),  # "หน้ายิ้มตายิ้ม" smiles at nobody
        ("โอเคค่ะ 😁", "message", "staff_behavior"),
        ("ชาไข่มุกร้านชั้นล่างอร่อยดี ☕", "message", "environment"),  # "เครื่องดื่มร้อน" is no hot room
    ],
)
def test_emoji_names_judge_no_topic(analyzer: Analyzer, text: str, question: str, absent: str) -> None:
    assert absent not in _topics(analyzer, text, question), text


@pytest.mark.parametrize(
    ("text", "question", "code"),
    [
        ("พยาบาลยิ้มแย้มมาก 😊", "message", "staff_behavior"),  # the words, not the face
        ("ห้องพักร้อนมากกก ☕", "dissatisfaction", "environment"),
    ],
)
def test_written_words_beside_an_emoji_still_count(analyzer: Analyzer, text: str, question: str, code: str) -> None:
    assert code in _topics(analyzer, text, question), text


@pytest.mark.parametrize(
    "text",
    [
        "หมอฟันเก่งมากค่ะ ถอนฟันคุดลูกไม่เจ็บเลย",
        "พยาบาลเก่งจริง แทงน้ำเกลือเด็กทีเดียวติด",
    ],
)
def test_skill_after_a_carer_is_the_care(analyzer: Analyzer, text: str) -> None:
    topics = _topics(analyzer, text, "message")
    assert "clinical_care" in topics, text
    assert "staff_behavior" not in topics, text


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("พยาบาลเยี่ยมบ้านมาไม่ตรงนัด", "improvement"),  # "เยี่ยม" in "เยี่ยมบ้าน" praises nobody
        ("ตัดผมทรงใหม่เยี่ยมไข้ยาย 😁", "message"),
    ],
)
def test_a_visit_is_no_praise_of_the_staff(analyzer: Analyzer, text: str, question: str) -> None:
    assert "staff_behavior" not in _topics(analyzer, text, question), text


@pytest.mark.parametrize(
    "text",
    [
        "หมอใจดีมาก ถามอาการละเอียด",  # a manner word
        "พยาบาลพูดเก่ง ปลอบลูกจนหยุดร้อง",  # good at talking: a manner
    ],
)
def test_manners_after_a_carer_stay_staff_behavior(analyzer: Analyzer, text: str) -> None:
    assert "staff_behavior" in _topics(analyzer, text, "message"), text


# --- topics named without the lexicon's phrase ----------------------------------------------------------------------
NAMED = [
    # staffing
    ("หมอผิวหนังไม่มาตามนัด ต้องกลับบ้านมือเปล่า", "complaint", "staffing"),
    ("พยาบาลเวรบ่ายหายไปไหนหมด เรียกไม่มีใครขาน", "dissatisfaction", "staffing"),
    ("ควรมีจิตแพทย์เด็กประจำที่นี่ด้วย", "improvement", "staffing"),
    ("อยากให้มีนักจิตวิทยาที่คลินิกวัยรุ่น", "improvement", "staffing"),
    # process
    ("นัดทำกายภาพห่างไปหน่อย สามเดือนครั้ง", "dissatisfaction", "process"),
    ("นักกายภาพมาเยี่ยมห่างมาก ปีละสองครั้ง", "dissatisfaction", "process"),
    ("ขอให้ญาติเข้าเฝ้าได้ทั้งคืน", "improvement", "process"),
    ("ควรให้ญาติเข้าเยี่ยมได้ตอนเย็นด้วย", "improvement", "process"),
    ("เจ้าหน้าที่ไม่ยอมให้แฟนเซ็นใบยินยอมผ่าตัด", "complaint", "process"),
    # communication
    ("พยาบาลสอนเจาะน้ำตาลปลายนิ้วให้ยาย", "message", "communication"),
    ("อยากให้มีไลน์ไว้ปรึกษาหมอ", "improvement", "communication"),
    ("คุณหมออธิบายผลชิ้นเนื้อให้ฟังช้าๆ", "compliment", "communication"),
    ("ไม่มีใครบอกล่วงหน้าว่าต้องงดน้ำ มาถึงเลยตรวจไม่ได้", "dissatisfaction", "communication"),
    ("ไม่มีคนบอกล่วงหน้าว่าวันนี้หยุด มาเก้อ", "dissatisfaction", "communication"),
    ("พี่ๆบอกทุกขั้นตอนว่าจะทำอะไร", "message", "communication"),
    ("อยากรู้ผลอัลตร้าซาวด์ลูกค่ะ", "expectation", "communication"),
    ("ฉันเขมร พูดไทยไม่เก่ง", "expectation", "communication"),
    # staff_behavior: regard for patients others look down on, a sneer
    ("หมอไม่ดูถูกที่ผมติดเหล้า", "compliment", "staff_behavior"),
    ("ไม่ทอดทิ้งคนไข้จิตเวช ขอบคุณค่ะ", "compliment", "staff_behavior"),
    ("ได้รับเกียรติเหมือนคนไข้ทั่วไป ไม่โดนมองแปลกๆ", "message", "staff_behavior"),
    ("รอนานมาก แล้วยังโดนเหน็บแนมอีก", "dissatisfaction", "staff_behavior"),
    # medication
    ("ไม่ได้อธิบายว่ายาใหม่กินตอนไหน", "dissatisfaction", "medication"),
    ("ไม่ได้บอกว่าใช้ยาแล้วจะคลื่นไส้ ตกใจมาก", "complaint", "medication"),
    ("พาหลานไปถึงบอกวัคซีนไข้หวัดใหญ่หมด", "complaint", "medication"),
    # parking_access
    ("ลุงยามช่วยพายายเดินจากป้ายรถเมล์มาถึงตึกทุกครั้ง", "compliment", "parking_access"),
    ("ช่วยจูงตาข้ามถนนหน้ารพ.", "compliment", "parking_access"),
    # clinical_care
    ("กระดูกสะโพกแม่เชื่อมดีแล้ว", "message", "clinical_care"),
    ("ผมกลับไปทำงานได้ตามปกติแล้วครับ", "message", "clinical_care"),
    ("หมอตรวจแค่สองนาทีก็ให้กลับ", "dissatisfaction", "clinical_care"),
    ("ตรวจไม่ถึงสองนาทีก็ไล่กลับ", "complaint", "clinical_care"),
    # safety_privacy
    ("พยาบาลพูดดังๆว่าหนูตั้งครรภ์ คนในห้องหันมามองหมด", "complaint", "safety_privacy"),
    ("ถ้ามาตรวจเอชไอวี จะแจ้งที่ทำงานไหมคะ", "message", "safety_privacy"),
    # environment
    ("เพิ่มที่นั่งหน้าห้องยา", "improvement", "environment"),
]


@pytest.mark.parametrize(("text", "question", "code"), NAMED)
def test_topics_named_another_way(analyzer: Analyzer, text: str, question: str, code: str) -> None:
    assert code in _topics(analyzer, text, question), text


NOT_NAMED = [
    ("อาการปวดหายไปหมดแล้ว ขอบคุณหมอ", "message", "staffing"),
    ("ผมไม่ได้มาตามนัดเพราะติดงาน ขอเลื่อนได้ไหมครับ", "message", "staffing"),
    ("อยากให้หมอเด็กตรวจละเอียดกว่านี้", "expectation", "staffing"),
    ("หมอนัดห่างเพราะอาการดีขึ้นแล้ว", "message", "process"),
    ("ควรมีที่นอนให้ญาติเฝ้าไข้ ต้องนอนกับพื้น", "improvement", "process"),
    ("อยากรู้ผลเลือดเร็วๆ จะได้สบายใจ", "expectation", "communication"),
    ("เสียเวลาทั้งวันเพื่อฟังผลเลือดสองนาที", "dissatisfaction", "communication"),
    ("หมอไม่อธิบาย ยากที่จะเข้าใจ", "dissatisfaction", "medication"),
    ("แม่ลื่นในห้องน้ำ ไม่มีป้ายเตือนพื้นเปียก", "complaint", "parking_access"),
    ("อยากให้อธิบายผลตรวจให้ละเอียดกว่านี้", "improvement", "clinical_care"),
    ("ระบบบัตรคิวกระดาษควรเลิกได้แล้ว", "improvement", "clinical_care"),
    ("จะบอกผลให้ทราบไหมคะ", "message", "safety_privacy"),
    ("ผมขับมอไซค์ส่งอาหาร มาตรวจตอนบ่ายไม่ได้ครับ", "message", "food"),
    ("ฉันลาวพูดไทยไม่เก่ง อยากมีคนแปล", "expectation", "clinical_care"),
    ("ได้รับการรักษาดี หายเร็วกว่าที่คิด", "expectation", "waiting"),  # recovery, not a wait
]


@pytest.mark.parametrize(("text", "question", "code"), NOT_NAMED)
def test_look_alikes_name_no_such_topic(analyzer: Analyzer, text: str, question: str, code: str) -> None:
    assert code not in _topics(analyzer, text, question), text


def test_the_kitchen_sending_food_is_still_food(analyzer: Analyzer) -> None:
    assert "food" in _topics(analyzer, "ครัวส่งอาหารเย็นชืดทุกมื้อ", "dissatisfaction")


# --- sentiment --------------------------------------------------------------------------------------------------------
# (text, question, sentiment, complaint)
SENTIMENT = [
    ("ทำต่อไปครับ", "improvement", "pos", False),
    ("ทำแบบนี้ต่อไปนะคะ ดีมากแล้ว", "improvement", "pos", False),
    ("สวัสดีปีใหม่ค่ะ", "message", "pos", False),
    ("Happy new year ทีมห้องฉุกเฉินค่ะ", "message", "pos", False),
    ("นัดเยี่ยมบ้านเลื่อนบ่อย", "improvement", "neg", True),  # the home visit is no "excellent"
    ("อยากให้ไม่ต้องรอคิวทั้งเช้าแบบนี้อีก", "expectation", "neg", True),
    ("ขอให้ครั้งหน้าไม่ต้องโดนดุแบบวันนี้อีก", "improvement", "neg", True),
    ("อยากได้คนช่วยแปลภาษาลาวค่ะ", "expectation", "neu", True),
    ("หมอไม่ดูถูกที่ผมติดเหล้า", "compliment", "pos", False),
    ("ห้องตรวจฟันอยู่ตึกอะไรคะ", "message", "neu", False),
]


@pytest.mark.parametrize(("text", "question", "label", "complaint"), SENTIMENT)
def test_sentiment_families(analyzer: Analyzer, text: str, question: str, label: str, complaint: bool) -> None:
    result = analyzer.analyse(text, question=question)
    assert (result.sentiment.label, result.complaint) == (label, complaint), text


@pytest.mark.parametrize(
    ("text", "question", "label"),
    [
        ("อยากให้บริการดีแบบนี้อีก", "expectation", "neg"),  # more of the same is no fault
        ("หวังว่าจะได้เจอหมอคนนี้อีก", "expectation", "neg"),
        ("ควรทำที่จอดรถเพิ่ม", "improvement", "pos"),  # "ทำ…" that is no "keep doing it"
        ("ทีมเยี่ยมบ้านไม่มาตามนัดสองรอบแล้ว", "message", "pos"),  # a home visit is no "excellent"
        ("ไม่บอกอะไรเลย ถามอะไรก็ไม่ตอบ", "dissatisfaction", "pos"),
    ],
)
def test_sentiment_look_alikes(analyzer: Analyzer, text: str, question: str, label: str) -> None:
    assert analyzer.analyse(text, question=question).sentiment.label != label, text


def test_a_general_wish_is_no_complaint(analyzer: Analyzer) -> None:
    assert not analyzer.analyse("อยากได้ยาดีๆ", question="expectation").complaint


# --- a drug's price per unit, masks, a wait blamed on the staff -------------------------------------------------------
def test_a_drug_price_per_unit_is_cost(analyzer: Analyzer) -> None:
    topics = _topics(analyzer, "ยาพ่นหมด ต้องไปซื้อเองข้างนอก หลอดละ 450", "dissatisfaction")
    assert {"medication", "cost_rights"} <= topics


@pytest.mark.parametrize(
    "text",
    [
        "หมอสั่งยาเม็ดละ 20 มก. กินครั้งละ 2 เม็ด",  # a strength and a dose, no price
        "ข้าวกล่องละ 80 ร้านในโรงพยาบาลขายแพง",  # a meal's price is the food shop's
    ],
)
def test_a_dose_or_a_meal_price_is_no_drug_price(analyzer: Analyzer, text: str) -> None:
    assert "cost_rights" not in _topics(analyzer, text, "message"), text


@pytest.mark.parametrize(
    ("text", "question", "absent", "present"),
    [
        ("ได้ยาของคนอื่นมา ยังไม่ได้กินค่ะ ตกใจมาก", "complaint", "food", "medication"),  # a drug not yet taken
        ("โทรขอเลื่อนนัดสิบรอบ สายไม่ว่างตลอด", "dissatisfaction", "process", "communication"),  # the phone's fault
        ("มีพยาบาลแค่สองคน ไม่แปลกที่รอนาน", "dissatisfaction", "waiting", "staffing"),  # the wait blamed on staff
        ("รอนานมากเพราะหมอมีคนเดียว", "dissatisfaction", "waiting", "staffing"),
    ],
)
def test_what_the_writer_blames(analyzer: Analyzer, text: str, question: str, absent: str, present: str) -> None:
    topics = _topics(analyzer, text, question)
    assert absent not in topics, text
    assert present in topics, text


@pytest.mark.parametrize(
    ("text", "question", "code"),
    [
        ("รอตั้งแต่เช้า ยังไม่ได้กินข้าวเลย", "dissatisfaction", "waiting"),
        ("หมอเลื่อนนัดผ่าตัดสามครั้งแล้ว", "complaint", "process"),  # a postponement by the hospital
        ("รอนานมาก หมอก็น้อย", "dissatisfaction", "waiting"),  # both judged, no blame
    ],
)
def test_what_the_writer_does_not_blame_stays(analyzer: Analyzer, text: str, question: str, code: str) -> None:
    assert code in _topics(analyzer, text, question), text
