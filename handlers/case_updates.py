"""Closing the loop: the patient hears when their case is accepted, in progress and resolved, confirms the fix,
then rates it; the staff member who reported an incident hears what the review found and what was changed.

The committee commands call `patient_updates` right after a transition and push what it returns:

```python
deliveries = await patient_updates(session, case=case, transition="closed", services=services)
```

```mermaid
stateDiagram-v2
    [*] --> accepted: transition triaged
    accepted --> in_progress: transition acknowledged
    in_progress --> awaiting_patient: /close, patient reachable (fix summary, buttons fix:NUMBER:ok|no)
    in_progress --> resolved: /close, patient unreachable or a suggestion (transition closed)
    awaiting_patient --> resolved: fix:NUMBER:ok, or no answer by confirm_due_at (sweeper: auto_closed)
    awaiting_patient --> reopened: fix:NUMBER:no, first time (committee and unit head pinged)
    awaiting_patient --> awaiting_patient: fix:NUMBER:no again (pinged; new complaint or fix:NUMBER:talk offered)
    resolved --> rating_asked: buttons rate:NUMBER:1..5
    rating_asked --> rated: own case, first rating only
    rated --> [*]
    resolved --> reopened: /reopen (the patient is told; the loop runs again)
    rating_asked --> low_rating_alert: 1 or 2 of 5 (committee and unit head pinged)
```
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.flowkit import THAI_NUMBER_WORDS, bare, delivery_to, parse_score, patient_chats
from handlers.messages import Button, Channel, Delivery, Outbound
from handlers.payloads import pack
from handlers.router import Router
from handlers.services import Services
from handlers.turn import Turn
from store import audit
from store import cases as case_store
from store.cases import AWAITING_PATIENT, PATIENT_REOPENS, case_by_number, record_event
from store.models import Case, CaseEvent, Feedback, Patient, Staff
from store.outbox import enqueue
from store.periods import thai_date
from store.reminders import recipients
from store.staff import staff_identities
from store.statuses import VERBS, CaseStatus

log = logging.getLogger(__name__)
router = Router("case_updates")

TRANSITIONS = ("triaged", "acknowledged", "closed", "rejected", "duplicate", "reopened", AWAITING_PATIENT,
               "auto_closed")
RATING_STATUSES = frozenset({CaseStatus.CLOSED})
LOW_RATING = 2  # a handling rating at or below this pings the committee and the unit head
RATING_WORDS = re.compile(r"คะแนน|ดาว")


def _t(services: Services, key: str, **values: object) -> str:
    values.setdefault("hospital", services.settings.hospital_name)
    return services.catalogue(key, **values)


def rating_buttons(services: Services, number: str) -> tuple[Button, ...]:
    return tuple(Button(_t(services, f"button.flow.score_{n}"), pack("rate", number, str(n))) for n in range(1, 6))


def fix_buttons(services: Services, number: str) -> tuple[Button, ...]:
    """แก้ไขแล้ว ขอบคุณ / ยังไม่ได้แก้ไข under the fix summary (fix:2570-0042:ok is 19 bytes)."""
    return (Button(_t(services, "button.flow.fix_ok"), pack("fix", number, "ok")),
            Button(_t(services, "button.flow.fix_no"), pack("fix", number, "no")))


async def patient_reachable(session: AsyncSession, case: Case) -> bool:
    """Can the patient be asked to confirm the fix? Their own complaint (anonymous too: the chat is theirs alone)
    with a chat that still follows the bot; not a suggestion, a staff report, or an erased or unfollowed patient."""
    if case.source != "patient" or case.kind != "complaint" or case.patient_id is None:
        return False
    return bool(await patient_chats(session, patient_id=case.patient_id))


async def patient_updates(session: AsyncSession, *, case: Case, transition: str, services: Services,
                          reason: str | None = None) -> list[Delivery]:
    """Messages for the case's own patient after `transition` (triaged | acknowledged | closed; also
    rejected | duplicate with the committee's `reason`, reopened, awaiting_patient — the fix summary to confirm —
    and auto_closed). Empty for staff-reported cases or unknown transitions. Each delivery has a dedupe key per
    round (a reopened case is told again when it closes again), so calling twice never pings twice."""
    if case.patient_id is None or case.source != "patient" or transition not in TRANSITIONS:
        return []
    messages: list[Outbound]
    summary = (case.approved_summary or "").strip() or _t(services, "case_update.no_summary")
    if transition == AWAITING_PATIENT:
        due = thai_date(case.confirm_due_at, with_time=False) if case.confirm_due_at else "-"
        messages = [Outbound(_t(services, "case_update.confirm_ask", number=case.number, summary=summary, due=due),
                             fix_buttons(services, case.number))]
    elif transition == "auto_closed":  # one message: on LINE only the last message keeps its buttons
        buttons = rating_buttons(services, case.number)
        may_reopen = await case_store.patient_reopens(session, case=case) < PATIENT_REOPENS
        if may_reopen:
            buttons += fix_buttons(services, case.number)[1:]
        closed_key = "case_update.auto_closed" if may_reopen else "case_update.auto_closed_final"
        messages = [Outbound(_t(services, closed_key, number=case.number) + "\n\n"
                             + _t(services, "rate.ask", number=case.number), buttons)]
    elif transition == "closed":
        messages = [
            Outbound(_t(services, "case_update.closed", number=case.number, summary=summary)),
            Outbound(_t(services, "rate.ask", number=case.number), rating_buttons(services, case.number)),
        ]
    else:  # with buttons: on Telegram a message without them leaves nothing to press
        buttons = (Button(_t(services, "button.track"), pack("track", case.number)),
                   Button(_t(services, "button.menu"), "menu"))
        text = _t(services, f"case_update.{transition}", number=case.number)
        if reason:
            text += "\n" + _t(services, "case_update.reason", reason=reason)
        messages = [Outbound(text, buttons)]
    rounds = (await session.exec(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == case.id, col(CaseEvent.action) == "reopened"))).one()
    if transition == "reopened":
        rounds -= 1  # this reopening is the end of the previous round
    chats = await patient_chats(session, patient_id=case.patient_id)
    suffix = f":{rounds}" if rounds else ""
    return [
        delivery_to(chat, messages, dedupe_key=f"case:{case.number}:{transition}{suffix}:{chat.id}") for chat in chats
    ]


async def low_rating_alerts(turn: Turn, case: Case, score: int) -> None:
    """The committee and the case's unit head hear of a 1–2 of 5 handling rating (a unit without a head on
    chat: the committee only), each chat once."""
    await _tell_case_staff(turn, case, turn.t("rate.low_alert", number=case.number, score=score), "low_rating")


async def _tell_case_staff(turn: Turn, case: Case, text: str, tag: str) -> None:
    """The committee and the case's unit head get `text` with the case's view button, each chat once (`tag`
    names the occasion in the dedupe key)."""
    buttons = (Button(turn.t("reminder.button_view"), pack("case", "view", case.number)),)
    seen: set[int] = set()
    for role in ("committee", "unit_head"):
        for person in await recipients(turn.session, case=case, role=role):
            if person.identity_id not in seen:
                seen.add(person.identity_id)
                turn.push(Delivery(Channel(person.channel), person.chat_id, [Outbound(text, buttons)],
                                   dedupe_key=f"case:{case.number}:{tag}:{person.identity_id}"))


@router.payload("rate", private=True)
async def on_rate(turn: Turn) -> None:
    """rate:NUMBER:SCORE — only the case's own patient, only once, only after it is closed."""
    payload = turn.payload
    number = payload.action if len(payload.args) == 1 else ""
    score = int(payload.args[0]) if len(payload.args) == 1 and payload.args[0].isdigit() else 0
    case = await case_by_number(turn.session, number=number) if number else None
    own = case is not None and turn.identity.patient_id is not None and case.patient_id == turn.identity.patient_id
    if case is None or not own:
        turn.say("track.not_found")
        return
    if not 1 <= score <= 5:
        turn.say("rate.ask", number=case.number, buttons=rating_buttons(turn.services, case.number))
        return
    if case.status not in RATING_STATUSES:
        turn.say("rate.not_yet", number=case.number)
        return
    if case.handling_rating is not None:
        turn.say("rate.already", number=case.number, score=case.handling_rating)
        return
    await _record_rating(turn, case, score)


async def rate_typed(turn: Turn, text: str) -> bool:
    """'ให้ 5 คะแนนค่ะ' typed outside a flow rates the patient's latest closed, unrated case (True if it did)."""
    if turn.identity.patient_id is None or not looks_like_rating(text):
        return False
    score = parse_score(text).score
    if score is None:
        return False
    query = (
        select(Case)
        .where(Case.patient_id == turn.identity.patient_id, Case.source == "patient", Case.status == CaseStatus.CLOSED,
               Case.handling_rating.is_(None))  # type: ignore[union-attr]
        .order_by(Case.updated_at.desc(), Case.id.desc())  # type: ignore[attr-defined, union-attr]
    )
    case = (await turn.session.exec(query)).first()
    if case is None:
        return False
    await _record_rating(turn, case, score)
    return True


def looks_like_rating(text: str) -> bool:
    """A bare score ('5', 'ห้า') or one said with คะแนน / ดาว ('ให้ 5 คะแนนค่ะ', 'ห้าดาวเลยครับ')."""
    word = bare(text)
    return bool(RATING_WORDS.search(word)) or word in {"1", "2", "3", "4", "5", *THAI_NUMBER_WORDS}


async def _record_rating(turn: Turn, case: Case, score: int) -> None:
    case.handling_rating = score
    case.updated_at = turn.services.clock()
    turn.session.add(case)
    await record_event(
        turn.session, case=case, now=turn.services.clock(), action="rated", actor_kind="patient",
        channel=turn.inbound.channel, detail={"rating": score},
    )
    turn.say("rate.thanks" if score > LOW_RATING else "rate.thanks_low", number=case.number)
    if score <= LOW_RATING:
        await low_rating_alerts(turn, case, score)


# --- the patient confirms the fix (issue 19: a complaint is closed only when its patient says so, or is silent) ---


def _patient_actor(turn: Turn) -> case_store.Actor:
    return case_store.Actor("patient", channel=str(turn.inbound.channel))


async def _ping_staff(turn: Turn, case: Case, key: str, tag: str, **values: object) -> None:
    """The committee and the case's unit head hear of the patient's answer, each chat once (per round)."""
    rounds = await case_store.patient_reopens(turn.session, case=case)
    await _tell_case_staff(turn, case, turn.t(key, number=case.number, **values), f"{tag}:{rounds}")


def _after_buttons(turn: Turn, case: Case) -> list[Button]:
    return [turn.button("track", pack("track", case.number)), turn.button("menu", "menu")]


@router.payload("fix", private=True)
async def on_fix(turn: Turn) -> None:
    """fix:NUMBER:ok|no|talk — the patient's answer to the fix summary; only the case's own patient."""
    number, answer = turn.payload.action, turn.payload.arg(0)
    case = await case_by_number(turn.session, number=number) if number else None
    own = case is not None and turn.identity.patient_id is not None and case.patient_id == turn.identity.patient_id \
        and case.source == "patient"
    if case is None or not own:
        turn.say("track.not_found", buttons=[turn.button("track", "track"), turn.button("menu", "menu")])
        return
    if answer == "ok":
        await _fixed(turn, case)
    elif answer == "no":
        await _not_fixed(turn, case)
    elif answer == "talk":
        await _talk(turn, case)
    else:
        turn.say("case_update.confirm_again", number=case.number, buttons=fix_buttons(turn.services, case.number))


# What a patient types instead of pressing (bare(): spaces, punctuation and polite endings gone); "not fixed" is
# looked for first, since "ยังไม่ได้รับการแก้ไข" holds "ได้รับการแก้ไข".
NOT_FIXED_WORDS = ("ยังไม่ได้รับการแก้", "ไม่ได้รับการแก้ไข", "ยังไม่ได้แก้", "ยังไม่แก้", "ยังไม่ดีขึ้น", "ยังเหมือนเดิม",
                   "ยังไม่เรียบร้อย", "ยังมีปัญหา", "ยังไม่หาย", "ยังไม่ได้รับการแก้ไข")
FIXED_WORDS = ("แก้ไขแล้ว", "แก้แล้ว", "เรียบร้อยแล้ว", "ดีขึ้นแล้ว", "ได้รับการแก้ไขแล้ว")
TYPED_ANSWER_CHARS = 40  # a longer text is a new story, not an answer to the fix summary


async def confirm_typed(turn: Turn, text: str) -> bool:
    """'แก้ไขแล้วค่ะ ขอบคุณมาก' / 'ยังไม่ได้แก้เลยครับ' typed outside a flow answers the patient's latest case that
    waits for their word (True if it did)."""
    word = bare(text)
    if turn.identity.patient_id is None or not word or len(word) > TYPED_ANSWER_CHARS:
        return False
    answer = "no" if any(w in word for w in NOT_FIXED_WORDS) else "ok" if any(w in word for w in FIXED_WORDS) else ""
    if not answer:
        return False
    query = (select(Case).where(Case.patient_id == turn.identity.patient_id, Case.source == "patient",
                                Case.status == AWAITING_PATIENT)
             .order_by(col(Case.updated_at).desc(), col(Case.id).desc()))
    case = (await turn.session.exec(query)).first()
    if case is None:
        return False
    await (_fixed(turn, case) if answer == "ok" else _not_fixed(turn, case))
    return True


async def _fixed(turn: Turn, case: Case) -> None:
    if case.status == AWAITING_PATIENT:
        await case_store.confirm_fixed(turn.session, case=case, actor=_patient_actor(turn), now=turn.services.clock())
        turn.say("confirm.thanks", number=case.number)
    elif case.status == "closed":  # an old button: nothing changes
        turn.say("confirm.already", number=case.number,
                 buttons=_after_buttons(turn, case) if case.handling_rating is not None else ())
    else:  # reopened meanwhile: nothing to confirm yet
        turn.say("confirm.not_asked", number=case.number, buttons=_after_buttons(turn, case))
        return
    if case.handling_rating is None:
        turn.say("rate.ask", number=case.number, buttons=rating_buttons(turn.services, case.number))


async def _not_fixed(turn: Turn, case: Case) -> None:
    if case.status not in VERBS["not_fixed"].accepts:  # being worked on again already
        turn.say("confirm.not_asked", number=case.number, buttons=_after_buttons(turn, case))
        return
    reopened = await case_store.not_fixed(turn.session, case=case, actor=_patient_actor(turn),
                                          now=turn.services.clock(), policy=turn.hospital.policy)
    if reopened:
        turn.say("confirm.reopened", number=case.number, buttons=_after_buttons(turn, case))
        await _ping_staff(turn, case, "confirm.staff_not_fixed", "not_fixed",
                          due=thai_date(case.resolve_due_at) if case.resolve_due_at else "-")
        return
    turn.say("confirm.not_again", number=case.number, buttons=[
        turn.button("flow.new_complaint", "complaint"),
        turn.button("flow.talk_committee", pack("fix", case.number, "talk")),
        turn.button("menu", "menu"),
    ])
    await _ping_staff(turn, case, "confirm.staff_not_fixed_again", "not_fixed_again")


async def _talk(turn: Turn, case: Case) -> None:
    """The patient asks to talk to the committee: pinged with the way back (the phone the patient left, when they
    agreed to be called back; never for an anonymous complaint)."""
    feedback = await turn.session.get(Feedback, case.feedback_id) if case.feedback_id else None
    patient = await turn.session.get(Patient, case.patient_id) if case.patient_id else None
    callable_ = bool(feedback is not None and feedback.contact_consent and patient is not None and patient.phone)
    await record_event(turn.session, case=case, now=turn.services.clock(), action="patient_asked_contact",
                       actor_kind="patient", channel=str(turn.inbound.channel), from_status=case.status,
                       to_status=case.status, detail={"call_back": callable_})
    turn.say("confirm.talk" if callable_ else "confirm.talk_no_phone", buttons=[turn.button("menu", "menu")])
    await _ping_staff(turn, case, "confirm.staff_talk" if callable_ else "confirm.staff_talk_no_phone", "talk")


async def close_unanswered(services: Services, *, now: datetime) -> int:
    """The sweeper's step: complaints whose patient has not answered by `confirm_due_at` are closed by the
    system (an `auto_closed` timeline entry and an audit row), and the patient is told, with the rating and —
    while the one reopening is unused — the "not fixed" button. One transaction; returns how many closed."""
    closed = 0
    async with services.sessions() as session:
        for case in await case_store.unanswered(session, now=now):
            try:
                await case_store.close_unanswered(session, case=case, now=now)
            except case_store.TransitionError:  # another instance closed it, or the patient answered, first
                continue
            audit.record(session, actor="system:sweeper", channel="system", action="case.auto_closed",
                         target=audit.case_target(case.number), at=now,
                         detail={"status_from": AWAITING_PATIENT, "status_to": str(case.status)})
            for delivery in await patient_updates(session, case=case, transition="auto_closed", services=services):
                await enqueue(session, channel=str(delivery.channel), chat_id=delivery.chat_id,
                              messages=delivery.messages, now=now, dedupe_key=delivery.dedupe_key)
            closed += 1
        await session.commit()
    if closed:
        log.info("closed %d complaint(s) whose patient did not answer in time", closed)
    return closed


# --- the staff member who reported an incident hears the outcome ----------------------------------


async def reporter_updates(session: AsyncSession, *, case: Case, services: Services,
                           actor_staff_id: int | None = None) -> list[Delivery]:
    """After the review (or the closing of a case that needed none): the staff member who reported it by chat
    hears what the review found and what was changed — cause, action, prevention — in each of their chats. Not
    the person acting (they have the answer already), nobody who left; once per round (dedupe key)."""
    reporter = await session.get(Staff, case.reporter_staff_id) if case.reporter_staff_id else None
    if reporter is None or reporter.id is None or reporter.id == actor_staff_id or not reporter.active \
            or reporter.revoked_at is not None:
        return []
    how = f"reporter.how_{case.review_required}" if case.reviewed_at else "reporter.how_closed"
    text = _t(services, "reporter.reviewed", number=case.number, how=_t(services, how), cause=case.cause or "-",
              action=case.action or "-", prevention=case.prevention or "-")
    buttons = (Button(_t(services, "committee.button_view", number=case.number), pack("case", "view", case.number)),)
    rounds = (await session.exec(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == case.id, col(CaseEvent.action) == "reopened"))).one()
    return [Delivery(Channel(identity.channel), identity.external_id, [Outbound(text, buttons)],
                     dedupe_key=f"case:{case.number}:reporter:{rounds}:{identity.id}")
            for identity in await staff_identities(session, staff_ids=[reporter.id]) if identity.followed]
