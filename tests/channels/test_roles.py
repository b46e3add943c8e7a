"""`serve --role web` and `serve --role worker`: acks in one process, the workers in another, one database."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.cli import COMMANDS
from bot.keys import ACKS, BATCHER
from bot.pipeline import InboxItem
from bot.settings import Settings
from tests.channels.helpers import inbox
from tests.fakes.databases import drop_database
from tests.fakes.databases import pg_database as new_pg_database
from tests.fakes.harness import running_service, sign
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock


def test_serve_role_option() -> None:
    """`serve` takes --role all|web|worker, all by default."""
    import argparse

    parser = argparse.ArgumentParser()
    COMMANDS["serve"][1](parser)
    assert parser.parse_args([]).role == "all"
    assert parser.parse_args(["--role", "web"]).role == "web"


async def test_web_and_worker_instances_share_the_inbox(
    settings: Settings, clock: MovableClock, fake_line: FakeLine, fake_telegram: FakeTelegram
) -> None:
    """Events acknowledged by a web-only instance are answered once by a worker instance on the same database."""
    async with (
        running_service(settings, clock, workers=False, line=fake_line, telegram=fake_telegram) as web,
        running_service(settings, clock, line=fake_line, telegram=fake_telegram) as worker,
    ):
        await web.line_text("U1", "สวัสดีครับ")
        await web.telegram_text(1, "สวัสดีครับ")
        worker.kick()
        assert "สวัสดีค่ะ" in (await fake_line.messages_to("U1", wait_for=3))[0].text
        assert "สวัสดีค่ะ" in (await fake_telegram.messages_to(1, wait_for=3))[0].text
        await worker.settle()
        assert [row.status for row in await inbox(worker)] == ["done", "done"]
        assert len(fake_line.sent) == len(await fake_line.messages_to("U1"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[Settings]:
    """The test's settings on its SQLite copy, or on a PostgreSQL database of its own (migrated, dropped after)."""
    if request.param == "sqlite":
        yield settings
        return
    url = await new_pg_database()
    try:
        yield settings.model_copy(update={"database_url": url})
    finally:
        await drop_database(url)


@pytest.mark.parametrize("workers", [False, True], ids=["web", "all"])
async def test_a_web_process_acks_without_counting_for_workers_it_does_not_run(
    database: Settings, clock: MovableClock, fake_line: FakeLine, fake_telegram: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch, workers: bool,
) -> None:
    """A `--role web` process answers every webhook without counting it in flight for the workers (it runs none:
    nothing to hold back), where `--role all` still counts each; either way a signed event is stored and
    answered `{"accepted": 1}` (its resend `{"accepted": 0}`) in the bytes and type `json_response` gave — built
    without it —, and a bad signature is 401 with nothing stored."""
    import aiohttp.web

    def no_json_response(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an ack's body is built without json_response")

    async with running_service(database, clock, workers=workers, line=fake_line, telegram=fake_telegram) as svc:
        counted: list[int] = []
        acks = svc.app[ACKS]
        enter = acks.ack

        def ack() -> Any:
            counted.append(1)
            return enter()

        monkeypatch.setattr(acks, "ack", ack)
        monkeypatch.setattr(aiohttp.web, "json_response", no_json_response)
        event = svc.line_event("message", "U-web-1", message={"id": "m1", "type": "text", "text": "สวัสดีค่ะ",
                                                                "quoteToken": "q"})
        body = json.dumps({"destination": "Uhospitalbot", "events": [event]}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "X-Line-Signature": sign(body)}
        answers = []
        for _ in range(2):
            async with svc.http.post(f"{svc.url}/webhook/line", data=body, headers=headers) as resp:
                answers.append((resp.status, resp.headers["Content-Type"], await resp.read()))
        assert answers == [(200, "application/json; charset=utf-8", b'{"accepted": 1}'),
                           (200, "application/json; charset=utf-8", b'{"accepted": 0}')]
        forged = json.dumps({"destination": "Uhospitalbot", "events": [
            svc.line_event("message", "U-web-2", message={"id": "m2", "type": "text", "text": "x", "quoteToken": "q"})
        ]}).encode()
        assert await svc.line_post(forged, sign(body)) == (401, "bad signature")
        update_id = await svc.telegram_text(7, "สวัสดีครับ")
        assert sorted(r.event_id for r in await inbox(svc)) == sorted([event["webhookEventId"], str(update_id)])
        assert len(counted) == (4 if workers else 0)
        assert acks.in_flight == 0


async def test_a_webhook_cancelled_during_its_group_commit_leaves_the_batch_whole(
    database: Settings, clock: MovableClock, fake_line: FakeLine, fake_telegram: FakeTelegram,
) -> None:
    """Webhooks waiting for one group commit: one of them is cancelled (its request gone) once its event is queued
    for the batch — the others are still answered with their counts, the cancelled one's event is stored all the same
    (it was in the batch), and a later webhook is stored and answered as usual."""
    async with running_service(database, clock, workers=False, line=fake_line, telegram=fake_telegram) as svc:
        batcher = svc.app[BATCHER]
        items = [InboxItem(f"cancel-{i}", f"line:U-cancel-{i}", json.dumps({"i": i})) for i in range(6)]
        waiting = [asyncio.create_task(batcher.accept("line", [item])) for item in items]
        await asyncio.sleep(0)  # every accept has queued its item; the batch's writer has started
        waiting[2].cancel()
        results = await asyncio.gather(*waiting, return_exceptions=True)
        assert isinstance(results[2], asyncio.CancelledError)
        assert [r for i, r in enumerate(results) if i != 2] == [1] * 5
        assert await batcher.accept("line", [InboxItem("cancel-after", "line:U-after", "{}")]) == 1
        assert await batcher.accept("line", [items[2]]) == 0  # the cancelled one's event was stored
        assert sorted(r.event_id for r in await inbox(svc)) == sorted([*(i.event_id for i in items), "cancel-after"])
