"""Shared fixtures: settings on a throw-away database, SQLite and PostgreSQL stores, the app client.

Every test gets its own database: a copy of a SQLite file migrated once per run, or — on PostgreSQL —
a schema of its own migrated once per run and emptied before each test. Under CI=true an unreachable
PostgreSQL fails the run; elsewhere its tests are skipped with the reason shown. No test reaches beyond this
machine (tests/netguard.py).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from bot.settings import Settings
from store.db import make_engine, make_session_factory, upgrade
from tests.netguard import network_guard  # noqa: F401  # autouse: tests reach only this machine
from tests.support import IN_CI, PG_URL, MovableClock, Store

T = TypeVar("T")

# Keep the developer's own .env and environment out of the tests.
for _name in list(os.environ):
    if _name.startswith(("LINE_", "TELEGRAM_", "DATABASE_", "PUBLIC_BASE", "CONFIG_DIR", "ENVIRONMENT")):
        del os.environ[_name]


if os.environ.get("PV_TEST_UVLOOP") == "1":
    def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
        """PV_TEST_UVLOOP=1: every async test on uvloop's loop, the one `serve` runs on (bot/cli.py
        `serving_loop`); the default is asyncio's. Only when asked: the hook's presence alone changes how
        pytest-asyncio sets up each test's loop."""
        import uvloop

        return {"uvloop": uvloop.new_event_loop}


def _run_apart(coro: Coroutine[Any, Any, T]) -> T:
    """Run set-up coroutines in a thread of their own: session fixtures may be first asked for by an
    async test, inside its running loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Commands run in-process call setup_logging on the test's captured stderr; put the root logger back so
    later tests do not log into a closed stream."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per run; each test copies it."""
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def go() -> None:
        engine = make_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        await engine.dispose()

    _run_apart(go())
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "pv.db"
    shutil.copy(sqlite_template, target)
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[str]:
    """A PostgreSQL schema of this run's own, migrated once; dropped at the end."""
    schema = f"pv_test_{uuid.uuid4().hex[:10]}"

    async def reachable() -> bool:
        engine = make_engine(PG_URL)
        try:
            async with engine.begin() as conn:
                await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            return True
        except (OSError, Exception) as exc:
            reachable.error = exc  # type: ignore[attr-defined]
            return False
        finally:
            await engine.dispose()

    if not _run_apart(reachable()):
        message = f"PostgreSQL at {PG_URL} is unreachable: {reachable.error}"  # type: ignore[attr-defined]
        if IN_CI:
            pytest.fail(message + " (CI=true: the PostgreSQL tests must run)")
        pytest.skip(message)

    async def migrate() -> None:
        engine = make_engine(PG_URL, schema=schema)
        await upgrade(engine)
        await engine.dispose()

    _run_apart(migrate())
    yield schema

    async def drop() -> None:
        engine = make_engine(PG_URL)
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await engine.dispose()

    _run_apart(drop())


async def _truncate_all(engine: AsyncEngine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def store(request: pytest.FixtureRequest, sqlite_url: str) -> AsyncIterator[Store]:
    """The same test on SQLite and on the local PostgreSQL."""
    if request.param == "sqlite":
        engine = make_engine(sqlite_url)
        yield Store("sqlite", sqlite_url, engine, make_session_factory(engine))
    else:
        schema = request.getfixturevalue("pg_schema")
        engine = make_engine(PG_URL, schema=schema)
        await _truncate_all(engine)
        yield Store("postgresql", PG_URL, engine, make_session_factory(engine), schema)
    await engine.dispose()


@pytest.fixture
def settings(sqlite_url: str, tmp_path: Path) -> Settings:
    """Development settings on this test's own SQLite copy; channels off."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="development",
        database_url=sqlite_url,
        media_dir=tmp_path / "media",
        hospital_name="โรงพยาบาลทดสอบ",
    )
