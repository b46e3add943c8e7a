"""The outbox: messages become rows in the same transaction as the state change that caused them."""

from __future__ import annotations

import functools
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.messages import Outbound
from store.models import OutboundMessage

REPLY_TOKEN_LIFETIME = timedelta(seconds=50)  # LINE reply tokens last about a minute; keep a margin
# A one-time dashboard sign-in link (store/logins.py stores only its hash): kept in the outbox row
# until delivered, then blanked, so that reading the database never signs anyone in.
ONE_TIME_LINK = re.compile(r"/dashboard/login/\S+")
SENT_LINK = "/dashboard/login/[ส่งแล้ว]"


async def enqueue(
    session: AsyncSession,
    *,
    channel: str,
    chat_id: str,
    messages: list[Outbound],
    now: datetime,
    reply_token: str | None = None,
    dedupe_key: str | None = None,
    inbound_event_id: int | None = None,
) -> OutboundMessage | None:
    """Queue messages for one chat; returns None when `dedupe_key` was already queued (sent once only).

    The terminal chat has no transport to send through (bot/chat.py prints its own pings), so nothing
    is queued for it: a row there would wait forever and inflate the outbox backlog.
    """
    if not messages or channel == "terminal":
        return None
    row = OutboundMessage(
        channel=channel,
        chat_id=chat_id,
        payload={"messages": [m.to_dict() for m in messages]},
        reply_token=reply_token,
        reply_token_expires_at=now + REPLY_TOKEN_LIFETIME if reply_token else None,
        retry_key=str(uuid.uuid4()),
        dedupe_key=dedupe_key,
        inbound_event_id=inbound_event_id,
        created_at=now,
        next_attempt_at=now,
    )
    if dedupe_key is None:
        session.add(row)
        return row
    existing = (await session.exec(select(OutboundMessage).where(OutboundMessage.dedupe_key == dedupe_key))).first()
    if existing is not None:
        return None
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:  # a concurrent worker queued the same ping first
        return None
    return row


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A claimed outbox row as the sender and the transports see it (read from the claim's RETURNING; no ORM
    object). `attempts` is the attempt number of this lease."""

    id: int
    channel: str
    chat_id: str
    payload: dict[str, Any]
    reply_token: str | None
    reply_token_expires_at: datetime | None
    retry_key: str
    attempts: int

    @classmethod
    def of(cls, row: Any) -> OutboxItem:
        """From a Core row (or an OutboundMessage) of `outbound_messages`."""
        return cls(row.id, row.channel, row.chat_id, row.payload, row.reply_token, row.reply_token_expires_at,
                   row.retry_key, row.attempts)


def outbox_rows(*, channel: str, chat_id: str, messages: list[Outbound], now: datetime,
                reply_token: str | None = None, inbound_event_id: int | None = None) -> list[dict[str, Any]]:
    """`enqueue` without a dedupe key, as the row for a multi-row INSERT (Core: no ORM object); no row for an
    empty answer or the terminal chat. Only the first seven columns vary (bot/pipeline.py `_OUTBOX_ROWS`: the others
    are the same for every row of an inbox batch, `now` its time). The payload is its JSON text (`payload_json`),
    which the batch's INSERT stores as it is."""
    if not messages or channel == "terminal":
        return []
    return [{
        "channel": channel, "chat_id": chat_id, "payload": payload_json(tuple(messages)),
        "reply_token": reply_token,
        "reply_token_expires_at": now + REPLY_TOKEN_LIFETIME if reply_token else None,
        "retry_key": str(uuid.uuid4()), "dedupe_key": None, "inbound_event_id": inbound_event_id,
        "status": "pending", "attempts": 0, "created_at": now, "next_attempt_at": now, "locked_until": None,
        "sent_at": None, "last_error": None,
    }]


def payload_json(messages: tuple[Outbound, ...]) -> str:
    """An outbox row's payload as JSON text, encoded once per distinct answer when every message is `shared`: a
    survey asks everyone the same questions, so in a burst most answers are one of a few dozen (the LINE adapter's
    `wire` cache holds the same texts). The JSON column's own encoding, one `json.dumps` per row, was a sixth of
    the batch's last statement. An answer that quotes a person (a draft's preview, a phone) is encoded each time
    and never kept: an erasure cannot reach a process's memory."""
    if all(m.shared for m in messages):
        return _shared_payload_json(messages)
    return _encode_payload(messages)


def _encode_payload(messages: tuple[Outbound, ...]) -> str:
    return json.dumps({"messages": [m.to_dict() for m in messages]})


_shared_payload_json = functools.lru_cache(maxsize=1024)(_encode_payload)


def messages_of(row: OutboxItem | OutboundMessage) -> list[Outbound]:
    return [Outbound.from_dict(m) for m in row.payload.get("messages", [])]


def without_one_time_links(payload: dict[str, Any]) -> dict[str, Any] | None:
    """The payload with its sign-in links blanked (to store once delivered), or None when it has none."""
    messages = payload.get("messages", [])
    if not any(ONE_TIME_LINK.search(str(m.get("text") or "")) for m in messages):
        return None
    blanked = [{**m, "text": ONE_TIME_LINK.sub(SENT_LINK, str(m.get("text") or ""))} for m in messages]
    return {**payload, "messages": blanked}
