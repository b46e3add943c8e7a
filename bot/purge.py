"""The nightly retention purge: a background task of the app, beside the reminder sweeper (bot/reminders.py).

Once a night, at `PURGE_HOUR` hospital time or at the first poll after it, the service runs
`store.privacy.purge_expired` with RETENTION_DAYS and writes an audit row (actor `system:purge`) in the
transaction of its last batch; media files are removed after each commit. Expired patients are erased
`BATCH` at a time, each batch its own transaction (one patient's erase is always whole), so that a first
night with thousands of them never holds the SQLite write gate, and so the webhooks, for minutes.

One run per night across instances: a batch runs only while the audit log holds no purge since tonight's
slot began, and on PostgreSQL a transaction advisory lock makes that check and the batch one step (on
SQLite the app's write gate does).

A failed batch rolls back (batches committed before it stay), is counted in /metrics
(`pv_purge_runs_total{result="failed"}`), is pinged once a night to the director (the committee when no
director is registered) through the outbox, and the run is retried every `RETRY_AFTER` until it succeeds.

A service that starts up after a night it missed (it had purged before, not since the last slot) runs at
once; a database that was never purged waits for the coming night.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime, time, timedelta

from aiohttp import web
from sqlalchemy import text
from sqlmodel import col, select

from bot.background import PollingTask
from bot.keys import GATE, METRICS, SERVICES, WORKERS
from bot.metrics import Metrics
from bot.settings import Settings
from handlers.messages import Outbound
from handlers.services import Services
from store import audit
from store.models import AuditLog, ChannelIdentity, Staff
from store.outbox import enqueue
from store.periods import BANGKOK, thai_date
from store.privacy import Erasure, Quotes, purge_expired, remove_media

log = logging.getLogger(__name__)

PURGE_HOUR = 2  # hospital time: the quietest hour
RETRY_AFTER = timedelta(hours=1)
ACTOR = "system:purge"
ACTION = "patient.purge"
LOCK_KEY = 0x5055_5247  # "PURG": the PostgreSQL advisory lock of the nightly run
BATCH = 25  # patients per transaction: about 1 s of the SQLite write gate on a busy 2-core machine


def slot_of(now: datetime) -> datetime:
    """The start of the purge night `now` belongs to (the latest PURGE_HOUR, hospital time, not after now)."""
    local = now.astimezone(BANGKOK)
    start = datetime.combine(local.date(), time(PURGE_HOUR), tzinfo=BANGKOK)
    if local < start:
        start -= timedelta(days=1)
    return start


class NightlyPurge(PollingTask):
    """Checks every `poll_seconds` (in memory) whether tonight's purge is due; `run_once` is what tests call."""

    name = "nightly-purge"

    def __init__(self, services: Services, *, metrics: Metrics, poll_seconds: float,
                 write_lock: Callable[[], contextlib.AbstractAsyncContextManager[None]] | None = None,
                 on_ping: Callable[[], None] = lambda: None) -> None:
        self.services = services
        self.metrics = metrics
        super().__init__(poll_seconds=poll_seconds)
        self.write_lock = write_lock or contextlib.nullcontext
        self.on_ping = on_ping
        self._done: datetime | None = None  # the slot whose run succeeded (here or in another instance)
        self._retry_at: datetime | None = None
        self._one_at_a_time = asyncio.Lock()  # the loop and a caller (tests, a future admin hook) never overlap

    async def run_once(self) -> dict[str, int] | None:
        """Run tonight's purge unless done or waiting to retry; the counts when this call purged."""
        async with self._one_at_a_time:
            return await self._run_once()

    async def _run_once(self) -> dict[str, int] | None:
        now = self.services.clock()
        slot = slot_of(now)
        if self._done is None:  # first look since start: catch up only on a night missed after earlier runs
            self._done = slot if not await self._missed(slot) else slot - timedelta(days=1)
        if self._done >= slot or (self._retry_at is not None and now < self._retry_at):
            return None
        try:
            counts = await self._purge(now, slot)
        except Exception:
            log.exception("nightly purge failed; retrying in %s", RETRY_AFTER)
            self.metrics.purge.labels("failed").inc()
            self._retry_at = now + RETRY_AFTER
            await self._ping_failure(now, slot)
            return None
        self._done, self._retry_at = slot, None
        return counts

    async def _missed(self, slot: datetime) -> bool:
        async with self.services.sessions() as session:
            last = (await session.exec(
                select(AuditLog.at).where(AuditLog.action == ACTION, AuditLog.actor == ACTOR)
                .order_by(col(AuditLog.at).desc()).limit(1)
            )).first()
        return last is not None and last < slot

    async def _purge(self, now: datetime, slot: datetime) -> dict[str, int] | None:
        """Tonight's purge in batches of BATCH patients, each its own transaction, so that webhooks and replies
        wait at most one batch (on SQLite, writers queue at one gate); the audit row commits with the last."""
        settings = self.services.settings
        total = Erasure()
        quotes = Quotes()  # the erased texts of every batch, looked for in staff messages by the last one
        removed = 0
        more = True
        while more:
            async with self.write_lock(), self.services.sessions() as session:
                if (await session.connection()).dialect.name == "postgresql":
                    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
                already = (await session.exec(
                    select(AuditLog.id).where(AuditLog.action == ACTION, AuditLog.actor == ACTOR,
                                              col(AuditLog.at) >= slot).limit(1)
                )).first()
                if already is not None:  # another instance purged tonight
                    return None
                done = await purge_expired(session, now=now, retention_days=settings.retention_days, limit=BATCH,
                                            quotes=quotes, draft_keep_days=settings.draft_keep_days)
                more = bool(done.counts.pop("more", 0))
                total.add(done)
                if not more:
                    audit.record(session, actor=ACTOR, channel="system", action=ACTION, detail=total.counts, at=now)
                await session.commit()
            removed += await asyncio.to_thread(remove_media, settings.media_dir, done.files)
        self.metrics.purge.labels("ok").inc()
        self.metrics.purge_last_success.set(now.timestamp())
        log.info("nightly purge done: %s patients erased, %s media files removed", total.counts.get("patients", 0),
                 removed)
        return total.counts

    async def _ping_failure(self, now: datetime, slot: datetime) -> None:
        """Tell the director (once a night per chat); the committee when no director is registered."""
        try:
            async with self.write_lock(), self.services.sessions() as session:
                chats: list[ChannelIdentity] = []
                for role in ("director", "committee"):
                    query = (
                        select(ChannelIdentity)
                        .join(Staff, col(Staff.id) == col(ChannelIdentity.staff_id))
                        .where(Staff.role == role, col(Staff.active), col(Staff.revoked_at).is_(None),
                               col(ChannelIdentity.followed))
                        .order_by(col(ChannelIdentity.id))
                    )
                    chats = list((await session.exec(query)).all())
                    if chats:
                        break
                message = Outbound(self.services.catalogue("privacy.purge_failed", date=thai_date(slot.date())))
                for chat in chats:
                    await enqueue(session, channel=chat.channel, chat_id=chat.external_id, messages=[message],
                                  now=now, dedupe_key=f"purge-failed:{slot.date().isoformat()}:{chat.id}")
                await session.commit()
        except Exception:
            log.exception("nightly purge: the failure ping could not be queued")
            return
        self.on_ping()


PURGE = web.AppKey("nightly_purge", NightlyPurge)


def install_purge(app: web.Application, settings: Settings, *, enabled: bool = True) -> None:
    """Add the nightly purge as its own cleanup_ctx, started after the database's and stopped before it."""

    async def purge(app: web.Application) -> AsyncIterator[None]:
        def wake_outbox() -> None:
            if WORKERS in app:
                app[WORKERS].outbox.wake()

        job = NightlyPurge(app[SERVICES], metrics=app[METRICS], poll_seconds=settings.worker_poll_seconds,
                           write_lock=app[GATE].hold if GATE in app else None, on_ping=wake_outbox)
        app[PURGE] = job
        if enabled:
            job.start()
        yield
        await job.stop()

    app.cleanup_ctx.append(purge)
