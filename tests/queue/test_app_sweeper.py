"""The sweeper inside the app: its own background task, on the app's clock, stopped cleanly on shutdown."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.app import SERVICES, create_app
from bot.reminders import SWEEPER, ReminderSweeper
from bot.settings import Settings
from handlers.hospital import hospital_for
from handlers.services import Services
from store import cases
from store.cases import Actor
from store.models import Case, OutboundMessage
from tests.queue.conftest import SHIPPED, make_hospital, new_case
from tests.support import MovableClock, Store


async def triaged_case(services: Services, clock: MovableClock, severity: str | None = "G") -> Case:
    """A hospital with its staff and one case triaged `severity` for the pharmacy (G: reminders due at 18 h and
    24 h); None leaves it untriaged (its reminder falls due in hours)."""
    async with services.sessions() as s:
        await make_hospital(s)
        case = await new_case(s, clock())
        if severity is not None:
            await triage(s, case, severity, clock)
        await s.commit()
    return case


async def triage(s: AsyncSession, case: Case, severity: str, clock: MovableClock) -> None:
    await cases.triage(s, case=case, severity=severity, unit_code="pharmacy", actor=Actor("staff"), now=clock(),
                       policy=SHIPPED)


async def triage_in_another_transaction(services: Services, case: Case, severity: str, clock: MovableClock) -> None:
    """The committee triages the case elsewhere (the dashboard, a chat command): its commit is what wakes a sweeper."""
    async with services.sessions() as s:
        await triage(s, await s.get(Case, case.id), severity, clock)  # type: ignore[arg-type]
        await s.commit()


async def test_app_sweeper_sends_on_the_app_clock_and_stops(aiohttp_client, settings: Settings,  # type: ignore[no-untyped-def]
                                                            clock: MovableClock) -> None:
    """With the movable clock at the report deadline the running sweeper queues the ping; closing the app
    ends its task."""
    app = create_app(settings.model_copy(update={"worker_poll_seconds": 0.05}), clock=clock)
    client = await aiohttp_client(app)
    services = app[SERVICES]
    sweeper = app[SWEEPER]
    case = await triaged_case(services, clock)
    sent = asyncio.Event()
    sweeper.on_sent = sent.set
    clock.advance(hours=24)
    sweeper.wake()  # it sleeps until the 18 h reminder by the wall clock: a moved clock is news to it
    await asyncio.wait_for(sent.wait(), 30)
    async with services.sessions() as s:
        chats = sorted(r.chat_id for r in (await s.exec(select(OutboundMessage))).all())
    assert chats == ["line-pharm_head", "line-pharm_head"]  # report_before (18 h) and report_due (24 h)
    task = sweeper._task
    assert task is not None and not task.done()
    await client.close()
    assert task.done() and sweeper._task is None
    assert clock() - case.created_at == timedelta(hours=24)


async def test_an_idle_sweep_only_reads(aiohttp_client, settings: Settings,  # type: ignore[no-untyped-def]
                                        clock: MovableClock) -> None:
    """With nothing due, a sweep reads once and writes nothing: on SQLite a write would take the database's one
    write lock every poll and hold up webhooks and the inbox under load; every process polls, so the read is
    one statement (due reminders and unanswered complaints together). Once a reminder is due, the same sweep
    claims and sends it."""
    from sqlalchemy import event

    app = create_app(settings, clock=clock, workers=False)
    await aiohttp_client(app)
    services = app[SERVICES]
    sweeper = app[SWEEPER]
    await triaged_case(services, clock)
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement.split(None, 1)[0].upper())

    engine = services.sessions.kw["bind"].sync_engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert await sweeper.run_once() == 0
        assert statements == ["SELECT"], statements
        clock.advance(hours=24)
        statements.clear()
        assert await sweeper.run_once() == 2  # report_before (18 h) and report_due (24 h)
        assert "UPDATE" in statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)


async def test_an_idle_sweeper_sleeps_until_something_is_scheduled(store: Store, settings: Settings,
                                                                   clock: MovableClock) -> None:
    """With nothing due the running sweeper does not poll (it used to read every WORKER_POLL_SECONDS, 3.5 % of a
    worker's CPU in the burst benchmark): over 0.6 s at a 0.05 s poll it makes its first idle check only. A case
    triaged SE in another transaction makes the director's notice due at once, and its commit wakes the sweeper,
    which sends it: in this process through the commit hook, on PostgreSQL also through NOTIFY — tested here
    alone, as it reaches a sweeper in another process (the dashboard's triage in the web process)."""
    services = Services(settings, store.sessions, hospital_for(settings), clock)
    sent = asyncio.Event()
    sweeper = ReminderSweeper(services, policy=SHIPPED, poll_seconds=0.05, on_sent=sent.set,
                              listen_url=store.url if store.kind == "postgresql" else None, listen_schema=store.schema)
    case = await triaged_case(services, clock, severity=None)  # untriaged: its reminder falls due in hours
    sweeper.start()
    try:
        await asyncio.sleep(0.6)
        assert sweeper.passes == 1
        assert not sent.is_set()
        if store.kind == "postgresql":
            assert sweeper._stop_hook is not None
            sweeper._stop_hook()  # this process's commit hook off: only the NOTIFY can wake it
        await triage_in_another_transaction(services, case, "SE", clock)
        await asyncio.wait_for(sent.wait(), 5)
    finally:
        await sweeper.stop()
    async with services.sessions() as s:
        chats = [r.chat_id for r in (await s.exec(select(OutboundMessage))).all()]
    assert "line-director" in chats


async def test_a_listen_connection_that_cannot_open_leaves_the_sweeper_running(store: Store, settings: Settings,
                                                                             clock: MovableClock) -> None:
    """The review of round 7: `_listen` ran outside the pass's `try` and caught only OSError, TimeoutError and
    PostgresError, so any other failure opening the LISTEN connection (here a URL option SQLAlchemy accepts and
    asyncpg's `connect` does not: TypeError; a restart mid-open raises InterfaceError) ended the sweeper's task
    for good — no reminder sent, no complaint closed. It now keeps running, woken by this process's commits."""
    services = Services(settings, store.sessions, hospital_for(settings), clock)
    sent = asyncio.Event()
    bad_url = "postgresql+asyncpg://postgres@127.0.0.1:5432/test?prepared_statement_cache_size=0"
    sweeper = ReminderSweeper(services, policy=SHIPPED, poll_seconds=0.05, on_sent=sent.set, listen_url=bad_url)
    case = await triaged_case(services, clock, severity=None)
    sweeper.start()
    try:
        await asyncio.sleep(0.3)
        assert sweeper.passes >= 1 and sweeper._listener is None
        await triage_in_another_transaction(services, case, "SE", clock)
        await asyncio.wait_for(sent.wait(), 5)
    finally:
        await sweeper.stop()


async def test_a_lost_listen_connection_wakes_the_sweeper_to_open_it_again(store: Store, settings: Settings,
                                                                          clock: MovableClock) -> None:
    """A LISTEN connection the server ends (a restart, a failover, an administrator's pg_terminate_backend) used to
    be noticed only at the sweeper's next pass — up to IDLE_MAX (here 60 s) later — and a NOTIFY sent meanwhile
    from another process was lost with it. Its end now wakes the sweeper, which opens LISTEN again and looks at
    once; a triage in another process right after is heard."""
    if store.kind != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; on SQLite the sweeper has no listening connection to lose")
    pg_store = store
    services = Services(settings, pg_store.sessions, hospital_for(settings), clock)
    sent = asyncio.Event()
    sweeper = ReminderSweeper(services, policy=SHIPPED, poll_seconds=0.05, on_sent=sent.set, idle_max=60,
                              listen_url=pg_store.url, listen_schema=pg_store.schema)
    case = await triaged_case(services, clock, severity=None)
    sweeper.start()
    try:
        await asyncio.sleep(0.3)
        assert sweeper.passes == 1 and sweeper._listener is not None
        assert sweeper._stop_hook is not None
        sweeper._stop_hook()  # this process's commit hook off: only PostgreSQL can wake it
        first = sweeper._listener
        async with pg_store.sessions() as s:
            await s.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first.get_server_pid()})
        for _ in range(100):
            if sweeper.passes >= 2 and sweeper._listener is not None and sweeper._listener is not first:
                break
            await asyncio.sleep(0.05)
        assert sweeper.passes >= 2, "the lost LISTEN connection did not wake the sweeper"
        assert sweeper._listener is not None and not sweeper._listener.is_closed()
        await triage_in_another_transaction(services, case, "SE", clock)
        await asyncio.wait_for(sent.wait(), 5)
    finally:
        await sweeper.stop()
