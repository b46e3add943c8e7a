"""Compliment: stored and tagged, and sent as good news to the heads of the praised unit.

```mermaid
stateDiagram-v2
    [*] --> consent_ask: consent never answered
    [*] --> compliment_text: ชมเชย
    [*] --> compliment_dept: ส่งเป็นคำชม (the free text is kept)
    consent_ask --> compliment_text
    compliment_text --> compliment_text: sticker / photo only → re-prompt
    compliment_text --> compliment_dept: text that names no unit, or several
    compliment_text --> saved: text that names one unit ("พยาบาลห้องคลอดใจดีมาก")
    compliment_dept --> compliment_dept: ถัดไป (paging)
    compliment_dept --> saved: unit / ข้าม (the NLP topic's unit is used)
    saved --> [*]: thanks + ping to the unit heads
```
"""

from __future__ import annotations

import logging
from typing import Any

from handlers import consent, drafts
from handlers.complaint import topic_unit
from handlers.flowkit import (
    delivery_to,
    is_skip,
    match_unit,
    numbered_list,
    page_buttons,
    show_menu,
    tag_columns,
    unit_head_chats,
)
from handlers.messages import Outbound
from handlers.payloads import pack
from handlers.router import Router
from handlers.states import ComplimentState, MenuState
from handlers.turn import Turn
from store.models import Feedback
from store.units import units_named_in

log = logging.getLogger(__name__)
router = Router("compliment")

PING_PREVIEW = 500


@router.payload("compliment", private=True)
async def on_compliment_payload(turn: Turn) -> None:
    payload = turn.payload
    action = payload.action
    if action == "":
        await on_start(turn)
    elif turn.state != ComplimentState.DEPT:
        await on_start(turn)
    elif action == "dept" and len(payload.args) == 1:
        await _save(turn, payload.args[0] if any(u.code == payload.args[0] for u in turn.hospital.units) else None)
    elif action == "page" and len(payload.args) == 1:
        _ask_dept(turn, page=int(payload.args[0]) if payload.args[0].isdigit() else 0)
    elif action == "skip":
        await _save(turn, None)
    else:
        _ask_dept(turn, page=0)


@router.payload("compliment:offer", private=True)
async def on_offer(turn: Turn) -> None:
    """ชมเชยเรื่องนี้: after free text, the text carries over (asked for consent first if never given)."""
    if turn.state != MenuState.OFFER:
        await on_start(turn)
    elif not await consent.asked_first(turn, "compliment:offer"):
        await begin_offer(turn)


async def on_start(turn: Turn) -> None:
    if await drafts.offer_kept(turn, "compliment"):  # a compliment left unsent: offered back first
        return
    if not await consent.asked_first(turn, "compliment"):
        await begin(turn)


@router.entry("compliment")
async def begin(turn: Turn) -> None:
    turn.end()
    turn.goto(ComplimentState.TEXT)
    turn.say("compliment.ask_text", buttons=[turn.button("cancel", "cancel")])


@router.entry("compliment:offer")
async def begin_offer(turn: Turn) -> None:
    text = str(turn.data.get("offer_text") or "")
    turn.end()
    if not text:
        await begin(turn)
        return
    await _to_unit(turn, text)


async def _to_unit(turn: Turn, text: str) -> None:
    """Ask which unit the praise is for, unless the text names exactly one ("พยาบาลห้องคลอดใจดีมากค่ะ")."""
    turn.goto(ComplimentState.DEPT, text=text)  # kept whole: LINE and Telegram already cap one message
    named = units_named_in(turn.hospital.units, text)
    if len(named) == 1:
        await _save(turn, named[0].code)
        return
    _ask_dept(turn, page=0)


@router.state(ComplimentState.TEXT, privacy=True)
async def on_text(turn: Turn) -> None:
    text = (turn.inbound.text or "").strip()
    if not text:
        turn.say("compliment.not_text", buttons=[turn.button("cancel", "cancel")])
        return
    try:
        analysis = await turn.services.analyse(text, question="compliment")
    except Exception:
        log.exception("NLP failed on a compliment")
        analysis = None
    if analysis is not None and analysis.complaint and analysis.sentiment.label == "neg":
        # A problem typed into ชมเชย: let the patient choose rather than ping a unit with a complaint.
        turn.goto(MenuState.OFFER, offer_text=text, offer_flow="compliment")  # what the patient chose
        turn.say("compliment.looks_like_complaint", buttons=[
            turn.button("flow.complain_this", "complaint:offer"),
            turn.button("flow.compliment_this", "compliment:offer"),
        ])
        return
    await _to_unit(turn, text)


@router.state(ComplimentState.DEPT, privacy=lambda turn: _ask_dept(turn, page=0))
async def on_typed_dept(turn: Turn) -> None:
    text = (turn.inbound.text or "").strip()
    if is_skip(text):
        await _save(turn, None)
        return
    unit = match_unit(text, list(turn.hospital.patient_units)) if text else None
    if unit is None:
        _ask_dept(turn, page=0)
        return
    await _save(turn, unit.code)


@router.entry("compliment:step")
async def step_entry(turn: Turn) -> None:
    show_step(turn)


def show_step(turn: Turn) -> None:
    """A kept compliment resumed (the offer quoted its text): the question it stopped at, which unit."""
    _ask_dept(turn, page=0)


def _ask_dept(turn: Turn, *, page: int) -> None:
    choices = list(turn.hospital.patient_units)
    buttons = page_buttons(turn, [(u.label, pack("compliment", "dept", u.code)) for u in choices], page=page,
                           page_payload="compliment:page", extra=[turn.button("flow.skip", "compliment:skip")])
    turn.say("compliment.ask_dept", choices=numbered_list([u.label for u in choices]), buttons=buttons)


async def _save(turn: Turn, dept: str | None) -> None:
    text = str(turn.data.get("text") or "")
    if not text:
        await begin(turn)
        return
    analysis: Any = None
    try:
        analysis = await turn.services.analyse(text, question="compliment")
    except Exception:
        log.exception("NLP failed on a compliment")
    tags = tag_columns(analysis)
    topics = tags.get("topics", [])
    unit_code = dept or topic_unit(turn, topics[0]["code"] if topics else None)
    identified = await consent.has_consent(turn)
    feedback = Feedback(
        kind="compliment", patient_id=turn.identity.patient_id if identified else None,
        channel=turn.inbound.channel, text=text, department_code=unit_code, anonymous=not identified,
        created_at=turn.services.clock(), **tags,
    )
    turn.session.add(feedback)
    await turn.session.flush()
    name = turn.hospital.unit_name(unit_code) if unit_code else None
    turn.end()
    if unit_code and name:
        preview = text if len(text) <= PING_PREVIEW else text[:PING_PREVIEW] + "…"
        ping = [Outbound(turn.t("compliment.ping", unit=name, text=preview))]
        for chat in await unit_head_chats(turn.session, unit_code=unit_code):
            turn.push(delivery_to(chat, ping, dedupe_key=f"compliment:{feedback.id}:{chat.id}"))
        turn.say("compliment.thanks", unit=turn.hospital.patient_unit_name(unit_code))  # ห้องยา, not งานเภสัชกรรม
    else:
        turn.say("compliment.thanks_general")
    await show_menu(turn)
