"""The reminder engine: reminders are rows created from a case's deadlines, claimed and sent exactly once.

Schedule (data in `config/severity_policy.toml`, [reminders]):
- untriaged: a new case not triaged after `untriaged_after` reminds the committee, then the director
  every `escalate_every` (then every `repeat_every`) until someone triages it;
- for the report and the resolve deadline: one reminder `before` it (at most `before_fraction` of the
  window), one at it, then one every `escalate_every` after it, each to the next role of `escalation`
  (assignee → unit head → committee → director), then the last role every `repeat_every`;
- severity SE pings the director at once (`sentinel`); any severity with notify_director (I) sends the
  director a `director_notice` at once;
- office hours: a reminder that falls outside the hospital's office hours waits for the next opening, unless
  the case's severity is `around_the_clock` (SE, G–I), it is a sentinel notice, or an untriaged case the NLP
  flagged as a possible sentinel event. Nobody is woken at 03:20 for a grade-A complaint.

An overdue reminder creates the next one in the same transaction that sends it, so the chain is open-ended
but only ever one row ahead. Rows are the truth: a restart loses nothing.

Recipients are resolved when a reminder is sent: Staff rows of the role (the case's unit for unit_head,
the case's assignee for assignee; an empty role falls through to the next, up to the director) → their
ChannelIdentity rows → one outbox row per identity with dedupe_key `reminder:{id}:{identity id}`.
A committee group chat (registered by a committee member typing `/group` in it) is a Staff row of role
`committee` with a ChannelIdentity whose external_id is the group's chat id (LINE groupId, Telegram chat
id): it then receives every committee ping like a member does.

Claiming: one UPDATE … SET status='sent' WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING, in the
same transaction as the outbox inserts. On PostgreSQL concurrent sweepers skip each other's rows; on SQLite
the UPDATE takes the single write lock. A sweeper killed before commit rolls back: the rows stay pending.

Waking the sweeper (bot/reminders.py): it sleeps until the next thing falls due, not a poll interval. A
transaction that schedules something (`ensure` making a reminder pending, a complaint's confirm deadline:
`scheduled`) wakes this process's sweepers when it commits (`on_scheduled`), and on PostgreSQL sends
`NOTIFY pv_reminders` (its schema as payload) in it, delivered to every process's sweeper at the commit (a
dashboard's triage in the web process, a sentinel notice due at once).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, event, text, update
from sqlalchemy.orm import Session
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.messages import Outbound
from store.models import Case, ChannelIdentity, Reminder, Staff, Unit
from store.outbox import enqueue
from store.periods import thai_date
from store.policy import Policy
from store.statuses import OPEN, RESOLVABLE, CaseStatus

log = logging.getLogger(__name__)

PENDING, SENT, CANCELLED, UNDELIVERED = "pending", "sent", "cancelled", "undelivered"
ROLE_ORDER = ("assignee", "unit_head", "committee", "director")
REPORT_KINDS = ("report_before", "report_due", "report_overdue")
RESOLVE_KINDS = ("resolve_before", "resolve_due", "resolve_overdue")
UNTRIAGED_KINDS = ("untriaged",)
AT_ONCE_KINDS = frozenset({"sentinel", "sentinel_hint", "director_notice"})
CHAINED = {"report_overdue", "resolve_overdue", "untriaged"}
# Which case statuses a reminder still matters in; checked again when it is sent.
LIVE_STATUSES: dict[str, frozenset[str]] = {
    **{k: frozenset({CaseStatus.TRIAGED}) for k in REPORT_KINDS},
    **{k: RESOLVABLE for k in RESOLVE_KINDS},
    "untriaged": frozenset({CaseStatus.NEW}),
    "sentinel_hint": frozenset({CaseStatus.NEW}),
    "sentinel": OPEN,
    "director_notice": OPEN,
}


@dataclass(frozen=True)
class Ping:
    """What one due reminder is about, as data; the handlers word it (handlers/notifications.py)."""

    kind: str  # a key of LIVE_STATUSES
    number: str
    severity: str | None
    unit: str | None  # the unit's Thai name, else its code
    due_at: datetime  # the deadline it is about (the reminder's own time for untriaged and at-once kinds)
    created_at: datetime


Render = Callable[[Ping], Outbound]


# --- waking the sweepers -------------------------------------------------------------------------

NOTIFY_CHANNEL = "pv_reminders"  # PostgreSQL LISTEN/NOTIFY channel of the sweepers
_SCHEDULED = "pv_reminders_scheduled"  # key in a session's `info`: its transaction scheduled something
_wakers: set[Callable[[], None]] = set()


def scheduled(session: AsyncSession | Session) -> None:
    """This transaction makes something due for the sweeper (a reminder, a complaint's confirm deadline): when it
    commits, the sweepers wake and look again instead of sleeping until what they knew was next."""
    session.info[_SCHEDULED] = True


def on_scheduled(wake: Callable[[], None]) -> Callable[[], None]:
    """Call `wake` (from the committing thread) after each commit of a transaction that scheduled something in
    this process; returns the function that stops it."""
    _wakers.add(wake)
    return lambda: _wakers.discard(wake)


@event.listens_for(Session, "before_commit")
def _notify(session: Session) -> None:
    """PostgreSQL: the other processes' sweepers are told by `NOTIFY`, sent at the commit of this transaction; its
    payload is the schema, so that sweepers of other schemas in the same database (tests, benches) ignore it."""
    if session.info.get(_SCHEDULED) and session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_notify('{NOTIFY_CHANNEL}', current_schema())"))


@event.listens_for(Session, "after_commit")
def _wake(session: Session) -> None:
    if session.info.pop(_SCHEDULED, False):
        for wake in list(_wakers):
            wake()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_SCHEDULED, None)


# --- scheduling ---------------------------------------------------------------------------------


def urgent(case: Case, kind: str, policy: Policy) -> bool:
    """Sent whatever the hour: sentinel notices, around-the-clock severities, untriaged possible sentinels."""
    if kind in AT_ONCE_KINDS or (case.severity or "") in policy.reminders.around_the_clock:
        return True
    return case.severity is None and bool(case.sentinel_hint)


def send_time(case: Case, kind: str, due_at: datetime, policy: Policy) -> datetime:
    """When a reminder due at `due_at` goes: then, or at the next office-hours opening."""
    return due_at if urgent(case, kind, policy) else policy.reminders.next_office(due_at)


async def ensure(
    session: AsyncSession, *, case: Case, kind: str, due_at: datetime, role: str, now: datetime, policy: Policy,
) -> Reminder | None:
    """Create the reminder (moved into office hours unless urgent) unless the same one exists; a cancelled
    twin is made pending again, a sent one is left alone (each reminder goes once)."""
    assert case.id is not None
    due_at = send_time(case, kind, due_at, policy)
    existing = (await session.exec(select(Reminder).where(
        Reminder.case_id == case.id, Reminder.kind == kind, Reminder.due_at == due_at,
        Reminder.recipient_role == role,
    ))).first()
    if existing is not None:
        if existing.status == CANCELLED:
            existing.status = PENDING
            session.add(existing)
            scheduled(session)
            return existing
        return None
    row = Reminder(case_id=case.id, kind=kind, due_at=due_at, recipient_role=role,
                   recipient_staff_id=case.assignee_staff_id if role == "assignee" else None, created_at=now)
    session.add(row)
    scheduled(session)
    return row


async def cancel(session: AsyncSession, *, case: Case, kinds: Iterable[str] | None = None) -> int:
    """Cancel the case's pending reminders (of `kinds`, or all); returns how many."""
    stmt = update(Reminder).where(
        col(Reminder.case_id) == case.id, col(Reminder.status) == PENDING
    ).values(status=CANCELLED)
    if kinds is not None:
        stmt = stmt.where(col(Reminder.kind).in_(tuple(kinds)))
    result = await session.execute(stmt)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]  # CursorResult of an UPDATE


async def schedule_untriaged(session: AsyncSession, *, case: Case, now: datetime, policy: Policy) -> None:
    rules = policy.reminders
    await ensure(session, case=case, kind="untriaged", due_at=rules.untriaged_after.after(case.created_at),
                 role="committee", now=now, policy=policy)


async def schedule_deadline(
    session: AsyncSession, *, case: Case, which: str, start: datetime, deadline: datetime, now: datetime,
    policy: Policy,
) -> None:
    """Before / at / first-overdue reminders for one deadline (`which` is report or resolve)."""
    rules = policy.reminders
    first = rules.escalation[0]
    lead = rules.lead(start, deadline)
    if lead is not None and deadline > now:  # a deadline already past (a re-grade) needs no "due soon" too
        await ensure(session, case=case, kind=f"{which}_before", due_at=deadline - lead, role=first, now=now,
                     policy=policy)
    await ensure(session, case=case, kind=f"{which}_due", due_at=deadline, role=first, now=now, policy=policy)
    if len(rules.escalation) > 1:
        await ensure(session, case=case, kind=f"{which}_overdue", due_at=rules.escalate_every.after(deadline),
                     role=rules.escalation[1], now=now, policy=policy)
    else:
        await ensure(session, case=case, kind=f"{which}_overdue", due_at=rules.repeat_every.after(deadline),
                     role=first, now=now, policy=policy)


def next_in_chain(reminder: Reminder, policy: Policy) -> tuple[datetime, str]:
    """When and to whom the reminder after an overdue (or untriaged) one goes."""
    rules = policy.reminders
    ladder = tuple(r for r in rules.escalation if r in ("committee", "director")) if reminder.kind == "untriaged" \
        else rules.escalation
    ladder = ladder or rules.escalation
    if reminder.recipient_role in ladder:
        i = ladder.index(reminder.recipient_role)
        if i + 1 < len(ladder):
            return rules.escalate_every.after(reminder.due_at), ladder[i + 1]
        return rules.repeat_every.after(reminder.due_at), ladder[i]
    return rules.escalate_every.after(reminder.due_at), ladder[0]


# --- recipients -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    role: str  # the role that was asked for, after falling through empty roles
    staff_id: int
    staff_name: str
    identity_id: int
    channel: str
    chat_id: str


async def _staff_of_role(session: AsyncSession, *, case: Case, role: str) -> list[Staff]:
    query = select(Staff).where(Staff.active == True, col(Staff.revoked_at).is_(None))  # noqa: E712
    if role == "assignee":
        if case.assignee_staff_id is None:
            return []
        query = query.where(Staff.id == case.assignee_staff_id)
    elif role == "unit_head":
        if case.unit_code is None:
            return []
        query = query.where(Staff.role == "unit_head", Staff.unit_code == case.unit_code)
    else:
        query = query.where(Staff.role == role)
    return list((await session.exec(query.order_by(col(Staff.id)))).all())


async def recipients(session: AsyncSession, *, case: Case, role: str) -> list[Recipient]:
    """Who gets a reminder meant for `role`: that role's chats, or the next role's when it has none."""
    start = ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER) - 1
    for fallback in ROLE_ORDER[start:]:
        found: list[Recipient] = []
        for staff in await _staff_of_role(session, case=case, role=fallback):
            identities = (await session.exec(select(ChannelIdentity).where(
                ChannelIdentity.staff_id == staff.id, ChannelIdentity.followed == True,  # noqa: E712
            ).order_by(col(ChannelIdentity.id)))).all()
            for identity in identities:
                assert staff.id is not None and identity.id is not None
                found.append(Recipient(fallback, staff.id, staff.display_name, identity.id, identity.channel,
                                       identity.external_id))
        if found:
            return found
    return []


# --- sending --------------------------------------------------------------------------------------


def ping_of(reminder: Reminder, case: Case, unit_name: str | None = None) -> Ping:
    """What is due and by when (the report or the resolve deadline, else the reminder's own time)."""
    deadline = case.report_due_at if reminder.kind.startswith("report") else case.resolve_due_at
    return Ping(kind=reminder.kind if reminder.kind in LIVE_STATUSES else "report_due", number=case.number,
                severity=case.severity, unit=unit_name or case.unit_code, due_at=deadline or reminder.due_at,
                created_at=case.created_at)


def _claim_statement(dialect: str, *, now: datetime, worker: str, limit: int) -> Any:
    due = select(Reminder.id).where(Reminder.status == PENDING, Reminder.due_at <= now) \
        .order_by(col(Reminder.due_at), col(Reminder.id)).limit(limit)
    if dialect == "postgresql":
        due = due.with_for_update(skip_locked=True)
    return (
        update(Reminder)
        .where(col(Reminder.id).in_(due.scalar_subquery()))
        .values(status=SENT, claimed_by=worker, sent_at=now)
        .returning(Reminder)
    )


async def send_batch(
    session: AsyncSession, *, now: datetime, render: Render, policy: Policy, worker: str | None = None,
    limit: int = 100,
) -> int:
    """Claim up to `limit` due reminders and queue their messages, in the caller's transaction.

    Returns how many were claimed (sent, undelivered or found stale). Commit to make it final.
    """
    worker = worker or f"sweep-{uuid.uuid4().hex[:8]}"
    dialect = session.get_bind().dialect.name
    claimed = list((await session.execute(
        _claim_statement(dialect, now=now, worker=worker, limit=limit),
        execution_options={"populate_existing": True},
    )).scalars().all())
    people: dict[tuple[int, str], list[Recipient]] = {}  # one lookup per case and role in a batch
    case_ids = {r.case_id for r in claimed}
    found = (await session.exec(select(Case).where(col(Case.id).in_(case_ids)))).all() if case_ids else []
    cases = {c.id: c for c in found}
    codes = {c.unit_code for c in found if c.unit_code}
    names = {u.code: u.name_th for u in (await session.exec(select(Unit).where(col(Unit.code).in_(codes)))).all()} \
        if codes else {}
    for reminder in claimed:
        case = cases.get(reminder.case_id)
        await _deliver(session, reminder=reminder, case=case, now=now, render=render, policy=policy, people=people,
                       unit_name=names.get(case.unit_code or "") if case else None)
    return len(claimed)


async def _deliver(
    session: AsyncSession, *, reminder: Reminder, case: Case | None, now: datetime, render: Render, policy: Policy,
    people: dict[tuple[int, str], list[Recipient]], unit_name: str | None = None,
) -> None:
    if case is None or case.status not in LIVE_STATUSES.get(reminder.kind, ()):
        reminder.status = CANCELLED  # the case moved on after this was scheduled
        session.add(reminder)
        return
    key = (reminder.case_id, reminder.recipient_role)
    if key not in people:
        people[key] = await recipients(session, case=case, role=reminder.recipient_role)
    to = people[key]
    if not to:
        reminder.status = UNDELIVERED
        log.warning("reminder %s for case %s has no recipient with a chat", reminder.id, case.number)
    message = render(ping_of(reminder, case, unit_name))
    for person in to:
        await enqueue(session, channel=person.channel, chat_id=person.chat_id, messages=[message], now=now,
                      dedupe_key=f"reminder:{reminder.id}:{person.identity_id}")
    session.add(reminder)
    if reminder.kind in CHAINED:
        due_at, role = next_in_chain(reminder, policy)
        await ensure(session, case=case, kind=reminder.kind, due_at=due_at, role=role, now=now, policy=policy)
    log.info("reminder sent", extra={"reminder_id": reminder.id, "case": case.number, "kind": reminder.kind,
                                     "role": reminder.recipient_role, "recipients": len(to)})


def due_now(now: datetime) -> ColumnElement[bool]:
    """Reminders due by `now` (index `ix_reminder_status_due`)."""
    return and_(col(Reminder.status) == PENDING, col(Reminder.due_at) <= now)


async def sweep(sessions: Any, *, now: datetime, render: Render, policy: Policy, worker: str | None = None,
                batch: int = 100) -> int:
    """Send everything due by `now`, one committed batch at a time; returns how many were claimed."""
    total = 0
    while True:
        async with sessions() as session:
            n = await send_batch(session, now=now, render=render, worker=worker, limit=batch, policy=policy)
            await session.commit()
        total += n
        if n < batch:
            return total


# --- dry run --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    case_number: str
    kind: str
    due_at: datetime
    recipient_role: str
    recipients: tuple[Recipient, ...]
    reminder_id: int | None  # None for a chained reminder not created yet

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case_number, "kind": self.kind, "due_at": self.due_at.isoformat(),
            "due_local": thai_date(self.due_at), "recipient_role": self.recipient_role,
            "recipients": [{"role": r.role, "staff_id": r.staff_id, "name": r.staff_name, "channel": r.channel}
                           for r in self.recipients],
            "reminder_id": self.reminder_id,
        }


async def due_by(session: AsyncSession, *, at: datetime, policy: Policy, max_chain: int = 50) -> list[Upcoming]:
    """What a sweep at `at` and the ones before it would send, read-only: pending rows due by then,
    plus the escalations they would chain, assuming nobody acts on the cases meanwhile."""
    rows = (await session.exec(select(Reminder).where(Reminder.status == PENDING, Reminder.due_at <= at)
                               .order_by(col(Reminder.due_at), col(Reminder.id)))).all()
    out: list[Upcoming] = []
    cases: dict[int, Case | None] = {}
    for row in rows:
        if row.case_id not in cases:
            cases[row.case_id] = await session.get(Case, row.case_id)
        case = cases[row.case_id]
        if case is None or case.status not in LIVE_STATUSES.get(row.kind, ()):
            continue
        step: Reminder | None = row
        hops = 0
        while step is not None and step.due_at <= at and hops <= max_chain:
            people = tuple(await recipients(session, case=case, role=step.recipient_role))
            out.append(Upcoming(case.number, step.kind, step.due_at, step.recipient_role, people,
                                step.id if step is row else None))
            hops += 1
            if step.kind not in CHAINED:
                break
            due_at, role = next_in_chain(step, policy)
            due_at = send_time(case, step.kind, due_at, policy)
            step = Reminder(case_id=step.case_id, kind=step.kind, due_at=due_at, recipient_role=role)
    out.sort(key=lambda u: (u.due_at, u.case_number, u.kind))
    return out
