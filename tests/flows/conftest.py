"""Fixtures for the patient-flow conversation tests: services on a migrated SQLite copy, and a chat driver."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings
from handlers import build_router
from handlers.dispatch import Dispatcher
from handlers.hospital import hospital_for
from handlers.services import Services
from store.db import make_engine, make_session_factory
from store.units import load_units, sync_units
from tests.flows.chat import Chat
from tests.support import MovableClock


@pytest.fixture
async def services(settings: Settings, clock: MovableClock) -> AsyncIterator[Services]:
    engine = make_engine(settings.database_url)
    services = Services(settings, make_session_factory(engine), hospital_for(settings), clock)
    async with services.sessions() as session:
        await sync_units(session, units=load_units(settings.config_dir))
        await session.commit()
    yield services
    await engine.dispose()


@pytest.fixture
def dispatcher(services: Services) -> Dispatcher:
    return Dispatcher(build_router(), services)


@pytest.fixture
def chat(dispatcher: Dispatcher) -> Chat:
    return Chat(dispatcher, "U-patient-1")


@pytest.fixture
def other(dispatcher: Dispatcher) -> Chat:
    return Chat(dispatcher, "U-patient-2")


from tests.fakes.fixtures import fake_line, fake_telegram, service  # noqa: E402, F401  # end-to-end fixtures
