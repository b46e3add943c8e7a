"""Exactly once across instances, and nothing lost when a sweeper dies mid-transaction."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, text
from sqlmodel import col, select

from bot.settings import REPO_ROOT
from handlers.catalogue import Catalogue
from handlers.notifications import reminder_renderer
from store.db import make_engine, make_session_factory
from store.models import OutboundMessage, Reminder
from store.reminders import send_batch, sweep
from store.types import utcnow
from tests.queue.conftest import SHIPPED, Hospital, new_case
from tests.support import Store

N = 1000


async def _due_reminders(store: Store, n: int = N) -> None:
    """`n` pending committee reminders already due, on one triaged case (the committee has one chat)."""
    past = utcnow() - timedelta(days=1)
    async with store.sessions() as s:
        case = await new_case(s, past)
        case.status = "triaged"
        s.add(case)
        await s.flush()
        await s.execute(text("DELETE FROM reminders"))
        await s.execute(insert(Reminder), [
            {"case_id": case.id, "kind": "report_due", "due_at": past - timedelta(seconds=i),
             "recipient_role": "committee", "status": "pending", "created_at": past} for i in range(n)
        ])
        await s.commit()


async def _outbox_per_reminder(store: Store) -> dict[int, int]:
    async with store.sessions() as s:
        rows = (await s.exec(select(OutboundMessage.dedupe_key, func.count()).group_by(
            col(OutboundMessage.dedupe_key)))).all()
    counts: dict[int, int] = {}
    for key, count in rows:
        assert key is not None and key.startswith("reminder:")
        rid = int(key.split(":")[1])
        counts[rid] = counts.get(rid, 0) + count
    return counts


async def _assert_each_sent_once(store: Store, n: int = N) -> None:
    counts = await _outbox_per_reminder(store)
    assert len(counts) == n and set(counts.values()) == {1}
    async with store.sessions() as s:
        statuses = (await s.exec(select(Reminder.status, func.count()).group_by(col(Reminder.status)))).all()
    assert dict(statuses) == {"sent": n}


@pytest.mark.slow
async def test_three_instances_send_each_of_1000_once(pg_store: Store, texts: Catalogue) -> None:
    """Three engines (own connection pools) sweep the same 1,000 due reminders at once on PostgreSQL: each
    claimed once, one outbox row each."""
    store, n = pg_store, N
    await _due_reminders(store, n)
    engines = [make_engine(store.url, schema=store.schema) for _ in range(3)]
    try:
        claimed = await asyncio.gather(*(
            sweep(make_session_factory(e), now=utcnow(), render=reminder_renderer(texts), policy=SHIPPED,
                  worker=f"instance-{i}", batch=25)
            for i, e in enumerate(engines)
        ))
    finally:
        for e in engines:
            await e.dispose()
    assert sum(claimed) == n  # no reminder claimed twice
    await _assert_each_sent_once(store, n)


@pytest.mark.sigkill
async def test_sweeper_killed_mid_sweep_loses_nothing(pg_store: Store, texts: Catalogue) -> None:
    """A sweeper process SIGKILLed on PostgreSQL after claiming a batch, before commit: its batch returns to
    pending and the next sweep sends all of them, each once."""
    store = pg_store
    await _due_reminders(store, 100)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.queue.kill_worker", store.url, store.schema or "-", "40",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert proc.stdout is not None
    line = await asyncio.wait_for(proc.stdout.readline(), 60)
    assert line.strip() == b"claimed 40"
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    # wait (a lock wait, not a sleep) until the server has rolled back the dead backend's transaction
    async with store.sessions() as s:
        await s.execute(text("SET LOCAL lock_timeout = '30s'"))
        await s.execute(select(Reminder.id).with_for_update())
        await s.rollback()
    render = reminder_renderer(texts)
    assert await sweep(store.sessions, now=utcnow(), render=render, policy=SHIPPED, worker="survivor") == 100
    await _assert_each_sent_once(store, 100)
    async with store.sessions() as s:
        doomed = select(func.count()).select_from(Reminder).where(Reminder.claimed_by == "doomed")
        assert (await s.exec(doomed)).one() == 0


async def test_cancelled_sweep_rolls_back_and_locked_rows_are_skipped(
    store: Store, hospital: Hospital, texts: Catalogue
) -> None:
    """While one instance holds an uncommitted batch, another skips those rows (not blocking); cancelling the
    first (task cancelled, transaction never committed) leaves them for the next sweep."""
    await _due_reminders(store, n=100)
    holder = make_engine(store.url, schema=store.schema)
    claimed = asyncio.Event()
    release = asyncio.Event()

    async def hold() -> None:
        async with make_session_factory(holder)() as s:
            await send_batch(s, now=utcnow(), render=reminder_renderer(texts), policy=SHIPPED, worker="cancelled",
                             limit=50)
            claimed.set()
            await release.wait()  # cancelled here, before commit
            await s.commit()

    task = asyncio.create_task(hold())
    try:
        await claimed.wait()
        if store.kind == "postgresql":
            render = reminder_renderer(texts)
            assert await sweep(store.sessions, now=utcnow(), render=render, policy=SHIPPED, worker="other") == 50
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
    finally:
        await holder.dispose()
    rest = await sweep(store.sessions, now=utcnow(), render=reminder_renderer(texts), policy=SHIPPED, worker="next")
    assert rest == (50 if store.kind == "postgresql" else 100)
    await _assert_each_sent_once(store, 100)


async def test_sqlite_and_pg_claim_statement_is_single_update(store: Store) -> None:
    """Claiming is one UPDATE … RETURNING; on PostgreSQL its subquery locks with SKIP LOCKED."""
    from store.reminders import _claim_statement

    stmt = _claim_statement(store.engine.dialect.name, now=datetime.now(UTC), worker="w", limit=5)
    sql = str(stmt.compile(dialect=store.engine.dialect))
    assert sql.startswith("UPDATE reminders") and "RETURNING" in sql
    assert ("FOR UPDATE SKIP LOCKED" in sql) == (store.kind == "postgresql")
