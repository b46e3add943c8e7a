"""PostgreSQL restarts while events arrive: the service recovers by itself and answers every event that it
accepted. This restarts the machine's real PostgreSQL (`pg_ctlcluster … restart`), so the test is marked
`pg_restart` and runs last in the session (see conftest.py); it waits until PostgreSQL accepts connections
again before it ends. Under CI=true it runs, never skips."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text

from bot.settings import Settings
from store.db import make_engine, upgrade
from tests.fakes.harness import Service, running_service, sign
from tests.robustness.helpers import expected_per_chat, received, statuses
from tests.support import IN_CI, PG_URL

pytestmark = [pytest.mark.pg_restart, pytest.mark.postgres]


def _cluster() -> list[str]:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir()) if Path("/etc/postgresql").is_dir() else []
    if not versions:
        if IN_CI:
            pytest.fail("no PostgreSQL cluster under /etc/postgresql (CI=true: this test must run)")
        pytest.skip("no local PostgreSQL cluster to restart")
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"]


async def _accepting(url: str, timeout: float = 60.0) -> None:
    """Wait until PostgreSQL answers a query again."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        engine = make_engine(url)
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return
        except Exception:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.2)
        finally:
            await engine.dispose()


@contextlib.asynccontextmanager
async def _own_schema() -> AsyncIterator[str]:
    """A throw-away role whose search_path is a schema of its own (the app takes only a URL); dropped after."""
    name = f"pv_pgrestart_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_URL)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE ROLE "{name}" LOGIN'))
            await conn.execute(text(f'CREATE SCHEMA "{name}" AUTHORIZATION "{name}"'))
            await conn.execute(text(f'ALTER ROLE "{name}" SET search_path = "{name}"'))
    except Exception as exc:
        await admin.dispose()
        if IN_CI:
            pytest.fail(f"PostgreSQL at {PG_URL} is unreachable: {exc} (CI=true: this test must run)")
        pytest.skip(f"PostgreSQL at {PG_URL} is unreachable: {exc}")
    url = f"postgresql+asyncpg://{name}@{PG_URL.split('@', 1)[1]}"
    try:
        engine = make_engine(url)
        await upgrade(engine)
        await engine.dispose()
        yield url
    finally:
        await _accepting(PG_URL)
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
            await conn.execute(text(f'DROP OWNED BY "{name}"'))
            await conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        await admin.dispose()


async def _deliver(svc: Service, user: str, text_: str, refused: list[int] | None = None) -> None:
    """Send one LINE event the way LINE does: resend the same event until it is answered 200."""
    event = svc.line_event("message", user, message={"id": uuid.uuid4().hex[:12], "type": "text", "text": text_,
                                                     "quoteToken": "q"})
    body = json.dumps({"destination": "U0", "events": [event]}, ensure_ascii=False).encode()
    for _ in range(300):
        try:
            status, _ = await svc.line_post(body, sign(body))
        except aiohttp.ClientError:
            status = 0
        if status == 200:
            return
        assert status == 0 or status >= 500, status
        if refused is not None:
            refused.append(status)
        await asyncio.sleep(0.1)
    raise AssertionError(f"event for {user} never accepted")


async def test_service_recovers_by_itself_after_postgresql_restart(settings: Settings, tmp_path: Path) -> None:
    """Events before, during and after a PostgreSQL restart are all answered, once, with no manual step:
    pooled connections are replaced, workers keep going, and work leased when the database went away is
    taken over once its lease runs out (the clock is moved past it rather than waiting two real minutes)."""
    restart = _cluster()
    offset = timedelta()
    async with _own_schema() as url:
        pg_settings = settings.model_copy(update={"database_url": url})
        async with running_service(pg_settings, clock=lambda: datetime.now(UTC) + offset) as svc:
            await asyncio.gather(*(_deliver(svc, f"U-pg-{i}", "สวัสดีครับ") for i in range(10)))

            restarted = asyncio.Event()
            users = iter(range(10, 10_000))
            refused: list[int] = []

            async def during() -> None:  # events keep coming all through the restart
                for i in users:
                    if restarted.is_set():
                        return
                    await _deliver(svc, f"U-pg-{i}", "รอนานมากครับ", refused)

            load = asyncio.gather(*(during() for _ in range(3)))
            done = await asyncio.to_thread(subprocess.run, restart, capture_output=True, timeout=60)
            assert done.returncode == 0, done.stderr
            await _accepting(PG_URL)
            restarted.set()
            await asyncio.wait_for(load, 60)
            assert refused, "no event arrived while PostgreSQL was down"
            first_after = next(users)
            after = range(first_after, first_after + 10)
            await asyncio.gather(*(_deliver(svc, f"U-pg-{i}", "ขอบคุณครับ") for i in after))
            offset = timedelta(minutes=3)  # leases taken when the database vanished run out
            svc.kick()
            await svc.settle(timeout=60)
            inbox, outbox = await statuses(svc.sessions)
            assert set(inbox) == {"done"} and sum(inbox.values()) >= 30, inbox
            assert set(outbox) == {"sent"}, outbox
            for (_, chat), texts in (await expected_per_chat(svc.sessions)).items():
                assert received(svc.line, chat) == texts, chat
            async with svc.http.get(f"{svc.url}/healthz") as resp:
                assert resp.status == 200
