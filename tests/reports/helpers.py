"""Builders for the indicator tests: survey responses, staff, cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import Case, ChannelIdentity, Staff, SurveyItemScore, SurveyResponse


async def add_response(
    session: AsyncSession, *, service: str = "opd", day: date, mean: float, channel: str = "line",
    department: str | None = None, dims: tuple[float | None, float | None, float | None] = (None, None, None),
    items: dict[str, tuple[str, int]] | None = None, **extra: Any,
) -> SurveyResponse:
    response = SurveyResponse(
        channel=channel, service_type=service, department_code=department, visit_date=day, mean_score=mean,
        process_mean=dims[0], staff_mean=dims[1], facility_mean=dims[2], **extra,
    )
    session.add(response)
    await session.flush()
    assert response.id is not None
    for code, (dimension, score) in (items or {}).items():
        session.add(SurveyItemScore(response_id=response.id, item_code=code, dimension=dimension, score=score))
    return response


async def add_many(session: AsyncSession, *, service: str, day: date, satisfied: int, not_satisfied: int,
                   **kw: Any) -> None:
    for _ in range(satisfied):
        await add_response(session, service=service, day=day, mean=4.2, **kw)
    for _ in range(not_satisfied):
        await add_response(session, service=service, day=day, mean=2.8, **kw)


async def add_staff(session: AsyncSession, *, role: str = "committee", channel: str = "terminal",
                    user: str = "staff-1", name: str = "คุณกรรมการ") -> Staff:
    staff = Staff(role=role, display_name=name)
    session.add(staff)
    await session.flush()
    session.add(ChannelIdentity(channel=channel, external_id=user, staff_id=staff.id))
    await session.flush()
    return staff


async def add_case(session: AsyncSession, *, number: str, created: datetime, **kw: Any) -> Case:
    fy, seq = number.split("-")
    values: dict[str, Any] = {"source": "patient", "kind": "complaint", "status": "new", **kw}
    case = Case(number=number, fiscal_year=int(fy), seq=int(seq), created_at=created, updated_at=created, **values)
    session.add(case)
    await session.flush()
    return case
