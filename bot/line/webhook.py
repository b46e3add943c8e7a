"""`POST /webhook/line`: verify the signature, store every event in the inbox, answer 200.

The raw body is read once and verified with the SDK's `SignatureValidator` (HMAC-SHA256, constant time).
A missing signature is 400 and a wrong one 401 — nothing is stored either way. The events are read as
plain JSON (the fields the inbox needs, checked for shape); turning them into something richer is the
inbox worker's job, after the 200, so the ack path builds no SDK models. Events are stored
(unique on webhookEventId, so a redelivery is a no-op) and committed before LINE gets its 200; the inbox
worker handles them afterwards. `mode: standby` events are stored as skipped: another channel owns
the chat, so nothing is sent.

Replays: a signed request stays valid forever, so a captured one could be sent again once purge has removed
its events from the inbox. Events older than `REPLAY_WINDOW` are refused (answered 200, not stored) unless
LINE marks them `deliveryContext.isRedelivery`; none older than `SEEN_RETENTION` is taken at all; and an id
whose hash is in `seen_events` is a duplicate however old (store/seen.py).
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web
from linebot.v3 import SignatureValidator

from bot.ackflow import accepted
from bot.keys import BATCHER, METRICS, SERVICES, WORKERS
from bot.line.adapter import chat_key
from bot.pipeline import InboxItem
from store.seen import SEEN_RETENTION

log = logging.getLogger(__name__)

# LINE sends an event within seconds; a first delivery older than this is someone replaying a capture.
REPLAY_WINDOW = timedelta(hours=1)

PARSER = web.AppKey("line_signature", SignatureValidator)

# Optional fields of an event and the JSON type each must have when present (what the worker relies on).
FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "type": str, "mode": str, "replyToken": str, "source": dict, "deliveryContext": dict,
    "message": dict, "postback": dict, "joined": dict, "left": dict,
}


def too_old(event: dict[str, Any], now: datetime) -> bool:
    """An event from before the replay window that LINE does not say is a redelivery, or any event older
    than the seen-id hashes are kept."""
    age = now - datetime.fromtimestamp(event.get("timestamp", 0) / 1000, UTC)
    if age > SEEN_RETENTION:
        return True
    redelivery = (event.get("deliveryContext") or {}).get("isRedelivery") is True
    return age > REPLAY_WINDOW and not redelivery


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
    started = time.perf_counter()
    app = request.app
    metrics = app[METRICS]
    raw = await request.read()  # over MAX_BODY_BYTES → aiohttp answers 413
    signature = request.headers.get("X-Line-Signature")
    if not signature:
        metrics.count_inbound("line", "unsigned")
        raise web.HTTPBadRequest(text="missing X-Line-Signature")
    try:
        body_text = raw.decode("utf-8")
    except UnicodeDecodeError:
        metrics.count_inbound("line", "malformed")
        raise web.HTTPBadRequest(text="malformed body") from None
    try:
        valid = app[PARSER].validate(body_text, signature)
    except ValueError:  # a header that is not text cannot be LINE's signature
        valid = False
    if not valid:
        log.warning("LINE webhook: bad signature")
        metrics.count_inbound("line", "bad_signature")
        raise web.HTTPUnauthorized(text="bad signature")
    try:
        body = json.loads(body_text)
        items = items_of(body)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):  # RecursionError: JSON nested too deep
        # Signed by LINE but not what we understand: 400 makes LINE report the error in its console.
        log.warning("LINE webhook: malformed body")
        metrics.count_inbound("line", "malformed")
        raise web.HTTPBadRequest(text="malformed body") from None
    now = app[SERVICES].clock()
    current = [item for item, event in zip(items, body["events"], strict=True) if not too_old(event, now)]
    if len(current) < len(items):
        log.warning("LINE webhook: %d event(s) older than the replay window refused", len(items) - len(current))
        metrics.count_inbound("line", "stale", len(items) - len(current))
    items = current
    new = await app[BATCHER].accept("line", items)  # committed (with concurrent webhooks') before the 200
    metrics.count_inbound("line", "accepted", new)
    if len(items) > new:
        metrics.count_inbound("line", "duplicate", len(items) - new)
    if new and WORKERS in app:
        app[WORKERS].inbox.wake()
    metrics.observe_ack("line", time.perf_counter() - started)
    return accepted(new)
