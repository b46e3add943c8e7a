"""The reminder sweeper (a background task of the app) and the `reminders` / `policy` commands.

The sweeper sends every reminder that is due by the app's clock (`services.clock`), one committed batch
at a time (see store/reminders.py for how rows are claimed exactly once across instances), and closes the
complaints whose patient did not confirm the fix in time (handlers.case_updates.close_unanswered). It runs in
every instance; the row locks make that safe.

Between passes it sleeps until the next reminder or confirm deadline falls due (read with the idle check, one
statement), at least `WORKER_POLL_SECONDS` and at most `IDLE_MAX`, and wakes early when a transaction that
scheduled something commits: in this process through store.reminders `on_scheduled`, from other processes on
PostgreSQL through `LISTEN pv_reminders` on a connection of its own (when the server ends it, its end wakes the
sweeper, which opens it again and looks at once; a connection that dies silently is bounded by `IDLE_MAX`). It
used to read every `WORKER_POLL_SECONDS` in every process whatever was due: 3.5 % of a worker's CPU in the burst
benchmark at 0.2 s (bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import socket
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

import asyncpg
from aiohttp import web
from sqlalchemy import func, select
from sqlmodel import col

from bot.background import PollingTask
from bot.keys import GATE, SERVICES, WORKERS
from bot.settings import Settings
from handlers.case_updates import close_unanswered
from handlers.hospital import hospital_for
from handlers.notifications import reminder_renderer
from handlers.services import Services
from store.db import pg_server_settings
from store.models import Case, Reminder
from store.periods import BANGKOK, thai_date
from store.pg_direct import connect_args
from store.policy import Policy
from store.reminders import NOTIFY_CHANNEL, PENDING, due_by, on_scheduled, sweep
from store.statuses import CaseStatus

log = logging.getLogger(__name__)

Runner = Callable[[argparse.Namespace, Settings], int]


IDLE_MAX = 30.0  # seconds an idle sweeper sleeps at most (a wake lost with the LISTEN connection; a moved clock)
LISTEN_TIMEOUT = 5.0  # seconds to open the LISTEN connection before trying again at the next pass


class ReminderSweeper(PollingTask):
    """Sends due reminders, then sleeps until the next is due or it is woken; `run_once` is what tests call with a
    moved clock."""

    name = "reminders"

    def __init__(self, services: Services, *, policy: Policy, poll_seconds: float, worker: str | None = None,
                 on_sent: Callable[[], None] = lambda: None,
                 write_lock: Callable[[], contextlib.AbstractAsyncContextManager[None]] | None = None,
                 idle_max: float = IDLE_MAX, listen_url: str | None = None, listen_schema: str | None = None) -> None:
        self.services = services
        # SQLite: the app's write gate (one writer at a time, webhooks first); PostgreSQL: no lock.
        self.write_lock = write_lock or contextlib.nullcontext
        self.policy = policy
        super().__init__(poll_seconds=poll_seconds)
        self.worker = worker or f"{socket.gethostname()[:40]}:{os.getpid()}"
        self.on_sent = on_sent
        self.idle_max = max(idle_max, poll_seconds)
        self.next_due: datetime | None = None  # the earliest reminder or confirm deadline after the last pass
        self.passes = 0  # idle checks made by `run` (tests, the bench)
        self.listen_url = listen_url  # PostgreSQL: the database whose NOTIFYs wake this sweeper
        self.listen_schema = listen_schema  # its search path when not the role's own (tests)
        self._woken: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: asyncpg.Connection | None = None
        self._stop_hook: Callable[[], None] | None = None

    async def run_once(self) -> int:
        """Complaints whose patient did not confirm the fix by its time close themselves (handlers.case_updates),
        then due reminders go out. What there is to do is read first, in one statement (an idle sweep: one
        round trip, no write lock): the earliest pending reminder and the earliest confirm deadline."""
        now = self.services.clock()
        next_reminder = select(func.min(Reminder.due_at)).where(col(Reminder.status) == PENDING).scalar_subquery()
        next_close = select(func.min(Case.confirm_due_at)).where(
            col(Case.status) == CaseStatus.AWAITING_PATIENT).scalar_subquery()
        async with self.services.sessions() as session:
            reminder_at, close_at = (await session.execute(select(next_reminder, next_close))).one()
        closed = n = 0
        if close_at is not None and close_at <= now:
            async with self.write_lock():
                closed = await close_unanswered(self.services, now=now)
        if reminder_at is not None and reminder_at <= now:
            async with self.write_lock():
                n = await sweep(self.services.sessions, now=now, render=reminder_renderer(self.services.catalogue),
                                worker=self.worker, policy=self.policy)
        if closed or n:
            self.next_due = now  # what it sent may have scheduled the next (a chain): look again after a poll
            self.on_sent()
        else:
            self.next_due = min((t for t in (reminder_at, close_at) if t is not None), default=None)
        return n

    def wake(self) -> None:
        """Look again now (something was scheduled, or a test moved the clock). From any thread."""
        if self._woken is not None and self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._woken.set)

    def _wait(self) -> float:
        """Seconds until the next pass: until what is due next, within [poll_seconds, idle_max]."""
        if self.next_due is None:
            return self.idle_max
        left = (self.next_due - self.services.clock()).total_seconds()
        return min(self.idle_max, max(self.poll_seconds, left))

    async def run(self) -> None:
        self._woken = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._stop_hook = on_scheduled(self.wake)
        while True:
            self._woken.clear()
            await self._listen()  # never raises: without LISTEN the sweeper wakes on its idle timer
            self.passes += 1
            try:
                await self.run_once()
            except Exception:  # e.g. the database away: look again at the next poll
                log.exception("%s failed; trying again after the poll interval", self.name)
                self.next_due = self.services.clock()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), self._wait())

    async def _listen(self) -> None:
        """PostgreSQL: `LISTEN pv_reminders` on a connection of the sweeper's own, opened (again) when needed."""
        if self.listen_url is None or (self._listener is not None and not self._listener.is_closed()):
            return
        try:
            self._listener = listener = await asyncpg.connect(
                **connect_args(self.listen_url), timeout=LISTEN_TIMEOUT,
                server_settings=pg_server_settings(self.listen_schema))
            schema = await listener.fetchval("SELECT current_schema()")

            def notified(_connection: Any, _pid: int, _channel: str, payload: str) -> None:
                if payload == schema:  # not another schema's sweepers in the same database
                    self.wake()

            await listener.add_listener(NOTIFY_CHANNEL, notified)
            # its end (a restart, a failover, pg_terminate_backend) wakes the sweeper, which opens LISTEN again and
            # looks at once, instead of noticing at its next pass up to IDLE_MAX later with the NOTIFYs between lost
            listener.add_termination_listener(lambda _connection: self.wake())
        except Exception as exc:  # any failure (a restart mid-open: InterfaceError; a URL option asyncpg's connect
            # does not take: TypeError) must leave the sweeper running on its idle timer, never end its task
            log.warning("reminders: LISTEN not open (%s); waking every %.0f s until it is", type(exc).__name__,
                        self.idle_max)
            await self._close_listener()

    async def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(listener.close(), LISTEN_TIMEOUT)
            listener.terminate()

    async def stop(self) -> None:
        await super().stop()
        if self._stop_hook is not None:
            self._stop_hook()
            self._stop_hook = None
        await self._close_listener()


SWEEPER = web.AppKey("reminder_sweeper", ReminderSweeper)


def install_reminders(app: web.Application, settings: Settings, policy: Policy, *, enabled: bool = True) -> None:
    """Add the sweeper as its own cleanup_ctx, started after the database's and stopped before it."""

    async def reminders(app: web.Application) -> AsyncIterator[None]:
        def wake_outbox() -> None:  # the pings go out now rather than at the sender's next poll
            if WORKERS in app:
                app[WORKERS].outbox.wake()

        sweeper = ReminderSweeper(app[SERVICES], policy=policy, poll_seconds=settings.worker_poll_seconds,
                                  on_sent=wake_outbox, write_lock=app[GATE].hold if GATE in app else None,
                                  listen_url=None if settings.is_sqlite else settings.database_url)
        app[SWEEPER] = sweeper
        if enabled:
            sweeper.start()
        yield
        await sweeper.stop()

    app.cleanup_ctx.append(reminders)


# --- command line ---------------------------------------------------------------------------------


def _parse_at(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    return at if at.tzinfo else at.replace(tzinfo=BANGKOK)  # a bare time is hospital time


def reminders_command(parser: argparse.ArgumentParser) -> Runner:
    sub = parser.add_subparsers(dest="reminders_command", required=True)
    due = sub.add_parser("due", help="dry run: what would be sent by --at (nothing is sent)")
    due.add_argument("--at", required=True, type=_parse_at,
                     help="ISO 8601 time, e.g. 2026-12-01T09:00:00+07:00 (no offset = Bangkok time)")
    due.add_argument("--json", action="store_true", help="print JSON instead of a table")
    send = sub.add_parser("send", help="send what is due now (or by --at) once, then exit (cron-style)")
    send.add_argument("--at", type=_parse_at, help="pretend the time is this (tests, catch-up)")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from store.db import make_engine, make_session_factory
        from store.types import utcnow

        policy = hospital_for(settings).policy  # a bad file: python -m bot's main reports it

        async def go() -> int:
            engine = make_engine(settings.database_url)
            sessions = make_session_factory(engine)
            try:
                if args.reminders_command == "send":
                    render = reminder_renderer(hospital_for(settings).catalogue)
                    n = await sweep(sessions, now=args.at or utcnow(), render=render, worker=f"cli:{os.getpid()}",
                                    policy=policy)
                    print(f"{n} reminder(s) processed")
                    return 0
                async with sessions() as session:
                    upcoming = await due_by(session, at=args.at, policy=policy)
            finally:
                await engine.dispose()
            if args.json:
                print(json.dumps([u.to_dict() for u in upcoming], ensure_ascii=False, indent=1))
                return 0
            if not upcoming:
                print(f"nothing due by {thai_date(args.at)}")
            for u in upcoming:
                people = ", ".join(f"{r.staff_name or r.staff_id} ({r.channel})" for r in u.recipients) or "-"
                print(f"{thai_date(u.due_at):<23} {u.case_number:<10} {u.kind:<16} {u.recipient_role:<10} {people}")
            return 0

        return asyncio.run(go())

    return run


def policy_command(parser: argparse.ArgumentParser) -> Runner:
    parser.add_argument("--json", action="store_true",
                        help='print {"A": {"report_within": "P7D", …}, …, "SE": {…}} (ISO 8601 durations)')

    def run(args: argparse.Namespace, settings: Settings) -> int:
        policy = hospital_for(settings).policy
        if args.json:
            print(json.dumps(policy.to_dict(), ensure_ascii=False, indent=1))
            return 0
        print(f"# {policy.source}")
        print(f"{'severity':<9}{'risk':<6}{'report':<10}{'resolve':<10}{'director':<10}review")
        for code, rule in policy.severities.items():
            print(f"{code:<9}{rule.risk_level:<6}{rule.report_within.iso():<10}{rule.resolve_within.iso():<10}"
                  f"{'yes' if rule.notify_director else '-':<10}{rule.review}")
        print(json.dumps(policy.rules_dict(), ensure_ascii=False, indent=1))
        return 0

    return run
