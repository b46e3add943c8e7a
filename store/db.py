"""Async engine and sessions, and running the Alembic migrations from code."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, exc, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from store import sqlite_cursor
from store.files import private_database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

SessionFactory = async_sessionmaker[AsyncSession]


def make_engine(url: str, *, echo: bool = False, schema: str | None = None, pool_size: int = 10) -> AsyncEngine:
    """An async engine: aiosqlite (WAL, busy timeout) or asyncpg; `schema` isolates tests on PostgreSQL."""
    parsed = make_url(url)
    # hide_parameters: SQL parameters are what people typed; keep them out of logs and exception texts (PDPA).
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_file(url)
        if path is not None:
            private_database(Path(path))
        kwargs["connect_args"] = {"timeout": 30}
        sqlite_cursor.install()  # one trip to aiosqlite's thread per statement, not three or four
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", sqlite_pragmas)
        return engine
    kwargs["connect_args"] = {"server_settings": pg_server_settings(schema)}
    kwargs.update(pool_size=pool_size, max_overflow=pool_size)
    engine = create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine, "checkout", closed_on_checkout)
    return engine


def pg_server_settings(schema: str | None = None) -> dict[str, str]:
    """The session settings of every PostgreSQL connection (the engine's, store.pg_direct's).

    Custom plans only: asyncpg prepares every statement, and PostgreSQL caches a generic plan for a prepared
    statement after five executions when it costs no more than the custom ones. The tables start empty (a new
    database, a test, the bench) and grow under the same connection; a generic plan made while a table was small
    scans the whole table (the inbox claim's outer UPDATE, `id = ANY(:ids)` on patients, identities by channel
    and user) and stays until an ANALYZE invalidates it, which never comes when autovacuum is off or behind
    (bench/README.md, h/tp-pgplan). A custom plan is made for each execution from the table's current size."""
    server_settings = {"plan_cache_mode": "force_custom_plan"}
    if schema:
        server_settings["search_path"] = schema
    return server_settings


def closed_on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A pooled PostgreSQL connection whose socket the server closed (a restart, a terminated backend) is replaced
    on checkout, with every connection pooled before it; asyncpg knows this without a round trip. This replaces
    `pool_pre_ping`, whose SELECT cost a round trip (≈ 0.5–0.7 ms of CPU on the bench VM) before every claim,
    batch, send step and ack. A connection that dies silently (no close reached us) fails its first statement
    instead; SQLAlchemy sees the disconnect and invalidates the pool, and the failed step is retried like any
    database error (the workers' next poll, the platform's webhook resend, the sender's unrecorded marks)."""
    if dbapi_connection.driver_connection.is_closed():
        raise exc.InvalidatePoolError("connection closed by the server")


def sqlite_file(url: str) -> str | None:
    """The database file of a SQLite URL; None for other databases and for in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return parsed.database


def sqlite_pragmas(dbapi_connection: Any, _record: Any = None) -> None:
    """Every SQLite connection's settings (the engine's, and store.inbox_direct's before it sets a zero busy
    timeout): WAL, synchronous=NORMAL, foreign keys, a 30 s busy timeout."""
    cursor = dbapi_connection.cursor()
    # WAL lets the web handler read while a worker writes; the busy timeout waits instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


async def insert_missing(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING (PostgreSQL and SQLite): rows another instance wrote first are left as they
    are, so two instances starting or counting at once never fail on a unique key."""
    if rows:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        await session.execute(insert(table).values(rows).on_conflict_do_nothing())


def make_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


class OneStatement:
    """Connections for writes that are one statement each (a queue's claim, the sender's marks and progress saves).
    PostgreSQL: in autocommit, so the statement is its own transaction — no BEGIN and COMMIT round trips around it
    (two of a claim's three, each costing the client and the server CPU), and no ORM session. A statement is atomic
    on its own (an asyncpg executemany too: all of its rows or none). SQLite: a session's transaction, committed
    when the block ends (unchanged: one writer at a time, behind the caller's write gate).

    `keep` (PostgreSQL; 0 by default): up to that many connections are held between statements instead of going
    back to the pool after each (the service's queue loops, bot/channels.py, which `close` them at shutdown).
    A pool checkout and check-in — the `closed_on_checkout` check, the isolation level set and reset, the
    autobegun transaction's rollback — cost about as much client CPU as the statement (bench/README.md, tp7).
    A held connection the server closed (a restart) is dropped before use, as `closed_on_checkout` would; one
    whose statement failed goes back to the pool, which replaces it when it was a disconnect."""

    def __init__(self, sessions: SessionFactory, *, keep: int = 0) -> None:
        self.sessions = sessions
        engine: AsyncEngine = sessions.kw["bind"]
        # an engine sharing the pool (and its listeners), whose checkouts are in autocommit
        self.autocommit = (engine.execution_options(isolation_level="AUTOCOMMIT")
                           if engine.dialect.name == "postgresql" else None)
        self.keep = keep
        self._held: list[AsyncConnection] = []

    @contextlib.asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        if self.autocommit is not None:
            connection = await self._take() or await self.autocommit.connect()
            try:
                yield connection
            except BaseException:
                await connection.close()
                raise
            if len(self._held) < self.keep and not connection.invalidated:
                self._held.append(connection)
            else:
                await connection.close()
            return
        async with self.sessions() as session:
            yield await session.connection()
            await session.commit()

    async def _take(self) -> AsyncConnection | None:
        while self._held:
            connection = self._held.pop()
            if not connection.invalidated and not _server_closed(connection):
                return connection
            with contextlib.suppress(Exception):
                await connection.invalidate()  # the pool opens a new one in its place
            with contextlib.suppress(Exception):
                await connection.close()  # its pool slot back even when invalidating failed
        return None

    async def close(self) -> None:
        """The held connections back to the pool (before the engine is disposed); a write still under way when
        this runs (a save the stop's grace did not wait for) gives its connection back instead of holding it."""
        self.keep = 0
        held, self._held = self._held, []
        for connection in held:
            await connection.close()


def _server_closed(connection: AsyncConnection) -> bool:
    raw = connection.sync_connection.connection.dbapi_connection  # type: ignore[union-attr]
    return raw is None or bool(raw.driver_connection.is_closed())


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def _upgrade_sync(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema up to `revision` inside one transaction (PostgreSQL DDL is transactional)."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade_sync, revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    def _read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(_read)


async def ping(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
