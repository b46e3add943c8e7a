"""PostgreSQL: one Core statement run on asyncpg's own connection pool, without SQLAlchemy around each execution.

The webhook ack is one statement per group commit (bot/pipeline.py `_accept_statement`, in autocommit), and in
the burst benchmark the web process spent more of its CPU on SQLAlchemy around that statement — a pool checkout
and return, the connection and its autocommit option, the execution context, the parameters' processing, the
result — than asyncpg spent sending it (bench/README.md, round 6). Here the statement is compiled once by
SQLAlchemy's asyncpg dialect (the same SQL text, casts and parameter order the engine would send, and its
parameter processors) and executed with `fetch` on a connection of a small asyncpg pool of its own.

Connections: the engine's URL and server settings (store.db `pg_server_settings`: custom plans, a test schema's
search path). asyncpg replaces a connection the server closed when it is next taken from the pool (a restart);
a statement that fails on a connection that dies silently fails the ack (a 500: the platform sends again), as
through the engine. Statements are never logged; `listeners` present when a connection opens (tests) are told
every SQL text sent on it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

CLOSE_GRACE = 5.0  # seconds for statements under way to finish at shutdown


async def _kept(_connection: asyncpg.Connection) -> None:
    """A connection goes back to the pool as it is: its one statement ran in autocommit and changed nothing of
    the session (asyncpg's default reset sends `RESET ALL`, `UNLISTEN *`, … — a round trip per ack). asyncpg
    still rolls back a transaction left open, which a statement here never leaves."""


def connect_args(url: str) -> dict[str, Any]:
    """asyncpg's `connect` arguments for a database URL, as SQLAlchemy's asyncpg dialect makes them."""
    _, kwargs = asyncpg_dialect().create_connect_args(make_url(url))
    return dict(kwargs)


class Compiled:
    """A Core statement compiled once by SQLAlchemy's asyncpg dialect: its SQL text (the same text, casts and
    parameter order the engine would send) and `args(params)`, its positional arguments from parameters given by
    name, each through its type's processor as the engine would apply it. Run with asyncpg itself, or on the asyncpg
    connection under a SQLAlchemy connection, in its transaction (`execute`, `execute_many`): no cache key,
    compiled-cache lookup or parameter construction per execution."""

    def __init__(self, statement: Any, dialect: Any = None) -> None:
        dialect = dialect if dialect is not None else asyncpg_dialect()
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self._names: list[str] = list(compiled.positiontup or [])
        # each parameter's processor as the engine would apply it (its type's implementation for this dialect),
        # through the public type API rather than the compiled statement's private `_bind_processors`
        self._processors: list[Callable[[Any], Any] | None] = [
            compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in self._names]
        # the values written into the statement (`status == "processing"`: an anonymous parameter of its own)
        self._values = {name: bind.effective_value
                        for name in self._names if not (bind := compiled.binds[name]).required}

    def args(self, params: dict[str, Any]) -> tuple[Any, ...]:
        values = [params[name] if name in params else self._values[name] for name in self._names]
        return tuple(value if process is None else process(value)
                     for value, process in zip(values, self._processors, strict=True))


COMPILED: dict[int, tuple[Any, Compiled]] = {}  # id(statement) → the statement (kept, so the id stays its) compiled


def compiled_for(statement: Any, dialect: Any) -> Compiled:
    """`statement` (one built once and kept: a module's cached statement) compiled once for `dialect`."""
    entry = COMPILED.get(id(statement))
    if entry is None or entry[0] is not statement:
        entry = COMPILED[id(statement)] = (statement, Compiled(statement, dialect))
    return entry[1]


class Row(asyncpg.Record):
    """A row as asyncpg decodes it, its columns also read by name as attributes (`row.id`), as on the rows
    `Connection.execute` gives."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


async def execute(connection: AsyncConnection, statement: Any, params: dict[str, Any]) -> list[Any]:
    """The rows of `connection.execute(statement, params)` for a statement built once and kept, in the connection's
    transaction. PostgreSQL: compiled once (`compiled_for`, bench/README.md round 9) and run on the connection's
    own asyncpg connection (`run`); the rows hold what asyncpg decodes (a timestamp aware in UTC, JSON through the
    dialect's codec), which is what the columns' types give through `execute`. Elsewhere: `execute` itself."""
    if connection.dialect.name != "postgresql":
        result = await connection.execute(statement, params)
        return list(result.all()) if result.returns_rows else []
    compiled = compiled_for(statement, connection.dialect)
    return await run(connection, compiled.sql, compiled.args(params))


async def run(connection: AsyncConnection, sql: str, args: tuple[Any, ...]) -> list[Any]:
    """PostgreSQL: `sql` with positional `args` on the asyncpg connection under `connection`, in its transaction,
    without SQLAlchemy's execution around it — the execution context, the DBAPI cursor's adaptation (its regex on
    the status, its description), the result's metadata and processors and the greenlet they run in were about
    two thirds of the client CPU of the worker's statements, asyncpg's own part the rest (bench/README.md, round
    10). Kept from the engine's path: its transaction (begun here by SQLAlchemy's adapter, as its cursor would,
    unless the connection is in autocommit; committed or rolled back by the caller as before), the adapter's lock
    around the driver's connection, the prepared statement per connection and SQL text (asyncpg's statement cache),
    the engine's `before_cursor_execute` listeners (when there are any: tests), and a disconnect's handling: a
    connection the failed statement left closed is invalidated, so the pool replaces it. A database error comes as
    asyncpg raises it, not wrapped in SQLAlchemy's (every caller catches any exception)."""
    return await _on_driver(connection, sql, args, many=False)


async def execute_many(connection: AsyncConnection, statement: Any, rows: list[dict[str, Any]]) -> None:
    """`connection.execute(statement, rows)` (an executemany) for a statement built once and kept. PostgreSQL:
    compiled once and sent with asyncpg's `executemany` on the connection under `connection` (`run`: its
    transaction, lock, listeners and disconnect handling); atomic on its own, as through the engine (asyncpg runs
    it in a transaction when none is open). Elsewhere: `execute` itself."""
    if connection.dialect.name != "postgresql":
        await connection.execute(statement, rows)
        return
    compiled = compiled_for(statement, connection.dialect)
    await _on_driver(connection, compiled.sql, [compiled.args(row) for row in rows], many=True)


async def _on_driver(connection: AsyncConnection, sql: str, args: Any, *, many: bool) -> Any:
    sync = connection.sync_connection
    assert sync is not None  # a connection in use has started
    fairy = await connection.get_raw_connection() if sync.invalidated else sync.connection
    adapted: Any = fairy.dbapi_connection  # SQLAlchemy's AsyncAdapt_asyncpg_connection
    driver: asyncpg.Connection = adapted.driver_connection
    if not sync.in_transaction() and not adapted.autocommit:
        # A plain `engine.connect()` begins SQLAlchemy's transaction on its first execute (autobegin): so here, or the
        # BEGIN below would open one SQLAlchemy does not know of and the caller's commit would not commit it.
        await connection.begin()
    if sync.dispatch.before_cursor_execute:  # listeners see no cursor and no execution context (None)
        for listener in sync.dispatch.before_cursor_execute:
            listener(sync, None, sql, args, None, many)
    try:
        async with adapted._execute_mutex:
            if adapted._transaction is None:  # the DBAPI's implicit BEGIN (none in autocommit)
                await adapted._start_transaction()
            if many:
                return await driver.executemany(sql, args)
            return await driver.fetch(sql, *args, record_class=Row)
    except BaseException as exc:
        # A disconnect (what SQLAlchemy's asyncpg dialect calls one: the driver's connection closed), or a statement
        # cancelled or timed out mid-flight: the connection may still be cancelling, or its transaction aborted on the
        # server, so it is not given back to the pool — as the engine's own path discards it (its exit exceptions).
        if driver.is_closed() or not isinstance(exc, Exception) or isinstance(exc, TimeoutError):
            await asyncio.shield(connection.invalidate())
        raise


class DirectStatement:
    """`fetch(params)`: the rows of one compiled statement, its parameters given by name as to the engine."""

    def __init__(self, url: str, statement: Any, *, pool_size: int, server_settings: dict[str, str]) -> None:
        dialect = asyncpg_dialect()
        _, self._connect = dialect.create_connect_args(make_url(url))
        self._compiled = Compiled(statement, dialect)
        self.sql = self._compiled.sql
        self.pool_size = pool_size
        self.server_settings = server_settings
        self.listeners: list[Callable[[str], None]] = []
        self._pool: asyncpg.Pool | None = None
        self._opening: asyncio.Lock | None = None
        self._warm: tuple[Any, ...] | None = None  # `open`'s warm-up arguments, run on every connection it opens

    async def open(self, warm: dict[str, Any]) -> None:
        """Open the whole pool now, each connection ready for the statement: run once with `warm` (parameters that
        change nothing, e.g. empty arrays) when it opens, so the server has planned it and asyncpg has it prepared.

        For the webhook ack before the port opens: opened lazily, the pool's connections were made in the first
        wave of webhooks — a survey broadcast's first taps, or any after five idle minutes (asyncpg closes idle
        connections above the pool's minimum) — each ≈ 20 ms to connect and its first statement ≈ 40–200 ms (a
        new backend loading its catalogue caches, the prepare), with its batch's webhooks waiting behind it
        (bench/README.md, round 10). Opened here they are the pool's minimum: kept, and a connection the server
        closed is made again (and warmed) by asyncpg when next taken."""
        self._warm = self._compiled.args(warm)
        await self._create(min_size=self.pool_size)

    async def _connections(self) -> asyncpg.Pool:
        if self._pool is None:  # not opened by `open`: connections are opened when first needed, none at start
            await self._create(min_size=0)
        assert self._pool is not None
        return self._pool

    async def _create(self, *, min_size: int) -> None:
        self._opening = self._opening or asyncio.Lock()
        async with self._opening:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(**self._connect, min_size=min_size, max_size=self.pool_size,
                                                       server_settings=self.server_settings, reset=_kept,
                                                       init=self._init)

    async def fetch(self, params: dict[str, Any]) -> list[Any]:
        args = self._compiled.args(params)
        pool = await self._connections()
        async with pool.acquire() as connection:
            if self.listeners:  # tests: a connection opened before they listened is told from now on
                connection.add_query_logger(self._tell)  # once: asyncpg keeps its loggers in a set
            return list(await connection.fetch(self.sql, *args))

    def _tell(self, query: Any) -> None:
        for listener in self.listeners:
            listener(query.query)

    async def _init(self, connection: asyncpg.Connection) -> None:
        if self.listeners:  # told every query sent on the connection (asyncpg's query logger), for tests
            connection.add_query_logger(self._tell)
        if self._warm is not None:  # prepared (asyncpg's statement cache) and planned before a webhook needs it
            await connection.fetch(self.sql, *self._warm)

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            await asyncio.wait_for(pool.close(), CLOSE_GRACE)
        except TimeoutError:
            pool.terminate()
        with contextlib.suppress(Exception):
            pool.terminate()
