"""One long complaint's NLP, or one sender's flood, never holds up other patients: the analysis runs with no
transaction or write lock held and outside the worker's step, and each sender is rate-limited (issue 15,
item 14). Speed itself is measured in bench/nlp_delay.py."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from bot.app import SERVICES
from bot.settings import Settings
from handlers.services import INLINE_CHARS
from store.db import sqlite_file
from store.models import Case, Feedback, InboundEvent
from tests.channels.helpers import inbox
from tests.fakes.databases import any_database, pg_template  # noqa: F401  # fixtures
from tests.fakes.harness import Service, running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.flows.test_channels import Patient, walk_complaint, walk_survey
from tests.support import MovableClock

MARKER = "ห้องน้ำชั้นสามสกปรกมากและไม่มีสบู่"
# Longer than INLINE_CHARS: a short text is analysed in place (about a millisecond), a long one never inside a
# transaction.
LONG_COMPLAINT = MARKER + " " + "รอคิวนานมากและไม่มีใครมาทำความสะอาดเลยทั้งวัน " * 6
SLOW_DOWN = "ถี่เกินไป"


@pytest.fixture
async def svc(any_database: Settings, clock: MovableClock, fake_line: FakeLine,  # noqa: F811  # the fixture
              fake_telegram: FakeTelegram) -> AsyncIterator[Service]:
    async with running_service(any_database, clock, line=fake_line, telegram=fake_telegram) as running:
        yield running


class HeldAnalysis:
    """Wraps the service's analyser: an analysis of a text with MARKER waits until released."""

    def __init__(self, analyzer: Any) -> None:
        self.original = analyzer.analyse
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def __call__(self, text_: str, ratings: Any = None, question: str | None = None) -> Any:
        if MARKER in text_:
            self.calls += 1
            self.started.set()
            self.release.wait(30)
        return self.original(text_, ratings, question)


async def transactions_open(svc: Service) -> int:
    """Write transactions held on the service's database right now (by anyone else)."""
    path = sqlite_file(svc.settings.database_url)
    if path is not None:
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")  # fails at once while another connection holds the write lock
            probe.execute("ROLLBACK")
            return 0
        except sqlite3.OperationalError:
            return 1
        finally:
            probe.close()
    async with svc.sessions() as session:
        query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                     "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()")
        return int((await session.execute(query)).scalar_one())


async def a_moment_with_no_transaction(svc: Service, tries: int = 200) -> bool:
    """The other workers (outbox, reminders) open short transactions now and then; the analysed event's own
    would be open all along. True once no transaction is seen."""
    for _ in range(tries):
        if await transactions_open(svc) == 0:
            return True
        await asyncio.sleep(0.01)
    return False


@pytest.mark.slow  # 6–30 s (chat pacing, training, long flows): runs in make test, not make check
async def test_long_analysis_holds_no_lock_and_delays_no_one(svc: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    """While a complaint's analysis runs, no transaction or write lock is held and another patient is answered;
    the complaint is then filed once, from one analysis."""
    analyzer = await svc.app[SERVICES].analyzer()
    held = HeldAnalysis(analyzer)
    monkeypatch.setattr(analyzer, "analyse", held)
    await svc.line_follow("U-long")
    await svc.line_postback("U-long", "consent:yes")
    await svc.line_postback("U-long", "complaint")
    assert len(LONG_COMPLAINT) > INLINE_CHARS
    await svc.line_text("U-long", LONG_COMPLAINT)
    await svc.line_postback("U-long", "complaint:done")
    await svc.line_postback("U-long", "complaint:skipdept")
    await svc.settle()
    await svc.line_postback("U-long", "complaint:anon")
    assert await asyncio.to_thread(held.started.wait, 20)
    try:
        assert await a_moment_with_no_transaction(svc)
        await svc.line_postback("U-other", "menu")
        assert await svc.line.messages_to("U-other", wait_for=1, timeout=10)
    finally:
        held.release.set()
    await svc.settle(timeout=20)
    told = [m.text for m in await svc.line.messages_to("U-long") if "2570-0001" in m.text]
    assert len(told) == 1 and held.calls == 1
    async with svc.sessions() as session:
        assert len((await session.exec(select(Case))).all()) == 1


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_a_flood_is_acknowledged_but_not_processed(any_database: Settings,  # noqa: F811  # the fixture
                                                        clock: MovableClock, fake_line: FakeLine,
                                                        fake_telegram: FakeTelegram) -> None:
    """Beyond SENDER_BURST, one sender's further messages are acknowledged (200, stored as skipped) but not put
    into the complaint, and the sender is asked once, in Thai, to slow down; others are unaffected and the
    bucket refills with time."""
    limited = any_database.model_copy(update={"sender_burst": 6, "sender_per_minute": 6})
    async with running_service(limited, clock, line=fake_line, telegram=fake_telegram) as svc:
        await svc.line_follow("U-flood")
        await svc.line_postback("U-flood", "consent:yes")
        await svc.line_postback("U-flood", "complaint")
        for i in range(10):
            await svc.line_text("U-flood", f"ข้อความที่ {i} รอนานมาก")
        await svc.line_postback("U-calm", "menu")
        await svc.settle()
        rows = await inbox(svc)
        refused = [r for r in rows if r.error == "over the sender's rate"]
        # six tokens: consent, complaint and four texts; the other six texts are refused
        assert len(refused) == 6 and all(r.status == "skipped" for r in refused)
        to_flooder = [m.text for m in await svc.line.messages_to("U-flood")]
        assert sum(SLOW_DOWN in t for t in to_flooder) == 1
        assert await svc.line.messages_to("U-calm", wait_for=1)
        clock.advance(minutes=1)  # six more tokens
        await svc.line_postback("U-flood", "complaint:done")
        await svc.line_postback("U-flood", "complaint:skipdept")
        await svc.line_postback("U-flood", "complaint:anon")
        await svc.settle()
        async with svc.sessions() as session:
            case = (await session.exec(select(Case))).one()
            handled = (await session.exec(select(InboundEvent).where(col(InboundEvent.status) == "done"))).all()
        # follow (not limited), six within the burst, U-calm's press, three after the refill
        assert case.number == "2570-0001" and len(handled) == 1 + 6 + 1 + 3
        assert "ข้อความที่ 4" not in (await session.get(Feedback, case.feedback_id)).text  # type: ignore[union-attr]


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_a_whole_survey_and_complaint_never_hit_the_limit(service: Service) -> None:
    """A patient tapping through the whole survey and a complaint at once (all in the same instant) is never
    limited; the same patient sending far more at that instant is."""
    p = Patient(service, "line", "U-tapper")
    await service.line_follow("U-tapper")
    p.seen = len(await service.line.messages_to("U-tapper", wait_for=3))
    await walk_survey(p)
    await walk_complaint(p)
    assert not any(SLOW_DOWN in m.text for m in await service.line.messages_to("U-tapper"))
    for _ in range(40):
        await service.line_postback("U-tapper", "menu")
    await service.settle(timeout=30)
    assert sum(SLOW_DOWN in m.text for m in await service.line.messages_to("U-tapper")) == 1
