"""The platforms misbehave: 30 % of calls fail with a 5xx and 10 % with 429 (Retry-After) — and on LINE half
the push 5xx come after LINE did the work (a lost response). Everything is still delivered exactly once."""

from __future__ import annotations

import uuid

import pytest

from tests.fakes.harness import Service
from tests.robustness.helpers import expected_per_chat, flaky, received, statuses
from tests.support import MovableClock

CHATS = 8


async def _line_text(service: Service, user: str, text: str, *, reply: bool) -> None:
    """A LINE text event; without a reply token (reply=False) its answer goes by push, with a retry key."""
    message = {"id": uuid.uuid4().hex[:12], "type": "text", "text": text, "quoteToken": "q"}
    await service.line_events(service.line_event("message", user, reply=reply, message=message))


async def _drain(service: Service, clock: MovableClock) -> None:
    """Let retries fall due (movable clock) until no inbox event or outbox message is unfinished."""
    for _ in range(400):
        await service.settle()
        inbox, outbox = await statuses(service.sessions)
        if not (inbox["pending"] + inbox["processing"] + outbox["pending"] + outbox["sending"]):
            return
        clock.advance(seconds=3)
        service.kick()
    raise AssertionError(f"not drained: {inbox} {outbox}")


@pytest.mark.slow
async def test_flaky_platforms_deliver_everything_exactly_once(service: Service, clock: MovableClock) -> None:
    """With 30 % 5xx and 10 % 429 on every send (and lost LINE push answers), every answer of every event
    reaches its chat exactly once, in order, and nothing ends failed."""
    line_faults = flaky(service.line, seed=11, lost_answers=True)
    tg_faults = flaky(service.telegram, seed=12)
    for text in ("สวัสดีครับ", "รอรับยานานมากครับ สามชั่วโมงแล้ว"):
        for i in range(CHATS):
            await _line_text(service, f"U-flaky-{i}", text, reply=i % 2 == 0)
            await service.telegram_text(9100 + i, text)
    await _drain(service, clock)

    inbox, outbox = await statuses(service.sessions)
    assert inbox == {"done": 4 * CHATS}
    assert set(outbox) == {"sent"}, outbox
    assert sum(line_faults.values()) > 5 and sum(tg_faults.values()) > 5  # the faults really happened
    assert line_faults["429"] and tg_faults["429"] and any("lost" in k for k in line_faults)
    expected = await expected_per_chat(service.sessions)
    assert len(expected) == 2 * CHATS
    for (channel, chat), texts in expected.items():
        fake = service.line if channel == "line" else service.telegram
        assert received(fake, chat) == texts, f"{channel} {chat}"
