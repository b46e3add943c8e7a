"""Sentinel-event flag and severity hint (seed 004). Recall first: a missed sentinel event is the
worst error this module can make, so any strong cue flags, and mitigating words only cancel the
weaker, context-dependent cues (a small fire put out at once, a fall without injury)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from nlp.matcher import PhraseMatcher, phrase_key
from nlp.prefilter import PatternSet, gated_finditer, gated_search, gated_sub

# --- cue lists: Thai phrases are matched on word boundaries, Latin ones as regexes ------------------
# Each sentinel category: events that are sentinel on their own.
SENTINEL_TH: dict[str, tuple[str, ...]] = {
    "death": (
        "เสียชีวิต", "ตาย", "ถึงแก่กรรม", "สิ้นใจ", "สิ้นลม", "ศพ", "เสียชีวิตกะทันหัน", "ตายคาเตียง",
        "ไม่มีชีพจร", "คลำชีพจรไม่ได้", "ทารกตายในครรภ์", "ไม่หายใจ", "ไม่ฟื้น", "ตัวเย็น", "พบไม่หายใจ",
        # told by a patient or a relative on a phone: euphemisms, typos, Isan, a mother and baby lost together
        "ไม่รอด", "หมดลมหายใจ", "สิ้นลมหายใจ", "เสียซีวิต", "เสียชีวีต", "เสียชิวิต", "ตายทั้งกลม", "นอนตาย",
        "ไม่ตื่นอีกเลย", "ไม่ตื่นขึ้นมาอีก", "ไม่ฟื้นอีกเลย", "ไม่หายจัย", "บ่หายใจ", "บ่ได้หายใจ", "หัวใจลูกไม่เต้น",
        "ไม่มีเสียงหัวใจ", "หัวใจทารกไม่เต้น",
        "เสียชีวต", "เสียชวิต",  # sent7: more vowel typos
    ),
    "arrest": (
        "หัวใจหยุดเต้น", "หัวใจหยุด", "หยุดหายใจ", "ปั๊มหัวใจ", "นวดหัวใจ", "กู้ชีพ", "กู้ชีวิต", "ช่วยฟื้นคืนชีพ",
        "ฟื้นคืนชีพ", "กระตุกหัวใจ", "ช็อตหัวใจ", "โค้ดบลู", "เกือบเสียชีวิต", "เกือบตาย", "เกือบไม่รอด",
        "ปางตาย", "วิกฤต", "หมดสติ", "ไม่รู้สึกตัว", "ช็อก", "ช็อค", "ภาวะช็อก", "แพ้ยารุนแรง", "แพ้ยาอย่างรุนแรง",
        "โคม่า", "ตกเลือดรุนแรง", "ตกเลือดหลังคลอด", "เลือดออกในสมอง", "ขาดออกซิเจน", "ใส่ท่อช่วยหายใจ",
        "ใส่ท่อ", "ย้ายเข้าไอซียู", "ไอซียู", "เข้าไอซียู", "ช็อกไฟฟ้า", "ช็อคไฟฟ้า", "หายใจล้มเหลว",
        # lay words for coma and resuscitation ("ปลุกไม่ตื่น", "กดหน้าอก"), with the typos a phone makes
        "ปลุกไม่ตื่น", "เรียกไม่ตื่น", "หลับไม่ตื่น", "ไม่ได้สติ", "หมดสะติ", "ไม่รุ้สึกตัว", "บ่รู้สึกตัว", "บ่ฮู้สึกตัว",
        "เจ้าชายนิทรา", "สมองตาย", "กดหน้าอก", "หยุดเต้น", "หยุดหายจัย",
        "ปั้มหัวใจ", "ปัมหัวใจ",  # sent7: the tone mark typed wrong
        "เลือดคั่งในสมอง", "ซึมไม่ตื่น",  # lay24: a bleed in the head, a child too drowsy to rouse
    ),
    "wrong_blood": (
        "ให้เลือดผิด", "เลือดผิดคน", "เลือดผิดกรุ๊ป", "เลือดผิดหมู่", "ผิดหมู่เลือด", "ผิดกรุ๊ปเลือด", "ผิดกรุ๊ป",
        "ให้เลือดสลับ", "สลับถุงเลือด", "ถุงเลือดผิด",
        "ไม่ตรงกรุ๊ป", "กรุ๊ปไม่ตรง", "เลือดไม่ตรงกรุ๊ป", "เลือดของคนอื่น", "เลือดคนอื่น",
    ),
    "never_event": (
        "ผ่าตัดผิดข้าง", "ผ่าผิดข้าง", "ผ่าตัดผิดคน", "ผ่าผิดคน", "ผ่าตัดผิดตำแหน่ง", "ผ่าผิดตำแหน่ง", "ผ่าตัดผิดอวัยวะ",
        "ลืมผ้าก๊อซ", "ผ้าก๊อซค้าง", "ก๊อซค้าง", "เครื่องมือค้าง", "ลืมเครื่องมือ", "ค้างในช่องท้อง",
        "ค้างในแผล", "ค้างในร่างกาย", "สลับเด็ก", "เด็กสลับ", "ทารกสลับ", "ทารกถูกสลับ", "เด็กถูกสลับ", "ลูกถูกสลับ",
        "สลับทารก", "สลับตัวทารก", "ตัดผิดข้าง", "ผิดนิ้ว", "ตัดนิ้วผิด", "ลักพาทารก",
        "ผ่าผิดตา", "ผ่าตาผิดข้าง",
        "ลักพาตัวทารก", "ลักพาตัวเด็ก", "ลักพาตัว", "ถูกลักพา", "อุ้มเด็กไป", "ทารกหาย", "ให้ลูกผิดคน", "ส่งเด็กผิดคน",
        "ได้ลูกผิดคน", "ลูกผิดคน",  # lay24: the parents' words for a swapped baby
    ),
    "disease": (
        "ไข้หวัดนก", "ซาร์ส", "อหิวาต์", "อหิวาตกโรค", "ไข้สมองอักเสบ", "สมองอักเสบ", "แอนแทรกซ์", "โปลิโอ",
        "พิษสุนัขบ้า", "โรคกลัวน้ำ", "คอตีบ", "ไข้เลือดออก", "เมอร์ส", "อีโบลา", "ฝีดาษลิง",
        "ฝ้าขาวเทา", "แผ่นฝ้าขาว", "อหิวา", "อัมพาตกล้ามเนื้ออ่อนปวกเปียก", "อ่อนปวกเปียกเฉียบพลัน",
        # round 12 (nlp-r12inc): rabies in lay words, now that the dog that died is no death ("ส่งหัวหมาตรวจเจอเชื้อหมาบ้า")
        "เชื้อหมาบ้า", "เชื้อสุนัขบ้า", "โรคหมาบ้า",
    ),
    "suicide_homicide": (
        "ฆ่าตัวตาย", "ผูกคอ", "แขวนคอ", "ผูกคอตาย", "กระโดดตึก", "กระโดดลงจาก", "กระโดดจาก", "กระโดดหน้าต่าง",
        "ทำร้ายตัวเอง", "ทำร้ายตนเอง", "กรีดข้อมือ", "กรีดแขน", "กินยาฆ่าแมลง", "กินยาฆ่าหญ้า", "กินยาเกินขนาด",
        "คิดสั้น", "อยากตาย", "ฆาตกรรม", "ฆ่า", "ถูกฆ่า", "ยิงตัวตาย", "พยายามฆ่าตัวตาย",
    ),
    "violence": (
        "ทำร้ายร่างกาย", "ชกต่อย", "ต่อย", "ชก", "เตะ", "ถีบ", "ตบหน้า", "ตบ", "บีบคอ", "ยิง", "ปืน",
        "ใช้มีด", "ถือมีด", "พกมีด", "มีดแทง", "ถูกแทง", "แทงด้วยมีด", "อาวุธ", "ระเบิด", "ตีกัน", "ยกพวก", "วิวาท", "ทะเลาะวิวาท",
        "ขู่ฆ่า", "จับตัวประกัน", "ข่มขืน", "ล่วงละเมิดทางเพศ", "ชิงทรัพย์", "ปล้น", "วิ่งราว",
        "ทำร้ายพยาบาล", "ทำร้ายเจ้าหน้าที่", "ทำร้ายหมอ", "ใช้ไม้ตี", "ไม้ตี", "ตีศีรษะ", "ตีหัว", "ทุบตี", "ทุบหัว",
        "ฟันด้วยมีด", "ใช้มีดฟัน", "มีดฟัน", "ฟาดหัว", "ฟาดหน้า", "ไล่ฟัน", "ฟันกัน", "ถูกฟัน", "ไล่แทง", "แทงกัน", "ใช้ขวดตี", "ขวดตี",
        "รุมทำร้าย", "รุมตี", "รุมกระทืบ", "กระทืบ", "ยิงปืน", "ถูกยิง", "ยิงกัน", "กระสุน",
    ),
    "drug_use": (
        "ยาบ้า", "ยาไอซ์", "ไอซ์", "ยาเสพติด", "สารเสพติด", "เสพยา", "เสพ", "เฮโรอีน", "สูบกัญชา", "ดมกาว",
        "ฉี่ม่วง", "ปัสสาวะสีม่วง", "เมายา", "ยาเค", "พี้ยา", "แอมเฟตามีน", "เมทแอมเฟตามีน", "โคเคน",
        "กลิ่นกัญชา", "เมากัญชา",  # lay24: a worker smelling of or high on cannabis
    ),
    "reputation": (
        "ฟ้องสื่อ", "ออกข่าว", "ลงข่าว", "เป็นข่าว", "นักข่าว", "สื่อมวลชน", "แฉ", "ประจาน", "ลงเฟส", "ลงเฟซ",
        "ลงเฟสบุ๊ค", "ลงเฟซบุ๊ก", "โพสต์ลง", "โพสต์ประจาน", "โพสต์เฟส", "ไลฟ์สด", "ไวรัล", "ลงโซเชียล", "โซเชียล",
        "ติ๊กต๊อก", "พันทิป", "ทัวร์ลง", "ฟ้อง", "ฟ้องร้อง", "ดำเนินคดี", "ทนาย", "ขึ้นศาล", "เรียกค่าเสียหาย",
        "เอาเรื่อง", "ศูนย์ดำรงธรรม", "ร้องเรียนสื่อ", "ร้องสื่อ", "สสจ", "ร้องเรียนกระทรวง",
        "ออกรายการ", "ออกรายการทีวี", "ออกทีวี", "รายการทีวี", "แจ้งสื่อ", "ให้สื่อ", "โพสต์เฟซบุ๊ก", "โพสต์เฟซ",
        "โพสต์เฟสบุ๊ค", "ขอสัมภาษณ์", "สื่อท้องถิ่น", "แชร์ว่อน", "ยอดแชร์",
        # a court case, as risk staff type it (round 8)
        "ฟ้องศาล", "ยื่นฟ้อง", "ฟ้องคดี", "ถูกฟ้อง", "คดีผู้บริโภค", "คดีแพ่ง", "คดีอาญา",
        "ยอดวิว", "คลิปว่อน",  # lay24: a clip that went round
        # r11inc: a criminal complaint against staff, told by the summons or the charge ("แจ้งความ … กล่าวหาแพทย์ประมาท
        # เป็นเหตุให้ผู้อื่นถึงแก่ความตาย ตำรวจออกหมายเรียก")
        "หมายเรียก", "หมายศาล", "ประมาทเป็นเหตุ",
    ),
}  # fmt: skip
SENTINEL_LATIN: dict[str, str] = {
    "death": r"\b(?:expired?|death|dead|died|pass(?:ed)? away|asystole|pulseless|sudden death|dfiu|iufd|stillbirth|"
    r"no pulse|dod|mortality)\b",
    "arrest": r"\b(?:re-?intubat\w*|unplanned (?:re)?intubation|"
    r"arrest|cardiac arrest|cpr|code blue|rosc|defib(?:rillat(?:ed|ion))?|anaphyla\w*|"
    r"shock|vf|v\.?fib|pea|"
    r"unconscious|unresponsive|coma|intubat\w*|ett|on ventilator(?!\s*\d+\s*(?:ราย|คน|เตียง|cases?))|icu|"
    r"near[- ]death|near[- ]miss death|"
    r"ich|sdh|edh|subdural|epidural hematoma|pph|massive bleeding|hypovolemic)\b",
    # inc23: a "transfusion reaction" alone (fever, chills, a rash; DAT negative) is CPM502, not wrong blood: the
    # wrong unit is told by its own words, by two blood groups or by haemolysis (HEMOLYSIS)
    "wrong_blood": r"\b(?:wrong blood|abo incompatib\w*|incompatible blood|mismatch(?:ed)? blood|blood mismatch|"
    r"hemolytic transfusion|wrong unit)\b",
    "never_event": r"\b(?:wrong[- ]site|wrong[- ]side|wrong[- ]patient surgery|"
    r"retained (?:gauze|sponge|instrument|forceps|foreign body)|"
    r"retained (?:guide ?wire|wire|needle|blade|catheter)|site marking|"
    r"infant abduction|baby switch|wrong baby)\b",
    "disease": r"\b(?:h5n1|sars|cholera\w*|vibrio|encephalitis|anthrax|polio|rabies|diphtheria|dengue|dhf|dss|mers|"
    r"ebola|afp|acute flaccid|pseudomembran\w*|"
    r"mpox)\b",
    "suicide_homicide": r"\b(?:suicid\w*|hanging|homicide|murder\w*|self[- ]harm|overdose attempt)\b",
    "violence": r"\b(?:assault\w*|violence|violent|weapon|gun|knife|stab(?:s|bed|bing)?|shoot\w*|shot|riot|rape)\b",
    "drug_use": r"\b(?:methamphetamine|amphetamine|meth|heroin|ya ?ba|drug abuse|substance use|illicit)\b",
    # r11inc: NEWS/MEWS is the early-warning score ("ไม่ได้ใช้ qSOFA/NEWS", "NEWS 7"), not the news
    "reputation": r"\b(?:media|(?<!/)(?<!qsofa )news(?!\s*(?:score|คะแนน|[:=≥>]|\d))|"
    r"reporter|lawsuit|sue|lawyer|facebook|tiktok|viral(?!\s*load)|pantip|"
    r"social media)\b",
}

LONG_PREFIX = 4  # long phrases have 5 characters or more
LATIN_LETTER = re.compile(r"[A-Za-z]")  # the Latin sentinel patterns are English words and abbreviations

# Context-dependent cues: sentinel only together with a qualifier.
FIRE_TH = ("ไฟไหม้", "เพลิงไหม้", "อัคคีภัย", "ไฟลุก", "ไฟลุกไหม้", "ควันไฟ", "ควันเต็ม", "ไหม้",
           # a fire told by what is seen and done, without the word "ไหม้"
           "เปลวไฟ", "เปลวเพลิง", "ไฟลาม", "ลุกเป็นไฟ", "เพลิงลุก", "รถดับเพลิง", "เรียกดับเพลิง", "พนักงานดับเพลิง",
           # r10pat: relatives tell flames rising and black smoke ("ไฟลุกขึ้นถึงฝ้า", "ควันดำพุ่งออกมาจากห้อง")
           "ไฟลุกขึ้น", "ไฟลุกท่วม", "ลุกไหม้", "ควันดำพุ่ง", "ควันดำเต็ม", "ควันดำคลุ้ง", "ควันโขมง", "ควันคลุ้ง", "ควันพุ่ง")
# A fire the hospital could not handle itself is serious whatever else is said ("ถังดับเพลิงใช้การไม่ได้ ต้อง
# เรียกรถดับเพลิง"): these outrank the minor cues below.
FIRE_MAJOR_TH = ("อพยพ", "เสียหายทั้งหลัง", "ใช้การไม่ได้",
                 # nlp-r11pat: a fire that spread, an extinguisher that would not work, patients run out of the ward
                 # ("ไฟลามขึ้นผ้าม่าน", "ถังดับเพลิงฉีดไม่ออก", "พาคนไข้วิ่งลงบันได"): more than a small fire put out
                 "ไฟลาม", "ลามขึ้น", "ลามไป", "ฉีดไม่ออก", "วิ่งลงบันได", "วิ่งหนีออก", "พาคนไข้ออก", "ย้ายคนไข้ออก",
                 "ขนคนไข้ออก", "หนีตาย")
FIRE_BRIGADE_TH = frozenset({"รถดับเพลิง", "เรียกดับเพลิง", "พนักงานดับเพลิง"})  # fire cues that are also major
# A drill names a fire, an emergency code or a disease without one happening (also a minor-fire cue below).
# drills and alarm tests (sent7: a mannequin, "ใช้หุ่น CPR")
DRILL_TH = ("ซ้อม", "ซ้อมดับเพลิง", "ซ้อมแผน", "ฝึกซ้อม", "ทดสอบสัญญาณ", "ทดสอบระบบ", "หุ่น")
FIRE_HYPOTHETICAL_TH = ("ถ้าไฟไหม้", "หากไฟไหม้")  # "what if": no fire happened either
# round 12 (tune29 incident, nlp-r12inc): a report's remedy starts at its heading ("การแก้ไข:", "แก้ไข:", "แนวทาง:",
# "ป้องกัน:", "ทบทวน:"); a drill proposed there ("ซ้อมอพยพเวรดึกทุก 6 เดือน", "ซ้อม CPR ทุก 3 เดือน", "ทดสอบ generator
# ทุกสัปดาห์") does not make the event told before it a drill. Not "การแก้ไขเบื้องต้น:" (what was done at the time).
REMEDY_HEADING = re.compile(r"(?:การ)?แก้ไข(?:ปัญหา)?\s*(?:/\s*(?:ป้องกัน|ปรับปรุง))?\s*:|แนวทาง\s*(?:ปรับปรุง|พัฒนา)?\s*:|"
                            r"(?:การ)?ป้องกัน\s*:|ทบทวน\s*:|ข้อเสนอ(?:แนะ)?\s*:|\b(?:corrective action|action plan)s?\s*:",
                            re.IGNORECASE)


# round 12 (nlp-r12inc): a critical-care unit named ("ward วิกฤต", "หอผู้ป่วยวิกฤต", "หน่วยวิกฤต") is a place, not harm
CRITICAL_UNIT = re.compile(
    r"(?:ward|หอ(?:ผู้ป่วย)?|หน่วย(?:งาน)?|ตึก|แผนก|unit|ไอซียู|icu)(?:ผู้ป่วย)?(?:ภาวะ)?วิกฤต", re.IGNORECASE
)


def drill_before_remedy(text: str) -> bool:
    """round 12 (nlp-r12inc): a drill word told before the report's remedy heading (or one with no such heading)."""
    cut = REMEDY_HEADING.search(text)
    if cut is None:
        return True
    head = text[: cut.start()].replace(" ", "")
    return any(w in head for w in DRILL_TH)
# sent7: fire equipment named ("smoke detector", "fire exit") is no fire
FIRE_LATIN = r"\bfire\b(?!\s*(?:extinguisher|exit|alarm|drill|door|escape))|\bsmoke\b(?!\s*(?:detector|alarm|sensor))"
FIRE_MINOR_TH = (
    *DRILL_TH,
    "เล็กน้อย",
    "ดับได้",
    "ดับทัน",
    "ดับได้ทัน",
    "ดับได้ทันที",
    "ควบคุมได้",
    "ไม่ลุกลาม",
    "ไม่มีความเสียหาย",
    "ไม่มีผู้บาดเจ็บ",
    "ไฟช็อต",
    "ประกายไฟ",
    "ถ้าไฟไหม้",
    "หากไฟไหม้",
    "หนีไฟ",
    "ถังดับเพลิง",
)
THEFT_TH = (
    "ขโมย",
    "ลักทรัพย์",
    "ลักขโมย",
    "โจรกรรม",
    "ถูกขโมย",
    "ของหาย",
    "ทรัพย์สินหาย",
    "เงินหาย",
    "สูญหาย",
    "ถูกงัด",
    "งัด",
    "ล้วงกระเป๋า",
)
# r9inc: money taken by a staff member ("ยักยอกเงินค่ารักษา", "นำเงินสดไปใช้ส่วนตัว"): a theft once the police are
# told (seed 004), whose topic stays the money's (cost_rights), not security
# inc23: fraud in purchasing or with forged papers ("ทุจริตจัดซื้อ ปลอมใบเสร็จ … แจ้งความ") is the same theft
EMBEZZLE_TH: tuple[str, ...] = ("ยักยอก", "เบียดบัง", "โกงเงิน", "ไปใช้ส่วนตัว", "ทุจริตเงิน", "ทุจริต", "ฉ้อโกง", "ปลอมใบเสร็จ",
               "ใบเสร็จปลอม", "ปลอมแปลงเอกสาร", "ปลอมเอกสาร",
               # r10inc: cash taken in and never handed over ("ยอดเงินที่ได้รับแต่ไม่ได้นำส่ง"), once the police are told
               "ไม่ได้นำส่ง", "ไม่นำส่ง")
# A bare "หาย" is mostly "got well" ("หายดีแล้ว", "ดูแลจนหาย"): a theft only when the police are involved.
THEFT_WEAK_TH = ("หาย",)
THEFT_LATIN = r"\b(?:theft|stolen|steal\w*|burglary)\b"
POLICE_TH = ("แจ้งความ", "ตำรวจ", "สน.", "สภ.", "โรงพัก", "ร้อยเวร", "สถานีตำรวจ", "ลงบันทึกประจำวัน", "บันทึกประจำวัน",
             "ควบคุมตัว")
POLICE_LATIN = r"\b(?:police)\b"
# An assault the police were called to is a serious fight ("ทำร้ายคู่อริ ... ตำรวจมาควบคุมตัว").
ASSAULT_TH = ("ทำร้าย", "ถูกทำร้าย", "ตามมาทำร้าย", "ผลัก", "ผลักล้ม", "ตี", "ทุบ")
# Blood of one group given to a patient of another ("PRC group AB แก่ผู้ป่วย group O", "กรุ๊ป B ให้กับกรุ๊ป A").
# Never events told around their key words: "ผ่าตัดต้อกระจกผิดคน", "guidewire ค้างอยู่ในหลอดเลือด".
NEVER_EVENT_RX = re.compile(
    r"ผ่า(?:ตัด)?.{0,20}ผิด(?:คน|ข้าง|ตำแหน่ง|อวัยวะ|ตา(?![มรยก])|ขา|แขน|เข่า|นิ้ว|เท้า|เต้า)|"
    # a lay writer names both sides: "ผ่าเข่าซ้ายของแม่ ทั้งที่แม่เจ็บข้างขวา", "ตาข้างที่ผ่าไม่ใช่ข้างที่นัด"
    r"ผ่า[^\n]{0,30}?(?:ซ้าย[^\n]{0,40}?ทั้ง(?:ที่|ๆที่)[^\n]{0,30}?ขวา|ขวา[^\n]{0,40}?ทั้ง(?:ที่|ๆที่)[^\n]{0,30}?ซ้าย)|"
    r"ผ่า[^\n]{0,40}?ไม่ใช่ข้างที่|"
    # r13: the healthy side operated ("ผ่าตาขวาที่ยังดีอยู่", "ผ่าเข่าข้างที่ไม่ได้เจ็บ"), or the booked side named and
    # then the other one operated ("นัดลอกต้อตาซ้าย … แต่หมอไปผ่าตาขวา")
    r"ผ่า(?:ตัด)?(?:ตา|ขา|แขน|เข่า|เท้า|มือ|นิ้ว|หู|สะโพก|ไหล่|เต้า|ไต)?(?:ข้าง)?(?:ซ้าย|ขวา)?(?:ที่|ข้างที่)(?:ยัง)?"
    r"(?:ดีอยู่|ปกติ|ไม่ได้เป็น|ไม่เป็น|ไม่ได้เจ็บ|ไม่เจ็บ|ไม่ปวด|ไม่มีปัญหา)|"
    r"(?:ผ่า|ลอกต้อ)\S{0,6}?ซ้าย[^\n]{0,40}?แต่[^\n]{0,16}?ผ่า\S{0,6}?ขวา|"
    r"(?:ผ่า|ลอกต้อ)\S{0,6}?ขวา[^\n]{0,40}?แต่[^\n]{0,16}?ผ่า\S{0,6}?ซ้าย|"
    # the wrong person taken in: "เข็นพ่อเข้าห้องผ่าตัด ... คิวของคนไข้อีกคนที่ชื่อคล้ายกัน"
    r"ผ่า[^\n]{0,80}?(?:คนไข้|ผู้ป่วย)อีก(?:คน|ราย)ที่ชื่อ|(?:คนไข้|ผู้ป่วย)อีก(?:คน|ราย)ที่ชื่อ[^\n]{0,60}?ผ่า|"
    # an object found inside the body ("เจอผ้าก๊อซอยู่ในท้อง"; packing "ในแผล" is treatment, not left behind)
    r"(?:ผ้าก๊อซ|ก๊อซ|ผ้าซับ|เข็มเย็บ|กรรไกร|คีม|ใบมีด).{0,15}(?:อยู่|ทิ้งไว้|ลืมไว้|ลืมทิ้งไว้)(?:ใน|ที่)"
    r"(?:ท้อง|ตัว|ช่องท้อง|ร่างกาย|มดลูก|ช่องคลอด)|"
    # a procedure done on another patient ("ทำ endoscopy ให้ ผป.อีกคนที่ชื่อเหมือนกัน")
    r"(?:ผ่าตัด|ส่องกล้อง|หัตถการ|endoscop\w*|scope|ทำ\s*(?:ct|mri|ผ่าตัด|หัตถการ))[^\n]{0,30}?ให้\s*(?:กับ)?\s*"
    r"(?:ผป\.?|ผู้ป่วย|คนไข้)\s*(?:อีก\s*(?:คน|ราย)|คนอื่น|รายอื่น|ผิดคน)|"
    # r10inc: an injection into the eye or spine, or a procedure, given to someone who had no indication for it
    # ("ฉีด anti-VEGF ตาขวาให้คนที่ไม่ได้มีข้อบ่งชี้": the wrong patient answered to a similar name)
    r"(?:ผ่าตัด|หัตถการ|ส่องกล้อง|anti-?vegf|intravitreal|ฉีด\S{0,6}\s*(?:เข้า)?(?:วุ้นตา|ช่องไขสันหลัง|ไขสันหลัง))"
    r"[^\n]{0,30}?ให้\s*(?:กับ)?\s*(?:คน|ผู้ป่วย|ผป\.?|คนไข้)\s*ที่ไม่(?:ได้)?(?:มี)?ข้อบ่งชี้|"
    r"(?:guide ?wire|ลวดนำ|ผ้าก๊อซ|ก๊อซ|gauze|ใบมีด|เครื่องมือผ่าตัด|ปลายสาย|ปลายเข็ม).{0,25}ค้าง(?:อยู่)?(?:ใน|ที่)",
    re.IGNORECASE,
)
# "เช้ามาแม่เสียแล้ว": a relative or the patient "gone" in everyday words (not "เสียใจ", not a machine "เสีย").
KIN_DIED_RX = re.compile(r"(?:แม่|พ่อ|ลูก|ยาย|ปู่|ย่า|สามี|ภรรยา|เมีย|ผัว|คนไข้|ผู้ป่วย|ผป\.?)(?:ก็|ได้)?เสีย(?:แล้ว|ไปแล้ว|ชีวิต)")
# Told in a relative's words (read on the joined words, negation and threats checked as for the phrases):
# a death as an ending ("สุดท้ายก็เสีย", "ตีห้าพ่อก็จากไปแล้ว"), breathing that slowed until it stopped, blood of
# someone else ("ให้เลือดพ่อผิดถุง", "ถุงเลือดของเตียงข้างๆ", "ชื่อบนถุงเลือดไม่ใช่ชื่อแม่"), a child taken
# ("หลานโดนขโมยไป", "คนแปลกหน้ามาอุ้มลูก ... แล้วหายไป"), a blow with a weapon told as the act ("ฟาดหัวด้วยขวด").
_KIN = r"(?:แม่|พ่อ|ลูก|ยาย|ปู่|ย่า|สามี|ภรรยา|เมีย|ผัว|น้อง|พี่|ลุง|ป้า|น้า|หลาน|แฟน|อุ๊ย)"  # a relative's words
_ENDS = r"(?=แล้ว|ไป|ค่ะ|คะ|ครับ|คับ|นะ|เจ้า|จ้า|เมื่อ|ตอน|หลัง|$)"
_KIN_CLOSE = r"(?:แม่|พ่อ|ลูก|ยาย|ปู่|ย่า|สามี|ภรรยา|เมีย|ผัว)"  # nlp-r11pat: whom a family is left without
CHILD_TAKEN = re.compile(
    r"(?:ทารก|เด็ก|ลูก|หลาน).{0,8}(?:โดน|ถูก)(?:คน.{0,12})?(?:ขโมย|ลักพา|อุ้ม|ลัก)(?:ตัว)?(?:ไป|หนี|ออก)|"
    r"(?:แปลกหน้า|ไม่รู้จัก).{0,40}อุ้ม(?:ทารก|เด็ก|ลูก|หลาน).{0,40}หาย(?:ไป|ตัว)"
)
# r10pat: a newborn given to the wrong mother, told by the parents ("ป้ายข้อมือเด็กไม่ใช่ชื่อเมียผม", "อุ้มลูกคนอื่นมาให้
# กินนม", "เด็กที่เอามาให้เป็นลูกของเตียงข้างๆ"): a baby's wristband or the baby itself is someone else's.
BABY_SWAPPED = re.compile(
    r"(?:ป้าย|สาย(?:รัด)?|ริสแบนด์)ข้อมือ(?:ของ)?(?:เด็ก|ลูก|ทารก|น้อง|หนูน้อย)\S{0,16}?(?:ไม่ใช่|ไม่ตรง|เป็นชื่อ(?:คน)?อื่น|ชื่อ(?:คน)?อื่น)|"
    # r11inc: the other baby's name read on it before the denial ("ป้ายข้อมือทารกเป็นชื่อ ด.ช.ลูกนาง ส. ไม่ใช่ชื่อตน")
    r"(?:ป้าย|สาย(?:รัด)?|ริสแบนด์)ข้อมือ(?:ของ)?(?:เด็ก|ลูก|ทารก)(?:เป็น|เขียน)ชื่อ\S{1,30}?ไม่ใช่(?:ชื่อ)?(?:ตน|ของตน|ตัวเอง|แม่|ลูก)|"
    r"(?:เด็ก|ทารก|ลูก|น้อง|หลาน)\S{0,24}?(?:เป็น|คือ)ลูก(?:ของ)?(?:คนอื่น|แม่คนอื่น|เตียง(?:อื่น|ข้างๆ|ข้าง|ตรงข้าม)|ห้องอื่น)|"
    r"(?:เอา|อุ้ม|ยื่น|ส่ง|พา)(?:ลูก|เด็ก|ทารก)(?:ของ)?(?:คนอื่น|แม่คนอื่น|เตียง(?:อื่น|ข้างๆ|ข้าง|ตรงข้าม))(?:มา|ไป)?(?:ให้)"
)
# Things a patient or a relative picks up and strikes with (r9inc: a chair, a drip stand, a walking stick).
_WEAPON = (r"(?:ขวด|ไม้(?!กั้น|\s*(?:ได้|ค่อย|มี|ใช่|ทัน|ยอม|พอใจ))|มีด|กรรไกร|เหล็ก|ก้อนหิน|หิน|เก้าอี้|ของแข็ง|ปืน|ไขควง|ค้อน|"
           r"เสาน้ำเกลือ|ถาด|แก้ว|ถังดับเพลิง|ขาตั้ง)")
_STRUCK = r"\S{0,3}(?:กระจก|ประตู|โต๊ะ|ผนัง|กำแพง|ตู้|รถ|ของ|เคาน์เตอร์|หน้าต่าง|ป้าย|เครื่อง)"
VIOLENCE_LAY = re.compile(
    r"(?:ฟาด|ตี|ทุบ|แทง|ฟัน|ขว้าง|ปา).{0,12}ด้วย" + _WEAPON + "|"
    # r9inc: the object first ("ใช้เก้าอี้พลาสติกฟาดศีรษะพยาบาล", "คว้าไม้เท้าตีหัว"), not property struck
    r"(?:ใช้|หยิบ|คว้า|ยก|ถือ)" + _WEAPON + r"\S{0,12}?(?:ฟาด|(?<!เ)ตี(?![ยน])|ทุบ|แทง|ฟัน)(?!" + _STRUCK + ")"
)
# lay24: a baby gone from its cot, or carried out by a stranger in disguise (security, like CHILD_TAKEN)
BABY_GONE = re.compile(
    r"(?:ทารก|เด็ก|ลูก|หลาน)\S{0,6}?หายจาก(?:เตียง|ตู้อบ|ห้องเด็ก|วอร์ด|เปล)|"
    r"(?:แต่งชุด|ปลอมตัว|แปลกหน้า|ไม่รู้จัก)\S{0,30}?อุ้ม(?:ทารก|เด็ก|ลูก|หลาน)\S{0,20}?(?:ออก|หนี|หาย)|"
    # r13: a stranger told by who she or he is, carrying the writer's baby out of the ward ("ผู้หญิงที่อุ้มลูกผมออกมา
    # จากห้องหลังคลอด"); a parent carrying the own baby names no one else
    r"(?:ผู้หญิง|ผู้ชาย|คนอื่น|ใครก็ไม่รู้|คนนอก)\S{0,12}?อุ้ม(?:ลูก|หลาน)(?:ผม|ฉัน|เรา|หนู|ดิฉัน|ของผม|ของเรา|ของฉัน)"
    r"(?:ออก|หนี)(?:มา|ไป)?(?:จาก|นอก)(?:ห้อง|วอร์ด|ตึก|เตียง)"
)
LAY_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("se:death", re.compile(
        # a relative "gone" ("พ่อก็จากไปแล้ว"), not one carried away ("อุ้มลูกจากไป")
        r"(?<!อุ้ม)(?<!พา)(?<!เอา)" + _KIN + r"(?:ผม|ฉัน|ดิฉัน|หนู|เรา)?(?:ก็|ได้)?(?:เสีย|จากไป)" + _ENDS + "|"
        r"(?:ต่อมา|สุดท้าย|ในที่สุด|ไม่นาน)(?:ก็)?(?:เสีย|จากไป)" + _ENDS + "|"
        r"(?<!เดิน)(?<!หนี)(?<!ออก)(?<!ย้าย)(?<!วิ่ง)(?<!ขับ)(?<!การ)จากไป(?:แล้ว|ต่อหน้า|ตอน|เมื่อ|ทั้ง)")),
    ("se:arrest", re.compile(r"หายใจ.{0,12}จน(?:หยุด|ไม่หายใจ)")),
    ("se:wrong_blood", re.compile(
        r"ให้เลือด.{0,10}ผิด(?:ถุง|คน|กรุ๊ป|หมู่)|ถุงเลือด(?:ของ)?(?:เตียง|ห้อง|คนไข้|ผู้ป่วย)(?:ข้าง|อื่น)|"
        # a drug packet with another name ("ชื่อที่ถุงยาไม่ตรงกับแม่") is a dispensing error, not wrong blood
        r"ชื่อ(?:บน|ที่|ข้าง)?ถุง(?!ยา)(?:เลือด)?.{0,10}ไม่(?:ใช่|ตรง)")),
    ("se:never_event", CHILD_TAKEN),
    ("se:never_event", BABY_SWAPPED),
    # a baby's heart no longer heard in the womb ("ฟังเสียงหัวใจลูกไม่ได้แล้ว")
    ("se:death", re.compile(r"(?:ฟัง|หา|จับ)(?:เสียง)?หัวใจ(?:ลูก|ทารก|เด็ก)(?:ใน(?:ท้อง|ครรภ์))?(?:ไม่ได้|ไม่เจอ|ไม่พบ)")),
    ("se:violence", VIOLENCE_LAY),
    # lay24: a relative "gone" at a time of day ("เช้ามายายไปแล้ว", "ตอนแลงพ่อก็ไปแล้ว"), not gone home or out
    ("se:death", re.compile(
        r"(?:เช้ามา|ตอนเช้า|ตอนแลง|ตอนเย็น|ตอนดึก|ตกเย็น|กลางคืน|สุดท้าย|ตี(?:หนึ่ง|สอง|สาม|สี่|ห้า|\d))(?:คุณ)?" + _KIN
        + r"(?:ผม|ฉัน|เรา)?(?:ก็)?ไปแล้ว(?!กลับ|ทำ|ที่|หา|ซื้อ|ตลาด|บ้าน|ส่ง|รับ|เอา|ตรวจ|ห้อง|โรง|คลินิก|ค่ะ?กลับ)")),
    # lay24: grief told as what should not have been ("ถ้ามาเร็วกว่านี้พ่อคงไม่ตาย", "ลูกไม่ควรตาย")
    ("se:death", re.compile(r"คง(?:จะ)?(?:ไม่|บ่)(?:ตาย|เสียชีวิต|จากไป)|(?:ไม่|บ่)(?:น่า|ควร)(?:จะ)?(?:ตาย|เสียชีวิต)")),
    ("se:never_event", BABY_GONE),
    # lay24: the side meant and the other side operated ("จะผ่าเข่าขวา หมอไปผ่าเข่าซ้ายที่ดีอยู่")
    ("se:never_event", re.compile(
        r"ผ่า\S{0,10}?ขวา\S{0,40}?ผ่า\S{0,10}?ซ้าย(?:ที่ดี|ข้างที่ดี|ที่ไม่(?:ได้)?(?:เป็น|เจ็บ|ปวด)|แทน)|"
        r"ผ่า\S{0,10}?ซ้าย\S{0,40}?ผ่า\S{0,10}?ขวา(?:ที่ดี|ข้างที่ดี|ที่ไม่(?:ได้)?(?:เป็น|เจ็บ|ปวด)|แทน)")),
    # nlp-r11pat: the healthy side told as the one operated ("ขาซ้ายที่ดีๆอยู่โดนเปลี่ยนไปแล้ว"), or the wound found on the
    # other side after the side planned ("นัดผ่าเข่าขวา ตื่นมาแผลอยู่ขาซ้าย")
    ("se:never_event", re.compile(
        r"(?:ซ้าย|ขวา)(?:ข้าง)?ที่ดี(?:ๆ|อยู่|แล้ว)*(?:โดน|ถูก|กลับ|ไป)?(?:ผ่า|เปลี่ยน|ตัด)|"
        r"ผ่า\S{0,20}?ขวา\S{0,30}?(?:แผล|รอยผ่า)(?:อยู่)?(?:ที่)?\S{0,6}?ซ้าย|"
        r"ผ่า\S{0,20}?ซ้าย\S{0,30}?(?:แผล|รอยผ่า)(?:อยู่)?(?:ที่)?\S{0,6}?ขวา")),
    # nlp-r11pat: a death told by who is left without whom ("ตอนนี้ลูกไม่มีแม่แล้ว", "ต้องเสียพ่อไป") or by a rescue
    # that came too late ("หมอมาถึงก็ช่วยไม่ทันแล้ว", "ยื้อไว้ไม่ไหว"); not a rescue only feared ("คงช่วยไม่ทัน")
    ("se:death", re.compile(
        r"(?:ตอนนี้|ลูก|หลาน|ผม|ฉัน|หนู|เรา|บ้านเรา)(?:ก็)?(?:ไม่มี|ขาด)(?:คุณ)?" + _KIN_CLOSE + r"(?:อีก)?(?:แล้ว|ตลอดไป)|"
        r"(?:ต้อง|ได้)?(?:สูญ)?เสีย(?:คุณ)?" + _KIN_CLOSE + r"(?:ไป|ไปแล้ว|ตลอดกาล)|กำพร้า(?:แม่|พ่อ)|เป็นเด็กกำพร้า|"
        r"(?<!คง)(?<!จะ)(?<!อาจ)(?<!เกือบ)(?<!ถ้า)ช่วย(?:ชีวิต)?(?:\S{0,8}?)ไม่ทัน(?=แล้ว|ครับ|คับ|ค่ะ|คะ|$|\s)|"
        r"ยื้อ(?:ชีวิต)?\S{0,6}?ไม่(?:ไหว|อยู่)")),
    # nlp-r11pat: a self-harm act told by what was done ("เอาสายน้ำเกลือพันคอตัวเอง", "กรีดแขนตัวเอง"), not a scarf
    # ("ผ้าพันคอ") nor a line tangled round a baby
    ("se:suicide_homicide", re.compile(
        r"(?:พัน|รัด|ผูก|มัด)คอ(?:ตัวเอง|ตนเอง)|(?:เอา|ใช้)(?:สาย|เชือก)\S{0,14}?(?:พัน|รัด|ผูก|แขวน)คอ|"
        r"(?:กรีด|เชือด|แทง)(?:ข้อมือ|แขน|คอ|ท้อง)?(?:ตัวเอง|ตนเอง)")),
)  # fmt: skip
# lay24: a feeling said strongly with "ตาย" ("น่ากลัวตายเลย", "หิวตาย", "เบื่อตาย"): no death.
FEELINGS = ("กลัว", "ร้อน", "หิว", "เบื่อ", "หนาว", "เหนื่อย", "เมื่อย", "ง่วง", "เซ็ง", "รำคาญ", "เครียด", "ขำ", "ตลก", "อาย")
# lay24: cyanosis is near-death when told with a breath that failed, no answer or a rescue ("หน้าเขียว หายใจไม่ออก").
CYANOSIS = re.compile(r"(?:ตัว|ปาก|หน้า|เล็บ)เขียว")
CYANOSIS_WITH = re.compile(r"หายใจไม่(?:ออก|ได้)|ไม่หายใจ|เรียกไม่(?:ตอบ|รู้สึกตัว)|ไม่ตอบสนอง|ไอซียู|icu|ใส่ท่อ", re.IGNORECASE)
# lay24: harm the care itself did ("หมอทำลำไส้ทะลุ"), and permanent harm after a birth, an operation or a jab.
CARE_DID = re.compile(r"ทำ\S{0,10}?(?:ทะลุ|ฉีกขาด)")
CARE_SETTING = re.compile(r"คลอด|ผ่า|ดมยา|ฉีด|ส่องกล้อง")
# lay24: a rescue told with its happy end and thanks ("ปั๊มหัวใจแม่จนรอด ขอบคุณมาก"): what the care overcame.
# round 12 (tune29 patient): "saved his life" is the happy end itself ("หมอช่วยชีวิตพ่อไว้ตอนหัวใจหยุดเต้น"; not
# "ช่วยชีวิตไม่ได้", "พยายามช่วยชีวิต").
RESCUED = re.compile(r"จน(?:รอด|ฟื้น)|รอดมาได้|ช่วย\S{0,14}?(?:ไว้ได้|ไว้ทัน|ทัน|จนฟื้น)|แข็งแรงดี|หายแล้ว|"
                     # r13: operated on or treated at once ("หมอผ่าตัดให้ทันที")
                     r"(?<!ไม่ได้)(?<!ไม่)(?:ผ่าตัด|ผ่า|รักษา|เย็บแผล|ใส่ท่อ)(?:ให้)?ทันที|"
                     r"กลับบ้าน(?:ได้)?แล้ว|ปลอดภัยแล้ว|สำเร็จ|"
                     r"(?<!พยายาม)ช่วยชีวิต\S{0,12}?ไว้(?!ไม่)")
# pat27: gladness told with the happy end ("…รอดมาได้ … ดีใจมาก") is the same thanks
THANKS = re.compile(r"ขอบคุณ|ขอบใจ|เก่งมาก|ประทับใจ|ขอบพระคุณ|ดีใจ|ซึ้งใจ|ปลื้ม")
RESCUE_KEEPS = ("med", "fall", "event", "fire", "theft", "se:wrong_blood", "se:never_event", "se:suicide_homicide",
                "se:violence", "se:drug_use", "se:disease", "se:reputation")
# lay24: fear, a past illness or a suspicion the patient had ("กลัวเป็นไข้เลือดออก", "เคยเป็นไข้เลือดออกปีที่แล้ว").
# r13: also the disease named as one ("กลัวเป็นโรคพิษสุนัขบ้า")
FEARED = re.compile(r"(?:กลัว|กังวล|ห่วง|เคย)(?:ว่า)?\S{0,6}?(?:จะ)?(?:เป็น|ติด)?(?:โรค)?$")
NEARLY = {"se:never_event": ("เกือบ", "เกือบได้", "เกือบจะ"), "se:wrong_blood": ("เกือบ", "เกือบได้", "เกือบจะ", "จะ")}
LASTING_LOSS = re.compile(r"มีลูกไม่ได้อีก|เดินไม่ได้อีก|(?:ฟอก|ล้าง)ไตตลอดชีวิต")
# Set-up words for an act, not the act: "จะ" ("the nurse was about to give the wrong bag").
SETTING_EVENTS = frozenset({"คลอด", "ทำคลอด", "ผ่าตัด", "ดมยา", "ให้ยาระงับความรู้สึก"})
# lay24: "what should I do if …?" ("ถ้าคนที่บ้านหยุดหายใจ ต้องโทรเบอร์ไหนคะ"): a question, nothing happened.
HYPOTHETICAL = re.compile(r"^\s*(?:ถ้า|หาก|กรณี)[^\n]*?(?:ไหม|มั้ย|ยังไง|อย่างไร|ไหน|อะไร|เท่าไร|\?)")
# "หายใจไม่ได้ ตายคาเตียง": an inability ("could not breathe") before a death word is no negation of it.
# lay24: also with what it forced ("หายใจไม่ได้ ต้องปั๊มหัวใจ"): "ไม่ได้|ต้อง" is no "did not have to".
INABILITY = re.compile(r"(?:หายใจ|ไอ|กลืน|ขยับ|ลุก)ไม่(?:ได้|ออก)(?:จน)?(?:ต้อง)?$")
# Waiting, heat, hunger or a search "nearly killed" the writer: a figure of speech ("รอคิวจ่ายยาเกือบตาย").
HYPERBOLE_NEAR_DEATH = frozenset({"เกือบตาย", "เกือบไม่รอด"})
HYPERBOLE_CAUSE = re.compile(r"(?:รอ|คอย|(?<![่้])วน|หา|เดิน|ยืน|นั่ง|ร้อน|หิว|เหนื่อย|หนาว|เบียด|คิว|โทร).{0,10}(?:จน)?$")
# …or a wait told by its hours just before ("รอคิวตั้งแต่ 6 โมงเช้าถึงบ่าย 2 เกือบตาย"), or told as long with what was
# waited for between ("รอคิวจ่ายเงินนานจนเกือบตาย": the wait word more than 10 characters back): up to 40 characters.
HYPERBOLE_WAIT = re.compile(
    r"(?:รอ|คอย|คิว|ถ่า)\S{0,40}?(?:โมง|ชั่วโมง|ชม\.?|นาที|บ่าย|เที่ยง|เย็น|ค่ำ|ทั้งวัน|ครึ่งวัน|นาน)(?:ครึ่ง)?\S{0,4}?(?:จน)?$"
)
# "ตายแล้ว ลืมบัตร", "ตายจริง": an exclamation opening the message, not a death.
EXCLAIM_AFTER = frozenset({"แล้ว", "จริง", "จริงๆ", "ละ", "ล่ะ", "ๆ"})
# G words that do not name a harm on their own: "ถาวร" (a permanent filling), "พิการ" (the disabled car park).
VAGUE_G = frozenset({"ถาวร", "พิการ"})
# A burn wound told by its depth or place is harm to a patient, not a fire ("แผลไหม้ระดับ 2 ที่ต้นขา").
BURN_WOUND = re.compile(r"(?:แผล|ผิว(?:หนัง)?|ผิว)ไหม้|ไหม้(?:ระดับ|ดีกรี|เกรด)")
# "เอาเรื่อง" followed by what the matter is: "took the matter of the patient's disease", not legal action.
TAKE_MATTER = re.compile(r"(?:โรค|ของ|ส่วนตัว|คนไข้|ผู้ป่วย|ผป|ไป|มา|อาการ|ผล|ที่|นี้|นั้น|ใน)")
# Things, not people, that a drunk or angry man breaks ("ทุบกระจก", "ตีประตู"): damage, not an assault.
STRUCK_THINGS = ("กระจก", "ประตู", "โต๊ะ", "ผนัง", "กำแพง", "ตู้", "รถ", "ของ", "เคาน์เตอร์", "หน้าต่าง", "ป้าย", "เครื่อง",
                 # round 13 (tune32, nlp-r13inc): a drunk visitor who kicks a bin or a chair struck nobody
                 "ถังขยะ", "ถังน้ำ", "เก้าอี้")
# Blood products counted in units ("PRC 2 unit", "ให้เลือด 10 units", "ทิ้งเลือด 8 unit"): a dose word that is no drug.
# The word run is possessive: split two ways it backtracked in cubic time on a long run ("เลือด" × 320: 6 s). Each
# word and "cryo…" are bounded too: unbounded, every start in a run of "pc", "cryo" or "เลือด" read to the run's end
# (quadratic: "cryo" × 1,000 took 28 s; lead r13, from the review).
BLOOD_UNITS = re.compile(
    r"(?:prc|lprc|ffp|platelet|cryo[a-z]{0,20}+|เลือด|ถุงเลือด|pc)\s*(?:[^\s\d]{1,30}+\s*){0,2}?(\d+\s?units?)\b",
    re.IGNORECASE,
)


def _blood_units(word: str, text: str) -> bool:
    """Whether the med cue ``word`` is only a count of blood units in ``text``."""
    return any(m.group(1).lower() == word.lower() for m in gated_finditer(BLOOD_UNITS, text))


# A fire alarm that rang is not a fire.
FIRE_ALARM = re.compile(r"(?:สัญญาณ|กริ่ง|เสียง|ออด)(?:เตือน)?(?:ไฟไหม้|ไหม้)")
ABDUCTION_RX = re.compile(r"อุ้ม(?:ทารก|เด็ก|ลูก).{0,40}ออก(?:จาก|ไป)")  # with the police told: an abduction
# A transfusion followed by haemolysis is a wrong-blood reaction until shown otherwise.
HEMOLYSIS = re.compile(r"hemoly\w*|haemoly\w*|ปัสสาวะสีโค้ก|ปัสสาวะสีน้ำปลา|ปัสสาวะเป็นสีดำ|น้ำล้างเนื้อ", re.IGNORECASE)
# A wrong side, site or patient caught before the procedure began (found at the time-out or sign-in, found
# before the incision, the mark corrected) is a near miss, not seed 004's never event (also read by nlp.nrls).
WRONG_SITE_CAUGHT_RX = (
    r"(?:ตรวจ)?พบ(?:ว่า)?\S{0,20}\s*(?:ตอน|ขณะ|ระหว่าง|ใน)\s*(?:ทำ\s*)?(?:time ?-?out|sign ?-?in)|"
    r"(?:ตรวจ)?พบ\S{0,10}\s*ก่อน\s*(?:ลงมีด|เริ่มผ่าตัด|ผ่าตัด|ทำหัตถการ|ดมยา)|แก้ไข\s*(?:ตำแหน่ง|ข้าง|mark)|"
    # r10inc: the mark redone and the right side operated ("ตามแพทย์ mark ใหม่ ผ่าตัดถูกข้าง")
    r"(?:mark|ทำเครื่องหมาย)\s*(?:site\s*)?ใหม่|(?:ผ่าตัด|ผ่า|ทำ)ถูก(?:ข้าง|ตำแหน่ง|คน)|"
    # inc23: the check named first ("time out ก่อนผ่าตัด พบ mark ผิดข้าง"; not "ไม่ได้ทำ time out"), or the fix told
    # as made before the cut ("แก้ไขก่อนลงมีด")
    r"(?<!ไม่ได้ทำ)(?<!ไม่ได้)(?<!ไม่ทำ)(?<!ข้าม)(?:time ?-?out|sign ?-?in)[^\n]{0,30}?(?:ตรวจ)?พบ(?![^\n]{0,30}หลัง)|"
    r"แก้ไข\S{0,6}\s*ก่อน\s*(?:ลงมีด|เริ่มผ่าตัด|ผ่าตัด|ทำหัตถการ|ดมยา)"
)
WRONG_SITE_CAUGHT = re.compile(WRONG_SITE_CAUGHT_RX, re.IGNORECASE)
# sent7: a vaccine named for a disease ("วัคซีนพิษสุนัขบ้าเข็มแรก", "rabies vaccine") is prevention, not a case.
VACCINE_NAMED_RX = (
    # r11inc: also the last of a list of vaccines ("ทำลายวัคซีน HPV, ไข้หวัดใหญ่, พิษสุนัขบ้า รวม 2,310 โด๊ส")
    r"วัคซีน\s*(?:[^,\n]{1,24}?\s*,\s*){0,6}(?:และ\s*)?(?:ป้องกัน)?\s*(?:โรค)?\s*(?:พิษสุนัขบ้า|คอตีบ|โปลิโอ|ไข้เลือดออก|ไข้สมองอักเสบ|สมองอักเสบ|"
    r"อหิวา\S{0,6}|ไข้หวัดนก|rabies|polio|dengue|diphther\w*|cholera|\bje\b)|"
    r"(?:rabies|polio|dengue|diphther\w*|cholera|\bje)\s*vacc\w*"
)
VACCINE_NAMED = re.compile(VACCINE_NAMED_RX, re.IGNORECASE)
# "ไม่มีคำสั่ง DNR": a resuscitation order that was NOT in place makes a death unexpected.
NO_DNR = re.compile(r"(?:ไม่มี(?:คำสั่ง|การเซ็น|ใบ)?|ไม่ได้(?:ทำ|เซ็น|ลงนาม)?|\bno|without)\s*(?:dnr|do not resuscitate)",
                    re.IGNORECASE)
BLOOD_GROUP = re.compile(r"(?:group|gr\.?|กรุ๊ป|หมู่เลือด|หมู่)\s*(ab|a|b|o)(?![a-z])(?:\s*(?:rh)?\s*[+-])?", re.IGNORECASE)
BLOOD_GROUP_IS = re.compile(r"(?:เป็น|คือ|จริงเป็น)\s*(ab|a|b|o)(?![a-z])", re.IGNORECASE)  # "กรุ๊ปเลือดเป็น B"
TRANSFUSION = re.compile(r"prc|lprc|ffp|platelet|cryo|ให้เลือด|ถุงเลือด|ได้เลือด|transfus|คลังเลือด|blood bank", re.IGNORECASE)
# A death or arrest reviewed as expected (the course of the disease, a DNR patient, dead on arrival) is not
# a sudden death (seed 004): it cancels the death/arrest cues, unless an error or accident is named too.
EXPECTED_DEATH = (
    "ตามการดำเนินโรค", "ตามการดำเนินของโรค", "ตามพยาธิสภาพ", "เสียชีวิตอย่างสงบ", "จากไปอย่างสงบ", "ระยะสุดท้าย",
    "ระยะท้าย", "ไม่ยื้อ", "ไม่ปั๊ม", "ไม่ขอปั๊ม", "ไม่ใส่ท่อ", "ขอไม่ทำcpr", "ไม่ขอcpr", "ไม่ต้องการcpr",  # sent7: CPR declined
    "ประคับประคอง", "ไม่พบความคลาดเคลื่อน", "ไม่ติดใจ", "ตามวัย",  # lay24: "no grudge", "of old age"
    "ไม่พบข้อบกพร่อง", "ไม่พบความผิดพลาด", "เสียชีวิตก่อนมาถึง", "ตั้งแต่ก่อนมาถึง", "เสียชีวิตก่อนถึงโรงพยาบาล", "เสียชีวิตระหว่างนำส่ง",
    # a relative thanking staff for a peaceful end, condolences offered to someone
    "อย่างสงบ", "ช่วงสุดท้าย", "วาระสุดท้าย", "ไปสบาย", "ตามอายุ", "ไม่ทรมาน", "แสดงความเสียใจ",
)  # fmt: skip
# lead r13: cared for until the end ("ดูแลยายจนสิ้นลม", "ดูแลพ่อจนเสียชีวิตอย่างสงบ") is a palliative thanks, not a sudden
# death; "ไม่มีใครมาดูจนสิ้นลม" (nobody came) has no "ดูแล" before the "จน".
CARED_TO_THE_END = re.compile(r"ดูแล\S{0,12}?จน(?:จากไป|วาระสุดท้าย|วันสุดท้าย|สิ้นลม|สิ้นใจ|เสียชีวิต|ตาย)")
# ... unless nobody cared ("ไม่มีใครมาดูแลยายจนสิ้นลม", "ไม่ได้ดูแล", "ไม่มีหมอมาดูแล")
NOT_CARED = re.compile(r"(?:ไม่|ไม่ได้|ไม่ค่อย|ไม่มี\S{0,6}?|ไม่เห็น\S{0,6}?)(?:มา)?ดูแล")
EXPECTED_DEATH_LATIN = re.compile(
    r"\b(?:dnr|do not resuscitate|dead on arrival|doa|brought in dead|palliative|end[- ]of[- ]life|terminal(?:ly ill)?|"
    r"expected death|natural course|disease progression|comfort care|advance directive|living will)\b"
)
# Errors that make a death unexpected whatever the review says (a fall, a drug error, a wrong transfusion).
UNEXPECTED_KINDS = ("med", "fall", "fire", "theft", "se:wrong_blood", "se:never_event", "se:suicide_homicide",
                    "se:violence", "se:drug_use")  # fmt: skip

# Harm from a treatment, fall or medication error that is near-death → sentinel; lesser harm → severity.
EVENT_TH = (
    "ให้ยาผิด",
    "ยาผิด",
    "ผิดคน",
    "ผิดขนาด",
    "ผิดชนิด",
    "ยาเกินขนาด",
    "ให้ยาซ้ำ",
    "ผิดเวลา",
    "ตกเตียง",
    "ลื่นล้ม",
    "ล้ม",
    "หกล้ม",
    "พลัดตก",
    "ตกบันได",
    "ตกเปล",
    "ตกรถเข็น",
    "ผ่าตัด",
    "คลอด",
    "ทำคลอด",
    "แทรกซ้อน",
    "ภาวะแทรกซ้อน",
    "ดมยา",
    "ให้ยาระงับความรู้สึก",
    "ไฟดูด",
    "ไฟช็อต",
    "จมน้ำ",
    "ลิฟต์",
    "คลาดเคลื่อน",
    "ผิดพลาด",
    "แพ้ยา",
)
EVENT_LATIN = (
    r"\b(?:med(?:ication)? error|wrong (?:drug|dose|patient|route|med\w*)|overdose|fall|fell|slip\w*|"
    r"complication|post[- ]?op|intra[- ]?op|iv push|kcl|insulin|heparin|morphine|adverse)\b"
)

# Mitigation that cancels a death/near-death word in the same clause ("ไม่มีผู้เสียชีวิต", "ไม่ตาย").
NEGATED_BEFORE = ("ไม่", "ไม่มี", "ไม่มีผู้", "ไม่มีคน", "ไม่ได้", "ไม่ถึงขั้น", "ไม่ถึง", "ไม่ถึงกับ", "ยังไม่", "ไม่พบ",
                  "ไม่ต้อง", "ไม่ประสงค์", "ไม่ต้องการ", "ไม่มีการ", "บ่", "บ่ให้", "ไม่ให้",  # lay24
                  # inc23: harm named as what is prevented or risked ("ป้องกันแผลกดทับ", "เสี่ยงต่อการพลัดตก") did not happen
                  "ป้องกัน", "ป้องกันการ", "ป้องกันการเกิด", "เสี่ยงต่อ", "เสี่ยงต่อการ", "เสี่ยงต่อการเกิด")
NEGATABLE = ("se:", "sev:", "police", "fire_major")  # cue kinds a negation right before them cancels
# A negation with its fillers right before a cue, on the joined words: "ยังไม่มีการ|ทำร้ายตนเอง", "ไม่ต้องใส่|ท่อ",
# "ยังไม่มีภาวะ|ช็อก", "ไม่มีผู้ใด|บาดเจ็บ", "ไม่ประสงค์|แจ้งความ".
NEGATED_JOINED = re.compile(
    r"(?:ยัง)?ไม่(?:มี|พบ|ได้|ต้อง|เกิด|ประสงค์|ต้องการ)?(?:การ|อาการ|ภาวะ|ร่องรอย|ผู้ใด|ผู้|คน|ใคร)?"
    r"(?:ได้รับ|ต้อง|จะ)?(?:การ)?(?:ให้|ใส่)?$|"
    # r11inc: no patient who … ("ไม่มีผู้ป่วยเสียชีวิต"; not "ช็อกไม่ได้ ผป.เสียชีวิต", an inability and then the death)
    r"(?:ยัง)?ไม่(?:มี|พบ)(?:ผู้ป่วย|ผป\.?|คนไข้)(?:ราย)?(?:ใด)?(?:ที่)?$"
)
# "ร้อนจะตาย", "รอแทบตาย" are figures of speech (lay24: and "เสี่ยงตาย", "เดี๋ยวก็ตาย")
HYPERBOLE_BEFORE = ("จะ", "แทบ", "แทบจะ", "ปาง", "คง", "เสี่ยง", "เดี๋ยวก็")
SOFT_SENTINEL = frozenset({"ตาย", "ฆ่า", "ไม่หายใจ", "ไม่รอด"})  # only these are open to the hyperbole check
EQUIPMENT_BEFORE = re.compile(r"(?:เครื่อง|หุ่น|อบรม|ฝึกอบรม|ฝึก|สอน|หลักสูตร)\s*$")
# r9inc: the kind of patient a nurse cares for ("ไม่เคยดูแล pt on ventilator"): a ward's work, not an event's harm
CARED_KIND_BEFORE = re.compile(r"ดูแล\s*(?:ผู้ป่วย|ผป\.?|pt|คนไข้|case)?\s*$", re.IGNORECASE)
LATIN_NEGATION = re.compile(r"\b(?:no|not|without|denies|deny|r/o|rule out)\s+(?:\w+\s+){0,1}$")

# Severity cues below sentinel level (checked from most to least severe).
SEVERITY_TH: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("G", ("พิการ", "ถาวร", "สูญเสียการได้ยิน", "หูหนวก",
            "ตัดขา", "ตัดแขน", "ตัดนิ้ว", "ตาบอด", "สูญเสียการมองเห็น", "อัมพาต", "อัมพฤกษ์", "สมองพิการ",
           "เสียหายถาวร", "พิการถาวร", "เส้นประสาทขาด",
           # lay24: a lasting loss told by what the patient can no longer do
           "ฟอกไตตลอดชีวิต", "ล้างไตตลอดชีวิต", "มีลูกไม่ได้อีก", "เดินไม่ได้อีกเลย")),
    ("F", ("นอนโรงพยาบาลนานขึ้น", "นอนนานขึ้น", "นอนเพิ่ม", "แอดมิท", "รับไว้รักษา", "รับไว้ในโรงพยาบาล", "ผ่าตัดแก้ไข",
           "ผ่าตัดซ้ำ", "กระดูกหัก", "กระดูกร้าว", "ข้อสะโพกหัก", "ต้องผ่าตัด", "ยืดระยะเวลา", "ส่งต่อ", "refer")),
    ("E", ("เย็บแผล", "แผลฉีกขาด", "บวม", "ผื่น", "ให้ยาแก้แพ้", "แพ้ยา", "แผลไหม้", "น้ำร้อนลวก", "พุพอง",
           "น้ำตาลต่ำ", "ชัก", "หัวแตก", "ศีรษะกระแทก", "หัวโน", "เลือดออก", "ได้รับบาดเจ็บ", "บาดเจ็บ", "ปวดมาก",
           "ต้องรักษาเพิ่ม", "รักษาเพิ่มเติม", "อาเจียน", "หายใจเหนื่อย", "ความดันต่ำ", "ติดเชื้อ", "แผลกดทับ",
           "ได้รับยาแก้", "ได้รับการรักษา")),
    ("D", ("เฝ้าระวัง", "ติดตามอาการ", "สังเกตอาการ", "ติดตามผล", "ตรวจซ้ำ", "ประเมินซ้ำ", "วัดสัญญาณชีพ")),
    ("C", ("ไม่มีอาการผิดปกติ", "ไม่เกิดอันตราย", "ไม่มีอันตราย", "ไม่มีผลกระทบ", "ได้รับยาไปแล้ว", "ได้รับยาแล้ว",
           "ผู้ป่วยได้รับ", "ไม่บาดเจ็บ", "ไม่ได้รับบาดเจ็บ", "ไม่มีบาดแผล", "ปลอดภัย")),
    ("B", ("ตรวจพบก่อน", "พบก่อน", "ทักท้วง", "ดักจับ", "ก่อนให้ยา", "ก่อนถึงผู้ป่วย", "ยังไม่ถึงผู้ป่วย", "ยังไม่ได้ให้",
           "ยังไม่ได้รับ", "เกือบ", "เกือบให้", "ทันก่อน", "แก้ไขทัน", "ตรวจสอบพบ", "ก่อนลงมีด")),
    ("A", ("เสี่ยง", "อาจเกิด", "อาจทำให้", "มีโอกาส", "ความเสี่ยง")),
)  # fmt: skip
SEVERITY_LATIN: tuple[tuple[str, str], ...] = (
    ("G", r"\b(?:permanent|disabilit\w*|amputat\w*|paraly\w*|blind\w*)\b"),
    # an admission or a transfer named in passing ("สั่ง admit", "รอ refer") is not harm; one the event caused is
    ("F", r"\b(?:prolonged|readmi\w*|re-?operat\w*|fracture\w*|(?:had to|must|needed to) (?:be )?(?:admi|refer)\w*)\b"),
    ("E", r"\b(?:laceration|hematoma|rash|swelling|burn|hypoglycemi\w*|seizure|injur\w*|harm|treatment required)\b"),
    ("D", r"\b(?:monitor\w*|observe\w*|observation|v/s|vital signs)\b"),
    ("C", r"\b(?:no harm|reached (?:the )?patient|no injury|no adverse)\b"),
    ("B", r"\b(?:near[- ]?miss|intercepted|caught before|prevented)\b"),
)
ERROR_HINTS_TH = (*EVENT_TH, "ความคลาดเคลื่อน", "อุบัติการณ์", "อุบัติเหตุ", "ผิด", "พลาด", "ลืม", "สลับ",
                  "ประวัติแพ้", "มีประวัติแพ้", "ไม่ได้รายงาน", "ไม่ได้รายงานแพทย์", "ไม่ได้ประเมิน", "รายงานล่าช้า",
                  "ไม่ได้ตาม", "ไม่ได้ติดตาม", "มัดแน่น", "โดนมัด", "ถูกมัด", "ผูกมัด",
                  # inc23: a structure that fell on people is an accident (seed 004: near-death, told by the ICU)
                  "ถล่ม", "ถล่มทับ", "หล่นทับ", "ล้มทับ", "พังทับ", "ร่วงทับ")


# Incident narratives rarely use patient words, so their cues also point at a topic.
# A baby given to the wrong mother (r11inc: seed 004's event, no lasting harm to the baby) or taken (its fate unknown).
SWAPPED_BABY = frozenset({"สลับเด็ก", "เด็กสลับ", "ทารกสลับ", "ให้ลูกผิดคน", "ส่งเด็กผิดคน", "ได้ลูกผิดคน", "ลูกผิดคน"})
NEVER_EVENT_SAFETY = SWAPPED_BABY | {"ลักพาตัวทารก", "ลักพาตัวเด็ก", "ลักพาตัว", "ถูกลักพา", "อุ้มเด็กไป", "ทารกหาย"}
# Harm (a death, an arrest) is the outcome of an incident, not its topic: the cause is ("ให้ยาผิด ...
# หัวใจหยุดเต้น" is medication). Harm topics come back as "harm:<code>" and tag only when nothing else does.
HARM_PREFIX = "harm:"
DRILL_CUES = frozenset({"code blue", "โค้ดบลู"})
HARM_TOPICS: dict[str, tuple[str, ...]] = {
    "se:death": ("clinical_care",),
    "se:arrest": ("clinical_care",),
}
CUE_TOPICS: dict[str, tuple[str, ...]] = {
    "se:wrong_blood": ("clinical_care", "safety_privacy"),
    "se:never_event": ("clinical_care", "safety_privacy"),
    "se:disease": ("clinical_care",),
    "se:suicide_homicide": ("safety_privacy",),
    "se:violence": ("safety_privacy",),
    "se:drug_use": ("safety_privacy",),
    "fire": ("environment",),
    "theft": ("safety_privacy",),
    "med": ("medication",),
    "fall": ("safety_privacy",),
}
MED_TH = ("ยาของคนอื่น", "ยาคนอื่น", "ไม่ใช่ยาของ", "ไม่ไช่ยาของ",  # lay24: another patient's drugs
          "ให้ยาผิด", "ยาผิด", "จ่ายยาผิด", "จัดยาผิด", "ผิดความแรง", "ยาผิดความแรง", "ผิดขนาด", "ผิดชนิด",
          "ยาเกินขนาด", "ให้ยาซ้ำ", "แพ้ยา", "ความคลาดเคลื่อนทางยา", "ไม่ได้ปรับขนาด", "ไม่ปรับขนาดยา")
FALL_TH = ("ตกเตียง", "ลื่นล้ม", "หกล้ม", "พลัดตก", "ตกบันได", "ตกเปล", "ตกรถเข็น", "ลื่น")
MED_LATIN = (
    r"\b(?:med(?:ication)? error|wrong (?:drug|dose|med\w*)|overdose|kcl|insulin|heparin|enoxaparin|morphine|"
    r"warfarin|digoxin|\d+\s?(?:mg|mcg|units?)(?!%|\s*/\s*dl)|\w+(?:pine|pril|sartan|olol|mycin|cillin|floxacin|azole|parin|"
    r"statin|xone|zepam|prazole|formin|phylline))\b"
)
FALL_LATIN = r"\b(?:fall|fell|slipped)\b"


@dataclass(frozen=True, slots=True)
class SeverityResult:
    severity_hint: str | None
    sentinel: bool
    reasons: tuple[str, ...]
    topics: dict[str, list[str]]


class _Rules:
    def __init__(self) -> None:
        entries: list[tuple[str, str]] = []
        for cat, words in SENTINEL_TH.items():
            entries += [(w, f"se:{cat}") for w in words]
        entries += [(w, "fire") for w in FIRE_TH] + [(w, "fire_minor") for w in FIRE_MINOR_TH]
        entries += [(w, "fire_major") for w in FIRE_MAJOR_TH]
        entries += [(w, "theft") for w in THEFT_TH] + [(w, "police") for w in POLICE_TH]
        entries += [(w, "theft_weak") for w in THEFT_WEAK_TH] + [(w, "embezzle") for w in EMBEZZLE_TH]
        entries += [(w, "assault") for w in ASSAULT_TH]
        entries += [(w, "event") for w in ERROR_HINTS_TH] + [(w, "event_drill") for w in DRILL_TH]
        entries += [(w, "med") for w in MED_TH] + [(w, "fall") for w in FALL_TH]
        for level, words in SEVERITY_TH:
            entries += [(w, f"sev:{level}") for w in words]
        self.matcher: PhraseMatcher[str] = PhraseMatcher(entries)
        keys = sorted({phrase_key(w) for w, _ in entries} - {""})
        # Long sentinel phrases are also searched as plain substrings: the tokenizer may glue their last
        # word to the next one ("ให้เลือด|ผิดคน"), and a miss costs far more than a rare false alarm.
        self.long_kind = {
            phrase_key(w): f"se:{cat}" for cat, words in SENTINEL_TH.items() for w in words if len(w) >= 5
        }
        # Which long phrases could occur, by their first LONG_PREFIX characters: a message is checked only
        # against phrases whose prefix it contains (same result as trying every phrase, in the same order).
        self.long_by_prefix: dict[str, list[tuple[int, str, str]]] = {}
        for n, (phrase, kind) in enumerate(self.long_kind.items()):
            self.long_by_prefix.setdefault(phrase[:LONG_PREFIX], []).append((n, phrase, kind))
        self.latin = {cat: re.compile(rx) for cat, rx in SENTINEL_LATIN.items()}
        self.fire = re.compile(FIRE_LATIN)
        self.theft = re.compile(THEFT_LATIN)
        self.police = re.compile(POLICE_LATIN)
        self.event = re.compile(EVENT_LATIN)
        self.med = re.compile(MED_LATIN)
        self.fall = re.compile(FALL_LATIN)
        self.severity_latin = [(lvl, re.compile(rx)) for lvl, rx in SEVERITY_LATIN]
        # One Hyperscan pass over the text says which of these regexes can match (nlp.prefilter): on a long
        # report most of them cannot, and each would otherwise scan the whole text.
        regexes = [*self.latin.values(), self.fire, self.theft, self.police, self.event, self.med, self.fall,
                   *(rx for _, rx in self.severity_latin), NEVER_EVENT_RX, TRANSFUSION, HEMOLYSIS,
                   EXPECTED_DEATH_LATIN]  # fmt: skip
        self.text_set = PatternSet(regexes)
        self.text_id = {id(rx): i for i, rx in enumerate(regexes)}
        # Which long sentinel phrases occur in the joined words: one pass over all of them. After them in the
        # same set, every other cue assess reads in the joined words — each phrase of the matcher (as a
        # substring), a relative's death, a never event, the police words and the negations _police_told
        # cuts out — so that one pass also tells a text in which nothing at all can be found.
        self.long_list = list(self.long_kind.items())
        gate: list[str | re.Pattern[str]] = [*map(re.escape, (*keys, *_POLICE_SUB, *_NOT_TOLD))]
        gate += [KIN_DIED_RX, NEVER_EVENT_RX, *(rx for _, rx in LAY_CUES), CYANOSIS, CARE_DID, LASTING_LOSS]
        gate += [*PAT27_GATE]  # pat27: lay cues read by _pat27_filters
        patterns = [*(re.escape(phrase) for phrase, _ in self.long_list), *gate]
        self.long_set = PatternSet(patterns)
        # Where each regex of the set sits in it: assess runs one over the joined words only when the pass heard
        # it (a plain ``re`` scan of a 1,000-character report costs up to 70 µs a regex, and most reports hold
        # none).
        self.long_id = {id(rx): k for k, rx in enumerate(patterns) if isinstance(rx, re.Pattern)}
        self.negated_before = frozenset(NEGATED_BEFORE)
        self.hyperbole = frozenset(HYPERBOLE_BEFORE)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    return _Rules()


# A blow (a punch, a slap, a kick) is sentinel violence when it did serious harm or the police came; a confused
# patient's single punch that left a bruise is not. A threat ("ขู่ว่าจะมาทำร้าย") is not an assault either.
BLOWS = frozenset({"ชก", "ต่อย", "ตบ", "เตะ", "ถีบ", "ตบหน้า"})
SERIOUS_BLOW = re.compile(r"หัก|admit|แอดมิท|นอนโรงพยาบาล|หมดสติ|สลบ|เย็บ|แตก|เลือดออก|ผ่าตัด|ไม่รู้สึกตัว|icu|ไอซียู|"
                          r"เสียชีวิต|บาดเจ็บ|ทำร้ายร่างกาย|อาวุธ|มีด|ปืน", re.IGNORECASE)
# Only a blow a patient or a relative dealt a staff member is weighed this way; a blow to a patient is abuse.
BLOW_ON_STAFF = re.compile(r"(?:ชก|ต่อย|ตบ|เตะ|ถีบ)\S{0,12}?(?:พยาบาล|เจ้าหน้าที่|จนท|แพทย์|หมอ|บุคลากร|ผู้ช่วย|เวรเปล)")
# "ขู่ทำร้ายเจ้าหน้าที่ ... ไม่มีผู้บาดเจ็บ": threatened, not done (a weapon used or an injury is heard on its own).
THREAT_BEFORE = re.compile(r"(?:ขู่|พูด|บอก)(?:ว่า)?จะ|ขู่(?:ว่า)?$")
# Talk of wanting to die ("พูดว่าอยากตาย", "บ่นอยากตาย") is an idea, not an attempt (LABELLING: talk of suicide).
# r9inc: also an idea told as such ("มีความคิดอยากตาย")
WISH_TO_DIE_TALK = re.compile(r"(?:(?:พูด|บอก|บ่น|ร้อง|ระบาย)(?:ซ้ำ)?(?:ๆ)?(?:ว่า)?|ความคิด)(?:อยาก)?$")
THREAT_BEFORE_ACT = re.compile(r"จะ(?:มา|ไป)?(?:ดักรอ|ตาม)?$")  # "จะมาทำร้าย": not done (not for self-harm)
# "ยาเสพติดให้โทษประเภท 2" is the legal class of a controlled drug (a stock count), not drug use.
NOT_DRUG_USE = (
    "ยาเสพติดให้โทษ", "วัตถุออกฤทธิ์",
    # round 12 (tune29 patient): the hospital's drug-treatment service named, not drug use seen at the hospital
    # ("คลินิกบำบัดยาเสพติดให้โอกาสผม", "เรียกชื่อดังๆ ทั้งที่เป็นคลินิกยาเสพติด"; "เลิกยาเสพติดได้แล้ว"). A use told
    # beside it still counts ("คนไข้คลินิกยาเสพติดเสพยาในห้องน้ำ": "เสพยา" is outside these phrases).
    "คลินิกบำบัดยาเสพติด", "คลินิกยาเสพติด", "คลินิกสารเสพติด", "บำบัดยาเสพติด", "บำบัดสารเสพติด", "ศูนย์บำบัด",
    "เลิกยาเสพติด", "เลิกสารเสพติด", "เลิกยาบ้า", "เลิกยาไอซ์", "เลิกเสพ", "ผู้ติดยาเสพติด", "ติดยาเสพติด",
)  # fmt: skip
# An ICU named as a place ("ICU ใช้ไฟจาก UPS") is no harm; a transfer to it is.
# pat27: "อยู่ไอซียู" in Thai letters (a relative's "is in the ICU now") is the stay the event led to; a report's
# "ผป.อยู่ ICU" is where the patient was
TO_ICU = re.compile(r"(?:ย้าย|ส่ง|เข้า|รับ|refer|to|admit|แอดมิท|นอน|อยู่(?=\s*(?:ที่|ใน)?\s*ไอซียู)|รักษา(?:ตัว)?(?:ต่อ)?)"
                    r"\s*(?:ไป|เข้า|ตัว|ต่อ)?\s*"
                    r"(?:ที่|ใน)?\s*(?:icu|ไอซียู)",
                    re.IGNORECASE)


ICU_DENIED = re.compile(r"(?:ยัง)?ไม่(?:ต้อง|ได้|จำเป็นต้อง)?\s*$")


def _serious_blow(joined: str) -> bool:
    return any(not NEGATED_JOINED.search(joined[max(0, m.start() - 20) : m.start()])
               for m in SERIOUS_BLOW.finditer(joined))  # fmt: skip


def _latin_hits(rx: re.Pattern[str], text: str) -> list[str]:
    """Latin cue matches not immediately preceded by a negation ("no fall", "r/o dengue" still counts)."""
    hits = []
    for m in rx.finditer(text):
        before = text[max(0, m.start() - 20) : m.start()]
        if LATIN_NEGATION.search(before) and not before.rstrip().endswith(("r/o", "rule out")):
            continue
        if EQUIPMENT_BEFORE.search(before):
            continue  # "เครื่อง CPR อัตโนมัติส่งซ่อม", "อบรม CPR": a machine or a class, not an event
        if m.group(0).lower().startswith("on vent") and CARED_KIND_BEFORE.search(before):
            continue
        hits.append(m.group(0))
    return hits


# r9inc: "ค่าเสียหาย" (the damage) is no loss ("หาย")
_NOT_THEFT = ("เสียหาย",
              "หายใจ", "หายดี", "หายป่วย", "หายเจ็บ", "หายปวด", "หายเหนื่อย", "หายกังวล", "หายเครียด", "หายไข้", "หายขาด")
_POLICE_SUB = tuple(w for w in POLICE_TH if len(w) >= 4 or w.endswith("."))  # "สภ.", "สน.": the dot makes them safe
_NOT_TOLD = ("ไม่ประสงค์แจ้ง", "ไม่ต้องการแจ้ง", "ไม่ได้แจ้ง", "ยังไม่แจ้ง", "ไม่แจ้ง")


# inc23: the hospital's own guards holding a man ("รปภ.ควบคุมตัวไว้") are not the police
SECURITY_HELD = re.compile(r"(?:รปภ\.?|ยาม|security|guard|(?:เจ้าหน้าที่|พนักงาน)รักษาความปลอดภัย)\S{0,10}?ควบคุมตัว",
                           re.IGNORECASE)


def _police_told(joined: str) -> bool:
    """The police were told, also where the tokenizer glued the words ("แจ้งตำรวจ"); not "ไม่แจ้งความ"."""
    told = SECURITY_HELD.sub("", joined) if "ควบคุมตัว" in joined else joined
    for negated in _NOT_TOLD:
        # round 13 (nlp-r13inc): "ไม่ได้แจ้งตำรวจ" leaves no "ตำรวจ" behind (it read as the police told)
        told = told.replace(negated + "ตำรวจ", "").replace(negated, "")
    return any(w in told for w in _POLICE_SUB)


def _theft_reported(joined: str) -> bool:
    """Something went missing and the police were told, even where the tokenizer glued the words to
    their neighbours ("กระเป๋าหาย", "แจ้งตำรวจ"): a missed sentinel costs more than a rare false alarm."""
    if not _police_told(joined):
        return False
    rest = joined
    for w in _NOT_THEFT:
        rest = rest.replace(w, "")
    return "หาย" in rest or any(w in rest for w in (*THEFT_TH, *EMBEZZLE_TH) if len(w) >= 3) or (
        "ขาด" in rest and R13_MONEY_SHORT.search(rest) is not None  # round 13 (nlp-r13inc): cash counted short
    )


# sent7: a cold body with its temperature charted ("ทารกตัวเย็น 35.6", "ตัวเย็น อุณหภูมิ 35") is hypothermia, not death.
COLD_MEASURED = re.compile(r"ตัวเย็น.{0,12}?(?:3[0-7]\.\d|อุณหภูมิ|temp|\bbt\b)", re.IGNORECASE)
# sent7: tissue that died ("กล้ามเนื้อน่องตาย", "นิ้วเท้าเนื้อตาย") is necrosis, not the patient's death.
NECROSIS = re.compile(r"(?:กล้ามเนื้อ|เนื้อเยื่อ|เนื้อ|ผิวหนัง|ลำไส้)\S{0,6}?ตาย")
# sent7: nobody hurt, told ("ไม่มีผู้บาดเจ็บ", "ไม่มีใครได้รับบาดเจ็บ"): a weapon shown or a door smashed is no assault.
NO_ONE_HURT = re.compile(r"ไม่มี(?:ผู้|ใคร|คน)(?:ใด)?(?:ได้รับ)?(?:การ)?บาดเจ็บ|ไม่มีการบาดเจ็บ|"
                         r"ปลอดภัยทุก(?:คน|ราย)|\bno (?:one|body) (?:was )?(?:hurt|injured)", re.IGNORECASE)
WEAPON_SHOWN = frozenset({"ถือมีด", "พกมีด", "อาวุธ", "มีด", "ปืน", "ขู่ฆ่า", "ขู่ทำร้าย", "knife", "weapon", "gun"})


# r9inc: a post on a social platform, or a complaint sent to an authority (ศูนย์ดำรงธรรม, สสจ.), is not on its own
# an accusation spread in the media (seed 004's complaint that hurts the hospital's name): a patient's photo posted
# by staff is a privacy breach, a relative's post with 60 shares taken down after an apology is a complaint. It is
# one when the report tells the spread (news, TV, thousands of shares or views) or an accusation made in public.
REPUTATION_WEAK = frozenset({
    "ลงเฟส", "ลงเฟซ", "ลงเฟสบุ๊ค", "ลงเฟซบุ๊ก", "โพสต์ลง", "โพสต์เฟส", "โพสต์เฟซบุ๊ก", "โพสต์เฟซ", "โพสต์เฟสบุ๊ค", "ไลฟ์สด",
    "ลงโซเชียล", "โซเชียล", "ติ๊กต๊อก", "พันทิป", "ศูนย์ดำรงธรรม", "สสจ", "ร้องเรียนกระทรวง",
    "facebook", "tiktok", "pantip", "social media",
})  # fmt: skip
REPUTATION_SPREAD = re.compile(
    r"กล่าวหา|ประจาน|แฉ|ข่าว|(?<!เ)สื่อ(?!สาร)|ทีวี|โทรทัศน์|ช่อง\s*\d|สัมภาษณ์|ไวรัล|viral|\bnews\b|\bmedia\b|ทั้งประเทศ|"
    r"ฟ้อง|ศาล|ทนาย|ดำเนินคดี|"
    r"(?:แชร์|share|วิว|view)[^\n]{0,15}?(?:\d[\d,.]*\s*(?:พัน|หมื่น|แสน|ล้าน)|\d{1,3},\d{3}|\d{4,}|"
    r"จำนวนมาก|หลายพัน|หลายหมื่น|มากมาย|ว่อน)",
    re.IGNORECASE,
)


# round 12 (tune29 incident, nlp-r12inc): a staff member's own post or clip ("PN ward เด็กโพสต์ TikTok บ่นญาติ … แชร์ 2 พัน
# ครั้ง", "ผช.โพสต์ TikTok ตอนทำแผล ยอดวิว 8,000") is their conduct or a privacy breach (blind10i: 3, tune22, tune14), not
# an accusation against the hospital spread in the media: seed 004's reputation event needs the news, the media, a
# court or an accusation told (a relative's post that spreads stays REPUTATION_SPREAD's).
STAFF_POSTED = re.compile(
    r"(?:พยาบาล|\bpn\b|\brn\b|จนท\.?|เจ้าหน้าที่|พนักงาน|แพทย์|ผู้ช่วย|ผช\.|บุคลากร|นักศึกษา|แม่บ้าน|เวรเปล)"
    r"[^\n]{0,24}?(?<!ญาติ)(?:โพสต์|อัพ|อัป|ลง\s*(?:tiktok|ติ๊กต๊อก|facebook|เฟซ|เฟส|ig|โซเชียล))",
    re.IGNORECASE,
)
SHARE_COUNTS = frozenset({"ยอดวิว", "ยอดแชร์", "ยอดไลก์", "แชร์", "ไวรัล"})  # how far a post went, not who spread it
MEDIA_TOLD = re.compile(r"ข่าว|(?<!เ)สื่อ(?!สาร|\s*(?:สังคม|ออนไลน์|โซเชียล))|ทีวี|โทรทัศน์|ช่อง\s*\d|สัมภาษณ์|"
                        r"ฟ้อง|ศาล|ทนาย|ดำเนินคดี|กล่าวหา|ประจาน|แฉ|"
                        r"\bnews\b|\bmedia\b|reporter", re.IGNORECASE)


# r9inc: a wrong blood bag or a swapped baby found before it reached the patient or the mother is a near miss
# ("near miss: … พบว่าไม่ตรง เปลี่ยนถุงก่อนให้", "ตรวจพบก่อนส่งทารกให้มารดา"), unless a reaction is told.
CAUGHT_BEFORE = re.compile(
    r"near ?miss|(?<!ไม่ได้)(?:ตรวจ)?พบ\S{0,30}?ก่อน\s*(?:ให้|ส่ง|ถึง|จ่าย)|เปลี่ยน\S{0,8}ก่อน\s*ให้|ยังไม่ได้\s*(?:ให้|ส่ง|ต่อ)",
    re.IGNORECASE,
)
REACTION = re.compile(r"หนาวสั่น|ไข้|ความดัน(?:ต่ำ|ลด)|ช็อ[กค]|shock|reaction|hemoly|ปัสสาวะ(?:สี|เป็นสี)|หายใจ", re.IGNORECASE)
PATIENT_BEFORE = ("ผป", "ผป.", "ผู้ป่วย", "คนไข้", "pt")
PLANNED = re.compile(r"ตามแผน|planned|elective|ตามที่วางแผน|ตาม\s*plan", re.IGNORECASE)


def _r9_filters(found: dict[str, list[str]], joined: str, text: str) -> None:
    """Cues that name a channel without the harm it stands for (r9inc, tune20's false alarms)."""
    caught = ("se:wrong_blood" in found or "se:never_event" in found) and (
        (gated_search(CAUGHT_BEFORE, joined) or gated_search(CAUGHT_BEFORE, text)) and not REACTION.search(text)
    )
    if caught and "se:wrong_blood" in found:
        del found["se:wrong_blood"]
    if caught and "se:never_event" in found:
        left = [w for w in found["se:never_event"] if "สลับ" not in w]
        if left:
            found["se:never_event"] = left
        else:
            del found["se:never_event"]
    if "se:reputation" in found and {w.lower() for w in found["se:reputation"]} <= REPUTATION_WEAK and not (
        REPUTATION_SPREAD.search(joined) or REPUTATION_SPREAD.search(text)
    ):
        del found["se:reputation"]
    if (
        "se:reputation" in found
        and {w.lower() for w in found["se:reputation"]} <= REPUTATION_WEAK | SHARE_COUNTS
        and STAFF_POSTED.search(text)
        and not MEDIA_TOLD.search(text)
    ):
        del found["se:reputation"]  # round 12: a staff member's own post, shared, with no news and no accusation
    # a weapon picked up to strike ("ใช้ไม้ตี…") when the report says nobody was hurt: a swing, no assault
    if "se:violence" in found and (gated_search(NO_ONE_HURT, joined) or gated_search(NO_ONE_HURT, text)):
        left = [w for w in found["se:violence"] if not VIOLENCE_LAY.fullmatch(w)]
        if left:
            found["se:violence"] = left
        else:
            del found["se:violence"]


# Round 9 (patient lines): words of a sentinel list used for something else. Each (kind, words, test of the text
# before, test of the text after) drops a word when every place it stands passes either test.
_UNIT_BEFORE = re.compile(r"(?:หน่วย|ทีม|รถ|พี่|พี่ๆ|พี่ๆน้องๆ|น้องๆ|อาสา|มูลนิธิ|เจ้าหน้าที่|จนท\.?|ศูนย์)$")
FIGURES: tuple[tuple[str, tuple[str, ...], re.Pattern[str] | None, re.Pattern[str] | None], ...] = (
    # the rescue unit by name ("หน่วยกู้ชีพ", "พี่ๆกู้ชีพ", "กู้ชีพ 1669"), praised for coming fast: no arrest told
    ("se:arrest", ("กู้ชีพ",), _UNIT_BEFORE, re.compile(r"^(?:1669|๑๖๖๙)")),
    # drugs that "fight" are drugs that interact ("เช็คให้ว่าตัวไหนตีกัน", "ยาตีกัน")
    ("se:violence", ("ตีกัน",), re.compile(r"(?:ยา|ตัวไหน|ตัวยา)\S{0,24}$"), None),
    # "ปล้นกันชัดๆ", "อย่างกับปล้น": prices, not a robbery (only where a price is told; see _figures)
    ("se:violence", ("ปล้น",), re.compile(r"(?:ยังกับ|อย่างกับ|ยังกะ|ราวกับ|เหมือน|ยิ่งกว่า)$"), re.compile(r"^กัน")),
    # the papers of a death ("เอกสารการเสียชีวิตของพ่อ", "ใบรับรองการเสียชีวิต"): paperwork thanked for, not the event
    ("se:death", ("เสียชีวิต", "ตาย"), re.compile(r"(?:เอกสาร|ใบ|หนังสือ|ใบรับรอง|แจ้ง)(?:การ|รับรองการ)?$"), None),
    # round 12 (nlp-r12inc): an animal that died ("จับไก่ที่ตายผิดปกติ", "สัตว์ปีกตาย", "หนูตายในฝ้า"): an exposure
    # history or a pest, no patient's death
    ("se:death", ("ตาย",), re.compile(r"(?:ไก่|เป็ด|ห่าน|นก|สัตว์\S{0,6}|หมู|วัว|ควาย|สุนัข|หมา|แมว|หนู|ค้างคาว|ปลา|จิ้งจก|ตุ๊กแก)"
                                      r"\S{0,4}(?:ที่|ซึ่ง)?(?:ป่วย)?(?:\d+\s*ตัว)?$"), None),
    # "ช่วยแปลให้ สื่อสารรู้เรื่อง": communicating, not telling the media
    ("se:reputation", ("ให้สื่อ",), None, re.compile(r"^สาร")),
    # (a patient photographed and posted with no sign it went public: r9inc's REPUTATION_WEAK, below)
    # r10inc: a tube that was hard to place at induction ("ใส่ท่อช่วยหายใจยาก"): the anaesthetic's routine, no rescue
    ("se:arrest", ("ใส่ท่อช่วยหายใจ", "ใส่ท่อ"), None, re.compile(r"^(?:ช่วยหายใจ)?\s*ยาก")),
    # nlp-r11pat: someone else's lab result handed out ("ได้ใบผลเลือดของคนอื่นมา"): a privacy slip, no transfusion
    ("se:wrong_blood", ("เลือดของคนอื่น", "เลือดคนอื่น"), re.compile(r"ผล(?:ตรวจ)?(?:การ)?(?:เจาะ|ตรวจ)?$"), None),
    # nlp-r11pat: a disability the writer lives with ("เพราะผมหูหนวก", "คนหูหนวกไม่ได้ยินเสียงเรียก"), not harm an event did
    # (a relative's is kept: "ลูกผมหูหนวกหลังฉีดยา")
    ("sev:G", ("หูหนวก", "ตาบอด", "อัมพาต"),
     re.compile(r"(?:(?<!ลูก)(?<!แม่)(?<!พ่อ)(?<!ยาย)(?:ผม|ฉัน|หนู|ดิฉัน|เรา)|คน|ผู้|สำหรับ)(?:เป็น)?(?:คน)?$"), None),
    # nlp-r11pat: what a patient was brought in with ("พาลูกมา ER ชักเพราะไข้สูง", "มาด้วยอาการอาเจียน"), not harm
    ("sev:E", ("ชัก", "บวม", "ผื่น", "เลือดออก", "อาเจียน", "หายใจเหนื่อย", "ปวดมาก", "หัวแตก", "บาดเจ็บ", "ได้รับบาดเจ็บ"),
     re.compile(r"(?:พา\S{0,8}?มา|มา(?:ด้วย|เพราะ)(?:อาการ)?)\S{0,20}$"), None),
    # r13 band33: a sign or a fix made for good ("ขอป้ายถาวร", "แก้ไขแบบถาวร") is no lasting harm (nrls._BAND33_LASTING)
    ("sev:G", ("ถาวร",), re.compile(r"(?:ป้าย|แบบ|อย่าง|ติดตั้ง|ซ่อม|แก้ไข)$"), None),
    # r13 band33: an allergy on record ("ประวัติแพ้ยา", "รายชื่อผป.แพ้ยา", "บัตรแพ้ยา") is no reaction the event caused
    ("sev:E", ("แพ้ยา",), re.compile(r"(?:ประวัติ|รายชื่อ(?:ผป\.?|ผู้ป่วย|คนไข้)?|บัตร|ข้อมูล|สติ[กํ]?เกอร์|ป้าย)$"), None),
)
_PRICE = re.compile(r"แพง|บาท|ราคา|ค่า(?:ยา|ห้อง|แล็บ|แลป|รักษา|ตรวจ|บริการ)")


def _figurative(w: str, joined: str, before: re.Pattern[str] | None, after: re.Pattern[str] | None) -> bool:
    """Every place ``w`` stands in ``joined`` has ``before`` matching the text before it or ``after`` the text after."""
    at = joined.find(w)
    while at >= 0:
        head, tail = joined[max(0, at - 80) : at], joined[at + len(w) : at + len(w) + 12]
        if not ((before is not None and before.search(head)) or (after is not None and after.search(tail))):
            return False
        at = joined.find(w, at + 1)
    return True


def _figures(found: dict[str, list[str]], joined: str) -> None:
    """Drop the FIGURES words that stand only where they name no event (round 9, patient lines)."""
    for kind, words, before, after in FIGURES:
        if kind not in found or not any(w in words for w in found[kind]):
            continue
        if kind == "se:violence" and "ปล้น" in words and not _PRICE.search(joined):
            continue
        left = [w for w in found[kind] if w not in words or not _figurative(w, joined, before, after)]
        if left:
            found[kind] = left
        else:
            del found[kind]


# inc23: a transfer is harm (F) when the event made it needed ("ต้องฉีดยาเข้าวุ้นตาและส่งต่อ รพศ."), not where the
# word names the transfer as a thing or as the setting of the report: the ambulance, the form, the program, the
# follow-up system ("รถ refer", "ใบส่งต่อ", "ติดตามส่งต่อ", "refer กลับ"), or the patient being moved ("ส่งต่อทารก
# preterm … ในตู้อบ", "refer ผป. stroke ไป รพ.ศูนย์ ล่าช้า").
TRANSFER_WORDS = ("ส่งต่อ", "refer")
# r13 band33: also the doctor away on a referral ("หมอเวรออกไป refer กับรถ", "ช่วงที่มี refer") and a patient handed on to
# another team ("ส่งต่อทีมแผล", "ส่งต่อหน่วย COC")
TRANSFER_THING_BEFORE = re.compile(r"(?:รถ|ใบ|โปรแกรม|ระบบ|การ|ติดตาม|ขับ|พยาบาล|พขร\.?|เอกสาร|ขอ|รอ|เวร|ทีม|งาน|"
                                   r"ศูนย์|เครือข่าย|สาย|ช่อง|ออกไป|ออก|ที่มี)$")
TRANSFER_SETTING_AFTER = re.compile(r"(?:ผป|ผู้ป่วย|คนไข้|ทารก|เด็ก|มารดา|pt|กลับ|ตัว|ไม่|ได้ช้า|ล่าช้า|ช้า|ทีม|หน่วย|กับรถ)",
                                    re.IGNORECASE)


def _transfer_named(joined: str, word: str) -> bool:
    """Every place ``word`` stands in ``joined`` names the transfer as a thing or the report's setting."""
    low = joined.lower()
    at = low.find(word)
    while at >= 0:
        thing = TRANSFER_THING_BEFORE.search(low[max(0, at - 12) : at])
        if not (thing or TRANSFER_SETTING_AFTER.match(low, at + len(word))):
            return False
        at = low.find(word, at + 1)
    return True


# inc23: a tube that is no airway ("ใส่ท่อระบาย", "ใส่ท่อปัสสาวะ", "ใส่ท่อให้อาหาร", a chest drain): no intubation
OTHER_TUBE = re.compile(r"ใส่ท่อ(?:ระบาย|ปัสสาวะ|ให้อาหาร|อาหาร|สวน|ยาง|ดูด|ทางจมูก|ng|drain|icd)", re.IGNORECASE)


def _other_tube(joined: str) -> bool:
    """Every "ใส่ท่อ" in ``joined`` names a tube that is no airway."""
    return joined.count("ใส่ท่อ") == len(OTHER_TUBE.findall(joined))


def _inc23_filters(found: dict[str, list[str]], joined: str) -> None:
    """The guards holding a man are no police (SECURITY_HELD). A faint (nlp.nrls.FAINT: "เป็นลมหมดสติชั่วขณะ",
    "หมดสติ … ฟื้นใน 1 นาที") is no coma: its words are dropped from the arrest cues where every place they stand
    is a faint; so is "ใส่ท่อ" where every tube put in is a drain or a catheter (OTHER_TUBE)."""
    if set(found.get("police", ("-",))) == {"ควบคุมตัว"} and joined.count("ควบคุมตัว") == len(
        SECURITY_HELD.findall(joined)
    ):
        del found["police"]  # the guards held him; no police told
    if "sev:F" in found:
        left = [w for w in found["sev:F"] if not (w.lower() in TRANSFER_WORDS and _transfer_named(joined, w.lower()))]
        if left:
            found["sev:F"] = left
        else:
            del found["sev:F"]
    if "se:arrest" not in found:
        return
    from nlp.nrls import FAINT

    faint_at = {i for m in gated_finditer(FAINT, joined) for i in range(m.start(), m.end())}
    if not faint_at and not ("ใส่ท่อ" in found["se:arrest"] and _other_tube(joined)):
        return

    def only_faint(w: str) -> bool:
        at = joined.find(w)
        if at < 0:
            return False
        while at >= 0:
            if at not in faint_at:
                return False
            at = joined.find(w, at + 1)
        return True

    left = [
        w
        for w in found["se:arrest"]
        if not ((w in ("หมดสติ", "ไม่รู้สึกตัว") and only_faint(w)) or (w == "ใส่ท่อ" and _other_tube(joined)))
    ]
    if left:
        found["se:arrest"] = left
    else:
        del found["se:arrest"]


def _sent7_filters(found: dict[str, list[str]], joined: str, text: str) -> None:
    """Cues that name an event without one happening (sent7, tune19's false alarms)."""
    if "se:disease" in found:
        rest, rest_text = gated_sub(VACCINE_NAMED, " ", joined), gated_sub(VACCINE_NAMED, " ", text).lower()
        left = [w for w in found["se:disease"] if w in rest or w.lower() in rest_text]
        if left:
            found["se:disease"] = left
        else:
            del found["se:disease"]
    cold = "ตัวเย็น" in found.get("se:death", ()) and COLD_MEASURED.search(joined)
    necrosis = "ตาย" in found.get("se:death", ()) and joined.count("ตาย") == len(NECROSIS.findall(joined))
    if cold or necrosis:
        found["se:death"] = [w for w in found["se:death"] if not ((w == "ตัวเย็น" and cold) or (w == "ตาย" and necrosis))]
        if not found["se:death"]:
            del found["se:death"]
    if gated_search(NO_ONE_HURT, joined) or gated_search(NO_ONE_HURT, text):
        if "se:violence" in found and {w.lower() for w in found["se:violence"]} <= WEAPON_SHOWN:
            del found["se:violence"]  # "ถือมีดเข้ามาขู่ … ไม่มีผู้บาดเจ็บ": a threat with a weapon, disarmed
        found.pop("assault", None)  # "ทุบกระจกประตูแตก ตำรวจมาควบคุมตัว ไม่มีผู้บาดเจ็บ": damage, not an assault
    if "se:never_event" in found and gated_search(WRONG_SITE_CAUGHT, joined):
        # "mark ผิดข้าง … ตรวจพบตอน sign in": caught before the cut (retained items and babies stay)
        left = [w for w in found["se:never_event"] if "ผิด" not in w and w.lower() not in R13_SITE_WORDS]
        if left:
            found["se:never_event"] = left
        else:
            del found["se:never_event"]


# r11inc: a mortuary report handles bodies ("ห้องเก็บศพ: ยางประตูตู้เย็นช่อง 3 ขาด ย้ายศพไปช่องอื่น", "ศพ 2 รายที่เสียชีวิต
# คืนเดียวกัน ป้ายข้อเท้าสลับกัน"): the body and the death that made it are the setting, not the event's harm, unless a
# body is found ("พบศพ", "กลายเป็นศพ").
MORTUARY = re.compile(r"ห้อง\S{0,8}ศพ|ตู้\S{0,8}ศพ|ช่อง\s*(?:เก็บ)?\s*ศพ|นิติเวช|mortuary|morgue", re.IGNORECASE)
BODY_FOUND = re.compile(r"(?:พบ|เจอ|กลายเป็น|ไร้วิญญาณ)\s*(?:ร่าง|ศพ)")
BODY_DIED_BEFORE = re.compile(r"ศพ\S{0,12}?ที่$")
BODY_DIED_RX = r"ศพ\s*(?:\d+\s*ราย\s*)?ที่\s*(?:เสียชีวิต|ตาย)"


def baby_event(word: str) -> bool:
    """A never-event cue that tells a baby swapped or taken (security), not a procedure gone wrong."""
    return word in NEVER_EVENT_SAFETY or any(rx.fullmatch(word) for rx in (CHILD_TAKEN, BABY_SWAPPED, BABY_GONE))


def baby_swapped(word: str) -> bool:
    """A never-event cue telling a baby given to the wrong mother (a taken one's fate is unknown: tune11 grades I)."""
    return word in SWAPPED_BABY or BABY_SWAPPED.fullmatch(word) is not None


def mortuary_bodies(text: str) -> bool:
    """The report is about the mortuary's bodies (MORTUARY named, no body found)."""
    return gated_search(MORTUARY, text) is not None and BODY_FOUND.search(text) is None


def _r11_filters(found: dict[str, list[str]], joined: str) -> None:
    """A mortuary's bodies are no death (MORTUARY)."""
    if "se:death" in found and mortuary_bodies(joined):
        left = [w for w in found["se:death"] if w != "ศพ" and not _figurative(w, joined, BODY_DIED_BEFORE, None)]
        if left:
            found["se:death"] = left
        else:
            del found["se:death"]


def _lay24_filters(found: dict[str, list[str]], joined: str, text: str) -> None:
    """Lay words of tune24: cyanosis with a failed breath, harm the care did, rescues thanked for, fears."""
    loss = LASTING_LOSS.search(joined)
    if loss and "sev:G" not in found:
        found["sev:G"] = [loss.group(0)]
    cyan = CYANOSIS.search(joined)
    if cyan and CYANOSIS_WITH.search(joined):
        found.setdefault("se:arrest", []).append(cyan.group(0))
    if "event" not in found and CARE_DID.search(joined):
        found["event"] = [CARE_DID.search(joined).group(0)]  # type: ignore[union-attr]
    if "sev:G" in found and "event" not in found and CARE_SETTING.search(joined):
        found["event"] = ["care:" + CARE_SETTING.search(joined).group(0)]  # type: ignore[union-attr]
    for kind in ("se:disease", "se:arrest", "se:death"):
        if kind not in found:
            continue
        left = [w for w in found[kind] if not all(
            FEARED.search(joined[max(0, at - 24) : at]) for at in _positions(joined, w)
        ) or w not in joined]
        if left:
            found[kind] = left
        else:
            del found[kind]
    # "ลูกผิดคน", "ให้เลือดผิด" nearly or about to happen ("เกือบได้ลูกผิดคน", "พยาบาลจะให้เลือดผิดถุง")
    for kind in ("se:never_event", "se:wrong_blood"):
        if kind in found:
            left = [w for w in found[kind] if w not in joined or not all(
                joined[max(0, at - 8) : at].endswith(NEARLY[kind]) for at in _positions(joined, w))]
            if left:
                found[kind] = left
            else:
                del found[kind]
    # a wish to die said of a wait or the heat ("อยากตายเลยอะ รอคิวทำฟันตั้งสามเดือน")
    if found.get("se:suicide_homicide") == ["อยากตาย"] and joined.count("ตาย") == joined.count("อยากตาย") and (
        re.search(r"รอ|คิว|ร้อน|หิว|เบื่อ", joined)
    ):
        del found["se:suicide_homicide"]
        found.pop("se:death", None)
    if (
        any(k in found for k in ("se:arrest", "se:death"))
        and not any(k in found for k in RESCUE_KEEPS if k != "event")
        and set(found.get("event", ())) <= SETTING_EVENTS
        and RESCUED.search(joined)
        and THANKS.search(joined)
    ):
        found.pop("se:arrest", None)
        if "se:death" in found:
            left = [w for w in found["se:death"] if w not in SOFT_SENTINEL]
            if left:
                found["se:death"] = left
            else:
                del found["se:death"]


# round 12 (tune29 patient): "ไม่มีวันลืม" (I will never forget it), "จะไม่ลืมเลย" are thanks, not a forgotten act.
NEVER_FORGET = re.compile(r"(?:ไม่มีวัน|จะไม่|ไม่เคย|ไม่)ลืม$")


# round 12 (tune29 patient): the patient's own infection found after a dismissal ("หมอบอกไข้หวัดธรรมดา สุดท้ายเป็นไข้
# เลือดออก", "บอกเป็นไข้หวัดธรรมดา กลับมาอีกวันต้องนอนโรงพยาบาลเพราะไข้เลือดออก") is a missed diagnosis, not a disease
# caught or spread on a ward — unless others caught it too ("ติดกันเป็นแถว", "เด็กอีก 2 คน", "เตียงข้างๆก็เป็น").
DISMISSED = re.compile(r"หวัดธรรมดา|แค่หวัด|ไม่เป็นอะไร(?:มาก)?|ไม่เป็นไร")
FOUND_LATER = re.compile(r"(?:สุดท้าย|ที่แท้|ปรากฏว่า|กลายเป็น|เพราะ)(?:ก็|แล้ว|ลูก|แม่|พ่อ|ยาย|ตา)?(?:เป็น|ติด)?$")
OTHERS_CAUGHT = re.compile(r"ติดกัน|อีก\S{0,6}คน|\d+คน|เตียงข้าง|ห้องเดียวกัน|ในวอร์ด|ในตึก|ทั้งวอร์ด|ระบาด|ก็เป็นด้วย|เป็นด้วย")


# r13 (tune32 patient): a mosquito or an insect slapped all night is no blow to a person ("ยุงเยอะ ตบทั้งคืน").
INSECT = re.compile(r"ยุง|แมลง|มด|ริ้น|เห็บ|หมัด|ตัวเรือด|เรือด")
# r13: a bee, a wasp or a scorpion "ต่อย" (stings): no punch ("โดนผึ้งต่อยมา ER")
STUNG = re.compile(r"(?:ผึ้ง|แตน|ตัวต่อ|ต่อหัวเสือ|แมงป่อง|ตะขาบ|มดคันไฟ|มด)(?:ก็)?ต่อย")


def _r13pat_filters(found: dict[str, list[str]], joined: str) -> None:
    """r13 (tune32 patient): the patient's own illness cured and thanked for is no outbreak ("ปีก่อนลูกเป็นไข้เลือดออก
    … หมอดูแลจนรอด … ขอบคุณ"), unless others caught it; a slap at insects is no violence."""
    if "se:disease" in found and RESCUED.search(joined) and THANKS.search(joined) and not OTHERS_CAUGHT.search(joined):
        del found["se:disease"]
    if set(found.get("se:violence", ("-",))) <= {"ตบ"} and INSECT.search(joined) and not BLOW_ON_STAFF.search(joined):
        del found["se:violence"]
    if "ต่อย" in found.get("se:violence", ()) and joined.count("ต่อย") == len(STUNG.findall(joined)):
        found["se:violence"] = [w for w in found["se:violence"] if w != "ต่อย"]
        if not found["se:violence"]:
            del found["se:violence"]


def _r12pat_filters(found: dict[str, list[str]], joined: str) -> None:
    """round 12 (tune29 patient): a "forgot" that is only "never forget" is no event; an infection of the patient's own
    found after a dismissal is no outbreak."""
    if "se:disease" in found and DISMISSED.search(joined) and not OTHERS_CAUGHT.search(joined):
        left = [w for w in found["se:disease"] if w not in joined or not all(
            FOUND_LATER.search(joined[max(0, at - 12) : at]) for at in _positions(joined, w))]
        if left:
            found["se:disease"] = left
        else:
            del found["se:disease"]
    if "ลืม" in found.get("event", ()) and all(
        NEVER_FORGET.search(joined[max(0, at - 8) : at + 3]) for at in _positions(joined, "ลืม")
    ):
        left = [w for w in found["event"] if w != "ลืม"]
        if left:
            found["event"] = left
        else:
            del found["event"]


def _r11pat_filters(found: dict[str, list[str]]) -> None:
    """nlp-r11pat: "ปลอดภัย" with nothing that happened ("สะอาด ปลอดภัย", "รปภ.ดูแลดี อุ่นใจ ปลอดภัย") is a quality
    hoped for or praised, not an event that reached a patient without harm (C)."""
    if set(found.get("sev:C", ("-",))) == {"ปลอดภัย"} and found.keys() == {"sev:C"}:
        del found["sev:C"]


# --- pat27: sentinel events told by what a relative saw (tune27) -------------------------------------------------
# A body found cold or stiff ("ตัวซีดเย็นเฉียบ", "จับตัวแข็งแล้ว", "จนตัวแข็งไปแล้ว"), not one stiff with cold, fright
# or a fit ("หนาวจนตัวแข็ง", "ชักเกร็งตัวแข็ง").
BODY_GONE = re.compile(r"ตัว(?:ซีด|ม่วง|เขียว|คล้ำ)?(?:เย็นเฉียบ|เย็นชืด)|ตัว(?:แข็งทื่อ|แข็ง(?:ไป)?แล้ว)|จนตัวแข็ง")
BODY_FIGURE_BEFORE = re.compile(r"(?:รอ|นั่ง|ยืน|หนาว|เย็น|แอร์|ร้อน|กลัว|ตกใจ|เกร็ง|ชัก|เมื่อย)\S{0,8}$")
# A relative "no longer here" ("พยาบาลโทรมาบอกว่าพ่อไม่อยู่แล้ว"), not moved, discharged or out ("แม่ไม่อยู่แล้ว ย้ายตึก").
KIN_NOT_HERE = re.compile(_KIN + r"(?:ผม|ฉัน|ดิฉัน|หนู|เรา)?(?:ก็)?ไม่อยู่แล้ว"
                          r"(?!(?:ค่ะ|คะ|ครับ|คับ|นะ|จ้า|เจ้า)?(?:ที่|ห้อง|ตึก|วอร์ด|บ้าน|กลับ|ไป|ย้าย|ออก|รพ|โรง))")
# An organ that failed because of the care ("กินหมดขวด กลับไปตับวาย", "ให้ยาแล้วจนไตวาย"): near death, where the
# hospital's care is named; a kidney failing from years of diabetes is the disease ("เบาหวานจนไตวาย" has no carer).
ORGAN_FAILED = re.compile(r"(?:จน|เลย|ทำให้|กลับไป|กลายเป็น|ถึงขั้น)(?:เกิด)?(?:ภาวะ)?(?:ตับ|ไต)(?:วาย|ล้มเหลว)")
CARE_NAMED = re.compile(r"หมอ|พยาบาล|ห้องยา|เภสัช|ฉีด|ให้ยา|จ่ายยา|ได้ยา")
# Blood given from a bag with someone else's name ("เอาเลือดถุงที่เขียนชื่อคนอื่นมาให้แม่").
# round 12 (tune29 patient): also the person named by the bed ("ถุงเลือดเขียนชื่อคนเตียงข้างๆ", "ชื่อป้าเตียงตรงข้าม").
BLOOD_OTHER_NAME = re.compile(r"(?:ให้เลือด|ถุงเลือด|เลือดถุง|รับเลือด|เติมเลือด)\S{0,24}?(?:ชื่อ|ของ)(?:ของ)?"
                              r"(?:คนอื่น|คนไข้อื่น|ผู้ป่วยอื่น|(?:คนไข้|ผู้ป่วย|คน|ป้า|ลุง|ยาย|ตา|น้อง)?"
                              r"เตียง(?:อื่น|ข้าง|ตรงข้าม))")
# A lasting loss told by what the patient can no longer do ("ขยับขาไม่ได้แล้ว", "มองไม่เห็นอีกเลย"), not the hours
# a spinal block wears off ("เดี๋ยวยาหมดฤทธิ์ก็ขยับได้").
LOSS_TOLD = re.compile(r"(?:ขยับ|กระดิก)(?:ขา|แขน|ตัว|นิ้ว)\S{0,2}?(?:ไม่ได้|ไม่ไหว)(?:อีก(?:เลย)?|แล้ว|ตลอด)|"
                       r"มองไม่เห็น(?:อีก(?:เลย)?|ตลอด)|บอดสนิท")
LOSS_PASSING = re.compile(r"ชั่วคราว|หมดฤทธิ์|เดี๋ยว(?:ก็)?(?:หาย|ขยับ|กลับ)|บล็อกหลัง|ฉีดยาชา")
# Patients carried, wheeled or moved out of a burning room ("ต้องย้ายเด็กออกทั้งห้อง"): an evacuation in lay words.
LAY_EVACUATION = re.compile(r"(?:ย้าย|อุ้ม|เข็น|พา|ขน|แบก)(?:คนไข้|ผู้ป่วย|เด็ก|ทารก|ญาติ|คนแก่|ทุกคน)\S{0,12}?"
                            r"(?:ออก|ลง(?:บันได|มา|ไป)|หนี)")
# A suicide attempt or a killing told by the act: a line round one's own neck, a climb out of a window to the ground,
# a handful of pills at once, a pillow held over a face (not "กดหน้าอก", chest compressions).
SELF_HARM_ACT = re.compile(
    r"(?:พัน|รัด|คล้อง|มัด)คอ(?:ตัวเอง|ตนเอง)|"
    r"(?:ปีน|โดด|กระโดด)(?:ออก)?(?:ทาง|จาก)?(?:หน้าต่าง|ระเบียง|ดาดฟ้า)\S{0,30}?(?:ลง(?:ไป|มา)|ชั้น\d)|"
    # round 12 (tune31, nlp-pat31): up to the roof or a balcony first, then the jump ("แอบขึ้นไปดาดฟ้าแล้วกระโดดลงมา")
    r"(?:ขึ้น|ปีน)(?:ไป)?(?:บน)?(?:ดาดฟ้า|ระเบียง|หลังคา)\S{0,20}?(?:กระโดด|โดด)(?:ลง|ตึก)|"
    r"(?:กลืน|กิน)\S{0,20}?(?:ทีเดียว|รวดเดียว|พร้อมกัน)\S{0,3}?(?:[1-9]\d+เม็ด|ทั้ง(?:แผง|ขวด|กระปุก)|หมดแผง)|"
    r"(?:เอา|ใช้)(?:หมอน|ผ้า|ถุง)\S{0,10}?(?:กด|ปิด|อุด|คลุม)(?:หน้า(?!อก)|จมูก|ปาก)"
)
ACT_NOT_DONE_BEFORE = re.compile(r"(?:จะ|ขู่|อยาก|เกือบ|ถ้า|หาก)\S{0,4}$")
# Drug use told by the scene: a glass pipe with a lighter or smoke, pills or foil held to a flame.
DRUG_SCENE = re.compile(
    r"หลอดแก้ว\S{0,30}?(?:ไฟแช็[คก]|ลนไฟ|สูบ|ควัน)|(?:ไฟแช็[คก]|ลนไฟ|สูบ)\S{0,30}?หลอดแก้ว|"
    r"(?:เม็ด|ฟอยล์|ฟอยด์)\S{0,16}?(?:ลน|เผา|จุด)ไฟ|(?:ลน|เผา)ไฟ\S{0,6}?(?:เม็ด|ฟอยล์|ฟอยด์)"
)
# News about another hospital or place, asked about ("เห็นข่าว รพ.อื่น … ที่นี่มี … ไหมคะ"): nothing happened here.
NEWS_HEARD = re.compile(r"(?:เห็น|ได้|ดู|อ่าน|ฟัง)ข่าว|ข่าว(?:ว่า|บอก)")
ELSEWHERE = re.compile(r"(?:รพ\.?|โรงพยาบาล)(?:อื่น|จังหวัดข้างๆ|ข้างๆ|ที่(?!นี่)(?:จังหวัด)?[ก-ฮ]\S{1,10}?(?:ไฟ|มี|ก็))|"
                       r"ที่อื่น|อำเภออื่น|จังหวัดอื่น|ต่างจังหวัด|ต่างประเทศ|จังหวัดข้างๆ")
ASKED = re.compile(r"ไหม|มั้ย|กี่|ยังไง|อย่างไร|หรือเปล่า|รึเปล่า|\?")
PAT27_GATE = (BODY_GONE, KIN_NOT_HERE, ORGAN_FAILED, BLOOD_OTHER_NAME, LOSS_TOLD, LAY_EVACUATION, SELF_HARM_ACT,
              DRUG_SCENE, NEWS_HEARD)
# What each cue tells, and what before it (within the window) says it did not happen: cold or fright, "nearly" or
# "about to", a threat or a wish, a negation ("ไม่ต้องย้ายคนไข้ออก").
PAT27_TOLD: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None, int], ...] = (
    ("se:death", BODY_GONE, BODY_FIGURE_BEFORE, 12),
    ("se:death", KIN_NOT_HERE, None, 0),
    ("se:arrest", ORGAN_FAILED, None, 0),
    ("se:wrong_blood", BLOOD_OTHER_NAME, re.compile(r"(?:เกือบ|เกือบได้|จะ)$"), 8),
    ("sev:G", LOSS_TOLD, None, 0),
    ("fire_major", LAY_EVACUATION, NEGATED_JOINED, 20),
    ("se:suicide_homicide", SELF_HARM_ACT, ACT_NOT_DONE_BEFORE, 8),
    ("se:drug_use", DRUG_SCENE, None, 0),
)
# "ฆ่าคนด้วยสายตา" (kills with a look): a figure of speech for a glare
FIGURES += (("se:suicide_homicide", ("ฆ่า",), None, re.compile(r"^\S{0,5}?ด้วย(?:สายตา|คำ|วาจา|ปาก)")),)
SENTINEL_KINDS_HERE = ("fire", "fire_major", "theft", "theft_weak", "police", "assault", "embezzle")


def _pat27_filters(
    found: dict[str, list[str]], joined: str, text: str, heard_in: Callable[[re.Pattern[str]], re.Match[str] | None]
) -> None:
    """Lay cues of tune27 (what a relative saw) and its look-alikes: news of elsewhere, a vaccine beside a past
    illness."""
    for kind, rx, before, window in PAT27_TOLD:
        told = heard_in(rx)
        if told is None or (before is not None and before.search(joined[max(0, told.start() - window) : told.start()])):
            continue
        if (
            (kind == "fire_major" and "fire" not in found)  # an evacuation beside a fire only
            or (kind == "se:arrest" and not CARE_NAMED.search(joined))  # an organ failed where care is named
            or (kind == "sev:G" and LOSS_PASSING.search(joined))  # not a spinal block wearing off
        ):
            continue
        found.setdefault(kind, []).append("lay_evacuation" if kind == "fire_major" else told.group(0))
    if "se:disease" in found:
        # a past illness beside a vaccine for it ("ตอนเด็กเคยเป็นคอตีบ … วัคซีนคอตีบกี่เข็ม"): each place the disease
        # is named is the vaccine's or a fear or a past illness
        vaccine = [(m.start(), m.end()) for m in gated_finditer(VACCINE_NAMED, joined)]
        left = [w for w in found["se:disease"] if w not in joined or not all(
            any(a <= at < b for a, b in vaccine) or FEARED.search(joined[max(0, at - 24) : at])
            for at in _positions(joined, w))]
        if left:
            found["se:disease"] = left
        else:
            del found["se:disease"]
    if heard_in(NEWS_HEARD) and ELSEWHERE.search(joined) and ASKED.search(joined):
        for kind in [k for k in found if k.startswith("se:") or k in SENTINEL_KINDS_HERE]:
            del found[kind]


# nlp-inc30 (tune30): sentinel words an incident report uses for something else, read out after the other filters.
# - "วิกฤต" in a critical value or a disease's critical phase ("ค่าวิกฤต", "ระยะวิกฤตของไข้เลือดออก") is no near-death;
# - a wish to die reported as said to someone ("พูดกับพยาบาลว่า 'อยากตาย…'") is talk, like WISH_TO_DIE_TALK;
# - violence whose every mention is denied with a word between ("ไม่มีเหตุทะเลาะวิวาท");
# - CPR named only as not needed ("ไม่ต้อง CPR": a faint that came round).
INC30_NOT_CRISIS = re.compile(r"(?:ค่า|ผล|ระยะ|ช่วง|lab)$")
INC30_TALKED = re.compile(r"(?:พูด|บอก|บ่น|ระบาย)(?:กับ\S{0,16})?ว่า\W{0,2}$")
INC30_DENIED_WORD = re.compile(r"ไม่(?:มี|พบ|เกิด)(?:เหตุ|การ|เรื่อง)?(?:ทะเลาะ)?$")
# - lasting harm denied with words between ("ไม่มีผป.อาการทรุดถาวร"; not "ไม่มีผู้ดูแลจนพิการถาวร", a cause and its harm)
INC30_LASTING_DENIED = re.compile(r"ไม่(?:มี|เกิด|พบ)(?:(?!จน|ทำให้|ส่งผล|เพราะ).){0,18}$")
INC30_CPR_DENIED = re.compile(r"(?:ไม่ต้อง|ไม่ได้|ไม่มีการ|งด|ขอไม่)\s*(?:ทำ\s*)?$", re.IGNORECASE)


def _inc30_filters(found: dict[str, list[str]], joined: str, text: str) -> None:
    """nlp-inc30: see INC30_NOT_CRISIS, INC30_TALKED, INC30_DENIED_WORD, INC30_CPR_DENIED."""

    def every(w: str, before: re.Pattern[str], window: int) -> bool:
        at = _positions(joined, w)
        return bool(at) and all(before.search(joined[max(0, a - window) : a]) for a in at)

    def drop(kind: str, keep: Callable[[str], bool]) -> None:
        left = [w for w in found.get(kind, []) if keep(w)]
        if left:
            found[kind] = left
        elif kind in found:
            del found[kind]

    if "วิกฤต" in found.get("se:arrest", ()):
        drop("se:arrest", lambda w: not (w == "วิกฤต" and every(w, INC30_NOT_CRISIS, 4)))
    if "อยากตาย" in joined and every("อยากตาย", INC30_TALKED, 24):
        drop("se:suicide_homicide", lambda w: w != "อยากตาย")
        if joined.count("ตาย") == joined.count("อยากตาย"):
            drop("se:death", lambda w: w != "ตาย")
    if "se:violence" in found:
        drop("se:violence", lambda w: w not in joined or not every(w, INC30_DENIED_WORD, 16))
    if "sev:G" in found:
        drop("sev:G", lambda w: w not in ("ถาวร", "พิการ") or not every(w, INC30_LASTING_DENIED, 24))
    if "se:arrest" in found and "cpr" in (w.lower() for w in found["se:arrest"]):
        low = text.lower()
        at = [m.start() for m in re.finditer(r"\bcpr\b", low)]
        if at and all(INC30_CPR_DENIED.search(low[max(0, a - 12) : a]) for a in at):
            drop("se:arrest", lambda w: w.lower() != "cpr")


# round 13 (tune32 incident, nlp-r13inc): sentinel cues that name no event here, by family.
# - "ไหม้" of a burn unit or its patients ("หอผู้ป่วยไฟไหม้น้ำร้อนลวก", "ward burn/ไฟไหม้") or of food left on the heat
#   ("ข้าวไหม้ติดก้นหม้อ"): no fire burnt anything of the hospital (a flame told beside it still counts: FIRE_TH's others).
R13_NOT_FIRE = re.compile(
    r"ไฟไหม้\s*(?:และ|/)?\s*น้ำร้อนลวก|(?:หอผู้ป่วย|หอ|ward|วอร์ด|หน่วย|unit|ตึก|ผู้ป่วย|ผป\.?)\s*(?:ผู้ป่วย)?\s*ไฟไหม้(?!\S{0,2}(?:ที่|จาก|เมื่อ|เวลา))|"
    r"(?:ข้าว|อาหาร|กับข้าว|ขนม|โจ๊ก|แกง|ไข่|กาแฟ|ต้ม)\S{0,3}ไหม้|ไหม้ติด(?:ก้น|หม้อ|กระทะ)",
    re.IGNORECASE,
)
# - "ตัวเย็น" in a cold sweat ("เหงื่อแตกตัวเย็น", "ตัวเย็นเหงื่อออก"): the sign of a low sugar or a shock, not a body found
R13_COLD_SWEAT = re.compile(r"เหงื่อ\S{0,4}(?:แตก|ออก|ท่วม|ซึม)\S{0,4}ตัวเย็น|ตัวเย็น\S{0,4}เหงื่อ\S{0,4}(?:แตก|ออก|ท่วม|ซึม)")
# - a tube taken out ("ถอด ETT ใน OR ขณะยังไม่ตื่น"): an extubation, no intubation the event caused
R13_EXTUBATED = re.compile(r"(?:ถอด|ดึง)(?:ท่อ(?:ช่วยหายใจ)?)?(?:ett|ท่อช่วยหายใจ|et-?tube|tube)", re.IGNORECASE)
# - a wrong site caught at the check: the English words for it ("site marking", "wrong site") go with the Thai ones
R13_SITE_WORDS = ("site marking", "wrong site", "wrong-site", "wrong side", "wrong-side")
# Heard: a person pushed or beaten who broke a bone or needed an operation or a ward bed (seed 004 non-clinical 3,
# "เหตุวิวาทรุนแรง", police told or not: "ผลักพยาบาลล้มกระแทกพื้น ข้อมือหัก ต้องผ่าตัด"); a threat or a bare push is not
R13_ASSAULT_HARMED = re.compile(
    r"(?:ผลัก|ทำร้าย|ชก|ต่อย|เตะ|ถีบ|ตบ|กระชาก)\S{0,12}?(?:พยาบาล|พยบ|เจ้าหน้าที่|จนท|แพทย์|หมอ|ผู้ช่วย|เวรเปล|พนักงาน|พนง|"
    r"ผู้ป่วย|ผป|คนไข้|ญาติ|scrub|nurse|รปภ|ยาม)\S{0,80}?"
    r"(?:หัก|fx|fracture|ผ่าตัด|ใส่เหล็ก|admit|แอดมิท|นอนโรงพยาบาล|นอนรพ|หมดสติ|ไม่รู้สึกตัว|icu|ไอซียู)",
    re.IGNORECASE,
)
# Heard: cash counted short with its baht ("เงินสดในลิ้นชักขาด 18,500 บาท", "ยอดเงินขาดไป 3,000 บาท") is money gone,
# a theft once the police are told (_theft_reported)
R13_MONEY_SHORT = re.compile(r"(?:เงิน|ยอด)\S{0,16}?ขาด(?:ไป|หาย)?(?:จำนวน|ประมาณ)?\d[\d,]*(?:\.\d+)?บาท")


def _r13_filters(found: dict[str, list[str]], joined: str) -> None:
    """round 13 (tune32 incident, nlp-r13inc): cue words that told no event (R13_NOT_FIRE and the two below)."""
    fire = found.get("fire")
    if fire and set(fire) <= {"ไหม้", "ไฟไหม้"} and "ไหม้" in joined:
        if joined.count("ไหม้") == len(R13_NOT_FIRE.findall(joined)) + len(FIRE_ALARM.findall(joined)):
            del found["fire"]
    death = found.get("se:death")
    if death and "ตัวเย็น" in death and joined.count("ตัวเย็น") == len(R13_COLD_SWEAT.findall(joined)):
        found["se:death"] = [w for w in death if w != "ตัวเย็น"]
        if not found["se:death"]:
            del found["se:death"]
    arrest = found.get("se:arrest")
    low = joined.lower()
    if arrest and {w.lower() for w in arrest} <= {"ett"} and low.count("ett") == len(R13_EXTUBATED.findall(low)):
        del found["se:arrest"]


# lead r13: a death named only as a record's field — the date, time or cause of death, the death certificate
# ("บันทึกวันเสียชีวิตผิดคน", "หนังสือรับรองการตาย … สาเหตุการตายผิด") — is a records error, no death in this event.
# The field needs a record's verb before it or an error after it: "5 วันเสียชีวิต" (died five days later) and
# "สาเหตุการตายจาก…" (what the death came from) tell a death. Read on the joined words here and on the spaced text in
# nlp.nrls.general_level.
DEATH_RECORD = re.compile(
    r"(?:บันทึก|ลง|พิมพ์|แก้|กรอก|ระบุ)\s*(?:วัน|วันที่|เวลา|เวลาที่|สาเหตุ(?:การ)?)\s*(?:เสียชีวิต|ตาย)|"
    r"(?<!\d)(?<!\d\s)(?:วัน|วันที่|เวลา|เวลาที่|สาเหตุ(?:การ)?)\s*(?:เสียชีวิต|ตาย)\s*(?:\S{0,12}?)\s*"
    r"(?:ผิด|ไม่ตรง|คลาดเคลื่อน|สลับ)|"
    r"(?:หนังสือ|ใบ)\s*รับรอง\s*การ\s*(?:ตาย|เสียชีวิต)|ใบตาย"
)


def _death_record_filter(found: dict[str, list[str]], joined: str) -> None:
    """lead r13: drop the death cue when every "เสียชีวิต"/"ตาย" of the text is inside a DEATH_RECORD phrase."""
    death = found.get("se:death")
    if not death or not set(death) <= {"เสียชีวิต", "ตาย"}:
        return
    records = DEATH_RECORD.findall(joined)
    if records and joined.count("เสียชีวิต") + joined.count("ตาย") == sum(
        r.count("เสียชีวิต") + r.count("ตาย") for r in records
    ):
        del found["se:death"]


def _positions(joined: str, w: str) -> list[int]:
    out, at = [], joined.find(w)
    while at >= 0:
        out.append(at)
        at = joined.find(w, at + 1)
    return out


# r13 tune33 (nlp-inc33): sentinel words that name no event in tune33's reports, and events told in words the lists
# lack.
# - X-ray slang: "ยิง" is to take the film ("จนท.ถามผป.ก่อนยิง"); an electrical part that blew or burnt out ("หม้อแปลงไฟ
#   ระเบิด", "switch ตึก OPD ไหม้") is a power or network failure, no bomb and no fire; a fire lane blocked ("ช่องทางรถ
#   ดับเพลิง") names the fire engine's way, no fire.
FIGURES += (
    ("se:violence", ("ยิง",),
     re.compile(r"(?:x-?ray|เอ็กซ์?เรย์|เอกซเรย์|เอ็กซเรย์|ฟิล์ม|รังสี|portable|ถ่าย(?:ภาพ|ฟิล์ม)?)[^\n]{0,80}$"),
     re.compile(r"^(?:ฟิล์ม|film|x-?ray|เอ็กซ์?เรย์|ซ้ำ|ใหม่)")),
    ("se:violence", ("ระเบิด",),
     re.compile(r"(?:หม้อแปลง|ฟิวส์|ปลั๊ก|สายไฟ|ตู้ไฟ|แบต\S{0,6}|หลอดไฟ|คอมเพรสเซอร์|ups)\S{0,24}$"), None),
    ("fire", ("ไหม้",),
     re.compile(r"(?:switch|สวิตช์|สวิทช์|มอเตอร์|บอร์ด|board|ฟิวส์|คอยล์|ขดลวด|adapter|อะแดปเตอร์|power\s*supply|ups)\S{0,14}$"),
     None),
    ("fire", ("รถดับเพลิง",), re.compile(r"(?:ช่อง|ทาง|เส้นทาง)\S{0,4}$"), None),
)  # fmt: skip
# - cash found short of the account ("เงินสดรับชำระ OPD ขาดบัญชี 86,000 บาท … แจ้งความ"): missing money, a theft once the
#   police are told (seed 004), as EMBEZZLE_TH's words are;
EMBEZZLE_TH += ("ขาดบัญชี", "เงินสดขาด", "ยอดเงินขาด", "เงินขาดหาย")
# - the press on the phone or a big page carrying the story ("ลงเพจดัง", "สื่อโทรมาถาม"): the media told by what they did.
SENTINEL_TH["reputation"] += ("เพจดัง", "สื่อโทร", "สื่อมาถาม", "สื่อติดต่อ", "นักข่าวโทร")


def _r13_33_filters(found: dict[str, list[str]], text: str) -> None:
    """r13 tune33: Latin arrest and disease cues heard only where nlp.nrls.R13_33_NOT_EVENTS names no event (the
    defibrillator checked, a disease's drug, a negative test) are dropped."""
    if not any(LATIN_LETTER.search(w) for k in ("se:arrest", "se:disease") for w in found.get(k, ())):
        return
    from nlp.nrls import _r13_33_not_events

    low = text.lower()
    rest = _r13_33_not_events(low)
    if rest is low:
        return
    for kind in ("se:arrest", "se:disease"):
        if kind not in found:
            continue
        left = [w for w in found[kind] if not LATIN_LETTER.search(w) or w.lower() in rest]
        if left:
            found[kind] = left
        else:
            del found[kind]


# The single regexes read through prefilter.gated_* (each its own one-pattern pass), built by Analyzer.warm().
GATED: tuple[re.Pattern[str], ...] = (
    BLOOD_UNITS, CAUGHT_BEFORE, NO_ONE_HURT, VACCINE_NAMED, WRONG_SITE_CAUGHT, MORTUARY, TO_ICU, PLANNED,
)  # fmt: skip


def assess(text: str, tokens: list[str], *, shortcut: bool = True) -> SeverityResult:
    """Sentinel flag and severity hint from the normalised text and its tokens (spaces excluded).

    Most patient messages hold no cue at all: when neither Hyperscan pass (``long_set`` over the joined words,
    ``text_set`` over the text) hears anything, every rule below would find nothing, and the empty result is
    returned at once (``shortcut=False`` runs them all anyway: the reference the tests hold the shortcut to)."""
    rules = _rules()
    joined = "".join(tokens)
    heard = rules.long_set.hits(joined)
    hits = rules.text_set.hits(text)
    if shortcut and not heard and not hits:
        return SeverityResult(None, False, (), {})
    found: dict[str, list[str]] = {}
    for m in rules.matcher.find(tokens):
        kind = m.payload
        # sent7: a flame or fire denied ("ไม่มีเปลวไฟ", "ไม่พบไฟไหม้") is none (not "ไม่ได้ใช้ถังดับเพลิง": fire_minor)
        negatable = kind.startswith(NEGATABLE) or kind == "fire"
        if negatable and not INABILITY.search("".join(tokens[max(0, m.start - 4) : m.start])):
            prev = tokens[m.start - 1] if m.start > 0 else ""
            prev2 = "".join(tokens[max(0, m.start - 2) : m.start])
            prev3 = "".join(tokens[max(0, m.start - 3) : m.start])
            if prev in rules.negated_before or prev2 in rules.negated_before or prev3 in rules.negated_before:
                continue
            if NEGATED_JOINED.search("".join(tokens[max(0, m.start - 5) : m.start])):
                continue
            if kind == "police" and prev3.endswith((*_NOT_TOLD, "ไม่ได้เรียก", "ไม่เรียก")):
                continue  # round 13 (nlp-r13inc): "ไม่ได้แจ้ง ตำรวจ" (tokens apart): the police were not told
            if m.phrase in SOFT_SENTINEL and (prev in rules.hyperbole or prev2 in rules.hyperbole):
                continue
            if m.phrase == "ตาย" and prev.endswith(FEELINGS):
                continue  # lay24: "น่ากลัวตายเลย", "หิวตาย": a feeling said strongly
            near = "".join(tokens[max(0, m.start - 4) : m.start])
            if m.phrase in HYPERBOLE_NEAR_DEATH and (
                HYPERBOLE_CAUSE.search(near) or HYPERBOLE_WAIT.search("".join(tokens[max(0, m.start - 12) : m.start]))
            ):
                continue
            if m.phrase == "ตาย" and m.start == 0 and m.end < len(tokens) and tokens[m.end] in EXCLAIM_AFTER:
                continue
            if m.phrase == "ฆ่า" and m.end < len(tokens) and tokens[m.end].startswith("เชื้อ"):
                continue  # ฆ่าเชื้อ = disinfect
            if kind == "sev:G" and "".join(tokens[max(0, m.start - 2) : m.start]).lower().endswith(PATIENT_BEFORE):
                continue  # r9inc: "ผป.หูหนวก", "ผู้ป่วยอัมพาต": what the patient lives with, not harm the event did
            if m.phrase == "ชัก" and m.start > 0 and tokens[m.start - 1].endswith(("ลม", "กัน")):
                continue  # nlp-band: "โรคลมชัก", "ยากันชัก" name a disease and its drug, not a seizure the event caused
            talk = "".join(tokens[max(0, m.start - 3) : m.start])
            if m.phrase in ("อยากตาย", "ตาย") and WISH_TO_DIE_TALK.search(talk):
                continue  # "พูดว่าอยากตาย": talk, not an attempt
            before = "".join(tokens[max(0, m.start - 6) : m.start])
            if kind in ("se:violence", "se:suicide_homicide") and not m.phrase.startswith("ขู่") and (
                THREAT_BEFORE.search(before) or (kind == "se:violence" and THREAT_BEFORE_ACT.search(before))
            ):
                continue  # "ขู่ว่าจะมาดักรอทำร้ายหมอ": a threat, not an assault
        after = "".join(tokens[m.end : m.end + 3])
        if kind == "assault" and (
            (m.phrase in ("ทุบ", "ตี") and after.startswith(STRUCK_THINGS))
            or THREAT_BEFORE.search("".join(tokens[max(0, m.start - 3) : m.start]))
        ):
            continue  # "ทุบกระจกประตู", "ขู่ทำร้ายเจ้าหน้าที่": property damaged, a threat; nobody struck
        if m.phrase == "เอาเรื่อง" and TAKE_MATTER.match(after):
            continue
        if kind == "se:violence" and m.phrase in BLOWS and after.startswith(STRUCK_THINGS):
            continue  # r10pat: "ตบโต๊ะเสียงดัง", "เตะประตู": a table or a door struck, nobody
        found.setdefault(kind, []).append(m.phrase)
    if rules.long_set.engine:
        candidates = [(n, *rules.long_list[n]) for n in sorted(heard) if n < len(rules.long_list)]
    else:
        candidates = sorted({c for i in range(len(joined) - LONG_PREFIX + 1)
                             for c in rules.long_by_prefix.get(joined[i : i + LONG_PREFIX], ())})  # fmt: skip

    def can(rx: re.Pattern[str]) -> bool:
        return rules.text_id[id(rx)] in hits

    for _, phrase, kind in candidates:
        at = joined.find(phrase)
        before = joined[max(0, at - 20) : at]
        threat = (kind in ("se:violence", "se:suicide_homicide") and THREAT_BEFORE.search(before)) or (
            kind == "se:violence" and THREAT_BEFORE_ACT.search(before)
        )
        wish = phrase == "อยากตาย" and WISH_TO_DIE_TALK.search(before) is not None
        figure = (
            phrase in HYPERBOLE_NEAR_DEATH
            and (HYPERBOLE_CAUSE.search(before) is not None or HYPERBOLE_WAIT.search(joined[max(0, at - 44) : at]))
        ) or (
            phrase in SOFT_SENTINEL and joined[:at].endswith(HYPERBOLE_BEFORE)  # "คนไข้คงไม่รอด"
        )
        negated = not INABILITY.search(before) and (
            joined[:at].endswith(NEGATED_BEFORE) or NEGATED_JOINED.search(before) is not None
        )
        # "เอาเรื่องโรคของคนไข้ไปคุย": "took the matter of …", not "will take it to court"
        matter = phrase == "เอาเรื่อง" and TAKE_MATTER.match(joined, at + len(phrase)) is not None
        if (
            at >= 0
            and phrase not in found.get(kind, ())
            and not (negated or threat or wish or figure or matter)
        ):
            found.setdefault(kind, []).append(phrase)
    for cat, rx in rules.latin.items() if LATIN_LETTER.search(text) else ():
        latin = _latin_hits(rx, text) if can(rx) else []
        if latin:
            found.setdefault(f"se:{cat}", []).extend(latin)
    def heard_in(rx: re.Pattern[str]) -> re.Match[str] | None:
        """``rx.search(joined)``, run only when the pass over the joined words heard it (its hits are a
        superset of ``re``'s matches; all patterns without the engine)."""
        return rx.search(joined) if rules.long_id[id(rx)] in heard else None

    died = heard_in(KIN_DIED_RX)
    if died and not NEGATED_JOINED.search(joined[max(0, died.start() - 20) : died.start()]):
        found.setdefault("se:death", []).append(died.group(0))
    for kind, rx in LAY_CUES:
        told = heard_in(rx)
        before = joined[max(0, told.start() - 20) : told.start()] if told else ""
        threat = kind in ("se:violence", "se:suicide_homicide") and THREAT_BEFORE.search(before)  # r11pat: suicide too
        if told and not NEGATED_JOINED.search(before) and not threat:
            found.setdefault(kind, []).append(told.group(0))
    never = heard_in(NEVER_EVENT_RX) or (
        NEVER_EVENT_RX.search(text) if can(NEVER_EVENT_RX) and LATIN_LETTER.search(text) else None
    )
    if never:
        found.setdefault("se:never_event", []).append(never.group(0))
    if "se:wrong_blood" not in found and can(TRANSFUSION) and TRANSFUSION.search(text):
        groups = {g.lower() for g in BLOOD_GROUP.findall(text)}
        if groups:
            groups |= {g.lower() for g in BLOOD_GROUP_IS.findall(text)}
        if len(groups) >= 2:
            found.setdefault("se:wrong_blood", []).append("group:" + "/".join(sorted(groups)))
        elif can(HEMOLYSIS) and HEMOLYSIS.search(text):
            found.setdefault("se:wrong_blood", []).append("hemolysis")
    if "se:drug_use" in found:
        rest = joined
        for w in NOT_DRUG_USE:
            rest = rest.replace(w, "")
        left = [w for w in found["se:drug_use"] if LATIN_LETTER.search(w) or w in rest]
        if left:
            found["se:drug_use"] = left
        else:
            del found["se:drug_use"]
    if "se:violence" in found and set(found["se:violence"]) <= BLOWS and not _police_told(joined) and (
        BLOW_ON_STAFF.search(joined)
    ):
        if not _serious_blow(joined) and not (can(rules.police) and rules.police.search(text)):
            del found["se:violence"]
    _sent7_filters(found, joined, text)
    _r9_filters(found, joined, text)
    _inc23_filters(found, joined)
    _figures(found, joined)
    _r12pat_filters(found, joined)
    _lay24_filters(found, joined, text)
    _r13pat_filters(found, joined)
    _r11pat_filters(found)
    _r11_filters(found, joined)
    _pat27_filters(found, joined, text, heard_in)
    _inc30_filters(found, joined, text)  # nlp-inc30
    _r13_filters(found, joined)  # round 13 (nlp-r13inc)
    _death_record_filter(found, joined)  # lead r13
    _r13_33_filters(found, text)  # r13 tune33
    if "se:arrest" in found and (
        not any(not ICU_DENIED.search(text[max(0, m.start() - 12) : m.start()]) for m in gated_finditer(TO_ICU, text))
        or gated_search(PLANNED, text)  # r9inc: an ICU stay planned after a big operation is care, not a rescue
    ):  # sent7: "ไม่ต้องส่ง ICU" is no transfer
        found["se:arrest"] = [w for w in found["se:arrest"] if w.lower() not in ("icu", "ไอซียู", "เข้าไอซียู")]
        if not found["se:arrest"]:
            del found["se:arrest"]
    if "se:wrong_blood" in found:
        # "เจาะเลือดผิดคน" is a specimen drawn from the wrong patient, not a transfusion.
        left = [w for w in found["se:wrong_blood"] if not (w == "เลือดผิดคน" and "เจาะเลือดผิดคน" in joined
                                                           and "ให้เลือดผิดคน" not in joined)]
        if left:
            found["se:wrong_blood"] = left
        else:
            del found["se:wrong_blood"]
    if "fire" in found and set(found["fire"]) == {"ไหม้"} and joined.count("ไหม้") == joined.count("กลิ่นไหม้"):
        del found["fire"]  # a burning smell alone ("มีกลิ่นไหม้ ถอดปลั๊กทัน"): no flame, smoke or extinguisher told
    if "fire" in found and set(found["fire"]) == {"ไหม้"} and joined.count("ไหม้") == len(BURN_WOUND.findall(joined)):
        del found["fire"]  # "แผลไหม้ระดับ 2 จาก grounding pad": a burn wound (its cause is the topic), no fire
    if "fire" in found and set(found["fire"]) <= {"ไหม้", "ไฟไหม้"} and joined.count("ไหม้") == len(
        FIRE_ALARM.findall(joined)
    ):
        del found["fire"]  # "สัญญาณไฟไหม้ดังทั้งคืน": an alarm rang, nothing burnt
    if can(rules.fire) and rules.fire.search(text):
        found.setdefault("fire", []).append("fire")
    if can(rules.theft) and rules.theft.search(text):
        found.setdefault("theft", []).append("theft")
    if can(rules.police) and rules.police.search(text):
        found.setdefault("police", []).append("police")
    if can(rules.event) and rules.event.search(text):
        found.setdefault("event", []).append("event")
    for kind, rx in (("med", rules.med), ("fall", rules.fall)):
        hit = rx.search(text) if can(rx) else None
        if hit:
            found.setdefault(kind, []).append(hit.group(0))
    topics: dict[str, list[str]] = {}
    if "med" in found and all(_blood_units(w, text) for w in found["med"]):
        found_med = found.pop("med")  # "ให้ PRC 2 unit": blood products, counted in units, are not a drug
    else:
        found_med = None
    for kind, codes in CUE_TOPICS.items():
        if kind == "se:never_event" and kind in found and all(baby_event(w) for w in found[kind]):
            codes = ("safety_privacy",)  # an abducted or swapped baby is security, not care
        for code in codes if kind in found else ():
            topics.setdefault(code, []).append(found[kind][0])
    for kind, codes in HARM_TOPICS.items():
        for code in codes if kind in found else ():
            if code not in topics:
                topics.setdefault(HARM_PREFIX + code, []).append(found[kind][0])
    if found_med is not None:
        found["med"] = found_med  # still an event for the severity rules, only not a medication topic

    expected = not any(k in found for k in UNEXPECTED_KINDS) and (
        any(w in joined for w in EXPECTED_DEATH)
        or ("ดูแล" in joined and CARED_TO_THE_END.search(joined) is not None and NOT_CARED.search(joined) is None)
        or (can(EXPECTED_DEATH_LATIN) and EXPECTED_DEATH_LATIN.search(NO_DNR.sub("", text)) is not None)
    )
    if expected:
        found.pop("se:death", None)
        found.pop("se:arrest", None)
    reasons: list[str] = []
    # Treatment in the ICU / intubation is near-death only when something went wrong to cause it.
    weak_arrest = {"ไอซียู", "เข้าไอซียู", "ใส่ท่อ", "ใส่ท่อช่วยหายใจ", "icu", "ett", "intubate", "intubated",
                   "intubation", "shock", "ช็อก", "ช็อค", "วิกฤต", "pph", "ตกเลือดหลังคลอด"}  # fmt: skip
    if "se:arrest" in found and "วิกฤต" in found["se:arrest"] and joined.count("วิกฤต") == len(
        CRITICAL_UNIT.findall(joined)
    ):  # round 12 (nlp-r12inc): "ward วิกฤต", "หอผู้ป่วยวิกฤต" name a unit, not a patient in crisis
        found["se:arrest"] = [w for w in found["se:arrest"] if w != "วิกฤต"]
        if not found["se:arrest"]:
            del found["se:arrest"]
    drill = "event_drill" in found and drill_before_remedy(text)  # round 12: not a drill proposed as the remedy
    if drill:
        if "se:arrest" in found:
            found["se:arrest"] = [w for w in found["se:arrest"] if w.lower() not in DRILL_CUES]  # "ซ้อมแผน code blue"
            if not found["se:arrest"]:
                del found["se:arrest"]
        found.pop("se:disease", None)  # "ซ้อมแผนรับผู้ป่วยสงสัย MERS": a drill, no case
        # a rehearsed code: nobody harmed (sent7: also a mannequin, a simulated scenario, "ซ้อม code blue")
        if any(w in joined.lower() for w in ("ซ้อมแผน", "ฝึกซ้อม", "สมมติ", "หุ่นจำลอง", "หุ่น", "สถานการณ์จำลอง", "ซ้อมcode",
                                             "ซ้อมโค้ด",
                                             # round 12 (nlp-r12inc): a CPR rehearsal ("ซ้อม CPR ประจำไตรมาส")
                                             "ซ้อมcpr", "ซ้อมกู้ชีพ", "ซ้อมช่วยฟื้นคืนชีพ", "ซ้อมปั๊มหัวใจ")):
            found.pop("se:arrest", None)
            found.pop("se:never_event", None)
    for cat_key, words in found.items():
        if not cat_key.startswith("se:"):
            continue
        strong = [w for w in words if w not in weak_arrest] if cat_key == "se:arrest" else words
        if strong or "event" in found or "med" in found or "fall" in found:  # intubated after a drug error
            reasons.append(f"{cat_key[3:]}:{(strong or words)[0]}")
    minor = found.get("fire_minor", [])
    drill = drill or any(w in FIRE_HYPOTHETICAL_TH for w in minor)
    major = "fire_major" in found or any(w in FIRE_BRIGADE_TH for w in found.get("fire", []))
    if "fire" in found and (not minor or (major and not drill)):
        reasons.append(f"fire:{found['fire'][0]}")
    if "med" in found and "sev:G" in found:  # seed 004: a medication error with permanent harm (G–I) is sentinel
        reasons.append(f"med_G:{found['sev:G'][0]}")
    elif ("event" in found or "fall" in found) and set(found.get("sev:G", ())) - VAGUE_G:
        # permanent harm named after care, a fall or an error ("คลอด ... สมองลูกเสียหายถาวร"): HA lists G for
        # 214 of the 219 clinical codes
        reasons.append(f"harm_G:{sorted(set(found['sev:G']) - VAGUE_G)[0]}")
    if ABDUCTION_RX.search(joined) and _police_told(joined):
        reasons.append("abduction_police")
    if "assault" in found and "se:violence" not in found and ("police" in found or _police_told(joined)):
        reasons.append(f"violence_police:{found['assault'][0]}")
    if "assault" in found and "se:violence" not in found and not any(r.startswith("violence") for r in reasons):
        hurt = R13_ASSAULT_HARMED.search(joined)  # round 13 (nlp-r13inc): a blow that broke a bone or put one in a bed
        if hurt and not NEGATED_JOINED.search(joined[max(0, hurt.start() - 12) : hurt.start()]) and not (
            THREAT_BEFORE.search(joined[max(0, hurt.start() - 12) : hurt.start()])
        ):
            reasons.append(f"violence_harm:{hurt.group(0)[:12]}")
    if "police" in found and ("theft" in found or "theft_weak" in found or "embezzle" in found):
        reasons.append(f"theft_police:{(found.get('theft') or found.get('embezzle') or found['theft_weak'])[0]}")
    elif _theft_reported(joined):
        reasons.append("theft_police:substring")
    if reasons and HYPOTHETICAL.search(text) and "แล้ว" not in joined:
        reasons = []  # lay24: "ถ้า … ต้องทำยังไงคะ": a question about what might happen
    if reasons:
        return SeverityResult("SE", True, tuple(reasons), topics)

    is_event = "event" in found or "med" in found or "fall" in found
    for level, _ in SEVERITY_TH:
        if f"sev:{level}" in found:
            if level in "AB" and not is_event:
                continue  # "เสี่ยง"/"เกือบ" in a service complaint is not an incident level
            return SeverityResult(level, False, (f"{level}:{found[f'sev:{level}'][0]}",), topics)
        for lvl, rx in rules.severity_latin:
            if lvl == level and can(rx) and rx.search(text):
                return SeverityResult(level, False, (f"{level}:latin",), topics)
    if "fire" in found or "theft" in found:
        return SeverityResult("C", False, ("minor-event",), topics)
    if is_event:
        return SeverityResult(
            "C" if "ผิด" in "".join(found.get("event", []) + found.get("med", [])) else "B", False, ("event",), topics
        )
    return SeverityResult(None, False, (), topics)
