"""The inbox worker's batches (bot/pipeline.py `process_batch`): events of many chats claimed together are
handled in one transaction, each still answered once, and one event's failure never costs the others."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlmodel import select

from bot.channels import ACK_WRITERS, BATCHER, WORKERS
from bot.keys import ENGINE
from bot.pipeline import InboxItem, accept_many
from handlers.messages import Inbound
from store.models import ChannelIdentity, Conversation, Feedback, SurveyItemScore, SurveyResponse
from store.models import Patient as PatientRow
from tests.channels.helpers import inbox, outbox
from tests.fakes.databases import any_service, pg_template  # noqa: F401  # fixtures
from tests.fakes.harness import Service
from tests.flows.test_channels import Patient

USERS = [f"U-batch-{i}" for i in range(6)]


def batch_sizes(svc: Service) -> list[int]:
    """Record how many events each batch the worker handles holds."""
    sizes: list[int] = []
    worker = svc.app[WORKERS].inbox_worker
    original = worker.process_batch

    async def process_batch(claimed: list[tuple[int, int]]) -> None:
        sizes.append(len(claimed))
        await original(claimed)

    worker.process_batch = process_batch  # type: ignore[method-assign]
    return sizes


def failing_for(svc: Service, user_id: str, times: int) -> list[str]:
    """The dispatcher raises for `user_id`'s first `times` events (a handler bug, a database error); returns the
    users whose events reached it, in order."""
    dispatcher = svc.app[WORKERS].inbox_worker.dispatcher
    original = dispatcher.handle
    calls: list[str] = []

    async def handle(inbound: Inbound, **kwargs: Any) -> Any:
        calls.append(inbound.user_id)
        if inbound.user_id == user_id and calls.count(user_id) <= times:
            raise RuntimeError("a handler failed")
        return await original(inbound, **kwargs)

    dispatcher.handle = handle  # type: ignore[method-assign]
    return calls


def say(svc: Service, user: str, text: str) -> dict[str, Any]:
    return svc.line_event("message", user, message={"id": f"m-{user}-{len(text)}", "type": "text", "text": text,
                                                    "quoteToken": "q"})


async def known(svc: Service, users: list[str], *, consented: bool = False) -> None:
    """`users` follow the bot one at a time (each event on its own), and answer its consent notice if `consented`."""
    for user in users:
        await svc.line_events(svc.line_event("follow", user))
        await svc.settle()
        if consented:
            await svc.line_events(svc.line_event("postback", user, postback={"data": "consent:yes"}))
            await svc.settle()


async def test_one_batch_answers_every_chat_once(any_service: Service) -> None:  # noqa: F811
    """Six patients' follows arrive in one webhook: one batch, every chat answered exactly once, every event done
    and every reply an outbox row of its own event, sent."""
    svc = any_service
    sizes = batch_sizes(svc)
    await svc.line_events(*(svc.line_event("follow", user) for user in USERS))
    await svc.settle()
    assert max(sizes) > 1  # handled as a batch
    events = await inbox(svc)
    assert [e.status for e in events] == ["done"] * len(USERS)
    assert all(e.attempts == 1 and e.locked_until is None and e.processed_at is not None for e in events)
    rows = await outbox(svc)
    assert sorted(r.inbound_event_id or 0 for r in rows) == sorted(e.id or 0 for e in events)
    assert all(r.status == "sent" and r.reply_token for r in rows)
    await delivered_as_queued(svc)
    assert sorted({m.to for m in svc.line.sent}) == sorted(USERS)


async def test_a_failing_event_does_not_cost_its_batch_the_answers(any_service: Service) -> None:  # noqa: F811
    """One event of a batch fails every time: the others are answered once; it alone goes back with a backoff
    (attempt 1, the error kept, nothing queued for it)."""
    svc = any_service
    await svc.line_events(*(svc.line_event("follow", user) for user in USERS))
    await svc.settle()
    sizes = batch_sizes(svc)
    bad = USERS[2]
    calls = failing_for(svc, bad, times=10)
    before = len(await outbox(svc))
    await svc.line_events(*(say(svc, user, "สวัสดีค่ะ") for user in USERS))
    await svc.settle()
    assert max(sizes) > 1
    failed = [e for e in await inbox(svc) if e.status != "done"]
    assert len(failed) == 1 and failed[0].chat_key.endswith(bad) and failed[0].attempts == 1
    assert (failed[0].error or "").startswith("RuntimeError")
    new_rows = (await outbox(svc))[before:]
    assert sorted({r.chat_id for r in new_rows}) == sorted(u for u in USERS if u != bad)
    assert all(r.inbound_event_id != failed[0].id for r in new_rows)
    assert calls.count(bad) == 2  # in the batch, then once on its own
    assert not [r for r in new_rows if r.status != "sent"]


async def test_an_event_failing_once_in_a_batch_is_answered_once(any_service: Service) -> None:  # noqa: F811
    """A failure inside the batch (its savepoint rolled back) followed by success on its own: every chat,
    the failing one included, gets exactly one answer to its message, in the same attempt."""
    svc = any_service
    await svc.line_events(*(svc.line_event("follow", user) for user in USERS))
    await svc.settle()
    followed = {user: len(await svc.line.messages_to(user, wait_for=1)) for user in USERS}
    batch_sizes(svc)
    bad = USERS[0]
    failing_for(svc, bad, times=1)
    await svc.line_events(*(say(svc, user, "ขอดูเมนูหน่อยค่ะ") for user in USERS))
    await svc.settle()
    events = await inbox(svc)
    assert all(e.status == "done" and e.attempts == 1 for e in events)
    answers = {e.id: 0 for e in events[len(USERS):]}
    for row in await outbox(svc):
        if row.inbound_event_id in answers:
            answers[row.inbound_event_id] += 1
    assert list(answers.values()) == [1] * len(USERS)
    await delivered_as_queued(svc)
    assert all(len([m for m in svc.line.sent if m.to == user]) > followed[user] for user in USERS)


def statements(svc: Service) -> list[str]:
    """Record the SQL text of every statement the service runs from now on, and its savepoints."""
    texts: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        texts.append(statement)

    def savepoint(_conn: Any, name: str) -> None:
        texts.append(f"SAVEPOINT {name}")

    event.listen(svc.app[ENGINE].sync_engine, "before_cursor_execute", seen)
    event.listen(svc.app[ENGINE].sync_engine, "savepoint", savepoint)
    return texts


def inbox_worker_sql(texts: list[str]) -> set[str]:
    """The statements of the inbox worker's batches: marking events done and reading identities,
    conversations, patients (not the sender's, not the harness's settle query, not the sweeper's idle poll,
    which runs on its own timer and may land in any window)."""
    return {t for t in texts if "outbound_messages" not in t and "count(*)" not in t
            and "FROM reminders" not in t
            and not t.startswith(("BEGIN", "COMMIT", "ROLLBACK", "RELEASE", ";", "select pg_", "SELECT 1"))}


async def test_a_batch_takes_no_savepoint_and_one_sql_text_for_any_size(any_service: Service) -> None:  # noqa: F811
    """Batches of two, three and four events: no SAVEPOINT per event (a failing event is redone without one),
    and the same statement texts whatever the batch size (lists are one array parameter on PostgreSQL, one JSON
    list read by json_each on SQLite), so asyncpg prepares and PostgreSQL plans each statement once, not once per
    batch size, and SQLite's statements are neither rendered again per execution nor prepared again per size."""
    svc = any_service
    await svc.line_events(*(svc.line_event("follow", user) for user in USERS))
    await svc.settle()
    sizes = batch_sizes(svc)
    calls = failing_for(svc, "nobody", times=0)
    texts = statements(svc)
    by_size: list[set[str]] = []
    for size in (2, 3, 4):
        start = len(texts)
        await svc.line_events(*(svc.line_event("message", user, message={
            "id": f"m-{user}-{size}", "type": "text", "text": "สวัสดีค่ะ", "quoteToken": "q"}) for user in USERS[:size]))
        await svc.settle()
        by_size.append(inbox_worker_sql(texts[start:]))
    assert sorted(sizes) == [2, 3, 4]
    assert len(calls) == 2 + 3 + 4  # each handled once, in its batch
    assert not [t for t in texts if "SAVEPOINT" in t.upper()]
    assert any("UPDATE inbound_events" in t for t in by_size[0])
    assert by_size[1] <= by_size[0] and by_size[2] <= by_size[0], by_size[1] ^ by_size[0]


async def test_a_batch_reads_its_people_with_their_patients_in_one_statement(any_service: Service) -> None:  # noqa: F811
    """Known patients' messages in one batch: their identities and the patient rows behind them come from one joined
    SELECT (a separate SELECT of patients per batch before), and every message is answered once."""
    svc = any_service
    await svc.line_events(*(svc.line_event("follow", user) for user in USERS[:4]))
    await svc.settle()
    sizes = batch_sizes(svc)
    before = len(await outbox(svc))
    texts = statements(svc)
    await svc.line_events(*(say(svc, user, "ขอดูเมนูหน่อยค่ะ") for user in USERS[:4]))
    await svc.settle()
    assert sizes == [4]
    reads = [t for t in texts if t.startswith("SELECT") and "FROM reminders" not in t and "count(*)" not in t
             and "outbound_messages" not in t]
    people = [t for t in reads if "FROM channel_identities" in t]
    assert len(people) == 1 and "JOIN patients" in people[0]
    assert not [t for t in reads if t.startswith("SELECT patients") and "channel_identities" not in t]
    answers = (await outbox(svc))[before:]
    assert sorted(r.chat_id for r in answers) == sorted(USERS[:4]) and all(r.status == "sent" for r in answers)


async def test_a_batchs_conversations_are_core_rows_written_once(any_service: Service) -> None:  # noqa: F811
    """Four patients press the survey button in one webhook: their conversations are read as Core rows (no ORM
    Conversation loaded or added to the session: the ORM's loading was most of the batch's reads), changed by the
    handlers, and written by the batch's one multi-row UPDATE; the next step finds each at its new state."""
    svc = any_service
    await known(svc, USERS[:4], consented=True)
    sizes = batch_sizes(svc)
    loaded: list[Conversation] = []

    def on_load(target: Conversation, _context: Any) -> None:
        loaded.append(target)

    event.listen(Conversation, "load", on_load)
    try:
        texts = statements(svc)
        await svc.line_events(*(svc.line_event("postback", user, postback={"data": "survey"}) for user in USERS[:4]))
        await svc.settle()
    finally:
        event.remove(Conversation, "load", on_load)
    assert sizes == [4]
    assert not loaded
    assert len([t for t in texts if "UPDATE conversations" in t]) == 1
    async with svc.sessions() as session:
        conversations = (await session.exec(select(Conversation))).all()
    assert sorted(c.user_id for c in conversations if c.state and c.state.startswith("survey")) == sorted(USERS[:4])


async def test_a_batchs_writes_on_postgresql_are_one_statement(any_service: Service) -> None:  # noqa: F811
    """PostgreSQL: after its handlers, a batch writes its changed conversations, its answers' outbox rows and its
    patients' last contact with one statement (the rows as arrays; the two UPDATEs as CTEs of the INSERT): one
    round trip, no executemany (asyncpg's Bind and Execute per row). SQLite keeps its three statements."""
    svc = any_service
    for user in USERS[:4]:
        await svc.line_events(svc.line_event("follow", user))
        await svc.settle()
    sizes = batch_sizes(svc)
    sent: list[tuple[str, bool]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, executemany: bool) -> None:
        sent.append((statement, executemany))

    event.listen(svc.app[ENGINE].sync_engine, "before_cursor_execute", seen)
    await svc.line_events(*(svc.line_event("postback", user, postback={"data": "consent:yes"}) for user in USERS[:4]))
    await svc.settle()
    assert sizes == [4]
    writes = [(t, many) for t, many in sent if "INSERT INTO outbound_messages" in t or "UPDATE conversations" in t
              or t.startswith("UPDATE patients SET")]  # their consent and last contact
    if svc.settings.database_url.startswith("postgresql"):
        assert len(writes) == 1 and not writes[0][1]
        assert "UPDATE conversations" in writes[0][0] and "UPDATE patients" in writes[0][0]
    else:
        assert len(writes) == 3
    async with svc.sessions() as session:
        conversations = (await session.exec(select(Conversation))).all()
        patients = (await session.exec(select(PatientRow))).all()
    assert all(c.state != "consent.ask" for c in conversations)
    assert len(patients) == 4 and all(p.last_seen_at is not None and p.consent == "given" for p in patients)
    rows = (await outbox(svc))[-4:]
    assert sorted(r.chat_id for r in rows) == sorted(USERS[:4]) and all(r.status == "sent" for r in rows)
    assert all(isinstance(r.payload["messages"], list) and r.payload["messages"] for r in rows)


async def test_a_batch_on_postgresql_marks_its_events_done_in_its_last_statement(any_service: Service) -> None:  # noqa: F811
    """PostgreSQL: a batch marks its events done, each guarded by its lease, in the statement that writes its
    answers (no statement of its own, no round trip). When a lease is lost while the handlers run (another worker
    claimed the event after the lease ran out), that statement marks fewer events than the batch holds: the
    transaction is rolled back and the batch handled again with the events marked done first, so the lost event
    is left to its new owner and every other chat is answered once."""
    svc = any_service
    if not svc.settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite marks a batch's events done first")
    for user in USERS[:4]:
        await svc.line_events(svc.line_event("follow", user))
        await svc.settle()
    sizes = batch_sizes(svc)
    texts = statements(svc)
    before = len(await outbox(svc))
    await svc.line_events(*(say(svc, user, "ขอดูเมนูหน่อยค่ะ") for user in USERS[:4]))
    await svc.settle()
    assert sizes == [4]
    marks = [t for t in texts if "UPDATE inbound_events" in t and "processed_at=" in t]
    assert len(marks) == 1 and "INSERT INTO outbound_messages" in marks[0]
    assert len(await outbox(svc)) - before == 4
    # a lease lost while the batch's handlers run
    worker = svc.app[WORKERS].inbox_worker
    original = worker.dispatcher.handle
    calls: list[str] = []

    async def handle(inbound: Inbound, **kwargs: Any) -> Any:
        calls.append(inbound.user_id)
        if inbound.user_id == USERS[1] and calls.count(USERS[1]) == 1:  # another worker takes the event over
            async with svc.app[ENGINE].begin() as conn:
                await conn.execute(text("UPDATE inbound_events SET attempts = attempts + 1 "
                                        "WHERE status = 'processing' AND chat_key LIKE :chat"),
                                   {"chat": f"%{USERS[1]}"})
        return await original(inbound, **kwargs)

    worker.dispatcher.handle = handle  # type: ignore[method-assign]
    before = len(await outbox(svc))
    await svc.line_events(*(say(svc, user, "ขอดูเมนูอีกครั้งค่ะ") for user in USERS[:4]))
    for _ in range(500):  # not settle(): the taken-over event stays processing (its new owner is make-believe)
        rows = (await outbox(svc))[before:]
        if len(rows) >= 3 and all(r.status == "sent" for r in rows):
            break
        svc.kick()
        await asyncio.sleep(0.02)
    assert sorted(calls) == sorted([*USERS[:4], *[u for u in USERS[:4] if u != USERS[1]]])  # the second attempt
    answers = (await outbox(svc))[before:]
    assert sorted(r.chat_id for r in answers) == sorted(u for u in USERS[:4] if u != USERS[1])
    taken = [e for e in await inbox(svc) if e.status == "processing"]
    assert len(taken) == 1 and taken[0].chat_key.endswith(USERS[1]) and taken[0].attempts == 2


async def test_new_people_in_a_batch_are_created_with_one_insert_each(any_service: Service) -> None:  # noqa: F811
    """A broadcast brings many new patients at once: a batch of first contacts creates its identities,
    conversations and (for follows, whose consent check reads it) patients with one INSERT each (no savepoint,
    no flush per person), every person and chat once, and every new patient is answered once with the consent
    notice."""
    svc = any_service
    await svc.line_events(svc.line_event("follow", USERS[0]))  # one known person among the new ones
    await svc.settle()
    sizes = batch_sizes(svc)
    texts = statements(svc)
    await svc.line_events(*(svc.line_event("follow", user) for user in USERS[1:]),
                          say(svc, USERS[0], "สวัสดีค่ะ"))
    await svc.settle()
    assert sizes and min(sizes) > 1 and sum(sizes) == len(USERS)  # handled in batches (PostgreSQL: 4 at a time)
    assert not [t for t in texts if "SAVEPOINT" in t.upper()]
    assert len([t for t in texts if t.startswith("INSERT INTO channel_identities")]) == len(sizes)
    assert len([t for t in texts if t.startswith("INSERT INTO conversations")]) == len(sizes)
    assert len([t for t in texts if t.startswith("INSERT INTO patients")]) == len(sizes)  # the follows' patients
    async with svc.sessions() as session:
        identities = (await session.exec(select(ChannelIdentity))).all()
        conversations = (await session.exec(select(Conversation))).all()
    assert sorted(i.external_id for i in identities) == sorted(USERS)
    assert sorted(c.user_id for c in conversations) == sorted(USERS)
    assert all(i.patient_id is not None and i.followed for i in identities)
    for user in USERS[1:]:
        sent = await svc.line.messages_to(user, wait_for=1)
        assert len([m for m in sent if "consent:yes" in m.payloads]) == 1, user
    await delivered_as_queued(svc)


async def test_a_webhook_group_commit_on_postgresql_is_one_statement_without_a_transaction(
        any_service: Service) -> None:  # noqa: F811
    """PostgreSQL: a webhook's events (LINE ones hashed into seen_events, Telegram ones not) are stored with one
    statement in autocommit — no BEGIN and COMMIT round trips — sent on asyncpg's own pool (store/pg_direct.py),
    nothing through the SQLAlchemy engine, and no reset query when the connection goes back to the pool (asyncpg's
    default sent `RESET ALL` …); each new event once, a redelivery refused."""
    svc = any_service
    if not svc.settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite acks are written by store.inbox_direct")
    engine, direct = svc.app[BATCHER].engine, svc.app[BATCHER].pg_direct
    assert engine is not None and direct is not None
    texts: list[str] = []
    through_engine: list[object] = []
    direct.listeners.append(texts.append)
    event.listen(engine.sync_engine, "before_cursor_execute", lambda _c, _cur, statement, *_: through_engine.append(
        statement))
    event.listen(engine.sync_engine, "commit", through_engine.append)
    follows = [svc.line_event("follow", user) for user in USERS[:3]]
    await svc.line_events(*follows)
    await svc.telegram_update(svc.telegram_message(4242, text="/start"))
    await svc.line_events(follows[0])  # LINE redelivers: refused by its hash
    await svc.settle()
    acks = [t for t in texts if "INSERT INTO inbound_events" in t]
    assert len(acks) == 3 and all("INSERT INTO seen_events" in t for t in acks)
    # nothing else but asyncpg's one-time look-up of the array types: no reset of a connection given back
    assert all("typeinfo" in t or "current_setting('jit')" in t or "set_config('jit'" in t
               for t in texts if t not in acks), texts
    assert not through_engine
    events = await inbox(svc)
    assert len(events) == 4 and all(e.status == "done" for e in events)
    assert len(await outbox(svc)) == 4


async def test_the_ack_connections_are_open_and_their_statement_run_before_the_first_webhook(
        any_service: Service) -> None:  # noqa: F811
    """PostgreSQL: once the service has started — before the port takes a webhook — every connection of the ack's
    pool is open and has run the ack statement once (storing nothing), so the first wave of webhooks (a survey
    broadcast's first taps) neither connects nor waits for a new backend's first statement; the first webhooks
    open no connection, and the warm-up stored no row."""
    svc = any_service
    if not svc.settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite acks are written by store.inbox_direct")
    direct = svc.app[BATCHER].pg_direct
    assert direct is not None

    async def backends_that_ran_the_ack() -> int:
        async with svc.app[ENGINE].connect() as connection:
            return int((await connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND left(query, 500) = left(:sql, 500)"),  # the text is cut at track_activity_query_size
                {"sql": direct.sql})).scalar_one())

    assert await backends_that_ran_the_ack() == direct.pool_size == ACK_WRITERS
    assert await inbox(svc) == []
    pool = await direct._connections()
    opened = pool.get_size()
    await asyncio.gather(*(svc.line_events(svc.line_event("follow", user)) for user in USERS))
    await svc.settle()
    assert pool.get_size() == opened == ACK_WRITERS
    assert len(await inbox(svc)) == len(USERS)


async def test_a_webhook_group_commit_on_postgresql_sends_its_time_once_not_per_row(
        any_service: Service) -> None:  # noqa: F811
    """PostgreSQL: the ack statement's array parameters are only the columns that differ by event (channel, id,
    chat, payload, status, hash); the group commit's time is one parameter — not three timestamps and an
    attempts count per row for asyncpg to encode and check — and the rows still get it: received and due at
    that time, a standby (skipped) event processed at it, a pending one not, no attempts yet."""
    svc = any_service
    if not svc.settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite acks are written by store.inbox_direct")
    direct = svc.app[BATCHER].pg_direct
    assert direct is not None
    sent: list[dict[str, Any]] = []
    fetch = direct.fetch

    async def recorded(params: dict[str, Any]) -> list[Any]:
        sent.append(params)
        return await fetch(params)

    direct.fetch = recorded  # type: ignore[method-assign]
    standby = {**svc.line_event("follow", USERS[1]), "mode": "standby"}
    await svc.line_events(svc.line_event("follow", USERS[0]), standby, say(svc, USERS[2], "สวัสดีครับ"))
    await svc.telegram_update(svc.telegram_message(4343, text="/start"))
    await svc.settle()
    assert len(sent) == 2
    for params in sent:
        arrays = {name: value for name, value in params.items() if isinstance(value, list)}
        assert sorted(arrays) == ["a_channel", "a_chat_key", "a_event_hash", "a_event_id", "a_payload", "a_status"]
        assert all(not isinstance(v, datetime | int) for values in arrays.values() for v in values)
        assert [value for value in params.values() if isinstance(value, datetime)] == [svc.clock()]
    # the values the rows get, read inside the statement's own (rolled back) transaction: no worker claims them
    now = svc.clock() + timedelta(seconds=7)
    items = [InboxItem("E-pending", "line:U-pending", "{}", "pending"), InboxItem("E-standby", "line:U-sb", "{}",
                                                                                  "skipped")]
    async with svc.app[ENGINE].connect() as connection:
        transaction = await connection.begin()
        assert await accept_many(connection, [("line", items)], now=now) == [2]
        stored = {row.event_id: row for row in await connection.execute(text(
            "SELECT event_id, status, attempts, received_at, next_attempt_at, processed_at FROM inbound_events "
            "WHERE event_id LIKE 'E-%'"))}
        seen = (await connection.execute(text("SELECT count(*) FROM seen_events WHERE seen_at = :now"),
                                         {"now": now})).scalar_one()
        await transaction.rollback()
    assert {(row.attempts, row.received_at, row.next_attempt_at) for row in stored.values()} == {(0, now, now)}
    assert (stored["E-pending"].processed_at, stored["E-standby"].processed_at) == (None, now)
    assert seen == 2


async def at_the_comment_step(p: Patient) -> None:
    """Walk a LINE patient through the survey up to its closing comment (one tap at a time)."""
    await p.svc.line_events(p.svc.line_event("follow", str(p.user)))
    await p.svc.settle()
    for payload in ("consent:yes", "survey", "survey:type:opd", "survey:dept:pharmacy"):
        await p.press(payload)
    msgs = await p.press("survey:date:pick", date="2026-11-25")
    while any(x.startswith("survey:s:") for x in msgs[-1].payloads):
        msgs = await p.press(msgs[-1].payloads[3])
    assert "survey:skip" in msgs[-1].payloads


async def test_surveys_finished_in_a_batch_write_its_conversations_once(any_service: Service) -> None:  # noqa: F811
    """Two patients send their closing comments in one webhook: one batch saves both surveys (a response, its 13
    item scores and the comment each) and writes the batch's conversations with its one multi-row UPDATE. The
    survey's end stored the response by adding it to the session and flushing for its id, and that flush also
    wrote the conversations of the events handled before it (then the batch wrote them again)."""
    svc = any_service
    patients = [Patient(svc, "line", user) for user in USERS[:2]]
    for p in patients:
        await at_the_comment_step(p)
    sizes = batch_sizes(svc)
    texts = statements(svc)
    await svc.line_events(*(say(svc, str(p.user), "ห้องน้ำสะอาด เจ้าหน้าที่ใจดี") for p in patients))
    await svc.settle()
    assert sizes == [2]
    assert len([t for t in texts if "UPDATE conversations" in t]) == 1
    async with svc.sessions() as session:
        responses = (await session.exec(select(SurveyResponse))).all()
        scores = (await session.exec(select(SurveyItemScore))).all()
        comments = (await session.exec(select(Feedback))).all()
        conversations = (await session.exec(select(Conversation))).all()
    assert len(responses) == 2 and all(r.visit_date.isoformat() == "2026-11-25" and r.source == "chat"
                                       for r in responses)
    assert sorted(s.response_id for s in scores) == sorted([r.id for r in responses] * 13)
    assert sorted(c.survey_response_id or 0 for c in comments) == sorted(r.id or 0 for r in responses)
    assert all(c.state is None for c in conversations)  # both surveys ended
    for p in patients:
        sent = await svc.line.messages_to(str(p.user))
        assert len([m for m in sent if "บันทึกผลการประเมินเรียบร้อย" in m.text]) == 1


async def test_a_chat_keeps_its_order_when_its_event_fails_in_a_batch(any_service: Service) -> None:  # noqa: F811
    """A chat's two messages arrive in one webhook with other chats' messages; its first one fails in the batch
    (the batch is redone without it): it is answered before its second message, each once, and the other
    chats once each."""
    svc = any_service
    await svc.line_events(*(svc.line_event("follow", user) for user in USERS))
    await svc.settle()
    before = len(await outbox(svc))
    bad = USERS[3]
    calls = failing_for(svc, bad, times=1)
    events = [say(svc, user, "สวัสดีค่ะ") for user in USERS]
    events.insert(4, say(svc, bad, "สวัสดีครับ"))  # the same chat's second message
    await svc.line_events(*events)
    await svc.settle()
    assert all(e.status == "done" and e.attempts == 1 for e in await inbox(svc))
    new_rows = (await outbox(svc))[before:]
    per_chat = {user: [r.inbound_event_id for r in new_rows if r.chat_id == user] for user in USERS}
    assert [len(ids) for ids in per_chat.values()] == [1, 1, 1, 2, 1, 1]
    assert per_chat[bad] == sorted(per_chat[bad])  # first message answered first
    assert calls.count(bad) == 3, " ".join(calls)  # failed in the batch, then on its own; then its second message
    await delivered_as_queued(svc)


async def delivered_as_queued(svc: Service) -> None:
    """Every chat got exactly the messages of its sent outbox rows: nothing twice, nothing missing."""
    queued: dict[str, int] = {}
    for row in await outbox(svc):
        assert row.status == "sent"
        queued[row.chat_id] = queued.get(row.chat_id, 0) + len(row.payload["messages"])
    for chat, count in queued.items():
        assert len(await svc.line.messages_to(chat, wait_for=count)) == count


async def test_the_write_gate_takes_writers_in_arrival_order() -> None:
    """SQLite's write gate: a writer that comes straight back (the worker's next batch) queues behind one that
    was already waiting (an event whose analysis just finished); an urgent one (a webhook) still goes first."""
    import asyncio

    from bot.pipeline import WriteGate

    gate = WriteGate(enabled=True)
    order: list[str] = []
    first_in = asyncio.Event()

    async def writer(name: str, *, urgent: bool = False, again: bool = False) -> None:
        async with gate.hold(urgent=urgent):
            order.append(name)
            first_in.set()
            await asyncio.sleep(0.01)
        if again:  # back at once, as the worker's loop is
            async with gate.hold():
                order.append(name + " again")

    worker = asyncio.create_task(writer("worker", again=True))
    await first_in.wait()
    waiting = asyncio.create_task(writer("analysed"))
    await asyncio.sleep(0)
    webhook = asyncio.create_task(writer("webhook", urgent=True))
    await asyncio.gather(worker, waiting, webhook)
    assert order == ["worker", "webhook", "analysed", "worker again"]
