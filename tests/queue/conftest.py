"""Fixtures of the incident-queue tests: a hospital with units, staff on chat, and a way to open cases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime, time

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.settings import REPO_ROOT
from handlers.catalogue import Catalogue
from store.cases import open_case
from store.db import make_engine, make_session_factory
from store.models import Case, ChannelIdentity, OutboundMessage, Reminder, Staff
from store.policy import Policy, load_policy
from store.units import load_units, sync_units
from tests.support import PG_URL, Store


@dataclass
class Hospital:
    """Staff ids by name: each has one LINE identity whose chat id is `line-<name>`."""

    staff: dict[str, int]


PEOPLE = (
    ("committee", "committee", None),
    ("director", "director", None),
    ("pharm_head", "unit_head", "pharmacy"),
    ("pharm_staff", "staff", "pharmacy"),
    ("opd_head", "unit_head", "opd"),
)


async def make_hospital(session: AsyncSession) -> Hospital:
    await sync_units(session, units=load_units(REPO_ROOT / "config"))
    ids: dict[str, int] = {}
    for name, role, unit in PEOPLE:
        staff = Staff(display_name=name, role=role, unit_code=unit)
        session.add(staff)
        await session.flush()
        assert staff.id is not None
        session.add(ChannelIdentity(channel="line", external_id=f"line-{name}", staff_id=staff.id))
        ids[name] = staff.id
    await session.flush()
    return Hospital(ids)


@pytest.fixture
async def hospital(store: Store) -> Hospital:
    async with store.sessions() as session:
        h = await make_hospital(session)
        await session.commit()
    return h


@pytest.fixture
async def pg_store(pg_schema: str) -> AsyncIterator[Store]:
    """The local PostgreSQL only (for the multi-instance tests), emptied, with the hospital's people."""
    engine = make_engine(PG_URL, schema=pg_schema)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    pg = Store("postgresql", PG_URL, engine, make_session_factory(engine), pg_schema)
    async with pg.sessions() as session:
        await make_hospital(session)
        await session.commit()
    yield pg
    await engine.dispose()


@pytest.fixture(scope="session")
def texts() -> Catalogue:
    return Catalogue.load(None)


SHIPPED = load_policy()  # config/severity_policy.toml
# The shipped policy with reminders at any hour of any day (tests that count the ladder's exact hours).
ANY_HOUR = replace(SHIPPED, reminders=replace(SHIPPED.reminders, office_days=frozenset(range(7)),
                                              office_start=time(0), office_end=time.max))


async def new_case(session: AsyncSession, now: datetime, *, topic: str | None = "wait_time",
                   unit: str | None = "pharmacy", sentinel: bool = False, policy: Policy = SHIPPED) -> Case:
    return await open_case(session, now=now, source="patient", kind="complaint", channel="line",
                           primary_topic=topic, unit_code=unit, sentinel_hint=sentinel, policy=policy)


async def pending(session: AsyncSession, case: Case) -> list[tuple[str, str, datetime]]:
    rows = (await session.exec(select(Reminder).where(Reminder.case_id == case.id, Reminder.status == "pending")
                               .order_by(col(Reminder.due_at), col(Reminder.kind)))).all()
    return [(r.kind, r.recipient_role, r.due_at) for r in rows]


async def outbox_chats(session: AsyncSession) -> list[str]:
    rows = (await session.exec(select(OutboundMessage).order_by(col(OutboundMessage.id)))).all()
    return [r.chat_id for r in rows]

