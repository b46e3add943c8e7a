"""`any_service`: the whole app through the fake platforms on SQLite and on a PostgreSQL database of its own.

Import into a conftest.py or test module with the template it clones:
`from tests.fakes.databases import any_service, pg_template  # noqa: F401`.
`any_database`: the service's DATABASE_URL alone, on SQLite (this test's own copy) and on a PostgreSQL database
of this test's own, cloned from a template migrated once per run (`pg_template`).
The app takes a plain DATABASE_URL, so on PostgreSQL each test gets a fresh, migrated database, dropped after.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.settings import Settings
from store.db import make_engine, upgrade
from tests.conftest import _run_apart
from tests.fakes.harness import Service, running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import IN_CI, PG_URL, MovableClock


async def _admin(sql: str) -> None:
    """One statement on the server's maintenance database (CREATE / DROP DATABASE)."""
    engine = make_engine(PG_URL)
    try:
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


def _url(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _unreachable(exc: Exception) -> None:
    if IN_CI:
        pytest.fail(f"PostgreSQL at {PG_URL} is unreachable: {exc} (CI=true: the PostgreSQL tests must run)")
    pytest.skip(f"PostgreSQL at {PG_URL} is unreachable: {exc}")


async def pg_database(revision: str = "head") -> str:
    """A new PostgreSQL database migrated to `revision`; its URL (drop it with `drop_database`)."""
    name = f"pv_any_{uuid.uuid4().hex[:10]}"
    try:
        await _admin(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        _unreachable(exc)
    engine = make_engine(_url(name))
    await upgrade(engine, revision)
    await engine.dispose()
    return _url(name)


async def drop_database(url: str) -> None:
    await _admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


async def clone_template(template: str) -> str:
    """A new PostgreSQL database copied from `template` (migrated once per run); its URL (drop it with
    `drop_database`). A copy takes about a third of the time of migrating a new database (1 s against 2.8 s)."""
    name = f"pv_test_{uuid.uuid4().hex[:10]}"
    await _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return _url(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def any_service(request: pytest.FixtureRequest, settings: Settings, clock: MovableClock,
                      fake_line: FakeLine, fake_telegram: FakeTelegram) -> AsyncIterator[Service]:
    """The running service (workers on) on SQLite, then on a PostgreSQL database of the test's own, cloned
    from the run's migrated template (`pg_template`)."""
    if request.param == "postgresql":
        url = await clone_template(request.getfixturevalue("pg_template"))
    else:
        url = settings.database_url
    try:
        async with running_service(settings.model_copy(update={"database_url": url}), clock, line=fake_line,
                                   telegram=fake_telegram) as svc:
            yield svc
    finally:
        if request.param == "postgresql":
            await drop_database(url)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per run, cloned by each test."""
    name = f"pv_tmpl_{uuid.uuid4().hex[:10]}"
    try:
        _run_apart(_admin(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        _unreachable(exc)

    async def migrate() -> None:
        engine = make_engine(_url(name))
        await upgrade(engine)
        await engine.dispose()

    _run_apart(migrate())
    yield name
    _run_apart(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def any_database(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[Settings]:
    """`settings` on SQLite, then on a PostgreSQL database of the test's own."""
    if request.param == "sqlite":
        yield settings
        return
    url = await clone_template(request.getfixturevalue("pg_template"))
    try:
        yield settings.model_copy(update={"database_url": url})
    finally:
        await drop_database(url)
