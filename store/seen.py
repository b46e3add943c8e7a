"""Webhook event ids already accepted, kept (as SHA-256 hashes) longer than the inbox rows themselves.

The inbox deduplicates by its unique (channel, event_id) — but only while the row exists: once purge has
removed it, a captured signed LINE request would be accepted again. Every accepted LINE event's id is
hashed into `seen_events` in the transaction that stores the event, and an event whose hash is there is a
duplicate however old. Telegram is not hashed: its update ids may be reused at random after a week without
updates, and a captured Telegram request carries the webhook secret itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import SeenEvent

HASHED_CHANNELS = frozenset({"line"})
# Longer than the inbox's 30 days, and the oldest event a LINE redelivery may carry (bot/line/webhook.py).
SEEN_RETENTION = timedelta(days=90)


def event_hash(event_id: str) -> str:
    return hashlib.sha256(event_id.encode()).hexdigest()


def row_hash(row: dict[str, Any]) -> str | None:
    """The hash an inbox row is deduplicated by beyond its own lifetime; None for unhashed channels."""
    return event_hash(row["event_id"]) if row["channel"] in HASHED_CHANNELS else None


def seen_rows(rows: Iterable[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """The `seen_events` rows for inbox rows (of hashed channels)."""
    return [{"channel": r["channel"], "event_hash": digest, "seen_at": now}
            for r in rows if (digest := row_hash(r)) is not None]


def unseen(rows: list[dict[str, Any]], fresh: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """The inbox rows to store: those of unhashed channels, and those whose hash was new just now (`fresh`:
    the (channel, hash) pairs the seen insert returned)."""
    return [r for r in rows
            if r["channel"] not in HASHED_CHANNELS or (r["channel"], event_hash(r["event_id"])) in fresh]


async def prune_seen(session: AsyncSession, *, now: datetime, keep: timedelta = SEEN_RETENTION) -> int:
    """Forget hashes older than `keep` (events that old are refused by age anyway). The caller commits."""
    result = await session.execute(delete(SeenEvent).where(col(SeenEvent.seen_at) < now - keep))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]  # a CursorResult
