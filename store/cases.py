"""Cases of the risk committee's queue: readable numbers and the audit trail of every change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store import reminders
from store.db import insert_missing
from store.models import Case, CaseCounter, CaseEvent, Staff, Unit
from store.periods import fiscal_year_be
from store.policy import Policy
from store.statuses import RESOLVABLE, VERBS, VOID, CaseStatus


async def next_case_number(session: AsyncSession, *, now: datetime) -> tuple[int, int, str]:
    """(fiscal year, sequence, "2570-0042"): gap-free per fiscal year, safe with concurrent writers.

    The year's counter row is created if missing (INSERT … ON CONFLICT DO NOTHING), then bumped with
    one UPDATE … RETURNING, which holds the row lock on PostgreSQL and the write lock on SQLite until
    commit, so two instances never hand out the same number.
    """
    year = fiscal_year_be(now)
    await insert_missing(session, CaseCounter, [{"fiscal_year": year, "last_seq": 0}])
    bumped = await session.execute(
        update(CaseCounter)
        .where(CaseCounter.fiscal_year == year)  # type: ignore[arg-type]
        .values(last_seq=CaseCounter.last_seq + 1)
        .returning(CaseCounter.last_seq)  # type: ignore[call-overload]  # SQLModel fields type as plain int
    )
    seq = bumped.scalar_one()
    return year, seq, f"{year}-{seq:04d}"


async def open_case(
    session: AsyncSession,
    *,
    now: datetime,
    source: str,
    kind: str,
    channel: str | None,
    feedback_id: int | None = None,
    patient_id: int | None = None,
    reporter_staff_id: int | None = None,
    summary: str | None = None,
    primary_topic: str | None = None,
    unit_code: str | None = None,
    severity_hint: str | None = None,
    sentinel_hint: bool = False,
    policy: Policy,
) -> Case:
    """Register a new case (status `new`) with its first timeline entry and its untriaged reminder."""
    year, seq, number = await next_case_number(session, now=now)
    case = Case(
        number=number, fiscal_year=year, seq=seq, source=source, kind=kind, feedback_id=feedback_id,
        patient_id=patient_id, reporter_staff_id=reporter_staff_id, summary=summary,
        primary_topic=primary_topic, unit_code=unit_code, severity_hint=severity_hint,
        sentinel_hint=sentinel_hint, created_at=now, updated_at=now,
    )
    session.add(case)
    await session.flush()
    await record_event(
        session, case=case, now=now, action="created", actor_kind="patient" if source == "patient" else "staff",
        actor_staff_id=reporter_staff_id, channel=channel, to_status="new",
    )
    # The committee hears of a case nobody triages, and at once of a possible sentinel event.
    await reminders.schedule_untriaged(session, case=case, now=now, policy=policy)
    if sentinel_hint:
        await reminders.ensure(session, case=case, kind="sentinel_hint", due_at=now, role="committee", now=now,
                               policy=policy)
    return case


async def record_event(
    session: AsyncSession,
    *,
    case: Case,
    now: datetime,
    action: str,
    actor_kind: str,
    actor_staff_id: int | None = None,
    channel: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    detail: dict[str, Any] | None = None,
) -> CaseEvent:
    assert case.id is not None
    event = CaseEvent(
        case_id=case.id, at=now, actor_kind=actor_kind, actor_staff_id=actor_staff_id, channel=channel,
        action=action, from_status=from_status, to_status=to_status, detail=detail or {},
    )
    session.add(event)
    return event


async def case_by_number(session: AsyncSession, *, number: str) -> Case | None:
    return (await session.exec(select(Case).where(Case.number == number))).first()


# --- lifecycle (SPEC §5): new → triaged → acknowledged → resolved → reviewed → closed; rejected / duplicate ---

# The committee closed a complaint whose patient can be reached (CaseStatus.AWAITING_PATIENT): it is closed only
# when the patient confirms the fix or does not answer by `Case.confirm_due_at` (the policy's
# patient_confirm_within). Open (in the committee's queue, reopenable); its corrective action is done.
AWAITING_PATIENT = CaseStatus.AWAITING_PATIENT
PATIENT_REOPENS = 1  # a "fixed on paper" complaint: how often its patient may reopen it by "not fixed"
REVIEW_RANK = {"none": 0, "review": 1, "rca": 2}


@dataclass(frozen=True)
class Actor:
    """Who acted and from where: recorded on every CaseEvent."""

    kind: str  # staff | patient | system
    staff_id: int | None = None
    channel: str | None = None


class TransitionError(ValueError):
    """A lifecycle step that is not allowed; `code` lets a handler pick the Thai message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _require(case: Case, allowed: frozenset[str], step: str) -> None:
    if case.status not in allowed:
        raise TransitionError("bad_state", f"cannot {step} case {case.number} in status {case.status}")


async def _locked(session: AsyncSession, case: Case) -> Case:
    """Re-read the case under a row lock (PostgreSQL) so two people acting at once see each other's step."""
    if case.id is not None and session.get_bind().dialect.name == "postgresql":
        await session.refresh(case, with_for_update=True)
    return case


async def _event(
    session: AsyncSession, *, case: Case, actor: Actor, now: datetime, action: str, from_status: str | None,
    detail: dict[str, Any] | None = None,
) -> CaseEvent:
    case.updated_at = now
    session.add(case)
    await session.flush()
    return await record_event(
        session, case=case, now=now, action=action, actor_kind=actor.kind, actor_staff_id=actor.staff_id,
        channel=actor.channel, from_status=from_status, to_status=case.status, detail=detail,
    )


async def recurrence_count(session: AsyncSession, *, case: Case, policy: Policy) -> int:
    """Cases of the same NRLS risk code and unit created within the policy window up to this one (itself
    included), imported HRMS history among them; a case not yet coded counts by its primary topic instead.
    Rejected and duplicate cases do not count."""
    if not case.unit_code:
        return 0
    if case.risk_code:
        same = Case.risk_code == case.risk_code
    elif case.primary_topic:
        same = Case.primary_topic == case.primary_topic
    else:
        return 0
    window = policy.recurrence.window
    since = window.before(case.created_at)
    count = (await session.exec(select(func.count()).select_from(Case).where(
        same, Case.unit_code == case.unit_code,
        col(Case.created_at) >= since, col(Case.created_at) <= case.created_at,
        col(Case.status).notin_(VOID),
    ))).one()
    return int(count)


async def _recurrence(session: AsyncSession, *, case: Case, review: str, policy: Policy) -> tuple[int, bool, str]:
    """(count, recurrent, review raised to the policy's recurrence review when recurrent)."""
    count = await recurrence_count(session, case=case, policy=policy)
    recurrent = count > policy.recurrence.max_count
    if recurrent and REVIEW_RANK[policy.recurrence.review] > REVIEW_RANK[review]:
        review = policy.recurrence.review
    return count, recurrent, review


async def _recurrence_event(session: AsyncSession, *, case: Case, count: int, actor: Actor, now: datetime,
                            policy: Policy) -> None:
    await _event(session, case=case, actor=Actor("system", channel=actor.channel), now=now, action="recurrence",
                 from_status=case.status, detail={"count": count, "code": case.risk_code, "topic": case.primary_topic,
                                                  "unit": case.unit_code, "window": policy.recurrence.window.iso(),
                                                  "review": case.review_required})


async def set_risk_code(
    session: AsyncSession, *, case: Case, code: str, actor: Actor, now: datetime, suggested: list[str] | None = None,
    policy: Policy,
) -> int | None:
    """The committee's NRLS code for the case (a "coded" timeline entry). A graded, unfinished case is checked
    for recurrence under its new code: more than the policy's count in the window raises its review to RCA
    with a "recurrence" entry. Returns the count when the case is now recurrent, else None."""
    case = await _locked(session, case)
    previous, case.risk_code = case.risk_code, code
    await _event(session, case=case, actor=actor, now=now, action="coded", from_status=case.status,
                 detail={"code": code, "previous": previous, "suggested": suggested or []})
    if case.severity is None or case.status not in ("triaged", "acknowledged", "resolved") or code == previous:
        return None  # an ungraded case is checked when it is triaged
    count, recurrent, review = await _recurrence(session, case=case, review=case.review_required, policy=policy)
    if not recurrent:
        return None
    case.review_required = review
    await _recurrence_event(session, case=case, count=count, actor=actor, now=now, policy=policy)
    return count


async def _check_unit(session: AsyncSession, unit_code: str) -> None:
    unit = await session.get(Unit, unit_code)
    if unit is None or not unit.active:
        raise TransitionError("unknown_unit", f"unknown or inactive unit {unit_code!r}")


async def _schedule_deadlines(session: AsyncSession, *, case: Case, now: datetime, policy: Policy) -> None:
    """Replace the deadline reminders with ones for the case's current deadlines and status."""
    await reminders.cancel(session, case=case, kinds=reminders.REPORT_KINDS + reminders.RESOLVE_KINDS)
    start = case.triaged_at or now
    if case.status == "triaged" and case.report_due_at is not None:
        await reminders.schedule_deadline(session, case=case, which="report", start=start,
                                          deadline=case.report_due_at, now=now, policy=policy)
    if case.status in RESOLVABLE and case.resolve_due_at is not None:
        await reminders.schedule_deadline(session, case=case, which="resolve", start=start,
                                          deadline=case.resolve_due_at, now=now, policy=policy)


async def triage(
    session: AsyncSession, *, case: Case, severity: str, unit_code: str | None, actor: Actor, now: datetime,
    policy: Policy,
) -> Case:
    """Set severity and unit; deadlines from the policy counted from the first triage (a changed severity
    recomputes them from that same start, so re-grading never buys time); review from the policy, raised
    to RCA on recurrence. A re-grade of an acknowledged case keeps its status."""
    case = await _locked(session, case)
    _require(case, VERBS["triage"].accepts, "triage")
    severity = severity.strip().upper()
    if severity not in policy.severities:
        raise TransitionError("bad_severity", f"unknown severity {severity!r}")
    if unit_code is not None:
        await _check_unit(session, unit_code)
        if unit_code != case.unit_code:
            case.assignee_staff_id = None
        case.unit_code = unit_code
    rule = policy.rule(severity)
    before, old_severity, old_review = case.status, case.severity, case.review_required
    if case.triaged_at is None:
        case.triaged_at = now
    start = case.triaged_at
    case.severity = severity
    case.report_due_at = policy.reminders.report_window(rule).after(start)
    case.resolve_due_at = rule.resolve_within.after(start)
    count, recurrent, review = await _recurrence(session, case=case, review=rule.review, policy=policy)
    case.review_required = review
    if case.status == "new":
        case.status = "triaged"
    await _event(session, case=case, actor=actor, now=now, from_status=before,
                 action="triaged" if old_severity is None else "severity_changed",
                 detail={"severity": severity, "previous_severity": old_severity, "unit": case.unit_code,
                         "review": review, "report_due_at": case.report_due_at.isoformat(),
                         "resolve_due_at": case.resolve_due_at.isoformat()})
    if recurrent and (old_severity is None or old_review != review):  # flagged once, not on every re-grade
        await _recurrence_event(session, case=case, count=count, actor=actor, now=now, policy=policy)
    await reminders.cancel(session, case=case, kinds=reminders.UNTRIAGED_KINDS)
    await _schedule_deadlines(session, case=case, now=now, policy=policy)
    if severity != old_severity:
        if severity == "SE":
            await reminders.ensure(session, case=case, kind="sentinel", due_at=now, role="director", now=now,
                                   policy=policy)
        elif rule.notify_director:
            await reminders.ensure(session, case=case, kind="director_notice", due_at=now, role="director", now=now,
                                   policy=policy)
    return case


async def assign(
    session: AsyncSession, *, case: Case, unit_code: str, actor: Actor, now: datetime,
    assignee_staff_id: int | None = None,
) -> Case:
    """Send the case to a unit (and optionally a named person in it); status unchanged."""
    case = await _locked(session, case)
    _require(case, VERBS["assign"].accepts, "assign")
    await _check_unit(session, unit_code)
    if assignee_staff_id is not None:
        staff = await session.get(Staff, assignee_staff_id)
        if staff is None or not staff.active or staff.revoked_at is not None:
            raise TransitionError("unknown_staff", f"no active staff member {assignee_staff_id}")
    previous = {"unit": case.unit_code, "assignee": case.assignee_staff_id}
    case.unit_code = unit_code
    case.assignee_staff_id = assignee_staff_id
    await _event(session, case=case, actor=actor, now=now, action="assigned", from_status=case.status,
                 detail={"unit": unit_code, "assignee_staff_id": assignee_staff_id, "previous": previous})
    return case


async def acknowledge(session: AsyncSession, *, case: Case, actor: Actor, now: datetime) -> Case:
    """The unit has seen the case: the report deadline is met; the resolve deadline still runs."""
    case = await _locked(session, case)
    _require(case, VERBS["ack"].accepts, "acknowledge")
    case.status, case.acknowledged_at = "acknowledged", now
    await _event(session, case=case, actor=actor, now=now, action="acknowledged", from_status="triaged",
                 detail={"late": bool(case.report_due_at and now > case.report_due_at)})
    await reminders.cancel(session, case=case, kinds=reminders.REPORT_KINDS)
    return case


async def add_note(session: AsyncSession, *, case: Case, text: str, actor: Actor, now: datetime) -> CaseEvent:
    """A free-text note on the timeline; any status."""
    text = text.strip()
    if not text:
        raise TransitionError("empty", "a note needs text")
    return await _event(session, case=case, actor=actor, now=now, action="note", from_status=case.status,
                        detail={"text": text})


async def resolve(
    session: AsyncSession, *, case: Case, cause: str, action: str, prevention: str, actor: Actor, now: datetime
) -> Case:
    """The unit's corrective-action record (form FO-QMR-23: cause, action, prevention)."""
    case = await _locked(session, case)
    _require(case, VERBS["resolve"].accepts, "resolve")
    fields = {"cause": cause.strip(), "action": action.strip(), "prevention": prevention.strip()}
    missing = [k for k, v in fields.items() if not v]
    if missing:
        raise TransitionError("incomplete", f"FO-QMR-23 needs {', '.join(missing)}")
    before = case.status
    case.cause, case.action, case.prevention = fields["cause"], fields["action"], fields["prevention"]
    case.status, case.resolved_at = "resolved", now
    await _event(session, case=case, actor=actor, now=now, action="resolved", from_status=before,
                 detail={**fields, "form": "FO-QMR-23",
                         "late": bool(case.resolve_due_at and now > case.resolve_due_at)})
    await reminders.cancel(session, case=case, kinds=reminders.REPORT_KINDS + reminders.RESOLVE_KINDS)
    return case


async def review(session: AsyncSession, *, case: Case, actor: Actor, now: datetime) -> Case:
    """The committee's review (or RCA, when required) of the corrective action is done."""
    case = await _locked(session, case)
    _require(case, VERBS["review"].accepts, "review")
    case.status, case.reviewed_at = "reviewed", now
    await _event(session, case=case, actor=actor, now=now, action="reviewed", from_status="resolved",
                 detail={"review": case.review_required})
    return case


async def _closing(session: AsyncSession, case: Case, approved_summary: str | None) -> tuple[Case, str]:
    """The checks `close` and `ask_patient` share (a required review done, a closable status), and the approved
    summary kept; returns the locked case and the status it had."""
    case = await _locked(session, case)
    if case.status == "resolved" and case.review_required != "none":
        raise TransitionError("review_required", f"case {case.number} needs a {case.review_required} before closing")
    _require(case, VERBS["close"].accepts, "close")
    before = case.status
    if approved_summary is not None and approved_summary.strip():
        case.approved_summary = approved_summary.strip()
    return case, before


async def close(
    session: AsyncSession, *, case: Case, actor: Actor, now: datetime, approved_summary: str | None = None
) -> Case:
    """Closed, the complainant informed: after review, or straight from resolved when no review is needed."""
    case, before = await _closing(session, case, approved_summary)
    case.status, case.closed_at = "closed", now
    await _event(session, case=case, actor=actor, now=now, action="closed", from_status=before,
                 detail={"approved_summary": case.approved_summary})
    await reminders.cancel(session, case=case)
    return case


async def reopen(
    session: AsyncSession, *, case: Case, actor: Actor, now: datetime, policy: Policy
) -> Case:
    """Back to triaged with fresh deadlines counted from now (or to new when it was never graded)."""
    case = await _locked(session, case)
    _require(case, VERBS["reopen"].accepts, "reopen")
    before = case.status
    case.acknowledged_at = case.resolved_at = case.reviewed_at = case.closed_at = case.confirm_due_at = None
    if case.severity is None:
        case.status, case.triaged_at = "new", None
        case.report_due_at = case.resolve_due_at = None
    else:
        rule = policy.rule(case.severity)
        case.status, case.triaged_at = "triaged", now
        case.report_due_at = rule.report_within.after(now)
        case.resolve_due_at = rule.resolve_within.after(now)
    await _event(session, case=case, actor=actor, now=now, action="reopened", from_status=before,
                 detail={"report_due_at": case.report_due_at.isoformat() if case.report_due_at else None,
                         "resolve_due_at": case.resolve_due_at.isoformat() if case.resolve_due_at else None})
    await reminders.cancel(session, case=case)
    if case.status == "new":
        await reminders.ensure(session, case=case, kind="untriaged",
                               due_at=policy.reminders.untriaged_after.after(now), role="committee", now=now,
                               policy=policy)
    else:
        await _schedule_deadlines(session, case=case, now=now, policy=policy)
    return case


# --- the patient confirms the fix (issue 19: close the loop) ---------------------------------------


async def ask_patient(
    session: AsyncSession, *, case: Case, actor: Actor, now: datetime, policy: Policy,
    approved_summary: str | None = None,
) -> Case:
    """Instead of `close` for a complaint whose patient can be reached (the handler decides): the same checks,
    then `awaiting_patient` until the patient answers or `confirm_due_at` passes; reminders stop."""
    case, before = await _closing(session, case, approved_summary)
    case.status = AWAITING_PATIENT
    case.confirm_due_at = policy.reminders.patient_confirm_within.after(now)
    reminders.scheduled(session)  # the sweeper closes it at that time
    await _event(session, case=case, actor=actor, now=now, action="confirm_asked", from_status=before,
                 detail={"approved_summary": case.approved_summary, "confirm_due_at": case.confirm_due_at.isoformat()})
    await reminders.cancel(session, case=case)
    return case


async def confirm_fixed(session: AsyncSession, *, case: Case, actor: Actor, now: datetime) -> Case:
    """The patient confirms the fix: closed."""
    case = await _locked(session, case)
    _require(case, VERBS["confirm"].accepts, "confirm")
    case.status, case.closed_at, case.confirm_due_at = CaseStatus.CLOSED, now, None
    await _event(session, case=case, actor=actor, now=now, action="patient_confirmed", from_status=AWAITING_PATIENT)
    return case


async def close_unanswered(session: AsyncSession, *, case: Case, now: datetime) -> Case:
    """No answer by `confirm_due_at`: closed by the system (the sweeper), with its own timeline entry."""
    case = await _locked(session, case)
    _require(case, VERBS["auto_close"].accepts, "auto-close")
    if case.confirm_due_at is None or case.confirm_due_at > now:
        raise TransitionError("not_due", f"case {case.number} still waits for its patient")
    due, case.status, case.closed_at, case.confirm_due_at = case.confirm_due_at, CaseStatus.CLOSED, now, None
    await _event(session, case=case, actor=Actor("system"), now=now, action="auto_closed",
                 from_status=AWAITING_PATIENT, detail={"confirm_due_at": due.isoformat(), "patient_answer": None})
    return case


async def patient_reopens(session: AsyncSession, *, case: Case) -> int:
    """How often the patient has reopened the case by saying it was not fixed."""
    return int((await session.exec(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == case.id, col(CaseEvent.action) == "reopened", col(CaseEvent.actor_kind) == "patient",
    ))).one())


async def not_fixed(
    session: AsyncSession, *, case: Case, actor: Actor, now: datetime, policy: Policy
) -> bool:
    """The patient says the problem is still there (while asked, or after the case closed): reopened with fresh
    deadlines (True) the first PATIENT_REOPENS times; after that only a "patient_not_fixed" timeline entry
    (False) and the case stays where it is — the committee decides (/reopen, or a new complaint)."""
    case = await _locked(session, case)
    _require(case, VERBS["not_fixed"].accepts, "dispute")
    reopens = await patient_reopens(session, case=case)
    if reopens < PATIENT_REOPENS:
        await reopen(session, case=case, actor=actor, now=now, policy=policy)
        return True
    await _event(session, case=case, actor=actor, now=now, action="patient_not_fixed", from_status=case.status,
                 detail={"reopened": False, "reopens": reopens})
    return False


def unanswered_by(now: datetime) -> ColumnElement[bool]:
    """Cases whose patient has not answered by their `confirm_due_at`."""
    return and_(col(Case.status) == AWAITING_PATIENT, col(Case.confirm_due_at) <= now)


async def unanswered(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[Case]:
    """Cases whose patient has not answered by their `confirm_due_at` (a read: idle sweeps take no write lock)."""
    query = select(Case).where(unanswered_by(now)).order_by(col(Case.confirm_due_at), col(Case.id)).limit(limit)
    return list((await session.exec(query)).all())


async def reject(
    session: AsyncSession, *, case: Case, actor: Actor, now: datetime, reason: str, duplicate_of: str | None = None
) -> Case:
    """Not a case for the queue (rejected), or the same as another case (duplicate); reminders stop."""
    case = await _locked(session, case)
    _require(case, VERBS["duplicate" if duplicate_of else "reject"].accepts, "reject")
    reason = reason.strip()
    if not reason:
        raise TransitionError("empty", "a rejection needs a reason")
    if duplicate_of is not None:
        original = await case_by_number(session, number=duplicate_of.strip())
        if original is None or original.id == case.id:
            raise TransitionError("unknown_case", f"no other case {duplicate_of!r}")
    before = case.status
    case.status = "duplicate" if duplicate_of else "rejected"
    await _event(session, case=case, actor=actor, now=now, action=case.status, from_status=before,
                 detail={"reason": reason, "duplicate_of": duplicate_of})
    await reminders.cancel(session, case=case)
    return case


def is_overdue(case: Case, now: datetime) -> bool:
    """Past the report deadline before acknowledgement, or past the resolve deadline before resolution."""
    if case.status == "triaged" and case.report_due_at is not None and now > case.report_due_at:
        return True
    return case.status in RESOLVABLE and case.resolve_due_at is not None and now > case.resolve_due_at


def untriaged_due_at(case: Case, policy: Policy) -> datetime:
    """When a new case that nobody has triaged first reminds the committee ([reminders] untriaged_after)."""
    return policy.reminders.untriaged_after.after(case.created_at)
