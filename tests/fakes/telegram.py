"""A fake Telegram Bot API on 127.0.0.1 that python-telegram-bot's real `Bot` talks to.

Routes `/bot<token>/<method>` and `/file/bot<token>/<path>`; checks the token; records every call;
sendMessage / sendPhoto become `SentMessage`s (inline keyboard labels and callback data); getUpdates
serves `queue_update(...)`d updates (long polling, briefly); getFile serves content; fails on demand.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiohttp import web

from tests.fakes.base import FakeServer, SentMessage
from tests.fakes.line import PNG

BOT_ID = 999000


def to_sent(method: str, params: dict[str, Any]) -> SentMessage:
    markup = params.get("reply_markup") or {}
    buttons = [b for row in (markup.get("inline_keyboard") or []) for b in row] if isinstance(markup, dict) else []
    photo = params.get("photo")
    return SentMessage(
        to=str(params.get("chat_id", "")),
        type="photo" if method == "sendPhoto" else "text",
        text=str(params.get("text") or params.get("caption") or ""),
        labels=[b.get("text", "") for b in buttons],
        payloads=[b.get("callback_data") or b.get("url") or "" for b in buttons],
        image_url=photo if isinstance(photo, str) else None,
        via=method,
        raw={k: v for k, v in params.items() if isinstance(v, str | int | float | dict | list)},
    )


class FakeTelegram(FakeServer):
    def __init__(self, token: str = "123456:TEST-token", username: str = "HospitalBot") -> None:  # noqa: S107  # test token
        super().__init__()
        self.token = token
        self.username = username
        self.updates: list[dict[str, Any]] = []
        self._offset = 0
        self._message_id = 0
        self.callback_answers: list[str] = []
        self.files: dict[str, tuple[bytes, str]] = {}  # file_id → (bytes, content type); default a PNG
        self.webhook: dict[str, Any] = {}

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self._method)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)

    def queue_update(self, update: dict[str, Any]) -> None:
        """Give getUpdates (polling mode) one more update."""
        self.updates.append(update)

    async def _method(self, request: web.Request) -> web.Response:
        recorded = await self.record(request)
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = recorded.body if isinstance(recorded.body, dict) else {}
        failure = self._take_failure(f"/{method}")
        if failure is not None and not failure.accepted:
            return await self._failed(failure, request)
        result = await self._call(method, params)
        if failure is not None:
            return await self._failed(failure, request)
        return web.json_response({"ok": True, "result": result})

    async def _failed(self, failure: Any, request: web.Request) -> web.Response:
        if failure.status == "malformed":
            return await self.answer_malformed(request)
        if failure.status == "timeout":
            await asyncio.sleep(failure.delay)
            return web.json_response({"ok": False, "error_code": 504, "description": "Gateway Timeout"}, status=504)
        status = int(failure.status)
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": f"Error {status}"}
        if status == 429:
            body["description"] = f"Too Many Requests: retry after {failure.retry_after or 1}"
            body["parameters"] = {"retry_after": failure.retry_after or 1}
        return web.json_response(body, status=status)

    def _message(self, chat_id: Any, **extra: Any) -> dict[str, Any]:
        self._message_id += 1
        chat = int(chat_id) if str(chat_id).lstrip("-").isdigit() else chat_id
        kind = "private" if isinstance(chat, int) and chat > 0 else "supergroup"
        return {"message_id": self._message_id, "date": int(time.time()), "chat": {"id": chat, "type": kind},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Hospital", "username": self.username},
                **extra}

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Hospital", "username": self.username,
                    "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        if method == "sendMessage":
            await self.deliver([to_sent(method, params)])
            return self._message(params.get("chat_id"), text=params.get("text", ""))
        if method == "sendPhoto":
            await self.deliver([to_sent(method, params)])
            photo = [{"file_id": "sent-photo", "file_unique_id": "sent", "width": 1, "height": 1}]
            return self._message(params.get("chat_id"), photo=photo)
        if method == "answerCallbackQuery":
            self.callback_answers.append(str(params.get("callback_query_id")))
            return True
        if method == "getFile":
            file_id = str(params.get("file_id"))
            data, _ = self.files.get(file_id, (PNG, "image/png"))
            return {"file_id": file_id, "file_unique_id": file_id[-8:], "file_size": len(data),
                    "file_path": f"files/{file_id}"}
        if method == "setWebhook":
            self.webhook = dict(params)
            return True
        if method == "deleteWebhook":
            self.webhook = {}
            return True
        if method == "getUpdates":
            return await self._get_updates(params)
        return True  # sendChatAction and anything else the bot may call

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.2)
        while not self.updates and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return list(self.updates)

    async def _file(self, request: web.Request) -> web.Response:
        await self.record(request)
        if request.match_info["token"] != self.token:
            raise web.HTTPUnauthorized()
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        data, content_type = self.files.get(file_id, (PNG, "image/png"))
        return web.Response(body=data, content_type=content_type)
