"""Fixtures for the robustness tests (faults, fuzzing, logs), and the ordering rule: tests marked
`pg_restart` restart the machine's real PostgreSQL, so they run last in the session, after every other
test that uses it."""

from __future__ import annotations

import pytest

from bot.sender import Limits, RateLimiter
from tests.fakes.fixtures import fake_line, fake_telegram, service  # noqa: F401  # fixtures for this package


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Move `pg_restart` tests to the end of the whole run (stable order otherwise)."""
    restarts = [item for item in items if item.get_closest_marker("pg_restart")]
    if restarts:
        items[:] = [item for item in items if not item.get_closest_marker("pg_restart")] + restarts


@pytest.fixture(autouse=True)
def no_telegram_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Telegram's one-message-a-second per chat pacing runs on real time; these tests are about delivery."""
    fast = RateLimiter(10_000, 10_000)
    monkeypatch.setattr("bot.telegram.channel.telegram_limits", lambda: Limits(fast, fast, fast))
