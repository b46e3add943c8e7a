"""`POST /webhook/line`: verify the signature, store every event in the inbox, answer 200.

The raw body is read once and verified with the SDK's `SignatureValidator` (HMAC-SHA256, constant time).
A missing signature is 400 and a wrong one 401 — nothing is stored either way. The events are read as
plain JSON (the fields the inbox needs, checked for shape); turning them into something richer is the
inbox worker's job, after the 200, so the ack path builds no SDK models. Events are stored
(unique on webhookEventId, so a redelivery is a no-op) and committed before LINE gets its 200; the inbox
worker handles them afterwards. `mode: standby` events are stored as skipped: another channel owns
the chat, so nothing is sent.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from aiohttp import web
from linebot.v3 import SignatureValidator

from bot.line.adapter import chat_key
from bot.pipeline import InboxItem

log = logging.getLogger(__name__)

PARSER = web.AppKey("line_signature", SignatureValidator)

# Optional fields of an event and the JSON type each must have when present (what the worker relies on).
FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "type": str, "mode": str, "replyToken": str, "source": dict, "deliveryContext": dict,
    "message": dict, "postback": dict, "joined": dict, "left": dict,
}


def items_of(body: Any) -> list[InboxItem]:
    """The inbox rows for a verified body; ValueError when it is not a webhook body LINE sends."""
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        raise ValueError("no events list")
    items = []
    for event in body["events"]:
        if not isinstance(event, dict):
            raise ValueError("event is not an object")
        event_id = event.get("webhookEventId")
        if not isinstance(event_id, str) or not event_id:
            raise ValueError("event without webhookEventId")
        for field, kind in FIELD_TYPES.items():
            if field in event and not isinstance(event[field], kind):
                raise ValueError(f"event field {field} has the wrong type")
        timestamp = event.get("timestamp", 0)
        if not isinstance(timestamp, int) or isinstance(timestamp, bool):
            raise ValueError("event timestamp is not an integer")
        status = "skipped" if event.get("mode") == "standby" else "pending"
        items.append(InboxItem(event_id, chat_key(event), json.dumps(event, ensure_ascii=False), status))
    return items


async def line_webhook(request: web.Request) -> web.Response:
    from bot.app import METRICS
    from bot.channels import BATCHER, WORKERS

    started = time.perf_counter()
    app = request.app
    metrics = app[METRICS]
    raw = await request.read()  # over MAX_BODY_BYTES → aiohttp answers 413
    signature = request.headers.get("X-Line-Signature")
    if not signature:
        metrics.inbound.labels("line", "unsigned").inc()
        raise web.HTTPBadRequest(text="missing X-Line-Signature")
    try:
        body_text = raw.decode("utf-8")
    except UnicodeDecodeError:
        metrics.inbound.labels("line", "malformed").inc()
        raise web.HTTPBadRequest(text="malformed body") from None
    try:
        valid = app[PARSER].validate(body_text, signature)
    except ValueError:  # a header that is not text cannot be LINE's signature
        valid = False
    if not valid:
        log.warning("LINE webhook: bad signature")
        metrics.inbound.labels("line", "bad_signature").inc()
        raise web.HTTPUnauthorized(text="bad signature")
    try:
        items = items_of(json.loads(body_text))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):  # RecursionError: JSON nested too deep
        # Signed by LINE but not what we understand: 400 makes LINE report the error in its console.
        log.warning("LINE webhook: malformed body")
        metrics.inbound.labels("line", "malformed").inc()
        raise web.HTTPBadRequest(text="malformed body") from None
    new = await app[BATCHER].accept("line", items)  # committed (with concurrent webhooks') before the 200
    metrics.inbound.labels("line", "accepted").inc(new)
    if len(items) > new:
        metrics.inbound.labels("line", "duplicate").inc(len(items) - new)
    if new and WORKERS in app:
        app[WORKERS].inbox.wake()
    metrics.ack_seconds.labels("line").observe(time.perf_counter() - started)
    return web.json_response({"accepted": new})
