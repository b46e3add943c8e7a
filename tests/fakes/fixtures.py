"""pytest fixtures for end-to-end tests through the fake platforms. Import them into a conftest.py:

    from tests.fakes.fixtures import fake_line, fake_telegram, service  # noqa: F401  # fixtures

`service` is the whole app (workers on) on this test's own SQLite copy, on the movable `clock`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings
from tests.fakes.harness import Service, running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock


@pytest.fixture
async def fake_line() -> AsyncIterator[FakeLine]:
    async with FakeLine() as fake:
        yield fake  # type: ignore[misc]


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake  # type: ignore[misc]


@pytest.fixture
async def service(settings: Settings, clock: MovableClock, fake_line: FakeLine,
                  fake_telegram: FakeTelegram) -> AsyncIterator[Service]:
    async with running_service(settings, clock, line=fake_line, telegram=fake_telegram) as svc:
        yield svc
