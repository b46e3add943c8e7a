"""SQLite: the webhook ack's INSERT on a plain `sqlite3` connection in the event loop's own thread.

Measured under load (bench/README.md, 2026-11-30), a group commit through the async engine spent more of
the web process's time handing work to aiosqlite's thread and back (a GIL hand-off per cursor, execute,
fetch and commit) than SQLite spent inserting. The ack's one statement per batch runs here instead,
synchronously: a few rows into a local WAL file take well under a millisecond.

It must never block the event loop on a lock, so its busy timeout is zero: `BEGIN IMMEDIATE` either gets
the write lock at once or `insert` returns None and the caller takes the async path, which waits. In one
process the write gate (bot.pipeline.WriteGate) already orders writers, so a refusal means another process
(a CLI command, a second service) is writing. Durability is the engine's: WAL, synchronous=NORMAL, and the
commit happens before the caller answers the platform.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.sqlite.aiosqlite import dialect as aiosqlite_dialect

from store.db import sqlite_pragmas
from store.seen import seen_rows, unseen


class DirectInsert:
    """`INSERT … ON CONFLICT DO NOTHING RETURNING` of rows into one table, on a connection of its own."""

    def __init__(self, path: str, table: Table, conflict: Sequence[str], returning: Sequence[str], *,
                 chunk: int, seen: DirectInsert | None = None) -> None:
        self.path = path
        # seen_events (store/seen.py), written first in the same transaction: only rows whose hash is new go in
        self.seen = seen
        self.chunk = chunk  # rows per statement
        self.columns = [c.name for c in table.columns if not (c.primary_key and c.autoincrement in (True, "auto"))]
        dialect = aiosqlite_dialect()
        # The same conversions the ORM applies (UTC datetimes → SQLite's text format), taken from the table.
        self._bind = {name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in self.columns}
        # Names come from the table definition, never from input; values are always bound parameters.
        self._head = f"INSERT INTO {table.name} ({', '.join(self.columns)}) VALUES "  # noqa: S608
        self._row = "(" + ", ".join("?" for _ in self.columns) + ")"
        self._tail = f" ON CONFLICT ({', '.join(conflict)}) DO NOTHING RETURNING {', '.join(returning)}"
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
            sqlite_pragmas(conn)  # the engine's durability settings
            conn.execute("PRAGMA busy_timeout=0")  # never wait for a lock in the event loop
            self._conn = conn
        return self._conn

    def insert(self, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]] | None:
        """Insert `rows` in one transaction and return the RETURNING tuples of the new ones, or None when
        another connection holds the write lock (nothing was written; take the path that waits)."""
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _locked(exc):
                return None
            raise
        try:
            if self.seen is not None:
                hashes = seen_rows(rows, rows[0]["received_at"]) if rows else []
                if hashes:
                    rows = unseen(rows, {(c, h) for c, h in self.seen.run(conn, hashes)})
            returned = self.run(conn, rows)
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and _locked(exc):
                return None
            raise
        return returned

    def run(self, conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        """The INSERTs of `rows` inside the caller's transaction; the RETURNING tuples of the new ones."""
        returned: list[tuple[Any, ...]] = []
        for start in range(0, len(rows), self.chunk):
            chunk = rows[start:start + self.chunk]
            sql = self._head + ", ".join(self._row for _ in chunk) + self._tail
            returned.extend(conn.execute(sql, self._params(chunk)).fetchall())
        return returned

    def _params(self, rows: list[dict[str, Any]]) -> list[Any]:
        params: list[Any] = []
        for row in rows:
            for name in self.columns:
                value, bind = row.get(name), self._bind[name]
                params.append(bind(value) if bind is not None else value)
        return params

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _locked(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text
