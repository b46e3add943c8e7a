"""PostgreSQL: the hot statements (the queues' claims and marks, the batch's people read and writes) run on the
asyncpg connection under SQLAlchemy's (store.pg_direct `execute`/`run`), with the engine's transaction and
disconnect handling kept (issue 18, bench/README.md round 10)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, bindparam, event, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import make_engine, make_session_factory
from store.pg_direct import execute
from tests.support import PG_URL

pytestmark = pytest.mark.postgres

_NOTES = Table("raw_notes", MetaData(), Column("id", Integer, primary_key=True), Column("note", Text))
_ADD = insert(_NOTES).values(id=bindparam("id"), note=bindparam("note")).returning(_NOTES.c.id, _NOTES.c.note)
_ALL = select(_NOTES.c.id).where(_NOTES.c.id >= bindparam("low"))


@pytest.fixture
async def raw_schema(pg_schema: str) -> AsyncIterator[str]:
    """A schema of the test's own beside the run's migrated one (whose tables must match the models), with a
    `raw_notes` table; dropped afterwards."""
    schema = f"{pg_schema}_raw"
    admin = make_engine(PG_URL)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            await conn.execute(text(f'CREATE TABLE "{schema}".raw_notes (id integer PRIMARY KEY, note text)'))
        yield schema
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        await admin.dispose()


async def _engine(schema: str) -> AsyncEngine:
    return make_engine(PG_URL, schema=schema)


async def _ids(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as conn:
        return sorted((await conn.execute(text("SELECT id FROM raw_notes"))).scalars())


async def test_a_raw_statement_is_part_of_the_sessions_transaction(raw_schema: str) -> None:
    """The first statement of a session sent raw still opens the session's transaction (SQLAlchemy's asyncpg
    adapter begins it lazily, at its cursor's first statement): rolled back, its row is gone; committed, kept. The
    rows are asyncpg's, read by index and by attribute like SQLAlchemy's."""
    engine = await _engine(raw_schema)
    try:
        sessions = make_session_factory(engine)
        async with sessions() as session:
            connection = await session.connection()
            (row,) = await execute(connection, _ADD, {"id": 1, "note": "rolled back"})
            assert (row.id, row[1], row.note) == (1, "rolled back", "rolled back")
            with pytest.raises(AttributeError):
                _ = row.missing
            await execute(connection, _ADD, {"id": 2, "note": "rolled back too"})
            assert [r.id for r in await execute(connection, _ALL, {"low": 0})] == [1, 2]  # its own writes
            assert await _ids(engine) == []  # not committed: another connection sees nothing
            await session.rollback()
        assert await _ids(engine) == []
        async with sessions() as session:
            connection = await session.connection()
            await execute(connection, _ADD, {"id": 3, "note": "kept"})
            await session.commit()
        assert await _ids(engine) == [3]
        async with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:  # no transaction
            await execute(conn, _ADD, {"id": 4, "note": "autocommit"})
            assert await _ids(engine) == [3, 4]
    finally:
        await engine.dispose()


async def test_a_raw_statement_skips_sqlalchemys_execution_but_the_engines_listeners_see_it(raw_schema: str) -> None:
    """No execution context (SQLAlchemy's execution, cursor adaptation and result: two thirds of the statements'
    client CPU in the worker's profile) is made for the statement; the engine's `before_cursor_execute`
    listeners are still told its text (the tests' statement counts rely on them)."""
    engine = await _engine(raw_schema)
    seen: list[tuple[str, Any]] = []

    def listener(_conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
        seen.append((statement, context))

    event.listen(engine.sync_engine, "before_cursor_execute", listener)
    try:
        async with make_session_factory(engine)() as session:
            connection = await session.connection()
            await execute(connection, _ADD, {"id": 1, "note": "seen"})
            await session.commit()
        assert [(s.split()[0], context) for s, context in seen] == [("INSERT", None)]
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", listener)
        await engine.dispose()


async def test_a_connection_that_died_under_a_raw_statement_is_invalidated(raw_schema: str) -> None:
    """A backend terminated under a held connection (what a restart does): the raw statement fails, and the
    connection is invalidated as SQLAlchemy does for a disconnect — so store.db `OneStatement` does not hold it
    again and the pool replaces it; the next connection works."""
    engine = await _engine(raw_schema)
    admin = make_engine(PG_URL)
    try:
        async with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            async with admin.connect() as other:
                assert (await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})).scalar_one()
            with pytest.raises(Exception):  # noqa: B017  # asyncpg's error for the lost connection
                await execute(conn, _ADD, {"id": 1, "note": "lost"})
            assert conn.invalidated
        async with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            await execute(conn, _ADD, {"id": 2, "note": "next"})
        assert await _ids(engine) == [2]
    finally:
        await engine.dispose()
        await admin.dispose()


async def test_a_raw_statement_on_a_plain_connection_is_committed_by_its_commit(raw_schema: str) -> None:
    """Round 13's review: on a plain `engine.connect()` (no `begin()`, not autocommit) SQLAlchemy begins its
    transaction at the first execute; a raw first statement must too, or the DBAPI's BEGIN opened one SQLAlchemy did
    not know of — the caller's `commit()` did nothing and the row was rolled back when the connection closed."""
    engine = await _engine(raw_schema)
    try:
        async with engine.connect() as conn:
            await execute(conn, _ADD, {"id": 5, "note": "plain connect"})
            assert conn.in_transaction()
            await conn.commit()
        assert await _ids(engine) == [5]
        async with engine.connect() as conn:
            await execute(conn, _ADD, {"id": 6, "note": "closed without commit"})
        assert await _ids(engine) == [5]
    finally:
        await engine.dispose()


@pytest.mark.parametrize("autocommit", [False, True])
async def test_a_raw_statement_cancelled_mid_flight_drops_its_connection(raw_schema: str, autocommit: bool) -> None:
    """Round 13's review: a statement cancelled while the server runs it (a shutdown, a timeout) leaves the driver's
    connection still cancelling, and its transaction aborted on the server; the engine's own path invalidates such a
    connection (its exit exceptions), and so does the raw one — not given back to the pool for the next caller."""
    import asyncio

    from sqlalchemy import func

    engine = await _engine(raw_schema)
    options = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
    try:
        async with engine.execution_options(**options).connect() as conn:
            task = asyncio.create_task(execute(conn, select(func.pg_sleep(2.0)), {}))
            await asyncio.sleep(0.3)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert conn.invalidated
        assert await _ids(engine) == []  # the pool gives a working connection afterwards
    finally:
        await engine.dispose()
