"""Reminder sweep throughput: N due reminders swept by K instances (separate engines) on PostgreSQL.

    .venv/bin/python bench/reminder_sweep.py [--n 1000] [--instances 3] [--batch 25] [--url URL]

Creates a throw-away schema, one triaged case, one committee member with one chat and N due reminders,
then lets K sweepers (own connection pools, one event loop) race for them. Prints the wall time, the claims
per instance and checks every reminder got exactly one outbox row.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, text
from sqlmodel import select

from handlers.catalogue import Catalogue
from handlers.notifications import reminder_renderer
from store.cases import open_case
from store.db import make_engine, make_session_factory, upgrade
from store.models import ChannelIdentity, OutboundMessage, Reminder, Staff
from store.policy import load_policy
from store.reminders import sweep
from store.types import utcnow


async def main(url: str, n: int, instances: int, batch: int) -> None:
    policy = load_policy()
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        engine = make_engine(url, schema=schema)
        await upgrade(engine)
        past = utcnow() - timedelta(days=1)
        async with make_session_factory(engine)() as s:
            staff = Staff(display_name="committee", role="committee")
            s.add(staff)
            await s.flush()
            s.add(ChannelIdentity(channel="line", external_id="U-committee", staff_id=staff.id))
            case = await open_case(s, now=past, source="patient", kind="complaint", channel="line", policy=policy)
            case.status = "triaged"
            await s.execute(text("DELETE FROM reminders"))
            await s.execute(insert(Reminder), [
                {"case_id": case.id, "kind": "report_due", "due_at": past - timedelta(seconds=i),
                 "recipient_role": "committee", "status": "pending", "created_at": past} for i in range(n)])
            await s.commit()
        engines = [make_engine(url, schema=schema) for _ in range(instances)]
        texts = Catalogue.load(None)
        start = time.perf_counter()
        render = reminder_renderer(texts)
        claimed = await asyncio.gather(*(sweep(make_session_factory(e), now=utcnow(), render=render, policy=policy,
                                               worker=f"i{i}", batch=batch) for i, e in enumerate(engines)))
        elapsed = time.perf_counter() - start
        async with make_session_factory(engine)() as s:
            rows = (await s.exec(select(func.count()).select_from(OutboundMessage))).one()
            distinct = (await s.exec(select(func.count(func.distinct(OutboundMessage.dedupe_key))))).one()
        print(f"{n} reminders, {instances} instances, batch {batch}: {elapsed:.2f} s "
              f"({n / elapsed:.0f}/s); claims per instance {claimed}; outbox rows {rows} (distinct {distinct})")
        assert sum(claimed) == n and rows == distinct == n
        for e in [*engines, engine]:
            await e.dispose()
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--instances", type=int, default=3)
    p.add_argument("--batch", type=int, default=25)
    a = p.parse_args()
    asyncio.run(main(a.url, a.n, a.instances, a.batch))
