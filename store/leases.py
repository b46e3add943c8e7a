"""Leasing queue rows (the inbox's `inbound_events`, the outbox's `outbound_messages`) to one worker.

Both queues work the same way: a row is claimable when it is pending and due, or when its holder's lease
ran out; only the oldest unfinished row of each queue key (a chat) is claimable, so one chat's rows run in
order. Claiming sets the leased status, `locked_until` and attempts + 1 with one conditional
UPDATE … RETURNING for the whole batch (the claimable condition is checked again inside it), so two
claimers never both win; on PostgreSQL the SELECT also takes FOR UPDATE SKIP LOCKED, so several instances
share a queue without waiting on each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, exists, literal_column, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

Row = TypeVar("Row", bound=SQLModel)


def unfinished_status(table: Any, leased: str) -> Any:
    """`status IN ('pending', '<leased>')` with the values written into the SQL: the condition of the partial
    indexes `ix_*_unfinished_*` (store/models.py `unfinished`). The planner uses a partial index only when it
    can see that the query implies its condition; SQLite cannot look into bound parameters."""
    return col(table.status).in_([literal_column("'pending'"), literal_column(f"'{leased}'")])


async def claim_leases(
    session: AsyncSession,
    model: type[Row],
    *,
    queue: Sequence[str],
    leased: str,
    channels: Sequence[str],
    now: datetime,
    lease: timedelta,
    limit: int,
) -> list[tuple[Row, int]]:
    """Lease up to `limit` rows of `model`, the oldest unfinished one per `queue` key (column names), in id
    order; returns each won row with its attempt number. `leased` is the status of a row being worked on.
    The caller commits (and, on SQLite, holds the write gate)."""
    m: Any = model
    older: Any = aliased(model)
    claimable = or_(
        and_(col(m.status) == "pending", col(m.next_attempt_at) <= now),
        and_(col(m.status) == leased, col(m.locked_until) < now),
    )
    blocked = exists().where(
        *(getattr(older, key) == getattr(m, key) for key in queue),
        col(older.id) < col(m.id),
        unfinished_status(older, leased),
    )
    query = (select(m)
             # `channel || ''`: no index on channel is worth more than walking the backlog in id order (SQLite
             # would otherwise pick the (channel, event_id) unique index when one channel is on).
             .where(unfinished_status(m, leased), claimable, (col(m.channel) + "").in_(list(channels)), ~blocked)
             .order_by(col(m.id)).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=m)
    rows = {row.id: row for row in (await session.exec(query)).all()}
    if not rows:
        return []
    # One UPDATE for the lot; `claimable` is evaluated again inside it, so a row that another claimer took
    # (or finished, or put back with a backoff) since the SELECT is not ours. RETURNING says which were won.
    result = await session.execute(
        update(m)
        .where(col(m.id).in_(list(rows)), claimable)
        .values(status=leased, locked_until=now + lease, attempts=col(m.attempts) + 1)
        .returning(col(m.id), col(m.attempts)),
        execution_options={"synchronize_session": False},
    )
    return sorted(((rows[row_id], attempt) for row_id, attempt in result.all()), key=lambda pair: pair[0].id)
