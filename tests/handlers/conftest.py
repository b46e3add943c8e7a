"""A dispatcher's services on a throw-away database, and `send` (one inbound event, committed)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings
from handlers.dispatch import Dispatcher, Result
from handlers.hospital import hospital_for
from handlers.messages import Channel, Inbound
from handlers.services import Services
from store.db import make_engine, make_session_factory
from tests.support import MovableClock


@pytest.fixture
async def services(settings: Settings, clock: MovableClock) -> AsyncIterator[Services]:
    engine = make_engine(settings.database_url)
    yield Services(settings, make_session_factory(engine), hospital_for(settings), clock)
    await engine.dispose()


async def send(dispatcher: Dispatcher, **fields: object) -> Result:
    base: dict[str, object] = {"channel": Channel.LINE, "user_id": "U1", "chat_id": "U1",
                               "at": dispatcher.services.clock(), "event_id": "e"}
    inbound = Inbound(**{**base, **fields})  # type: ignore[arg-type]
    async with dispatcher.services.sessions() as session:
        result = await dispatcher.handle(inbound, session=session)
        await session.commit()
    return result
