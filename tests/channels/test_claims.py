"""Inbox and outbox claims on SQLite and PostgreSQL: leases, per-chat order, no double processing."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.metrics import Metrics
from bot.pipeline import ACCEPT_CHUNK, LEASE, InboxItem, InboxWorker, accept, accept_many, inbox_rows, new_counts
from bot.sender import OutboxSender
from bot.settings import Settings
from handlers import build_router
from handlers.dispatch import Dispatcher
from handlers.hospital import hospital_for
from handlers.messages import Outbound
from handlers.services import Services
from store.models import InboundEvent
from store.outbox import enqueue
from tests.support import MovableClock, Store

CHANNELS: dict[str, Any] = {"line": object(), "telegram": object()}  # claims only read the channel names


def services_on(store: Store, settings: Settings, clock: MovableClock) -> Services:
    return Services(settings, store.sessions, hospital_for(settings), clock)


def inbox_worker(services: Services) -> InboxWorker:
    return InboxWorker(services=services, dispatcher=Dispatcher(build_router(), services), adapters=CHANNELS,
                       metrics=Metrics(), media_dir=services.settings.media_dir)


async def stored(services: Services, *items: tuple[str, str]) -> None:
    async with services.sessions() as session:
        await accept(session, channel="line", now=services.clock(),
                     items=[InboxItem(event_id, chat, "{}") for event_id, chat in items])
        await session.commit()


async def events(services: Services) -> dict[str, InboundEvent]:
    from sqlmodel import select

    async with services.sessions() as session:
        return {e.event_id: e for e in (await session.exec(select(InboundEvent))).all()}


async def test_accept_stores_each_event_once(store: Store, settings: Settings, clock: MovableClock) -> None:
    """accept() ignores an event id it already has (redelivery), also inside one batch."""
    services = services_on(store, settings, clock)
    async with services.sessions() as session:
        items = [InboxItem("e1", "line:A", "{}"), InboxItem("e1", "line:A", "{}"), InboxItem("e2", "line:A", "{}")]
        assert await accept(session, channel="line", items=items, now=clock()) == 2
        assert await accept(session, channel="line", items=items[:1], now=clock()) == 0
        await session.commit()
    assert set(await events(services)) == {"e1", "e2"}


async def test_accept_many_counts_each_request_as_if_stored_one_by_one(
    store: Store, settings: Settings, clock: MovableClock
) -> None:
    """Group commit: one INSERT for many requests; an id new in the batch counts for its first request only,
    one already stored counts for none, and a batch larger than one statement's chunk loses nothing."""
    services = services_on(store, settings, clock)
    await stored(services, ("old", "line:A"))
    big = [InboxItem(f"b{i}", f"line:U{i}", "{}") for i in range(ACCEPT_CHUNK + 7)]
    batches = [
        ("line", [InboxItem("x", "line:A", "{}"), InboxItem("old", "line:A", "{}")]),
        ("line", [InboxItem("x", "line:A", "{}"), InboxItem("y", "line:B", "{}")]),
        ("telegram", [InboxItem("x", "telegram:1", "{}")]),  # the same id on another channel is another event
        ("line", big),
    ]
    async with services.sessions() as session:
        assert await accept_many(session, batches, now=clock()) == [1, 1, 1, len(big)]
        await session.commit()
    from sqlmodel import select

    async with services.sessions() as session:
        rows = (await session.exec(select(InboundEvent.channel, InboundEvent.event_id))).all()
    assert len(rows) == len(set(rows)) == 4 + len(big)  # old, x (LINE), y, x (Telegram) and the big request
    assert {("line", "x"), ("telegram", "x"), ("line", "old"), ("line", "y")} <= set(rows)


async def test_sqlite_direct_ack_insert_stores_what_the_session_path_stores(
    settings: Settings, clock: MovableClock
) -> None:
    """SQLite's ack path (a plain sqlite3 connection, store/inbox_direct.py) counts new events exactly like
    `accept_many` and stores rows the ORM reads back identically: same UTC timestamps, statuses, payloads.
    (SQLite only: PostgreSQL acks always go through the async session.)"""
    import re

    from sqlalchemy import text
    from sqlmodel import select

    from store.db import make_engine, make_session_factory, sqlite_file
    from store.inbox_direct import DirectInsert

    engine = make_engine(settings.database_url)
    services = Services(settings, make_session_factory(engine), hospital_for(settings), clock)
    path = sqlite_file(settings.database_url)
    assert path is not None
    table: Any = InboundEvent.__table__
    direct = DirectInsert(path, table, ("channel", "event_id"), ("channel", "event_id"), chunk=3)
    big = [InboxItem(f"b{i}", f"line:U{i}", f'{{"n": {i}}}') for i in range(8)]  # three statements of 3
    batches = [
        ("line", [InboxItem("x", "line:A", '{"text": "สวัสดี"}'), InboxItem("old", "line:A", "{}")]),
        ("line", [InboxItem("x", "line:A", "{}"), InboxItem("s", "line:B", "{}", status="skipped")]),
        ("telegram", [InboxItem("x", "telegram:1", "{}")]),
        ("line", big),
    ]
    try:
        await stored(services, ("old", "line:A"))
        clock.advance(minutes=5)
        now = clock()
        inserted = direct.insert(inbox_rows(batches, now))
        assert inserted is not None
        assert new_counts(batches, inserted) == [1, 1, 1, len(big)]
        assert direct.insert(inbox_rows(batches[:1], now)) == []  # all stored already
        async with services.sessions() as session:
            rows = {(e.channel, e.event_id): e for e in (await session.exec(select(InboundEvent))).all()}
        assert set(rows) == {("line", "old"), ("line", "x"), ("line", "s"), ("telegram", "x"),
                             *(("line", i.event_id) for i in big)}
        x = rows["line", "x"]
        assert (x.payload, x.status, x.attempts, x.chat_key) == ('{"text": "สวัสดี"}', "pending", 0, "line:A")
        assert x.received_at == x.next_attempt_at == now and x.received_at.tzinfo is not None
        assert x.processed_at is None and x.locked_until is None and x.error is None
        assert rows["line", "s"].status == "skipped" and rows["line", "s"].processed_at == now
        assert rows["line", "old"].received_at < now
        # Timestamps are stored in the ORM's own text format (SQL compares them as text), to the microsecond
        # even on a whole second.
        assert now.microsecond == 0
        async with services.sessions() as session:
            stored_text = (await session.execute(text(
                "SELECT event_id, received_at, next_attempt_at FROM inbound_events"))).all()
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", stamp)
                   for _, *stamps in stored_text for stamp in stamps), stored_text
        # What the worker relies on: the rows are claimable, oldest of each chat first.
        claimed = {row_id for row_id, _ in await inbox_worker(services).claim(limit=50)}
        assert rows["line", "old"].id in claimed and x.id not in claimed
        assert rows["telegram", "x"].id in claimed and rows["line", "s"].id not in claimed
    finally:
        direct.close()
        await engine.dispose()


async def test_inbox_claims_oldest_event_per_chat(store: Store, settings: Settings, clock: MovableClock) -> None:
    """Only the oldest unfinished event of each chat is claimable: one chat's events run in order."""
    services = services_on(store, settings, clock)
    await stored(services, ("a1", "line:A"), ("a2", "line:A"), ("b1", "line:B"))
    worker = inbox_worker(services)
    claimed = await worker.claim()
    by_id = {e.id: e.event_id for e in (await events(services)).values()}
    assert sorted(by_id[row_id] for row_id, _ in claimed) == ["a1", "b1"]
    assert await worker.claim() == []  # a2 waits for a1
    a1 = next(row_id for row_id, _ in claimed if by_id[row_id] == "a1")
    await worker._finish(a1, 1, "done")
    (next_claim,) = await worker.claim()
    assert by_id[next_claim[0]] == "a2"


async def test_concurrent_claimers_never_share_an_event(store: Store, settings: Settings,
                                                        clock: MovableClock) -> None:
    """Several workers (instances) claiming at once get disjoint events, and every chat is served."""
    services = services_on(store, settings, clock)
    await stored(services, *[(f"e{i}", f"line:chat{i}") for i in range(40)])
    workers = [inbox_worker(services) for _ in range(4)]
    results = await asyncio.gather(*(w.claim(limit=15) for w in workers))
    ids = [row_id for claimed in results for row_id, _ in claimed]
    assert len(ids) == len(set(ids))
    more = await workers[0].claim(limit=40)
    assert len(ids) + len(more) == 40


async def test_expired_lease_is_taken_over_and_old_owner_locked_out(store: Store, settings: Settings,
                                                                    clock: MovableClock) -> None:
    """An expired lease is claimed again (attempt 2); the first owner can then no longer finish it."""
    services = services_on(store, settings, clock)
    await stored(services, ("e1", "line:A"))
    first, second = inbox_worker(services), inbox_worker(services)
    ((row_id, attempt),) = await first.claim()
    assert await second.claim() == []
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert await second.claim() == [(row_id, attempt + 1)]
    await first._finish(row_id, attempt, "done")  # too late: not its lease any more
    assert (await events(services))["e1"].status == "processing"
    await second._finish(row_id, attempt + 1, "done")
    assert (await events(services))["e1"].status == "done"


async def test_outbox_claims_are_exclusive_and_ordered(store: Store, settings: Settings,
                                                       clock: MovableClock) -> None:
    """Outbox rows: concurrent senders never share a row; a chat's second row waits for its first."""
    services = services_on(store, settings, clock)
    async with services.sessions() as session:
        for i in range(20):
            await enqueue(session, channel="line", chat_id=f"U{i}", messages=[Outbound("ก")], now=clock())
        await enqueue(session, channel="line", chat_id="U0", messages=[Outbound("ข")], now=clock())
        await session.commit()
    senders = [OutboxSender(services=services, transports=CHANNELS, metrics=Metrics()) for _ in range(3)]
    results = await asyncio.gather(*(s.claim(limit=10) for s in senders))
    ids = [row_id for claimed in results for row_id, _ in claimed]
    assert len(ids) == len(set(ids))
    rest = [row_id for row_id, _ in await senders[0].claim(limit=50)]
    assert len(set(ids) | set(rest)) == len(ids) + len(rest) == 20  # U0's 2nd row waits for its first


async def test_claims_read_only_the_unfinished_rows_on_sqlite(sqlite_url: str) -> None:
    """Both queues' claim queries walk the partial indexes of unfinished rows (migration 0003), not the primary
    key through every finished row: a claim costs what the backlog holds, not the table's history."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import event

    from store.db import make_engine, make_session_factory
    from store.leases import claim_leases
    from store.models import OutboundMessage

    engine = make_engine(sqlite_url)
    statements: list[tuple[str, Any]] = []

    def seen(conn, cursor, statement, parameters, *args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().startswith("UPDATE"):  # the claim: one UPDATE … WHERE id IN (SELECT …) RETURNING
            statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        async with make_session_factory(engine)() as session:
            for model, queue, leased in ((InboundEvent, ("chat_key",), "processing"),
                                         (OutboundMessage, ("channel", "chat_id"), "sending")):
                await claim_leases(session, model, queue=queue, leased=leased, channels=["line"],
                                   now=datetime.now(UTC), lease=timedelta(minutes=2), limit=4)
            connection = (await (await session.connection()).get_raw_connection()).driver_connection
            plans = []
            for statement, parameters in statements:
                cursor = await connection.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                plans.append(" | ".join(str(row[-1]) for row in await cursor.fetchall()))
    finally:
        await engine.dispose()
    assert len(plans) == 2, plans
    for plan, prefix in zip(plans, ("inbound", "outbound"), strict=True):
        # the candidates come from an index of unfinished rows (or of statuses), never a walk of every row
        assert f"INDEX ix_{prefix}_unfinished_id" in plan or f"INDEX ix_{prefix}_status_next (status=?" in plan, plan
        assert "PRIMARY KEY" not in plan and "autoindex" not in plan, plan
        # the "older unfinished row of this chat" probe reads the partial index, not the chat's history
        assert f"USING INDEX ix_{prefix}_unfinished_chat" in plan, plan


async def test_a_claim_on_postgresql_has_one_text_for_any_number_of_channels(store: Store, settings: Settings,
                                                                             clock: MovableClock) -> None:
    """PostgreSQL: the claim's channels are one array parameter, so the statement's text is the same whichever
    channels are on (an expanding `IN (…)` was rendered into the SQL again at every claim) — and the claim still
    leases only the channels asked for."""
    from sqlalchemy import event

    if store.kind != "postgresql":
        return  # SQLite keeps the expanding IN (its planner's choice is checked by the test above)
    texts: list[str] = []
    event.listen(store.engine.sync_engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: texts.append(statement) if "SKIP LOCKED" in statement else None)
    services = services_on(store, settings, clock)
    await stored(services, ("e1", "line:U1"), ("e2", "line:U2"))
    one = inbox_worker(services)
    one.adapters = {"telegram": object()}  # type: ignore[dict-item]
    assert await one.claim() == []  # only LINE events are waiting
    won = await inbox_worker(services).claim()
    assert len(won) == 2
    assert len(texts) == 2 and texts[0] == texts[1]
