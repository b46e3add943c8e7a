"""`POST /webhook/telegram`: check the secret header, store the update in the inbox, answer 200.

Telegram echoes the secret given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`; it is compared in
constant time and a wrong or missing one is 403 with nothing stored. The update is validated with
`Update.de_json` and stored unique on update_id, so a resend is handled once.
"""

from __future__ import annotations

import hmac
import json
import logging
import time

from aiohttp import web
from telegram import Update

from bot.telegram.channel import update_item

log = logging.getLogger(__name__)


async def telegram_webhook(request: web.Request) -> web.Response:
    from bot.app import METRICS, SETTINGS
    from bot.channels import BATCHER, TELEGRAM, WORKERS

    started = time.perf_counter()
    app = request.app
    metrics = app[METRICS]
    expected = app[SETTINGS].telegram_webhook_secret.get_secret_value().encode()
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
    if not expected or not hmac.compare_digest(given, expected):
        if not expected:
            log.warning("Telegram webhook refused: TELEGRAM_WEBHOOK_SECRET is not set")
        metrics.inbound.labels("telegram", "bad_secret").inc()
        raise web.HTTPForbidden(text="bad secret")
    raw = await request.read()  # over MAX_BODY_BYTES → aiohttp answers 413
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or "update_id" not in data:
            raise ValueError("not an update")
        Update.de_json(data, app[TELEGRAM].bot)
        item = update_item(data)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):  # RecursionError: JSON nested too deep
        log.warning("Telegram webhook: malformed update")
        metrics.inbound.labels("telegram", "malformed").inc()
        raise web.HTTPBadRequest(text="malformed update") from None
    new = await app[BATCHER].accept("telegram", [item])  # committed (with concurrent webhooks') before the 200
    metrics.inbound.labels("telegram", "accepted" if new else "duplicate").inc()
    if new and WORKERS in app:
        app[WORKERS].inbox.wake()
    metrics.ack_seconds.labels("telegram").observe(time.perf_counter() - started)
    return web.json_response({"accepted": new})
