"""Two service instances on one PostgreSQL database: every event handled once, every message sent once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings
from tests.channels.helpers import inbox, outbox
from tests.fakes.databases import drop_database
from tests.fakes.databases import pg_database as new_pg_database
from tests.fakes.harness import running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock

pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg_database() -> AsyncIterator[str]:
    """A PostgreSQL database of this test's own (the app takes a plain URL), migrated, dropped afterwards."""
    url = await new_pg_database()
    yield url
    await drop_database(url)


async def test_two_instances_share_the_work_without_doubles(
    pg_database: str, settings: Settings, clock: MovableClock, fake_line: FakeLine, fake_telegram: FakeTelegram
) -> None:
    """Events sent to either of two instances on one database are each handled exactly once and each
    answer is delivered exactly once (no reply token used twice, no message repeated)."""
    shared = settings.model_copy(update={"database_url": pg_database})
    async with (
        running_service(shared, clock, line=fake_line, telegram=fake_telegram) as one,
        running_service(shared, clock, line=fake_line, telegram=fake_telegram) as two,
    ):
        sends = [(one if i % 2 else two).line_text(f"U{i % 6}", "สวัสดีครับ") for i in range(16)]
        sends += [(two if i % 2 else one).telegram_text(100 + i % 4, "สวัสดีครับ") for i in range(8)]
        await asyncio.gather(*sends)
        await one.settle(timeout=60)
        await two.settle(timeout=60)
        rows = await inbox(one)
        assert len(rows) == 24
        assert {(r.status, r.attempts) for r in rows} == {("done", 1)}
        sent = await outbox(one)
        assert {r.status for r in sent} == {"sent"}
        expected = sum(len(r.payload["messages"]) for r in sent)
        assert len(fake_line.sent) + len(fake_telegram.sent) == expected
        replies = [c.body["replyToken"] for c in fake_line.calls("/reply")]
        assert len(replies) == len(set(replies))
