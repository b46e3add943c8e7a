"""Schema, migrations and the basic store functions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlmodel import select

from handlers.messages import Outbound
from store.cases import next_case_number, open_case
from store.db import current_revision, make_engine, upgrade
from store.models import Conversation, OutboundMessage, SurveyResponse
from store.outbox import enqueue
from store.people import get_or_create_identity
from store.periods import fiscal_year_be, thai_date
from store.policy import load_policy
from store.revision import drift
from tests.support import PG_URL, Store


async def test_migrations_reach_head_without_drift(store: Store) -> None:
    """After upgrade the database is at the newest revision and autogenerate finds nothing missing."""
    assert await current_revision(store.engine) is not None
    assert await drift(store.engine) == []


@pytest.mark.slow
async def test_upgrade_from_empty_database(tmp_path, pg_schema) -> None:
    """An empty SQLite file and an empty PostgreSQL schema both upgrade to head, twice without harm."""
    sqlite = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    schema = pg_schema + "_empty"
    admin = make_engine(PG_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    pg = make_engine(PG_URL, schema=schema)
    try:
        for engine in (sqlite, pg):
            await upgrade(engine)
            await upgrade(engine)
            assert await drift(engine) == []
    finally:
        await sqlite.dispose()
        await pg.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def test_timestamps_come_back_timezone_aware_utc(store: Store) -> None:
    """A Bangkok-time value is stored as UTC and read back aware, on both databases."""
    bangkok = datetime(2026, 10, 1, 7, 30, tzinfo=ZoneInfo("Asia/Bangkok"))
    async with store.sessions() as session:
        session.add(Conversation(channel="line", chat_id="c", user_id="u", updated_at=bangkok))
        await session.commit()
    async with store.sessions() as session:
        row = (await session.exec(select(Conversation))).one()
    assert row.updated_at == bangkok
    assert row.updated_at.tzinfo is not None and row.updated_at.utcoffset() == timedelta(0)
    assert row.updated_at.hour == 0


async def test_naive_timestamps_are_refused(store: Store) -> None:
    """Writing a naive datetime is a bug caught at once, not a silent shift of seven hours."""
    async with store.sessions() as session:
        session.add(Conversation(channel="line", chat_id="c", user_id="u", updated_at=datetime(2026, 1, 1)))
        with pytest.raises(Exception, match="naive"):
            await session.commit()


async def test_case_numbers_follow_the_thai_fiscal_year(store: Store) -> None:
    """30 September 2026 belongs to FY2569, 1 October 2026 (Bangkok) starts FY2570 at 0001."""
    sep30 = datetime(2026, 9, 30, 16, 59, tzinfo=UTC)  # 23:59 in Bangkok
    oct1 = datetime(2026, 9, 30, 17, 0, tzinfo=UTC)  # 00:00 on 1 October in Bangkok
    policy = load_policy()
    async with store.sessions() as session:
        a = await open_case(session, now=sep30, source="patient", kind="complaint", channel="line", policy=policy)
        b = await open_case(session, now=oct1, source="patient", kind="complaint", channel="line", policy=policy)
        c = await open_case(session, now=oct1, source="staff", kind="incident", channel="telegram", policy=policy)
        await session.commit()
    assert (a.number, b.number, c.number) == ("2569-0001", "2570-0001", "2570-0002")


async def test_concurrent_case_numbers_are_unique(store: Store) -> None:
    """Twenty sessions allocating at once get twenty different numbers."""
    import asyncio

    now = datetime(2026, 11, 1, tzinfo=UTC)

    async def allocate() -> str:
        async with store.sessions() as session:
            _, _, number = await next_case_number(session, now=now)
            await session.commit()
            return number

    numbers = await asyncio.gather(*(allocate() for _ in range(20)))
    assert sorted(numbers) == [f"2570-{i:04d}" for i in range(1, 21)]


async def test_identity_is_created_once(store: Store) -> None:
    """The same LINE user seen twice is one identity."""
    async with store.sessions() as session:
        first = await get_or_create_identity(session, channel="line", external_id="U1")
        again = await get_or_create_identity(session, channel="line", external_id="U1")
        await session.commit()
    assert first.id == again.id


async def test_outbox_dedupe_key_queues_a_ping_once(store: Store) -> None:
    """Two attempts to queue the same reminder ping leave exactly one outbox row."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    async with store.sessions() as session:
        first = await enqueue(session, channel="line", chat_id="U1", messages=[Outbound("เตือน")], now=now,
                              dedupe_key="reminder:1")
        second = await enqueue(session, channel="line", chat_id="U1", messages=[Outbound("เตือน")], now=now,
                               dedupe_key="reminder:1")
        await session.commit()
        rows = (await session.exec(select(OutboundMessage))).all()
    assert first is not None and second is None and len(rows) == 1


async def test_outbox_queues_nothing_for_the_terminal_chat(store: Store) -> None:
    """The terminal chat has no sender: a ping for it is not queued, so it cannot wait forever as backlog."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    async with store.sessions() as session:
        row = await enqueue(session, channel="terminal", chat_id="terminal-patient", messages=[Outbound("ก")], now=now)
        await session.commit()
        assert row is None
        assert (await session.exec(select(OutboundMessage))).all() == []


async def test_survey_response_round_trip(store: Store) -> None:
    """A survey response keeps its date and mean score for the SQL indicator."""
    async with store.sessions() as session:
        session.add(SurveyResponse(channel="line", service_type="opd", visit_date=date(2026, 10, 1), mean_score=3.51))
        await session.commit()
        row = (await session.exec(select(SurveyResponse))).one()
    assert row.visit_date == date(2026, 10, 1) and row.mean_score == pytest.approx(3.51)


def test_fiscal_year_and_thai_dates() -> None:
    """Thai fiscal years turn over on 1 October; dates print with B.E. years in Bangkok time."""
    assert fiscal_year_be(date(2026, 9, 30)) == 2569
    assert fiscal_year_be(date(2026, 10, 1)) == 2570
    assert thai_date(datetime(2026, 11, 26, 2, 30, tzinfo=UTC)) == "26 พ.ย. 2569 09:30 น."
