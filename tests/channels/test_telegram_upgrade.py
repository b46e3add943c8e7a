"""Telegram button presses stored by the version before the webhook answered them in its 200, handled after the
upgrade: each is answered once by the worker (bot/telegram/channel.py `ANSWERED`), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.pipeline import InboxItem, accept
from bot.settings import Settings
from bot.telegram.adapter import chat_key
from store.db import make_engine, make_session_factory, upgrade
from tests.committee.test_through_fakes import no_telegram_pacing  # noqa: F401  # fixture: not about pacing
from tests.fakes.databases import drop_database, pg_database
from tests.fakes.harness import running_service
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock

# The schema of the version that stored presses unanswered and unmarked (before 8f65718, which added no
# migration). A later migration is run over these rows by `upgrade` below, as deploy/upgrade.sh does.
PREVIOUS = "0010"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def old_database(request: pytest.FixtureRequest, settings: Settings, tmp_path: Path) -> AsyncIterator[Settings]:
    """`settings` on a new database migrated only to `PREVIOUS` (SQLite file, or a PostgreSQL database)."""
    if request.param == "postgresql":
        url = await pg_database(PREVIOUS)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'previous.db'}"
        engine = make_engine(url)
        await upgrade(engine, PREVIOUS)
        await engine.dispose()
    try:
        yield settings.model_copy(update={"database_url": url})
    finally:
        if request.param == "postgresql":
            await drop_database(url)


def press(user_id: int) -> dict[str, Any]:
    return {"update_id": 770000 + user_id, "callback_query": {
        "id": f"cbq-{uuid.uuid4().hex[:12]}", "chat_instance": "ci", "data": "survey",
        "from": {"id": user_id, "is_bot": False, "first_name": "ผู้ใช้"},
        "message": {"message_id": 1, "date": 0, "chat": {"id": user_id, "type": "private"}, "text": "…"}}}


def ids(*updates: dict[str, Any]) -> list[str]:
    return sorted(u["callback_query"]["id"] for u in updates)


async def store_as_the_previous_version(settings: Settings, update: dict[str, Any], clock: MovableClock) -> None:
    """What the previous webhook stored, through the same ingress call (`accept`): the body as Telegram sent it,
    no mark added (its 200 carried no answerCallbackQuery either)."""
    engine = make_engine(settings.database_url)
    try:
        async with make_session_factory(engine)() as session:
            item = InboxItem(str(update["update_id"]), chat_key(update), json.dumps(update, ensure_ascii=False))
            assert await accept(session, channel="telegram", items=[item], now=clock()) == 1
            await session.commit()
    finally:
        await engine.dispose()


async def test_presses_the_previous_version_stored_are_answered_once_after_the_upgrade(
        old_database: Settings, clock: MovableClock, fake_telegram: FakeTelegram) -> None:
    """A press stored before `db upgrade`, and one stored after it by an old instance still serving webhooks
    (deploy/upgrade.sh migrates first, then restarts web while the old worker takes the webhooks), are each
    answered by the new worker with one answerCallbackQuery and get their reply; a press the new webhook takes
    is answered in its 200 only."""
    before, during, after = press(1), press(2), press(3)
    await store_as_the_previous_version(old_database, before, clock)
    engine = make_engine(old_database.database_url)
    try:
        await upgrade(engine)  # deploy/upgrade.sh: `deploy/bot db upgrade`, the real migrations
        await store_as_the_previous_version(old_database, during, clock)
        async with running_service(old_database, clock, telegram=fake_telegram) as new:
            await new.telegram_update(after)  # the new webhook; the harness runs its 200's method as Telegram does
            for user in (1, 2, 3):
                assert await new.telegram.messages_to(user, wait_for=1)
            await new.settle()
        by_worker = [r.body["callback_query_id"] for r in fake_telegram.calls("/answerCallbackQuery")]
        assert sorted(by_worker) == ids(before, during)
        assert sorted(fake_telegram.callback_answers) == ids(before, during, after)  # the worker's and the 200's
    finally:
        await engine.dispose()
