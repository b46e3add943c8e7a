"""POST /webhook/line end to end: signature, inbox, deduplication, events, media — through the fake LINE."""

from __future__ import annotations

import json
from pathlib import Path

from bot.channels import WORKERS
from tests.channels.helpers import capture_inbound, inbox, line_complaint_step, media, outbox, wait_until
from tests.fakes.harness import Service, sign
from tests.fakes.line import PNG

REPO = Path(__file__).resolve().parents[2]
LINE_FIXTURES = REPO / "bot" / "line" / "fixtures"
# The LINE Messaging API SDK's own test webhook (28 events; all share one webhookEventId), kept in the repo.
SDK_PAYLOAD = LINE_FIXTURES / "sdk_webhook.json"
UNUSED_TYPES = {"beacon", "accountLink", "unsend", "videoPlayComplete", "messageEdited", "undefined"}


def body_of(*events: dict) -> bytes:
    return json.dumps({"destination": "Ubot", "events": list(events)}, ensure_ascii=False).encode()


async def test_missing_signature_is_400_and_nothing_stored(service: Service) -> None:
    """No X-Line-Signature → 400; the inbox stays empty and nothing is sent."""
    body = body_of(service.line_event("follow", "U1"))
    status, _ = await service.line_post(body, None)
    assert status == 400
    assert await inbox(service) == []


async def test_wrong_signature_is_401_and_nothing_stored(service: Service) -> None:
    """A signature made with another secret → 401; nothing stored, nothing sent."""
    body = body_of(service.line_event("follow", "U1"))
    status, _ = await service.line_post(body, sign(body, "not-the-secret"))
    assert status == 401
    status, _ = await service.line_post(body, "garbage")
    assert status == 401
    await service.settle()
    assert await inbox(service) == []
    assert service.line.sent == []


async def test_malformed_body_is_400(service: Service) -> None:
    """A correctly signed body that is not JSON (or has no events list) → 400, never 500."""
    for body in (b"{not json", b'{"destination": "U"}', b'{"events": [{"type": "follow"}]}'):
        status, _ = await service.line_post(body, sign(body))
        assert status == 400, body
    assert await inbox(service) == []


async def test_oversize_body_is_413(service: Service) -> None:
    """A body over MAX_BODY_BYTES → 413."""
    body = b"x" * (service.settings.max_body_bytes + 1)
    status, _ = await service.line_post(body, sign(body))
    assert status == 413


async def test_empty_events_is_200(service: Service) -> None:
    """LINE's webhook verification (empty events array) gets 200 and stores nothing."""
    body = body_of()
    status, _ = await service.line_post(body, sign(body))
    assert status == 200
    assert await inbox(service) == []


async def test_event_is_stored_before_the_answer(service: Service) -> None:
    """By the time LINE has its 200 the event is a committed inbox row."""
    await service.app[WORKERS].inbox.stop()
    event_id = await service.line_text("U1", "สวัสดีครับ")
    (row,) = await inbox(service)
    assert (row.event_id, row.chat_key, row.status) == (event_id, "line:U1", "pending")


async def test_redelivered_event_is_handled_once(service: Service) -> None:
    """The same webhookEventId twice (LINE redelivery) → one inbox row, one answer."""
    event = service.line_event("follow", "U1")
    await service.line_events(event)
    redelivered = {**event, "deliveryContext": {"isRedelivery": True}}
    await service.line_events(redelivered)
    await service.line_events(event, redelivered)  # also twice inside one request
    await service.settle()
    assert len(await inbox(service)) == 1
    assert len(await outbox(service)) == 1
    first = await service.line.messages_to("U1", wait_for=1)
    await service.settle()
    assert len(service.line.sent) == len(first)


async def test_standby_event_sends_nothing(service: Service) -> None:
    """mode: standby (another channel owns the chat) → stored as skipped, nothing sent."""
    event = json.loads((LINE_FIXTURES / "standby.json").read_text(encoding="utf-8"))
    event["timestamp"] = int(service.clock().timestamp() * 1000)  # sent now, not a stale replay
    await service.line_events(event)
    await service.settle()
    (row,) = await inbox(service)
    assert row.status == "skipped"
    assert service.line.sent == []


async def test_group_message_is_from_the_sender_in_the_group(service: Service) -> None:
    """In a group, the handlers see chat = the group, user = the sender, is_group true."""
    seen = capture_inbound(service)
    await service.line_text("U2", "/queue", group_id="C1")
    await service.settle()
    (inbound,) = seen
    assert (inbound.chat_id, inbound.user_id, inbound.is_group, inbound.command) == ("C1", "U2", True, ("queue", ""))
    assert all(m.to == "C1" for m in service.line.sent)


async def test_image_content_is_fetched_and_kept(service: Service) -> None:
    """An image's bytes come from the data API, are kept under MEDIA_DIR, and the Inbound carries media_id."""
    await line_complaint_step(service, "U1")
    seen = capture_inbound(service)
    service.line.content["m-1"] = (PNG, "image/png")
    await service.line_media("U1", "image", message_id="m-1")
    await service.settle()
    (kept,) = await media(service)
    assert (kept.channel, kept.platform_ref, kept.kind, kept.status, kept.content_type) == (
        "line", "m-1", "image", "stored", "image/png")
    assert (service.settings.media_dir / str(kept.path)).read_bytes() == PNG
    assert seen[0].attachments[0].media_id == kept.id
    assert service.line.calls("/v2/bot/message/m-1/content")


async def test_file_keeps_its_name_extension(service: Service) -> None:
    """A PDF sent as a file is stored as .pdf."""
    await line_complaint_step(service, "U1")
    service.line.content["f-1"] = (b"%PDF-1.4 test", "application/pdf")
    await service.line_media("U1", "file", message_id="f-1", file_name="ใบรับรองแพทย์.pdf")
    await service.settle()
    (kept,) = await media(service)
    assert str(kept.path).endswith(".pdf")
    assert kept.size == len(b"%PDF-1.4 test")


async def test_sticker_and_location_get_a_polite_answer(service: Service) -> None:
    """A sticker and a location are answered, not ignored and not an error."""
    await service.line_sticker("U1")
    await service.line.messages_to("U1", wait_for=1)
    await service.line_location("U2")
    await service.line.messages_to("U2", wait_for=1)
    await service.settle()
    assert {row.status for row in await inbox(service)} == {"done"}


async def test_loading_animation_in_one_to_one_chats(service: Service) -> None:
    """When an answer takes a moment, a 1:1 chat sees LINE's loading animation; a group does not."""
    service.app[WORKERS].inbox_worker.loading_after = 0
    await service.line_text("U1", "สวัสดีครับ")
    await service.line_text("U2", "สวัสดีครับ", group_id="C1")
    await service.settle()
    await wait_until(lambda: _async(bool(service.line.loading)))
    assert "U1" in service.line.loading
    assert "C1" not in service.line.loading and "U2" not in service.line.loading


async def _async(value: bool) -> bool:
    return value


async def test_sdk_payload_of_28_events_is_handled(service: Service) -> None:
    """The LINE SDK's own 28-event webhook (ids made unique) is accepted and every event handled without
    error: used types done, unused types skipped, every answer sent."""
    payload = json.loads(SDK_PAYLOAD.read_text(encoding="utf-8"))
    for i, event in enumerate(payload["events"]):
        event["webhookEventId"] = f"01SDKEVENT{i:016d}"
        event["timestamp"] = int(service.clock().timestamp() * 1000)  # a fresh delivery, not a stale replay
    body = json.dumps(payload).encode()
    status, _ = await service.line_post(body, sign(body))
    assert status == 200
    await service.settle(timeout=30)
    rows = await inbox(service)
    assert len(rows) == 28
    by_type: dict[str, set[str]] = {}
    for row in rows:
        by_type.setdefault(json.loads(row.payload)["type"], set()).add(row.status)
    assert all(row.error is None for row in rows), [r.error for r in rows if r.error]
    for kind, statuses in by_type.items():
        assert statuses == ({"skipped"} if kind in UNUSED_TYPES else {"done"}), (kind, statuses)
    sent = await outbox(service)
    assert sent and {row.status for row in sent} == {"sent"}, [(r.status, r.last_error) for r in sent]
