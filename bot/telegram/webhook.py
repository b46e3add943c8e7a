"""`POST /webhook/telegram`: check the secret header, store the update in the inbox, answer 200.

Telegram echoes the secret given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`; it is compared in
constant time and a wrong or missing one is 403 with nothing stored. The update is read as plain JSON and
its shape checked (`check_update`: the fields the inbox and the adapter rely on) — no PTB objects on the
ack path; `Update.de_json` runs in the inbox worker, after the 200. It is stored unique on update_id, so a
resend is handled once. An update that passes the check but that PTB still cannot read is marked failed by
the worker at once (not retried).

A button press (callback query) is answered in the 200 itself — the Bot API's "making requests when getting
updates": a webhook's answer may carry one method call, `{"method": "answerCallbackQuery", …}` — so the person's
spinner stops as soon as the press is stored, and the inbox worker makes no answerCallbackQuery call of its own
(an HTTP request per press, 4–5 % of the service's CPU in the survey burst, bench/README.md). Telegram does not
report that call's result; the worker's own call never used it either (a failed answer only leaves the spinner).
The stored press is marked `ANSWERED` (bot/telegram/channel.py); the worker answers every press without that
mark — polled ones, and those stored by a version that did not answer in its 200 (before an upgrade, or by an old
instance still serving during deploy/upgrade.sh).
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from typing import Any

from aiohttp import web

from bot.ackflow import accepted
from bot.keys import BATCHER, METRICS, SETTINGS, WORKERS
from bot.pipeline import InboxItem
from bot.telegram.adapter import chat_key
from bot.telegram.channel import ANSWERED

log = logging.getLogger(__name__)

MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post")
MEMBER_KINDS = ("my_chat_member", "chat_member")


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _user(value: Any) -> bool:
    return (isinstance(value, dict) and _int(value.get("id")) and isinstance(value.get("is_bot"), bool)
            and isinstance(value.get("first_name"), str))


def _chat(value: Any) -> bool:
    return isinstance(value, dict) and _int(value.get("id")) and isinstance(value.get("type"), str)


def _message(value: Any) -> bool:
    return (isinstance(value, dict) and _int(value.get("message_id")) and _int(value.get("date"))
            and _chat(value.get("chat")) and ("from" not in value or _user(value["from"])))


def check_update(data: Any) -> None:
    """ValueError unless `data` has the shape of a Telegram update (as far as the inbox relies on it)."""
    if not isinstance(data, dict) or not _int(data.get("update_id")):
        raise ValueError("not an update")
    for kind, part in data.items():
        if kind == "update_id":
            continue
        if not isinstance(part, dict):
            raise ValueError(f"{kind} is not an object")
        if kind in MESSAGE_KINDS and not _message(part):
            raise ValueError(f"malformed {kind}")
        if kind == "callback_query" and not (
            isinstance(part.get("id"), str) and _user(part.get("from")) and isinstance(part.get("chat_instance"), str)
            and ("message" not in part or isinstance(part["message"], dict))
        ):
            raise ValueError("malformed callback_query")
        if kind in MEMBER_KINDS and not (
            _chat(part.get("chat")) and _user(part.get("from")) and _int(part.get("date"))
            and all(isinstance(part.get(m), dict) and isinstance(part[m].get("status"), str)
                    and _user(part[m].get("user")) for m in ("old_chat_member", "new_chat_member"))
        ):
            raise ValueError(f"malformed {kind}")


def mark_answered(text: str) -> str:
    """An update's JSON object (non-empty: it has update_id) with `ANSWERED` added as its last member, so it wins
    over any key of that name in the body."""
    return f'{text.rstrip()[:-1]},"{ANSWERED}":true}}'


async def telegram_webhook(request: web.Request) -> web.Response:
    started = time.perf_counter()
    app = request.app
    metrics = app[METRICS]
    expected = app[SETTINGS].telegram_webhook_secret.get_secret_value().encode()
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
    if not expected or not hmac.compare_digest(given, expected):
        if not expected:
            log.warning("Telegram webhook refused: TELEGRAM_WEBHOOK_SECRET is not set")
        metrics.count_inbound("telegram", "bad_secret")
        raise web.HTTPForbidden(text="bad secret")
    raw = await request.read()  # over MAX_BODY_BYTES → aiohttp answers 413
    try:
        text = raw.decode("utf-8")  # Telegram sends UTF-8; anything else is malformed (UnicodeDecodeError)
        data = json.loads(text)
        check_update(data)
        if "callback_query" in data:  # answered in the 200 below: the worker must not answer it too
            text = mark_answered(text)
        # The body is the update's own JSON: stored as received (a press with the mark added), not encoded again.
        item = InboxItem(str(data["update_id"]), chat_key(data), text)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):  # RecursionError: JSON nested too deep
        log.warning("Telegram webhook: malformed update")
        metrics.count_inbound("telegram", "malformed")
        raise web.HTTPBadRequest(text="malformed update") from None
    new = await app[BATCHER].accept("telegram", [item])  # committed (with concurrent webhooks') before the 200
    metrics.count_inbound("telegram", "accepted" if new else "duplicate")
    if new and WORKERS in app:
        app[WORKERS].inbox.wake()
    metrics.observe_ack("telegram", time.perf_counter() - started)
    query = data.get("callback_query")
    if query is not None:  # a resend too: its first answer may not have reached Telegram
        return web.json_response({"method": "answerCallbackQuery", "callback_query_id": query["id"]})
    return accepted(new)
