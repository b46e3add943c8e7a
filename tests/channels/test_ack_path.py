"""The webhook ack path of issue 18: webhooks before the workers' next step, Telegram bodies stored as received,
short texts analysed in place."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest

from bot.ackflow import AckPriority
from bot.keys import ACKS, SERVICES
from handlers.services import INLINE_CHARS
from tests.channels.helpers import inbox, outbox
from tests.fakes.harness import Service, sign
from tests.flows.test_channels import Patient, walk_complaint


async def test_a_step_waits_for_the_webhooks_in_flight() -> None:
    """A paced step does not start while a webhook is being handled, and starts as soon as the last one is
    answered (not after its whole wait)."""
    acks = AckPriority(max_wait=5.0)
    ran: list[float] = []
    loop = asyncio.get_running_loop()

    async def step() -> bool:
        ran.append(loop.time())
        await asyncio.sleep(0.2)  # a step's work: the next one may wait up to 3 × 0.2 s for webhooks
        return False

    paced = acks.paced(step)
    await paced()  # a first step: no webhook in flight, no wait
    assert len(ran) == 1 and acks.deferred == 0
    with acks.ack():
        waiting = asyncio.create_task(paced())
        await asyncio.sleep(0.1)
        assert len(ran) == 1  # held back while the webhook is in flight
        answered = loop.time()
    await asyncio.wait_for(waiting, 1.0)
    assert len(ran) == 2 and ran[1] - answered < 0.3 and acks.deferred == 1


async def test_a_step_still_runs_under_an_endless_stream_of_webhooks() -> None:
    """With webhooks always in flight the workers are not starved: a step waits at most about three times its
    last duration (and never more than max_wait)."""
    acks = AckPriority(max_wait=0.3)
    loop = asyncio.get_running_loop()

    async def step() -> bool:
        await asyncio.sleep(0.02)
        return True

    paced = acks.paced(step)
    await paced()
    with acks.ack():  # never answered during the steps
        started = loop.time()
        for _ in range(3):
            await asyncio.wait_for(paced(), 1.0)
        elapsed = loop.time() - started
    # each: ≈ 0.06 s of waiting (3 × 0.02) + 0.02 s of work; a wait of max_wait each would be ≥ 0.9 s
    assert 0.15 < elapsed < 0.8 and acks.deferred == 3


async def test_concurrent_webhooks_defer_the_workers_and_bad_signatures_are_still_refused(service: Service) -> None:
    """Many webhooks at once: every correctly signed one is stored and answered once, every one with a bad
    signature is 401 and stored nowhere; the service's inbox and outbox steps are the paced ones."""
    good, bad = [], []
    for i in range(40):
        event = service.line_event("message", f"U-many-{i}", message={"id": f"m{i}", "type": "text",
                                                                         "text": "สวัสดีค่ะ", "quoteToken": "q"})
        body = json.dumps({"destination": "Uhospitalbot", "events": [event]}, ensure_ascii=False).encode()
        (good if i % 4 else bad).append((body, event["webhookEventId"]))
    posts = [service.line_post(body, sign(body)) for body, _ in good]
    posts += [service.line_post(body, sign(body + b" ")) for body, _ in bad]
    service.kick()  # the workers look for work while the webhooks arrive
    statuses = [status for status, _ in await asyncio.gather(*posts)]
    assert statuses == [200] * len(good) + [401] * len(bad)
    await service.settle()
    rows = await inbox(service)
    assert sorted(r.event_id for r in rows) == sorted(str(i) for _, i in good)
    assert all(r.status == "done" for r in rows)
    assert len({m.to for m in service.line.sent}) == len(good)
    acks = service.app[ACKS]
    assert acks.in_flight == 0
    before = acks.deferred
    with acks.ack():  # a webhook in flight when the workers wake: their steps wait for it
        service.kick()
        await asyncio.sleep(0.1)
    assert acks.deferred >= before + 2  # the inbox's and the outbox's


async def post_telegram(service: Service, body: bytes) -> int:
    """POST a body to the Telegram webhook as Telegram does (the secret token set): the status."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": service.settings.telegram_webhook_secret.get_secret_value(),
               "Content-Type": "application/json"}  # fmt: skip
    async with service.http.post(f"{service.url}/webhook/telegram", data=body, headers=headers) as resp:
        return resp.status


async def test_a_telegram_update_is_stored_as_received(service: Service) -> None:
    """The inbox keeps the body Telegram sent (not a re-encoding of it), and the update is handled from it."""
    update = service.telegram_message(41, text="สวัสดีครับ")
    raw = json.dumps(update, ensure_ascii=True, indent=1)  # \\uXXXX escapes and line breaks: not how we encode
    assert await post_telegram(service, raw.encode()) == 200
    await service.settle()
    (row,) = await inbox(service)
    assert row.payload == raw and row.status == "done"
    assert service.telegram.sent and {m.to for m in service.telegram.sent} == {"41"}


async def test_a_telegram_press_is_stored_as_received_and_marked_answered(service: Service) -> None:
    """A button press's body is kept as sent with the webhook's mark added last (its 200 answered it), so the
    worker makes no answerCallbackQuery call of its own; a body with line breaks and a trailing newline too."""
    update = {"update_id": 880041, "callback_query": {
        "id": "cbq-880041", "chat_instance": "ci", "data": "survey",
        "from": {"id": 43, "is_bot": False, "first_name": "ผู้ใช้"},
        "message": {"message_id": 1, "date": 0, "chat": {"id": 43, "type": "private"}, "text": "…"}}}
    raw = json.dumps(update, ensure_ascii=True, indent=1) + "\n"
    assert await post_telegram(service, raw.encode()) == 200
    await service.settle()
    (row,) = await inbox(service)
    assert row.payload == raw.rstrip()[:-1] + ',"pv_answered":true}' and row.status == "done"
    assert json.loads(row.payload) == {**update, "pv_answered": True}
    assert service.telegram.calls("/answerCallbackQuery") == []
    assert await service.telegram.messages_to(43, wait_for=1)


async def test_a_telegram_body_that_is_not_utf8_is_400(service: Service) -> None:
    update = service.telegram_message(42, text="สวัสดีครับ")
    body = json.dumps(update, ensure_ascii=False).encode("utf-16")
    assert await post_telegram(service, body) == 400
    assert await inbox(service) == []


class Threads:
    """Wraps the analyser: records on which thread each text was analysed."""

    def __init__(self, analyzer: Any) -> None:
        self.original = analyzer.analyse
        self.seen: list[tuple[str, bool]] = []

    def __call__(self, text_: str, ratings: Any = None, question: str | None = None) -> Any:
        self.seen.append((text_, threading.current_thread() is threading.main_thread()))
        return self.original(text_, ratings, question)


async def test_a_short_text_is_analysed_in_place_and_a_long_one_off_the_loop(
        service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    """A complaint line of a few words is analysed on the event loop, inside its event's transaction (no thread
    hop, no second transaction); a long one still in a thread, with no transaction open. Both are filed."""
    analyzer = await service.app[SERVICES].analyzer()
    threads = Threads(analyzer)
    monkeypatch.setattr(analyzer, "analyse", threads)
    p = Patient(service, "line", "U-short")
    await p.press("consent:yes")
    await walk_complaint(p)  # its complaint line: "รอรับยานานมาก 3 ชั่วโมง"
    short = [on_loop for text_, on_loop in threads.seen if "รอรับยานานมาก" in text_]
    assert short and all(short)
    long_text = "ห้องน้ำสกปรกมาก " * (INLINE_CHARS // 10)
    assert len(long_text) > INLINE_CHARS
    q = Patient(service, "line", "U-long")
    await q.press("consent:yes")
    await q.press("complaint")
    await q.text(long_text)
    await q.press("complaint:done")
    await q.press("complaint:skipdept")
    msgs = await q.press("complaint:anon")
    assert any("2570-0002" in m.text for m in msgs)
    long_runs = [on_loop for text_, on_loop in threads.seen if text_.startswith("ห้องน้ำสกปรกมาก")]
    assert long_runs and not any(long_runs)
    assert all(m.status == "sent" for m in await outbox(service))
