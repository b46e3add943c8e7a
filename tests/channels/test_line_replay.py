"""LINE webhooks have a replay window: a captured signed request sent again is refused, also after purge has
removed its events from the inbox (issue 15, item 15)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete
from sqlmodel import col

from bot.settings import Settings
from store.models import InboundEvent, OutboundMessage
from tests.channels.helpers import inbox
from tests.fakes.databases import any_database, pg_template  # noqa: F401  # fixtures
from tests.fakes.harness import Service, running_service, sign
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock


@pytest.fixture
async def svc(any_database: Settings, clock: MovableClock, fake_line: FakeLine,  # noqa: F811  # the fixture
              fake_telegram: FakeTelegram) -> AsyncIterator[Service]:
    async with running_service(any_database, clock, line=fake_line, telegram=fake_telegram) as running:
        yield running


def captured(svc: Service, user: str, *, redelivery: bool = False) -> tuple[bytes, str]:
    """A signed LINE request with one text event, as an eavesdropper would keep it."""
    message = {"id": uuid.uuid4().hex[:12], "type": "text", "text": "สวัสดีครับ", "quoteToken": "q"}
    event: dict[str, Any] = svc.line_event("message", user, message=message)
    event["deliveryContext"] = {"isRedelivery": redelivery}
    body = json.dumps({"destination": "Uhospitalbot", "events": [event]}, ensure_ascii=False).encode()
    return body, sign(body)


async def purge_transport(svc: Service, *, older_than: timedelta) -> None:
    """What the retention purge does to handled webhook and outbox rows (store.privacy.purge_expired)."""
    cutoff = svc.clock() - older_than
    async with svc.sessions() as session:
        await session.execute(delete(OutboundMessage).where(col(OutboundMessage.created_at) < cutoff))
        await session.execute(delete(InboundEvent).where(col(InboundEvent.received_at) < cutoff))
        await session.commit()


async def answered(svc: Service, user: str) -> int:
    await svc.settle()
    return len([m for m in svc.line.sent if m.to == user])


@pytest.mark.parametrize("redelivery", [False, True])
async def test_a_capture_replayed_after_purge_is_refused(svc: Service, clock: MovableClock, redelivery: bool) -> None:
    """A signed request accepted once, its events purged from the inbox a month later, then sent again (also
    one LINE had marked as a redelivery) is answered 200 but neither stored nor handled."""
    body, signature = captured(svc, "U-victim", redelivery=redelivery)
    assert (await svc.line_post(body, signature))[0] == 200
    first = await answered(svc, "U-victim")
    assert first > 0
    clock.advance(days=31)
    await purge_transport(svc, older_than=timedelta(days=30))
    assert await inbox(svc) == []
    status, text = await svc.line_post(body, signature)
    assert (status, json.loads(text)) == (200, {"accepted": 0})
    assert await inbox(svc) == []
    assert await answered(svc, "U-victim") == first


async def test_an_old_event_counts_only_as_a_redelivery(svc: Service, clock: MovableClock) -> None:
    """An event 20 minutes old is taken; one two hours old is refused on first delivery, but taken when LINE
    marks it a redelivery (it was never accepted before); the same redelivery sent again is a duplicate."""
    slow, slow_signature = captured(svc, "U-slow")
    stale, stale_signature = captured(svc, "U-late")
    redelivered, redelivered_signature = captured(svc, "U-late", redelivery=True)
    clock.advance(minutes=20)
    assert json.loads((await svc.line_post(slow, slow_signature))[1]) == {"accepted": 1}
    clock.advance(minutes=100)
    assert json.loads((await svc.line_post(stale, stale_signature))[1]) == {"accepted": 0}
    assert json.loads((await svc.line_post(redelivered, redelivered_signature))[1]) == {"accepted": 1}
    assert json.loads((await svc.line_post(redelivered, redelivered_signature))[1]) == {"accepted": 0}
    assert len(await inbox(svc)) == 2
    assert await answered(svc, "U-late") > 0 and await answered(svc, "U-slow") > 0
