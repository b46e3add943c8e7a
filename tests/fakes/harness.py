"""End-to-end harness: the whole service on 127.0.0.1, with fake LINE and Telegram platforms.

Use it to drive any flow exactly as a patient or committee member would, through both channels:

```python
from tests.fakes.harness import running_service

async with running_service(settings, clock=clock) as svc:     # fakes + app (with workers) started
    await svc.line_text("U1", "สวัสดี")                          # signed webhook → inbox → handlers → outbox
    msgs = await svc.line.messages_to("U1", wait_for=3)          # waits until U1 got ≥ 3 messages
    assert msgs[-1].labels == [...]; assert "survey" in msgs[-1].payloads
    await svc.line_postback("U1", "survey")                      # press a button (postback data)
    await svc.line_postback("U1", "visit", params={"date": "2026-11-20"})   # a datetime picker answer
    await svc.line_follow("U1"); await svc.line_text("U2", "/queue", group_id="C1")
    await svc.telegram_text(1, "สวัสดี")                         # private chat: chat id = user id
    await svc.telegram_text(1, "/queue@HospitalBot", chat_id=-100, group=True)
    await svc.telegram_callback(1, "survey")                     # inline keyboard press
    msgs = await svc.telegram.messages_to(1, wait_for=2)
    await svc.settle()                                           # inbox and outbox empty (all due work done)
```

- more senders: `line_follow/unfollow(user)`, `line_join/leave(group)`, `line_member_joined(group, user)`,
  `line_media(user, "image"|"video"|"audio"|"file", message_id=, file_name=)` (content from
  `svc.line.content[id]`, default a PNG), `line_sticker`, `line_location`, `line_events(*raw_events)`
  (built with `svc.line_event(type, user, group_id=..., **fields)`), `line_post(body, signature)` for
  raw/bad requests; `telegram_photo(user, file_id=, caption=)`, `telegram_document(user, file_name=)`,
  `telegram_update(raw)` (built with `svc.telegram_message(user, chat_id=, group=, **fields)`),
  `telegram_post(update, secret=)`. Every sender returns the event id / update_id it used.
- Telegram paces each chat (about 1 message a second after a burst of 5, as the Bot API asks). A long
  scripted conversation can lift that in its test:
  `monkeypatch.setattr("bot.telegram.channel.telegram_limits", lambda: Limits(fast, fast, fast))`
  with `fast = RateLimiter(1000, 1000)` (from bot.sender).
- `svc.line` / `svc.telegram`: the fakes (`FakeLine`, `FakeTelegram`): `.messages_to(chat, wait_for=n)`
  returns `SentMessage`s (`.text`, `.labels`, `.payloads`, `.image_url`, `.type`, `.via`); `.sent`,
  `.requests`, `.calls("/push")`, `.clear()`; `.fail(times, status | "timeout", path=..., retry_after=...)`.
  `wait_for` counts ALL messages the chat got since the start (or the last `.clear()`).
- `svc.sessions()`: a database session on the service's database; `svc.app`: the aiohttp app.
- `clock`: pass the `clock` fixture (MovableClock) to control time; after `clock.advance(...)` call
  `svc.kick()` so workers look again (e.g. for retries scheduled in the future). None = real time.
- `workers=False` starts the app without inbox/outbox workers (events are accepted and stored only).
- `polling=True`: Telegram updates go through getUpdates (`--telegram-polling`) instead of the webhook.
- Pass `line=`/`telegram=` fakes that are already running to keep them across a restart.

pytest fixtures built on it live in tests/fakes/fixtures.py (`service`, `fake_line`, `fake_telegram`);
import them into a conftest.py: `from tests.fakes.fixtures import service, fake_line, fake_telegram`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import itertools
import json
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web
from pydantic import SecretStr
from sqlalchemy import and_, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import select

from bot.app import SERVICES, create_app
from bot.channels import WORKERS
from bot.settings import Settings
from store.db import SessionFactory
from store.models import InboundEvent, OutboundMessage
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram

LINE_SECRET = "harness-line-channel-secret-0123456789"
TELEGRAM_SECRET = "harness-telegram-webhook-secret-0123456789"
_update_ids = itertools.count(1000)
_ANALYZERS: dict[str, Any] = {}  # config dir → loaded NLP analyser, reused by later services


def sign(body: bytes, secret: str = LINE_SECRET) -> str:
    """X-Line-Signature for a body: base64(HMAC-SHA256(channel secret, body))."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def service_settings(settings: Settings, line: FakeLine, telegram: FakeTelegram, port: int) -> Settings:
    """`settings` with both channels on and pointed at the fakes."""
    return settings.model_copy(update={
        "line_channel_secret": SecretStr(LINE_SECRET),
        "line_channel_access_token": SecretStr(line.access_token),
        "line_api_base_url": line.url,
        "line_data_api_base_url": line.url,
        "telegram_bot_token": SecretStr(telegram.token),
        "telegram_webhook_secret": SecretStr(TELEGRAM_SECRET),
        "telegram_api_base_url": f"{telegram.url}/bot",
        "telegram_api_file_url": f"{telegram.url}/file/bot",
        "telegram_bot_username": telegram.username,
        "public_base_url": f"http://127.0.0.1:{port}",
        "worker_poll_seconds": 0.05,
    })


class Service:
    """A running service and the fakes it talks to; see the module docstring."""

    def __init__(self, app: web.Application, url: str, line: FakeLine, telegram: FakeTelegram,
                 http: aiohttp.ClientSession, clock: Callable[[], datetime], polling: bool) -> None:
        self.app = app
        self.url = url
        self.line = line
        self.telegram = telegram
        self.http = http
        self.clock = clock
        self.polling = polling

    @property
    def settings(self) -> Settings:
        from bot.app import SETTINGS

        return self.app[SETTINGS]

    @property
    def sessions(self) -> SessionFactory:
        return self.app[SERVICES].sessions

    def kick(self) -> None:
        """Wake the workers now (after moving the clock)."""
        if WORKERS in self.app:
            self.app[WORKERS].wake()

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until no inbox event and no outbox message is due and unfinished. A due row queued behind an
        older row of the same chat that waits for a later retry is not due yet (the workers keep chat order)."""
        async def busy() -> int:
            now = self.clock()
            async with self.sessions() as session:
                total = 0
                for model, working in ((InboundEvent, "processing"), (OutboundMessage, "sending")):
                    older: Any = aliased(model)  # type: ignore[arg-type]
                    same_chat = (older.chat_key == model.chat_key if model is InboundEvent  # type: ignore[attr-defined]
                                 else and_(older.channel == model.channel,
                                           older.chat_id == model.chat_id))  # type: ignore[attr-defined]
                    blocked = exists().where(same_chat, older.id < model.id, older.status.in_(("pending", working)))
                    due = or_(and_(model.status == "pending", model.next_attempt_at <= now, ~blocked),  # type: ignore[arg-type]
                              model.status == working)
                    channel = model.channel.in_(("line", "telegram"))  # type: ignore[attr-defined]
                    query = select(func.count()).select_from(model).where(due, channel)
                    total += (await session.exec(query)).one()
                return total

        async def wait() -> None:
            while await busy():
                self.kick()
                await asyncio.sleep(0.02)

        await asyncio.wait_for(wait(), timeout)

    # --- LINE -------------------------------------------------------------------------------------

    async def line_post(self, body: bytes, signature: str | None) -> tuple[int, str]:
        """POST a raw body to /webhook/line; returns (status, text)."""
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Line-Signature"] = signature
        async with self.http.post(f"{self.url}/webhook/line", data=body, headers=headers) as resp:
            return resp.status, await resp.text()

    async def line_events(self, *events: dict[str, Any]) -> None:
        """Send LINE events in one signed webhook call; asserts the service answered 200."""
        body = json.dumps({"destination": "Uhospitalbot", "events": list(events)}, ensure_ascii=False).encode()
        status, text = await self.line_post(body, sign(body))
        assert status == 200, f"LINE webhook answered {status}: {text}"

    def line_event(self, type_: str, user_id: str | None, *, group_id: str | None = None,
                   room_id: str | None = None, reply: bool = True, **fields: Any) -> dict[str, Any]:
        """A LINE event as LINE sends it, with a fresh webhookEventId and reply token."""
        if group_id:
            source: dict[str, Any] = {"type": "group", "groupId": group_id}
        elif room_id:
            source = {"type": "room", "roomId": room_id}
        else:
            source = {"type": "user"}
        if user_id:
            source["userId"] = user_id
        event: dict[str, Any] = {
            "type": type_, "mode": "active", "timestamp": int(self.clock().timestamp() * 1000), "source": source,
            "webhookEventId": uuid.uuid4().hex.upper()[:26], "deliveryContext": {"isRedelivery": False}, **fields,
        }
        if reply:
            event["replyToken"] = self.line.reply_token_for(group_id or room_id or user_id or "")
        return event

    async def _line(self, event: dict[str, Any]) -> str:
        await self.line_events(event)
        return str(event["webhookEventId"])

    async def line_text(self, user_id: str, text: str, *, group_id: str | None = None) -> str:
        message = {"id": uuid.uuid4().hex[:12], "type": "text", "text": text, "quoteToken": "q"}
        return await self._line(self.line_event("message", user_id, group_id=group_id, message=message))

    async def line_postback(self, user_id: str, data: str, *, params: dict[str, str] | None = None,
                            group_id: str | None = None) -> str:
        postback: dict[str, Any] = {"data": data}
        if params:
            postback["params"] = params
        return await self._line(self.line_event("postback", user_id, group_id=group_id, postback=postback))

    async def line_follow(self, user_id: str) -> str:
        return await self._line(self.line_event("follow", user_id, follow={"isUnblocked": False}))

    async def line_unfollow(self, user_id: str) -> str:
        return await self._line(self.line_event("unfollow", user_id, reply=False))

    async def line_join(self, group_id: str) -> str:
        return await self._line(self.line_event("join", None, group_id=group_id))

    async def line_leave(self, group_id: str) -> str:
        return await self._line(self.line_event("leave", None, group_id=group_id, reply=False))

    async def line_member_joined(self, group_id: str, user_id: str) -> str:
        joined = {"members": [{"type": "user", "userId": user_id}]}
        return await self._line(self.line_event("memberJoined", None, group_id=group_id, joined=joined))

    async def line_media(self, user_id: str, kind: str = "image", *, message_id: str | None = None,
                         file_name: str | None = None, group_id: str | None = None) -> str:
        """An image/video/audio/file message; the fake serves its content (`line.content[id]`, default a PNG)."""
        message: dict[str, Any] = {"id": message_id or uuid.uuid4().hex[:12], "type": kind,
                                   "contentProvider": {"type": "line"}}
        if kind == "file":
            message.update(fileName=file_name or "file.pdf", fileSize=100)
        return await self._line(self.line_event("message", user_id, group_id=group_id, message=message))

    async def line_sticker(self, user_id: str) -> str:
        message = {"id": uuid.uuid4().hex[:12], "type": "sticker", "packageId": "446", "stickerId": "1988"}
        return await self._line(self.line_event("message", user_id, message=message))

    async def line_location(self, user_id: str) -> str:
        message = {"id": uuid.uuid4().hex[:12], "type": "location", "title": "โรงพยาบาล", "address": "กรุงเทพฯ",
                   "latitude": 13.7563, "longitude": 100.5018}
        return await self._line(self.line_event("message", user_id, message=message))

    # --- Telegram ---------------------------------------------------------------------------------

    async def telegram_post(self, update: dict[str, Any], secret: str | None = TELEGRAM_SECRET) -> tuple[int, str]:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with self.http.post(f"{self.url}/webhook/telegram", json=update, headers=headers) as resp:
            return resp.status, await resp.text()

    async def telegram_update(self, update: dict[str, Any]) -> int:
        """Deliver one update (webhook, or getUpdates when polling); returns its update_id."""
        if self.polling:
            self.telegram.queue_update(update)
        else:
            status, text = await self.telegram_post(update)
            assert status == 200, f"Telegram webhook answered {status}: {text}"
            await self.telegram_webhook_reply(text)
        return int(update["update_id"])

    async def telegram_webhook_reply(self, text: str) -> None:
        """What Telegram does with a webhook's 200: a body naming a `method` is that Bot API call, run by
        Telegram (recorded by the fake as if the bot had made it)."""
        reply = json.loads(text) if text.startswith("{") else {}
        if "method" in reply:
            await self.telegram._call(reply.pop("method"), reply)

    def _tg_user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": "ผู้ใช้", "language_code": "th"}

    def _tg_chat(self, user_id: int, chat_id: int | None, group: bool) -> dict[str, Any]:
        if group:
            return {"id": chat_id if chat_id is not None else -100, "type": "supergroup", "title": "คณะกรรมการ"}
        return {"id": chat_id if chat_id is not None else user_id, "type": "private", "first_name": "ผู้ใช้"}

    def telegram_message(self, user_id: int, *, chat_id: int | None = None, group: bool = False,
                         **fields: Any) -> dict[str, Any]:
        """An Update carrying a message, as Telegram sends it."""
        message = {"message_id": next(_update_ids), "date": int(self.clock().timestamp()),
                   "chat": self._tg_chat(user_id, chat_id, group), "from": self._tg_user(user_id), **fields}
        text = fields.get("text", "")
        if isinstance(text, str) and text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split(" ", 1)[0])}]
        return {"update_id": next(_update_ids), "message": message}

    async def telegram_text(self, user_id: int, text: str, *, chat_id: int | None = None, group: bool = False) -> int:
        return await self.telegram_update(self.telegram_message(user_id, chat_id=chat_id, group=group, text=text))

    async def telegram_callback(self, user_id: int, data: str, *, chat_id: int | None = None,
                                group: bool = False) -> int:
        """An inline keyboard press on a bot message in the chat."""
        message = {"message_id": next(_update_ids), "date": int(self.clock().timestamp()),
                   "chat": self._tg_chat(user_id, chat_id, group), "text": "…",
                   "from": {"id": 999000, "is_bot": True, "first_name": "Hospital"}}
        update = {"update_id": next(_update_ids), "callback_query": {
            "id": uuid.uuid4().hex[:16], "from": self._tg_user(user_id), "chat_instance": "ci",
            "data": data, "message": message}}
        return await self.telegram_update(update)

    async def telegram_photo(self, user_id: int, *, file_id: str | None = None, caption: str | None = None,
                             chat_id: int | None = None, group: bool = False) -> int:
        fid = file_id or f"photo-{uuid.uuid4().hex[:8]}"
        sizes = [{"file_id": f"{fid}-small", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 10},
                 {"file_id": fid, "file_unique_id": "b", "width": 800, "height": 600, "file_size": 100}]
        fields: dict[str, Any] = {"photo": sizes}
        if caption:
            fields["caption"] = caption
        return await self.telegram_update(self.telegram_message(user_id, chat_id=chat_id, group=group, **fields))

    async def telegram_document(self, user_id: int, *, file_name: str = "ใบเสร็จ.pdf",
                                mime_type: str = "application/pdf", file_id: str | None = None) -> int:
        document = {"file_id": file_id or f"doc-{uuid.uuid4().hex[:8]}", "file_unique_id": "d",
                    "file_name": file_name, "mime_type": mime_type, "file_size": 100}
        return await self.telegram_update(self.telegram_message(user_id, document=document))


@asynccontextmanager
async def running_service(
    settings: Settings,
    clock: Callable[[], datetime] | None = None,
    *,
    workers: bool = True,
    polling: bool = False,
    line: FakeLine | None = None,
    telegram: FakeTelegram | None = None,
) -> AsyncIterator[Service]:
    """Start the fakes (unless given), then the app on 127.0.0.1 with both channels pointed at them."""
    own: list[FakeLine | FakeTelegram] = []
    if line is None:
        line = FakeLine()
        await line.start()
        own.append(line)
    if telegram is None:
        telegram = FakeTelegram()
        await telegram.start()
        own.append(telegram)
    # The service's socket is bound here and handed to aiohttp, not a port number looked up and bound later: between
    # the two another process's connection could take the port (seen once in CI: "address already in use").
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    now = clock or (lambda: datetime.now(UTC))
    app = create_app(service_settings(settings, line, telegram, port), clock=now, workers=workers,
                     telegram_polling=polling)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    services = app[SERVICES]
    # The NLP analyser is read-only and takes seconds to load: share it between the services of a run.
    services._analyzer = services._analyzer or _ANALYZERS.get(str(services.settings.config_dir))
    try:
        await web.SockSite(runner, sock).start()
        async with aiohttp.ClientSession() as http:
            yield Service(app, f"http://127.0.0.1:{port}", line, telegram, http, now, polling)
    finally:
        if services._analyzer is not None:
            _ANALYZERS[str(services.settings.config_dir)] = services._analyzer
        await runner.cleanup()
        sock.close()
        for fake in own:
            with contextlib.suppress(Exception):
                await fake.close()
