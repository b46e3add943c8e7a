"""Greeting, PDPA consent on follow, the main menu, and free text outside any flow (classified by the NLP).

```mermaid
stateDiagram-v2
    [*] --> consent_ask: follow
    [*] --> menu: first message / ยกเลิก / idle
    consent_ask --> menu: ยินยอม / ไม่ยินยอม
    menu --> survey: ประเมินความพึงพอใจ
    menu --> complaint: ร้องเรียน/เสนอแนะ
    menu --> compliment: ชมเชย
    menu --> track: ติดตามเรื่อง / a typed case number
    menu --> privacy: ข้อมูลส่วนบุคคล / ถอนความยินยอม
    menu --> offer: free text — NLP says complaint or praise
    offer --> complaint: ร้องเรียนเรื่องนี้ (the text is kept)
    offer --> compliment: ส่งเป็นคำชม (the text is kept)
    offer --> menu: ไม่เป็นไร
    offer --> draft_kept: idle (kept as an unsent draft); after the emergency reply also เมนู or other text
```
"""

from __future__ import annotations

import logging
import re

from handlers import case_updates, complaint, compliment, consent, faq, survey, track
from handlers.flowkit import GREETINGS, MENU_WORDS, bare, show_menu
from handlers.messages import EventKind
from handlers.router import Router
from handlers.states import MenuState
from handlers.turn import Turn

log = logging.getLogger(__name__)
router = Router("menu")

CASE_NUMBER = re.compile(r"\b(\d{4})\s*[-/]\s*(\d{1,4})\b")
# Asking how a case is going, in the words patients use; checked with spaces and polite endings removed.
TRACK_PHRASES = ("ถึงไหนแล้ว", "ไปถึงไหน", "ความคืบหน้า", "คืบหน้า", "ติดตามเรื่อง", "สถานะเรื่อง", "เลขที่เรื่อง",
                 "เรื่องที่ร้องเรียน", "เรื่องที่แจ้งไว้", "เรื่องที่แจ้งไป", "ได้เรื่องยัง", "เรื่องเป็นยังไงบ้าง")


@router.event(EventKind.FOLLOW, patient=True)  # the consent check reads the patient
async def on_follow(turn: Turn) -> None:
    turn.identity.followed = True
    turn.say("welcome.greeting")
    turn.say("welcome.about")
    if await consent.needs_asking(turn):
        consent.ask(turn, next_flow=None)
    else:
        await show_menu(turn, "menu.prompt")


@router.event(EventKind.UNFOLLOW)
async def on_unfollow(turn: Turn) -> None:
    turn.identity.followed = False
    turn.end()


@router.event(EventKind.JOIN)
async def on_join(turn: Turn) -> None:
    turn.say("common.group_hello")


async def greet(turn: Turn) -> None:
    turn.say("welcome.greeting")
    turn.say("welcome.about")
    await show_menu(turn, "menu.prompt")


@router.payload("menu")
async def on_menu(turn: Turn) -> None:
    await _leave_offer(turn)
    turn.end()
    if turn.inbound.is_group:  # the patient menu is for 1:1 chats (ยกเลิก in a group ends here too)
        return
    await show_menu(turn)


@router.fallback
@router.entry("menu:free_text")
async def on_free_text(turn: Turn) -> None:
    """Outside any flow: stickers and files get a polite word; text is routed by menu words, case
    numbers and the NLP (a complaint or praise is offered as one, keeping the text)."""
    inbound = turn.inbound
    if inbound.is_group:
        return  # group chats are for the committee's commands, not for the patient menu
    kinds = {a.kind for a in inbound.attachments}
    text = (inbound.text or "").strip()
    emergency = turn.alarm is not None and not turn.alarm.past
    earlier = str(turn.data.get("offer_text") or "") if emergency and _promised(turn) else ""
    if turn.state == MenuState.OFFER and not earlier:
        await _leave_offer(turn)  # typed something else instead of pressing an offer button: start afresh
    if "sticker" in kinds and not text:
        turn.say("common.sticker")
        await show_menu(turn)
        return
    if "location" in kinds and not text:
        turn.say("common.location")
        return
    if kinds and not text:
        turn.say("common.media_outside_flow", buttons=[turn.button("complaint", "complaint")])
        return
    if inbound.payload or not text:  # a button of a flow this hospital has not switched on
        await show_menu(turn, "menu.not_ready")
        return
    if await consent.intercept(turn):
        return
    if emergency:  # the emergency reply came first; keep the text (with what the last one kept)
        turn.end()
        turn.goto(MenuState.OFFER, offer_text="\n".join(t for t in (earlier, text) if t), offer_kept=True)
        turn.say("emergency.after_free_text", buttons=[
            turn.button("flow.complain_this", "complaint:offer"), turn.button("menu", "menu"),
        ])
        return
    word = MENU_WORDS.get(bare(text))
    if word is not None:
        await start(turn, word)
        return
    if match := CASE_NUMBER.search(text):
        await track.show_case(turn, f"{match.group(1)}-{int(match.group(2)):04d}")
        return
    if any(phrase in bare(text) for phrase in TRACK_PHRASES):  # "เรื่องที่ร้องเรียนไปถึงไหนแล้วคะ"
        await track.on_track(turn)
        return
    if await case_updates.rate_typed(turn, text):  # "ให้ 5 คะแนนค่ะ" after a case was closed
        return
    if await case_updates.confirm_typed(turn, text):  # "แก้ไขแล้วค่ะ" / "ยังไม่ได้แก้เลย" under a fix summary
        return
    if await faq.answer(turn, text):  # opening hours, phone numbers, appointments, a person to talk to
        return
    if any(text.lower().startswith(g) for g in GREETINGS):
        await greet(turn)
        return
    await offer_from_text(turn, text, newcomer=turn.identity.patient_id is None)


def _promised(turn: Turn) -> bool:
    """The offer's reply told the patient the text was kept ("บันทึกข้อความของท่านไว้แล้ว")."""
    return turn.state == MenuState.OFFER and bool(turn.data.get("offer_kept"))


async def _leave_offer(turn: Turn) -> None:
    """Leaving an offer: a text the bot said it kept becomes a kept draft (offered back from the menu)."""
    if _promised(turn):
        await turn.start("drafts:keep_offer")
    turn.end()


async def start(turn: Turn, payload: str) -> None:
    starters = {"survey": survey.on_start, "complaint": complaint.on_start, "compliment": compliment.on_start,
                "track": track.on_track, "menu": on_menu}
    await starters[payload](turn)


async def offer_from_text(turn: Turn, text: str, *, newcomer: bool = False) -> None:
    """Ask the NLP what the text is and offer the fitting flow, keeping the text for it."""
    try:
        analysis = await turn.services.analyse(text)
    except Exception:  # the NLP must never leave a patient without an answer
        log.exception("NLP failed on free text")
        analysis = None
    if analysis is not None and (analysis.complaint or (analysis.sentiment.label == "neg" and analysis.topics)):
        turn.goto(MenuState.OFFER, offer_text=text)
        turn.say("menu.offer_complaint", buttons=[
            turn.button("flow.complain_this", "complaint:offer"), turn.button("flow.no_thanks", "menu"),
        ])
    elif analysis is not None and analysis.sentiment.label == "pos":
        turn.goto(MenuState.OFFER, offer_text=text, offer_flow="compliment")
        turn.say("menu.offer_compliment", buttons=[
            turn.button("flow.compliment_this", "compliment:offer"), turn.button("flow.no_thanks", "menu"),
        ])
    elif newcomer:
        await greet(turn)
    else:
        await show_menu(turn, "menu.unclear")
