"""Cases of the risk committee's queue: readable numbers and the audit trail of every change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import Case, CaseCounter, CaseEvent
from store.periods import fiscal_year_be


async def next_case_number(session: AsyncSession, *, now: datetime) -> tuple[int, int, str]:
    """(fiscal year, sequence, "2570-0042"): gap-free per fiscal year, safe with concurrent writers.

    The year's counter row is created if missing (INSERT … ON CONFLICT DO NOTHING), then bumped with
    one UPDATE … RETURNING, which holds the row lock on PostgreSQL and the write lock on SQLite until
    commit, so two instances never hand out the same number.
    """
    year = fiscal_year_be(now)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(insert(CaseCounter).values(fiscal_year=year, last_seq=0).on_conflict_do_nothing())
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
) -> Case:
    """Register a new case (status `new`) with its first timeline entry."""
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
