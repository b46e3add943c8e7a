"""The baseline for bench/load.py: the least a webhook receiver can do, and nothing more.

    .venv/bin/python bench/minimal_receiver.py --port 8090 --line-secret S --telegram-secret T

`POST /webhook/line` verifies `X-Line-Signature` (HMAC-SHA256 of the raw body, base64, constant-time
compare) and answers 200; `POST /webhook/telegram` compares `X-Telegram-Bot-Api-Secret-Token` in constant
time and answers 200. No parsing, no database, no logging — the ceiling a real service is measured against.
Listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac

from aiohttp import web


def make_app(line_secret: str, telegram_secret: str, max_body: int = 1_000_000) -> web.Application:
    line_key = line_secret.encode()
    tg_key = telegram_secret.encode()

    async def line(request: web.Request) -> web.Response:
        body = await request.read()
        given = request.headers.get("X-Line-Signature", "").encode()
        expected = base64.b64encode(hmac.new(line_key, body, hashlib.sha256).digest())
        if not hmac.compare_digest(given, expected):
            raise web.HTTPUnauthorized(text="bad signature")
        return web.json_response({"ok": True})

    async def telegram(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
        if not hmac.compare_digest(given, tg_key):
            raise web.HTTPForbidden(text="bad secret")
        await request.read()
        return web.json_response({"ok": True})

    app = web.Application(client_max_size=max_body)
    app.router.add_post("/webhook/line", line)
    app.router.add_post("/webhook/telegram", telegram)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--line-secret", required=True)
    parser.add_argument("--telegram-secret", required=True)
    parser.add_argument("--asyncio", action="store_true", help="asyncio's own event loop, not uvloop")
    args = parser.parse_args()
    loop = asyncio.new_event_loop()
    if not args.asyncio:
        try:
            import uvloop
        except ImportError:
            pass
        else:
            loop.close()
            loop = uvloop.new_event_loop()
    web.run_app(make_app(args.line_secret, args.telegram_secret), host="127.0.0.1", port=args.port,
                access_log=None, print=None, loop=loop)


if __name__ == "__main__":
    main()
