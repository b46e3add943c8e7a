"""The outbox sender: delivers `outbound_messages` rows once, in order per chat.

A row is claimed like an inbox event (oldest unsent row of each chat, a lease, FOR UPDATE SKIP LOCKED
on PostgreSQL, a conditional UPDATE so two senders never both win). Each channel's transport renders the
channel-neutral messages and sends them in parts (≤ 5 messages per LINE call; Telegram one message per
call); after each part the row records its progress, so a retry never repeats a part already accepted.

- transient failures (5xx, timeouts, connection errors) → retried with exponential backoff;
- LINE 429 / Telegram RetryAfter → retried after the time the platform asks for;
- LINE pushes carry `X-Line-Retry-Key`; 409 means LINE already accepted that key → counted as sent;
- a reply token is used while fresh (REPLY_TOKEN_LIFETIME), otherwise the row is pushed;
- anything else (4xx), or `OUTBOX_MAX_ATTEMPTS` used up → status failed with `last_error`, a log line and
  the `pv_outbound_messages{result="failed"}` metric. Nothing is dropped silently.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam, select, update

from bot.metrics import Metrics
from bot.pipeline import LeasedQueue, WriteGate
from bot.settings import settings_of
from handlers.services import Services
from store.leases import leased_params, leased_rows
from store.models import OutboundMessage
from store.outbox import OutboxItem, without_one_time_links
from store.pg_direct import execute, execute_many

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
BATCH = 32
CONCURRENCY = 8  # sends in flight per instance (each needs a database connection now and then)
MAX_BACKOFF = 300.0

SaveProgress = Callable[[int], Awaitable[None]]


class Retry(Exception):  # a signal, not an error: send again later
    """A transient failure; `after` is the wait the platform asked for (seconds), if any."""

    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class Permanent(Exception):  # a signal: this row can never be sent
    """A failure that retrying cannot fix (4xx other than 409/429)."""


class Transport(Protocol):
    channel: str

    async def deliver(self, row: OutboxItem, *, now: datetime, progress: int, save: SaveProgress) -> None:
        """Send the parts of `row` from `progress` on, calling `save(n)` after each part but the last (the
        row is then marked sent); raise Retry or Permanent on failure."""


class RateLimiter:
    """Token buckets: `rate` sends per second with bursts of `burst`, per key. Real time, not the clock."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = asyncio.Lock()

    async def acquire(self, key: str = "") -> None:
        while True:
            async with self._lock:
                now = time.monotonic()
                tokens, last = self._buckets.get(key, (float(self.burst), now))
                tokens = min(float(self.burst), tokens + (now - last) * self.rate)
                if tokens >= 1:
                    self._buckets[key] = (tokens - 1, now)
                    return
                self._buckets[key] = (tokens, now)
                wait = (1 - tokens) / self.rate
            await asyncio.sleep(wait)


@dataclass
class Limits:
    """A platform's published limits: overall sends per second, and per chat (private / group)."""

    overall: RateLimiter
    per_chat: RateLimiter
    per_group: RateLimiter

    async def acquire(self, chat_id: str, *, group: bool) -> None:
        await (self.per_group if group else self.per_chat).acquire(chat_id)
        await self.overall.acquire()


def retry_key(row: OutboxItem, part: int) -> str:
    """A stable UUID per row and part: LINE's X-Line-Retry-Key must be a UUID, and each call needs its own."""
    try:
        base = uuid.UUID(row.retry_key)
    except ValueError:
        base = uuid.uuid5(uuid.NAMESPACE_URL, row.retry_key)
    return str(base if part == 0 else uuid.uuid5(base, str(part)))


_TABLE: Any = OutboundMessage.__table__  # type: ignore[attr-defined]  # Core: no ORM bookkeeping on the hot path
_MARK_SENT: dict[str, Any] = {}


def _mark_sent_statement(dialect: str) -> Any:
    """Delivered rows, each guarded by its lease (id and attempt), in one statement whose text is the same for
    any number of rows on PostgreSQL (store.leases `leased_rows`: array parameters), so asyncpg prepares it
    and PostgreSQL plans it once, not once per batch size."""
    stmt = _MARK_SENT.get(dialect)
    if stmt is None:
        stmt = _MARK_SENT[dialect] = (
            update(_TABLE)
            .where(leased_rows(_TABLE, dialect), _TABLE.c.status == "sending")
            .values(status="sent", sent_at=bindparam("now", type_=_TABLE.c.sent_at.type), locked_until=None,
                    last_error=None))
    return stmt


_UPDATES: dict[tuple[str, ...], Any] = {}


def _update_statement(columns: tuple[str, ...]) -> Any:
    """`UPDATE … SET <columns> WHERE` the row is still leased to us (sending, with our attempt number), built once
    per set of columns: a statement built per call cost its construction and cache key every time (a Telegram
    row of several messages saves its progress after each one)."""
    stmt = _UPDATES.get(columns)
    if stmt is None:
        stmt = _UPDATES[columns] = (
            update(_TABLE)
            .where(_TABLE.c.id == bindparam("row_id"), _TABLE.c.status == "sending",
                   _TABLE.c.attempts == bindparam("attempt"))
            .values({name: bindparam(f"v_{name}", type_=_TABLE.c[name].type) for name in columns}))
    return stmt


def _ours(row_id: int, attempt: int) -> tuple[Any, ...]:
    """A row still leased to us: sending, with our attempt number."""
    return _TABLE.c.id == row_id, _TABLE.c.status == "sending", _TABLE.c.attempts == attempt


class OutboxSender(LeasedQueue[OutboxItem]):
    model = OutboundMessage
    queue = ("channel", "chat_id")
    leased = "sending"
    lease = LEASE
    batch = BATCH

    def __init__(
        self,
        *,
        services: Services,
        transports: dict[str, Transport],
        metrics: Metrics,
        backoff_base: float = 2.0,
        gate: WriteGate | None = None,
    ) -> None:
        super().__init__(services, gate)
        self.transports = transports
        self.metrics = metrics
        self.backoff_base = backoff_base
        # Delivered, but the database was unreachable when we went to record it. Kept here and recorded first
        # thing on the next step, long before the lease would let anyone send the same rows again: a database
        # restart does not make a person get an answer twice (a killed process still can; bench/README.md).
        self._unrecorded: list[tuple[int, int, str]] = []
        self._saves: list[tuple[dict[str, Any], asyncio.Future[None]]] = []  # progress waiting to be written
        self._saving: asyncio.Task[None] | None = None

    @property
    def max_attempts(self) -> int:
        return settings_of(self.services).outbox_max_attempts

    async def step(self) -> bool:
        if self._unrecorded:
            await self._mark_sent(self._unrecorded)  # raises while the database is still away
            self._unrecorded = []
        claimed = await self.claim()
        if not claimed:
            return False
        limit = asyncio.Semaphore(CONCURRENCY)
        sent: list[tuple[int, int, str]] = []

        async def send(row_id: int, attempt: int) -> None:
            async with limit:
                await self.send(row_id, attempt, sent=sent)

        try:
            await asyncio.gather(*(send(row_id, attempt) for row_id, attempt in claimed))
        finally:  # what went out is recorded even when the step is cancelled (shutdown)
            try:
                await self._mark_sent(sent)
            except Exception:
                self._unrecorded = sent
                raise
        return True

    async def _mark_sent(self, sent: list[tuple[int, int, str]]) -> None:
        """Record delivered rows in one multi-row statement, each still guarded by its lease (its attempt)."""
        if not sent:
            return
        now = self.services.clock()
        async with self.gate.hold(), self.one_statement.connect() as connection:
            dialect = connection.dialect.name
            await execute(connection, _mark_sent_statement(dialect),
                          {**leased_params([(r, a) for r, a, _ in sent], dialect), "now": now})
        for channel, n in Counter(channel for _, _, channel in sent).items():
            self.metrics.count_outbound(channel, "sent", n)

    async def _save_progress(self, row_id: int, attempt: int, payload: dict[str, Any]) -> None:
        """Record a row's progress (its payload with `progress`: the parts that went) before its next part goes.
        Rows sending at the same time share one transaction (one executemany, like a group commit): a Telegram
        answer of several messages saves after each one, and these saves were the sender's most frequent
        statement (0.22 transactions per event in bench/burst.py). Each row still waits for its own save."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._saves.append(({"row_id": row_id, "attempt": attempt, "v_payload": payload}, done))
        if self._saving is None or self._saving.done():
            self._saving = asyncio.create_task(self._write_saves())
        await done

    async def _write_saves(self) -> None:
        while self._saves:  # saves that arrive while one batch is written go in the next
            batch, self._saves = self._saves, []
            try:
                async with self.gate.hold(), self.one_statement.connect() as connection:
                    await execute_many(connection, _update_statement(("payload",)), [params for params, _ in batch])
            except Exception as exc:  # the database is away: each row's send fails as its own save would have
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
            except BaseException:  # cancelled (shutdown): so are the waiters
                for _, done in [*batch, *self._saves]:
                    done.cancel()
                raise
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)

    def channels(self) -> list[str]:
        return list(self.transports)

    def kept(self, row: Any) -> OutboxItem:
        return OutboxItem.of(row)

    async def _update(self, row_id: int, attempt: int, **values: Any) -> bool:
        """Set `values` on a row still leased to us (its id with our attempt number); False when it is not."""
        params = {f"v_{name}": value for name, value in values.items()}
        async with self.gate.hold(), self.services.sessions() as session:
            connection = await session.connection()
            result = await connection.execute(_update_statement(tuple(values)),
                                              {"row_id": row_id, "attempt": attempt, **params})
            await session.commit()
            return result.rowcount == 1

    async def send(self, row_id: int, attempt: int, *, sent: list[tuple[int, int, str]] | None = None) -> None:
        """Deliver one claimed row. Delivered rows are marked sent here, or — given `sent` — appended to it for
        the caller to mark in one statement with the rest of its batch."""
        row = self._claimed.pop(row_id, None)
        if row is None:
            async with self.services.sessions() as session:
                found = (await session.execute(select(_TABLE).where(*_ours(row_id, attempt)))).first()
            if found is None:  # not ours (any more)
                return
            row = OutboxItem.of(found)
        transport = self.transports[row.channel]
        payload = dict(row.payload)

        async def save(progress: int) -> None:
            payload["progress"] = progress
            await self._save_progress(row_id, attempt, dict(payload))

        try:
            await transport.deliver(row, now=self.services.clock(), progress=int(payload.get("progress", 0)), save=save)
        except Retry as exc:
            await self._retry(row, attempt, str(exc), exc.after)
            return
        except Permanent as exc:
            await self._fail(row, attempt, str(exc))
            return
        except Exception as exc:  # a bug in rendering must not stop the sender; the row stays visible
            log.exception("outbox row %s: unexpected error", row_id)
            await self._fail(row, attempt, f"{type(exc).__name__}: {exc}")
            return
        blanked = without_one_time_links(payload)
        if blanked is not None:  # a sign-in link: recorded as sent without it, on its own
            if await self._update(row_id, attempt, status="sent", sent_at=self.services.clock(), locked_until=None,
                                  last_error=None, payload=blanked):
                self.metrics.count_outbound(row.channel, "sent")
            return
        if sent is not None:
            sent.append((row_id, attempt, row.channel))
            return
        await self._mark_sent([(row_id, attempt, row.channel)])

    async def _retry(self, row: OutboxItem, attempt: int, reason: str, after: float | None) -> None:
        if attempt >= self.max_attempts:
            await self._fail(row, attempt, f"gave up after {attempt} attempts: {reason}")
            return
        if after is None:
            after = min(self.backoff_base * 2 ** (attempt - 1), MAX_BACKOFF) * random.uniform(1.0, 1.1)  # noqa: S311  # jitter, not crypto
        log.info("outbox row %s (%s): retry in %.1fs: %s", row.id, row.channel, after, reason)
        await self._update(row.id, attempt, status="pending", locked_until=None, last_error=reason[:500],
                           next_attempt_at=self.services.clock() + timedelta(seconds=after))
        self.metrics.count_outbound(row.channel, "retry")

    async def _fail(self, row: OutboxItem, attempt: int, reason: str) -> None:
        log.warning("outbox row %s (%s) failed for good: %s", row.id, row.channel, reason)
        await self._update(row.id, attempt, status="failed", locked_until=None, last_error=reason[:500])
        self.metrics.count_outbound(row.channel, "failed")
