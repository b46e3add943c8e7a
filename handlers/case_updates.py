"""Closing the loop: the patient hears when their case is accepted, in progress and resolved, then rates it.

The committee commands call `patient_updates` right after a transition and push what it returns:

```python
deliveries = await patient_updates(session, case=case, transition="closed", services=services)
```

```mermaid
stateDiagram-v2
    [*] --> accepted: transition triaged
    accepted --> in_progress: transition acknowledged
    in_progress --> resolved: transition closed (approved summary)
    resolved --> rating_asked: buttons rate:NUMBER:1..5
    rating_asked --> rated: own case, first rating only
    rated --> [*]
    resolved --> reopened: /reopen (the patient is told; the loop runs again)
    rating_asked --> low_rating_alert: 1 or 2 of 5 (committee and unit head pinged)
```
"""

from __future__ import annotations

import re

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.flowkit import THAI_NUMBER_WORDS, bare, delivery_to, parse_score, patient_chats
from handlers.messages import Button, Channel, Delivery, Outbound
from handlers.router import Router
from handlers.services import Services
from handlers.turn import Turn
from store.cases import case_by_number, record_event
from store.models import Case, CaseEvent
from store.reminders import recipients
from store.statuses import CaseStatus

router = Router("case_updates")

TRANSITIONS = ("triaged", "acknowledged", "closed", "rejected", "duplicate", "reopened")
RATING_STATUSES = frozenset({CaseStatus.CLOSED})
LOW_RATING = 2  # a handling rating at or below this pings the committee and the unit head
RATING_WORDS = re.compile(r"คะแนน|ดาว")


def _t(services: Services, key: str, **values: object) -> str:
    values.setdefault("hospital", services.settings.hospital_name)
    return services.catalogue(key, **values)


def rating_buttons(services: Services, number: str) -> tuple[Button, ...]:
    return tuple(Button(_t(services, f"button.flow.score_{n}"), f"rate:{number}:{n}") for n in range(1, 6))


async def patient_updates(session: AsyncSession, *, case: Case, transition: str, services: Services,
                          reason: str | None = None) -> list[Delivery]:
    """Messages for the case's own patient after `transition` (triaged | acknowledged | closed; also
    rejected | duplicate with the committee's `reason`, and reopened). Empty for staff-reported cases or
    unknown transitions. Each delivery has a dedupe key per round (a reopened case is told again when it
    closes again), so calling twice never pings twice."""
    if case.patient_id is None or case.source != "patient" or transition not in TRANSITIONS:
        return []
    messages: list[Outbound]
    if transition == "closed":
        summary = (case.approved_summary or "").strip() or _t(services, "case_update.no_summary")
        messages = [
            Outbound(_t(services, "case_update.closed", number=case.number, summary=summary)),
            Outbound(_t(services, "rate.ask", number=case.number), rating_buttons(services, case.number)),
        ]
    else:  # with buttons: on Telegram a message without them leaves nothing to press
        buttons = (Button(_t(services, "button.track"), f"track:{case.number}"),
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
    text = turn.t("rate.low_alert", number=case.number, score=score)
    buttons = (Button(turn.t("reminder.button_view"), f"case:view:{case.number}"),)
    seen: set[int] = set()
    for role in ("committee", "unit_head"):
        for person in await recipients(turn.session, case=case, role=role):
            if person.identity_id not in seen:
                seen.add(person.identity_id)
                turn.push(Delivery(Channel(person.channel), person.chat_id, [Outbound(text, buttons)],
                                   dedupe_key=f"case:{case.number}:low_rating:{person.identity_id}"))


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
