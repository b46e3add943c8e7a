"""The analyser: normalise → tokenise → lexicon (topics, polarity, requests) + model → one Analysis."""

from __future__ import annotations

import os
import re
import threading
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.corrections import Corrections
from nlp.features import POLITE_PARTICLES, content_tokens, split_glued
from nlp.frames import frame_topics, named_topics
from nlp.matcher import Match, PhraseMatcher, clause_ids, longest_non_overlapping, phrase_key
from nlp.model import SentimentModel, feature_counts, load_model
from nlp.normalize import emoji_names, normalize_text
from nlp.nrls import GATED as nrls_gated
from nlp.nrls import (
    RiskCoder,
    RiskCodeSuggestion,
    clinical_scale,
    code_topic,
    contributing_causes,
    cpr_is_setting,
    get_coder,
    hint_from_reasons,
    is_clinical,
    pair_told,
    sentinel_cues,
    staff_harmed,
)
from nlp.prefilter import gated_search, gated_sub, prepare_gates
from nlp.severity import GATED as severity_gated
from nlp.severity import HARM_PREFIX, assess
from nlp.tokenizer import DEFAULT_ENGINE, Tokenizer
from nlp.topics import DEFAULT_CONFIG_DIR, TOPIC_CODES, TopicInfo, TopicLexicon, load_lexicon

# A referral named as such (r10inc: the trip, not a step of the process when the ambulance is the cause).
REFERRAL_WORD = re.compile(r"ส่งต่อ|ส่งตัว|refer|รีเฟอร์", re.IGNORECASE)
SENTIMENT_LEXICON = Path(__file__).resolve().parent / "data" / "sentiment.toml"
ENGINE_ENV = "PATIENT_VOICE_NLP_ENGINE"

# Sentiment fusion, tuned on tune*.jsonl (k-fold, `python -m nlp.crossval`) against the wisesight validation
# split: the lexicon weighs more when the message talks about hospital topics; otherwise it yields to a
# confident model (on general social-media Thai the model is the better judge).
LEXICON_WEIGHT_TOPIC = 0.5
LEXICON_WEIGHT_OTHER = 0.2
MODEL_CONFIDENT = 0.7
CONFIDENT_DAMPING = 0.4
CONFIDENT_DAMPING_TOPIC = 0.8
RATINGS_WEIGHT = 0.4
# A one-sided lexicon signal at least this strong (one plain cue = 1.0) decides the label: "รอนานมากค่ะ" is
# a complaint whatever a model trained on tweets thinks of its politeness. Without a hospital topic the
# model keeps its label when it is this sure of it.
LEXICON_DECIDES = 1.0
MODEL_VETO = 0.7
# Spaces other than the ASCII ones read as one space, and the Mongolian vowel separator as nothing: Python's \s and
# Hyperscan's disagree on some of them (U+001C–U+001F, U+180E), so a gated pass could miss what re would find; a
# phone's no-break space is a space to the reader too.
ODD_SPACES: dict[int, str | None] = {
    c: " " for c in range(0x3001) if chr(c).isspace() and chr(c) not in " \t\n\r\x0b\x0c"
}
ODD_SPACES[0x180E] = None
ODD_SPACE = re.compile("[" + "".join(map(chr, ODD_SPACES)) + "]")  # found in ~3 µs a report; translating costs ~60
# Text that answers no question and names no hospital word or topic is read by the general-Thai model
# (wisesight, particles kept) blended with the hospital model at this weight times (1 − P(hospital text)).
GENERAL_WEIGHT = 1.0
# A text the domain row finds at least this likely to be a hospital message is left to the hospital model.
GENERAL_HOSPITAL_MAX = 0.5
# A text with no question that names a hospital word ("หมอ", "เลือด", "ตาย" in social-media Thai) but that the
# domain row finds this unlike the hospital's messages is general Thai all the same: the general model reads it
# and the hospital rules do not (wisesight train, 3 folds: +5, +15, +22 of 4,326 each; valid.jsonl unchanged).
GENERAL_OVERRIDE_MAX = 0.1
# A suggestion stays neutral unless the grievance around it is at least this strong.
SUGGESTION_NEG_MAX = 2.0
# Topic evidence that makes a message a hospital one: a problem named, or a staff member judged. Praise
# words alone ("ปลอดภัย", "ชัดเจน", "ใจเย็น") are everyday Thai and do not.
GATE_KINDS = frozenset({"negative", "secondary", "target"})
# The topic model adds a topic the lexicon missed at this probability or more (1.0 turns it off).
TOPIC_MODEL_MIN = 0.4
# Beside topics the lexicon found, the model adds another only when this sure: a second topic needs
# evidence as strong as a judged aspect, and a bag of words is weaker evidence than a phrase.
TOPIC_MODEL_EXTRA = 0.6
# issue 14 (nlp-inctop): an incident report's final topics (after the cause rules) gain a topic the topic model is
# this sure of and the rules did not keep. Measured leave-one-file-out (the model trained without the file, on
# writers the model never saw; bench/README.md "Issue 14: incident topics out of writer"): the rules alone lose
# 0.05 micro F1 out of writer without the model; this adds +0.003 micro, 7 of 9 writers up, 1 down (1.0: off).
INCIDENT_MODEL_ADDS = 0.6
# A topic the hospital's corrections gave to at least this many lines (a model trained with `nlp.train
# --corrections`): its topic model learnt the hospital's convention for it, so a word the lexicon placed under
# another topic no longer keeps it out (the shipped model has no corrections: nothing changes there).
TAUGHT_MIN = 3
# Praise and complaint within this ratio of each other make a mixed (neutral) message.
MIXED_RATIO = 0.5
# Symptoms are not grievances: "ปวดหัว" describes why someone came, not what went wrong.
SYMPTOM_WORDS = frozenset({"ปวด", "เจ็บ", "กลัว", "กังวล", "เหนื่อย", "หิว", "ทุกข์", "สงสาร", "อดทน"})
# Topics only a hospital message talks about (food, cost, cleanliness and parking are everyday words too).
HOSPITAL_TOPICS = frozenset({
    "waiting", "staff_behavior", "communication", "clinical_care", "medication", "process", "safety_privacy",
    "staffing",
})  # fmt: skip
# An aspect word ("ยา", "ระบบคิว") tags its topic only when judged within this many tokens in its clause.
ASPECT_WINDOW = 6
# What a text answers (the product always knows): the survey's four free-text questions, a patient's
# complaint or compliment, a staff incident report. None: unknown (the sets written before issue 14).
QUESTIONS = ("expectation", "dissatisfaction", "improvement", "message", "complaint", "compliment", "incident")
# Only the first MAX_CHARS characters are analysed (topics, sentiment, incident coding); the sentinel and
# severity cues read up to SEVERITY_MAX_CHARS, so a long report's late "เสียชีวิต" is still heard.
MAX_CHARS = 3000
SEVERITY_MAX_CHARS = 20000
# An analysis less sure than this goes on the committee's "needs a look" list (Analysis.needs_review).
REVIEW_BELOW = 0.55
# Wishes that say the service fell short, whatever the question: "หวังว่าครั้งหน้าจะดีกว่านี้", "ควรปรับปรุง".
FELL_SHORT = (
    "ครั้งหน้าจะดีกว่านี้",
    "ครั้งหน้าดีกว่านี้",
    "ขอให้ดีกว่านี้",
    "ครั้งหน้าขอให้ดี",
    "หวังว่าจะดีกว่านี้",
    "ครั้งต่อไปจะดีกว่านี้",
    "ปรับปรุงด่วน",
    "ควรปรับปรุง",
    "ต้องปรับปรุง",
    "ควรปรับปรุงด่วน",
    "ปรับปรุงด้วย",
    "แย่กว่านี้",
)
# round 12 (tune31, nlp-pat31): an adjective said twice in an expectation answer ("ได้หมอเก่งๆ", "บริการดีๆ", "รับยาเร็วๆ")
# asks for good ones; it does not report what they got ("ดีมากๆ" does, and is left alone)
REDUP_HOPE = re.compile(r"(?:ดี|เก่ง|เร็ว|ไว|สะอาด|ใจเย็น|สุภาพ|เพราะ|อร่อย|ละเอียด|ชัด|ถูก|สวย|เยอะ|พอ|ยิ้มแย้ม)ๆ")
# round 12 (tune31, nlp-pat31): a hope that next time will not be like this ("หวังว่าครั้งหน้าจะไม่ต้องรอนานขนาดนี้",
# "คราวหน้าอย่าให้เป็นแบบนี้อีก"): this time it was, so the service fell short
# r13 tune34: next time hoped better, told with "คง"/"ขอให้" or "ดีขึ้น" ("หวังว่าคราวหน้าคงดีขึ้น"; LABELLING.md: neg whatever
# the question; every such line of the tuning files is neg)
NEXT_TIME_BETTER = re.compile(r"(?:ครั้ง|คราว|หน|รอบ)(?:หน้า|ต่อไป)\S{0,6}?(?:จะ|คง|ขอให้)?(?:ดีขึ้น|ดีกว่านี้)")
# r13 tune34: a hope with the last visit's fault told ("หวังว่าจะมียาครบ คราวก่อนยาหมด", "…ครั้งก่อนรอ3ชม."): it was not met
LAST_TIME = re.compile(r"(?:ครั้ง|คราว|(?<!ไ)หน)(?:ก่อน|ที่แล้ว)(?!\S{0,4}(?:ๆ|นี้))")
NEXT_TIME_NOT = re.compile(r"(?:ครั้ง|คราว|หน|รอบ)(?:หน้า|ต่อไป)\S{0,8}?(?:ไม่|อย่า)\S{0,24}?(?:ขนาดนี้|แบบนี้|อย่างนี้|อีก)")
# "…กว่านี้" ("more … than this") in a wish compares it with what they got: the service fell short.
FELL_SHORT_COMPARISON = "กว่านี้"
NOT_FELL_SHORT = ("ไม่ต้องปรับปรุง", "ไม่ควรปรับปรุง", "ไม่มีอะไรต้องปรับปรุง", "ไม่มีอะไรควรปรับปรุง")
# A wish for a change starts like this even when the lexicon has no cue for it.
WISH_STARTS = (
    "อยากให้", "อยากได้", "ขอให้มี", "ควร", "น่าจะ", "เพิ่ม", "ลด", "ปรับ", "ทำ", "ให้มี", "ช่วย", "ขอมี", "ขอเพิ่ม",
    # round 12 (tune31, nlp-pat31): "ขอ" + who is asked to change ("ขอพยาบาลพูดเพราะๆกับผู้สูงอายุ")
    "ขอหมอ", "ขอคุณหมอ", "ขอพยาบาล", "ขอเจ้าหน้าที่", "ขอจนท", "ขอเภสัช", "ขอยาม", "ขอรปภ",
)  # fmt: skip
ASK_WHO = tuple(f"ขอ{who}" for who in ("หมอ", "คุณหมอ", "พยาบาล", "เจ้าหน้าที่", "จนท", "เภสัช", "ยาม", "รปภ"))
# A wish for a change anywhere in the answer: "ดีค่ะ ถ้าเปิดวันเสาร์ด้วยจะดีมาก", "ประทับใจ อยากให้เปิดนอกเวลา".
WISH_ANYWHERE = re.compile(
    r"อยากให้|ขอให้มี|(?<!ช่วย)(?<!ดู)ให้หน่อย|ควร(?:จะ)?(?:มี|เพิ่ม|ปรับ|แก้|ทำ)|น่าจะ(?:มี|เพิ่ม|ปรับ)|ถ้า(?:มี|เปิด|เพิ่ม|ปรับ|ได้).{1,40}?(?:จะดี|ก็ดี|คงดี|จะสะดวก)"
)
# "… please" at the end of an answer asks for something ("จัดที่นอนให้ญาติหน่อยค่ะ").
# nlp-r11pat: not a feeling granted to the staff ("ขอบคุณทีมงาน เหนื่อยหน่อยนะคะ": sympathy, no request).
PLEASE_END = re.compile(
    r"(?<!เหนื่อย)(?<!ลำบาก)(?<!อดทน)(?<!ทน)(?:หน่อย|ให้ด้วย)(?:นะ)?(?:คะ|ค่ะ|ครับ|คับ|จ้า|จ้ะ|เด้อ|เน้อ)?$"
)
# A wish that asks for nothing to change (round 7): other wards like this one, health or luck to the staff
# ("อยากให้ทุกแผนกเป็นแบบนี้", "ขอให้หมอสุขภาพดีๆ รวยๆ"). Read on the text with its spaces removed.
PRAISE_WISH = re.compile(
    r"(?:อยากให้|ขอให้)\S{0,30}?(?:เป็นแบบนี้|เป็นอย่างนี้|แบบนี้ตลอด|เหมือนที่นี่|สุขภาพดี|สุขภาพแข็งแรง|รวย|ร่ำรวย|โชคดี|ความสุข|"
    r"รักษา(?:มาตรฐาน|ความดี)?\S{0,6}?ไว้|คงไว้|แบบนี้ต่อไป|ได้บุญ|เฮง|ยิ่งๆขึ้นไป|ยิ่งขึ้นไป|"
    # r10pat: blessings and keeping it up ("ขอให้คุณพระคุ้มครองทุกท่าน", "ขอให้รพ.พัฒนาต่อไปเรื่อยๆ", "ขอให้คงความ
    # เป็นกันเองแบบนี้ไว้")
    r"คุ้มครอง|ตอบแทน|พัฒนา\S{0,8}?(?:ต่อไป|เรื่อยๆ|ขึ้นไป)|คง\S{0,20}?(?:แบบนี้|อย่างนี้)ไว้|"
    # nlp-r11pat: prosperity wished to the hospital ("ขอให้ รพ. เจริญรุ่งเรือง")
    r"(?:เจริญ(?:รุ่งเรือง|ก้าวหน้า)?|รุ่งเรือง)(?:ยิ่งๆขึ้นไป|ยิ่งขึ้นไป|ยิ่งๆ)?)"
    r"(?:ทุกท่าน|ทุกคน|ตลอดไป|เรื่อยๆ|ต่อไป|(?:พี่ๆ|น้องๆ|คุณ)?(?:หมอ|พยาบาล|เจ้าหน้าที่))*"
    # a blessing asked of God or of what is holy ("ขออัลลอฮ์ทรงตอบแทน…", "ขอคุณพระคุ้มครอง")
    r"|ขอ(?:ให้)?(?:อัลลอฮ์|พระเจ้า|คุณพระ|สิ่งศักดิ์สิทธิ์|พระ)\S{0,30}?(?:คุ้มครอง|ตอบแทน|อวยพร|ประทาน)(?:ความดี)?\S{0,12}?(?:ทุกท่าน|ทุกคน)?"
)
# "ไม่มี" first, then praise: nothing to complain about because all was well.
NOTHING_STARTS = ("ไม่มี", "บ่มี", "ไม่ต้อง", "ไม่มีอะไร", "ไม่มีค่ะ", "ไม่มีครับ", "ทุกวันนี้ก็ดี", "ดีหมดแล้ว")
# "Nothing to add / to suggest" after thanks: the answer asks for no change ("ขอบคุณค่ะ ไม่มีอะไรเพิ่ม").
NOTHING_TO_ADD = (
    "ไม่มีอะไรเพิ่ม", "ไม่มีเพิ่ม", "ไม่มีอะไรจะเพิ่ม", "ไม่มีอะไรจะเสนอ", "ไม่มีข้อเสนอ", "ไม่มีอะไรจะแนะนำ",
    "ไม่มีอะไรจะติ", "ไม่มีอะไรต้องแก้", "ไม่มีอะไรจะบอก",
)  # fmt: skip
# A first clause that says there is nothing to report ("ไม่มีค่ะ", "ไม่มีไรไม่พอใจ", "บ่มีเด้อ"), then more after a
# space: its "ไม่มี" negates nothing that follows ("ไม่มี พอใจมากค่ะ" is "nothing; very satisfied"), and its own
# "ไม่พอใจ" is not a grievance. Matched on the first clause with its spaces removed.
NOTHING_LEAD = re.compile(
    r"(?:ไม่|บ่|ม่าย|มะ)มี(?:ไร|อะไร|หยัง|อีหยัง|สิ่ง|ที่|ข้อ|เลย|ส่วน|ความ)*"
    r"(?:มาก|มากมาย|หลาย)?"  # "ไม่มีไรมาก", "บ่มีหยังหลาย": nothing much
    r"(?:ไม่พอใจ|ไม่ชอบ|ไม่ประทับใจ|ต้องติ|จะติ|ติ|ต้องปรับปรุง|ต้องปรับ|ปรับปรุง|ต้องแก้|ตำหนิ)?(?:แล้ว|เลย)?"
    r"(?:ค่ะ|คะ|ค่า|ครับ|คับ|ค้าบ|จ้า|จ้ะ|เจ้า|เด้อ|เน้อ|นะ|น้า|ฮะ|ๆ)*(?:ผม)?"  # r13 tune34: "ไม่มีคับผม"
)
# "No change needed" ("ไม่ต้องปรับปรุงแล้ว", "ไม่ต้องปรับอะไร", "ไม่มีอะไรต้องแก้"): praise, no request (read squeezed).
NO_CHANGE = re.compile(r"(?:ไม่ต้อง|บ่ต้อง|ไม่จำเป็นต้อง|ไม่มีอะไร(?:ที่)?(?:ต้อง|ควร|จะ))(?:ปรับ|แก้|เปลี่ยน)")
# A past the writer compares with ("ปีก่อนรอเป็นชั่วโมง", "เหมือนแต่ก่อน"): a fault no longer met.
PAST_BEFORE = re.compile(r"(?:ปีก่อน|ปีที่แล้ว|แต่ก่อน|เมื่อก่อน|สมัยก่อน|ครั้งก่อน|คราวก่อน|หนก่อน)(?:ที่|นั้น|นู้น|โน้น)?(?:ก็|ต้อง)?$")
# Wishing to get well ("อยากหายไวๆ", "ขอให้หายเร็วๆ") names no care that was judged: the topic model's clinical_care
# read from "หาย" is not kept (LABELLING.md: "อยากหายไวๆ" is neutral with no topic).
WISH_TO_RECOVER = re.compile(
    r"(?:อยาก|ขอให้|หวังว่า|คาดหวังว่า)(?:จะ)?(?:ได้)?\S{0,16}?"
    # r10pat: "ขอให้ลูกหายไข้ไวๆ"
    r"(?:หาย(?:ไข้|ป่วย|เจ็บ|ปวด)?(?:ไว|เร็ว|ดี|ขาด|ป่วย)|อาการ(?:ดีขึ้น|ทุเลา|หาย))"
)
# An expectation met told by saying it again ("คาดหวังว่าจะยิ้มแย้ม ก็ยิ้มแย้มดีจ้า"): a last clause "ก็ … ดี", no "ถ้า"
# ("…ฟังปอดด้วยก็ดี" is a wish). Read on the normalised text, spaces kept.
MET_AGAIN = re.compile(r"(?:^|\s)ก็\S{0,16}?ดี(?:จริง|มาก|เลย)?(?:จ้า|จ้ะ|ค่ะ|คะ|ครับ|คับ|นะ|เด้อ|เน้อ)*$")
# What may be left of an answer once its well-wishing is taken out, for it to be well-wishing only.
WISH_LEFTOVER = re.compile(r"(?:ค่ะ|คะ|ค่า|ครับ|คับ|นะ|น้า|จ้า|จ้ะ|เด้อ|เน้อ|ๆ|[.!~])*")
# r10pat: a fault only feared or supposed before "but" ("คาดว่าจะแพงแต่ไม่แพงเลย", "นึกว่าจะรอนาน แต่ไม่เลย"): none met.
# (r13 tune34: a few words between, and "คง" for "จะ": "คิดว่าพาลูกมาคงรอนาน แต่…ได้ตรวจก่อน")
SUPPOSED_BEFORE = re.compile(r"(?:คาด|นึก|คิด|กลัว)(?:ไว้)?(?:ว่า)?(?:\S{0,10}?(?:จะ|คง))?(?:ต้อง)?$")
# r10pat: "never before so …" ("ไม่เคยได้ตรวจเร็วขนาดนี้", "ไม่เคยเจอหมอใจดีเท่านี้"): emphatic praise, not a negation.
NEVER_SO_AFTER = re.compile(r"(?:ขนาด|เท่า|แบบ|อย่าง)นี้|มาก่อน")
# "Nothing" right before a complaint word denies it ("ไม่มีอะไรที่ไม่ชอบ", "บ่มีหยังบ่พอใจ"), wherever it stands.
NOTHING_BEFORE = re.compile(r"(?:ไม่|บ่|ม่าย)มี(?:อะไร|ไร|หยัง|อีหยัง|ตรงไหน|จุดไหน|ส่วนไหน|สิ่งไหน)(?:เลย)?(?:ที่|ให้|จะ|ต้อง)?$")
# A concession that names what was not good by exception: the topic after it is a fault.
EXCEPT_CONTRAST = frozenset({"ยกเว้น", "ติดแค่", "ติดตรง", "ติดที่", "เสียอย่างเดียว"})
NOTHING_NEGATIVE = ("ไม่มีความไม่พอใจ", "ไม่มีอะไรไม่พอใจ", "ไม่มีอะไรที่ไม่พอใจ", "ไม่มีข้อไม่พอใจ", "ไม่มีข้อตำหนิ")
SATISFIED = ("ดีแล้ว", "ดีอยู่แล้ว", "โอเค", "พอใจ", "ประทับใจ", "ดีหมด", "ดีทุกอย่าง", "ได้ตามหวัง", "ดีมาก")
# An expectation answer that says it was met is praise ("ได้ตามที่คาดหวังไว้ค่ะ"); one that only wishes is not.
EXPECTATION_MET = (
    "ตามที่คาด",
    "ตามคาด",
    "เกินคาด",
    "เกินความคาด",
    "คาดหวังไว้",
    "ประทับใจ",
    "ดีอยู่แล้ว",
    "ดีแล้ว",
    "ดีมากแล้ว",
    "ขอบคุณ",
    "ขอบคุน",
    "ได้ตามที่",
    "สมหวัง",
    "ได้รับแล้ว",
    "ครบแล้ว",
    "ก็ได้",
    "ได้จริง",
    "ทำได้จริง",
    "กว่าที่คิด",
    "ตามที่หวัง",
    "สมกับ",
    "ได้ตามหวัง",
    "อย่างที่กลัว",
    "อย่างที่คิด",
    "หายแล้ว",
    "ตามนั้น",
    "มากกว่าที่คาด",
    "ตรงปก",  # r10pat: teenagers' "as advertised"
    "ขอบใจ",  # pat27: Northern and Isan thanks, as "ขอบคุณ"
    # round 12 (tune31, nlp-pat31): a fear at first, answered after it ("ตอนแรกกลัวค่าใช้จ่ายเยอะ แต่บัตรทองครอบคลุมหมด")
    "ตอนแรกกลัว", "ทีแรกกลัว", "ตอนแรกคิดว่า", "ทีแรกคิดว่า", "ตอนแรกนึกว่า", "ทีแรกนึกว่า",
    # r13 tune34: "as I wanted" ("หมอคุยเก่ง ให้ถามได้เต็มที่ อย่างที่อยากได้เลย")
    "อย่างที่อยากได้", "อย่างที่อยาก", "อย่างที่หวัง", "อย่างที่ต้องการ", "ตามที่อยากได้", "ตามที่ต้องการ",
)
# nlp-r11pat: a whole answer that is "more … than this" ("หมอเยอะกว่านี้", "อาหารอร่อยกว่านี้"; not "ไม่…"): more than
# they got, hoped for (read on the text with its spaces removed); "อยากได้…" is a general wish (LABELLING.md).
MORE_THAN_THIS = re.compile(r"^(?!\S{0,30}?(?:ไม่|อยากได้))\S{0,30}?กว่านี้(?:หน่อย|อีก|นิดนึง)?(?:ค่ะ|คะ|ครับ|คับ|นะ|จ้า)*$")
# A wish in the expectation question that asks for a change: more, less or sooner than what they got.
EXPECTATION_CHANGE = re.compile(
    r"(?:อยาก(?:ให้|ได้|เห็น|รู้)|คาดหวัง(?:ให้|ว่า)|หวังว่า|ขอให้)\S{0,40}?"
    # (round 12, tune31, nlp-pat31: not "บ้าง" of "อะไรบ้าง"/"ไหนบ้าง": "อยากรู้…อะไรบ้าง" asks, it changes nothing)
    r"(?:(?<!ดี)ขึ้น(?!อยู่)|(?<!ลด)(?<!ทอง)ลง(?:หน่อย|บ้าง|อีก|มา)?$|ถูกลง|(?<!อะไร)(?<!ไหน)บ้าง|(?<!จ่าย)เพิ่ม)"
    # nlp-r11pat: what other hospitals have ("หวังว่าจะมีที่นั่งพระแยก เหมือน รพ.อื่นเขามีกัน"; not "ไม่ต้องรอนานเหมือนที่อื่น")
    r"|(?<!ไม่)เหมือน(?:รพ\.?|โรงพยาบาล|โรงบาล|ที่)(?:\S{0,8}?)อื่น(?:เขา|ๆ)?(?:ก็)?มี"
    # round 12 (tune29 patient): an interpreter, a service the hospital lacks (LABELLING call 1: "อยากมีคนแปลภาษา")
    r"|(?:อยาก|ขอ)(?:ให้)?(?:มี|ได้)(?:คน|ล่าม|เจ้าหน้าที่)?(?:ช่วย)?แปล(?![กง])|(?:อยาก|ขอ)(?:ให้)?(?:มี|ได้)ล่าม"
    r"|" + MORE_THAN_THIS.pattern
)
EXPECTATION_WISH = ("อยาก", "ขอให้", "คาดหวังว่าจะ", "คาดหวังให้", "หวังว่า", "ต้องการ", "ขอแค่", "ไม่อยาก",
                    # round 12 (tune31, nlp-pat31): "ขอ" + who is asked ("ขอพยาบาลพูดเพราะๆกับผู้สูงอายุ")
                    "ขอหมอ", "ขอคุณหมอ", "ขอพยาบาล", "ขอเจ้าหน้าที่", "ขอจนท", "ขอเภสัช", "ขอยาม", "ขอรปภ")
THANKS = frozenset({"ขอบคุณ", "ขอบคุณค่ะ", "ขอบคุณครับ", "ขอบคุณมาก", "ขอบพระคุณ", "ขอบใจ"})
# round 12 (tune29 patient): a wish that it not happen "again like this" ("หวังว่าครั้งหน้าจะไม่ต้องรอทั้งวันแบบนี้อีก",
# "ขอให้ไม่ต้องเจอแบบวันนี้อีก"): the fault was met today, negative; not a hope for more of the same ("อยากให้เป็น
# แบบนี้อีก"). (A wish with "ไม่ใช่ <what happened>" after it stays neutral: tune10 and tune20 label six such neu.)
# round 12 (tune29 patient): a wait put down to the staff who are too few (see analyse)
WAIT_BLAMED = re.compile(
    r"(?:ไม่แปลก(?:เลย)?(?:ที่|ถ้า)|ก็เลย|เลย|ถึง(?:ได้)?)(?:ต้อง)?รอ(?:คิว)?นาน(?:มาก)?|"
    r"รอ(?:คิว)?นาน(?:มาก)?(?:ก็)?(?:เพราะ|เนื่องจาก)(?:ว่า)?(?:มี)?(?:หมอ|แพทย์|แพท|พยาบาล|เจ้าหน้าที่|จนท)"
)
WISH_NOT_THIS = re.compile(
    r"(?:ควร|อยากให้|ขอให้|หวังว่า|คาดหวัง|อยาก)\S{0,40}?(?:ไม่|อย่า)\S{1,30}?(?:แบบนี้|อย่างนี้|แบบครั้งนี้|แบบวันนี้)อีก"
)
# pat27: praise around a long wait told as if short ("ดีมากค่ะ รอแค่ 4 ชม. เอง", "เยี่ยม ได้คิว 230 เรียกตอนบ่ายสาม"):
# sarcasm, a fault. A short wait so told ("รอแค่ 10 นาทีเอง") is praise. Read on the text with its spaces removed.
IRONIC_WAIT = re.compile(
    r"(?:รอ|คิว|ตรวจ|เรียก|ได้ยา)\S{0,12}?(?:แค่|เพียง)(?:[2-9]|[1-9]\d)(?:ชม\.?|ชั่วโมง)(?:ครึ่ง)?(?:เอง|เท่านั้น)|"
    r"(?:แค่|เพียง)(?:ครึ่งวัน|ทั้งวัน|[2-9]วัน)(?:เอง|เท่านั้น)|"
    r"ได้คิว(?:ที่)?[1-9]\d{2}\S{0,16}?(?:บ่าย|เย็น|ค่ำ)"
)
# pat27: a fault of the past, now better ("ตอนแรกไม่พอใจเรื่องรอ แต่ตอนนี้ดีขึ้นเยอะแล้ว"): praise of the change, with
# nothing after it but intensifiers and particles.
IMPROVED_NOW = re.compile(
    r"(?:ตอนแรก|แต่ก่อน|เมื่อก่อน|ครั้งก่อน|คราวก่อน|ปีก่อน|ปีที่แล้ว)\S{0,40}?(?:ตอนนี้|เดี๋ยวนี้|ปีนี้|ครั้งนี้|รอบนี้)"
    r"\S{0,12}?(?:ดีขึ้น|ไวขึ้น|เร็วขึ้น|สะอาดขึ้น|ปรับปรุงแล้ว|แก้แล้ว|แก้ไขแล้ว)"
    r"(?:เยอะ|มาก|เลย|แล้ว|จริงๆ|นะ|น้า|ค่ะ|คะ|ค่า|ครับ|คับ|จ้า|เด้อ|เจ้า|ๆ|[.!])*$"
)
# pat27: a scare that ended well, thanked for in a compliment ("หน้าเขียว … ลูกอมหลุดออกมา ขอบคุณมากๆ", "หน้าบวม …
# 2 ชม.ยุบหมด ขอบคุณที่ดูแลไว", "กระเป๋าหาย แต่แม่บ้านเก็บได้ ขอบคุณ"): praise, whatever harm words tell the scare.
SCARE_RESOLVED = re.compile(r"หายดี|หายแล้ว|ยุบ|ปลอดภัย|รอด|ช่วย\S{0,14}?ไว้|ไว้ทัน|หลุดออก|เก็บได้|คืน(?:ครบ|ให้)|"
                            r"กลับบ้าน(?:ได้)?แล้ว|ดีขึ้นแล้ว|"
                            # r13 (tune32 patient): operated on at once, walking again, hardly a scar ("ผ่าตัดให้ทันที",
                            # "ตอนนี้เดินได้แล้ว", "แทบไม่มีแผลเป็น")
                            r"(?<!ไม่ได้)(?<!ไม่)(?:ผ่าตัด|รักษา|เย็บแผล)(?:ให้)?ทันที|(?:เดิน|ลุก|วิ่ง)ได้แล้ว|(?:แทบ|แทบจะ)?ไม่มีแผลเป็น")
HELPED_AROUND = re.compile(r"ช่วย(?:ยก|เข็น)\S{0,12}")  # r13: see the parking_access rule in analyse
WHO_HELPED = frozenset({"ยาม", "รปภ", "รปภ.", "จนท", "จนท.", "เจ้าหน้าที่", "เวรเปล"})  # r13: named only
# r13 (tune32 patient): a worried question sent to the complaint channel — what happened told, then what to do asked
# ("…นิ้วเท้าบวมม่วงๆ ต้องกลับไป รพ.เลยไหมคะ", "โดนหมากัด … ต้องฉีดวัคซีนกี่เข็มครับ"), with no fault of anyone in it
WHAT_TO_DO = re.compile(r"(?:^|\s)(?:ต้อง|ควร|มี|จะ(?!ให้))[^\n]{0,30}?(?:ไหม|มั้ย|ยังไง|อย่างไร|กี่\S{0,8}|ที่ไหน)"
                        r"(?:คะ|ครับ|คับ|ค่ะ|นะ|เจ้า|เด้อ)?\??$")
WORRY_FAULT = re.compile(r"ทำไม|ไม่(?!สบาย|หาย)|ผิด|ช้า|นาน|แย่|ด่า|ตะคอก|เสียงดัง|พอใจ|ร้องเรียน|แพง")
# r13 (tune32 patient): an expectation told as met now, after the wish ("อยากกลับมาเดินได้ ตอนนี้เดินได้แล้ว", "หวังว่าจะ
# มองเห็นชัดขึ้น ตอนนี้ลอกต้อแล้ว…"), or a fear told before "แต่" and good news after it ("คิดว่าต้องรอทั้งวัน แต่เสร็จก่อนเที่ยง",
# "กลัวหาที่จอดไม่ได้ แต่มี รปภ.ช่วยเข็น…")
PURPOSE = re.compile(r"จะได้(?:ไม่ต้อง|ไม่|สะดวก|เร็ว|ไว)")  # r13: a suggestion's purpose clause
NOW_MET = re.compile(r"ตอนนี้\S{0,20}?(?:แล้ว|ได้)")
FEARED_OPEN = re.compile(r"(?:กลัว|กังวล)|(?:ตอนแรก)?(?:คิด|นึก)ว่า(?:(?!แต่)\S){0,30}?ต้อง")  # a burden feared
# pat27: a LINE question about a past illness or event or about news ("เคยเป็นคอตีบตอนเด็ก … ฉีดวัคซีนกี่เข็มคะ",
# "เห็นข่าว…ที่ รพ.อื่น … ที่นี่มี…ไหมคะ"): a question, neutral and no complaint, whatever harm words it retells.
ASKED_END = re.compile(r"(?:ไหม|มั้ย|ยังไง|อย่างไร|เท่าไหร่|เท่าไร|กี่\S{0,10}|ที่ไหน|หรือเปล่า|รึเปล่า|หรือยัง|เมื่อไหร่|เมื่อไร)"
                       r"(?:คะ|ครับ|คับ|ค่ะ|จ๊ะ|จ้า|นะ|เจ้า|เด้อ)?\??$")
RETOLD = re.compile(r"เคย|ตอนเด็ก|ปีก่อน|ปีที่แล้ว|ข่าว")
THANKS_LAST = re.compile(r"(?:ขอบคุณ|ขอบใจ|ขอบพระคุณ)(?!\S{0,40}?(?:แต่|ไม่|ช้า|นาน|แย่))\S{0,40}$")
THANKS_TYPED = ("ขอบคุณ", "ขอบใจ", "ขอบคุน", "ขอบพระคุณ", "สุขสันต์")  # as typed, typos too
# Words the topic model must not tag a topic on alone: praise that mentions feeling safe, wishes for
# development and "a refuge for the people" are not about safety or privacy (issue 14).
# Thanks to "the doctors and nurses, everyone" names whom, not how they behaved (round 7): in a thanks
# message these model features alone do not tag staff_behavior.
THANKED_STAFF = frozenset({
    "หมอ", "คุณหมอ", "พยาบาล", "หมอพยาบาล", "ทุกคน", "ทุกท่าน", "พยาบาลทุกคน", "หมอทุกคน", "เจ้าหน้าที่",
    "เจ้าหน้าที่ทุกคน", "ขอบคุณ", "ขอบใจ", "ขอบคุณหมอ", "ขอบคุณพยาบาล", "คุณหมอพยาบาล", "วันพยาบาล",
    # r10pat: whom, told the family way ("ขอบคุณน้องพยาบาล…")
    "น้องพยาบาล", "พี่พยาบาล", "พี่ๆพยาบาล", "น้องๆ", "พี่ๆ",
})  # fmt: skip
# r10pat: a price word alone beside food ("ร้านอาหารในรพ.ขายแพง", "ข้าวในโรงอาหารก็แพง") is the food shop's (LABELLING.md,
# heldout8: prices in the hospital's food shops are food only); a charge named ("ค่าอาหารญาติ") stays cost_rights.
# round 12 (tune31, nlp-pat31): communication evidence that only names the steps being told
STEPS_TOLD = re.compile(r"(?:อยากให้|ขอให้|ควร)?(?:บอก|อธิบาย|แนะนำ|แจ้ง)ขั้นตอน\S{0,16}|อธิบาย|บอก|แนะนำ|ว่า")
ASKING_OPEN = re.compile(r"(?:ขอ)?(?:สอบถาม|ถาม)|อยาก(?:ทราบ|รู้|ถาม)|รบกวน(?:สอบ)?ถาม|เรียนถาม")  # round 12 (tune31)
# r13 (tune32 patient): a question asked in clauses — each clause asks ("เยี่ยมได้กี่โมงคะ ต้องเตรียมเอกสารอะไรบ้าง"),
# a short piece belongs to the clause before it ("…ที่ รพ. ไหมคะ", "คลินิกหู คอ จมูก"), and a first clause may only
# name the clinic or the right asked about ("คลินิกตา เปิดวันไหนบ้าง"), with no act or fault in it
CLAUSE_ASKS = re.compile(r"(?:ไหม|มั้ย|ยังไง|อย่างไร|เท่าไหร่|เท่าไร|กี่\S{0,10}|ไหน(?:บ้าง)?|หรือเปล่า|รึเปล่า|หรือยัง|"
                         r"เมื่อไหร่|เมื่อไร|อะไรบ้าง|ได้ไหม|บ้าง)(?:คะ|ครับ|คับ|ค่ะ|จ๊ะ|จ้า|นะ|เจ้า|เด้อ)?\??$")
ASKED_ABOUT = re.compile(r"(?:คลินิก|ห้อง|ตึก|แผนก|ศูนย์|สิทธิ์?|บัตร|ข้าราชการ|ประกันสังคม)\S{0,16}$")
NOT_NAMING = re.compile(r"ไม่|บ่|ปิด|ช้า|นาน|ทุก|แต่|อีก|เลย|ตลอด|ต้อง|แล้ว")


def asked_in_clauses(norm: str) -> bool:
    """r13: every clause of the text asks (see CLAUSE_ASKS); the first may only name what is asked about."""
    clauses: list[str] = []
    for piece in norm.split():
        if clauses and len(piece) <= 5:
            clauses[-1] += piece
        else:
            clauses.append(piece)
    if len(clauses) < 2:
        return bool(clauses) and CLAUSE_ASKS.search(clauses[0]) is not None
    first, rest = clauses[0], clauses[1:]
    lead = CLAUSE_ASKS.search(first) is not None or (
        ASKED_ABOUT.match(first) is not None and NOT_NAMING.search(first) is None
    )
    return lead and all(CLAUSE_ASKS.search(c) is not None for c in rest)
BELONGING = re.compile(r"กระเป๋า|มือถือ|โทรศัพท์|กุญแจ|แว่น|ของหาย|ลืม\S{0,6}ไว้|บัตรประชาชน")  # round 12 (tune31)
PRICE_ONLY = re.compile(r"(?:ราคา)?(?:แพง|ถูก)(?:ไป|มาก|กว่า|ลง)?\S{0,4}|ราคา\S{0,6}")
# r13 tune34: "late" said with no staff before it ("มาสายนิดเดียวที่จอดเต็ม", "ทำไมมาช้า" said to the patient, "อาหารมาเย็นชืด
# มาช้า", "ผลส่งมาช้า", "รถ refer มาช้า") is the patient, a meal, a result or a car late, not the staffing
LATE_BARE = re.compile(r"มา(?:ช้า|สาย)")
LATE_WHO = re.compile(
    r"หมอ|แพท|แพด|พยาบ|เจ้าหน้าท|จนท|บุคลากร|พนักงาน|เภสัช|เวรเปล|ผู้ช่วย|นักกายภาพ|นักศึกษา|อาจารย์|เรียก\S{0,6}แล้ว"
)
# r13 tune34: a fire drill that alarmed the ward ("ทีหลังบอกว่าซ้อมดับเพลิง ไม่มีใครแจ้งล่วงหน้า"): the telling
# (communication), no fire; its alarm's words tag no safety or environment beside it
DRILL = re.compile(r"ซ้อม(?:ดับเพลิง|หนีไฟ|อพยพ|เพลิง|ไฟไหม้)")
FIRE_WORDS = re.compile(r"(?:สัญญาณ)?(?:ไฟไหม้|หนีไฟ|ดับเพลิง|เพลิงไหม้|ควันไฟ|สัญญาณ)\S{0,6}")
# r13 tune34: a right or card that only introduces the writer ("บัตรทองครับ ส่งตัวจาก…", "ผมใช้ประกันสังคม ลางานได้…"),
# with nothing about money or the right after it (LABELLING.md: a card or right only named is no cost_rights)
CARD_INTRO = re.compile(
    r"(?:ผม|ฉัน|หนู|ข้อย|ดิฉัน|เรา|แม่|พ่อ|ยาย|ตา)?(?:ใช้|เป็น|มี)?(?:สิทธิ์?|บัตร)?(?:บัตรทอง|ประกันสังคม|ปกส\.?|30บาท|ข้าราชการ|uc)"
    r"(?:\S{0,8})?(?:ครับ|ค่ะ|คะ|คับ|จ้า|นะ)?"
)
CARD_WORDS = re.compile(r"(?:สิทธิ์?)?(?:บัตรทอง|ประกันสังคม|ปกส\.?|30บาท|ข้าราชการ|uc)")
MONEY_TOLD = re.compile(r"สิทธิ|จ่าย|เงิน|บาท|เบิก|ฟรี|ราคา|แพง|ครอบคลุม|ใช้(?:ได้|ไม่ได้|บ่ได้)|ย้าย|โอน")
# r13 tune34: what a queue is for, named after "คิว" ("คิวรับยากับคิวจ่ายเงินแยกกัน", "แยกคิวฉีดวัคซีนกับเด็กป่วย") is the
# queue's organisation (process), not the drug, the bill or the jab
QUEUE_FOR = re.compile(r"คิว(\S{1,20}?)(?=กับ|แยก|ไม่|ก็|$)")
# r13 tune34: nobody told where to go next ("ไม่มีใครบอกว่าต้องไปเจาะเลือดก่อน"): the process's, not communication
NEXT_UNTOLD = re.compile(r"(?:ไม่มี(?:ใคร|คน)|ไม่)(?:มา)?(?:บอก|แนะนำ|แจ้ง)(?:ว่า)?ต้อง(?:ไป|เดิน)")
# r13 tune34: nobody told beforehand beside a price ("ต้องจ่ายค่าห้องพิเศษเพิ่ม ไม่มีใครบอกก่อน") is the price's (LABELLING.md:
# information only about a price is cost_rights); a guard who looks after people is manners, not care
UNTOLD_BEFORE = re.compile(r"ไม่มี(?:ใคร|คน)(?:มา)?(?:แจ้ง|บอก|ประกาศ)(?:ให้(?:รู้|ทราบ))?(?:ก่อน|ล่วงหน้า)\S{0,4}")
GUARD_CARE = re.compile(r"(?:ยาม|รปภ)\S{0,12}?ดูแลดี")
# r13 tune34: diet advice ("หมอแนะนำเรื่องอาหารดี") is the telling (communication), not a meal (LABELLING.md: "อาหาร" in a
# clinical instruction is no food)
DIET_ADVICE = re.compile(r"(?:แนะนำ|สอน|อธิบาย|บอก)(?:เรื่อง)?(?:การ)?(?:กิน|ทาน|เลือก|คุม)?อาหาร")
UNTOLD_WORDS = re.compile(r"ไม่มี(?:ใคร|คน)(?:มา)?(?:บอก|แนะนำ|แจ้ง)(?:ว่า)?|ไม่(?:บอก|แจ้ง)(?:ว่า)?")
NOT_TOPIC_EVIDENCE = {
    "safety_privacy": ("ปลอดภัย", "รู้สึกปลอดภัย", "ปลอดภัยดี", "ความปลอดภัย", "พัฒนา", "ที่พึ่ง", "อบอุ่นใจ", "อุ่นใจ"),
}
# How sure a rule makes the label (the fused probability when no rule decided).
RULE_CONFIDENCE = {
    "nothing": 0.95, "incident": 0.85, "negation": 0.8, "lexicon": 0.8, "problem": 0.8, "short_praise": 0.75,
    "none_then_praise": 0.75, "wish": 0.7, "fell_short": 0.75, "expectation": 0.7, "expectation_met": 0.7,
    "corrections": 0.75, "context": 0.6, "mixed": 0.6, "suggestion": 0.6, "question": 0.7,
}  # fmt: skip
# Topics whose aspect words are everyday hospital nouns or places, named in passing far more often than
# judged ("ยา", "ผ่าตัด", "คิว", "ลานจอดรถ"); food, cost, the building and the service's steps are rarely
# named unless they are the point (tuning k-fold: judging process aspects too loses more than it gains).
JUDGED_TOPICS = frozenset({"waiting", "communication", "clinical_care", "medication", "parking_access"})
# A duration judges a wait ("รอหมอ 3 ชั่วโมง", "รอเตียงสองวัน").
DURATION_WORDS = frozenset({"ชั่วโมง", "ชม", "ชม.", "ครึ่งวัน", "ทั้งวัน", "ทั้งคืน", "วัน", "สัปดาห์", "อาทิตย์", "เดือน", "นาน"})
DURATION_PREFIXES = ("ชั่วโมง", "ครึ่งวัน", "ทั้งวัน", "นาน")
# General words that do not judge the aspect next to them: symptoms, thanks, and speed (which is waiting's).
NOT_JUDGING = SYMPTOM_WORDS | frozenset({"ขอบคุณ", "ขอบคุณค่ะ", "ขอบคุณครับ", "ขอบคุณมาก", "ขอบใจ", "ช้า", "รวดเร็ว", "รอนาน",
                                        "ขอชม", "อยากชม", "ฝากชม"})  # r10pat: praising whom, not what
# Speed and symptoms after a staff noun judge the wait or the illness, not the staff ("ห้องบัตรช้ามาก").
NOT_JUDGING_STAFF = SYMPTOM_WORDS | frozenset({"ช้า", "รวดเร็ว", "รอนาน"}) | frozenset({
    # round 12 (tune29 patient): a season's greeting to the staff judges nobody ("สวัสดีปีใหม่ค่ะ คุณหมอทุกคน")
    "สวัสดีปีใหม่", "สุขสันต์วันปีใหม่", "happy new year", "เมอรี่คริสต์มาส", "merry christmas",
    # and a blessing ("ขอให้ทุกคนสุขภาพดีนะคะ")
    "สุขภาพดี", "สุขภาพแข็งแรง", "มีความสุข", "โชคดี",
    # r13 tune34: the next thanks after a staff noun ("ขอบคุณหมอ ขอบคุณพยาบาล"): whom, not how they behaved
    "ขอบคุณ", "ขอบคุณค่ะ", "ขอบคุณครับ", "ขอบคุณมาก", "ขอบใจ", "ขอบพระคุณ",
})
# round 12 (tune29 patient): skill praised after a carer ("หมอตาเก่งมาก", "พยาบาลเก่งมากกก เจาะเลือดไม่เจ็บ") judges
# the care, not manners: the target tags clinical_care (28 of 34 such tuning lines carry no staff_behavior; the other
# six name a manner beside it, "ใจเย็น", "ห้วน", "ปลอบ").
SKILL_WORDS = frozenset({"เก่ง", "เก่งมาก", "เก่งจริง", "เก่งสุด"})
SKILL_BETWEEN = frozenset({"ตา", "ฟัน", "เด็ก", "กระดูก", "ent", "หู", "ผ่าตัด", "ศัลย์", "ผิวหนัง", "ก็", "ที่นี่"})
TOPIC_WEIGHTS = {
    "negative": 0.9,
    "positive": 0.9,
    "aspect": 0.6,
    "target": 0.75,
    "context": 0.5,
    "secondary": 0.75,
    "secondary_positive": 0.75,
}
TOPIC_POLAR = ("negative", "positive", "secondary", "secondary_positive")
# Incident reports (_cause_topics): tags learnt from labelled reports stay whatever the NRLS codes say; a lone
# tag of other kinds than these (a place, a harm word, a weak cue) yields to a topic the suggested codes
# back with at least CAUSE_VOTE_REPLACES of score.
LEARNT_KINDS = frozenset({"model", "corrections", "cause"})  # "cause": nlp.nrls.contributing_causes
# nlp-inc21: what makes clinical_care a cause beside a cause the narrative names: the care judged wrong
# ("วินิจฉัยผิด", "ไม่ได้ประเมิน"), or the topic model's or the hospital's corrections' own tag.
CARE_JUDGED_KINDS = frozenset({"negative", "model", "corrections"})
INFECTION_NAMED = re.compile(r"\b(?:ssi|cre|esbl|mrsa|vap|cauti|clabsi|hai)\b|ติดเชื้อในโรงพยาบาล|เชื้อดื้อยา")
STRONG_CAUSE_KINDS = frozenset({"negative", "target", "aspect", "model", "corrections", "severity"})
CAUSE_VOTE_REPLACES = 0.5
# How a drug heard only as the treatment of another event is tagged (the severity rules' drug cue, "ยา" beside harm):
# no medication cause unless a code or a contributing cause says so (r10inc).
TREATMENT_DRUG_KINDS = frozenset({"severity", "context"})
# A wait is what followed a cause more often than the cause: where the narrative's only topic is waiting and the
# codes back another topic with at least CAUSE_VOTE_ADDS, that topic is the cause beside the wait ("ESI 2 ถูก
# triage เป็น ESI 4 รอ 50 นาที": under-triage, and the wait it caused).
CAUSE_VOTE_ADDS = 0.8
# Among several tags, the codes back those with at least this share of the best-backed tag's vote.
CAUSE_VOTE_SHARE = 0.5
# Topic evidence that yields to any stronger evidence for another topic.
WEAK_KINDS = frozenset({"context", "secondary", "secondary_positive"})
# nlp-inc26 (tune26): a harm a report denies names no topic ("ไม่มีผป.ได้รับอันตราย", "ไม่มีเอกสารสูญหาย", "ข้อมูลไม่
# สูญหาย"): a lexicon tag whose every word stands only inside such a denial is dropped (the denial sits further
# from the word than the lexicon's one-word negation reaches).
INC26_DENIED_HARM = re.compile(
    r"(?:ไม่มี|ไม่ได้|ยังไม่|ไม่พบ|ไม่)\s*(?:ผู้ป่วย|ผป\.?|ผู้ใด|ใคร|คน|ราย(?:ใด)?|เอกสาร|ข้อมูล|ผู้รับบริการ)?\S{0,8}?\s*"
    r"(?:ได้รับ|มี|เกิด|ต้อง)?\s*(?:อันตราย|สูญหาย|บาดเจ็บ|ขาดยา|ขาดออกซิเจน)|(?:ข้อมูล|เอกสาร)\S{0,6}\s*ไม่\s*สูญหาย"
)
# nlp-inc26: a wait the lexicon heard ("ผป.รอนาน", "ผลออกช้า") after an outage or a lost record the narrative names
# as the cause is that cause's consequence (round 6: not "ผป.รอนาน" as the consequence of an outage), unless the wait
# itself is told as a cause (its length for something named: nlp.nrls.WAITING_CAUSE) or a model learnt it.
INC26_OUTAGE_CAUSES = frozenset({"environment", "process"})
# nlp-inc26: harm an incident report names that is not this patient's or did not happen, read out before the severity
# and sentinel cues (_inc26_harm_text): a CPR on another bed or in the census that kept the staff away ("พยาบาลไปช่วย
# CPR เตียงอื่น", "มี CPR เตียง 9", "ดูแลผป.วิกฤติ 3 ราย (CPR 1 ราย"), an ICU stay, a want of oxygen or haemolysis
# denied with the patient between ("ไม่มีรายใดต้องย้าย ICU", "ไม่มีผป.ขาดออกซิเจน"), a fire alarm's name ("สัญญาณแจ้งเหตุ
# เพลิงไหม้"), a patient already ventilated as the setting of another event ("ผป. on ETT 7 วัน เกิดแผลกดทับ"); skin
# burnt with the body part between ("ผิวหนังต้นขาไหม้") is a burn wound, not a fire.
INC26_NOT_THIS_HARM = re.compile(
    r"(?:ไป)?ช่วย\s*(?:ทำ\s*)?(?:cpr|กู้ชีพ|ปั๊มหัวใจ)\s*(?:ผป\.?|ผู้ป่วย)?\s*(?:เตียง|ห้อง|bed)\s*(?:อื่น|\d+)|"
    r"(?:มี|และ(?:มี)?)\s*(?:cpr|code\s*blue)\s*(?:ผป\.?|ผู้ป่วย)?\s*(?:เตียง|ห้อง|bed)\s*\d+|"
    r"(?:ดูแล|รับ)[^\n]{0,40}?(?:cpr|code\s*blue)\s*\d+\s*ราย|"
    r"ไม่มี\s*(?:ผป\.?|ผู้ป่วย|ราย(?:ใด)?|ใคร)\S{0,6}\s*(?:ต้อง)?\s*(?:ย้าย|เข้า|ส่ง|นอน)\s*icu|"
    r"ไม่มี\s*(?:ผป\.?|ผู้ป่วย|ใคร|ราย(?:ใด)?)?\S{0,4}\s*ขาดออกซิเจน|ไม่มี\s*(?:ภาวะ\s*)?(?:hemolysis|haemolysis)|"
    r"(?:สัญญาณ|กริ่ง|ระบบ)\s*(?:แจ้ง\s*เหตุ|เตือน)\s*(?:เพลิงไหม้|ไฟไหม้|อัคคีภัย)|"
    r"(?:ผป\.?|ผู้ป่วย)\s*on\s*(?:ett|et\s*tube|ventilator)\s*\d+\s*วัน(?=\s*(?:เกิด|พบ|มี))|"
    r"(?:ผป\.?|ผู้ป่วย)\s*วิกฤต\S{0,14}\s*\d+\s*ราย|ไม่มี\s*(?:ไฟ|เพลิง)\s*ไหม้|non-?\s*ha?emoly\w*|"
    r"(?P<burn>ผิว(?:หนัง)?\S{1,10}ไหม้)",
    re.IGNORECASE,
)
INC26_NOT_THIS_HARM_QUICK = re.compile(r"cpr|code\s*blue|icu|ออกซิเจน|hemoly|haemoly|ไหม้|อัคคีภัย|on\s*e|วิกฤต", re.I)
INC26_WAIT_CONSEQUENCE = re.compile(r"รอ\S{0,16}\s*นาน\s*ขึ้น|นานกว่าปกติ")
# The single regexes read through prefilter.gated_* here and in nrls and severity (each its own one-pattern pass).
GATED: tuple[re.Pattern[str], ...] = (
    INC26_NOT_THIS_HARM, INC26_NOT_THIS_HARM_QUICK, INC26_DENIED_HARM, *nrls_gated, *severity_gated,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TopicTag:
    code: str
    score: float
    evidence: list[str]


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: str
    score: float


# round 12 (tune29 patient): symbol and emoji blocks, with the joiners and selectors that build flags and skin tones.
_EMOJI_ANY = re.compile("[\u2190-\u2bff\U0001f000-\U0001faff\u200d\ufe0f]")


def _unmasked(matches: list[Match[_Cue]]) -> list[Match[_Cue]]:
    """round 12 (tune29 patient): a cue inside a longer "mask" phrase (nlp/data/sentiment.toml) is that phrase's word,
    not the cue: "เยี่ยม" (excellent) in "ทีมเยี่ยมบ้าน" (the home-visit team), "อาหาร" (the hospital's meals) in
    "ขับมอไซค์ส่งอาหาร" (a rider's job)."""
    masks = [(m.start, m.end, len(m.phrase)) for m in matches if m.payload.kind == "mask"]
    if not masks:
        return matches
    return [
        m for m in matches
        if m.payload.kind != "mask" and not any(a <= m.start and m.end <= b and len(m.phrase) < n for a, b, n in masks)
    ]  # fmt: skip


def _drop_emoji_topics(topics: dict[str, dict[str, Any]], faces: list[str], text: str) -> None:
    """round 12 (tune29 patient): an emoji's name is the writer's face or thing, not a judged aspect: "พอใจค่ะ 😊"
    ("หน้ายิ้มตายิ้ม") praises no smiling staff, "กาแฟ OPD อร่อยมากกก ☕" ("เครื่องดื่มร้อน") has no hot room. A topic
    whose every piece of evidence lies only inside an emoji's name is dropped (its sentiment stays)."""
    written = normalize_text(_EMOJI_ANY.sub(" ", text)).replace(" ", "")
    for code in list(topics):
        evidence = [e.replace(" ", "") for e in topics[code]["evidence"]]
        if evidence and all(e not in written and any(e in face for face in faces) for e in evidence):
            del topics[code]


@dataclass(slots=True)
class Analysis:
    tokens: list[str]
    topics: list[TopicTag]
    sentiment: Sentiment
    complaint: bool
    severity_hint: str | None
    sentinel: bool
    details: dict[str, Any] = field(default_factory=dict)  # explanations; not part of the contract JSON
    # Beyond the contract JSON (issue 14): how sure the analysis is, and for incident reports the NRLS
    # suggestions the committee confirms or changes (`/code N CODE`, `/triage`).
    confidence: float = 1.0
    question: str | None = None
    risk_codes: list[RiskCodeSuggestion] = field(default_factory=list)
    severity: str | None = None  # suggested NRLS severity: A–I (clinical code) or 1–5 (non-clinical)

    @property
    def needs_review(self) -> bool:
        """Low confidence: the committee's "needs a look" list."""
        return self.confidence < REVIEW_BELOW

    def suggestions(self) -> dict[str, Any]:
        """What the committee's commands and the dashboard show beside the tags (not the contract JSON)."""
        return {
            "question": self.question,
            "confidence": self.confidence,
            "needs_review": self.needs_review,
            "risk_codes": [{"code": r.code, "name": r.name, "score": r.score, "evidence": list(r.evidence)}
                           for r in self.risk_codes],
            "severity": self.severity,
        }  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The contract JSON (SPEC §2)."""
        return {
            "tokens": list(self.tokens),
            "topics": [{"code": t.code, "score": t.score, "evidence": list(t.evidence)} for t in self.topics],
            "sentiment": {"label": self.sentiment.label, "score": self.sentiment.score},
            "complaint": self.complaint,
            "severity_hint": self.severity_hint,
            "sentinel": self.sentinel,
        }


@dataclass(frozen=True, slots=True)
class _Cue:
    kind: str  # negative | positive | aspect | target (topic) or pos | neg | int | down | contrast | request | ...
    topic: str = ""


def _load_sentiment_lexicon(path: Path = SENTIMENT_LEXICON) -> dict[str, list[str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {k: [str(w) for w in v] for k, v in data.items()}


def lexicon_words(lexicon: dict[str, TopicLexicon], sentiment: dict[str, list[str]] | None = None) -> set[str]:
    """Every lexicon phrase, added to the tokenizer dictionary so tokens line up with lexicon units."""
    sentiment = sentiment if sentiment is not None else _load_sentiment_lexicon()
    words = {w for lex in lexicon.values() for w in lex.words}
    words.update(w for key in ("positive", "negative", "request") for w in sentiment[key])
    return {phrase_key(w) for w in words if len(phrase_key(w)) > 1}


class Analyzer:
    """Thread-safe after construction: analyse() only reads shared state."""

    def __init__(
        self,
        config_dir: Path | None = None,
        engine: str | None = None,
        model_path: Path | None = None,
        model: SentimentModel | None = None,
    ) -> None:
        self.config_dir = Path(config_dir) if config_dir is not None else DEFAULT_CONFIG_DIR
        self.lexicon: dict[str, TopicLexicon] = load_lexicon(self.config_dir)
        self.topics: dict[str, TopicInfo] = {c: lex.info for c, lex in self.lexicon.items()}
        words = _load_sentiment_lexicon()
        self.tokenize = Tokenizer(
            engine or os.environ.get(ENGINE_ENV) or DEFAULT_ENGINE, extra_words=lexicon_words(self.lexicon, words)
        )
        self.model: SentimentModel | None = model if model is not None else load_model(model_path)
        self.negators = frozenset(phrase_key(w) for w in words["negators"])
        self.negator_prefixes = tuple(n for n in self.negators if n.startswith("ไม่"))
        self.bridge = frozenset(phrase_key(w) for w in words["negation_bridge"])
        self.intensifiers = frozenset(phrase_key(w) for w in words["intensifiers"])
        self.intensifier_suffixes = tuple(i for i in self.intensifiers if len(i) >= 3)
        self.downtoners = frozenset(phrase_key(w) for w in words["downtoners"])
        entries: list[tuple[str, _Cue]] = []
        for code, lex in self.lexicon.items():
            for kind in ("negative", "positive", "aspect", "context", "secondary", "secondary_positive"):
                entries += [(w, _Cue(kind, code)) for w in getattr(lex, kind)]
            entries += [(w, _Cue("target", code)) for w in lex.targets]
        for key, kind in (
            ("positive", "pos"),
            ("negative", "neg"),
            ("contrast", "contrast"),
            ("request", "request"),
            ("request_praise", "request_praise"),
            ("question", "question"),
            ("suggestion", "suggestion"),
            ("domain", "domain"),
        ):
            entries += [(w, _Cue(kind)) for w in words[key]]  # fmt: skip
        entries += [(w, _Cue("mask")) for w in words.get("mask", ())]  # round 12 (tune29 patient)
        self.matcher: PhraseMatcher[_Cue] = PhraseMatcher(entries, loose=True)
        self.nothing = frozenset(phrase_key(w) for w in words["nothing"])
        self.topic_model_min = TOPIC_MODEL_MIN
        self.other_topic_words = frozenset(
            phrase_key(w)
            for lex in self.lexicon.values()
            for w in (*lex.negative, *lex.positive, *lex.secondary, *lex.secondary_positive)
        )
        self.gate_kinds = GATE_KINDS
        taught = (self.model.meta.get("correction_topics") or {}) if self.model is not None else {}
        self.taught_topics = frozenset(code for code, n in taught.items() if n >= TAUGHT_MIN)
        self._coder: RiskCoder | None = None
        payload = self.model.corrections if self.model is not None else None
        self.corrections: Corrections | None = Corrections.from_payload(payload) if payload else None
        from pythainlp.corpus import thai_stopwords

        self.stopwords = frozenset(thai_stopwords()) | POLITE_PARTICLES

    # --- helpers -------------------------------------------------------------------------------------
    def _negation_start(self, toks: list[str], start: int) -> int | None:
        """Index of the negator governing the phrase at ``start`` ("ไม่ [ค่อย] สะอาด"), else None."""
        if start >= 1 and toks[start - 1] in self.negators:
            return start - 1
        if start >= 2 and toks[start - 1] in self.bridge and toks[start - 2] in self.negators:
            return start - 2
        return None

    def warm(self) -> None:
        """Build every lazily compiled pattern database (Hyperscan sets, frames, severity cues; cached on disk
        after the first build, about a second of CPU without it) by analysing one patient answer and one
        incident report, so the first real message does not pay for it where it runs (a short text is analysed
        on the event loop, handlers/services.py)."""
        self.analyse("รอนานมากค่ะ หมอพูดดีค่ะ", question="dissatisfaction")
        self.analyse("ผู้ป่วยพลัดตกเตียง ไม่มีบาดเจ็บ แจ้งแพทย์รับทราบ", question="incident")
        prepare_gates(GATED)  # h/nlp-speed: the one-pattern passes of rules a short report does not reach

    # --- main entry ----------------------------------------------------------------------------------
    def analyse(self, text: str, ratings: Sequence[int | float] | None = None, question: str | None = None) -> Analysis:
        """Tag one message; ratings are the patient's 1–5 answers for the same visit, if any; question is
        what the text answers (QUESTIONS: a survey free-text question, complaint, compliment, incident).

        Only the first MAX_CHARS characters are analysed; sentinel and severity cues read SEVERITY_MAX_CHARS.
        """
        question = question if question in QUESTIONS else None
        if ODD_SPACE.search(text):
            text = text.translate(ODD_SPACES)
        norm = normalize_text(text[:MAX_CHARS])
        tokens = self.tokenize(norm)
        toks = split_glued(tokens)
        matches = _unmasked(self.matcher.find(toks))

        clause = _clause_ids(norm, toks)
        lead = _nothing_lead(toks, clause) if question not in (None, "incident") else 0
        if lead:
            # "ไม่มี พยาบาลเอาใจใส่ดีมาก": the "nothing" clause is not read into a phrase of the next one (no
            # "ไม่มีพยาบาล", too few nurses); the frames below read the text after it.
            matches = [m for m in matches if not m.start < lead < m.end]
        topics = self._topics(toks, matches, clause)
        if question != "incident" and (faces := emoji_names(text[:MAX_CHARS])):
            _drop_emoji_topics(topics, faces, text[:MAX_CHARS])
        pos, neg, complaint_cue, n_contrast, negated = self._polarity(toks, matches, topics, lead)
        if pos > 0 and neg == 0 and n_contrast:
            # "ทุกอย่างดีหมด ยกเว้นที่จอดรถ": what praise makes an exception of is its fault, unjudged as it is.
            after = min((m.end for m in matches if m.phrase in EXCEPT_CONTRAST), default=None)
            excepted = {m.payload.topic for m in matches if after is not None and m.start >= after and m.payload.topic}
            for code in excepted & topics.keys():
                topics[code]["polarity"].add("neg")
            if excepted & topics.keys():
                neg, complaint_cue = 1.0, True
        else:
            excepted = set()
        # Mixed means praise of one thing and complaint about another, as the topics show, or a
        # concession marked by "แต่"; general words of both signs alone are just weighed.
        polarities = set().union(*(t["polarity"] for t in topics.values())) if topics else set()
        aspects_mixed = {"pos", "neg"} <= polarities or n_contrast > 0
        # nlp-inc26: an incident report's harm that is not this patient's or did not happen (a CPR on another bed that
        # kept the nurse away, a fire alarm, a denied ICU stay) is read out before the severity and sentinel cues
        sev_text = _inc26_harm_text(text) if question == "incident" else text
        if sev_text is not text:
            long_norm = normalize_text(sev_text[:SEVERITY_MAX_CHARS])
            severity = assess(long_norm, split_glued(self.tokenize(long_norm)))
        elif len(text) > MAX_CHARS:
            long_norm = normalize_text(text[:SEVERITY_MAX_CHARS])
            severity = assess(long_norm, split_glued(self.tokenize(long_norm)))
        else:
            severity = assess(norm, toks)
        for key, words in severity.topics.items():
            code = key.removeprefix(HARM_PREFIX)
            t = topics.setdefault(code, {"miss": 1.0, "evidence": [], "polarity": set(), "kinds": set()})
            t["miss"] *= 1.0 - TOPIC_WEIGHTS["negative"]
            t["kinds"].add("context" if key.startswith(HARM_PREFIX) else "severity")
            t["polarity"].add("neg")
            t["evidence"].extend(w for w in words if w not in t["evidence"])
        if question != "incident":
            # A concept and a judgement of lack or slowness ("หมอ มีน้อย", "โทรมาไม่ติด", "ได้ตรวจช้า"): the
            # topic, as a problem word of the lexicon would tag it (the sentiment is already weighed).
            said = norm.split(" ", 1)[1] if lead and " " in norm else norm
            for code, words in frame_topics(said).items():
                t = topics.setdefault(code, {"miss": 1.0, "evidence": [], "polarity": set(), "kinds": set()})
                if "negative" not in t["kinds"]:
                    t["miss"] *= 1.0 - TOPIC_WEIGHTS["negative"]
                t["kinds"].add("negative")
                t["polarity"].add("neg")
                t["evidence"].extend(w for w in words if w not in t["evidence"])
            # Named without a judgement of lack (a question about opening days, praise of a step's speed or
            # of an explanation): the topic, with no complaint in it.
            for code, words in named_topics(said).items():
                t = topics.setdefault(code, {"miss": 1.0, "evidence": [], "polarity": set(), "kinds": set()})
                if not t["kinds"]:
                    t["miss"] *= 1.0 - TOPIC_WEIGHTS["aspect"]
                t["kinds"].add("aspect")
                t["evidence"].extend(w for w in words if w not in t["evidence"])
            # r10pat: a female doctor asked for a pelvic exam ("ไม่มีหมอผู้หญิงตรวจภายในเลยหรอ") is about who is on
            # duty (LABELLING.md, heldout8: staffing), not privacy: the exam named is no privacy topic by itself.
            privacy = topics.get("safety_privacy")
            if privacy and "staffing" in topics and set(privacy["evidence"]) <= {"ตรวจภายใน"} and "หญิง" in said:
                del topics["safety_privacy"]
            # nlp-r11pat: a voice raised to name a patient's disease ("ถามเสียงดังว่ามารับยาเอชไอวีใช่มั้ย") is the privacy
            # breach (LABELLING.md: a person talking about a patient's disease is safety_privacy), not the ward's noise
            noise = topics.get("environment")
            if noise and set(noise["evidence"]) <= {"เสียงดัง"} and any(
                "เสียงดัง" in e for e in topics.get("safety_privacy", {}).get("evidence", ())
            ):
                del topics["environment"]
            cost = topics.get("cost_rights")
            if cost and "food" in topics and all(PRICE_ONLY.fullmatch(e) for e in cost["evidence"]):
                del topics["cost_rights"]
            # round 12 (tune31, nlp-pat31): a patient lost on the way ("เดินหลงสามรอบ") beside a sign is getting around,
            # not a wandering patient
            lost = topics.get("safety_privacy")
            if lost and "parking_access" in topics and set(lost["evidence"]) <= {"เดินหลง", "หลงทาง"}:
                del topics["safety_privacy"]
            # r13 (tune32 patient): help pushing or lifting a wheelchair to the car is getting around (LABELLING's
            # calls: parking_access only), not the helper's manners, unless a manner is named too
            helped = topics.get("staff_behavior")
            if helped and "parking_access" in topics and all(
                HELPED_AROUND.fullmatch(e) or e in WHO_HELPED for e in helped["evidence"]
            ) and any(HELPED_AROUND.fullmatch(e) for e in helped["evidence"]):
                del topics["staff_behavior"]
            _r13_patient_topics(said, topics, severity.reasons)
        # Context words name where or with what ("ลื่นล้มในห้องน้ำ", "ช่วยเข็นรถเข็น"): they tag their topic
        # only when nothing else in the message does.
        # Secondary problem words ("ไม่บอก", "ล่าช้า") are too general to add a topic beside another topic's
        # own evidence: "ค่ารักษาแพง ไม่บอกก่อน" is about the price.
        # Words the lexicon has already accounted for: another topic's evidence, or an aspect named in passing.
        explained = {w for t in topics.values() for w in t["evidence"]}
        if any(t["kinds"] - WEAK_KINDS for t in topics.values()):
            topics = {code: t for code, t in topics.items() if t["kinds"] - WEAK_KINDS}
        if any(t["kinds"] - {"context"} for t in topics.values()):
            topics = {code: t for code, t in topics.items() if t["kinds"] - {"context"}}
        # round 12 (tune31, nlp-pat31): a belonging not found again ("ลืมกระเป๋าตังค์ไว้… ย้อนกลับไปหาไม่เจอ") is no way
        # lost; the places it names in passing stay context
        way = topics.get("parking_access")
        if question != "incident" and way and set(way["evidence"]) <= {"หาไม่เจอ", "หาไม่ได้"} and BELONGING.search(norm):
            del topics["parking_access"]
        # The topic model (trained on the hospital's labelled messages) adds what the lexicon has no words
        # for, when it is confident; its evidence is the features that weighed most.
        topic_model = self.model.topics if self.model is not None else None
        # Content words (no particles, no punctuation): the feature bag, the rules and the question read them.
        content = content_tokens(toks)
        features = feature_counts(toks, content) if self.model is not None else None
        model_heard: dict[str, tuple[float, list[str]]] = {}
        if topic_model is not None and self.topic_model_min < 1.0:
            thanked = any(w in norm for w in THANKS_TYPED)
            floor = self.topic_model_min if not topics else max(self.topic_model_min, TOPIC_MODEL_EXTRA)
            # The "nothing" clause weighs for no topic ("บ่มีเด้อ หมอ…" is no "มี หมอ" for staffing).
            said_toks = toks[lead:] if lead else toks
            said_features = feature_counts(said_toks, content_tokens(said_toks)) if lead else features
            # (read again after an incident's cause rules: INCIDENT_MODEL_ADDS)
            model_heard = topic_model.proba(said_toks, floor, said_features)
            for code, (p, feats) in model_heard.items():
                if feats and all(
                    self._function_words(f) or f.replace(" ", "") in NOT_TOPIC_EVIDENCE.get(code, ()) for f in feats
                ):
                    continue  # "เป็นที่พึ่งของประชาชน": "ของ", "เป็น" weigh for no topic a reader would see
                if code == "staff_behavior" and thanked and all(f.replace(" ", "") in THANKED_STAFF for f in feats):
                    continue  # "ขอบคุณหมอและพยาบาลทุกคน": thanks, no behaviour named
                evidence = [f.replace(" ", "") for f in feats] or ["model"]
                # The model does not re-read a word the lexicon placed: "เภสัชใจดี" is praise of the
                # pharmacist (staff_behavior), not a medication topic because "เภสัช" weighs for it. Unless the
                # hospital's corrections taught the model this topic: their convention outranks the lexicon's.
                if code not in topics and (evidence[0] not in explained or code in self.taught_topics):
                    topics[code] = {"miss": 1.0 - p, "evidence": evidence, "polarity": set(), "kinds": {"model"}}
            care = topics.get("clinical_care")
            if (
                care
                and care["kinds"] == {"model"}
                and question not in (None, "incident")
                and WISH_TO_RECOVER.search(norm.replace(" ", ""))
            ):
                del topics["clinical_care"]  # "อยากหายไวๆ", "ขอให้ลูกหายไข้ไวๆ": a wish to get well judges no care
            # A place or a harm word (context) yields to what the model found as well.
            if any(t["kinds"] - {"context"} for t in topics.values()):
                topics = {code: t for code, t in topics.items() if t["kinds"] - {"context"}}
            # a price word alone beside a food shop the model heard ("ร้านกาแฟในรพ.ราคาแพงไปหน่อย") is the shop's, as
            # the lexicon's own rule above says (LABELLING.md, heldout8: food shop prices are food only)
            cost = topics.get("cost_rights")
            if cost and "food" in topics and all(PRICE_ONLY.fullmatch(e) for e in cost["evidence"]):
                del topics["cost_rights"]

        # round 12 (tune29 patient): a wait the writer puts down to too few staff ("รอนานเพราะมีหมอคนเดียว", "หมอคนเดียว
        # ไม่แปลกที่รอนาน") is the staffing's (LABELLING.md, waiting: "the writer blames the staffing only")
        wait = topics.get("waiting") if question != "incident" and "staffing" in topics else None
        blamed = WAIT_BLAMED.search(norm.replace(" ", "")) if wait else None
        if wait and blamed and all(e.replace(" ", "") in blamed.group(0) for e in wait["evidence"]):
            del topics["waiting"]

        # round 12 (tune31, nlp-pat31): the service's steps told ("บอกขั้นตอนไม่เคลียร์ … บอกให้ไปห้อง 5") are the process's
        # when a process problem is heard (LABELLING.md: a procedure step is process, not communication), whether the
        # lexicon or the model heard the telling
        told = topics.get("communication")
        if (
            question != "incident"
            and told
            and "process" in topics
            and all(STEPS_TOLD.fullmatch(e.replace(" ", "")) for e in told["evidence"])
        ):
            del topics["communication"]
        lex_p = self._lexicon_probs(pos, neg, aspects_mixed)
        hospital = self._hospital_text(matches, topics)  # (topics is final here: the model and _decide read it)
        general_weight = 0.0  # the general-Thai model's share of the model probabilities
        if question == "incident":
            # An incident report is an adverse event whatever its words (the label is decided below): a
            # sentiment model trained on social-media Thai adds nothing to it but time.
            probs = {"neg": 1.0, "neu": 0.0, "pos": 0.0}
        elif self.model is not None:
            probs = self.model.proba(toks, features)
            if question is None and self.model.general is not None:
                # Text that answers no question and names no hospital topic or word may be general Thai: the
                # general model (wisesight, particles kept) reads it, weighed by how unlike the hospital's
                # own messages it is.
                general, p_hospital = self.model.general.read(toks, norm)
                if hospital and p_hospital < GENERAL_OVERRIDE_MAX:
                    hospital = False  # a hospital word in plainly general Thai
            if question is None and self.model.general is not None and not hospital:
                w = min(1.0, GENERAL_WEIGHT * (1.0 - p_hospital)) if p_hospital < GENERAL_HOSPITAL_MAX else 0.0
                general_weight = round(w, 3)
                probs = {k: (1 - w) * p + w * general.get(k, 0.0) for k, p in probs.items()}
        else:
            probs = {"neg": 0.0, "neu": 1.0, "pos": 0.0}
        if lex_p is None:
            fused = probs
        else:
            lw = LEXICON_WEIGHT_TOPIC if topics else LEXICON_WEIGHT_OTHER
            if max(probs.values()) > MODEL_CONFIDENT:
                lw *= CONFIDENT_DAMPING_TOPIC if topics else CONFIDENT_DAMPING
            fused = {k: lw * lex_p[k] + (1 - lw) * probs.get(k, 0.0) for k in lex_p}
        rated = [float(r) for r in ratings or () if 1 <= float(r) <= 5]
        if rated:
            r_score = (sum(rated) / len(rated) - 3.0) / 2.0
            r_p = {"pos": max(r_score, 0.0), "neg": max(-r_score, 0.0), "neu": 1.0 - abs(r_score)}
            fused = {k: (1 - RATINGS_WEIGHT) * fused[k] + RATINGS_WEIGHT * r_p[k] for k in fused}
        label = max(fused, key=lambda k: fused[k])
        label, why = self._decide(
            label, pos, neg, aspects_mixed, topics, probs, matches, severity.severity_hint, content, hospital, negated
        )
        if excepted and label == "neu":
            why = "mixed"  # praise with an exception is a mixed message, whatever the question
        fault = neg > 0 or any("neg" in t["polarity"] for t in topics.values())
        label, why = self._in_context(
            label, why, question, pos, neg, matches, norm, severity.severity_hint, content, fault
        )
        base = (sorted(topics), label)  # what the lexicon and the shipped model said: corrections learn from it
        if self.corrections is not None and why != "nothing":
            label, why = self._apply_corrections(text[:MAX_CHARS], question, topics, label, why)
        score = max(-1.0, min(1.0, fused["pos"] - fused["neg"]))
        # The score follows the label's side: a decided label never carries the opposite sign.
        score = {"pos": max(score, 0.05), "neg": min(score, -0.05), "neu": max(-0.3, min(0.3, score))}[label]
        sentiment = Sentiment(label, round(score, 3))

        # An incident always needs a case; the model's "neg" alone does not open one when the lexicon
        # heard only praise ("ไม่รอนาน"), nor does "nothing to add".
        only_praise = pos > 0 and neg == 0
        # A harm word in plain praise ("ผ่าตัดต้อกระจกให้ ตอนนี้มองเห็นชัด") is what the care overcame (see below).
        praised_harm = label == "pos" and only_praise and not severity.sentinel and question != "incident"
        complaint = (severity.severity_hint is not None and not praised_harm) or (
            why != "nothing" and (complaint_cue or (label == "neg" and not only_praise))
        )
        suggestion = False
        if question == "incident" and why != "nothing":
            complaint = True  # an incident report always is a complaint (its label is "neg": no suggestion)
        elif question is not None and why != "nothing":
            # The question decides what a complaint is (SPEC §4: a text that asks for a change is one): an
            # improvement answer that is not praise is, a wish in an expectation answer is when it names
            # what to change, and a complaint always is.
            kinds = {m.payload.kind for m in matches}
            # a praise wish asks for no change; whatever else is wished for still does
            squeezed = PRAISE_WISH.sub(" ", norm.replace(" ", "")) if neg == 0 else norm.replace(" ", "")
            asks = (
                (bool(kinds & {"suggestion", "request"}) and squeezed == norm.replace(" ", ""))
                or squeezed.startswith(WISH_STARTS)
                or WISH_ANYWHERE.search(squeezed if squeezed != norm.replace(" ", "") else norm) is not None
            )
            if asks and neg == 0 and NO_CHANGE.search(norm.replace(" ", "")):
                asks = False  # "ไม่ต้องปรับปรุงแล้ว ดีมากๆ": nothing to change
            if why == "glad":
                asks = False  # r13 tune34: "ดีใจที่มีหมอเพิ่ม": the "more" is news, asked of nobody
            if asks and "question" in kinds and not kinds & {"suggestion", "request"}:
                asks = WISH_ANYWHERE.search(norm) is not None  # "ทำฟันใช้สิทธิได้ไหม": a question, not a wish
            # A wish for a change of something named, and a flat statement of a problem, are complaints
            # wherever the form asks for faults or changes (SPEC §4); praise and thanks are not.
            named_wish = asks and bool(topics)
            # Praise of one thing and a fault named in another ("พยาบาลดูแลดี แต่ข้าวไม่ค่อยอร่อย"): neutral, but
            # the fault is still a complaint for the unit that owns it.
            # The fault may be a frame's ("แต่รอจ่ายเงินนานไปหน่อย", "แต่ที่จอดรถเต็มอีกแล้ว"), with no negative word.
            topic_fault = any("neg" in t["polarity"] for t in topics.values())
            faulted = (
                label == "neu" and (why == "mixed" or n_contrast > 0) and ((neg > 0 and complaint_cue) or topic_fault)
            )
            suggestion = asks and label != "neg"
            if question == "complaint":
                # the complaint/suggestion flow: anything but praise is a case (details["suggestion"] tells
                # the flow a suggestion from a complaint)
                complaint = complaint or asks or label != "pos" or topic_fault  # "…ไม่ใช่ของพ่อ ดีที่ลูกอ่านฉลาก"
                # round 12 (tune31, nlp-pat31): a question only ("คลินิกนอกเวลาวันเสาร์เปิดกี่โมงครับ", "ต้องใช้เอกสาร
                # อะไรบ้าง"), with no problem, wish or event in it, voices no grievance (SPEC §4)
                if (
                    label == "neu"
                    and neg == 0
                    and not topic_fault
                    and not asks
                    and severity.severity_hint is None
                    and (ASKED_END.search(norm.replace(" ", "")) or norm.replace(" ", "").endswith("อะไรบ้าง")
                         or asked_in_clauses(norm))
                    # one clause, or opened as a question: a clause told before the question may hold a fault no
                    # cue hears ("ห้องยาปิดก่อนเวลาทุกวัน เปิดถึงกี่โมงกันแน่")
                    and (" " not in norm.strip() or ASKING_OPEN.match(norm.replace(" ", "")) is not None
                         or asked_in_clauses(norm))  # r13: a question asked in clauses
                ):
                    complaint = False
                if why == "asked" and severity.severity_hint != "SE":
                    complaint = False  # r13: a worried question (WHAT_TO_DO) voices no grievance
            elif question == "improvement":
                complaint = label != "pos" or named_wish
            elif question == "expectation":
                # a wish for more than they got ("…กว่านี้", "…บ่อยขึ้น", "ยิ้มบ้าง", "ถูกลงหน่อย") or with the
                # hardship it would end ("เดินไกลบ่ไหว") asks for a change; "หวังว่าบัตรทองจะใช้ได้" does not
                changes = EXPECTATION_CHANGE.search(norm.replace(" ", "")) is not None or (
                    neg > 0 and complaint_cue and "ไม่อยาก" not in norm and any(w in norm for w in EXPECTATION_WISH)
                )
                complaint = label == "neg" or (
                    bool(topics)
                    and label != "pos"
                    # round 12 (tune31, nlp-pat31): or "ขอ" + who is asked ("ขอพยาบาลพูดเพราะๆกับผู้สูงอายุ")
                    and ((asks and ("อยากให้" in norm or norm.replace(" ", "").startswith(ASK_WHO))) or changes)
                )
                complaint = complaint or faulted
            elif question == "dissatisfaction":
                # "nothing, then praise" tells of changes already made ("ปีนี้ทำที่จอดรถเพิ่ม"); only a wish asks
                if why == "none_then_praise" or (label == "pos" and norm.replace(" ", "").startswith(NOTHING_STARTS)):
                    named_wish = named_wish and WISH_ANYWHERE.search(norm) is not None
                complaint = label != "pos" or named_wish or (neg > 0 and why != "improved")  # pat27: a past fault
            elif question == "message":
                complaint = label == "neg" or (asks and label != "pos") or named_wish or faulted
            elif question == "compliment":
                complaint = label == "neg" or faulted  # "ชมพยาบาลค่ะ แต่ที่จอดรถเต็มอีกแล้ว"
            # A harm word heard in plain praise ("แม่ลูกปลอดภัยดี", "ช่วยให้พ่อเดินได้หลังเป็นอัมพฤกษ์", "ขับรถ refer
            # นิ่มมาก") is what the care overcame, not an event to open a case for; a sentinel event always is one.
            praised = why in ("thanked", "asked") or (  # pat27: a scare that ended well, thanked for
                neg == 0
                and not severity.sentinel
                and (label == "pos" or (label == "neu" and "question" in kinds and not topic_fault))
            )  # (a question about a procedure's price, "ค่าผ่าตัดเท่าไหร่", is no event either)
            complaint = complaint or (severity.severity_hint is not None and not praised)
        confidence = self._confidence(label, why, fused, topics, matches, len(toks))
        tags = [
            TopicTag(code, round(1.0 - topics[code]["miss"], 3), topics[code]["evidence"])
            for code in TOPIC_CODES
            if code in topics
        ]
        tags.sort(key=lambda tag: -tag.score)
        sentinel = severity.sentinel
        risk_codes: list[RiskCodeSuggestion] = []
        suggested: str | None = None
        details_extra: dict[str, Any] = {}
        if question == "incident":
            coder = self.coder()
            risk_codes = coder.suggest(text)
            codes = [r.code for r in risk_codes]
            # The scale follows the incident's nature (clinical A–I, general 1–5), the code of that scale
            # gives the prior and HA's pairs.
            clinical = clinical_scale(text, risk_codes)
            scale_codes = [c for c in codes if is_clinical(c) == clinical] or codes
            hint = severity.severity_hint
            # A sentinel cue stands for harm only when it names harm (a death, an arrest); a notifiable
            # disease, a fire or a post is sentinel without grading the harm.
            hint = hint_from_reasons(severity.reasons) if hint == "SE" else hint
            suggested, source = coder.severity_with_source(
                sev_text, scale_codes[0] if scale_codes else None, hint, clinical
            )
            # Recall first: HA's code × impact list flags what seed 004's cue list did not.
            cues = sentinel_cues(sev_text[:SEVERITY_MAX_CHARS])
            if not clinical and "arrest" in cues + [r.split(":", 1)[0] for r in severity.reasons]:
                # r10inc: a staff member exposed "during CPR" on a patient: the arrest is the setting, not the harm
                if cpr_is_setting(text[:SEVERITY_MAX_CHARS]):
                    cues = [c for c in cues if c != "arrest"]
                    sentinel = sentinel and not all(r.startswith("arrest:") for r in severity.reasons)
            # HA's pairs count on a severity the text itself describes, not on what such codes usually are.
            # Clinical harm heard in the text: near-death or death (H, I) is sentinel by seed 004 whatever the
            # code; permanent harm (G) when HA lists it for a suggested clinical code (214 of 219 codes), or
            # when no clinical code was suggested to check it against (recall first).
            heard = source == "text"
            low = sev_text[:SEVERITY_MAX_CHARS].lower()
            paired = heard and coder.sentinel([c for c in scale_codes if pair_told(c, low)], suggested)
            clinical_codes = [c for c in codes if is_clinical(c)]
            harm = (
                heard
                and clinical
                and (
                    suggested in ("H", "I")
                    or (suggested == "G" and (not clinical_codes or coder.sentinel(clinical_codes, "G")))
                )
            )
            sentinel = sentinel or bool(cues) or paired or harm
            details_extra["sentinel_cues"] = cues
            details_extra["scale"] = "clinical" if clinical else "general"
            # Causes the codes do not name (too few staff, an identification error, a broken device): a tag the
            # narrative already has stays whatever the codes vote, and a missing one is added after they chose.
            causes = contributing_causes(text[:SEVERITY_MAX_CHARS])
            for code in causes:
                if code in topics:
                    topics[code]["kinds"].add("cause")
            # round 12 (nlp-r12inc): a road fall that brought the patient in ("head injury จาก จยย.ล้ม") is no fall here
            if _r12_road_fall_only(text[:SEVERITY_MAX_CHARS], topics):
                tags = [tag for tag in tags if tag.code != "safety_privacy"]
            # round 12: a camera that does not cover a spot ("CCTV … ไม่ครอบคลุมมุมล็อกเกอร์") is no right not covered
            if _r12_camera_coverage_only(text[:SEVERITY_MAX_CHARS], topics):
                tags = [tag for tag in tags if tag.code != "cost_rights"]
            tags, details_extra["cause"] = _cause_topics(tags, topics, risk_codes)
            for code, words in causes.items():
                # a wait blamed on too few staff is staffing only (LABELLING.md, heldout5's call)
                if code == "waiting" and "staffing" in {tag.code for tag in tags}:
                    continue
                # r10inc: a wait for the ambulance is the ambulance's (parking_access), as a wait for staff is staffing
                if code == "waiting" and "parking_access" in causes and any("รถ" in w for w in words):
                    continue
                if code not in {tag.code for tag in tags}:
                    tags.append(TopicTag(code, round(TOPIC_WEIGHTS["negative"], 3), words))
            if not clinical and staff_harmed(text[:SEVERITY_MAX_CHARS]):
                # r9inc: a staff member's or a visitor's own treatment ("ผ่าตัด", "กายภาพ") is no patient's care
                kept = [tag for tag in tags if tag.code != "clinical_care"]
                if len(kept) < len(tags):
                    details_extra["cause"]["dropped"]["clinical_care"] = [
                        w for tag in tags if tag.code == "clinical_care" for w in tag.evidence
                    ]
                    tags = kept or [TopicTag("safety_privacy", round(TOPIC_WEIGHTS["negative"], 3), ["staff harmed"])]
            # A word heard inside another cause's own words ("เสียงดัง" in "นักรังสีบ่นเสียงดังต่อหน้าผป.") is that
            # cause's, not a topic of its own when no suggested code backs it: the longer phrase hides the shorter.
            spans = [(c, w[0].replace(" ", "")) for c, w in causes.items()]
            hidden = [
                tag for tag in tags
                if tag.code not in causes and tag.code not in details_extra["cause"]["votes"] and tag.evidence
                and all(any(c != tag.code and e.replace(" ", "") in span for c, span in spans) for e in tag.evidence)
            ]  # fmt: skip
            if hidden:
                tags = [tag for tag in tags if tag not in hidden]
                details_extra["cause"]["dropped"].update({tag.code: tag.evidence for tag in hidden})
            # The harm that followed a cause the narrative names (an arrest after the oxygen pressure fell, a
            # drain after a film nobody phoned through) is the severity, not clinical_care (LABELLING.md):
            # clinical_care stays only when the care itself was judged wrong or the model learnt it.
            # A wait or too few staff can stand beside care that went wrong, and an infection named (SSI, CRE) is
            # the care's own outcome: those leave clinical_care alone.
            care = topics.get("clinical_care", {}).get("kinds", set())
            named = {c for c, w in causes.items() if not (c == "safety_privacy" and INFECTION_NAMED.search(w[0]))}
            if named - {"clinical_care", "waiting", "staffing"} and not care & CARE_JUDGED_KINDS:
                dropped = [tag for tag in tags if tag.code == "clinical_care"]
                if dropped:
                    tags = [tag for tag in tags if tag.code != "clinical_care"]
                    details_extra["cause"]["dropped"]["clinical_care"] = dropped[0].evidence
            # r10inc: a referral named only as the trip ("ส่งต่อ", "refer") during which the ambulance failed is no
            # process cause: the ambulance is (parking_access)
            proc = topics.get("process", {})
            if (
                "parking_access" in {tag.code for tag in tags}
                and proc.get("kinds", set()) <= {"aspect"}
                and all(REFERRAL_WORD.fullmatch(w.replace(" ", "")) for w in proc.get("evidence", ["-"]))
            ):
                tags = [tag for tag in tags if tag.code != "process"]
            # r10inc: a drug heard only by its name or dose (the severity rules' drug cue, or "ยา" beside harm), with no
            # medication code among the suggestions and no medication cause told, is the treatment of another event
            # ("adrenaline 1 mg" in a CPR, "diazepam rectal" for a seizure, "insulin" for a high potassium): not a cause
            # (the same drug as the only tag yields to the codes' topic in _cause_topics)
            med = topics.get("medication", {}).get("kinds", set())
            if (
                len(tags) > 1
                and med
                and med <= TREATMENT_DRUG_KINDS
                and "medication" not in causes
                and "medication" not in details_extra["cause"]["votes"]
            ):
                kept = [tag for tag in tags if tag.code != "medication"]
                if len(kept) < len(tags):
                    details_extra["cause"]["dropped"]["medication"] = topics["medication"]["evidence"]
                    tags = kept
            # nlp-inc26: denied harm and a wait that followed an outage (INC26_DENIED_HARM, INC26_OUTAGE_CAUSES)
            tags = _inc26_consequences(text[:SEVERITY_MAX_CHARS], tags, topics, causes, details_extra["cause"])
            # round 12 (nlp-r12inc): a system, a form or a referral only named beside another cause
            tags = _r12_process_in_passing(text[:SEVERITY_MAX_CHARS], tags, topics, causes, details_extra["cause"])
            # r13 tune33 (nlp-inc33): the staff's conduct seen by others, no safety cause of its own (R13_33_WITNESSED)
            tags = _r13_33_witnessed(text[:SEVERITY_MAX_CHARS], tags, causes, details_extra["cause"])
            # issue 14 (nlp-inctop): a topic the model is very sure of that the rules did not keep is added back (it
            # generalises to a new writer better than the rules' cue lists: see INCIDENT_MODEL_ADDS)
            # (not one a rule above dropped on purpose: the conduct seen by others, a harm denied, a passing mention)
            kept_codes = {tag.code for tag in tags} | set(details_extra["cause"]["dropped"])
            for code, (p, feats) in model_heard.items():
                if p >= INCIDENT_MODEL_ADDS and code not in kept_codes:
                    tags.append(TopicTag(code, round(p, 3), [f.replace(" ", "") for f in feats] or ["model"]))
        return Analysis(
            tokens=tokens,
            topics=tags,
            sentiment=sentiment,
            complaint=complaint,
            severity_hint=severity.severity_hint,
            sentinel=sentinel,
            confidence=confidence,
            question=question,
            risk_codes=risk_codes,
            severity=suggested,
            details={"lexicon": {"pos": round(pos, 3), "neg": round(neg, 3)}, "model": probs,
                     "general_weight": general_weight, "contrast": n_contrast,
                     "severity_reasons": list(severity.reasons), "decided_by": why,
                     "suggestion": suggestion, "base": base, **details_extra},
        )  # fmt: skip

    def _apply_corrections(
        self, text: str, question: str | None, topics: dict[str, dict[str, Any]], label: str, why: str
    ) -> tuple[str, str]:
        """The hospital's corrections outrank the lexicon and the shipped model where cross-validation on them
        showed they know better: they add and remove topics and set the sentiment (topics is changed in place).
        A harm or adverse-event topic the severity rules heard stays."""
        assert self.corrections is not None
        verdict, new_label = self.corrections.apply(text, question, sorted(topics), label)
        for code, (present, p, evidence) in verdict.items():
            if present and code not in topics:
                topics[code] = {"miss": 1.0 - p, "evidence": evidence, "polarity": set(), "kinds": {"corrections"}}
            elif not present and code in topics and "severity" not in topics[code]["kinds"]:
                del topics[code]  # the hospital's labels say this is not what such answers are about
        if new_label is not None and new_label != label and why != "incident":
            return new_label, "corrections"
        return label, why

    def _function_words(self, feature: str) -> bool:
        """A model feature made only of function words (stopwords, particles, single letters)."""
        return all(t in self.stopwords or len(t) <= 1 for t in feature.lstrip("~").split(" "))

    def coder(self) -> RiskCoder:
        """The NRLS coder: the one trained into the model file, else one from the code names alone."""
        if self._coder is None:
            payload = self.model.nrls if self.model is not None else None
            self._coder = get_coder(payload)
        return self._coder

    def _in_context(
        self,
        label: str,
        why: str,
        question: str | None,
        pos: float,
        neg: float,
        matches: list[Match[_Cue]],
        norm: str,
        severity_hint: str | None,
        content: list[str],
        fault: bool = False,
    ) -> tuple[str, str]:
        """What the question makes of the label (issue 14); returns (label, reason). ``fault``: a problem is
        named (a negative cue, or a topic heard as a problem by the lexicon or the frames).

        Conventions (nlp/data/dev/LABELLING.md): an expectation that is only wished for is neutral, one
        reported as met is praise; an answer to "what did you not like" that names something is negative;
        a wish for a change is neutral (and a complaint) unless it describes a problem; thanks, short
        praise and well-wishing are positive; "หวังว่าครั้งหน้าจะดีกว่านี้" is negative whatever was asked."""
        if why == "nothing":
            return label, why
        if question == "incident":
            return "neg", "incident"
        kinds = {m.payload.kind for m in matches}
        phrases = {m.phrase for m in matches}
        squeezed = norm.replace(" ", "")
        if pos > 0 and neg == 0 and IRONIC_WAIT.search(squeezed):
            return "neg", "sarcasm"  # pat27
        if IMPROVED_NOW.search(squeezed):
            return "pos", "improved"  # pat27
        if (
            question == "compliment"
            and label != "pos"
            and severity_hint != "SE"
            and SCARE_RESOLVED.search(squeezed)
            and THANKS_LAST.search(squeezed)
        ):
            return "pos", "thanked"  # pat27
        if question == "message" and severity_hint != "SE" and RETOLD.search(squeezed) and ASKED_END.search(squeezed):
            return "neu", "asked"  # pat27
        if (
            question == "complaint"
            and severity_hint != "SE"
            and WHAT_TO_DO.search(norm.strip())
            and not WORRY_FAULT.search(squeezed)
        ):
            return "neu", "asked"  # r13: a worried question (WHAT_TO_DO)
        if question == "compliment" and severity_hint == "SE" and label == "pos":
            return "neu", "mixed"  # r13: a sentinel event told inside a thanks (LABELLING's call: neu, a complaint)
        if (
            question == "improvement"
            and label == "pos"
            and neg == 0
            and PURPOSE.search(squeezed)
            and not THANKS_LAST.search(squeezed)
        ):
            return "neu", "wish"  # r13: a change told with what it is for ("แยกคิว… จะได้ไม่ต้องรอนาน"): a suggestion
        if (
            question in ("compliment", "message")
            and label != "pos"
            and severity_hint != "SE"
            and SCARE_RESOLVED.search(squeezed)
            and (THANKS_LAST.search(squeezed) or (pos > 0 and neg == 0 and "contrast" not in kinds))
        ):
            return "pos", "thanked"  # r13: a scare that ended well, praised or thanked, in a message too
        if squeezed.startswith("ดีใจที่") and neg == 0 and "contrast" not in kinds and severity_hint is None:
            return "pos", "glad"  # r13 tune34: "ดีใจที่มีหมอเพิ่ม ไม่ต้องรอเหมือนก่อน": glad of what is now, no wish
        praise_wish = "request_praise" in kinds and neg == 0
        wish = (
            bool(kinds & {"suggestion", "request"})
            or squeezed.startswith(WISH_STARTS)
            or "ให้หน่อย" in squeezed
            or PLEASE_END.search(squeezed) is not None
        ) and not praise_wish
        if wish and "question" in kinds and not kinds & {"suggestion", "request"}:
            wish = WISH_ANYWHERE.search(squeezed) is not None  # "ทำฟันใช้สิทธิได้ไหม": a question
        if neg == 0 and NO_CHANGE.search(squeezed) and (pos > 0 or any(w in squeezed for w in SATISFIED)):
            return "pos", "none_then_praise"  # "ดีแล้วครับ ไม่ต้องปรับอะไร": nothing to change
        none_then_praise = (
            squeezed.startswith(NOTHING_STARTS)
            and neg == 0
            and (pos > 0 or praise_wish or any(w in squeezed for w in SATISFIED))
        )
        if NOTHING_LEAD.fullmatch(squeezed) or (
            squeezed.startswith(NOTHING_STARTS) and any(squeezed.startswith(n) for n in NOTHING_NEGATIVE) and pos == 0
        ):
            return "neu", "nothing"  # "ไม่มีความไม่พอใจ": nothing to report
        if none_then_praise:
            # "ไม่มีครับ ดีแล้ว", "ไม่มีเลย พอใจทุกอย่าง", "ไม่มีไรไม่พอใจค่ะ ห้องยาไวขึ้นเยอะ"
            return "pos", "none_then_praise"
        if neg == 0 and any(n in squeezed for n in NOTHING_TO_ADD):
            # thanks and "nothing to add": praise; "nothing to add" alone: nothing to report
            return ("pos", "short_praise") if pos > 0 or any(w in norm for w in THANKS_TYPED) else ("neu", "nothing")
        fell_short = any(f in squeezed for f in FELL_SHORT) and not any(n in squeezed for n in NOT_FELL_SHORT)
        fell_short = fell_short or (  # round 12 (tune31, nlp-pat31)
            ("หน้า" in squeezed or "ต่อไป" in squeezed) and NEXT_TIME_NOT.search(squeezed) is not None
        )
        fell_short = fell_short or (  # r13 tune34
            ("หน้า" in squeezed or "ต่อไป" in squeezed)
            and NEXT_TIME_BETTER.search(squeezed) is not None
            and not any(n in squeezed for n in NOT_FELL_SHORT)
        )
        if (
            not fell_short
            and question in ("expectation", "improvement", "message")
            and "อีก" in squeezed
            and WISH_NOT_THIS.search(squeezed)
        ):
            return "neg", "fell_short"  # round 12 (tune29 patient)
        if fell_short:
            return "neg", "fell_short"  # "หวังว่าครั้งหน้าจะดีกว่านี้", "ควรปรับปรุง"
        if question == "complaint" and label == "neu" and (neg > 0 or fault) and severity_hint is None:
            # r10pat: a complaint that quotes what staff said ("พูดกับยายว่า…ฟังให้ดีๆสิ") or concedes a point before
            # the fault is still a complaint (263 of 264 complaint answers in the tuning files are neg)
            return "neg", "context"
        if question == "expectation":
            if neg == 0 and severity_hint != "SE" and _now_met_after_wish(norm):
                return "pos", "expectation_met"  # r13: NOW_MET
            but_first = min(
                (m.start for m in matches if m.payload.kind == "contrast" and m.phrase == "แต่"), default=None
            )
            if (
                but_first is not None
                and severity_hint is None
                and FEARED_OPEN.match(squeezed)
                and not any(m.payload.kind in ("neg", "negative") and m.start > but_first for m in matches)
                and "ก็จริง" not in squeezed
            ):
                return "pos", "expectation_met"  # r13: a fear before "แต่", good news after it (FEARED_OPEN)
            met = any(c in squeezed for c in EXPECTATION_MET) or (
                "ถ้า" not in squeezed and MET_AGAIN.search(norm) is not None
            )
            wished = any(w in squeezed for w in EXPECTATION_WISH)
            # r10pat: hoped for, "but" what they got instead, with no praise after it ("หวังว่าจะมีวีลแชร์หน้าตึก แต่ไม่มี
            # สักคัน", "คาดหวังว่าจะได้หมอผู้หญิง แต่วันนี้มีแต่หมอผู้ชาย"): the hope was not met (9 of 10 such answers
            # in the tuning files are neg; the tenth laughs after it)
            but_at = min((m.start for m in matches if m.payload.kind == "contrast" and m.phrase == "แต่"), default=None)
            if (
                but_at is not None
                and not met
                and severity_hint is None
                and any(w in squeezed.split("แต่", 1)[0] for w in EXPECTATION_WISH)
                and not any(m.payload.kind in ("pos", "positive") and m.start > but_at for m in matches)
            ):
                return "neg", "expectation_unmet"
            if (
                label != "neg"
                and wished
                and not met
                and (neg > 0 or fault)
                and severity_hint is None
                and (m_last := LAST_TIME.search(squeezed)) is not None
                and any(w in squeezed[: m_last.start()] for w in EXPECTATION_WISH)
            ):
                return "neg", "expectation_unmet"  # r13 tune34: "หวังว่าจะมียาครบ คราวก่อนยาหมด": hoped, as it was not so
            if label == "neg" and neg == 0 and not fault and not met and severity_hint is None and len(content) <= 3:
                # round 12 (tune31, nlp-pat31): a few words with no problem word or problem heard at all ("เข้าใจคนไข้",
                # "ที่จอดมอไซค์"): what they hope for, whatever the model guessed
                return "neu", "expectation"
            if praise_wish and WISH_LEFTOVER.fullmatch(PRAISE_WISH.sub("", squeezed)) and label != "neg":
                return "pos", "short_praise"  # "อยากให้ รพ.ของเราพัฒนายิ่งๆขึ้นไป": well-wishing (LABELLING.md)
            if label == "pos" and wished and not met:
                return "neu", "expectation"
            if label == "pos" and not met and MORE_THAN_THIS.search(squeezed):
                return "neu", "expectation"  # nlp-r11pat: "หมอเยอะกว่านี้": more than they got, hoped for
            if label == "pos" and not met and REDUP_HOPE.search(squeezed) and "มาก" not in squeezed:
                return "neu", "expectation"  # round 12 (tune31, nlp-pat31): "ได้หมอเก่งๆ": good ones, hoped for
            if label == "pos" and not met and len(content) <= 2 and not (phrases & self.intensifiers):
                return "neu", "expectation"  # "บริการรวดเร็ว": what they hope for, not what they got
            if label == "neg" and met and "contrast" in kinds and pos == 0 and severity_hint is None:
                return "neu", "mixed"  # "ได้ตามคาดค่ะ แต่รอรับยานานไปนิด": met, but one fault
            if label == "neu" and met and wished and neg == 0 and "ถ้า" not in squeezed and _met_after_wish(norm):
                return "pos", "expectation_met"  # pat27: hoped for, then told as got ("หวังว่า…ได้จริงค่ะ หลับสบาย")
            if label == "neu" and met and not wished and not ("contrast" in kinds and fault and neg >= pos):
                return "pos", "expectation_met"  # (met, "but" a fault: "ได้ตามที่คาด แต่รอนานไปหน่อย" is mixed)
            # "คาดหวังว่าพยาบาลจะสุภาพกว่านี้", "หวังว่าจะได้ยาตัวเดิม แต่ยาหมด": the hope was not met — a
            # comparison with what they got, or a "but" and the problem after it — is a complaint.
            unmet = FELL_SHORT_COMPARISON in squeezed or ("contrast" in kinds and neg > 0)
            if label == "neg" and wished and not unmet:
                return "neu", "expectation"
            if label == "neu" and wished and unmet and neg > 0 and pos == 0:
                return "neg", "expectation_unmet"
            return label, why
        if question in ("improvement", "message") and wish and label == "pos":
            return "neu", "wish"  # "อยากให้มีหมอเพิ่ม": a suggestion, neutral (and a complaint)
        if question in ("improvement", "message") and wish and label == "neg" and neg == 0:
            return "neu", "wish"
        # round 12 (tune31, nlp-pat31): praise, "แต่", then the fault ("พูดจาดีทุกคน แต่ไม่รู้ว่าต้องรอผลกี่วัน") stays mixed
        # in this answer too (LABELLING.md: praise of one thing with a fault in another stays neu)
        praise_but = pos > 0 and fault and _praise_then_but(matches)
        if (
            question == "dissatisfaction"
            and label == "neu"
            and why != "mixed"
            and not (pos > 0 and neg == 0)
            and not praise_but
        ):
            return "neg", "context"  # the answer to "what did you not like" names what they did not like
        if question == "compliment" and label == "neu" and neg == 0:
            return "pos", "context"
        # Thanks, short praise and well-wishing ("บริการดี", "ขอบคุณค่ะ", "รักษามาตรฐานนี้ไว้", "ขอให้พัฒนา
        # ต่อไป"): praise, not neutral.
        if question and label != "pos" and neg == 0 and (pos > 0 or praise_wish) and not wish and severity_hint is None:
            if len(content) <= 4 or praise_wish or phrases & THANKS:
                return "pos", "short_praise"
        return label, why

    @staticmethod
    def _confidence(
        label: str,
        why: str,
        fused: dict[str, float],
        topics: dict[str, dict[str, Any]],
        matches: list[Match[_Cue]],
        n_tokens: int,
    ) -> float:
        """How sure the analysis is (0–1): the weakest of the sentiment's support and the topics' support."""
        sent = max(fused.get(label, 0.0), RULE_CONFIDENCE.get(why, 0.0))
        weakest = min((1.0 - t["miss"] for t in topics.values() if t["kinds"] <= {"model", "context"}), default=1.0)
        # A long message the lexicon barely reads is new ground: the committee should look at it.
        unread = 0.5 if n_tokens > 12 and len(matches) <= 1 else 1.0
        return round(min(sent, weakest, unread), 3)

    def _decide(
        self,
        label: str,
        pos: float,
        neg: float,
        mixed: bool,
        topics: dict[str, dict[str, Any]],
        probs: dict[str, float],
        matches: list[Match[_Cue]],
        severity_hint: str | None,
        content: list[str],
        hospital: bool,
        negated: bool = False,
    ) -> tuple[str, str]:
        """Rules that outrank the blended probabilities, most specific first; returns (label, reason).

        They hold for messages about a hospital (a hospital topic or word); elsewhere the blend decides.
        ``content`` is the message's ``content_tokens``, ``hospital`` its ``_hospital_text``.
        """
        if not content or "".join(content) in self.nothing:
            return "neu", "nothing"
        kinds = {m.payload.kind for m in matches}
        big, small = max(pos, neg), min(pos, neg)
        one_sided = big >= LEXICON_DECIDES and small < MIXED_RATIO * big
        if negated and one_sided and ("contrast" not in kinds or neg == 0):
            # A bag of words cannot read negation ("ไม่ รอนาน" looks like a complaint to it): the
            # lexicon, which handled the negation, decides.
            return ("pos" if pos > neg else "neg"), "negation"
        if not hospital:
            return label, "blend"
        # Beyond this point the lexicon outranks a weak model; a model this sure of another label keeps it.
        top = max(probs, key=lambda k: probs[k])
        sure = probs[top] >= MODEL_VETO

        def unless_sure(proposed: str, reason: str) -> tuple[str, str]:
            return (label, "model") if sure and top != proposed else (proposed, reason)

        # round 12 (lead): praise or thanks, then "แต่" and a fault the lexicon weighs heavier ("ขอบคุณที่ช่วยแม่ไว้ทัน
        # แต่พยาบาลเวรดึกพูดไม่ดีเลย"): mixed, however sure the model is of the thanks (after "แต่" is what is stressed)
        if top == "pos" and 0 < pos < neg and "contrast" in kinds and _praise_then_but(matches):
            return "neu", "mixed"
        if severity_hint is not None:
            return unless_sure("neg", "incident")  # harm or an adverse event is never good news
        if mixed and pos > 0 and neg > 0 and min(pos, neg) / max(pos, neg) >= MIXED_RATIO:
            return unless_sure("neu", "mixed")
        # One aspect praised and another faulted ("พยาบาลน่ารัก แต่ห้องน้ำสกปรกมาก") is mixed however strong
        # either side is: the convention (SPEC §4) is neutral.
        polarities = set().union(*(t["polarity"] for t in topics.values())) if topics else set()
        # nlp-r11pat: also praise and, across a "แต่", a problem only the frames heard ("เภสัชใจดีมาก แต่รอรับยาชั่วโมง
        # กว่า", "ระบบคิวใช้ง่ายดี แต่หมอออกตรวจสาย"): no negative word, a problem all the same
        if "neg" in polarities and pos > 0 and (("pos" in polarities and neg > 0) or "contrast" in kinds):
            return unless_sure("neu", "mixed")
        if "suggestion" in kinds and "request_praise" not in kinds and pos == 0 and neg < SUGGESTION_NEG_MAX:
            return unless_sure("neu", "suggestion")
        if "question" in kinds and pos == 0 and neg == 0:
            return unless_sure("neu", "question")
        # A problem reported with no praise at all is a complaint however flatly it is told ("หลังคารั่ว
        # น้ำหยดใส่เตียง", "หมอมาสาย คนไข้รอเต็มหน้าห้อง"): a model unsure what to make of a plain account
        # (neutral) does not outrank it; only one sure it is praise does.
        # Only where the message names the hospital's world (a "domain" word: หมอ, คนไข้, ห้องยา…).
        if (
            pos == 0
            and "domain" in kinds
            and "question" not in kinds
            and any("neg" in t["polarity"] and "negative" in t["kinds"] for t in topics.values())
        ):
            return ("pos", "model") if sure and top == "pos" else ("neg", "problem")
        # One side clearly dominant ("รอนานมากค่ะ ขอบคุณค่ะ": the thanks is a closing formula).
        if one_sided:
            return unless_sure("pos" if pos > neg else "neg", "lexicon")
        return label, "blend"

    def _hospital_text(self, matches: list[Match[_Cue]], topics: dict[str, dict[str, Any]]) -> bool:
        """The text names the hospital's world: a domain word, or a hospital topic judged or faulted."""
        return any(m.payload.kind == "domain" for m in matches) or any(
            code in HOSPITAL_TOPICS and t["kinds"] & self.gate_kinds for code, t in topics.items()
        )

    def _judged(
        self, m: Match[_Cue], toks: list[str], matches: list[Match[_Cue]], clause: list[int], match_starts: list[int]
    ) -> bool:
        """Whether an aspect word is judged in its clause: an opinion word, a request or a negation within
        ASPECT_WINDOW tokens, on the same side of a space or "แต่" ("ยา ไม่ค่อยได้ผล", "อยากให้ปรับปรุงห้องยา").
        A word that names another topic's problem does not judge this one ("ห้องยาช้า" is waiting)."""
        if self._negation_start(toks, m.start) is not None:
            return True
        c = clause[m.start] if m.start < len(clause) else -1
        lo, hi = m.start - ASPECT_WINDOW, m.end + ASPECT_WINDOW
        if m.payload.topic == "waiting" and any(
            t in DURATION_WORDS or t.startswith(DURATION_PREFIXES)
            for t, tc in zip(toks[max(lo, 0) : hi], clause[max(lo, 0) : hi], strict=True)
            if tc == c
        ):
            return True  # "รอผล 3 ชั่วโมง": a wait given its length is a wait judged
        for o in matches[bisect_left(match_starts, lo - self.matcher.longest_tokens) : bisect_left(match_starts, hi)]:
            if o.end <= lo or o.start >= hi or o is m or (o.start < m.end and m.start < o.end):
                continue
            if clause[o.start] != c:
                continue
            kind = o.payload.kind
            if kind in ("request", "suggestion") or (
                kind in ("pos", "neg") and o.phrase not in NOT_JUDGING and o.phrase not in self.other_topic_words
            ):
                return True
        return False

    def _topics(self, toks: list[str], matches: list[Match[_Cue]], clause: list[int]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        match_starts = [m.start for m in matches]  # matches come sorted by start token
        # Opinion words right after a staff noun ("พยาบาล ดีมาก"); words that name another topic's
        # quality ("หมอ ตรวจละเอียด") are that topic's business.
        topic_phrases = {m.phrase for m in matches if m.payload.topic and m.payload.topic != "staff_behavior"}
        other_topic_starts = {
            m.start
            for m in matches
            if m.payload.topic not in ("", "staff_behavior") and m.payload.kind in ("negative", "positive", "aspect")
        }
        opinion_phrase = {
            m.start: m.phrase
            for m in matches
            if m.payload.kind in ("pos", "neg") and m.phrase not in topic_phrases and m.phrase not in NOT_JUDGING_STAFF
        }
        opinion_starts = opinion_phrase.keys()

        def add(code: str, kind: str, evidence: str, polarity: str = "") -> None:
            t = found.setdefault(code, {"miss": 1.0, "evidence": [], "polarity": set(), "kinds": set()})
            t["miss"] *= 1.0 - TOPIC_WEIGHTS[kind]
            t["kinds"].add(kind)
            if polarity:
                t["polarity"].add(polarity)
            if evidence not in t["evidence"]:
                t["evidence"].append(evidence)

        # A longer phrase hides the shorter ones inside it: within a topic ("ไม่สะอาด" over "สะอาด") and
        # across topics, where the longer phrase is the more specific ("ที่จอดรถไม่พอ" is parking, not
        # the staffing "ไม่พอ").
        topical = sorted((m for m in matches if m.payload.topic and m.payload.kind != "target"),
                         key=lambda m: m.char_start)  # fmt: skip
        starts = [m.char_start for m in topical]
        by_topic: dict[str, list[Match[_Cue]]] = {}
        reach = self.matcher.longest_span
        for m in topical:
            # Only matches starting at most one phrase length earlier can hold this one (linear overall).
            lo = bisect_left(starts, m.char_start - reach)
            hi = bisect_right(starts, m.char_start)
            inside_longer = any(
                o.payload.topic != m.payload.topic
                and m.char_end <= o.char_end
                and o.char_end - o.char_start > m.char_end - m.char_start
                for o in topical[lo:hi]
            )
            if not inside_longer:
                by_topic.setdefault(m.payload.topic, []).append(m)
        for code, ms in by_topic.items():
            for m in longest_non_overlapping(ms):
                neg_at = self._negation_start(toks, m.start)
                if m.payload.kind in ("negative", "secondary") and neg_at is not None:
                    continue  # "ไม่รอนาน": the problem did not happen
                praise = "pos" if neg_at is None else "neg"
                polarity = {
                    "negative": "neg",
                    "secondary": "neg",
                    "positive": praise,
                    "secondary_positive": praise,
                }.get(m.payload.kind, "")
                evidence = m.phrase if neg_at is None else "".join(toks[neg_at : m.start]) + m.phrase
                kind = m.payload.kind
                if (
                    kind == "aspect"
                    and code in JUDGED_TOPICS
                    and not self._judged(m, toks, matches, clause, match_starts)
                ):
                    kind = "context"  # "ไปรับยา" names the pharmacy; it does not judge it
                add(code, kind, evidence, polarity)
        for m in matches:
            if m.payload.kind == "target":
                hit = next((s for s in range(m.end, min(m.end + 2, len(toks))) if s in opinion_starts), None)
                # "หมอ ตรวจละเอียด ดีมาก": the praise is of the examination, another topic's phrase in between.
                if hit is not None and not any(s in other_topic_starts for s in range(m.end, hit)):
                    skill = (
                        m.payload.topic == "staff_behavior"
                        and opinion_phrase.get(hit) in SKILL_WORDS
                        and all(toks[s] in SKILL_BETWEEN for s in range(m.end, hit))  # "ปลอบเก่ง" is a manner
                    )
                    add("clinical_care" if skill else m.payload.topic, "target", m.phrase)
        return found

    def _polarity(
        self, toks: list[str], matches: list[Match[_Cue]], topics: dict[str, dict[str, Any]], lead: int = 0
    ) -> tuple[float, float, bool, int, bool]:
        """Praise and complaint strength, whether a grievance/request is voiced, the contrast count, and
        whether a negation turned a topic's cue around ("ไม่รอนาน", "ไม่สะอาด"). The first ``lead`` tokens
        are a "nothing to report" clause (NOTHING_LEAD): their cues are not weighed and negate nothing after."""
        if lead:
            matches = [m for m in matches if m.start >= lead]
        contrast_at = [m.start for m in matches if m.payload.kind == "contrast"]
        first_contrast = min(contrast_at, default=0)
        request = any(m.payload.kind == "request" for m in matches)
        # Thanks before a request ("ขอบคุณค่ะ แนะนำเพิ่ม… น่าจะมีร่ม") opens it; only thanks after it, or a wish
        # that praises ("ขอให้รักษามาตรฐานไว้"), makes the request well-wishing.
        last_request = max((m.start for m in matches if m.payload.kind == "request"), default=-1)
        request_praise = any(
            m.payload.kind == "request_praise" and (m.phrase not in THANKS or m.start > last_request) for m in matches
        )
        polar = [m for m in matches if m.payload.kind in ("pos", "neg", *TOPIC_POLAR)]
        pos = neg = 0.0
        grievance = negated = False
        for m in longest_non_overlapping(polar):
            is_pos = m.payload.kind in ("pos", "positive", "secondary_positive")
            weight = 1.0
            nxt = toks[m.end] if m.end < len(toks) else ""
            if nxt in self.intensifiers or m.phrase.endswith(self.intensifier_suffixes):
                weight = 1.5  # "รอนาน มาก" and the lexicon's own "น่ารักมาก" weigh the same
            elif nxt in self.downtoners:
                weight = 0.6
            if contrast_at:
                # After "แต่" is what the writer stresses; before it is conceded.
                weight *= 1.3 if first_contrast < m.start else 0.8
            if m.phrase in ("ขอบคุณ", "ขอบคุณค่ะ", "ขอบคุณครับ", "ขอบคุณมาก", "ขอบพระคุณ"):
                weight *= 0.6  # polite closing formula, even at the end of a complaint
            negation = self._negation_start(toks, m.start)
            if negation is not None and negation < lead:
                negation = None
            if (
                negation is not None
                and is_pos
                and "".join(toks[negation : negation + 2]).startswith("ไม่เคย")
                and NEVER_SO_AFTER.match("".join(toks[m.end : m.end + 3]))
            ):
                negation = None  # "ไม่เคยได้ตรวจเร็วขนาดนี้": never before so fast
            if (
                not is_pos
                and negation is None
                and first_contrast > m.start
                and SUPPOSED_BEFORE.search("".join(toks[max(0, m.start - 7) : m.start]))
            ):
                negated = True
                continue  # "คาดว่าจะแพงแต่ไม่แพงเลย": the price only supposed
            cue_at = m.start if negation is None else negation
            said_before = "".join(toks[max(0, cue_at - 4) : cue_at])
            if (negation is not None or not is_pos) and NOTHING_BEFORE.search(said_before):
                negated = True  # the bag of words cannot read this either: the lexicon decides
                continue  # "หมอใจดีมาก ไม่มีอะไรไม่พอใจ", "บ่มีหยังบ่พอใจ": nothing they disliked
            if not is_pos and negation is None and PAST_BEFORE.search("".join(toks[max(0, m.start - 3) : m.start])):
                negated = True
                continue  # "ห้องยาเร็วขึ้นเยอะ ปีก่อนรอเป็นชั่วโมง": last year's wait is what got better
            if m.payload.topic in HOSPITAL_TOPICS and (
                negation is not None or m.phrase.startswith(self.negator_prefixes)
            ):
                negated = True  # a hospital topic's word, negated
            if negation is not None:
                if is_pos:
                    neg += weight
                    grievance = True
                else:
                    pos += 0.5 * weight
            elif is_pos:
                pos += weight
            else:
                symptom = m.phrase in SYMPTOM_WORDS
                neg += weight * (0.4 if symptom else 1.0)
                grievance = grievance or not symptom
        if request and not (request_praise and neg == 0):
            grievance = True
        return pos, neg, grievance, len(contrast_at), negated

    @staticmethod
    def _lexicon_probs(pos: float, neg: float, aspects_mixed: bool) -> dict[str, float] | None:
        if pos == 0 and neg == 0:
            return None
        if aspects_mixed and pos > 0 and neg > 0 and min(pos, neg) / max(pos, neg) >= MIXED_RATIO:
            return {"pos": 0.0, "neu": 1.0, "neg": 0.0}  # praise and complaint together: mixed
        s = (pos - neg) / (pos + neg + 0.5)
        return {"pos": max(s, 0.0), "neg": max(-s, 0.0), "neu": 1.0 - abs(s)}


def _cause_topics(
    tags: list[TopicTag], topics: dict[str, dict[str, Any]], risk_codes: Sequence[RiskCodeSuggestion]
) -> tuple[list[TopicTag], dict[str, Any]]:
    """An incident report's topics are the topics of its cause (LABELLING.md), and the NRLS coder's suggested
    codes name the cause: each suggested code votes for its family's topic (nlp.nrls.CODE_TOPICS) by its
    score. Where the lexicon heard several topics and the codes back some of them, the others are things the
    narrative mentions in passing (the harm that followed, the place, a drug given as treatment, a call
    made) and are dropped; the topic model's and the hospital's corrections' tags stay (they learnt what
    such reports are about). A lone tag heard only from a place or harm word yields to a topic the codes
    agree on; with no tag at all, the codes' topic is the tag. Returns the tags and their explanation
    (details["cause"]: the votes, and the dropped tags with their evidence)."""
    votes: dict[str, float] = {}
    backers: dict[str, list[str]] = {}
    for r in risk_codes:
        topic = code_topic(r.code)
        if topic is not None:
            votes[topic] = votes.get(topic, 0.0) + r.score
            backers.setdefault(topic, []).append(r.code)
    why: dict[str, Any] = {"votes": {t: round(v, 3) for t, v in votes.items()}, "dropped": {}}
    best = max(votes, key=lambda t: votes[t]) if votes else None

    def code_tag(topic: str) -> TopicTag:
        return TopicTag(topic, round(min(0.9, votes[topic]), 3), backers[topic])

    backed = [votes[tag.code] for tag in tags if tag.code in votes]
    if len(tags) > 1 and backed:
        # a code in third place with a fraction of the leader's score does not back a topic named in passing
        floor = CAUSE_VOTE_SHARE * max(backed)
        kept = [
            tag
            for tag in tags
            if votes.get(tag.code, 0.0) >= floor or topics.get(tag.code, {}).get("kinds", set()) & LEARNT_KINDS
        ]
        why["dropped"] = {tag.code: tag.evidence for tag in tags if tag not in kept}
        return kept, why
    if len(tags) == 1 and best is not None and tags[0].code not in votes:
        kinds = topics[tags[0].code]["kinds"] if tags[0].code in topics else set()
        # a drug heard only by its name or dose beside harm is the treatment of the event, not a strong cause
        treatment = tags[0].code == "medication" and kinds <= TREATMENT_DRUG_KINDS
        if (treatment or not kinds & STRONG_CAUSE_KINDS) and votes[best] >= CAUSE_VOTE_REPLACES:
            why["dropped"] = {tags[0].code: tags[0].evidence}
            return [code_tag(best)], why
    if not tags and best is not None:
        return [code_tag(best)], why
    if [tag.code for tag in tags] == ["waiting"] and best not in (None, "waiting") and votes[best] >= CAUSE_VOTE_ADDS:
        return [*tags, code_tag(best)], why
    return tags, why


# round 12 (tune29 incident, nlp-r12inc): in an incident report, process heard only from a thing named (the HIS where a
# record sat, a referral the patient went on, an online booking page that was attacked, "ส่งต่อ รพ.มะเร็ง") is no cause
# when another topic names one: 42 such tags across the dev files were wrong and 16 right. It stays when a process
# cause was told (contributing_causes), a problem word was heard, the model or the corrections learnt it, or the
# codes vote for it strongly (R12_VOTE_KEEPS: the records and registration codes of a duplicate HN).
R12_PASSING_KINDS = frozenset({"aspect", "context"})
# medication named only (the pharmacy as the place of a wait, "ไม่ได้รับยา" after a patient left unseen, a drug named as
# the treatment) beside another cause: 8 of 11 such tags in the dev files were wrong; a medication code at 0.5 keeps it
R12_VOTE_KEEPS = {"process": 0.9, "medication": 0.5}
# the process's own things (its steps, registration, the folders, a referral letter, a form, a screening step) are
# named as the process itself, not as the setting: they keep the tag
R12_REFERRAL_CENTRE = "ศูนย์ส่งต่อ"
# a fall from a vehicle named as what brought the patient ("จาก จยย.ล้ม", "ขี่มอเตอร์ไซค์ล้ม", "รถล้ม")
R12_ROAD_FALL = re.compile(r"(?:จยย\.?|จักรยานยนต์|มอเตอร์ไซค์|มอไซค์|มอไซ|รถ\S{0,8}|จักรยาน)\s*(?:แล้ว)?\s*(?:ล้ม|ลื่นล้ม|หกล้ม)")
R12_FALL_WORDS = frozenset({"ล้ม", "หกล้ม", "ลื่นล้ม"})


R12_CAMERA_COVERAGE = re.compile(r"(?:cctv|กล้อง)[^\n]{0,30}?ไม่\s*ครอบคลุม", re.IGNORECASE)


def _r13_patient_topics(said: str, topics: dict[str, dict[str, Any]], reasons: Sequence[str]) -> None:
    """r13 tune34: topics a patient's words named in passing, read out (see the patterns above); and a theft told to the
    police (a sentinel reason) is safety_privacy even when no lexicon word named the loss."""
    squeezed = said.replace(" ", "")
    staffing = topics.get("staffing")
    if staffing and all(LATE_BARE.fullmatch(e.replace(" ", "")) for e in staffing["evidence"]):
        if not any(LATE_WHO.search(squeezed[max(0, m.start() - 24) : m.start()]) for m in LATE_BARE.finditer(squeezed)):
            del topics["staffing"]
    if "communication" in topics and DRILL.search(squeezed):
        for code in ("safety_privacy", "environment"):
            t = topics.get(code)
            if t and all(FIRE_WORDS.fullmatch(e.replace(" ", "")) for e in t["evidence"]):
                del topics[code]
    cost = topics.get("cost_rights")
    if cost and len(topics) > 1 and all(CARD_WORDS.fullmatch(e.replace(" ", "")) for e in cost["evidence"]):
        first, _, rest = said.partition(" ")
        if CARD_INTRO.fullmatch(first) and not MONEY_TOLD.search(rest.replace(" ", "")):
            del topics["cost_rights"]
    if "process" in topics:
        purposes = [m.group(1) for m in QUEUE_FOR.finditer(squeezed)]
        for code in ("medication", "cost_rights", "clinical_care"):
            t = topics.get(code)
            if t and t["kinds"] <= {"aspect", "context"} and purposes and all(
                any(e.replace(" ", "") in p for p in purposes) for e in t["evidence"]
            ):
                del topics[code]
        told = topics.get("communication")
        untold = all(UNTOLD_WORDS.fullmatch(e.replace(" ", "")) for e in told["evidence"]) if told else False
        if untold and NEXT_UNTOLD.search(squeezed):
            del topics["communication"]
    told = topics.get("communication")
    words = [w.replace(" ", "") for w in told["evidence"]] if told else []
    price_untold = all(UNTOLD_BEFORE.fullmatch(e) or UNTOLD_WORDS.fullmatch(e) for e in words)
    if words and "cost_rights" in topics and price_untold:
        del topics["communication"]
    care = topics.get("clinical_care")
    if care and set(care["evidence"]) <= {"ดูแลดี"} and GUARD_CARE.search(squeezed):
        topics["staff_behavior"] = topics.pop("clinical_care")
    food = topics.get("food")
    if food and "อาหาร" in squeezed:
        spans = [(m.start(), m.end()) for m in DIET_ADVICE.finditer(squeezed)]
        if spans and all(
            any(a <= squeezed.find(e.replace(" ", ""), a) < b for a, b in spans) for e in food["evidence"]
        ):
            del topics["food"]
    med = topics.get("medication")
    if med and "staffing" in topics and set(med["evidence"]) <= {"เภสัช", "เภสัชกร"}:
        del topics["medication"]  # "เพิ่มเภสัชตอนเที่ยง": how many pharmacists, not the drugs
    room = topics.get("environment")
    way = topics.get("parking_access")
    if room and way and all(any(e in w for w in way["evidence"]) for e in room["evidence"]):
        del topics["environment"]  # "ที่จอดรถคับแคบ": the car park's room, not the building's
    if "safety_privacy" not in topics and any(r.startswith("theft_police") for r in reasons):
        miss = 1.0 - TOPIC_WEIGHTS["negative"]
        topics["safety_privacy"] = {"miss": miss, "evidence": ["แจ้งความ"], "polarity": {"neg"}, "kinds": {"severity"}}


def _r12_camera_coverage_only(text: str, topics: dict[str, dict[str, Any]]) -> bool:
    """round 12: cost_rights heard only from "ไม่ครอบคลุม" said of a security camera."""
    cost = topics.get("cost_rights")
    if cost is None or set(cost["evidence"]) != {"ไม่ครอบคลุม"} or cost["kinds"] & LEARNT_KINDS:
        return False
    return text.count("ครอบคลุม") == len(R12_CAMERA_COVERAGE.findall(text))


def _r12_road_fall_only(text: str, topics: dict[str, dict[str, Any]]) -> bool:
    """round 12: safety_privacy heard only from "ล้ม" and every fall in the report is a road fall (R12_ROAD_FALL)."""
    safety = topics.get("safety_privacy")
    if safety is None or not safety["evidence"] or not set(safety["evidence"]) <= R12_FALL_WORDS:
        return False
    if safety["kinds"] & LEARNT_KINDS:
        return False
    return text.count("ล้ม") == len(R12_ROAD_FALL.findall(text))


R12_PROCESS_ITSELF = ("ขั้นตอน", "ลงทะเบียน", "แฟ้ม", "ส่งตัว", "แบบฟอร์ม", "คัดกรองก่อน")


def _r12_process_in_passing(
    text: str,
    tags: list[TopicTag],
    topics: dict[str, dict[str, Any]],
    causes: dict[str, list[str]],
    why: dict[str, Any],
) -> list[TopicTag]:
    # the referral centre reports on its own process (tune25: a referral left late): only medication can be in passing
    for code in ("medication",) if R12_REFERRAL_CENTRE in text else ("process", "medication"):
        tags = _r12_in_passing(code, tags, topics, causes, why)
    return tags


def _r12_in_passing(
    code: str,
    tags: list[TopicTag],
    topics: dict[str, dict[str, Any]],
    causes: dict[str, list[str]],
    why: dict[str, Any],
) -> list[TopicTag]:
    """Drop ``code`` when it was only named (R12_PASSING_KINDS) beside another tag, no cause of it was told and the
    codes do not vote for it strongly (R12_VOTE_KEEPS); process's own things keep it (R12_PROCESS_ITSELF)."""
    if len(tags) < 2 or code in causes or code not in {tag.code for tag in tags}:
        return tags
    named = topics.get(code)
    if named is None or not named["kinds"] or not named["kinds"] <= R12_PASSING_KINDS:
        return tags
    if why["votes"].get(code, 0.0) >= R12_VOTE_KEEPS[code]:
        return tags
    if code == "process" and any(w.replace(" ", "").startswith(R12_PROCESS_ITSELF) for w in named["evidence"]):
        return tags
    why["dropped"][code] = named["evidence"]
    return [tag for tag in tags if tag.code != code]


# r13 tune33 (nlp-inc33): staff conduct that others saw or filmed ("ล้อเลียนผป.ต่อหน้าคนอื่น", "ตะโกนใส่ยาย … ญาติถ่ายคลิปไว้"),
# a quarrel or a shove between staff or at a patient ("จนท.เปล 2 คน ทะเลาะ … ชกต่อยกัน", "ผลักผป.ล้ม") is the conduct
# (staff_behavior), not a privacy breach or a security event: a safety_privacy tag heard only from these words beside
# staff_behavior is dropped (the dev files: 11 of 13 such reports are staff_behavior only; the other two name a privacy
# or a suicide word of their own, which keeps the tag). A safety cause told (contributing_causes) keeps it too, and so
# does a blow that hurt someone (R13_33_HURT: "จมูกหักต้องผ่าตัด", "แผลถลอก"; tune9 and tune19 label those both).
R13_33_WITNESSED = frozenset({
    "ต่อหน้า", "ต่อหน้าคนอื่น", "ถ่ายคลิป", "อัดคลิป", "ทะเลาะ", "ผลัก", "ชกต่อย", "ล้ม",
})  # fmt: skip
R13_33_BLOWS = frozenset({"ผลัก", "ชกต่อย", "ล้ม"})
R13_33_HURT = re.compile(r"หัก|ผ่าตัด|เย็บ|ถลอก|แผล|บาดเจ็บ|เลือดออก|ฟกช้ำ|แตก")


def _r13_33_witnessed(
    text: str, tags: list[TopicTag], causes: dict[str, list[str]], why: dict[str, Any]
) -> list[TopicTag]:
    codes = {tag.code for tag in tags}
    if "staff_behavior" not in codes or "safety_privacy" not in codes or "safety_privacy" in causes:
        return tags
    safety = next(tag for tag in tags if tag.code == "safety_privacy")
    words = {e.replace(" ", "") for e in safety.evidence}
    if not words or not words <= R13_33_WITNESSED or (words & R13_33_BLOWS and R13_33_HURT.search(text)):
        return tags
    why["dropped"]["safety_privacy"] = list(safety.evidence)
    return [tag for tag in tags if tag.code != "safety_privacy"]


def _inc26_harm_text(text: str) -> str:
    """nlp-inc26: the report with INC26_NOT_THIS_HARM read out (a skin burn kept as a burn wound); the same object
    when there is nothing to read out."""
    if not gated_search(INC26_NOT_THIS_HARM_QUICK, text):
        return text
    return gated_sub(INC26_NOT_THIS_HARM, lambda m: " แผลไหม้ " if m.group("burn") else " ", text)


def _inc26_consequences(
    text: str,
    tags: list[TopicTag],
    topics: dict[str, dict[str, Any]],
    causes: dict[str, list[str]],
    why: dict[str, Any],
) -> list[TopicTag]:
    """nlp-inc26: drop the lexicon tags an incident report only names as a denied harm or as the wait that followed
    the outage it names as the cause (see INC26_DENIED_HARM, INC26_OUTAGE_CAUSES); at least one tag stays."""
    if len(tags) < 2:
        return tags
    flat = text.replace(" ", "")
    rest = gated_sub(INC26_DENIED_HARM, "|", text).replace(" ", "") if gated_search(INC26_DENIED_HARM, text) else flat
    dropped: list[TopicTag] = []
    outage = bool(INC26_OUTAGE_CAUSES & ({tag.code for tag in tags} | causes.keys()))
    for tag in tags:
        kinds = topics.get(tag.code, {}).get("kinds", set())
        if tag.code == "waiting" and outage and "waiting" in causes:
            # the length told as what the outage cost, longer than usual ("รอผลนานขึ้น 1–2 ชม.")
            if not INC26_WAIT_CONSEQUENCE.search(text):
                continue
        elif tag.code in causes or kinds & LEARNT_KINDS or not kinds:
            continue
        words = [e.replace(" ", "") for e in tag.evidence]
        if rest is not flat and words and all(w in flat and w not in rest for w in words):
            dropped.append(tag)
        elif tag.code == "waiting" and outage:
            dropped.append(tag)
    kept = [tag for tag in tags if tag not in dropped]
    if not kept:
        return tags
    why["dropped"].update({tag.code: tag.evidence for tag in dropped})
    return kept


def _praise_then_but(matches: list[Match[_Cue]]) -> bool:
    """round 12 (tune31, nlp-pat31): a praise cue comes before the first "แต่" (the fault is told after it)."""
    but = min((m.start for m in matches if m.payload.kind == "contrast" and m.phrase in ("แต่", "แต่ว่า")), default=None)
    if but is None:
        return False
    return any(m.payload.kind in ("pos", "positive") and m.end <= but for m in matches)


def _now_met_after_wish(norm: str) -> bool:
    """r13: a clause after the wish's tells it met now (NOW_MET)."""
    chunks = norm.split()
    first = next((i for i, c in enumerate(chunks) if any(w in c for w in EXPECTATION_WISH)), None)
    return first is not None and any(NOW_MET.search(c) for c in chunks[first + 1 :])


def _met_after_wish(norm: str) -> bool:
    """pat27: an expectation's met marker stands in a clause after its wish's ("หวังว่าจะได้ห้องเงียบๆ ได้จริงค่ะ"), not
    inside the wish ("อยากได้ห้องน้ำที่รถเข็นเข้าได้จริงๆ")."""
    chunks = norm.split()
    first = next((i for i, c in enumerate(chunks) if any(w in c for w in EXPECTATION_WISH)), None)
    return first is not None and any(m in c for c in chunks[first + 1 :] for m in EXPECTATION_MET)


def _nothing_lead(toks: list[str], clause: list[int]) -> int:
    """How many leading tokens say "nothing to report" (NOTHING_LEAD) before a later clause; 0 if none."""
    if not clause or clause[-1] == 0:
        return 0
    n = clause.index(1) if 1 in clause else 0
    return n if n and NOTHING_LEAD.fullmatch("".join(toks[:n])) else 0


def _clause_ids(norm: str, toks: list[str]) -> list[int]:
    """Clause number of each token: Thai writers separate clauses with a space, which the tokenizer drops."""
    fast = clause_ids(norm, toks)
    return fast if fast is not None else _clause_ids_reference(norm, toks)


def _clause_ids_reference(norm: str, toks: list[str]) -> list[int]:
    ids: list[int] = []
    clause, pos = 0, 0
    for tok in toks:
        skipped = False
        while pos < len(norm) and norm[pos].isspace():
            pos, skipped = pos + 1, True
        if skipped and ids:
            clause += 1
        if tok and norm.startswith(tok, pos):
            pos += len(tok)
        ids.append(clause)
    return ids


_lock = threading.Lock()
_cache: dict[tuple[str, str], Analyzer] = {}


def get_analyzer(config_dir: Path | str | None = None, engine: str | None = None) -> Analyzer:
    """The process-wide analyser for a config dir (default: the repo's config/), built once, thread-safe."""
    cfg = Path(config_dir).resolve() if config_dir is not None else DEFAULT_CONFIG_DIR
    eng = engine or os.environ.get(ENGINE_ENV) or DEFAULT_ENGINE
    key = (str(cfg), eng)
    analyzer = _cache.get(key)
    if analyzer is None:
        with _lock:
            analyzer = _cache.get(key)
            if analyzer is None:
                analyzer = Analyzer(cfg, eng)
                _cache[key] = analyzer
    return analyzer
