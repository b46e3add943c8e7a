"""Webhook group commit (bot/inbox_batch.py): concurrent webhooks share one transaction, each still learns
exactly which of its events were new, and a failed transaction fails every webhook in it, storing nothing."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.channels import BATCHER
from bot.pipeline import InboxItem
from bot.settings import Settings
from store.models import InboundEvent
from tests.fakes.databases import any_service, pg_template  # noqa: F401  # fixtures
from tests.fakes.harness import Service
from tests.support import MovableClock


async def _count(svc: Service) -> int:
    async with svc.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(InboundEvent))).one())


async def test_concurrent_webhooks_are_all_stored_once(service: Service) -> None:
    """60 webhooks at once (LINE and Telegram, some carrying the same event twice) are all answered 200 and
    stored once each; the duplicate is reported as not new."""
    events = [service.line_event("message", f"U-b{i}", message={"id": str(i), "type": "text", "text": "สวัสดี"})
              for i in range(30)]
    updates = [service.telegram_message(7000 + i, text="สวัสดี") for i in range(30)]

    async def line(event: dict[str, object]) -> int:
        body = json.dumps({"destination": "U0", "events": [event]}).encode()
        from tests.fakes.harness import sign
        status, text = await service.line_post(body, sign(body))
        assert status == 200
        return int(json.loads(text)["accepted"])

    async def telegram(update: dict[str, object]) -> int:
        status, text = await service.telegram_post(update)
        assert status == 200
        return int(json.loads(text)["accepted"])

    results = await asyncio.gather(*(line(e) for e in events), *(telegram(u) for u in updates),
                                   line(events[0]), telegram(updates[0]))
    assert sum(results) == 60 and results.count(0) == 2
    assert await _count(service) == 60


async def test_a_failed_batch_fails_every_webhook_in_it_and_stores_nothing(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the batch's transaction fails, every caller gets the error (→ 500, the platform redelivers)."""
    batcher = service.app[BATCHER]

    async def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("database went away")

    def broken_direct(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("bot.inbox_batch.accept_many", broken)
    monkeypatch.setattr("store.inbox_direct.DirectInsert.insert", broken_direct)  # SQLite's ack path
    items = [[InboxItem(uuid.uuid4().hex, f"line:U{i}", "{}")] for i in range(5)]
    results = await asyncio.gather(*(batcher.accept("line", i) for i in items), return_exceptions=True)
    assert all(isinstance(r, RuntimeError | sqlite3.OperationalError) for r in results)
    assert await _count(service) == 0


@pytest.mark.parametrize("writers", [1, 3])
async def test_batches_in_flight_never_exceed_the_writers(
    writers: int, settings: Settings, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL writes the next batch while one waits for its commit (up to `writers` at once); SQLite keeps
    one. Every webhook still gets its own count, and once the first batch is slow, the rest queue behind the
    writers instead of each opening a transaction."""
    from bot.inbox_batch import InboxBatcher
    from bot.pipeline import WriteGate
    from handlers.hospital import hospital_for
    from handlers.services import Services
    from store.db import make_engine, make_session_factory

    in_flight = peak = 0
    release = asyncio.Event()

    async def slow(session: object, batches: list[tuple[str, list[InboxItem]]], *, now: object) -> list[int]:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await release.wait()
        in_flight -= 1
        return [len(items) for _, items in batches]

    monkeypatch.setattr("bot.inbox_batch.accept_many", slow)
    engine = make_engine(settings.database_url)
    try:
        services = Services(settings, make_session_factory(engine), hospital_for(settings), clock)
        batcher = InboxBatcher(services, WriteGate(enabled=False), writers=writers)
        calls = []
        for i in range(10):  # webhooks arriving one after another while the first batch waits for its commit
            items = [InboxItem(f"e{i}", f"line:U{i}", "{}")] * (i % 2 + 1)
            calls.append(asyncio.create_task(batcher.accept("line", items)))
            for _ in range(5):
                await asyncio.sleep(0)
        assert peak == writers
        release.set()
        assert await asyncio.gather(*calls) == [i % 2 + 1 for i in range(10)]
        assert peak == writers and not batcher._tasks
    finally:
        await engine.dispose()


async def test_sqlite_acks_fall_back_to_waiting_when_another_process_writes(
    settings: Settings, clock: MovableClock
) -> None:
    """SQLite: the direct ack INSERT never waits for a lock in the event loop. While another connection (here:
    another process's transaction) holds the write lock, the loop keeps running, the batch goes the async way,
    and it is stored once the lock is released."""
    from bot.inbox_batch import InboxBatcher, direct_insert
    from bot.pipeline import WriteGate
    from handlers.hospital import hospital_for
    from handlers.services import Services
    from store.db import make_engine, make_session_factory

    direct = direct_insert(settings.database_url)
    assert direct is not None
    engine = make_engine(settings.database_url)
    other = sqlite3.connect(direct.path, isolation_level=None)
    try:
        services = Services(settings, make_session_factory(engine), hospital_for(settings), clock)
        batcher = InboxBatcher(services, WriteGate(enabled=True), direct=direct)
        assert await batcher.accept("line", [InboxItem("first", "line:U1", "{}")]) == 1
        assert batcher.fallbacks == 0
        other.execute("BEGIN IMMEDIATE")  # the write lock, held elsewhere
        ack = asyncio.create_task(batcher.accept("line", [InboxItem("second", "line:U2", "{}")]))
        ticks = 0
        while batcher.fallbacks == 0 and ticks < 1000:
            await asyncio.sleep(0.001)
            ticks += 1
        assert batcher.fallbacks == 1 and not ack.done()  # refused at once, now waiting off the loop
        await asyncio.sleep(0.05)  # the loop is free meanwhile
        other.execute("COMMIT")
        assert await asyncio.wait_for(ack, 30) == 1
        async with services.sessions() as session:
            ids = (await session.exec(select(InboundEvent.event_id))).all()
        assert sorted(ids) == ["first", "second"]
    finally:
        other.close()
        await batcher.close()
        await engine.dispose()


async def test_a_webhook_arriving_as_the_writer_stops_is_still_written(settings: Settings, clock: MovableClock) -> None:
    """A webhook woken in the very step the writer finishes its last batch (before any callback runs) queues its
    item: a new writer must take it, or that webhook waits for ever (a Telegram ack hung 300 s in CI)."""
    from bot.inbox_batch import InboxBatcher
    from bot.pipeline import WriteGate
    from handlers.hospital import hospital_for
    from handlers.services import Services
    from store.db import make_engine, make_session_factory

    written = asyncio.Event()

    class Batcher(InboxBatcher):
        async def _write(self, batch: list[tuple[str, list[InboxItem], asyncio.Future[int]]]) -> list[int]:
            counts = await super()._write(batch)
            written.set()  # wakes the second webhook; the writer goes on without yielding and stops
            return counts

    engine = make_engine(settings.database_url)
    try:
        services = Services(settings, make_session_factory(engine), hospital_for(settings), clock)
        batcher = Batcher(services, WriteGate(enabled=False))

        async def second() -> int:
            await written.wait()
            return await batcher.accept("telegram", [InboxItem("e2", "telegram:2", "{}")])

        late = asyncio.create_task(second())
        await asyncio.sleep(0)  # `second` waits for the first batch
        assert await batcher.accept("line", [InboxItem("e1", "line:U1", "{}")]) == 1
        assert await asyncio.wait_for(late, 5) == 1
        assert not batcher._tasks
    finally:
        await engine.dispose()


async def test_closing_waits_for_the_batches_still_being_written(any_service: Service) -> None:  # noqa: F811
    """Shutdown closes the ack path while webhooks' batches may still be on their way (a handler cancelled at the
    shutdown timeout leaves its batch's writer running): the close waits for them, so each webhook still learns its
    events are stored and no connection is opened again behind the close (one was, and was never closed)."""
    svc = any_service
    batcher = svc.app[BATCHER]
    before = await _count(svc)
    acks = [asyncio.ensure_future(batcher.accept("line", [InboxItem(uuid.uuid4().hex, f"line:Uc{i}", "{}")]))
            for i in range(5)]
    await asyncio.sleep(0)  # the webhooks queued their items and started a writer
    await batcher.close()
    assert await asyncio.gather(*acks) == [1] * 5
    assert await _count(svc) == before + 5
    assert batcher.direct is None or batcher.direct._conn is None
    assert batcher.pg_direct is None or batcher.pg_direct._pool is None
