"""A finished survey's 13 item scores: the ORM row by row vs `store.surveys.add_item_scores` (one executemany).

`python -m bench.survey_scores_bench` (h/tp-round3). SQLite, each inside a transaction with one response flushed
first (as the survey's end does); CPU of the process (process_time, the aiosqlite thread included), rounds
interleaved.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from store.db import make_engine, make_session_factory, upgrade
from store.models import SurveyItemScore, SurveyResponse
from store.surveys import add_item_scores

N = 300
CODES = [(f"i{k}", ["process", "staff", "facility", "confidence"][k % 4], 4) for k in range(13)]


async def one(sessions: Any, core: bool) -> None:
    async with sessions() as session:
        r = SurveyResponse(channel="line", service_type="opd", visit_date=date(2026, 12, 7),
                           submitted_at=datetime.now(UTC), overall=4, mean_score=4.0,
                           would_return=5, would_recommend=5)
        session.add(r)
        await session.flush()
        assert r.id is not None
        scores = [SurveyItemScore(response_id=r.id, item_code=c, dimension=d, score=s) for c, d, s in CODES]
        if core:
            await add_item_scores(session, scores)
        else:
            session.add_all(scores)
        await session.commit()


async def main() -> None:
    path = Path(tempfile.mkdtemp()) / "scores.db"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    sessions = make_session_factory(engine)
    for core in (False, True):
        for _ in range(30):
            await one(sessions, core)
    for rnd in range(3):
        for core in (False, True):
            t = time.process_time()
            for _ in range(N):
                await one(sessions, core)
            print(f"round {rnd} {'add_item_scores' if core else 'ORM row by row'}: "
                  f"{(time.process_time() - t) / N * 1e6:.0f} µs CPU per survey")
    await engine.dispose()

if __name__ == "__main__":
    asyncio.run(main())
