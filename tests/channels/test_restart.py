"""Durability: an event accepted by an instance that dies before answering is answered after restart."""

from __future__ import annotations

from bot.app import DISPATCHER, METRICS, SERVICES
from bot.pipeline import InboxWorker
from bot.settings import Settings
from tests.channels.helpers import inbox
from tests.fakes.harness import running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock


async def test_accepted_events_are_answered_after_restart(
    settings: Settings, clock: MovableClock, fake_line: FakeLine, fake_telegram: FakeTelegram
) -> None:
    """Events accepted (200) by an instance whose workers never ran are answered by the next instance
    on the same database — once."""
    async with running_service(settings, clock, workers=False, line=fake_line, telegram=fake_telegram) as first:
        await first.line_text("U1", "สวัสดีครับ")
        await first.telegram_text(1, "สวัสดีครับ")
        assert [row.status for row in await inbox(first)] == ["pending", "pending"]
    assert fake_line.sent == [] and fake_telegram.sent == []

    async with running_service(settings, clock, line=fake_line, telegram=fake_telegram) as second:
        line_msgs = await fake_line.messages_to("U1", wait_for=3)
        tg_msgs = await fake_telegram.messages_to(1, wait_for=3)
        assert "สวัสดีค่ะ" in line_msgs[0].text and "สวัสดีค่ะ" in tg_msgs[0].text
        await second.settle()
        assert [row.status for row in await inbox(second)] == ["done", "done"]
        assert len(fake_line.sent) == len(line_msgs)


async def test_event_left_processing_by_a_dead_worker_is_taken_over(
    settings: Settings, clock: MovableClock, fake_line: FakeLine, fake_telegram: FakeTelegram
) -> None:
    """An event leased by a worker that died mid-way is handled by another once the lease has expired."""
    async with running_service(settings, clock, workers=False, line=fake_line, telegram=fake_telegram) as first:
        await first.line_text("U1", "สวัสดีครับ")
        dying = InboxWorker(services=first.app[SERVICES], dispatcher=first.app[DISPATCHER],
                            adapters={"line": object()},  # type: ignore[dict-item]  # claim only reads the keys
                            metrics=first.app[METRICS], media_dir=settings.media_dir)
        assert len(await dying.claim()) == 1  # … and the instance dies before handling it
    async with running_service(settings, clock, line=fake_line, telegram=fake_telegram) as second:
        (row,) = await inbox(second)
        assert row.status == "processing"
        clock.advance(minutes=3)  # the lease runs out
        second.kick()
        await fake_line.messages_to("U1", wait_for=3)
        await second.settle()
        (row,) = await inbox(second)
        assert (row.status, row.attempts) == ("done", 2)


async def test_late_answer_is_pushed_not_replied(
    settings: Settings, clock: MovableClock, fake_line: FakeLine, fake_telegram: FakeTelegram
) -> None:
    """An event handled after its reply token has lapsed (the service was down a while) is answered by
    push, without a doomed reply attempt."""
    async with running_service(settings, clock, workers=False, line=fake_line, telegram=fake_telegram) as first:
        await first.line_text("U1", "สวัสดีครับ")
    clock.advance(minutes=10)
    async with running_service(settings, clock, line=fake_line, telegram=fake_telegram) as second:
        await fake_line.messages_to("U1", wait_for=3)
        await second.settle()
    assert fake_line.calls("/reply") == []
    assert {m.via for m in fake_line.sent} == {"push"}
