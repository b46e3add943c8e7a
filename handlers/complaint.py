"""Complaint or suggestion: free text over several messages with photos, optional department, anonymous
or with contact consent; tagged by the NLP and opened as a case with a readable number.

```mermaid
stateDiagram-v2
    [*] --> consent_ask: consent never answered
    [*] --> complaint_text: ร้องเรียน/เสนอแนะ / ร้องเรียนเรื่องนี้ (text kept)
    consent_ask --> complaint_text
    complaint_text --> complaint_text: more text, photos (kept); sticker → re-prompt
    complaint_text --> complaint_dept: ส่งเรื่อง
    complaint_dept --> complaint_dept: ถัดไป (paging)
    complaint_dept --> complaint_contact: unit / ข้าม
    complaint_contact --> complaint_phone: ให้ติดต่อกลับได้
    complaint_contact --> submitted: ไม่ประสงค์ออกนาม
    complaint_phone --> submitted: phone / ข้าม
    submitted --> [*]: case number + what happens next
```

An anonymous complaint keeps no name or phone and its Feedback row has no patient id; the case still
knows which chat to tell about progress (Case.patient_id), which only the patient's own chat can read.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import or_, select

from handlers import consent, drafts
from handlers.flowkit import (
    find_phone,
    is_done,
    is_skip,
    match_unit,
    numbered_list,
    page_buttons,
    show_menu,
    tag_columns,
)
from handlers.messages import Button
from handlers.payloads import pack
from handlers.router import Router
from handlers.states import ComplaintState, ConsentState, MenuState
from handlers.turn import Turn
from store.cases import open_case
from store.models import Feedback, MediaFile, Unit

log = logging.getLogger(__name__)
router = Router("complaint")

LONG_PARTS, LONG_CHARS = 30, 8000  # past this, every message is still kept and the patient is asked to send
MAX_PARTS, MAX_CHARS = 100, 60_000  # a hard stop against floods: the message is refused, and the patient told
MEDIA_KINDS = frozenset({"image", "video", "audio", "file"})
URGENT_SEVERITY = frozenset({"E", "F", "G", "H", "I", "SE"})



def topic_unit(turn: Turn, topic: str | None) -> str | None:
    return turn.hospital.topic_unit(topic) if topic else None


def _submit_buttons(turn: Turn) -> list[Button]:
    return [turn.button("flow.submit", "complaint:done"), turn.button("cancel", "cancel")]


# --- entry ----------------------------------------------------------------------------------------


@router.payload("complaint", private=True)
async def on_complaint_payload(turn: Turn) -> None:
    payload = turn.payload
    action = payload.action
    if action == "":
        await on_start(turn)
    elif turn.state not in set(ComplaintState):
        await on_start(turn)  # a button from a finished complaint
    elif action == "done" and turn.state == ComplaintState.TEXT:
        await _done_writing(turn)
    elif action == "dept" and len(payload.args) == 1 and turn.state == ComplaintState.DEPT:
        await _choose_dept(turn, payload.args[0])
    elif action == "page" and len(payload.args) == 1 and turn.state == ComplaintState.DEPT:
        _ask_dept(turn, page=int(payload.args[0]) if payload.args[0].isdigit() else 0)
    elif action == "skipdept" and turn.state == ComplaintState.DEPT:
        await _choose_dept(turn, None)
    elif action == "contact" and turn.state == ComplaintState.CONTACT:
        turn.goto(ComplaintState.PHONE, anonymous=False)
        turn.say("complaint.ask_phone", buttons=[turn.button("flow.skip", "complaint:skipphone")])
    elif action == "anon" and turn.state == ComplaintState.CONTACT:
        turn.goto(ComplaintState.CONTACT, anonymous=True)
        await _submit(turn)
    elif action == "skipphone" and turn.state == ComplaintState.PHONE:
        await _submit(turn)
    else:
        _reprompt(turn)


async def on_start(turn: Turn) -> None:
    if await drafts.offer_kept(turn, "complaint"):  # a complaint left unsent: offered back, never filed as is
        return
    if not await consent.asked_first(turn, "complaint"):
        await begin(turn)


@router.entry("complaint")
async def begin(turn: Turn, *, text: str = "", dept: str | None = None, response_id: int | None = None) -> None:
    turn.end()
    turn.goto(ComplaintState.TEXT, parts=[text] if text else [], media=[], dept=dept, response_id=response_id)
    if text:
        turn.say("complaint.prefilled", text=_preview(text), buttons=_submit_buttons(turn))
    else:
        turn.say("complaint.ask_text", buttons=[turn.button("cancel", "cancel")])


@router.payload("complaint:offer", private=True)
async def on_offer(turn: Turn) -> None:
    """ร้องเรียนเรื่องนี้: after free text or a survey, the text (and department) carry over."""
    if turn.state != MenuState.OFFER and turn.state != ConsentState.ASK:
        await on_start(turn)
        return
    if not await consent.asked_first(turn, "complaint:offer"):  # the offered text stays in the conversation
        await begin_offer(turn)


@router.entry("complaint:offer")
async def begin_offer(turn: Turn) -> None:
    await begin(turn, text=str(turn.data.get("offer_text") or ""), dept=turn.data.get("offer_dept"),
                response_id=turn.data.get("offer_response_id"))


def _preview(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# --- writing --------------------------------------------------------------------------------------


@router.state(ComplaintState.TEXT, media=True, privacy=True)
async def on_text(turn: Turn) -> None:
    inbound = turn.inbound
    parts: list[str] = list(turn.data.get("parts", []))
    media: list[dict[str, Any]] = list(turn.data.get("media", []))
    files = [a for a in inbound.attachments if a.kind in MEDIA_KINDS]
    kept = [a for a in files if not a.too_large]
    text = (inbound.text or "").strip()
    if len(kept) < len(files):  # over MEDIA_MAX_BYTES: not stored; ask for a smaller one, the case goes on
        turn.say("complaint.file_too_large", max_mb=turn.services.settings.media_max_mb,
                 buttons=_submit_buttons(turn))
        if not kept and not text:
            return
    if not kept and not text:
        turn.say("complaint.sticker", buttons=_submit_buttons(turn))
        return
    if not kept and is_done(text):  # typed instead of pressing ส่งเรื่อง ("ส่งเลยค่ะ", "เสร็จแล้วครับ")
        await _done_writing(turn)
        return
    if len(parts) >= MAX_PARTS or sum(map(len, parts)) + len(text) > MAX_CHARS:
        turn.say("complaint.not_added", buttons=_submit_buttons(turn))  # said, never cut silently
        return
    if text:
        parts.append(text)  # whole: nothing typed is cut
    media += [{"media_id": a.media_id, "ref": a.ref, "kind": a.kind} for a in kept]
    turn.goto(ComplaintState.TEXT, parts=parts, media=media)
    if len(parts) >= LONG_PARTS or sum(map(len, parts)) >= LONG_CHARS:
        turn.say("complaint.too_much", buttons=_submit_buttons(turn))
    elif kept:
        turn.say("complaint.got_photo", count=len(media), buttons=_submit_buttons(turn))
    else:
        turn.say("complaint.got_text", buttons=_submit_buttons(turn))


async def _done_writing(turn: Turn) -> None:
    if not turn.data.get("parts"):
        turn.say("complaint.need_text", buttons=[turn.button("cancel", "cancel")])
        return
    if turn.data.get("dept"):
        _ask_contact(turn)
        return
    turn.goto(ComplaintState.DEPT)
    _ask_dept(turn, page=0)


def _dept_choices(turn: Turn) -> list[Any]:
    return list(turn.hospital.patient_units)


def _ask_dept(turn: Turn, *, page: int) -> None:
    choices = _dept_choices(turn)
    buttons = page_buttons(turn, [(u.label, pack("complaint", "dept", u.code)) for u in choices], page=page,
                           page_payload="complaint:page", extra=[turn.button("flow.skip", "complaint:skipdept")])
    turn.say("complaint.ask_dept", choices=numbered_list([u.label for u in choices]), buttons=buttons)


async def _choose_dept(turn: Turn, code: str | None) -> None:
    if code is not None and not any(u.code == code for u in _dept_choices(turn)):
        _ask_dept(turn, page=0)
        return
    turn.goto(ComplaintState.CONTACT, dept=code)
    _ask_contact(turn)


def _ask_contact(turn: Turn) -> None:
    turn.goto(ComplaintState.CONTACT)
    turn.say("complaint.ask_contact", buttons=[
        turn.button("flow.contact_ok", "complaint:contact"), turn.button("flow.anonymous", "complaint:anon"),
    ])


@router.entry("complaint:step")
async def step_entry(turn: Turn) -> None:
    show_step(turn)


def show_step(turn: Turn) -> None:
    """A kept draft resumed: the step it stopped at, with what was written when that is the writing step."""
    if turn.state == ComplaintState.TEXT:
        text = "\n".join(turn.data.get("parts", []))
        if text:
            turn.say("complaint.prefilled", text=_preview(text), buttons=_submit_buttons(turn))
        else:
            turn.say("complaint.got_photo", count=len(turn.data.get("media", [])), buttons=_submit_buttons(turn))
        return
    _reprompt(turn)


@router.entry("complaint:send")
async def done_writing(turn: Turn) -> None:
    await _done_writing(turn)


def _reprompt(turn: Turn) -> None:
    state = turn.state
    if state == ComplaintState.TEXT:
        turn.say("complaint.got_text", buttons=_submit_buttons(turn))
    elif state == ComplaintState.DEPT:
        _ask_dept(turn, page=0)
    elif state == ComplaintState.CONTACT:
        _ask_contact(turn)
    elif state == ComplaintState.PHONE:
        turn.say("complaint.ask_phone", buttons=[turn.button("flow.skip", "complaint:skipphone")])


@router.state(ComplaintState.DEPT, ComplaintState.CONTACT, ComplaintState.PHONE, privacy=lambda turn: _reprompt(turn))
async def on_typed_choice(turn: Turn) -> None:
    text = (turn.inbound.text or "").strip()
    state = turn.state
    if state == ComplaintState.DEPT and text:
        if is_skip(text):
            await _choose_dept(turn, None)
            return
        unit = match_unit(text, _dept_choices(turn))
        if unit is not None:
            await _choose_dept(turn, unit.code)
            return
        turn.say("complaint.dept_unknown")
        _ask_dept(turn, page=0)
    elif state == ComplaintState.PHONE and text:
        if is_skip(text):
            await _submit(turn)
            return
        phone = find_phone(text)  # "เบอร์ 081-234-5678 ค่ะ" as typed in a sentence
        if phone is None:
            turn.say("complaint.bad_phone", buttons=[turn.button("flow.skip", "complaint:skipphone")])
            return
        turn.goto(ComplaintState.PHONE, phone=phone)
        await _submit(turn)
    else:
        turn.say("complaint.press_button")
        _reprompt(turn)


# --- submitting -----------------------------------------------------------------------------------


async def _submit(turn: Turn) -> None:
    data = dict(turn.data)
    text = "\n".join(data.get("parts", []))
    anonymous = bool(data.get("anonymous", True))
    patient = await turn.patient()
    now = turn.services.clock()
    analysis: Any = None
    try:
        analysis = await turn.services.analyse(text, question="complaint")
    except Exception:  # the complaint is kept even when tagging fails; the committee tags it by hand
        log.exception("NLP failed on a complaint")
    kind = "complaint"
    # A wish for a change is a suggestion (and still a case for the committee); so is what the text did not
    # make a complaint of.
    if analysis is not None and analysis.sentiment.label != "neg" and (
        analysis.details.get("suggestion") or not analysis.complaint
    ):
        kind = "suggestion"
    if not anonymous:
        consent.record(turn, patient, purpose=consent.CONTACT, granted=True)
        if data.get("phone"):
            patient.phone = data["phone"]
    feedback = Feedback(
        kind=kind, patient_id=None if anonymous else patient.id, channel=turn.inbound.channel, text=text,
        department_code=data.get("dept"), anonymous=anonymous, contact_consent=not anonymous,
        survey_response_id=data.get("response_id"), created_at=now,
        **tag_columns(analysis, complaint_default=True),
    )
    topics = feedback.topics
    turn.session.add(feedback)
    await turn.session.flush()
    primary = topics[0]["code"] if topics else None
    unit_code = data.get("dept") or topic_unit(turn, primary)  # the patient's choice; /case shows both
    if unit_code and await turn.session.get(Unit, unit_code) is None:
        unit_code = None
    case = await open_case(
        turn.session, now=now, source="patient", kind=kind, channel=turn.inbound.channel,
        feedback_id=feedback.id, patient_id=patient.id, primary_topic=primary, unit_code=unit_code,
        severity_hint=feedback.severity_hint, sentinel_hint=feedback.sentinel, policy=turn.hospital.policy,
    )
    await _keep_media(turn, data.get("media", []), feedback_id=feedback.id, case_id=case.id)
    turn.end()
    turn.say("complaint.received", kind=turn.t(f"complaint.kind_{kind}"), number=case.number)
    if anonymous:
        turn.say("complaint.anonymous_note")
    if feedback.sentinel or (feedback.severity_hint or "") in URGENT_SEVERITY:
        turn.say("complaint.urgent")
    await show_menu(turn)


async def _keep_media(turn: Turn, media: list[dict[str, Any]], *, feedback_id: int | None,
                      case_id: int | None) -> None:
    """Link the photos sent during the complaint (by MediaFile id, else by the platform's content id)."""
    ids = [m["media_id"] for m in media if m.get("media_id")]
    refs = [m["ref"] for m in media if m.get("ref") and not m.get("media_id")]
    if not ids and not refs:
        return
    conditions = []
    if ids:
        conditions.append(MediaFile.id.in_(ids))  # type: ignore[union-attr]
    if refs:
        conditions.append(MediaFile.platform_ref.in_(refs))  # type: ignore[attr-defined]
    query = select(MediaFile).where(MediaFile.channel == turn.inbound.channel, or_(*conditions))
    for row in (await turn.session.exec(query)).all():
        if row.feedback_id is None:  # never re-attach a file that belongs to another report
            row.feedback_id, row.case_id = feedback_id, case_id
            turn.session.add(row)
