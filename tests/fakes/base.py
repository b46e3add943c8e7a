"""What both fake platforms share: a real aiohttp server on 127.0.0.1, request recording, failures on
demand, and waiting for the messages a chat received."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON / form fields, or raw bytes


@dataclass
class SentMessage:
    """One message a chat received, as the user would see it."""

    to: str  # the chat: LINE user/group/room id, Telegram chat id (as text)
    type: str  # text | image | sticker | photo | …
    text: str = ""
    labels: list[str] = field(default_factory=list)  # button labels (LINE quick reply, Telegram keyboard)
    payloads: list[str] = field(default_factory=list)  # what each button sends back
    image_url: str | None = None
    via: str = ""  # LINE: reply | push; Telegram: the method
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    """Fail matching requests `times` times: an HTTP status, `timeout` (answer after `delay` seconds) or
    `malformed` (bytes no HTTP parser takes for an answer, then the connection closed). With `accepted`, the
    platform does the work first and only the answer is lost."""

    times: int
    status: int | str
    path: str = ""
    retry_after: int | None = None
    delay: float = 3.0
    accepted: bool = False


class FakeServer:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.sent: list[SentMessage] = []
        self._failures: list[Failure] = []
        self._news = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def start(self) -> None:
        app = web.Application(client_max_size=50_000_000)
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- failures ---------------------------------------------------------------------------------

    def fail(self, times: int = 1, status: int | str = 500, *, path: str = "", retry_after: int | None = None,
             delay: float = 3.0, accepted: bool = False) -> None:
        """The next `times` requests whose path contains `path` fail with `status` (or "timeout", "malformed");
        `accepted=True`: the request takes effect but its answer fails (a lost response)."""
        self._failures.append(Failure(times, status, path, retry_after, delay, accepted))

    @staticmethod
    async def answer_malformed(request: web.Request) -> web.Response:
        """A broken answer, written on the connection itself: a four-digit status (every HTTP parser refuses
        it), then the close. What the handler returns afterwards never reaches the client."""
        assert request.transport is not None
        request.transport.write(b"HTTP/1.1 2000 Broken\r\nContent-Length: 2\r\n\r\n{}")
        request.transport.close()
        return web.Response(status=500)

    def _take_failure(self, path: str) -> Failure | None:
        for failure in self._failures:
            if failure.path in path and failure.times > 0:
                failure.times -= 1
                if failure.times == 0:
                    self._failures.remove(failure)
                return failure
        return None

    # --- recording and waiting --------------------------------------------------------------------

    async def record(self, request: web.Request) -> Recorded:
        body: Any
        if request.content_type == "application/json":
            body = await request.json() if request.can_read_body else {}
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            body = {}
            for key, value in (await request.post()).items():
                if isinstance(value, str) and value[:1] in "{[":
                    try:
                        value = json.loads(value)
                    except ValueError:
                        pass
                body[key] = value
        else:
            body = await request.read()
        recorded = Recorded(request.method, request.path, dict(request.headers), body)
        self.requests.append(recorded)
        return recorded

    async def deliver(self, messages: list[SentMessage]) -> None:
        async with self._news:
            self.sent.extend(messages)
            self._news.notify_all()

    def calls(self, path_part: str) -> list[Recorded]:
        return [r for r in self.requests if path_part in r.path]

    async def messages_to(self, chat: str | int, wait_for: int = 0, timeout: float = 10.0) -> list[SentMessage]:
        """Messages chat `chat` received so far, after waiting until there are at least `wait_for`."""
        chat = str(chat)

        def got() -> list[SentMessage]:
            return [m for m in self.sent if m.to == chat]

        async def enough() -> None:
            async with self._news:
                await self._news.wait_for(lambda: len(got()) >= wait_for)

        try:
            await asyncio.wait_for(enough(), timeout)
        except TimeoutError:
            texts = [m.text[:40] for m in got()]
            raise AssertionError(f"{chat} received {len(texts)} messages, wanted {wait_for}: {texts}") from None
        return got()

    def clear(self) -> None:
        """Forget what was received (requests and messages)."""
        self.requests.clear()
        self.sent.clear()
