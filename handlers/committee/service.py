"""The case service: every lifecycle step goes through `transition` (store.cases, audited), then the
patient's update and the pings to the unit and the committee."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlmodel import col, select

from handlers.case_updates import patient_reachable, patient_updates, reporter_updates
from handlers.committee.access import audit
from handlers.committee.views import next_buttons, severity_text, unit_names, view_button
from handlers.messages import Button, Channel, Delivery, Outbound
from handlers.payloads import pack
from handlers.turn import Turn
from store import cases as case_store
from store.models import Case, Staff
from store.periods import thai_date
from store.staff import reachable, staff_identities
from store.statuses import CLOSABLE, CaseStatus

Transition = Callable[..., Awaitable[Any]]


def actor(turn: Turn) -> Any:
    assert turn.staff is not None
    return case_store.Actor(kind="staff", staff_id=turn.staff.id, channel=str(turn.inbound.channel))


async def transition(turn: Turn, command: str, case: Case, name: str, **values: Any) -> bool:
    """Run one lifecycle step; a refused transition (wrong status…) is explained, audited, and False."""
    function: Transition = getattr(case_store, name)
    before = case.status
    try:
        await function(turn.session, case=case, actor=actor(turn), now=turn.services.clock(), **values)
    except case_store.TransitionError as exc:
        code = getattr(exc, "code", "invalid")
        audit(turn, f"command.{command}", allowed=False, target=f"case:{case.number}", reason=f"transition:{code}",
              status=before)
        key = f"committee.transition.{code}"
        turn.say(key if turn.services.catalogue.has(key) else "committee.transition.invalid",
                 number=case.number, status=turn.t(f"committee.status.{case.status}"), detail=str(exc)[:200],
                 buttons=[view_button(turn, case)])
        return False
    audit(turn, f"command.{command}", allowed=True, target=f"case:{case.number}", status_from=before,
          status_to=case.status)
    return True


async def tell_patient(turn: Turn, case: Case, what: str, reason: str | None = None) -> None:
    """The patient hears about triage, acknowledgement, closing, rejection (with its reason) and reopening
    (the patient flows' case_updates)."""
    for delivery in await patient_updates(turn.session, case=case, transition=what, services=turn.services,
                                          reason=reason):
        turn.push(delivery)


async def _ping(turn: Turn, who: Any, text: str, buttons: tuple[Button, ...]) -> None:
    """Push `text` to every active staff member matching `who`, on every chat app they registered (not the
    person acting: they already have the answer)."""
    rows = (await turn.session.exec(select(Staff).where(who, col(Staff.active)))).all()
    me = turn.staff.id if turn.staff else None
    ids = [s.id for s in rows if s.id is not None and s.id != me]
    for identity in await staff_identities(turn.session, staff_ids=ids):
        turn.push(Delivery(Channel(identity.channel), identity.external_id, [Outbound(text, buttons)]))


async def director_notice_line(turn: Turn) -> str:
    """Who the immediate director notice reaches (the sweeper sends it within seconds), or that nobody can."""
    directors = (await reachable(turn.session, role="director")).get(None)
    if directors:
        return turn.t("committee.director_told", names=", ".join(directors))
    return turn.t("committee.director_missing")


async def ping_unit(turn: Turn, case: Case) -> None:
    """The unit head(s) of the case's unit get the case with acknowledge / view buttons."""
    if not case.unit_code:
        return
    units = await unit_names(turn)
    text = turn.t("committee.assigned_ping", number=case.number, severity=severity_text(turn, case),
                  unit=units.get(case.unit_code, case.unit_code),
                  due=thai_date(case.report_due_at) if case.report_due_at else "-")
    buttons = (turn.button("case.ack", pack("case", "ack", case.number)), view_button(turn, case))
    await _ping(turn, (Staff.unit_code == case.unit_code) & (Staff.role == "unit_head"), text, buttons)


async def ping_committee_resolved(turn: Turn, case: Case) -> None:
    """The unit has returned its corrective-action record: the committee is asked to review (or close)."""
    units = await unit_names(turn)
    text = turn.t("committee.resolved_ping", number=case.number, unit=units.get(case.unit_code or "", "-"),
                  action=(case.action or "-")[:200])
    step = ("case.review", pack("case", "review", case.number)) if case.review_required != "none" else \
        ("case.close", pack("case", "close", case.number))
    await _ping(turn, Staff.role == "committee", text, (turn.button(*step), view_button(turn, case)))


async def close_case(turn: Turn, case: Case, summary: str | None = None) -> None:
    """Closed — or, for a complaint whose patient can be reached, sent to the patient to confirm the fix
    (awaiting_patient: closed when they confirm or stay silent for the policy's patient_confirm_within)."""
    summary = summary or case.approved_summary
    if case.status in CLOSABLE and await patient_reachable(turn.session, case):
        if await transition(turn, "close", case, "ask_patient", approved_summary=summary, policy=turn.hospital.policy):
            turn.say("committee.closed_awaiting", number=case.number,
                     due=thai_date(case.confirm_due_at) if case.confirm_due_at else "-",
                     buttons=next_buttons(turn, case))
            await tell_patient(turn, case, CaseStatus.AWAITING_PATIENT)
        return
    if await transition(turn, "close", case, "close", approved_summary=summary):
        turn.say("committee.closed", number=case.number, buttons=next_buttons(turn, case))
        await tell_patient(turn, case, "closed")
        await tell_reporter(turn, case)


async def tell_reporter(turn: Turn, case: Case) -> None:
    """The staff member who reported the incident hears the review's outcome and what was changed."""
    for delivery in await reporter_updates(turn.session, case=case, services=turn.services,
                                           actor_staff_id=turn.staff.id if turn.staff else None):
        turn.push(delivery)
