"""Small helpers the patient flows share: score parsing, dates, unit lists with paging, who to ping."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pythainlp.tokenize import word_tokenize
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.messages import Button, Channel, Delivery, Outbound
from handlers.payloads import extend
from handlers.turn import Turn
from store.models import ChannelIdentity, Staff
from store.periods import BE_OFFSET, local
from store.units import UnitSpec, units_named_in

QUICK_REPLY_MAX = 13  # LINE shows at most 13 quick-reply buttons under a message
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
THAI_NUMBER_WORDS = {"หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5}
NUMBER = re.compile(r"-?\d+")


def normalise_digits(text: str) -> str:
    return text.translate(THAI_DIGITS)


# --- control words ------------------------------------------------------------------------------
# Patients type control words the way they talk: "ยกเลิกค่ะ", "ส่งเลยครับ", "ข้ามจ้า", "เสร็จแล้วค่ะ 🙏".
# `bare` strips the polite endings, fillers, emoji and punctuation so each flow compares one plain word.

POLITE_ENDINGS = ("นะคะ", "นะครับ", "ค่ะ", "คะ", "ค่า", "คร่ะ", "ครับ", "คับ", "ขอรับ", "จ้า", "จ้ะ", "จ๊ะ",
                  "จ้ะ", "ฮะ", "นะ", "น้า", "เลย", "ด้วย", "ละ", "หน่อย", "ก่อน")
NOT_WORD = re.compile(r"[^\w\u0e00-\u0e7f/]+")
REPEATED = re.compile(r"(.)\1{2,}")  # "ส่งงงง" → "ส่ง"

CANCEL_WORDS = frozenset({"ยกเลิก", "cancel", "/cancel", "ไม่เอาแล้ว", "ไม่เอา", "เลิก", "ไม่ทำแล้ว",
                          "ยกเลิกทั้งหมด", "ออก", "stop", "ไม่ต้องแล้ว", "ไม่ต้อง"})
DONE_WORDS = frozenset({"ส่งเรื่อง", "ส่ง", "ส่งได้", "ส่งได้เลย", "เสร็จ", "เสร็จแล้ว", "จบ", "พอแล้ว",
                        "ครบแล้ว", "แค่นี้", "หมดแล้ว", "ยืนยัน"})
SKIP_WORDS = frozenset({"ข้าม", "ไม่มี", "ไม่", "-", "ไม่ทราบ", "ไม่แน่ใจ", "ไม่รู้", "ไม่ระบุ", "ผ่าน", "skip",
                        "ไม่มีความเห็น", "ไม่มีอะไร", "ไม่มีอะไรเพิ่ม", "ไม่มีเพิ่มเติม"})


def bare(text: str | None) -> str:
    """'ยกเลิกค่ะ' → 'ยกเลิก', 'ส่งเลยค่ะ 🙏' → 'ส่ง', 'เสร็จแล้วครับ' → 'เสร็จแล้ว'; other text comes back
    lower-cased without spaces or punctuation, so it never equals a control word by accident."""
    word = REPEATED.sub(r"\1", NOT_WORD.sub("", normalise_digits(text or "")).lower())
    stripped = True
    while stripped:
        stripped = False
        for ending in POLITE_ENDINGS:
            if word.endswith(ending) and len(word) > len(ending):
                word, stripped = word[: -len(ending)], True
    return word


def is_cancel(text: str | None) -> bool:
    return bare(text) in CANCEL_WORDS


def is_done(text: str | None) -> bool:
    return bare(text) in DONE_WORDS


def is_skip(text: str | None) -> bool:
    return bare(text) in SKIP_WORDS or (text or "").strip() in {"-", "–"}


PHONE_IN_TEXT = re.compile(r"(?<!\d)(\+?66|0)[\s\-.]?(\d(?:[\s\-.]?\d){7,8})(?!\d)")


def find_phone(text: str) -> str | None:
    """A Thai phone number anywhere in a sentence ('เบอร์ 081-234-5678 ค่ะ', '+66 81 234 5678'), as 0XXXXXXXXX."""
    match = PHONE_IN_TEXT.search(normalise_digits(text))
    if match is None:
        return None
    digits = "0" + re.sub(r"\D", "", match.group(2))
    return digits if re.fullmatch(r"0\d{8,9}", digits) else None


@dataclass(frozen=True)
class ScoreAnswer:
    """What a typed answer to a 1–5 question was: a score, or why it is not one."""

    score: int | None = None
    problem: str | None = None  # not_number | out_of_range | not_text


OUT_OF_FIVE = re.compile(r"(\d)\s*(?:/|เต็ม|จาก|จากเต็ม)\s*5\b")
SCORE_FILLERS = ("ให้", "คะแนน", "ดาว", "ข้อนี้", "ได้")


def parse_score(text: str | None, *, has_attachment: bool = False) -> ScoreAnswer:
    """'4', '๔', '4 คะแนน', 'สี่', 'ให้ 5 คะแนนค่ะ', 'ให้ห้าดาวเลยครับ', '4/5' → the score; letters → not_number;
    0 or 9 → out_of_range."""
    if not text:
        return ScoreAnswer(problem="not_text" if has_attachment else "not_number")
    cleaned = OUT_OF_FIVE.sub(r"\1", normalise_digits(text.strip()))
    numbers = NUMBER.findall(cleaned)
    if len(numbers) == 1:
        value = int(numbers[0])
        return ScoreAnswer(score=value) if 1 <= value <= 5 else ScoreAnswer(problem="out_of_range")
    if len(numbers) > 1:
        return ScoreAnswer(problem="out_of_range")
    word = bare(cleaned)
    for filler in SCORE_FILLERS:
        word = word.replace(filler, "")
    if word in THAI_NUMBER_WORDS:
        return ScoreAnswer(score=THAI_NUMBER_WORDS[word])
    return ScoreAnswer(problem="not_number")


DATE_DMY = re.compile(r"^(\d{1,2})[/\-. ](\d{1,2})[/\-. ](\d{2,4})$")
DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_visit_date(text: str, *, today: date) -> date | None:
    """A typed visit date: 'วันนี้', 'เมื่อวาน', '25/11/2569' (B.E.), '25/11/2026', '2026-11-25'."""
    cleaned = normalise_digits(text.strip())
    if cleaned in {"วันนี้", "today"}:
        return today
    if cleaned in {"เมื่อวาน", "เมื่อวานนี้", "yesterday"}:
        return today - timedelta(days=1)
    day = month = year = None
    if m := DATE_ISO.match(cleaned):
        year, month, day = (int(g) for g in m.groups())
    elif m := DATE_DMY.match(cleaned):
        day, month, year = (int(g) for g in m.groups())
        if year < 100:  # '25/11/69' → 2569 B.E.
            year += 2500
    if year is None or month is None or day is None:
        return None
    if year > 2400:  # Buddhist era
        year -= BE_OFFSET
    try:
        return date(year, month, day)
    except ValueError:
        return None


def bangkok_today(now: datetime) -> date:
    return local(now).date()


# --- units (`turn.hospital.units`, `.patient_units`, `.unit_name(code)`, `.patient_unit_name(code)`) ---


PARENTHESIS = re.compile(r"\s*\([^)]*\)")


def short_label(name: str, limit: int = 20) -> str:
    """A unit name that fits a LINE label: without '(…)', then without a leading 'งาน', then cut after a whole
    word with '…' ('การเงินและประกันสุขภาพ' → 'การเงินและประกัน…', never 'การเงินและประกันสุข…')."""
    if len(name) <= limit:
        return name
    name = PARENTHESIS.sub("", name).strip() or name
    if len(name) > limit and name.startswith("งาน"):
        name = name[3:]
    return name if len(name) <= limit else cut_at_word(name, limit - 1) + "…"


def cut_at_word(text: str, limit: int) -> str:
    """The longest run of whole Thai words (PyThaiNLP's dictionary) within `limit` characters."""
    kept = ""
    for word in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if len(kept) + len(word) > limit:
            break
        kept += word
    return kept.rstrip() or text[:limit]


def page_buttons(
    turn: Turn,
    choices: list[tuple[str, str]],
    *,
    page: int,
    page_payload: str,
    extra: list[Button] | None = None,
) -> list[Button]:
    """Choices (label, payload) cut to fit one quick-reply row of 13, with ถัดไป / ก่อนหน้า when needed.

    `page_payload` gets ':N' appended for the other pages; `extra` (e.g. ข้าม) stays on every page.
    """
    extra = extra or []
    room = QUICK_REPLY_MAX - len(extra)
    if len(choices) <= room:
        return [Button(short_label(label), payload) for label, payload in choices] + extra
    per_page = room - 2  # keep space for ถัดไป and ก่อนหน้า
    pages = max(1, -(-len(choices) // per_page))
    page = max(0, min(page, pages - 1))
    chunk = choices[page * per_page : (page + 1) * per_page]
    buttons = [Button(short_label(label), payload) for label, payload in chunk]
    if page > 0:
        buttons.append(Button(turn.t("button.flow.previous"), extend(page_payload, str(page - 1))))
    if page < pages - 1:
        buttons.append(Button(turn.t("button.flow.next"), extend(page_payload, str(page + 1))))
    return buttons + extra


def match_unit(text: str, choices: list[UnitSpec]) -> UnitSpec | None:
    """A typed department: its number in the list, its code, (part of) its Thai name, or an everyday word for it
    (units.toml `aliases`) inside the answer."""
    cleaned = normalise_digits(text.strip())
    if cleaned.isdigit() and 1 <= int(cleaned) <= len(choices):
        return choices[int(cleaned) - 1]
    lowered = cleaned.lower()
    for unit in choices:
        if lowered == unit.code or cleaned in (unit.name_th, unit.label):
            return unit
    found = [u for u in choices if len(cleaned) >= 2 and (cleaned in u.name_th or cleaned in u.label)]
    if not found:  # an everyday word, however typed: "หมอฟันค่ะ", "แล็บ ชั้น 2", "x-ray"
        found = units_named_in(choices, cleaned)
    return found[0] if len(found) == 1 else None


def numbered_list(items: list[str]) -> str:
    return "\n".join(f"{i}. {name}" for i, name in enumerate(items, 1))


def in_group(turn: Turn) -> bool:
    """Patient flows are 1:1 only: in a group chat they would show a patient's answers to everyone."""
    if turn.inbound.is_group:
        turn.say("menu.private_only")
        return True
    return False


# --- the main menu (every flow ends on it; handlers/menu.py routes what is typed outside a flow) ----------

MENU_ENTRIES = (("survey", "survey"), ("complaint", "complaint"), ("compliment", "compliment"), ("track", "track"))
GREETINGS = ("สวัสดี", "หวัดดี", "ดีครับ", "ดีค่ะ", "hello", "hi", "เริ่ม", "start")
# Typing a menu word works like pressing its button (handy on the terminal and for older phones).
MENU_WORDS = {
    "เมนู": "menu", "เมนูหลัก": "menu", "menu": "menu",
    "ประเมิน": "survey", "แบบประเมิน": "survey", "ประเมินความพึงพอใจ": "survey",
    "ร้องเรียน": "complaint", "เสนอแนะ": "complaint", "ร้องเรียน/เสนอแนะ": "complaint",
    "ชมเชย": "compliment", "คำชม": "compliment",
    "ติดตาม": "track", "ติดตามเรื่อง": "track", "สถานะ": "track",
}


async def menu_buttons(turn: Turn) -> list[Button]:
    buttons = [turn.button(key, payload) for key, payload in MENU_ENTRIES]
    patient = await turn.existing_patient()
    if patient is not None and patient.consent != "none":  # something to manage once they have answered
        buttons.append(turn.button("privacy", "privacy"))
    return buttons


async def show_menu(turn: Turn, key: str = "menu.again") -> None:
    turn.say(key, buttons=await menu_buttons(turn))

# --- people -------------------------------------------------------------------------------------


async def patient_chats(session: AsyncSession, *, patient_id: int) -> list[ChannelIdentity]:
    """The chats a patient can be reached in (1:1 chats: chat id = user id on LINE and Telegram)."""
    query = select(ChannelIdentity).where(ChannelIdentity.patient_id == patient_id, ChannelIdentity.followed)
    return list((await session.exec(query)).all())


async def unit_head_chats(session: AsyncSession, *, unit_code: str) -> list[ChannelIdentity]:
    query = (
        select(ChannelIdentity)
        .join(Staff, Staff.id == ChannelIdentity.staff_id)  # type: ignore[arg-type]
        .where(Staff.unit_code == unit_code, Staff.role == "unit_head", Staff.active, ChannelIdentity.followed)
    )
    return list((await session.exec(query)).all())


def delivery_to(identity: ChannelIdentity, messages: list[Outbound], *, dedupe_key: str) -> Delivery:
    return Delivery(Channel(identity.channel), identity.external_id, messages, dedupe_key=dedupe_key)


def tag_columns(analysis: Any | None, *, complaint_default: bool = False) -> dict[str, Any]:
    """The NLP's analysis as Feedback columns: topics with their evidence, sentiment, complaint, severity hint,
    sentinel, and `nlp` — what the committee confirms or corrects (question, confidence, needs_review, NRLS
    risk codes, severity). No analysis (the NLP failed): untagged, so the text is never lost for want of tags."""
    if analysis is None:
        return {"complaint": complaint_default}
    return {
        "topics": [{"code": t.code, "score": t.score, "evidence": list(t.evidence)} for t in analysis.topics],
        "sentiment": analysis.sentiment.label, "sentiment_score": analysis.sentiment.score,
        "complaint": bool(analysis.complaint), "severity_hint": analysis.severity_hint,
        "sentinel": bool(analysis.sentinel), "nlp": analysis.suggestions(),
    }
