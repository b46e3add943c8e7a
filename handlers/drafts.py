"""Unsent complaints and compliments outlive the idle time-out (issue 20 item 2: never drop what was typed
without saying so, resume where the patient left off, never file a half-done draft silently).

A complaint or compliment left idle with something typed is kept in the conversation (`paused_drafts`, one
per flow) for DRAFT_KEEP_DAYS from the patient's last message in it. When the patient comes back (any
message, an old button, or ร้องเรียน/ชมเชย again) the bot quotes the draft, says until when it is kept and
offers ทำต่อ (the step where they stopped), แก้ไขข้อความ (back to writing, text kept) or ยกเลิก (dropped).
Nothing is filed until the patient goes through the flow's last step again. Text typed on coming back to a
complaint that stopped while writing joins the draft. Past the keep period the draft is dropped and the
patient told; the nightly purge deletes drafts nobody came back for (`store.privacy.purge_expired`). Erase
and export cover a kept draft with the conversation it lives in.

Text held by an offer is kept the same way: "ร้องเรียนเรื่องนี้" / "ส่งเป็นคำชม" after free text, a survey
comment or the emergency reply ("บันทึกข้อความของท่านไว้แล้ว"), and the consent notice asked before such an
offer goes on. Left idle, it becomes a draft of the offered kind and is offered back; after the emergency
reply, going elsewhere keeps it too. Withdrawing consent mid-way keeps the draft (photos too) and offers it
at once ("เก็บไว้ให้แล้ว"). Resuming a draft kept from an offer asks the consent notice first when the
patient never answered it.

```mermaid
stateDiagram-v2
    complaint_or_compliment --> kept: idle with text typed (nothing typed: closed as before)
    menu_offer --> kept: idle with an offered text; after the emergency reply also เมนู or other text
    complaint_or_compliment --> offer: consent withdrawn (kept now, never filed under it)
    kept --> offer: any message / old button / ร้องเรียน or ชมเชย again
    offer --> step_left_off: ทำต่อ (typed ทำต่อ, ส่งต่อ, ส่งเลย work too)
    offer --> complaint_text: แก้ไขข้อความ (complaint past the writing step)
    offer --> [*]: ยกเลิก (dropped, said so)
    offer --> menu: other text or buttons (the draft stays kept)
    kept --> dropped: DRAFT_KEEP_DAYS passed (nightly purge, or found so on return)
    dropped --> [*]: the next message is told the draft was deleted unsent
```
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from handlers import consent
from handlers.flowkit import GREETINGS, MENU_WORDS, bare, is_cancel, is_done, show_menu
from handlers.payloads import pack
from handlers.router import Router
from handlers.states import ComplaintState, ComplimentState, ConsentState, MenuState
from handlers.turn import DRAFT_OFFER, PAUSED_KEYS, Turn
from store.periods import thai_date
from store.privacy import DRAFTS_KEY, DROPPED_STATE, offered_flow

log = logging.getLogger(__name__)
router = Router("drafts")

KEY = DRAFTS_KEY  # {flow: {"state", "data", "at"}} in Conversation.data; kept by Turn.end, purged by store.privacy
FLOWS = ("complaint", "compliment")
WRITING = {"complaint": ComplaintState.TEXT, "compliment": ComplimentState.DEPT}  # where the text is (re)written
RESUME_WORDS = frozenset({"ทำต่อ", "ต่อ", "ส่งต่อ", "เขียนต่อ", "ขอทำต่อ", "ทำต่อจากที่ค้างไว้"})
EDIT_WORDS = frozenset({"แก้ไข", "แก้ไขข้อความ", "แก้ข้อความ", "ขอแก้ไข", "แก้"})
MIN_JOINED = 6  # shorter text on coming back ("ค่ะ", "สวัสดี") is not added to a complaint


def draft_text(flow: str, data: dict[str, Any]) -> str:
    return "\n".join(data.get("parts", [])) if flow == "complaint" else str(data.get("text") or "")


def _kept(turn: Turn) -> dict[str, dict[str, Any]]:
    return dict(turn.conversation.data.get(KEY) or {})


def _store(turn: Turn, drafts: dict[str, dict[str, Any]]) -> None:
    data = {k: v for k, v in turn.conversation.data.items() if k != KEY}
    turn.conversation.data = {**data, KEY: drafts} if drafts else data


def kept_until(turn: Turn, draft: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(draft["at"]) + timedelta(days=turn.services.settings.draft_keep_days)


def _live(turn: Turn, flow: str) -> dict[str, Any] | None:
    """The kept draft of `flow`; one past its keep period is dropped here, and the patient told."""
    draft = _kept(turn).get(flow)
    if draft is None:
        return None
    if kept_until(turn, draft) > turn.services.clock():
        return draft
    _drop(turn, flow)
    turn.say("common.draft_expired", what=turn.t(f"common.draft_what_{flow}"),
             days=turn.services.settings.draft_keep_days)
    return None


def _drop(turn: Turn, flow: str) -> None:
    drafts = _kept(turn)
    drafts.pop(flow, None)
    _store(turn, drafts)


# --- keeping --------------------------------------------------------------------------------------


@router.idle("complaint")
@router.idle("compliment")
async def on_idle(turn: Turn) -> None:
    """Idle with something typed: keep it and offer it back now (the patient has just come back)."""
    flow, state = (turn.state or "").split(".", 1)[0], turn.state or ""
    data = {k: v for k, v in turn.data.items() if k not in PAUSED_KEYS}
    last_word = turn.conversation.updated_at
    turn.end()
    if not keep(turn, flow, state, data, at=last_word):
        turn.say("common.idle_ended")  # nothing typed yet: nothing to keep
        return
    log.info("conversation %s idle, %s draft kept", turn.conversation.id, flow)
    if _live(turn, flow) is None:  # the patient came back after the keep period
        return
    _welcome_back(turn, flow)


def keep(turn: Turn, flow: str, state: str, data: dict[str, Any], *, at: datetime) -> bool:
    """Keep an unsent draft of `flow` stopped at `state`, its keep period counted from `at` (the patient's
    last word in it); joined to an earlier draft of the same kind. False when there is nothing to keep."""
    if not draft_text(flow, data) and not data.get("media"):
        return False
    drafts = _kept(turn)
    older = drafts.get(flow)
    if older is not None:  # an earlier draft of the same kind is still kept: one draft, nothing lost
        data = _joined(flow, older["data"], data)
        state = WRITING[flow]
    drafts[flow] = {"state": state, "data": data, "at": at.isoformat()}
    _store(turn, drafts)
    return True


def _offer_as_draft(turn: Turn) -> str | None:
    """A text held by an offer ("ร้องเรียนเรื่องนี้" after free text, an emergency or a survey comment, or the
    consent notice asked before it) becomes a kept draft of the offered kind and the offer ends. The flow
    kept, or None when the offer held no text."""
    state, data = turn.state or "", dict(turn.data)
    text = str(data.get("offer_text") or "") if state in (MenuState.OFFER, ConsentState.ASK) else ""
    last_word = turn.conversation.updated_at
    turn.end()
    if not text:
        return None
    flow = offered_flow(state, data)
    if flow == "compliment":
        kept = keep(turn, flow, ComplimentState.DEPT, {"text": text}, at=last_word)
    else:
        kept = keep(turn, flow, ComplaintState.TEXT, {"parts": [text], "media": [], "dept": data.get("offer_dept"),
                                                       "response_id": data.get("offer_response_id")}, at=last_word)
    return flow if kept else None


@router.idle("menu")
@router.idle("consent")
async def on_offer_left(turn: Turn) -> None:
    """An offer left unanswered past the idle time-out: the text it held is kept like a draft and offered now
    (the patient has just come back); with no text, closed as before."""
    flow = _offer_as_draft(turn)
    if flow is None:
        turn.say("common.idle_ended")
        return
    log.info("conversation %s idle, offered text kept as a %s draft", turn.conversation.id, flow)
    if _live(turn, flow) is not None:
        _welcome_back(turn, flow)


@router.entry("drafts:keep_offer")
async def keep_offer(turn: Turn) -> None:
    """The patient went elsewhere from an offer whose reply said the text was kept (the emergency reply):
    keep it quietly; ร้องเรียน/เสนอแนะ offers it back."""
    _offer_as_draft(turn)


@router.entry("drafts:withdrawn")
async def keep_on_withdrawal(turn: Turn, flow: str, state: str, data: dict[str, Any]) -> None:
    """Consent withdrawn mid-way: the draft is not filed under the withdrawn consent but kept (photos too)
    and offered now; ทำต่อ goes on from the step where the patient was."""
    turn.end()
    if flow not in FLOWS or not keep(turn, flow, state, data, at=turn.services.clock()):
        await show_menu(turn)
        return
    turn.say("privacy.draft_kept")
    offer(turn, flow)
    turn.goto(DRAFT_OFFER, flow=flow, shown=turn.inbound.event_id)


def _welcome_back(turn: Turn, flow: str) -> None:
    """The patient is back while a draft is kept: offer it, unless the message is answered elsewhere."""
    payload = turn.inbound.payload or ""
    if payload.split(":", 1)[0] in (*FLOWS, "draft") or is_cancel(turn.inbound.text):
        return  # an old button of the flow (it offers the draft), ทำต่อ / แก้ไข, or ยกเลิก: answered by the route
    if turn.alarm is not None and not turn.alarm.past:
        return  # emergency first: its text is answered as free text; the draft stays kept for later
    _join_typed(turn, flow)
    offer(turn, flow)
    turn.goto(DRAFT_OFFER, flow=flow, shown=turn.inbound.event_id)


def _joined(flow: str, older: dict[str, Any], newer: dict[str, Any]) -> dict[str, Any]:
    if flow == "complaint":
        return {**older, "parts": [*older.get("parts", []), *newer.get("parts", [])],
                "media": [*older.get("media", []), *newer.get("media", [])]}
    return {**older, "text": "\n".join(t for t in (draft_text(flow, older), draft_text(flow, newer)) if t)}


def _join_typed(turn: Turn, flow: str) -> None:
    """Text typed on coming back to a complaint left while writing is more of it: add it to the draft."""
    text = (turn.inbound.text or "").strip()
    draft = _kept(turn).get(flow)
    if (flow != "complaint" or draft is None or draft["state"] != ComplaintState.TEXT or turn.alarm is not None
            or len(bare(text)) < MIN_JOINED or bare(text) in RESUME_WORDS | EDIT_WORDS or is_done(text)):
        return
    if bare(text) in MENU_WORDS or any(text.lower().startswith(g) for g in GREETINGS):
        return
    draft["data"]["parts"] = [*draft["data"].get("parts", []), text]
    _store(turn, {**_kept(turn), flow: draft})
    turn.say("common.draft_added")


# --- offering back --------------------------------------------------------------------------------


def offer(turn: Turn, flow: str) -> None:
    draft = _kept(turn)[flow]
    text = draft_text(flow, draft["data"])
    preview = text if len(text) <= 300 else text[:300] + "…"
    buttons = [turn.button("flow.draft_resume", pack("draft", "resume", flow))]
    if flow == "complaint" and draft["state"] != WRITING[flow]:
        buttons.append(turn.button("flow.draft_edit", pack("draft", "edit", flow)))
    buttons.append(turn.button("cancel", "cancel"))
    turn.say("common.draft_offer", what=turn.t(f"common.draft_what_{flow}"), text=preview or "📷",
             days=turn.services.settings.draft_keep_days, until=thai_date(kept_until(turn, draft)), buttons=buttons)


async def offer_kept(turn: Turn, flow: str) -> bool:
    """ร้องเรียน / ชมเชย (or an old button of the flow) while a draft of it is kept: offer it back first."""
    if _live(turn, flow) is None:
        return False
    turn.end()
    offer(turn, flow)
    turn.goto(DRAFT_OFFER, flow=flow, shown=turn.inbound.event_id)
    return True


@router.payload("draft", private=True)
async def on_draft_payload(turn: Turn) -> None:
    """draft:resume:FLOW | draft:edit:FLOW."""
    payload = turn.payload
    flow = payload.args[0] if len(payload.args) == 1 and payload.args[0] in FLOWS else ""
    if not flow or _live(turn, flow) is None:
        await show_menu(turn)  # a button of a draft already sent, dropped or expired
        return
    await _carry_on(turn, flow, edit=payload.action == "edit")


@router.state(DRAFT_OFFER)
async def on_typed(turn: Turn) -> None:
    """ทำต่อ / ส่งต่อ / ส่งเลย / แก้ไข typed at the offer; anything else leaves the draft kept and is answered as
    free text (the offer itself was the answer to the message that brought the patient back)."""
    flow = str(turn.data.get("flow") or "")
    if turn.data.get("shown") == turn.inbound.event_id:
        return  # the message that brought the patient back: the offer is the answer
    word = bare(turn.inbound.text)
    if flow in FLOWS and _live(turn, flow) is not None and (word in RESUME_WORDS or is_done(turn.inbound.text)):
        await _carry_on(turn, flow, edit=False, send=is_done(turn.inbound.text))
        return
    if flow in FLOWS and _live(turn, flow) is not None and word in EDIT_WORDS:
        await _carry_on(turn, flow, edit=flow == "complaint")
        return
    turn.end()
    await turn.start("menu:free_text")


@router.idle("draft")
async def on_offer_idle(turn: Turn) -> None:
    """The offer left unanswered: the draft stays kept and is offered again on the next message. After the
    nightly purge dropped a draft (`DROPPED_STATE`), the next message is told so."""
    if turn.state == DROPPED_STATE:
        for flow in turn.data.get("dropped", []):
            if flow in FLOWS:
                turn.say("common.draft_expired", what=turn.t(f"common.draft_what_{flow}"),
                         days=turn.services.settings.draft_keep_days)
        turn.end()
        return
    flow = str(turn.data.get("flow") or "")
    turn.end()
    if flow in FLOWS and _live(turn, flow) is not None:
        _welcome_back(turn, flow)


async def _carry_on(turn: Turn, flow: str, *, edit: bool, send: bool = False) -> None:
    draft = _kept(turn)[flow]
    _drop(turn, flow)
    turn.end()
    if await consent.needs_asking(turn):  # kept from an offer made before the patient answered the notice
        data = draft["data"]
        turn.goto(MenuState.OFFER, offer_text=draft_text(flow, data), offer_dept=data.get("dept"),
                  offer_response_id=data.get("response_id"), offer_flow=flow)
        consent.ask(turn, next_flow=f"{flow}:offer")  # the offer goes on once answered, text kept meanwhile
        return
    state = WRITING[flow] if edit else draft["state"]
    turn.goto(state, **draft["data"])
    turn.say("common.draft_resumed")
    if flow == "complaint" and send and state == ComplaintState.TEXT:
        await turn.start("complaint:send")  # ส่งเลย: on to the unit and contact questions, not filed yet
    else:
        await turn.start(f"{flow}:step")
