"""Fixtures for the committee tests: a Desk on SQLite (fast, most tests) or on both stores."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.settings import Settings
from handlers.hospital import hospital_for
from handlers.services import Services
from store.db import make_engine, make_session_factory
from tests.committee.desk import Desk
from tests.fakes.databases import any_service, pg_template  # noqa: F401  # fixtures: the service on SQLite and PostgreSQL
from tests.fakes.fixtures import fake_line, fake_telegram, service  # noqa: F401  # fixtures for the fakes tests
from tests.support import MovableClock, Store


@pytest.fixture(scope="session")
def analyzer() -> Any:
    """The NLP analyser is loaded once for the whole run (it is read-only)."""
    from nlp import get_analyzer

    return get_analyzer(None)


@pytest.fixture
async def desk(settings: Settings, clock: MovableClock, analyzer: Any) -> AsyncIterator[Desk]:
    engine = make_engine(settings.database_url)
    services = Services(settings, make_session_factory(engine), hospital_for(settings), clock, _analyzer=analyzer)
    yield await Desk.open(services)
    await engine.dispose()


@pytest.fixture
async def both_desk(store: Store, settings: Settings, clock: MovableClock, analyzer: Any) -> Desk:
    """The same desk on SQLite and on PostgreSQL."""
    services = Services(settings, store.sessions, hospital_for(settings), clock, _analyzer=analyzer)
    return await Desk.open(services)
