"""A fake LINE Messaging API (and data API) on 127.0.0.1 that the real line-bot-sdk talks to.

It checks the bearer token, records every request, turns reply/push bodies into `SentMessage`s,
enforces single-use reply tokens (400 on reuse) and X-Line-Retry-Key (409 on a key already accepted),
serves message content and the bot's info (getBotInfo), creates rich menus, and fails on demand (`fail(...)`).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from aiohttp import web

from tests.fakes.base import Failure, FakeServer, SentMessage

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def to_sent(chat: str, message: dict[str, Any], via: str) -> SentMessage:
    items = ((message.get("quickReply") or {}).get("items")) or []
    actions = [item.get("action") or {} for item in items]
    return SentMessage(
        to=chat,
        type=message.get("type", ""),
        text=message.get("text", ""),
        labels=[a.get("label", "") for a in actions],
        payloads=[a.get("data") or a.get("uri") or a.get("text") or "" for a in actions],
        image_url=message.get("originalContentUrl"),
        via=via,
        raw=message,
    )


class FakeLine(FakeServer):
    def __init__(self, access_token: str = "line-test-token") -> None:  # noqa: S107  # a fake's fixed test token
        super().__init__()
        self.access_token = access_token
        self.reply_tokens: dict[str, str] = {}  # token → chat it answers
        self.used_tokens: set[str] = set()
        self.retry_keys: set[str] = set()
        self.content: dict[str, tuple[bytes, str]] = {}  # message id → (bytes, content type); default a PNG
        # message id → bytes served: content streamed without a Content-Length that never ends (a client must
        # stop reading by itself); the count says how far it read
        self.endless: dict[str, int] = {}
        self.loading: list[str] = []
        self.rich_menus: dict[str, dict[str, Any]] = {}
        self.rich_menu_images: dict[str, bytes] = {}
        self.default_rich_menu: str | None = None

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v2/bot/message/reply", self._reply)
        app.router.add_post("/v2/bot/message/push", self._push)
        app.router.add_post("/v2/bot/chat/loading/start", self._loading)
        app.router.add_post("/v2/bot/richmenu", self._create_rich_menu)
        app.router.add_post("/v2/bot/richmenu/{id}/content", self._rich_menu_image)
        app.router.add_post("/v2/bot/user/all/richmenu/{id}", self._default_rich_menu)
        app.router.add_get("/v2/bot/message/{id}/content", self._content)
        app.router.add_get("/v2/bot/info", self._bot_info)

    def reply_token_for(self, chat: str) -> str:
        """A fresh reply token whose reply goes to `chat`."""
        token = uuid.uuid4().hex
        self.reply_tokens[token] = chat
        return token

    # --- plumbing ---------------------------------------------------------------------------------

    async def _gate(self, request: web.Request) -> tuple[Any, Failure | None]:
        """Record the request, check the token, apply a pending failure (before or after the work)."""
        recorded = await self.record(request)
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            raise web.HTTPUnauthorized(text='{"message":"Authentication failed"}', content_type="application/json")
        failure = self._take_failure(request.path)
        if failure is not None and not failure.accepted:
            await self._raise(failure, request)
        return recorded.body, failure

    async def _raise(self, failure: Failure, request: web.Request) -> None:
        if failure.status == "malformed":
            await self.answer_malformed(request)
            raise web.HTTPInternalServerError()  # the connection is closed: this goes nowhere
        if failure.status == "timeout":
            await asyncio.sleep(failure.delay)
            raise web.HTTPGatewayTimeout()
        status = int(failure.status)
        headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else None
        raise _error(status, headers)

    # --- endpoints --------------------------------------------------------------------------------

    async def _reply(self, request: web.Request) -> web.Response:
        body, failure = await self._gate(request)
        token = body.get("replyToken", "")
        if token in self.used_tokens:
            raise _error(400, None, "Invalid reply token")
        self.used_tokens.add(token)
        chat = self.reply_tokens.get(token, f"reply:{token}")
        await self.deliver([to_sent(chat, m, "reply") for m in body.get("messages", [])])
        if failure is not None:
            await self._raise(failure, request)
        return web.json_response({"sentMessages": [{"id": uuid.uuid4().hex[:12]} for _ in body.get("messages", [])]})

    async def _push(self, request: web.Request) -> web.Response:
        body, failure = await self._gate(request)
        key = request.headers.get("X-Line-Retry-Key")
        if key is not None and key in self.retry_keys:
            raise _error(409, {"x-line-accepted-request-id": key}, "The retry key is already accepted")
        if key is not None:
            self.retry_keys.add(key)
        chat = body.get("to", "")
        await self.deliver([to_sent(chat, m, "push") for m in body.get("messages", [])])
        if failure is not None:
            await self._raise(failure, request)
        return web.json_response({"sentMessages": [{"id": uuid.uuid4().hex[:12]} for _ in body.get("messages", [])]})

    async def _loading(self, request: web.Request) -> web.Response:
        body, _ = await self._gate(request)
        self.loading.append(body.get("chatId", ""))
        return web.json_response({}, status=202)

    async def _create_rich_menu(self, request: web.Request) -> web.Response:
        body, _ = await self._gate(request)
        menu_id = f"richmenu-{uuid.uuid4().hex}"
        self.rich_menus[menu_id] = body
        return web.json_response({"richMenuId": menu_id})

    async def _rich_menu_image(self, request: web.Request) -> web.Response:
        body, _ = await self._gate(request)
        self.rich_menu_images[request.match_info["id"]] = body
        return web.json_response({})

    async def _default_rich_menu(self, request: web.Request) -> web.Response:
        await self._gate(request)
        self.default_rich_menu = request.match_info["id"]
        return web.json_response({})

    async def _bot_info(self, request: web.Request) -> web.Response:
        await self._gate(request)
        return web.json_response({"userId": "Ubot", "basicId": "@123hosp", "displayName": "โรงพยาบาลทดสอบ",
                                  "chatMode": "bot", "markAsReadMode": "manual"})

    async def _content(self, request: web.Request) -> web.StreamResponse:
        await self._gate(request)
        message_id = request.match_info["id"]
        if message_id in self.endless:
            return await self._endless(request, message_id)
        data, content_type = self.content.get(request.match_info["id"], (PNG, "image/png"))
        return web.Response(body=data, content_type=content_type)


    async def _endless(self, request: web.Request, message_id: str) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "video/mp4"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b"\x00\x00\x00\x18ftypmp42" + bytes(64 * 1024 - 12)
        try:
            while True:
                await response.write(chunk)
                self.endless[message_id] += len(chunk)
        except (ConnectionError, RuntimeError):  # the client hung up
            return response


def _error(status: int, headers: dict[str, str] | None, message: str = "error") -> web.HTTPException:
    cls = {400: web.HTTPBadRequest, 401: web.HTTPUnauthorized, 403: web.HTTPForbidden, 409: web.HTTPConflict,
           429: web.HTTPTooManyRequests, 500: web.HTTPInternalServerError, 502: web.HTTPBadGateway,
           503: web.HTTPServiceUnavailable}.get(status, web.HTTPInternalServerError)
    return cls(text=json.dumps({"message": message}), content_type="application/json", headers=headers)
