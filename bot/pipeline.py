"""The inbox: webhook events are stored first (`accept`), then handled by `InboxWorker`.

A worker claims pending `inbound_events` rows — only the oldest unfinished event of each chat, so one
chat's events run in order — and leases each for `LEASE` (status processing, `locked_until`, attempts + 1).
On PostgreSQL the claim uses SELECT … FOR UPDATE SKIP LOCKED, so several instances share one inbox; the
claim itself is a conditional UPDATE, so two claimers never both win. The event is then parsed by its
channel adapter, media content is fetched and kept when the sender's current step takes a file (streamed to disk,
bot/media.py), `Dispatcher.handle` runs, and its replies and pushes
become outbox rows in the same transaction that marks the event done — guarded by the lease (status
processing with our attempt number), so an event whose lease was taken over is never answered twice.
A failure puts the event back with backoff; after `MAX_ATTEMPTS` it is marked failed and the person
gets the catalogue's apology (`common.error`).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Integer, Text, and_, bindparam, case, literal_column, or_, tuple_, update
from sqlalchemy import select as core_select  # Core rows (sqlmodel's select types ORM entities)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.media import Download, TooLarge, store_stream
from bot.metrics import Metrics
from bot.settings import settings_of
from bot.throttle import SenderLimits
from handlers.dispatch import Dispatcher, Known, Result
from handlers.messages import Attachment, EventKind, Inbound, Outbound
from handlers.services import AnalysisNeeded, Services, analyses_first
from store.db import OneStatement
from store.leases import (
    any_of,
    array_column,
    array_insert,
    array_params,
    claim_leases,
    insert_new,
    json_text_column,
    leased_params,
    leased_rows,
)
from store.models import (
    ChannelIdentity,
    Conversation,
    ConversationRow,
    CoreRow,
    IdentityRow,
    InboundEvent,
    MediaFile,
    OutboundMessage,
    Patient,
    PatientRow,
    SeenEvent,
    Staff,
)
from store.outbox import REPLY_TOKEN_LIFETIME, enqueue, outbox_rows
from store.people import insert_patients
from store.pg_direct import COMPILED as _COMPILED  # noqa: F401  # tests clear it
from store.pg_direct import DirectStatement, execute
from store.seen import row_hash, seen_rows, unseen

log = logging.getLogger(__name__)
Claimed = TypeVar("Claimed")

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 5
ANALYSES_AT_ONCE = 2  # NLP analyses running at once in one process (CPU-bound: about the cores there are)
MAX_ANALYSES = 4  # NLP analyses one event's handlers may ask for (each costs one more attempt at its transaction)
BATCH = 16
LOADING_AFTER = 0.8  # seconds of handling before a 1:1 chat sees the "typing" animation
MEDIA_KINDS = frozenset({"image", "video", "audio", "file"})


_INBOX: Any = InboundEvent.__table__  # type: ignore[attr-defined]  # Core on the hot path
_OUTBOX: Any = OutboundMessage.__table__  # type: ignore[attr-defined]
_PATIENTS: Any = Patient.__table__  # type: ignore[attr-defined]
_SEEN_TABLE: Any = SeenEvent.__table__  # type: ignore[attr-defined]
_CONVERSATIONS: Any = Conversation.__table__  # type: ignore[attr-defined]
_IDENTITIES: Any = ChannelIdentity.__table__  # type: ignore[attr-defined]
# The batch's Core rows its handlers may change, written back after them: kind → (table, the columns written, their
# parameters' prefix on PostgreSQL, whether only the columns a turn set are written). A conversation is written
# whole (only the worker holding its chat's event writes it); an identity or a patient only in the columns a turn
# set, so what another transaction changed meanwhile in the others stays: each changed row carries a mask of the
# columns set (`SET`, a bit each, in the order listed here), and a column whose bit is off keeps the value in the
# table — a value set to None (a cleared phone) is written like any other. A patient's last contact goes with its
# other changes (one UPDATE per row and statement: PostgreSQL's CTEs may not both update a row).
_WRITTEN: dict[str, tuple[Any, tuple[str, ...], str, bool]] = {
    "conversations": (_CONVERSATIONS, ConversationRow.STATE, "c", False),
    "identities": (_IDENTITIES, IdentityRow.STATE, "i", True),
    "patients": (_PATIENTS, (*PatientRow.STATE, "last_seen_at"), "p", True),
}
SET = "mask"  # the parameter (PostgreSQL `<prefix>_mask`, SQLite `b_mask`) of a changed row's mask of columns set
# kind → column → its bit in the mask, for the kinds written in the columns set only
_BITS: dict[str, dict[str, int]] = {kind: {column: 1 << n for n, column in enumerate(columns)}
                                    for kind, (_, columns, _, only_set) in _WRITTEN.items() if only_set}
# JSON columns the batch writes as text it encoded (`_json_texts`): a turn replaces a flow's data, and the
# JSON type's processor encoded each row's again, element by element of the array parameter
_JSON_TEXTS = {("conversations", "data")}
# store.outbox.outbox_rows: what varies by row (PostgreSQL: one array each), and what is the same for every row of
# a batch (one scalar parameter each; fewer array elements for asyncpg to check and encode)
_OUTBOX_ROWS = ("channel", "chat_id", "payload", "reply_token", "reply_token_expires_at", "retry_key",
                "inbound_event_id")
_OUTBOX_SAME = {"dedupe_key": None, "status": "pending", "attempts": 0, "locked_until": None, "sent_at": None,
                "last_error": None}  # and created_at, next_attempt_at: the batch's now
_STATEMENTS: dict[tuple[str, str], Any] = {}


def _not_erased(table: Any) -> tuple[Any, ...]:
    """A patient erased by another transaction while the batch ran (store.privacy `erase_patient`) is never written
    again: its consent, phone or last contact would outlive the erasure, and the purge skips erased rows."""
    return (table.c.erased_at.is_(None),) if table is _PATIENTS else ()


def _statement(name: str, dialect: str) -> Any:
    """The inbox worker's batch statements, built once per dialect. Lists of ids are one array parameter on
    PostgreSQL (store/leases.py `any_of`): one SQL text, so one prepared statement and plan, for any batch size."""
    stmt = _STATEMENTS.get((name, dialect))
    if stmt is not None:
        return stmt
    if name == "done":  # a batch's events, each guarded by its lease, done in one statement RETURNING those still ours
        stmt = (update(_INBOX).where(leased_rows(_INBOX, dialect), _INBOX.c.status == "processing")
                .values(status="done", processed_at=bindparam("now", type_=_INBOX.c.processed_at.type),
                        locked_until=None, error=None)
                .returning(_INBOX.c.id))
    elif name == "seen":  # the patients' last contact (store.people.mark_seen), in one statement
        stmt = (update(_PATIENTS).where(any_of(_PATIENTS.c.id, "ids", dialect))
                .values(last_seen_at=bindparam("now", type_=_PATIENTS.c.last_seen_at.type)))
    elif name == "people":  # a superset (every channel × every id), narrowed to the pairs and triples in Python
        # Core rows (`IdentityRow`, `PatientRow`, `ConversationRow`: no ORM loading) in one statement: each
        # identity with its patient and its conversations in the batch's chats (`_read_people`)
        i, p, c = _IDENTITIES.c, _PATIENTS.c, _CONVERSATIONS.c
        stmt = (core_select(*(i[column] for column in IdentityRow.COLUMNS),
                            *(p[column] for column in PatientRow.COLUMNS),
                            *(c[column] for column in ConversationRow.COLUMNS))
                .select_from(_IDENTITIES.outerjoin(_PATIENTS, p.id == i.patient_id).outerjoin(
                    _CONVERSATIONS, and_(c.channel == i.channel, c.user_id == i.external_id,
                                         any_of(c.chat_id, "chats", dialect))))
                .where(any_of(i.channel, "channels", dialect), any_of(i.external_id, "users", dialect)))
    elif name == "staff":  # the few staff members among a batch's senders, as ORM objects (`_read_people`)
        stmt = select(Staff).where(any_of(col(Staff.id), "ids", dialect))
    elif name.endswith("_update"):  # SQLite, executemany: one kind of the batch's changed rows (`_changes`)
        kind = name.removesuffix("_update")
        stmt = _changed_update(kind, lambda column: bindparam(f"b_{column}", type_=_written_type(kind, column)))
    elif name == "outbox":  # SQLite, executemany: the answers' rows, their payloads JSON text already
        stmt = _OUTBOX.insert().values(payload=bindparam("payload", type_=Text))
    elif name == "writes":  # PostgreSQL: the batch's writes and done marks in one statement (`_batch_writes`)
        written = []
        for kind, (_, _, prefix, _) in _WRITTEN.items():
            changes = core_select(*((json_text_column(f"{prefix}_{column}") if (kind, column) in _JSON_TEXTS
                                     else array_column(_written_type(kind, column), f"{prefix}_{column}")
                                     ).label(column)
                                    for column in _written_params(kind))).subquery(f"{kind}_changes")
            written.append(_changed_update(kind, changes.c.__getitem__).cte(f"{kind}_written"))
        seen = _statement("seen", dialect).cte("patients_seen")
        outbox = array_insert(pg_insert, _OUTBOX, _OUTBOX_ROWS,
                              constants=(*_OUTBOX_SAME, "created_at", "next_attempt_at"),
                              json_texts=("payload",)).cte("outbox_written")
        done = _statement("done", dialect).cte("done")
        stmt = core_select(done.c.id).add_cte(*written, seen, outbox)
    else:
        raise KeyError(name)
    _STATEMENTS[name, dialect] = stmt
    return stmt


def _written_params(kind: str) -> tuple[str, ...]:
    """The values of a changed row of `kind` the batch sends: its id, its written columns and (only the columns
    set written) its mask of those set."""
    _, columns, _, only_set = _WRITTEN[kind]
    return ("id", *columns, SET) if only_set else ("id", *columns)


def _written_type(kind: str, column: str) -> Any:
    """The type a changed row's value is sent as: JSON encoded beforehand as text, the mask an integer, else the
    column's own."""
    if (kind, column) in _JSON_TEXTS:
        return Text()
    if column == SET:
        return Integer()
    return _WRITTEN[kind][0].c[column].type


def _changed_update(kind: str, value: Callable[[str], Any]) -> Any:
    """The UPDATE of `kind`'s changed rows, each row's values (`_written_params`) as `value(name)` gives them (SQLite:
    the executemany's parameters; PostgreSQL: a subquery's columns of arrays). A column written only when set
    (`_BITS`) takes the new value when its bit is on in the row's mask, else keeps what the table holds; a
    patient erased meanwhile is not written."""
    table, columns, _, only_set = _WRITTEN[kind]
    mask = value(SET) if only_set else None

    def written(column: str) -> Any:
        if mask is None:
            return value(column)
        bit = literal_column(str(_BITS[kind][column]), Integer)
        return case((mask.op("&")(bit) != literal_column("0", Integer), value(column)), else_=table.c[column])

    return (update(table).where(table.c.id == value("id"), *_not_erased(table))
            .values(**{column: written(column) for column in columns}))


@dataclass(frozen=True, slots=True)
class InboxItem:
    event_id: str
    chat_key: str
    payload: str  # the platform's own JSON for this one event
    status: str = "pending"  # "skipped" for events stored only for deduplication (LINE standby)


@dataclass(frozen=True, slots=True)
class Parsed:
    """An inbox row translated by its adapter; `inbound` None means: nothing to handle."""

    inbound: Inbound | None
    reply_token: str | None = None
    callback_query_id: str | None = None


class WriteGate:
    """Orders write transactions inside one process when the database is SQLite (one writer at a time).

    Without it, writers wait in SQLite's busy handler, which sleeps in growing steps and is unfair: under
    load a webhook could wait seconds for the lock. Here writers queue in asyncio and `urgent` ones (a
    platform waiting for its 200) go first; the others take their turns in arrival order, so a writer that
    comes back at once (the inbox worker's next batch) does not starve one that was already waiting (an event
    whose NLP analysis just finished). On PostgreSQL it does nothing.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._busy = False
        self._urgent = 0
        self._waiting: collections.deque[object] = collections.deque()  # the non-urgent writers, in arrival order
        self._changed = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def hold(self, *, urgent: bool = False) -> AsyncIterator[None]:
        if not self.enabled:
            yield
            return
        async with self._changed:
            if urgent:
                self._urgent += 1
                try:
                    await self._changed.wait_for(lambda: not self._busy)
                finally:
                    self._urgent -= 1
            else:
                turn = object()
                self._waiting.append(turn)
                try:
                    await self._changed.wait_for(
                        lambda: not self._busy and not self._urgent and self._waiting[0] is turn)
                finally:
                    self._waiting.remove(turn)
                    self._changed.notify_all()  # the next in line (also when this one was cancelled)
            self._busy = True
        try:
            yield
        finally:
            async with self._changed:
                self._busy = False
                self._changed.notify_all()


class Adapter(Protocol):
    channel: str

    def parse(self, payload: dict[str, Any], *, event_id: str) -> Parsed: ...

    async def prepare(self, parsed: Parsed) -> None:
        """Platform chores before handling (Telegram: answer the callback query)."""

    async def waiting(self, parsed: Parsed) -> None:
        """Show that an answer is coming (LINE loading animation); called when handling takes a moment."""

    def download(self, attachment: Attachment) -> contextlib.AbstractAsyncContextManager[Download]:
        """The content of a photo/file as it arrives (bot.media.Download)."""


# a claimed event ready to handle: id, attempt, parsed, adapter, channel
Batched = tuple[int, int, Parsed, Adapter, str]


def _typed(parsed: Parsed) -> bool:
    """Typed text (no button, no command): what a handler may have analysed."""
    inbound = parsed.inbound
    return inbound is not None and bool(inbound.text) and not inbound.payload and inbound.command is None


def _row_changes(row: CoreRow, bits: dict[str, int] | None) -> dict[str, Any] | None:
    """A batch row's values to write, or None when its turn changed nothing: every `STATE` column, or (`bits`: only
    the columns set are written) the ones set, with the row's mask of them (`SET`) — a column set to None is
    written as NULL, one not set is None here and kept as it is in the table."""
    changes = row.changes()
    if not changes:
        return None
    if bits is None:
        return {name: getattr(row, name) for name in row.STATE}
    mask = 0
    for name in changes:
        mask |= bits[name]
    return {**{name: changes.get(name) for name in row.STATE}, SET: mask}


def _changes(known: Known, now: datetime) -> tuple[dict[str, list[dict[str, Any]]], set[int]]:
    """The batch's rows its handlers changed, by kind (`_WRITTEN`: {"id": …, column: value …} each), and the
    patients whose last contact is written on its own (the others' goes with their changes)."""
    changed: dict[str, list[dict[str, Any]]] = {kind: [] for kind in _WRITTEN}
    rows: dict[str, Any] = {"conversations": known.conversations.values(), "identities": known.identities.values(),
                            "patients": known.patients.values()}
    for kind in _WRITTEN:
        bits = _BITS.get(kind)
        for row in rows[kind]:
            values = _row_changes(row, bits)
            if values is not None:
                changed[kind].append({"id": row.id, **values})
    seen_bit = _BITS["patients"]["last_seen_at"]
    for patient in changed["patients"]:
        if patient["id"] in known.seen:
            patient["last_seen_at"] = now
            patient[SET] |= seen_bit
        else:
            patient["last_seen_at"] = None
    _json_texts(changed)
    return changed, known.seen - {patient["id"] for patient in changed["patients"]}


def _json_texts(changed: dict[str, list[dict[str, Any]]]) -> None:
    """The changed rows' `_JSON_TEXTS` values as their JSON text, each distinct value (object) encoded once."""
    for kind, column in _JSON_TEXTS:
        texts: dict[int, str] = {}
        for row in changed[kind]:
            value = row[column]
            text = texts.get(id(value))
            if text is None:
                text = texts[id(value)] = json.dumps(value)
            row[column] = text


async def _batch_writes(connection: AsyncConnection, dialect: str, known: Known, outbox: list[dict[str, Any]],
                        now: datetime, leases: dict[str, Any]) -> set[int] | None:
    """A batch's writes after its handlers: the conversations, identities and patients they changed (`_changes`),
    the answers' outbox rows and the patients' last contact. PostgreSQL: one statement (the rows inserted or
    updated from arrays, the UPDATEs as data-modifying CTEs), one round trip and one text for any batch, instead of
    a statement each of which some were executemany (a Bind and an Execute per row); it also marks the batch's
    events (`leases`, `leased_params`) done, each guarded by its lease, and returns the ids it marked (none when
    they were marked done first). SQLite: a statement each (no round trips); the events were marked done first."""
    changed, seen = _changes(known, now)
    if dialect == "postgresql":
        params = {**array_params(outbox, _OUTBOX_ROWS), "ids": sorted(seen), "now": now, **leases,
                  **{f"k_{name}": value for name, value in _OUTBOX_SAME.items()},
                  "k_created_at": now, "k_next_attempt_at": now}
        for kind, (_, _, prefix, _) in _WRITTEN.items():
            params.update({f"{prefix}_{column}": [row[column] for row in changed[kind]]
                           for column in _written_params(kind)})
        return {row_id for (row_id,) in await execute(connection, _statement("writes", dialect), params)}
    for kind, rows in changed.items():
        if rows:
            await connection.execute(_statement(f"{kind}_update", dialect),
                                     [{f"b_{column}": value for column, value in row.items()} for row in rows])
    if outbox:
        await connection.execute(_statement("outbox", dialect), outbox)
    if seen:
        await connection.execute(_statement("seen", dialect), {"ids": sorted(seen), "now": now})
    return None


async def accept(session: AsyncSession, *, channel: str, items: list[InboxItem], now: datetime) -> int:
    """Store webhook events; ones already stored (same channel and event id) are ignored. Returns how
    many were new. The caller commits before answering the platform."""
    return (await accept_many(session, [(channel, items)], now=now))[0]


ACCEPT_CHUNK = 500  # rows per INSERT (9 parameters each; SQLite allows 32,766)


async def accept_many(db: AsyncSession | AsyncConnection, batches: list[tuple[str, list[InboxItem]]], *,
                      now: datetime) -> list[int]:
    """`accept` for several webhook requests at once (group commit): one multi-row INSERT … ON CONFLICT DO
    NOTHING RETURNING per chunk instead of one statement per event. Returns, per request, how many of its
    events were new. An id that occurs twice (a redelivery inside one request, or two requests of the same
    batch) is new only at its first occurrence, in arrival order — as if stored one by one. A LINE id whose hash
    is in `seen_events` (store/seen.py) is not new either, even when its inbox row was purged long ago.
    PostgreSQL: the seen hashes and the inbox rows in one statement (`accept_statement`), so a group commit of
    up to `ACCEPT_CHUNK` rows is one round trip, and needs no transaction of its own (`db` may be a Core
    connection in autocommit: bot/inbox_batch.py). SQLite: two statements."""
    rows = inbox_rows(batches, now)
    if not rows:
        return [0 for _ in batches]
    connection = await db.connection() if isinstance(db, AsyncSession) else db
    if connection.dialect.name == "postgresql":  # hashes and inbox rows in one statement per chunk
        inserted: list[tuple[str, str]] = []
        for start in range(0, len(rows), ACCEPT_CHUNK):
            chunk = rows[start:start + ACCEPT_CHUNK]
            result = await connection.execute(accept_statement(), accept_params(chunk, now))
            inserted.extend((channel, event_id) for channel, event_id in result.all())
        return new_counts(batches, inserted)
    hashes = seen_rows(rows, now)
    if hashes:  # ids seen before (also long purged from the inbox) are duplicates: not stored again
        fresh: set[tuple[str, str]] = set()
        for start in range(0, len(hashes), ACCEPT_CHUNK):
            new = await _accept_insert(connection, "seen", hashes[start:start + ACCEPT_CHUNK])
            fresh.update((channel, digest) for channel, digest in new)
        rows = unseen(rows, fresh)
    inserted = []
    for start in range(0, len(rows), ACCEPT_CHUNK):
        new = await _accept_insert(connection, "inbox", rows[start:start + ACCEPT_CHUNK])
        inserted.extend((channel, event_id) for channel, event_id in new)
    return new_counts(batches, inserted)


_INBOX_COLUMNS = ("channel", "event_id", "chat_key", "payload", "status", "attempts", "received_at",
                  "next_attempt_at", "processed_at")


async def _accept_insert(connection: Any, name: str, rows: list[dict[str, Any]]) -> list[Any]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING the new rows' keys, for the inbox or its seen hashes
    (store/leases.py `insert_new`: one SQL text for any row count on PostgreSQL)."""
    if name == "inbox":
        return await insert_new(connection, _INBOX, rows, columns=_INBOX_COLUMNS, conflict=("channel", "event_id"))
    return await insert_new(connection, _SEEN_TABLE, rows, columns=("channel", "event_hash", "seen_at"),
                            conflict=("channel", "event_hash"))


# `accept_statement`'s columns that vary by row, one array parameter each; the rest are the group commit's `now`
# (received_at, next_attempt_at, seen_at; processed_at for a skipped event), attempts 0.
_ACCEPT_ARRAYS = ("channel", "event_id", "chat_key", "payload", "status")


def accept_params(rows: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    """The parameters of `accept_statement` for up to `ACCEPT_CHUNK` inbox rows made at `now` (`inbox_rows`)."""
    return {**array_params(rows, _ACCEPT_ARRAYS), "a_event_hash": [row_hash(r) for r in rows], "now": now}


def accept_warm_up(now: datetime) -> dict[str, Any]:
    """Parameters of `accept_statement` that store nothing (no rows): run when an ack connection opens."""
    return accept_params([], now)


async def accept_direct(direct: DirectStatement, batches: list[tuple[str, list[InboxItem]]], *,
                        now: datetime) -> list[int]:
    """`accept_many` on PostgreSQL for up to `ACCEPT_CHUNK` rows, as one `accept_statement` executed on asyncpg's
    own pool (store/pg_direct.py: the web process's ack without SQLAlchemy around it)."""
    rows = inbox_rows(batches, now)
    if not rows:
        return [0 for _ in batches]
    inserted = [(channel, event_id) for channel, event_id in await direct.fetch(accept_params(rows, now))]
    return new_counts(batches, inserted)


def accept_statement() -> Any:
    """PostgreSQL: `WITH r AS (the rows, one array per column), fresh AS (INSERT INTO seen_events … ON CONFLICT DO
    NOTHING RETURNING …) INSERT INTO inbound_events SELECT … FROM r WHERE unhashed OR its hash is in fresh ON
    CONFLICT DO NOTHING RETURNING channel, event_id` — `accept_many`'s two steps in one statement, one text. Only
    the columns that vary by row are arrays (`_ACCEPT_ARRAYS`): the times are the one `:now` (asyncpg encoded and
    checked three timestamps and an attempts count per row before) and a skipped event is processed at it."""
    key = ("accept", "postgresql")
    stmt = _STATEMENTS.get(key)
    if stmt is not None:
        return stmt
    r = core_select(*(array_column(_INBOX.c[c], f"a_{c}").label(c) for c in _ACCEPT_ARRAYS),
                    array_column(_SEEN_TABLE.c.event_hash, "a_event_hash").label("event_hash")).cte("r")
    now = bindparam("now", type_=_INBOX.c.received_at.type)
    fresh = (pg_insert(_SEEN_TABLE)
             .from_select(["channel", "event_hash", "seen_at"],
                          core_select(r.c.channel, r.c.event_hash, now).where(r.c.event_hash.is_not(None)))
             .on_conflict_do_nothing(index_elements=["channel", "event_hash"])
             .returning(_SEEN_TABLE.c.channel, _SEEN_TABLE.c.event_hash).cte("fresh"))
    new = or_(r.c.event_hash.is_(None),
              tuple_(r.c.channel, r.c.event_hash).in_(core_select(fresh.c.channel, fresh.c.event_hash)))
    skipped = r.c.status == literal_column("'skipped'")
    values = {**{c: r.c[c] for c in _ACCEPT_ARRAYS}, "attempts": literal_column("0", Integer),
              "received_at": now, "next_attempt_at": now, "processed_at": case((skipped, now))}
    rows = core_select(*(values[c] for c in _INBOX_COLUMNS)).where(new)
    stmt = (pg_insert(_INBOX).from_select(list(_INBOX_COLUMNS), rows)
            .on_conflict_do_nothing(index_elements=["channel", "event_id"])
            .returning(_INBOX.c.channel, _INBOX.c.event_id)
            .add_cte(r, fresh))
    _STATEMENTS[key] = stmt
    return stmt


def inbox_rows(batches: list[tuple[str, list[InboxItem]]], now: datetime) -> list[dict[str, Any]]:
    """The `inbound_events` rows of a group commit, in arrival order."""
    return [
        {"channel": channel, "event_id": i.event_id, "chat_key": i.chat_key, "payload": i.payload,
         "status": i.status, "attempts": 0, "received_at": now, "next_attempt_at": now,
         "processed_at": now if i.status == "skipped" else None}
        for channel, items in batches for i in items
    ]


def new_counts(batches: list[tuple[str, list[InboxItem]]], inserted: list[tuple[str, str]]) -> list[int]:
    """Per request, how many of its events were among the `inserted` (channel, event_id) pairs — each pair
    counts once, for its first occurrence in arrival order."""
    fresh = set(inserted)
    counts = []
    for channel, items in batches:
        new = 0
        for i in items:
            if (channel, i.event_id) in fresh:
                fresh.discard((channel, i.event_id))  # a later copy of the same id is not new
                new += 1
        counts.append(new)
    return counts


# the people statement's columns: the identity's, its patient's, then a conversation's
_PATIENT_AT = len(IdentityRow.COLUMNS)
_CONVERSATION_AT = _PATIENT_AT + len(PatientRow.COLUMNS)


async def _read_people(session: AsyncSession, connection: AsyncConnection, dialect: str, known: Known,
                       people: set[tuple[str, str]],
                       chats: set[tuple[str, str, str]]) -> None:
    """The identities of (channel, user id) pairs, the patients behind them and the conversations of (channel,
    chat id, user id) triples (each user's among `people`) into `known`, as Core rows, with one query — one round
    trip, where identities and conversations were two; rows already known are kept as they are. Staff members
    among them (rare: a patient burst has none) as ORM objects with one more (into the session, where
    `store.people.staff_for` finds them; held by `known.rows`)."""
    params = {"channels": sorted({c for c, _ in people}), "users": sorted({u for _, u in people}),
              "chats": sorted({chat for _, chat, _ in chats})}
    staff: set[int] = set()
    identities, patients, conversations = known.identities, known.patients, known.conversations
    for row in await execute(connection, _statement("people", dialect), params):
        pair = (row[1], row[2])  # channel, external id
        if pair in people and pair not in identities:
            identity = identities[pair] = IdentityRow(*row[:_PATIENT_AT])
            if row[_PATIENT_AT] is not None and row[_PATIENT_AT] not in patients:
                patients[row[_PATIENT_AT]] = PatientRow(*row[_PATIENT_AT:_CONVERSATION_AT])
            if identity.staff_id is not None:
                staff.add(identity.staff_id)
        if row[_CONVERSATION_AT] is not None:
            triple = (row[_CONVERSATION_AT + 1], row[_CONVERSATION_AT + 2], row[_CONVERSATION_AT + 3])
            if triple in chats and triple not in conversations:
                conversations[triple] = ConversationRow(*row[_CONVERSATION_AT:])
    if staff:
        known.rows += (await session.exec(_statement("staff", dialect), params={"ids": sorted(staff)})).all()


class Loop:
    """A background worker: runs `step` until it finds nothing to do, then sleeps until woken or polled."""

    def __init__(self, name: str, step: Callable[[], Awaitable[bool]], poll_seconds: float) -> None:
        self.name = name
        self.step = step
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                busy = await self.step()
            except Exception:
                log.exception("%s worker step failed", self.name)
                busy = False
            if busy or self._stopping:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=self.name)

    async def stop(self, grace: float = 5.0) -> None:
        """Let the current step finish (its transaction commits or rolls back whole), then end."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None


class LeasedQueue(Generic[Claimed]):
    """What the inbox worker and the outbox sender share: a queue table whose rows are leased a batch at a time
    (store/leases.py: the oldest unfinished row of each chat, one statement), the claimed rows kept until they
    are handled, and the write gate around every write transaction."""

    model: type[SQLModel]
    queue: tuple[str, ...]  # the columns of a queue key (a chat): its rows are handled in order
    leased: str  # the status of a row being worked on
    lease: timedelta
    batch: int  # rows per claim unless told otherwise

    def __init__(self, services: Services, gate: WriteGate | None) -> None:
        self.services = services
        self.gate = gate or WriteGate(enabled=False)
        self._claimed: dict[int, Claimed] = {}
        self.one_statement = OneStatement(services.sessions)  # claims, marks: no BEGIN/COMMIT on PostgreSQL

    def channels(self) -> list[str]:
        raise NotImplementedError

    def kept(self, row: Any) -> Claimed:
        """What is kept of a claimed row (a Core row with every column, as leased)."""
        raise NotImplementedError

    async def claim(self, limit: int | None = None) -> list[tuple[int, int]]:
        """Lease up to `limit` rows (`batch` by default), the oldest unfinished one of each chat; returns
        (id, attempt) in id order."""
        async with self.gate.hold(), self.one_statement.connect() as connection:
            won = await claim_leases(connection, self.model, queue=self.queue, leased=self.leased,
                                     channels=self.channels(), now=self.services.clock(), lease=self.lease,
                                     limit=self.batch if limit is None else limit)
        for row in won:  # kept for handling: the claim returned the whole row
            self._claimed[row.id] = self.kept(row)
        return [(row.id, row.attempts) for row in won]


class InboxWorker(LeasedQueue[Any]):
    model = InboundEvent
    queue = ("chat_key",)
    leased = "processing"
    lease = LEASE
    batch = BATCH

    def __init__(
        self,
        *,
        services: Services,
        dispatcher: Dispatcher,
        adapters: dict[str, Adapter],
        metrics: Metrics,
        media_dir: Path,
        on_outbox: Callable[[], None] = lambda: None,
        loading_after: float = LOADING_AFTER,
        gate: WriteGate | None = None,
    ) -> None:
        super().__init__(services, gate)
        self.dispatcher = dispatcher
        self.adapters = adapters
        self.metrics = metrics
        self.media_dir = media_dir
        self.on_outbox = on_outbox
        self.loading_after = loading_after
        self._chores: set[asyncio.Task[None]] = set()
        self._analysing = asyncio.Semaphore(ANALYSES_AT_ONCE)
        settings = settings_of(services)
        self.limits = SenderLimits(burst=settings.sender_burst, per_minute=settings.sender_per_minute)

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.services.clock

    async def step(self) -> bool:
        """Claim and handle one batch; True when there was work."""
        if settings_of(self.services).is_sqlite:  # one writer at a time anyway
            claimed = await self.claim()
        else:
            # INBOX_CONCURRENCY (default 4) at a time, so webhooks in the same process always find a free
            # connection and a responsive event loop; a `serve --role worker` process can take more (12 measured
            # best on 2 cores, bench/README.md); more throughput comes from more instances.
            claimed = await self.claim(limit=settings_of(self.services).inbox_concurrency)
        if len(claimed) == 1:
            await self.process(*claimed[0])
        elif claimed:
            await self.process_batch(claimed)
        return bool(claimed)

    def channels(self) -> list[str]:
        return list(self.adapters)

    def kept(self, row: Any) -> Any:
        return row

    def _ours(self, row_id: int, attempt: int) -> Any:
        ev = InboundEvent
        return and_(col(ev.id) == row_id, col(ev.status) == "processing", col(ev.attempts) == attempt)

    async def process(self, row_id: int, attempt: int) -> None:
        """Handle one claimed event in a transaction of its own."""
        ready = await self._ready(row_id, attempt)
        if ready is not None:
            await self._handle_one(row_id, attempt, *ready)

    async def _ready(self, row_id: int, attempt: int) -> tuple[Parsed, Adapter, str] | None:
        """Parse a claimed event and do what comes before its transaction (the platform's chores, the sender's
        rate, media). Returns what to handle, or None when the event was settled here (unreadable, nothing to
        handle, over the rate, failed)."""
        row = self._claimed.pop(row_id, None)
        if row is None:
            async with self.services.sessions() as session:
                row = await session.get(InboundEvent, row_id)
        if row is None:
            return None
        channel = row.channel
        adapter = self.adapters[channel]
        try:
            parsed = adapter.parse(json.loads(row.payload), event_id=row.event_id)
        except Exception as exc:  # the webhook checked the shape only: what the SDK cannot read never will be
            log.warning("inbound event %s (%s) unreadable: %s", row_id, channel, type(exc).__name__)
            await self._failed(row_id, attempt, exc, channel, final=True)
            return None
        try:
            sender = parsed.inbound
            if sender is None:
                await self._finish(row_id, attempt, "skipped")
                self.metrics.handled.labels(channel, "skipped").inc()
                return None
            await adapter.prepare(parsed)
            if parsed.reply_token and row.received_at + REPLY_TOKEN_LIFETIME <= self.clock():
                # LINE's token counts from the webhook, not from now (e.g. after a restart): push instead.
                parsed = replace(parsed, reply_token=None)
            if sender.kind in (EventKind.MESSAGE, EventKind.POSTBACK):
                verdict = self.limits.take(channel, sender.user_id, row.received_at)
                if verdict != "ok":
                    await self._throttled(row_id, attempt, parsed, tell=verdict == "tell")
                    self.metrics.handled.labels(channel, "throttled").inc()
                    return None
            inbound = await self._keep_media(adapter, sender)
        except Exception as exc:
            log.exception("inbound event %s (%s) failed on attempt %d", row_id, channel, attempt)
            await self._failed(row_id, attempt, exc, channel)
            return None
        return replace(parsed, inbound=inbound), adapter, channel

    async def _handle_one(self, row_id: int, attempt: int, parsed: Parsed, adapter: Adapter, channel: str) -> None:
        try:
            if await self._handle(row_id, attempt, parsed, adapter, channel):
                self.metrics.handled.labels(channel, "ok").inc()
        except Exception as exc:
            log.exception("inbound event %s (%s) failed on attempt %d", row_id, channel, attempt)
            await self._failed(row_id, attempt, exc, channel)

    async def process_batch(self, claimed: list[tuple[int, int]]) -> None:
        """Handle claimed events (each of another chat) in one write transaction: one multi-row UPDATE marks them done
        — guarded, per event, by its lease — the batch's identities, patients and conversations are read with one
        query (its staff, if any, with one more), every event's handlers run, their answers become outbox rows in
        one multi-row INSERT, and one commit ends the batch. No savepoint per event: an event whose handlers fail or
        ask for an NLP analysis rolls the batch's transaction back, and the batch runs again without it (a fresh
        transaction: nothing of the failed attempt stays); the event itself stays leased (its chat's later events
        wait) and is handled afterwards on its own (`_handle`: retries, the apology, the analysis), so it never
        costs the others their answers, nor answers them twice. If the batch's transaction itself fails (the
        commit), every event is handled on its own."""
        ready = await asyncio.gather(*(self._ready(row_id, attempt) for row_id, attempt in claimed))
        batch = [(row_id, attempt, *r) for (row_id, attempt), r in zip(claimed, ready, strict=True) if r is not None]
        loading = [asyncio.get_running_loop().call_later(self.loading_after, self._show_waiting, adapter, parsed)
                   for _, _, parsed, adapter, _ in batch if parsed.inbound is not None and not parsed.inbound.is_group]
        handled: list[tuple[Batched, Result]] = []
        left: list[Batched] = []
        # Typed text first: it is what may ask for an analysis (a comment, a complaint), so a failed attempt
        # costs the events handled before it in the batch, and those are few.
        todo = sorted(batch, key=lambda e: not _typed(e[2]))
        try:
            while todo:
                handled, failing = await self._batch_transaction(todo)
                if failing is None:
                    break
                left.append(failing)
                todo = [e for e in todo if e is not failing]
        except Exception:
            log.exception("inbound batch of %d failed; handling its events one by one", len(todo))
            handled, left = [], left + todo
        finally:
            for timer in loading:
                timer.cancel()
        for (_, _, _, _, channel), result in handled:
            self.metrics.handled.labels(channel, "ok").inc()
            self._announce(result)
        for row_id, attempt, parsed, adapter, channel in sorted(left, key=lambda e: e[0]):
            await self._handle_one(row_id, attempt, parsed, adapter, channel)

    async def _batch_transaction(self, batch: list[Batched]) -> tuple[list[tuple[Batched, Result]], Batched | None]:
        """One attempt at a batch's transaction: (the events handled and committed, None), or ([], the first
        event whose handlers failed or asked for an analysis) with the transaction rolled back. Events whose
        lease was lost are left out (their new owner answers them).

        PostgreSQL: the events are marked done by the batch's last statement, with its writes (`_batch_writes`),
        one round trip less; should a lease have been lost meanwhile (it runs out after `LEASE`, and another
        worker may then claim the event), that statement marks fewer events than the batch holds, and the
        transaction is rolled back and run again with the events marked done first, as on SQLite."""
        if not settings_of(self.services).is_sqlite:
            attempt = await self._batch_attempt(batch, marked_first=False)
            if attempt is not None:
                return attempt
        attempt = await self._batch_attempt(batch, marked_first=True)
        assert attempt is not None
        return attempt

    async def _batch_attempt(self, batch: list[Batched], *, marked_first: bool
                             ) -> tuple[list[tuple[Batched, Result]], Batched | None] | None:
        """`_batch_transaction` with the events marked done first (`marked_first`), or by the last statement
        (PostgreSQL; None when a lease was lost: rolled back)."""
        handled: list[tuple[Batched, Result]] = []
        async with self.gate.hold(), self.services.sessions() as session:
            now = self.clock()
            connection = await session.connection()
            dialect = connection.dialect.name
            leases = leased_params([(e[0], e[1]) for e in batch], dialect)
            if marked_first:
                done = await execute(connection, _statement("done", dialect), {**leases, "now": now})
                ours = {row_id for (row_id,) in done}
                for lost in (e for e in batch if e[0] not in ours):
                    log.warning("inbound event %s: lease lost, left to its new owner", lost[0])
            else:
                ours = {e[0] for e in batch}
            known = await self._known(session, connection, [e[2].inbound for e in batch if e[0] in ours], now)
            outbox: list[dict[str, Any]] = []
            # one context for the batch's handlers, not one per event: a short text analysed in place is kept for the
            # attempt (the same text, ratings and question give the same analysis); a longer one ends the attempt
            with analyses_first():
                for event in batch:
                    row_id, _, parsed, _, _ = event
                    if row_id not in ours:
                        continue
                    inbound = parsed.inbound
                    assert inbound is not None
                    try:
                        result = await self.dispatcher.handle(inbound, session=session, known=known)
                        for push in result.pushes:  # a push with a dedupe key is checked against the others
                            if push.dedupe_key is not None:
                                await enqueue(session, channel=push.channel, chat_id=push.chat_id,
                                              messages=push.messages, now=now, dedupe_key=push.dedupe_key,
                                              inbound_event_id=row_id)
                    except (Exception, AnalysisNeeded):
                        await session.rollback()
                        return [], event
                    outbox += outbox_rows(channel=inbound.channel, chat_id=inbound.chat_id, messages=result.replies,
                                          now=now, reply_token=parsed.reply_token, inbound_event_id=row_id)
                    for push in result.pushes:
                        if push.dedupe_key is None:
                            outbox += outbox_rows(channel=push.channel, chat_id=push.chat_id, messages=push.messages,
                                                  now=now, inbound_event_id=row_id)
                    handled.append((event, result))
            marked = await _batch_writes(connection, dialect, known, outbox, now, leases)
            if not marked_first and marked != ours:
                log.info("inbound batch: a lease was lost while it was handled; handled again, marked done first")
                await session.rollback()
                return None
            await session.commit()
        return handled, None

    async def _handle(self, row_id: int, attempt: int, parsed: Parsed, adapter: Adapter, channel: str) -> bool:
        """Handle the event in one write transaction; True when done. An NLP analysis the handlers ask for is
        never run inside it (seconds of CPU for a long complaint, and on SQLite every other chat's writes would
        wait for the lock), nor in the worker's step (the other chats' events would wait for it): the attempt
        rolls back and a task of its own runs the analysis and handles the event again (False). The event
        keeps its lease meanwhile, so its chat's later events still wait their turn."""
        inbound = parsed.inbound
        assert inbound is not None
        loading = None
        if not inbound.is_group:
            loading = asyncio.get_running_loop().call_later(self.loading_after, self._show_waiting, adapter, parsed)
        try:
            with analyses_first():
                try:
                    result = await self._transaction(row_id, attempt, parsed)
                except AnalysisNeeded as needed:
                    self._chore(self._after_analysis(row_id, attempt, parsed, needed, channel, loading))
                    loading = None  # the task ends it
                    return False
        finally:
            if loading is not None:
                loading.cancel()
        self._announce(result)
        return True

    async def _after_analysis(self, row_id: int, attempt: int, parsed: Parsed, needed: AnalysisNeeded,
                              channel: str, loading: asyncio.TimerHandle | None) -> None:
        try:
            with analyses_first():
                for _ in range(MAX_ANALYSES):
                    async with self._analysing:
                        await self.services.prepare(needed)
                    try:
                        result = await self._transaction(row_id, attempt, parsed)
                        break
                    except AnalysisNeeded as more:
                        needed = more
                else:
                    raise RuntimeError(f"handlers asked for more than {MAX_ANALYSES} analyses")
            self._announce(result)
            self.metrics.handled.labels(channel, "ok").inc()
        except Exception as exc:
            log.exception("inbound event %s (%s) failed on attempt %d", row_id, channel, attempt)
            await self._failed(row_id, attempt, exc, channel)
        finally:
            if loading is not None:
                loading.cancel()

    def _announce(self, result: Result | None) -> None:
        if result is not None and (result.replies or result.pushes):
            self.on_outbox()

    def _chore(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._chores.add(task)  # keep a reference until done (the loop holds tasks only weakly)
        task.add_done_callback(self._chores.discard)

    async def close(self, grace: float = 5.0) -> None:
        """Let events waiting for an analysis finish (or be cancelled: their lease runs out and they are retried)."""
        if not self._chores:
            return
        _, pending = await asyncio.wait(set(self._chores), timeout=grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _transaction(self, row_id: int, attempt: int, parsed: Parsed) -> Result | None:
        """One attempt at the event's transaction; None when the lease was lost."""
        inbound = parsed.inbound
        assert inbound is not None
        async with self.gate.hold(), self.services.sessions() as session:
            now = self.clock()
            done = await session.execute(
                update(InboundEvent)
                .where(self._ours(row_id, attempt))
                .values(status="done", processed_at=now, locked_until=None, error=None)
            )
            if done.rowcount != 1:  # type: ignore[attr-defined]  # a CursorResult
                log.warning("inbound event %s: lease lost, left to its new owner", row_id)
                await session.rollback()
                return None
            result = await self.dispatcher.handle(inbound, session=session)
            await enqueue(
                session, channel=inbound.channel, chat_id=inbound.chat_id, messages=result.replies, now=now,
                reply_token=parsed.reply_token, inbound_event_id=row_id,
            )
            for push in result.pushes:
                await enqueue(
                    session, channel=push.channel, chat_id=push.chat_id, messages=push.messages, now=now,
                    dedupe_key=push.dedupe_key, inbound_event_id=row_id,
                )
            await session.commit()
        return result

    async def _known(self, session: AsyncSession, connection: AsyncConnection, inbounds: list[Inbound | None],
                     now: datetime) -> Known:
        """The batch's identities with the patients behind them and its conversations, in one joined query, as Core
        rows into `known` (the handlers find them through the turn; staff members, if any, into the session:
        `_read_people`): one query instead of one per event. Identities and conversations met for the first time
        are created here, all of a batch in one INSERT … ON CONFLICT DO NOTHING each (one created meanwhile by
        another worker is kept), and read with one more query; so are the patients of first contacts whose
        handler reads them (a follow: the consent check), in one INSERT (`insert_patients`), their identities
        written by the batch. A burst of new patients (a broadcast) otherwise cost a savepoint and three flushes
        per person."""
        known = Known()
        people = {(str(i.channel), i.user_id) for i in inbounds if i is not None}
        chats = {(str(i.channel), i.chat_id, i.user_id) for i in inbounds if i is not None}
        if not people:
            return known
        dialect = connection.dialect.name
        await _read_people(session, connection, dialect, known, people, chats)
        missing = people - known.identities.keys()
        missing_chats = chats - known.conversations.keys()
        if missing:
            await insert_new(connection, _IDENTITIES, [{"channel": c, "external_id": u} for c, u in sorted(missing)],
                             columns=("channel", "external_id"), conflict=("channel", "external_id"),
                             constants={"followed": True, "created_at": now})
        if missing_chats:
            await insert_new(connection, _CONVERSATIONS,
                             [{"channel": c, "chat_id": chat, "user_id": u} for c, chat, u in sorted(missing_chats)],
                             columns=("channel", "chat_id", "user_id"), conflict=("channel", "chat_id", "user_id"),
                             constants={"data": {}, "updated_at": now})
        if missing or missing_chats:  # the rows just created (or created meanwhile by another worker)
            await _read_people(session, connection, dialect, known, missing | {(c, u) for c, _, u in missing_chats},
                               missing_chats)
        needy = {(str(i.channel), i.user_id) for i in inbounds if i is not None and self.dispatcher.needs_patient(i)}
        newcomers = [known.identities[key] for key in sorted(needy) if known.identities[key].patient_id is None]
        if newcomers:
            for identity, patient in zip(newcomers, await insert_patients(connection, len(newcomers), now),
                                         strict=True):
                identity.patient_id = patient.id  # written with the batch's other changes
                known.patients[patient.id] = patient
        return known

    def _show_waiting(self, adapter: Adapter, parsed: Parsed) -> None:
        self._chore(adapter.waiting(parsed))

    async def _throttled(self, row_id: int, attempt: int, parsed: Parsed, *, tell: bool) -> None:
        """Over the sender's rate: acknowledged (skipped, not handled); the first such event of an episode is
        answered with the catalogue's polite request to slow down."""
        inbound = parsed.inbound
        assert inbound is not None
        async with self.gate.hold(), self.services.sessions() as session:
            now = self.clock()
            result = await session.execute(
                update(InboundEvent)
                .where(self._ours(row_id, attempt))
                .values(status="skipped", processed_at=now, locked_until=None, error="over the sender's rate")
            )
            told = tell and result.rowcount == 1  # type: ignore[attr-defined]  # a CursorResult
            if told:
                text = self.services.catalogue("common.slow_down")
                await enqueue(session, channel=inbound.channel, chat_id=inbound.chat_id, messages=[Outbound(text)],
                              now=now, reply_token=parsed.reply_token, inbound_event_id=row_id)
            await session.commit()
        if told:
            self.on_outbox()

    async def _finish(self, row_id: int, attempt: int, status: str) -> None:
        async with self.gate.hold(), self.services.sessions() as session:
            await session.execute(
                update(InboundEvent)
                .where(self._ours(row_id, attempt))
                .values(status=status, processed_at=self.clock(), locked_until=None)
            )
            await session.commit()

    async def _failed(self, row_id: int, attempt: int, exc: Exception, channel: str, *, final: bool = False) -> None:
        now = self.clock()
        error = f"{type(exc).__name__}: {exc}"[:500]
        final = final or attempt >= MAX_ATTEMPTS
        async with self.gate.hold(), self.services.sessions() as session:
            if final:
                values: dict[str, Any] = {"status": "failed", "locked_until": None, "error": error,
                                          "processed_at": now}
            else:
                backoff = timedelta(seconds=min(2 ** attempt, 300))
                values = {"status": "pending", "locked_until": None, "error": error, "next_attempt_at": now + backoff}
            result = await session.execute(update(InboundEvent).where(self._ours(row_id, attempt)).values(**values))
            apologised = False
            if final and result.rowcount == 1:  # type: ignore[attr-defined]  # a CursorResult
                row = await session.get(InboundEvent, row_id)
                apologised = row is not None and await self._apology(session, row, now)
            await session.commit()
        self.metrics.handled.labels(channel, "failed" if final else "retry").inc()
        if apologised:
            self.on_outbox()

    async def _apology(self, session: AsyncSession, row: InboundEvent, now: datetime) -> bool:
        """The person whose message could not be handled hears that it was received (never silence)."""
        adapter = self.adapters.get(row.channel)
        if adapter is None:
            return False
        try:
            parsed = adapter.parse(json.loads(row.payload), event_id=row.event_id)
        except Exception:
            return False
        if parsed.inbound is None:
            return False
        text = self.services.catalogue("common.error", hospital=self.services.settings.hospital_name)
        await enqueue(session, channel=row.channel, chat_id=parsed.inbound.chat_id, messages=[Outbound(text)],
                      now=now, inbound_event_id=row.id)
        return True

    # --- media ------------------------------------------------------------------------------------

    async def _keep_media(self, adapter: Adapter, inbound: Inbound) -> Inbound:
        """Fetch photos and files only when the sender's current step takes them (a complaint's text step,
        /report's photo step); anywhere else they are answered politely and never downloaded."""
        if not any(a.kind in MEDIA_KINDS and a.ref for a in inbound.attachments):
            return inbound
        if not await self.dispatcher.takes_media(inbound):
            return inbound
        kept = [await self._keep(adapter, inbound, a) if a.kind in MEDIA_KINDS and a.ref else a
                for a in inbound.attachments]
        return replace(inbound, attachments=tuple(kept))

    async def _keep(self, adapter: Adapter, inbound: Inbound, attachment: Attachment) -> Attachment:
        """Stream the content to disk once (a retried event reuses the stored file) and record it as a
        MediaFile with its sender."""
        channel = inbound.channel
        async with self.services.sessions() as session:
            existing = (await session.exec(
                select(MediaFile).where(MediaFile.channel == channel, MediaFile.platform_ref == attachment.ref)
            )).first()
            if existing is not None and existing.status in ("stored", "too_large"):
                return replace(attachment, media_id=existing.id, content_type=existing.content_type,
                               size=existing.size, too_large=existing.status == "too_large")
        media = existing or MediaFile(channel=channel, platform_ref=attachment.ref, kind=attachment.kind,
                                      sender_id=inbound.user_id, created_at=self.clock())
        limit = settings_of(self.services).media_max_bytes
        try:
            if attachment.size is not None and attachment.size > limit:  # the platform said so: not fetched
                raise TooLarge(attachment.size)
            folder = Path(channel) / self.clock().strftime("%Y%m")
            async with adapter.download(attachment) as download:
                stored = await store_stream(download, media_dir=self.media_dir, folder=folder, limit=limit)
            media.path, media.size, media.sha256 = str(stored.path), stored.size, stored.sha256
            media.content_type, media.status = stored.content_type, "stored"
        except TooLarge as big:
            log.warning("media %s from %s over the size limit: %d > %d bytes", attachment.kind, channel, big.size,
                        limit)
            media.status, media.size = "too_large", big.size
        except Exception as exc:
            log.warning("media %s from %s not fetched: %s", attachment.kind, channel, type(exc).__name__)
            media.status = "failed"
        async with self.gate.hold(), self.services.sessions() as session:
            session.add(media)
            await session.commit()
            await session.refresh(media)
        size = media.size or attachment.size
        return replace(attachment, media_id=media.id, content_type=media.content_type, size=size,
                       too_large=media.status == "too_large")
