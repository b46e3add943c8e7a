"""Units synced from units.toml when two instances start at the same moment (web and worker after an upgrade,
deploy/patient-voice@.service): the second must not fail on a unit the first has just inserted."""

from __future__ import annotations

import asyncio

from sqlmodel import select

from store.models import Unit
from store.units import load_units, sync_units
from tests.conftest import Store


async def test_two_instances_syncing_units_at_once_both_start(store: Store) -> None:
    """Instance A has inserted the units and not yet committed; instance B, starting now, found none and inserts
    them too. Before, B failed on the unit's primary key (duplicate key "units_pkey") and that instance exited at
    start (tests/deploy/test_nginx.py saw it); now B leaves A's rows as they are."""
    units = load_units()

    async def instance_b() -> None:
        async with store.sessions() as b:
            await sync_units(b, units=units)
            await b.commit()

    async with store.sessions() as a:
        await sync_units(a, units=units)
        b_started = asyncio.create_task(instance_b())
        await asyncio.sleep(0.3)  # B reads and inserts while A's rows are uncommitted (it waits on A's lock)
        await a.commit()
    await asyncio.wait_for(b_started, 10)
    async with store.sessions() as s:
        rows = (await s.exec(select(Unit))).all()
    assert sorted(r.code for r in rows) == sorted(u.code for u in units)
    assert all(r.active for r in rows)
