"""A sweeper process for the kill test: claims one batch, says so, and waits to be killed before committing.

python -m tests.queue.kill_worker URL SCHEMA|- LIMIT
"""

from __future__ import annotations

import asyncio
import sys

from handlers.catalogue import Catalogue
from handlers.notifications import reminder_renderer
from store.db import make_engine, make_session_factory
from store.policy import load_policy
from store.reminders import send_batch
from store.types import utcnow


async def main(url: str, schema: str | None, limit: int) -> None:
    engine = make_engine(url, schema=schema)
    async with make_session_factory(engine)() as session:
        render = reminder_renderer(Catalogue.load(None))
        n = await send_batch(session, now=utcnow(), render=render, policy=load_policy(), worker="doomed", limit=limit)
        await session.flush()
        print(f"claimed {n}", flush=True)
        await asyncio.to_thread(sys.stdin.readline)  # the parent kills us here, mid-transaction


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], None if sys.argv[2] == "-" else sys.argv[2], int(sys.argv[3])))
