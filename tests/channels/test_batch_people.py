"""An inbox batch's people (bot/pipeline.py `_known`): the senders' identities and patients are read as Core rows
(`IdentityRow`, `PatientRow`), not ORM objects; what the handlers set on them (a new patient, a follow, consent, a
phone, a staff registration) is written by the batch's own statement, only in the columns set; staff members among
the senders are still the ORM's, read only when there are some."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from unittest.mock import patch

import pytest
from sqlalchemy import event, update
from sqlmodel import col, select

from bot import pipeline
from bot.app import SERVICES
from bot.channels import WORKERS
from bot.keys import ENGINE
from bot.pipeline import _statement
from handlers.messages import Inbound
from store.leases import _claim_statement
from store.messages import Outbound
from store.models import (
    ChannelIdentity,
    ConsentRecord,
    Conversation,
    ConversationRow,
    IdentityRow,
    InboundEvent,
    Patient,
    PatientRow,
    Staff,
)
from store.outbox import _shared_payload_json
from store.staff import create_invite
from tests.channels.helpers import outbox
from tests.channels.test_inbox_batches import USERS, batch_sizes, known, say, statements
from tests.fakes.databases import any_service, pg_template  # noqa: F401  # fixtures
from tests.fakes.harness import Service


@contextmanager
def orm_loads(*models: type) -> Iterator[list[Any]]:
    """The ORM objects of `models` loaded from the database while the block runs."""
    loaded: list[Any] = []

    def on_load(target: Any, _context: Any) -> None:
        loaded.append(target)

    for model in models:
        event.listen(model, "load", on_load)
    try:
        yield loaded
    finally:
        for model in models:
            event.remove(model, "load", on_load)


def updates_of(texts: list[str], table: str) -> list[str]:
    """The statements that update `table` (PostgreSQL: the batch's one statement holds it as a CTE)."""
    return [t for t in texts if f"UPDATE {table} SET" in t]


async def people(svc: Service) -> tuple[dict[str, ChannelIdentity], dict[int, Patient]]:
    async with svc.sessions() as session:
        identities = (await session.exec(select(ChannelIdentity))).all()
        patients = (await session.exec(select(Patient))).all()
    return {i.external_id: i for i in identities}, {p.id or 0: p for p in patients}


async def test_a_batchs_people_are_core_rows_and_their_changes_are_written_once(
        any_service: Service) -> None:  # noqa: F811
    """A broadcast's first contacts, then their consent, in one batch each: no ORM identity or patient is loaded;
    the new patients are created and bound to their identities by the batch and are there after its commit (one
    UPDATE of the identities for the batch); the consent answers are written by one UPDATE of the patients, with
    their last contact, and each patient's consent record is kept."""
    svc = any_service
    sizes = batch_sizes(svc)
    texts = statements(svc)
    with orm_loads(ChannelIdentity, Patient) as loaded:
        await svc.line_events(*(svc.line_event("follow", user) for user in USERS[:4]))
        await svc.settle()
        follows = len(texts)
        await svc.line_events(*(svc.line_event("postback", user, postback={"data": "consent:yes"})
                                for user in USERS[:4]))
        await svc.settle()
    assert sizes == [4, 4]
    assert not loaded
    assert len(updates_of(texts[:follows], "channel_identities")) == 1
    assert len(updates_of(texts[follows:], "patients")) == 1
    if not svc.settings.database_url.startswith("postgresql"):  # PostgreSQL: a CTE of the one statement, always
        assert not updates_of(texts[follows:], "channel_identities")  # nothing set on them: nothing written
    identities, patients = await people(svc)
    assert sorted(identities) == sorted(USERS[:4])
    assert sorted(i.patient_id or 0 for i in identities.values()) == sorted(patients)
    assert all(p.consent == "given" and p.consent_at is not None and p.last_seen_at is not None
               for p in patients.values())
    async with svc.sessions() as session:
        records = (await session.exec(select(ConsentRecord))).all()
    assert sorted(r.patient_id for r in records) == sorted(patients) and all(r.granted for r in records)
    for user in USERS[:4]:  # the consent's answer, and the menu after it, once each
        sent = await svc.line.messages_to(user, wait_for=2)
        assert len([m for m in sent if "consent:yes" in m.payloads]) == 1, user


async def consent_with_a_write_between(svc: Service, user: str, *statements: Any) -> list[int]:
    """USERS[:2] give consent in one batch; `statements` are committed by another transaction when the batch has
    read its people and handles `user`'s event, before it writes. Returns the batch sizes."""
    sizes = batch_sizes(svc)
    dispatcher = svc.app[WORKERS].inbox_worker.dispatcher
    original = dispatcher.handle

    async def handle(inbound: Inbound, **kwargs: Any) -> Any:
        if inbound.user_id == user:
            async with svc.sessions() as other:
                for statement in statements:
                    await other.exec(statement)
                await other.commit()
        return await original(inbound, **kwargs)

    dispatcher.handle = handle  # type: ignore[method-assign]
    await svc.line_events(*(svc.line_event("postback", u, postback={"data": "consent:yes"}) for u in USERS[:2]))
    await svc.settle()
    return sizes


async def test_a_batch_writes_only_the_columns_its_turns_set(any_service: Service) -> None:  # noqa: F811
    """Another transaction changes a patient and an identity while the batch that answers them is running (staff
    clearing the patient's name and phone on the dashboard; a platform event marking the identity unfollowed): the
    batch writes the consent and the new patient it set, not the values it read for the other columns."""
    svc = any_service
    if not svc.settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite: one writer at a time, the other transaction would wait for the batch")
    await known(svc, USERS[:2])
    identities, _ = await people(svc)
    async with svc.sessions() as session:  # a name and a phone to erase
        await session.exec(update(Patient).where(col(Patient.id) == identities[USERS[0]].patient_id)  # type: ignore[call-overload]
                           .values(display_name="คุณเอ", phone="0812345678"))
        await session.commit()
    sizes = await consent_with_a_write_between(
        svc, USERS[0],
        update(Patient).where(col(Patient.id) == identities[USERS[0]].patient_id).values(display_name=None, phone=None),
        update(ChannelIdentity).where(col(ChannelIdentity.external_id) == USERS[0]).values(followed=False))
    assert sizes == [2]
    identities, patients = await people(svc)
    erased = patients[identities[USERS[0]].patient_id or 0]
    assert erased.consent == "given" and erased.display_name is None and erased.phone is None
    assert identities[USERS[0]].followed is False and identities[USERS[1]].followed is True


async def test_a_batch_never_writes_a_patient_erased_while_it_ran(any_service: Service) -> None:  # noqa: F811
    """The review of round 8: the batch's patients UPDATE had no `erased_at IS NULL`, so a patient erased by another
    transaction while the batch ran would have the consent the batch set written over the erased row (which the
    purge then skips). A full `erase_patient` also deletes the batch's events, so the batch rolls back anyway; here
    only the erasure's mark is set, mid-batch, to reach the write itself: the row keeps what the erasure left."""
    svc = any_service
    if not svc.settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite: one writer at a time, the other transaction would wait for the batch")
    await known(svc, USERS[:2])
    identities, _ = await people(svc)
    sizes = await consent_with_a_write_between(
        svc, USERS[0],
        update(Patient).where(col(Patient.id) == identities[USERS[0]].patient_id).values(erased_at=svc.clock(),
                                                                                       consent="withdrawn"))
    assert sizes == [2]
    identities, patients = await people(svc)
    assert patients[identities[USERS[0]].patient_id or 0].consent == "withdrawn"
    assert patients[identities[USERS[1]].patient_id or 0].consent == "given"


async def test_an_unfollow_in_a_batch_is_written(any_service: Service) -> None:  # noqa: F811
    """A patient blocks the bot while another writes, in one batch: the first identity's `followed` turned off on
    its row reaches the table (the batch's identities UPDATE), the other's stays on; the other is answered."""
    svc = any_service
    await known(svc, USERS[:2])
    sizes = batch_sizes(svc)
    before = len(await svc.line.messages_to(USERS[0]))
    await svc.line_events(svc.line_event("unfollow", USERS[1]), say(svc, USERS[0], "สวัสดีค่ะ"))
    await svc.settle()
    assert sizes == [2]
    identities, _ = await people(svc)
    assert identities[USERS[1]].followed is False and identities[USERS[0]].followed is True
    assert len(await svc.line.messages_to(USERS[0], wait_for=before + 1)) > before


async def test_staff_in_a_batch_register_and_are_known_as_staff(any_service: Service) -> None:  # noqa: F811
    """Two people register as staff in one batch (the identities' staff ids set on their rows, written by the
    batch) and then ask for /help in another, beside a patient: both get the staff's help (their staff rows read
    for the batch), the patient the patient's."""
    svc = any_service
    staff = USERS[:2]
    codes = []
    async with svc.sessions() as session:
        for role in ("committee", "director"):
            codes.append((await create_invite(session, now=svc.clock(), role=role, display_name=role)).code)
        await session.commit()
    await svc.line_events(svc.line_event("follow", USERS[2]))
    await svc.settle()
    sizes = batch_sizes(svc)
    await svc.line_events(*(say(svc, user, f"/register {code}") for user, code in zip(staff, codes, strict=True)))
    await svc.settle()
    await svc.line_events(*(say(svc, user, "/help") for user in [*staff, USERS[2]]))
    await svc.settle()
    assert sizes == [2, 3]
    identities, _ = await people(svc)
    async with svc.sessions() as session:
        members = {s.id: s for s in (await session.exec(select(Staff))).all()}
    assert sorted(members[identities[user].staff_id or 0].role for user in staff) == ["committee", "director"]
    for user in staff:
        sent = await svc.line.messages_to(user)
        assert any("ลงทะเบียนเรียบร้อย" in m.text for m in sent), user
        assert len([m for m in sent if "คำสั่งที่ท่านใช้ได้" in m.text]) == 1, user
    assert not [m for m in await svc.line.messages_to(USERS[2]) if "คำสั่งที่ท่านใช้ได้" in m.text]


async def test_a_batchs_answers_are_encoded_once_per_distinct_answer(any_service: Service) -> None:  # noqa: F811
    """Four patients start the survey in one batch and get the same first question: its payload is encoded once
    (`store.outbox.payload_json`), not once per outbox row, and each row holds the answer as a JSON object (not the
    text encoded again), which the senders deliver."""
    svc = any_service
    await known(svc, USERS[:4], consented=True)
    sizes = batch_sizes(svc)
    encoded: list[tuple[Outbound, ...]] = []
    original = Outbound.to_dict

    def to_dict(self: Outbound) -> dict[str, Any]:
        encoded.append((self,))
        return original(self)

    before = len(await outbox(svc))
    _shared_payload_json.cache_clear()
    with patch.object(Outbound, "to_dict", to_dict):
        await svc.line_events(*(svc.line_event("postback", user, postback={"data": "survey"}) for user in USERS[:4]))
        await svc.settle()
    assert sizes == [4]
    rows = (await outbox(svc))[before:]
    assert sorted(r.chat_id for r in rows) == sorted(USERS[:4])
    assert all(isinstance(r.payload, dict) and r.payload == rows[0].payload for r in rows)
    assert len(encoded) == len(rows[0].payload["messages"])  # one answer's messages, once
    for user in USERS[:4]:
        sent = await svc.line.messages_to(user)
        assert sent[-1].text == rows[0].payload["messages"][-1]["text"]


def test_a_batch_row_takes_its_columns_by_name_or_place_and_remembers_them() -> None:
    """`CoreRow` subclasses get an `__init__` written out for their columns (a loop of `setattr` cost twice as
    much): by place or by name, a missing one refused, and what a turn changes told from what was read."""
    when = datetime(2026, 12, 7, tzinfo=UTC)
    by_place = PatientRow(7, when, None, None, None, None, "none", None)
    by_name = PatientRow(id=7, created_at=when, last_seen_at=None, erased_at=None, display_name=None, phone=None,
                         consent="none", consent_at=None)
    assert [getattr(by_place, c) for c in PatientRow.COLUMNS] == [getattr(by_name, c) for c in PatientRow.COLUMNS]
    with pytest.raises(TypeError):
        IdentityRow(1, "line", "U1", when, None, None)  # type: ignore[call-arg]
    by_name.consent, by_name.consent_at, by_name.erased_at = "given", when, when
    assert by_name.changes() == {"consent": "given", "consent_at": when} and not by_place.changed()
    conversation = ConversationRow(1, "line", "U1", "U1", None, {}, when, None)
    conversation.data = {}  # replaced, equal: a flow's data is written whenever it is replaced
    assert conversation.changes() == {"data": {}}


async def test_a_batchs_statements_are_compiled_once_not_keyed_per_batch(any_service: Service) -> None:  # noqa: F811
    """PostgreSQL: the batch's claim, its people read and its writes statement (five CTEs) are compiled once and
    sent with `exec_driver_sql` (`store.pg_direct.execute`): SQLAlchemy builds no cache key for them per batch (a
    third of SQLAlchemy's part of a claim, a quarter of the writes'), and the engine still sees them (its events),
    in the batch's transaction; the claimed rows and the people read are what `execute` gave (the flows go on)."""
    svc = any_service
    if not svc.settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite: a statement each, no round trips to save")
    await known(svc, USERS[:4])
    watched = [_statement("writes", "postgresql"), _statement("people", "postgresql"),
               _claim_statement(InboundEvent, ("chat_key",), "processing", "postgresql")]
    keyed: list[Any] = []  # the watched statements handed to the engine as Core statements (compiled, keyed)

    def executed(_conn: Any, statement: Any, *_: Any) -> None:
        if any(statement is w for w in watched):
            keyed.append(statement)

    engine = svc.app[ENGINE].sync_engine
    sizes = batch_sizes(svc)
    texts = statements(svc)
    event.listen(engine, "before_execute", executed)
    try:
        for data in ("consent:yes", "survey"):
            await svc.line_events(*(svc.line_event("postback", user, postback={"data": data}) for user in USERS[:4]))
            await svc.settle()
    finally:
        event.remove(engine, "before_execute", executed)
    assert sizes == [4, 4]
    assert not keyed
    assert len([t for t in texts if "WITH conversations_written" in t]) == 2
    assert len(people_reads(texts)) == 2
    assert len([t for t in texts if t.startswith("UPDATE inbound_events SET status")]) >= 2  # the claims
    _, patients = await people(svc)
    assert all(p.consent == "given" for p in patients.values())
    for user in USERS[:4]:  # the survey's first question, after the consent's answer
        assert len(await svc.line.messages_to(user, wait_for=4)) >= 4


def people_reads(texts: list[str]) -> list[str]:
    """The statements that read identities or conversations."""
    return [t for t in texts if t.lstrip().startswith("SELECT")
            and ("FROM channel_identities" in t or "FROM conversations" in t)]


async def test_a_batch_reads_its_people_and_conversations_in_one_statement(any_service: Service) -> None:  # noqa: F811
    """A batch's identities, their patients and its conversations come in one statement (one round trip, where
    they were two); a batch with newcomers reads once more, after creating them. Look-alikes that must stay
    apart: one person's own chat and a group chat in the same batch are two conversations, and another person's
    chat with the same id as a group is not theirs."""
    svc = any_service
    await known(svc, USERS[:4], consented=True)
    sizes = batch_sizes(svc)
    texts = statements(svc)
    await svc.line_events(*(svc.line_event("postback", user, postback={"data": "survey"}) for user in USERS[:4]),
                          say(svc, USERS[4], "hello"),
                          svc.line_event("message", USERS[0], group_id="Cgroup1",
                                         message={"id": "mg1", "type": "text", "text": "hi", "quoteToken": "q"}))
    await svc.settle()
    first = len(texts)
    asked = {user: (await svc.line.messages_to(user))[-1].text for user in USERS[:4]}
    await svc.line_events(*(svc.line_event("postback", user, postback={"data": "survey"}) for user in USERS[:4]))
    await svc.settle()
    assert sizes == [6, 4]
    assert len(people_reads(texts[:first])) == 2  # the batch's, then its newcomers' (USERS[4], the group)
    assert len(people_reads(texts[first:])) == 1
    async with svc.sessions() as session:
        conversations = (await session.exec(select(Conversation))).all()
    chats = sorted((c.chat_id, c.user_id) for c in conversations)
    assert chats == sorted([*((u, u) for u in USERS[:5]), ("Cgroup1", USERS[0])])
    for user in USERS[:4]:  # the survey started again the same way: both batches found their conversations
        assert (await svc.line.messages_to(user))[-1].text == asked[user]


async def test_a_batchs_conversations_data_is_encoded_once_not_by_the_json_type_per_row(
        any_service: Service) -> None:  # noqa: F811
    """Four patients start the survey in one batch, each flow's data replaced: the batch writes each data as the
    JSON text it encoded (once per distinct value), not through the JSON type's processor per row (per element of
    PostgreSQL's array parameter); the rows hold JSON objects that the next step reads back."""
    svc = any_service
    dialect = svc.app[ENGINE].sync_engine.dialect
    serialized: list[Any] = []

    def serializer(value: Any, **kwargs: Any) -> str:
        serialized.append(value)
        return json.dumps(value, **kwargs)

    with patch.object(dialect, "_json_serializer", serializer), patch.dict(pipeline._COMPILED, clear=True), \
            patch.dict(pipeline._STATEMENTS, clear=True):  # the JSON types' processors take it when first compiled
        await known(svc, USERS[:4], consented=True)
        sizes = batch_sizes(svc)
        serialized.clear()
        await svc.line_events(*(svc.line_event("postback", user, postback={"data": "survey"}) for user in USERS[:4]))
        await svc.settle()
    assert sizes == [4]
    async with svc.sessions() as session:
        data = [c.data for c in (await session.exec(select(Conversation))).all()]
    assert len(data) == 4 and all(isinstance(d, dict) and d for d in data)
    assert not [value for value in serialized if value in data]
    await svc.line_events(*(svc.line_event("postback", user, postback={"data": "survey"}) for user in USERS[:4]))
    await svc.settle()
    async with svc.sessions() as session:
        assert [c.data for c in (await session.exec(select(Conversation))).all()] == data  # read back, the same


async def test_a_value_a_turn_clears_is_written_by_the_batch(any_service: Service) -> None:  # noqa: F811
    """A turn that clears a value (a patient's call-back phone set to None; no handler does so today, so the test's
    turn does it after the consent handler) is written by the batch like any other value: the phone is NULL after
    commit, the name nobody set stays, the consent is given, and the batch stays one batch — each event reaches
    the handlers once (main: a None failed the batch's writes and both events were handled again one by one,
    where the phone was not cleared)."""
    svc = any_service
    await known(svc, USERS[:2])
    identities, _ = await people(svc)
    cleared = identities[USERS[0]].patient_id or 0
    async with svc.sessions() as session:
        await session.exec(update(Patient).where(col(Patient.id) == cleared)  # type: ignore[call-overload]
                           .values(display_name="คุณเอ", phone="0812345678"))
        await session.commit()
    sizes = batch_sizes(svc)
    dispatcher = svc.app[WORKERS].inbox_worker.dispatcher
    original = dispatcher.handle
    handled: list[str] = []

    async def handle(inbound: Inbound, **kwargs: Any) -> Any:
        handled.append(inbound.user_id)
        result = await original(inbound, **kwargs)
        batch = kwargs.get("known")
        if inbound.user_id == USERS[0] and batch is not None:
            batch.patients[cleared].phone = None
        return result

    dispatcher.handle = handle  # type: ignore[method-assign]
    before = {u: len(await svc.line.messages_to(u)) for u in USERS[:2]}
    await svc.line_events(*(svc.line_event("postback", u, postback={"data": "consent:yes"}) for u in USERS[:2]))
    await svc.settle()
    assert sizes == [2]
    assert sorted(handled) == sorted(USERS[:2])
    identities, patients = await people(svc)
    assert patients[cleared].phone is None and patients[cleared].display_name == "คุณเอ"
    assert all(patients[identities[u].patient_id or 0].consent == "given" for u in USERS[:2])
    answers = [[m.text for m in (await svc.line.messages_to(u))[before[u]:]] for u in USERS[:2]]
    assert answers[0] and answers[0] == answers[1]  # each answered once, alike


async def test_one_person_in_several_chats_at_once_gets_one_patient(any_service: Service) -> None:  # noqa: F811
    """A newcomer follows the bot and, at the same moment, presses a patient flow's buttons in a group and in a room
    and types a complaint in another group: four chats, so four events the claim may hand to one batch or to two
    workers at once (one chat's events run in order, two chats' do not). Only the 1:1 chat may create the person's
    patient — a group is never a patient flow (the payloads are private, free text in a group is left alone) —
    so one patient is created and bound, and each group hears only that flows are 1:1."""
    svc = any_service
    user = "U-many-chats"
    await svc.line_events(svc.line_event("follow", user),
                          svc.line_event("postback", user, group_id="Cg-a", postback={"data": "survey"}),
                          svc.line_event("postback", user, room_id="Rr-b", postback={"data": "consent:yes"}),
                          svc.line_event("message", user, group_id="Cg-c",
                                         message={"id": "mc1", "type": "text", "text": "อยากร้องเรียนค่ะ",
                                                  "quoteToken": "q"}))
    await svc.settle()
    identities, patients = await people(svc)
    assert len(patients) == 1 and identities[user].patient_id in patients
    assert patients[identities[user].patient_id or 0].consent == "none"  # the room's button did not answer
    assert await svc.line.messages_to(user, wait_for=2)  # the welcome and the notice
    private_only = svc.app[SERVICES].catalogue("menu.private_only")
    for chat in ("Cg-a", "Rr-b"):
        assert [m.text for m in await svc.line.messages_to(chat, wait_for=1)] == [private_only]
    assert not await svc.line.messages_to("Cg-c")
