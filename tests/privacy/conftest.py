"""The whole service on SQLite and on PostgreSQL, for the PDPA tests: patients and staff talk through the
fake LINE and Telegram platforms, the admin runs `python -m bot …` against the same database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from bot.settings import Settings
from store.db import make_engine
from tests.conftest import _run_apart
from tests.fakes.databases import drop_database, pg_database
from tests.fakes.fixtures import fake_line, fake_telegram  # noqa: F401  # fixtures
from tests.fakes.harness import Service, running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock


@pytest.fixture(autouse=True)
def no_telegram_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Telegram's pacing is the sender's business (tested there); these conversations are long."""
    from bot.sender import Limits, RateLimiter

    monkeypatch.setattr("bot.telegram.channel.telegram_limits",
                        lambda: Limits(RateLimiter(1000, 1000), RateLimiter(1000, 1000), RateLimiter(1000, 1000)))


@pytest.fixture(scope="session")
def pg_privacy_url() -> Iterator[str]:
    """A PostgreSQL database of this run's own (the app takes a plain URL), migrated once, dropped at the end."""
    url = _run_apart(pg_database())
    yield url
    _run_apart(drop_database(url))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def db_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """This test's empty database: a SQLite copy, or the run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return sqlite_url
    url: str = request.getfixturevalue("pg_privacy_url")
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()
    return url


@pytest.fixture
def pdpa_settings(settings: Settings, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The service's settings; `python -m bot …` run by a test reads the same database and MEDIA_DIR."""
    media = tmp_path / "media"
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("MEDIA_DIR", str(media))
    monkeypatch.setenv("RETENTION_DAYS", "365")
    monkeypatch.chdir(tmp_path)  # relative media paths must not resolve against the working directory
    return settings.model_copy(update={"database_url": db_url, "media_dir": media, "retention_days": 365})


@pytest.fixture
async def svc(pdpa_settings: Settings, clock: MovableClock, fake_line: FakeLine,  # noqa: F811  # fixtures
              fake_telegram: FakeTelegram) -> AsyncIterator[Service]:  # noqa: F811
    async with running_service(pdpa_settings, clock, line=fake_line, telegram=fake_telegram) as service:
        yield service


async def admin(*argv: str) -> tuple[int, str, str]:
    """Run `python -m bot ARGV` as the hospital's IT admin would (in a thread: it runs its own event loop)."""
    import contextlib
    import io

    from bot.cli import main

    out, err = io.StringIO(), io.StringIO()

    def run() -> int:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            return main(list(argv))

    code = await asyncio.to_thread(run)
    return code, out.getvalue(), err.getvalue()
