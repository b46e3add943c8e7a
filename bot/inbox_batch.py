"""Group commit for webhook acks: events that arrive while one commit is under way are stored together in the
next one, so N concurrent webhooks cost one transaction instead of N.

Each webhook still answers only after its own events are committed (durability is unchanged) and learns how
many of them were new (deduplication is unchanged: `accept` per request, in arrival order). If the batch's
transaction fails, every webhook in it fails (500: the platform redelivers) and nothing of it is stored.
On SQLite the batch takes the write gate as urgent, like a single webhook did, and is written by
`store.inbox_direct.DirectInsert` on a plain sqlite3 connection in this thread (no hand-off to aiosqlite's
thread); when another process holds the write lock it falls back to the async session, which waits.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.pipeline import (
    ACCEPT_CHUNK,
    InboxItem,
    WriteGate,
    accept_direct,
    accept_many,
    accept_statement,
    inbox_rows,
    new_counts,
)
from handlers.services import Services
from store.db import SessionFactory, pg_server_settings, sqlite_file
from store.inbox_direct import DirectInsert
from store.models import InboundEvent, SeenEvent
from store.pg_direct import DirectStatement

log = logging.getLogger(__name__)

MAX_BATCH = 200  # requests per transaction


class InboxBatcher:
    def __init__(self, services: Services, gate: WriteGate, sessions: SessionFactory | None = None,
                 writers: int = 1, direct: DirectInsert | None = None, engine: AsyncEngine | None = None,
                 pg_direct: DirectStatement | None = None) -> None:
        self.services = services
        self.gate = gate
        # PostgreSQL: a pool of its own, so an ack never queues behind the workers' connections.
        self.sessions = sessions or services.sessions
        # PostgreSQL: that pool's engine. A batch of up to ACCEPT_CHUNK rows is one statement (bot/pipeline.py
        # `accept_many`), atomic on its own: it runs in autocommit, without BEGIN and COMMIT round trips.
        self.engine = engine
        # PostgreSQL: that statement on asyncpg's own pool (store/pg_direct.py), without SQLAlchemy around it.
        self.pg_direct = pg_direct
        # Batches in flight at once. PostgreSQL: while one batch waits for its commit (the WAL flush), the next
        # one is written on another connection. SQLite has one writer: 1.
        self.writers = writers
        # SQLite: batches are written on a plain sqlite3 connection in this thread (see `direct_insert`).
        self.direct = direct
        self.fallbacks = 0  # batches the direct path left to the async session (another process was writing)
        self._queue: list[tuple[str, list[InboxItem], asyncio.Future[int]]] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def accept(self, channel: str, items: list[InboxItem]) -> int:
        """Store `items` (in the next batch) and return how many were new, once they are committed."""
        if not items:
            return 0
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._queue.append((channel, items, future))
        if len(self._tasks) < self.writers:
            task = asyncio.create_task(self._write_all(), name="inbox-batch")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        # Awaited as it is, not through `asyncio.shield` (an outer future and two callbacks per webhook): the future is
        # this webhook's alone, so a cancelled webhook cancels only it; its items stay queued and are written with
        # their batch, whose other webhooks are answered as before (`_drain` skips a future already done).
        return await future

    async def _write_all(self) -> None:
        try:
            await self._drain()
        finally:
            # Leave the writers at once, in this step: a done callback would run only later, and a webhook woken
            # in between (its accept queued an item, saw this writer still counted, started none) would wait
            # for a writer that had already stopped — for ever (seen in CI under load: a Telegram ack hung 300 s).
            task = asyncio.current_task()
            if task is not None:
                self._tasks.discard(task)

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            try:
                counts = await self._write(batch)
            except BaseException as exc:
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(exc if isinstance(exc, Exception) else RuntimeError("cancelled"))
                if not isinstance(exc, Exception):
                    for _, _, future in self._queue:
                        future.cancel()
                    self._queue.clear()
                    raise
                continue
            for (_, _, future), count in zip(batch, counts, strict=True):
                if not future.done():
                    future.set_result(count)

    async def _write(self, batch: list[tuple[str, list[InboxItem], asyncio.Future[int]]]) -> list[int]:
        batches = [(channel, items) for channel, items, _ in batch]
        async with self.gate.hold(urgent=True):
            now = self.services.clock()
            if self.direct is not None:
                inserted = self.direct.insert(inbox_rows(batches, now))
                if inserted is not None:
                    return new_counts(batches, inserted)
                self.fallbacks += 1
            small = sum(len(items) for _, items in batches) <= ACCEPT_CHUNK
            if self.pg_direct is not None and small:
                return await accept_direct(self.pg_direct, batches, now=now)
            if self.engine is not None and small:
                async with self.engine.connect() as connection:
                    autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
                    return await accept_many(autocommit, batches, now=now)
            async with self.sessions() as session:
                counts = await accept_many(session, batches, now=now)
                await session.commit()
        return counts

    async def close(self) -> None:
        # batches still being written (a webhook cancelled at the shutdown timeout leaves its batch's writer running)
        # finish before their connections close, rather than failing half-way
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self.direct is not None:
            self.direct.close()
        if self.pg_direct is not None:
            await self.pg_direct.close()


def pg_ack(database_url: str, writers: int) -> DirectStatement:
    """PostgreSQL: the webhook ack's statement on asyncpg's own pool of `writers` connections."""
    return DirectStatement(database_url, accept_statement(), pool_size=writers, server_settings=pg_server_settings())


def direct_insert(database_url: str) -> DirectInsert | None:
    """The direct ack writer for a SQLite file database; None for PostgreSQL and in-memory SQLite."""
    path = sqlite_file(database_url)
    if path is None:
        return None
    table: Any = InboundEvent.__table__  # type: ignore[attr-defined]
    seen_table: Any = SeenEvent.__table__  # type: ignore[attr-defined]
    seen = DirectInsert(path, seen_table, ("channel", "event_hash"), ("channel", "event_hash"), chunk=ACCEPT_CHUNK)
    return DirectInsert(path, table, ("channel", "event_id"), ("channel", "event_id"), chunk=ACCEPT_CHUNK,
                        seen=seen)
