"""Leasing queue rows (the inbox's `inbound_events`, the outbox's `outbound_messages`) to one worker.

Both queues work the same way: a row is claimable when it is pending and due, or when its holder's lease
ran out; only the oldest unfinished row of each queue key (a chat) is claimable, so one chat's rows run in
order. Claiming sets the leased status, `locked_until` and attempts + 1 for the whole batch in one statement,
`UPDATE … WHERE id IN (the oldest claimable rows) AND <claimable> RETURNING *`: the claimable condition is
checked again by the UPDATE itself, so two claimers never both win, and one round trip both picks and leases
the batch. On PostgreSQL the inner SELECT takes FOR UPDATE SKIP LOCKED, so several instances share a queue
without waiting on each other.

The statement is SQLAlchemy Core, built once per queue and executed on the session's connection (the ORM's
statement building and identity map cost more than the claim itself, bench/README.md); the rows come back as
rows with attribute access by column name (Core rows; on PostgreSQL asyncpg's, store.pg_direct `Row`), not ORM
objects.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Integer,
    Row,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import TypeEngine
from sqlmodel import SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession

from store.pg_direct import execute

_STATEMENTS: dict[tuple[Any, ...], Any] = {}


def unfinished_status(table: Any, leased: str) -> Any:
    """`status IN ('pending', '<leased>')` with the values written into the SQL: the condition of the partial
    indexes `ix_*_unfinished_*` (store/models.py `unfinished`); `table` is a model or a table's `.c`. The
    planner uses a partial index only when it can see that the query implies its condition; SQLite cannot look
    into bound parameters."""
    return col(table.status).in_([literal_column("'pending'"), literal_column(f"'{leased}'")])


# SQLite's json_each is built in from 3.38 (and in every build this project targets before it, as an extension)
JSON_LISTS = sqlite3.sqlite_version_info >= (3, 38, 0)


def any_of(column: Any, name: str, dialect: str) -> Any:
    """`column IN (the values of parameter `name`)` with one SQL text for any number of values. PostgreSQL:
    `column = ANY(:name)`, one array parameter, so one prepared statement and one plan whatever the batch size
    (an expanding IN is a new text per list length: asyncpg prepares each text again, PostgreSQL parses and plans
    it again, and a batch's dozen statements × a dozen sizes overflow the driver's prepared statement cache).
    SQLite: `column IN (SELECT value FROM json_each(:name))`, the list passed as one JSON text: an expanding IN
    `(?, ?, …)` was rendered into the SQL again at every execution (SQLAlchemy's post-compile step) and was a new
    text for sqlite3's statement cache per list length; the planner still looks each value up in the index
    (`SEARCH … USING INTEGER PRIMARY KEY (rowid=?)`, `LIST SUBQUERY`)."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    if JSON_LISTS:
        return column.in_(select(_json_each(name).c.value))
    return column.in_(bindparam(name, expanding=True))


def _json_each(name: str) -> Any:
    """SQLite: the rows of `json_each(:name)`, the parameter a Python list sent as JSON text."""
    return func.json_each(bindparam(name, type_=JSON)).table_valued("value")


def array_insert(insert: Any, table: Any, columns: Sequence[str], *, constants: Sequence[str] = (),
                 json_texts: Sequence[str] = ()) -> Any:
    """PostgreSQL: `INSERT INTO table (columns) SELECT unnest(:a_col1), unnest(:a_col2), …` — any number of rows
    in one statement with one text (a multi-row VALUES, as SQLAlchemy's insertmanyvalues renders it for
    RETURNING, is a new text, so a new prepared statement and plan, per row count). `insert` is the dialect's
    insert construct (for ON CONFLICT); pass the rows with `array_params`. `constants` are columns with one value
    for every row, a scalar parameter `k_<column>` each. `json_texts` are JSON columns whose values come already
    encoded (text, cast to JSON by PostgreSQL)."""
    rows = select(*(json_text_column(f"a_{name}") if name in json_texts
                    else array_column(table.c[name], f"a_{name}") for name in columns),
                  *(bindparam(f"k_{name}", type_=table.c[name].type) for name in constants))
    return insert(table).from_select([*columns, *constants], rows)


def array_column(column: Any, name: str) -> Any:
    """`unnest(:name)`: the values of an array parameter typed as `column` (a column, or a type), as a column of rows
    (PostgreSQL)."""
    kind = column if isinstance(column, TypeEngine) else column.type
    kind = getattr(kind, "impl", kind)  # a TypeDecorator's own type: asyncpg takes the Python values as they are
    return func.unnest(bindparam(name, type_=ARRAY(kind)))


def json_text_column(name: str) -> Any:
    """`unnest(:name)::json`: an array parameter of JSON values already encoded as text, as a column of rows
    (PostgreSQL). The texts go as `TEXT[]`: no JSON processor per element, nor asyncpg's json codec."""
    return cast(func.unnest(bindparam(name, type_=ARRAY(Text))), JSON)


def array_params(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> dict[str, list[Any]]:
    """The parameters of `array_insert`: one list per column."""
    return {f"a_{name}": [row[name] for row in rows] for name in columns}


async def insert_new(connection: Any, table: Any, rows: Sequence[dict[str, Any]], *, columns: Sequence[str],
                     conflict: Sequence[str], constants: dict[str, Any] | None = None) -> list[Row[Any]]:
    """`INSERT … ON CONFLICT (conflict) DO NOTHING RETURNING <conflict columns>` of many rows in one statement:
    returns the keys of the rows inserted (a row whose key is taken, also by a transaction that committed
    meanwhile, is left out). `columns` vary by row; `constants` (column → value) are the same for every row.
    PostgreSQL: one array per column (`array_insert`), one SQL text for any row count. SQLite: executemany
    with RETURNING (SQLAlchemy's insertmanyvalues: a multi-row VALUES, compiled once). Built once per shape."""
    if not rows:
        return []
    constants = constants or {}
    dialect = connection.dialect.name
    key = ("insert_new", table.name, tuple(columns), tuple(conflict), tuple(constants), dialect)
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        if dialect == "postgresql":
            stmt = array_insert(pg_insert, table, columns, constants=tuple(constants))
        else:
            stmt = sqlite_insert(table)
        stmt = stmt.on_conflict_do_nothing(index_elements=list(conflict)).returning(
            *(table.c[name] for name in conflict))
        _STATEMENTS[key] = stmt
    if dialect == "postgresql":
        result = await connection.execute(stmt, {**array_params(rows, columns),
                                                 **{f"k_{name}": value for name, value in constants.items()}})
    else:
        result = await connection.execute(stmt, [{**row, **constants} for row in rows])
    return list(result.all())


def leased_rows(table: Any, dialect: str) -> Any:
    """The rows of a batch, each guarded by its lease: its id with its attempt number (the parameters come from
    `leased_params`). The ids also stand on their own, because PostgreSQL's planner reads a row-value IN as ORs
    of row comparisons, not as primary key lookups (a scan of the whole table per batch). One SQL text for any
    batch size on both databases (SQLite: the pairs as one JSON list of [id, attempt], `any_of`)."""
    ids = any_of(table.c.id, "lease_ids", dialect)
    if dialect == "postgresql":  # the pairs zipped from two arrays: one text for any batch size
        pairs: Any = select(func.unnest(bindparam("lease_ids", type_=ARRAY(Integer))),
                            func.unnest(bindparam("lease_attempts", type_=ARRAY(Integer))))
    elif JSON_LISTS:
        each = _json_each("lease_pairs")
        pairs = select(func.json_extract(each.c.value, "$[0]"), func.json_extract(each.c.value, "$[1]"))
    else:
        pairs = bindparam("lease_pairs", expanding=True)
    return and_(ids, tuple_(table.c.id, table.c.attempts).in_(pairs))


def leased_params(ours: Sequence[tuple[int, int]], dialect: str) -> dict[str, Any]:
    """The parameters of `leased_rows` for (id, attempt) pairs. (Not named after columns: an UPDATE would take
    a parameter named like a column as a value to SET.)"""
    if dialect == "postgresql":
        return {"lease_ids": [i for i, _ in ours], "lease_attempts": [a for _, a in ours]}
    if JSON_LISTS:
        return {"lease_ids": [i for i, _ in ours], "lease_pairs": [[i, a] for i, a in ours]}
    return {"lease_ids": [i for i, _ in ours], "lease_pairs": [tuple(p) for p in ours]}


def _claim_statement(model: type[SQLModel], queue: Sequence[str], leased: str, dialect: str) -> Any:
    """The claim UPDATE for one queue (cached: built and compiled once per process)."""
    key = (model, tuple(queue), leased, dialect)
    stmt = _STATEMENTS.get(key)
    if stmt is not None:
        return stmt
    table: Any = model.__table__  # type: ignore[attr-defined]
    now = bindparam("now", type_=table.c.next_attempt_at.type)

    def claimable(t: Any) -> Any:
        return or_(and_(t.c.status == "pending", t.c.next_attempt_at <= now),
                   and_(t.c.status == leased, t.c.locked_until < now))

    candidate, older = table.alias("candidate"), table.alias("older")
    blocked = exists().where(
        *(older.c[key] == candidate.c[key] for key in queue),
        older.c.id < candidate.c.id,
        unfinished_status(older.c, leased),
    )
    # `channel || ''`: no index on channel is worth more than walking the backlog in id order (SQLite would
    # otherwise pick the (channel, event_id) unique index when one channel is on). `any_of`: one SQL text for any
    # number of channels; an expanding IN was rendered into the SQL again at every claim (SQLAlchemy's
    # post-compile step, a third of the claim's client CPU on PostgreSQL).
    on = any_of(candidate.c.channel + "", "channels", dialect)
    pick = (select(candidate.c.id)
            .where(unfinished_status(candidate.c, leased), claimable(candidate), on, ~blocked)
            .order_by(candidate.c.id).limit(bindparam("limit", type_=Integer)))
    if dialect == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    stmt = (update(table)
            .where(table.c.id.in_(pick), claimable(table))
            .values(status=leased, locked_until=bindparam("until", type_=table.c.locked_until.type),
                    attempts=table.c.attempts + 1)
            .returning(*table.c))
    _STATEMENTS[key] = stmt
    return stmt


async def claim_leases(
    db: AsyncSession | AsyncConnection,
    model: type[SQLModel],
    *,
    queue: Sequence[str],
    leased: str,
    channels: Sequence[str],
    now: datetime,
    lease: timedelta,
    limit: int,
) -> list[Any]:
    """Lease up to `limit` rows of `model`, the oldest unfinished one per `queue` key (column names), in id
    order; returns the won rows as leased (`attempts` is this lease's attempt number). `leased` is the status
    of a row being worked on. `db` is a session or a connection (store.db `OneStatement`: on PostgreSQL one in
    autocommit, the claim being one statement); the caller commits (and, on SQLite, holds the write gate)."""
    if not channels or limit <= 0:
        return []
    connection = await db.connection() if isinstance(db, AsyncSession) else db
    stmt = _claim_statement(model, queue, leased, connection.dialect.name)
    rows = await execute(connection, stmt,
                         {"now": now, "until": now + lease, "channels": list(channels), "limit": limit})
    return sorted(rows, key=lambda row: row.id)
