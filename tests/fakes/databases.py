"""`any_database`: the service's DATABASE_URL on SQLite (this test's own copy) and on PostgreSQL (a database
of this test's own, cloned from a template migrated once per run). Import it into a test module:

    from tests.fakes.databases import any_database, pg_template  # noqa: F401  # fixtures
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
from tests.support import IN_CI, PG_URL


async def _admin(sql: str) -> None:
    engine = make_engine(PG_URL)
    try:
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


def _url(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per run, cloned by each test."""
    name = f"pv_tmpl_{uuid.uuid4().hex[:10]}"
    try:
        _run_apart(_admin(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL at {PG_URL} is unreachable: {exc} (CI=true: the PostgreSQL tests must run)")
        pytest.skip(f"PostgreSQL at {PG_URL} is unreachable: {exc}")

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
    template = request.getfixturevalue("pg_template")
    name = f"pv_test_{uuid.uuid4().hex[:10]}"
    await _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield settings.model_copy(update={"database_url": _url(name)})
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
