"""SQLite statements make one trip to aiosqlite's thread each (store/sqlite_cursor.py), through the real inbox
worker, and what SQLAlchemy reads back (rows, rowcount, lastrowid, errors) is as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from bot.keys import ENGINE
from store.db import make_engine
from tests.fakes.harness import Service


def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every function run on an aiosqlite thread from now on."""
    names: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        names.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return names


async def test_a_batch_makes_one_trip_per_statement(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    """Six patients' messages handled by the inbox worker and answered by the sender: every statement (with its
    rows fetched and its cursor closed) is one trip to aiosqlite's thread, the commits one each; SQLAlchemy's
    adapter made three or four (cursor, execute, fetchall, close)."""
    users = [f"U-trip-{i}" for i in range(6)]
    await service.line_events(*(service.line_event("follow", u) for u in users))
    await service.settle()
    names = trips(monkeypatch)
    statements: list[str] = []
    event.listen(service.app[ENGINE].sync_engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: statements.append(statement))
    await service.line_events(*(service.line_event("message", u, message={
        "id": f"m-{u}", "type": "text", "text": "สวัสดีค่ะ", "quoteToken": "q"}) for u in users))
    await service.settle()
    for user in users:  # the follow's answer and the message's
        assert len(await service.line.messages_to(user, wait_for=2)) >= 2
    assert len(statements) > 6
    assert len([n for n in names if n not in ("commit", "rollback")]) == len(statements), names[:12]


async def test_rows_counts_and_errors_come_back(tmp_path: Path) -> None:
    """RETURNING rows, rowcount of an UPDATE and of an executemany, lastrowid, and a constraint error as
    SQLAlchemy's IntegrityError."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT UNIQUE)"))
            inserted = await conn.execute(text("INSERT INTO t (x) VALUES ('a')"))
            assert inserted.lastrowid == 1
            many = await conn.execute(text("INSERT INTO t (x) VALUES (:x)"), [{"x": "b"}, {"x": "c"}])
            assert many.rowcount == 2
            changed = await conn.execute(text("UPDATE t SET x = x || '!' WHERE id > 1 RETURNING id"))
            assert sorted(changed.scalars()) == [2, 3]
            assert (await conn.execute(text("UPDATE t SET x = 'z' WHERE id = 1"))).rowcount == 1
            assert (await conn.execute(text("SELECT x FROM t ORDER BY id"))).scalars().all() == ["z", "b!", "c!"]
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t (x) VALUES ('z')"))
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 3
    finally:
        await engine.dispose()
