"""The sweeper inside the app: its own background task, on the app's clock, stopped cleanly on shutdown."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import select

from bot.app import SERVICES, create_app
from bot.reminders import SWEEPER
from bot.settings import Settings
from store import cases
from store.cases import Actor
from store.models import OutboundMessage
from tests.queue.conftest import make_hospital, new_case
from tests.support import MovableClock


async def test_app_sweeper_sends_on_the_app_clock_and_stops(aiohttp_client, settings: Settings,  # type: ignore[no-untyped-def]
                                                            clock: MovableClock) -> None:
    """With the movable clock at the report deadline the running sweeper queues the ping; closing the app
    ends its task."""
    app = create_app(settings.model_copy(update={"worker_poll_seconds": 0.05}), clock=clock)
    client = await aiohttp_client(app)
    services = app[SERVICES]
    sweeper = app[SWEEPER]
    async with services.sessions() as s:
        await make_hospital(s)
        case = await new_case(s, clock())
        await cases.triage(s, case=case, severity="G", unit_code="pharmacy", actor=Actor("staff"), now=clock())
        await s.commit()
    sent = asyncio.Event()
    sweeper.on_sent = sent.set
    clock.advance(hours=24)
    await asyncio.wait_for(sent.wait(), 30)
    async with services.sessions() as s:
        chats = sorted(r.chat_id for r in (await s.exec(select(OutboundMessage))).all())
    assert chats == ["line-pharm_head", "line-pharm_head"]  # report_before (18 h) and report_due (24 h)
    task = sweeper._task
    assert task is not None and not task.done()
    await client.close()
    assert task.done() and sweeper._task is None
    assert clock() - case.created_at == timedelta(hours=24)
