"""The inbox worker's batches (bot/pipeline.py `process_batch`): events of many chats claimed together are
handled in one transaction, each still answered once, and one event's failure never costs the others."""

from __future__ import annotations

from typing import Any

from bot.channels import WORKERS
from handlers.messages import Inbound
from tests.channels.helpers import inbox, outbox
from tests.fakes.databases import any_service  # noqa: F401  # fixture
from tests.fakes.harness import Service

USERS = [f"U-batch-{i}" for i in range(6)]


def batch_sizes(svc: Service) -> list[int]:
    """Record how many events each batch the worker handles holds."""
    sizes: list[int] = []
    worker = svc.app[WORKERS].inbox_worker
    original = worker.process_batch

    async def process_batch(claimed: list[tuple[int, int]]) -> None:
        sizes.append(len(claimed))
        await original(claimed)

    worker.process_batch = process_batch  # type: ignore[method-assign]
    return sizes


def failing_for(svc: Service, user_id: str, times: int) -> list[str]:
    """The dispatcher raises for `user_id`'s first `times` events (a handler bug, a database error); returns the
    users whose events reached it, in order."""
    dispatcher = svc.app[WORKERS].inbox_worker.dispatcher
    original = dispatcher.handle
    calls: list[str] = []

    async def handle(inbound: Inbound, **kwargs: Any) -> Any:
        calls.append(inbound.user_id)
        if inbound.user_id == user_id and calls.count(user_id) <= times:
            raise RuntimeError("a handler failed")
        return await original(inbound, **kwargs)

    dispatcher.handle = handle  # type: ignore[method-assign]
    return calls


def say(svc: Service, user: str, text: str) -> dict[str, Any]:
    return svc.line_event("message", user, message={"id": f"m-{user}-{len(text)}", "type": "text", "text": text,
                                                    "quoteToken": "q"})


async def test_one_batch_answers_every_chat_once(any_service: Service) -> None:  # noqa: F811
    """Six patients' follows arrive in one webhook: one batch, every chat answered exactly once, every event done
    and every reply an outbox row of its own event, sent."""
    svc = any_service
    sizes = batch_sizes(svc)
    await svc.line_events(*(svc.line_event("follow", user) for user in USERS))
    await svc.settle()
    assert max(sizes) > 1  # handled as a batch
    events = await inbox(svc)
    assert [e.status for e in events] == ["done"] * len(USERS)
    assert all(e.attempts == 1 and e.locked_until is None and e.processed_at is not None for e in events)
    rows = await outbox(svc)
    assert sorted(r.inbound_event_id or 0 for r in rows) == sorted(e.id or 0 for e in events)
    assert all(r.status == "sent" and r.reply_token for r in rows)
    await delivered_as_queued(svc)
    assert sorted({m.to for m in svc.line.sent}) == sorted(USERS)


async def test_a_failing_event_does_not_cost_its_batch_the_answers(any_service: Service) -> None:  # noqa: F811
    """One event of a batch fails every time: the others are answered once; it alone goes back with a backoff
    (attempt 1, the error kept, nothing queued for it)."""
    svc = any_service
    await svc.line_events(*(svc.line_event("follow", user) for user in USERS))
    await svc.settle()
    sizes = batch_sizes(svc)
    bad = USERS[2]
    calls = failing_for(svc, bad, times=10)
    before = len(await outbox(svc))
    await svc.line_events(*(say(svc, user, "สวัสดีค่ะ") for user in USERS))
    await svc.settle()
    assert max(sizes) > 1
    failed = [e for e in await inbox(svc) if e.status != "done"]
    assert len(failed) == 1 and failed[0].chat_key.endswith(bad) and failed[0].attempts == 1
    assert (failed[0].error or "").startswith("RuntimeError")
    new_rows = (await outbox(svc))[before:]
    assert sorted({r.chat_id for r in new_rows}) == sorted(u for u in USERS if u != bad)
    assert all(r.inbound_event_id != failed[0].id for r in new_rows)
    assert calls.count(bad) == 2  # in the batch, then once on its own
    assert not [r for r in new_rows if r.status != "sent"]


async def test_an_event_failing_once_in_a_batch_is_answered_once(any_service: Service) -> None:  # noqa: F811
    """A failure inside the batch (its savepoint rolled back) followed by success on its own: every chat,
    the failing one included, gets exactly one answer to its message, in the same attempt."""
    svc = any_service
    await svc.line_events(*(svc.line_event("follow", user) for user in USERS))
    await svc.settle()
    followed = {user: len(await svc.line.messages_to(user, wait_for=1)) for user in USERS}
    batch_sizes(svc)
    bad = USERS[0]
    failing_for(svc, bad, times=1)
    await svc.line_events(*(say(svc, user, "ขอดูเมนูหน่อยค่ะ") for user in USERS))
    await svc.settle()
    events = await inbox(svc)
    assert all(e.status == "done" and e.attempts == 1 for e in events)
    answers = {e.id: 0 for e in events[len(USERS):]}
    for row in await outbox(svc):
        if row.inbound_event_id in answers:
            answers[row.inbound_event_id] += 1
    assert list(answers.values()) == [1] * len(USERS)
    await delivered_as_queued(svc)
    assert all(len([m for m in svc.line.sent if m.to == user]) > followed[user] for user in USERS)


async def delivered_as_queued(svc: Service) -> None:
    """Every chat got exactly the messages of its sent outbox rows: nothing twice, nothing missing."""
    queued: dict[str, int] = {}
    for row in await outbox(svc):
        assert row.status == "sent"
        queued[row.chat_id] = queued.get(row.chat_id, 0) + len(row.payload["messages"])
    for chat, count in queued.items():
        assert len(await svc.line.messages_to(chat, wait_for=count)) == count


async def test_the_write_gate_takes_writers_in_arrival_order() -> None:
    """SQLite's write gate: a writer that comes straight back (the worker's next batch) queues behind one that
    was already waiting (an event whose analysis just finished); an urgent one (a webhook) still goes first."""
    import asyncio

    from bot.pipeline import WriteGate

    gate = WriteGate(enabled=True)
    order: list[str] = []
    first_in = asyncio.Event()

    async def writer(name: str, *, urgent: bool = False, again: bool = False) -> None:
        async with gate.hold(urgent=urgent):
            order.append(name)
            first_in.set()
            await asyncio.sleep(0.01)
        if again:  # back at once, as the worker's loop is
            async with gate.hold():
                order.append(name + " again")

    worker = asyncio.create_task(writer("worker", again=True))
    await first_in.wait()
    waiting = asyncio.create_task(writer("analysed"))
    await asyncio.sleep(0)
    webhook = asyncio.create_task(writer("webhook", urgent=True))
    await asyncio.gather(worker, waiting, webhook)
    assert order == ["worker", "webhook", "analysed", "worker again"]
