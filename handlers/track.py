"""Track: the patient's own cases with their status in Thai. Never anyone else's, whatever is typed or sent.

Ownership is checked on every lookup (`Case.patient_id` = this chat's patient). A number that exists but
belongs to someone else gets exactly the same answer as a number that does not exist.

```mermaid
stateDiagram-v2
    [*] --> list: ติดตามเรื่อง
    [*] --> detail: a typed case number / track:NUMBER
    list --> detail: เลขที่เรื่อง button (own cases only)
    detail --> rating: closed and not yet rated
    detail --> confirm: awaiting_patient (the fix summary and fix:NUMBER:ok|no again)
    detail --> [*]
    list --> [*]
```
"""

from __future__ import annotations

import re

from sqlmodel import select

from handlers.case_updates import fix_buttons, rating_buttons
from handlers.flowkit import cut_at_word, short_label
from handlers.messages import Button
from handlers.payloads import pack
from handlers.router import Router
from handlers.turn import Turn
from store.models import Case, Feedback
from store.periods import thai_date
from store.statuses import ALL as ALL_STATUSES
from store.statuses import CaseStatus

router = Router("track")

SUBJECT_CHARS, LABEL_SUBJECT, DETAIL_SUBJECT = 40, 9, 200  # how much of the patient's text identifies a case
LIST_LIMIT = 10  # buttons: 10 cases + เมนูหลัก stay under LINE's 13 quick replies
NUMBER = re.compile(r"^\d{4}-\d{4}$")


def status_th(turn: Turn, status: str) -> str:
    return turn.t(f"track.status_{status if status in ALL_STATUSES else 'acknowledged'}")


async def own_cases(turn: Turn, *, limit: int = LIST_LIMIT) -> list[Case]:
    patient_id = turn.identity.patient_id
    if patient_id is None:
        return []
    query = (
        select(Case)
        .where(Case.patient_id == patient_id, Case.source == "patient")
        .order_by(Case.created_at.desc(), Case.id.desc())  # type: ignore[attr-defined, union-attr]
        .limit(limit)
    )
    return list((await turn.session.exec(query)).all())


async def own_case(turn: Turn, number: str) -> Case | None:
    """The case with this number, only if it is this patient's."""
    patient_id = turn.identity.patient_id
    if patient_id is None or not NUMBER.match(number):
        return None
    query = select(Case).where(Case.number == number, Case.patient_id == patient_id, Case.source == "patient")
    return (await turn.session.exec(query)).first()


def subject(text: str | None, limit: int) -> str:
    """The start of what the patient wrote, so cases can be told apart ('รอรับยานาน…')."""
    first = " ".join((text or "").split())
    return first if len(first) <= limit else cut_at_word(first, limit) + "…"


async def _texts(turn: Turn, cases: list[Case]) -> dict[int | None, str]:
    ids = [c.feedback_id for c in cases if c.feedback_id is not None]
    if not ids:
        return {}
    rows = await turn.session.exec(select(Feedback).where(Feedback.id.in_(ids)))  # type: ignore[union-attr]
    return {f.id: f.text for f in rows.all()}


def _unit(turn: Turn, case: Case) -> str:
    """The unit handling the case by the name patients use (ห้องยา; the committee sees งานเภสัชกรรม)."""
    return turn.hospital.patient_unit_name(case.unit_code) or turn.t("track.no_unit")


@router.payload("track", private=True)
async def on_track(turn: Turn) -> None:
    number = turn.payload.rest
    if number:
        await show_case(turn, number)
        return
    turn.end()
    cases = await own_cases(turn)
    if not cases:
        turn.say("track.none", buttons=[turn.button("complaint", "complaint"), turn.button("menu", "menu")])
        return
    texts = await _texts(turn, cases)
    lines = "\n".join(
        turn.t("track.line", number=c.number, subject=subject(texts.get(c.feedback_id), SUBJECT_CHARS),
               unit=_unit(turn, c), status=status_th(turn, c.status),
               date=thai_date(c.created_at, with_time=False))
        for c in cases
    )
    buttons = [Button(short_label(f"{c.number} {subject(texts.get(c.feedback_id), LABEL_SUBJECT)}"),
                      pack("track", c.number)) for c in cases] + [turn.button("menu", "menu")]
    turn.say("track.list", count=len(cases), lines=lines, buttons=buttons)


async def show_case(turn: Turn, number: str) -> None:
    case = await own_case(turn, number.strip())
    if case is None:
        turn.say("track.not_found", buttons=[turn.button("track", "track"), turn.button("menu", "menu")])
        return
    texts = await _texts(turn, [case])
    turn.say("track.detail", number=case.number, date=thai_date(case.created_at), status=status_th(turn, case.status),
             subject=subject(texts.get(case.feedback_id), DETAIL_SUBJECT), unit=_unit(turn, case))
    if case.status in (CaseStatus.AWAITING_PATIENT, CaseStatus.CLOSED) and case.approved_summary:
        turn.say("track.summary", summary=case.approved_summary)
    if case.status == CaseStatus.AWAITING_PATIENT:  # the fix summary is waiting for the patient's word
        turn.say("case_update.confirm_again", number=case.number, buttons=fix_buttons(turn.services, case.number))
    elif case.status == "closed" and case.handling_rating is None:
        turn.say("rate.ask", number=case.number, buttons=rating_buttons(turn.services, case.number))
    elif case.handling_rating is not None:
        turn.say("track.rated", score=case.handling_rating,
                 buttons=[turn.button("flow.all_cases", "track"), turn.button("menu", "menu")])
    else:
        turn.say("menu.again", buttons=[turn.button("flow.all_cases", "track"), turn.button("menu", "menu")])
