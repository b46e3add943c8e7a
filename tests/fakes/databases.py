"""`any_service`: the whole app through the fake platforms on SQLite and on a PostgreSQL database of its own.

Import into a conftest.py or test module: `from tests.fakes.databases import any_service  # noqa: F401`.
The app takes a plain DATABASE_URL, so on PostgreSQL each test gets a fresh, migrated database, dropped after.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.settings import Settings
from store.db import make_engine, upgrade
from tests.fakes.harness import Service, running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import IN_CI, PG_URL, MovableClock


async def pg_database(revision: str = "head") -> str:
    """A new PostgreSQL database migrated to `revision`; its URL (drop it with `drop_database`)."""
    name = f"pv_any_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    try:
        async with admin.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL at {PG_URL} is unreachable: {exc} (CI=true: the PostgreSQL tests must run)")
        pytest.skip(f"PostgreSQL at {PG_URL} is unreachable: {exc}")
    finally:
        await admin.dispose()
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    await upgrade(engine, revision)
    await engine.dispose()
    return url


async def drop_database(url: str) -> None:
    admin = make_engine(PG_URL)
    async with admin.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    await admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def any_service(request: pytest.FixtureRequest, settings: Settings, clock: MovableClock,
                      fake_line: FakeLine, fake_telegram: FakeTelegram) -> AsyncIterator[Service]:
    """The running service (workers on) on SQLite, then on PostgreSQL."""
    url = await pg_database() if request.param == "postgresql" else settings.database_url
    try:
        async with running_service(settings.model_copy(update={"database_url": url}), clock, line=fake_line,
                                   telegram=fake_telegram) as svc:
            yield svc
    finally:
        if request.param == "postgresql":
            await drop_database(url)
