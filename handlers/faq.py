"""Everyday questions (opening hours, phone numbers, appointments, "ขอคุยกับเจ้าหน้าที่") answered from
`config/faq.toml` — the hospital's own answers, validated at start — with a hand-off to a person where the
entry asks for one, instead of "ยังไม่แน่ใจ" or a complaint offer.

Only free text outside a flow is matched, and only when it reads as a question: short (at most
`max_question_chars` without spaces) or with a question word. A long grievance that mentions an
appointment is still a complaint for the NLP to offer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handlers.catalogue import voice
from handlers.flowkit import bare, menu_buttons
from handlers.turn import Turn
from store.config_files import read_hospital_toml

FILE_NAME = "faq.toml"
QUESTION_WORDS = ("ไหม", "มั้ย", "หรือเปล่า", "หรือยัง", "ยังไง", "อย่างไร", "ที่ไหน", "กี่โมง", "เท่าไร", "เท่าไหร่",
                  "อะไร", "ได้ไหม", "ได้มั้ย", "?")
ANSWER_MAX = 4000  # one Telegram message (4096) with room for the hand-off line


class FaqConfigError(ValueError):
    """config/faq.toml cannot be used; the message names the entry and the reason."""


@dataclass(frozen=True)
class Question:
    code: str
    phrases: tuple[str, ...]
    answer: str
    handoff: bool = False


@dataclass(frozen=True)
class Faq:
    questions: tuple[Question, ...]
    handoff: str
    max_question_chars: int = 60

    def match(self, text: str) -> Question | None:
        word = bare(text)
        if not word:
            return None
        if len(word) > self.max_question_chars and not any(q in text for q in QUESTION_WORDS):
            return None
        return next((q for q in self.questions if any(p in word for p in q.phrases)), None)


def load_faq(config_dir: Path | None = None, *, particle: str = "ค่ะ", hospital: str | None = None) -> Faq:
    path, raw = read_hospital_toml(config_dir, FILE_NAME, FaqConfigError)
    questions: list[Question] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw.get("question", []), 1):
        code, phrases, answer = entry.get("code", ""), entry.get("phrases", []), str(entry.get("answer", "")).strip()
        if not code or code in seen:
            raise FaqConfigError(f"{path}: question {i}: code {code!r} must be given and unique")
        if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and bare(p) for p in phrases):
            raise FaqConfigError(f"{path}: question {code}: phrases must be a non-empty list of text")
        if not answer or len(answer) > ANSWER_MAX:
            raise FaqConfigError(f"{path}: question {code}: answer must be 1–{ANSWER_MAX} characters")
        unknown = set(entry) - {"code", "phrases", "answer", "handoff"}
        if unknown:
            raise FaqConfigError(f"{path}: question {code}: unknown keys {sorted(unknown)}")
        seen.add(code)
        questions.append(Question(code, tuple(bare(p) for p in phrases), voice(answer, particle, hospital),
                                  bool(entry.get("handoff", False))))
    handoff = str(raw.get("handoff", {}).get("text", "")).strip()
    if any(q.handoff for q in questions) and not handoff:
        raise FaqConfigError(f"{path}: [handoff] text is needed when a question has handoff = true")
    try:
        limit = int(raw.get("max_question_chars", 60))
    except (TypeError, ValueError) as exc:
        raise FaqConfigError(f"{path}: max_question_chars must be a whole number") from exc
    return Faq(tuple(questions), voice(handoff, particle, hospital), limit)


def faq_for(turn: Turn) -> Faq:
    return turn.hospital.faq


async def answer(turn: Turn, text: str) -> bool:
    """Answer an everyday question (True), or leave the text to the other readers (False)."""
    question = faq_for(turn).match(text)
    if question is None:
        return False
    buttons = await menu_buttons(turn)
    if question.handoff:
        turn.say_text(question.answer)
        turn.say_text(faq_for(turn).handoff, buttons=buttons)
    else:
        turn.say_text(question.answer, buttons=buttons)
    return True
