"""Shared by the fault tests: random platform failures, and counting what each chat should and did get."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from sqlmodel import select

from store.db import SessionFactory
from store.models import InboundEvent, OutboundMessage
from store.outbox import messages_of
from tests.fakes.base import Failure, FakeServer


def flaky(fake: FakeServer, *, seed: int, server_errors: float = 0.30, too_many: float = 0.10,
          lost_answers: bool = False, paths: tuple[str, ...] = ("/message/", "/send")) -> Counter[str]:
    """Make `fake` fail calls at random (seeded): `server_errors` of them with a 5xx, `too_many` with 429 and
    Retry-After. With `lost_answers`, the first push and then half the 5xx of pushes happen after the platform
    did the work (a lost response) — the first one for certain, since which call draws which roll depends on
    timing. Returns a counter of the failures injected."""
    rng = random.Random(seed)
    injected: Counter[str] = Counter()
    original = fake._take_failure

    def take(path: str) -> Failure | None:
        planned = original(path)
        if planned is not None or not any(p in path for p in paths):
            return planned
        if lost_answers and "/push" in path and not any("lost" in k for k in injected):
            injected["500 (lost answer)"] += 1
            return Failure(1, 500, accepted=True)
        roll = rng.random()
        if roll < server_errors:
            status = rng.choice((500, 502, 503))
            accepted = lost_answers and "/push" in path and rng.random() < 0.5
            injected[f"{status}{' (lost answer)' if accepted else ''}"] += 1
            return Failure(1, status, accepted=accepted)
        if roll < server_errors + too_many:
            injected["429"] += 1
            return Failure(1, 429, retry_after=1)
        return None

    fake._take_failure = take  # type: ignore[method-assign]
    return injected


async def expected_per_chat(sessions: SessionFactory) -> dict[tuple[str, str], list[str]]:
    """(channel, chat) → the texts of every message the outbox holds for it, in order."""
    expected: dict[tuple[str, str], list[str]] = {}
    async with sessions() as session:
        rows = (await session.exec(select(OutboundMessage).order_by(OutboundMessage.id))).all()  # type: ignore[arg-type]
    for row in rows:
        expected.setdefault((row.channel, row.chat_id), []).extend(m.text for m in messages_of(row))
    return expected


async def statuses(sessions: SessionFactory) -> tuple[Counter[str], Counter[str]]:
    async with sessions() as session:
        inbox = Counter((await session.exec(select(InboundEvent.status))).all())
        outbox = Counter((await session.exec(select(OutboundMessage.status))).all())
    return inbox, outbox


def received(fake: FakeServer, chat: str) -> list[str]:
    return [m.text for m in fake.sent if m.to == chat]


def summary(value: Any) -> str:
    return repr(value)[:300]
