"""The reminder sweeper (a background task of the app) and the `reminders` / `policy` commands.

The sweeper sends every reminder that is due by the app's clock (`services.clock`), one committed batch
at a time (see store/reminders.py for how rows are claimed exactly once across instances), closes the
complaints whose patient did not confirm the fix in time (handlers.case_updates.close_unanswered), then waits
`WORKER_POLL_SECONDS`. It runs in every instance; the row locks make that safe.
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

from aiohttp import web
from sqlalchemy import exists, select

from bot.background import PollingTask
from bot.keys import GATE, SERVICES, WORKERS
from bot.settings import Settings
from handlers.case_updates import close_unanswered
from handlers.hospital import hospital_for
from handlers.notifications import reminder_renderer
from handlers.services import Services
from store.cases import unanswered_by
from store.periods import BANGKOK, thai_date
from store.policy import Policy
from store.reminders import due_by, due_now, sweep

log = logging.getLogger(__name__)

Runner = Callable[[argparse.Namespace, Settings], int]


class ReminderSweeper(PollingTask):
    """Sends due reminders every `poll_seconds`; `run_once` is what tests call with a moved clock."""

    name = "reminders"

    def __init__(self, services: Services, *, policy: Policy, poll_seconds: float, worker: str | None = None,
                 on_sent: Callable[[], None] = lambda: None,
                 write_lock: Callable[[], contextlib.AbstractAsyncContextManager[None]] | None = None) -> None:
        self.services = services
        # SQLite: the app's write gate (one writer at a time, webhooks first); PostgreSQL: no lock.
        self.write_lock = write_lock or contextlib.nullcontext
        self.policy = policy
        super().__init__(poll_seconds=poll_seconds)
        self.worker = worker or f"{socket.gethostname()[:40]}:{os.getpid()}"
        self.on_sent = on_sent

    async def run_once(self) -> int:
        """Complaints whose patient did not confirm the fix by its time close themselves (handlers.case_updates),
        then due reminders go out. What there is to do is read first, in one statement (an idle sweep: one
        round trip, no write lock; it polls every WORKER_POLL_SECONDS in every process)."""
        now = self.services.clock()
        query = select(exists().where(unanswered_by(now)), exists().where(due_now(now)))
        async with self.services.sessions() as session:
            to_close, due = (await session.execute(query)).one()
        closed = n = 0
        if to_close:
            async with self.write_lock():
                closed = await close_unanswered(self.services, now=now)
        if due:
            async with self.write_lock():
                n = await sweep(self.services.sessions, now=now, render=reminder_renderer(self.services.catalogue),
                                worker=self.worker, policy=self.policy)
        if closed or n:
            self.on_sent()
        return n


SWEEPER = web.AppKey("reminder_sweeper", ReminderSweeper)


def install_reminders(app: web.Application, settings: Settings, policy: Policy, *, enabled: bool = True) -> None:
    """Add the sweeper as its own cleanup_ctx, started after the database's and stopped before it."""

    async def reminders(app: web.Application) -> AsyncIterator[None]:
        def wake_outbox() -> None:  # the pings go out now rather than at the sender's next poll
            if WORKERS in app:
                app[WORKERS].outbox.wake()

        sweeper = ReminderSweeper(app[SERVICES], policy=policy, poll_seconds=settings.worker_poll_seconds,
                                  on_sent=wake_outbox, write_lock=app[GATE].hold if GATE in app else None)
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
