"""SQLite through aiosqlite with one trip to its thread per statement.

aiosqlite runs every call on the connection's own thread and hands the result back through the event loop
(`call_soon_threadsafe`: a write to the loop's wake-up pipe, an epoll return, a callback). SQLAlchemy's adapter
(`AsyncAdapt_dbapi_cursor`) made three or four such calls per statement: open a cursor, execute, fetch the
rows, close the cursor. `OneTripCursor` does all four in one function on aiosqlite's thread; what SQLAlchemy
reads afterwards (description, rows, rowcount, lastrowid) is kept from that trip. Installed for every aiosqlite
connection the process opens (`install`, called by store.db). Server-side cursors are left as they were.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_cursor
from sqlalchemy.util import EMPTY_DICT


def _run(connection: sqlite3.Connection, operation: Any, parameters: Any, many: bool) -> tuple[Any, ...]:
    """On aiosqlite's thread: the whole statement, from a new cursor to its closing."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else ()
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A client-side cursor whose statement is one call on aiosqlite's thread (module docstring)."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:  # no aiosqlite cursor: `_run` makes its own
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: Any = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        return None  # the cursor was closed on the thread already

    def close(self) -> None:
        self._rows.clear()

    async def _trip(self, operation: Any, parameters: Any, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            connection = self._connection
            self._description, rows, self._rowcount, self._lastrowid = await connection._execute(
                _run, connection._conn, operation, parameters, many)
            self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._trip(operation, parameters, False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._trip(operation, seq_of_parameters, True)

    def nextset(self) -> None:
        return None


def install() -> None:
    """Every aiosqlite connection's client-side cursors become `OneTripCursor`s."""
    AsyncAdapt_aiosqlite_connection._cursor_cls = OneTripCursor
