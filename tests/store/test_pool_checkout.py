"""PostgreSQL pool checkout (issue 18): no round trip before a session's first statement, and a pooled connection
the server closed (a restart, a terminated backend) is replaced on checkout instead of failing a statement."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import make_engine, make_session_factory
from tests.support import PG_URL

pytestmark = pytest.mark.postgres


async def _backend_pid(engine: AsyncEngine) -> int:
    async with make_session_factory(engine)() as session:
        return int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _driver(engine: AsyncEngine) -> Any:
    """The asyncpg connection resting in the engine's pool (one is pooled after one session)."""
    async with engine.connect() as conn:
        return (await conn.get_raw_connection()).driver_connection


async def test_checkout_sends_nothing_before_the_first_statement(pg_schema: str) -> None:
    """pool_pre_ping sent a ping (a BEGIN, `;`, a ROLLBACK: a round trip) at every checkout of a pooled connection;
    the claim, the batch, each send step and each ack paid it."""
    engine = make_engine(PG_URL, schema=pg_schema)
    try:
        await _backend_pid(engine)  # one connection, now pooled
        seen: list[str] = []
        (await _driver(engine)).add_query_logger(lambda record: seen.append(record.query))
        for _ in range(3):
            async with make_session_factory(engine)() as session:
                assert (await session.execute(text("SELECT 41 + 1"))).scalar_one() == 42
        # each session's own transaction (BEGIN … ROLLBACK) around its (prepared, so unlogged) statement, and no
        # ping: pool_pre_ping logged BEGIN, `;`, ROLLBACK before each
        assert seen == ["BEGIN;", "ROLLBACK;"] * 3, seen
    finally:
        await engine.dispose()


async def test_a_connection_the_server_closed_is_replaced_on_checkout(pg_schema: str) -> None:
    """The backend behind the pooled connection is terminated (what a restart does to all of them): the next
    session gets a new connection and its statement succeeds, with no error on the way."""
    engine = make_engine(PG_URL, schema=pg_schema)
    admin = make_engine(PG_URL)
    try:
        first = await _backend_pid(engine)
        driver = await _driver(engine)
        async with admin.connect() as conn:
            assert (await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})).scalar_one()
        for _ in range(100):  # the server's close reaches the idle connection's socket
            if driver.is_closed():
                break
            await asyncio.sleep(0.05)
        assert driver.is_closed()
        second = await _backend_pid(engine)
        assert second != first
    finally:
        await engine.dispose()
        await admin.dispose()
