"""Two people racing with one invite code: exactly one registers, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from store.models import ChannelIdentity, Unit
from store.people import get_or_create_identity
from store.staff import InviteError, create_invite, register
from tests.support import Store

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


async def test_one_code_two_registrations_at_once(store: Store) -> None:
    """The second registration waits for the first, then finds the code spent (conditional UPDATE)."""
    async with store.sessions() as session:
        session.add(Unit(code="lab", name_th="งานชันสูตร"))
        await session.flush()
        made = await create_invite(session, now=NOW, role="staff", unit_code="lab")
        for user in ("A", "B"):
            await get_or_create_identity(session, channel="line", external_id=user)
        await session.commit()

    first = store.sessions()
    second = store.sessions()
    try:
        a = await first.get(ChannelIdentity, 1)
        b = await second.get(ChannelIdentity, 2)
        assert a is not None and b is not None
        await register(first, identity=a, code=made.code, now=NOW)  # holds the row (PG) / write lock (SQLite)
        racing = asyncio.create_task(register(second, identity=b, code=made.code, now=NOW))
        for _ in range(50):  # yield to the loop so the second gets as far as it can (no wall-clock waiting)
            await asyncio.sleep(0)
        await first.commit()
        with pytest.raises(InviteError) as refused:
            await racing
        assert refused.value.reason == "used"
        await second.rollback()
    finally:
        await first.close()
        await second.close()
    async with store.sessions() as session:
        bound = {i.external_id: i.staff_id for i in (await session.exec(select(ChannelIdentity))).all()}
    assert bound == {"A": made.staff.id, "B": None}
