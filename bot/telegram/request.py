"""PTB's HTTP requests over aiohttp instead of httpx.

python-telegram-bot talks HTTP through a `BaseRequest`; its own one, `HTTPXRequest`, costs the service more
CPU per call than anything else it does for a Telegram event: httpx, httpcore, anyio and h11 were about a fifth
of a worker's CPU in the burst benchmark (bench/README.md), several times what aiohttp (already the service's
web server and the LINE SDK's client) spends per call. This one sends the same requests — the parameters as a
JSON body, or with files as multipart — on one aiohttp session, and maps failures to PTB's errors the way
`HTTPXRequest` does: a timeout is `TimedOut`, any other client error `NetworkError` (the sender retries both).
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue  # PTB's own "not given" sentinel, as HTTPXRequest uses it
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.http1 import Http1Client

POOL = 256  # connections (HTTPXRequest's default pool size)
JSON = {"Content-Type": "application/json"}


class JsonBody:
    """A Bot API call's parameters already encoded as its JSON body (bot/telegram/channel.py `message_body`), given
    to `do_request` through PTB's `_request_wrapper` in place of a `RequestData` (a final class)."""

    __slots__ = ("body",)

    def __init__(self, body: bytes) -> None:
        self.body = body


class AiohttpRequest(BaseRequest):
    """A PTB `BaseRequest` on aiohttp; no proxy or netrc settings are taken from the environment."""

    def __init__(self, *, timeout: float = 10.0, media_write_timeout: float = 20.0, http1: bool = True) -> None:
        self.timeout = timeout
        self.media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        # JSON calls (sendMessage, …) on bot/http1.py's kept-alive connections, one client per origin; uploads
        # (multipart) on aiohttp. Polling's long getUpdates keeps aiohttp (`http1=False`).
        self.http1 = http1
        self._origins: dict[str, Http1Client] = {}

    @property
    def read_timeout(self) -> float | None:
        return self.timeout

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:  # made inside the running loop, on first use
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=POOL), trust_env=False,
                                                  headers={"User-Agent": self.USER_AGENT})
        return self._session

    async def initialize(self) -> None:
        self._client()

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        origins, self._origins = self._origins, {}
        for client in origins.values():
            await client.close()

    async def post_json(self, url: str, body: bytes) -> None:
        """POST a JSON body, its answer's status mapped to PTB's errors by PTB's own `_request_wrapper` (what
        `post` does) but a 2xx answer not parsed: the Bot API answers 2xx only to a call it carried out, and the
        callers read nothing of its `result`."""
        data: Any = JsonBody(body)  # passed through to `do_request` untouched
        await self._request_wrapper(url=url, method="POST", request_data=data)

    def _http1(self, url: str) -> tuple[Http1Client, str]:
        """The client of `url`'s origin, and the path to post to."""
        scheme, _, rest = url.partition("://")
        authority, _, path = rest.partition("/")
        origin = f"{scheme}://{authority}"
        client = self._origins.get(origin)
        if client is None:
            client = self._origins[origin] = Http1Client(origin, limit=POOL, headers=[("User-Agent", self.USER_AGENT)])
        return client, f"/{path}"

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | JsonBody | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        body = request_data.body if isinstance(request_data, JsonBody) else None
        request_data = None if isinstance(request_data, JsonBody) else request_data
        files = request_data.multipart_data if request_data else None
        data: aiohttp.FormData | bytes | None = body
        headers = None if body is None else JSON
        if files:
            form = aiohttp.FormData()
            for name, value in (request_data.json_parameters if request_data else {}).items():
                form.add_field(name, value)
            for name, part in files.items():
                filename, content, *rest = part if isinstance(part, tuple) else (None, part)
                form.add_field(name, content, filename=filename, content_type=rest[0] if rest else None)
            data = form
        elif request_data is not None:
            # A JSON body (the Bot API takes application/json as well as forms): HTTPXRequest's form encoding
            # percent-escapes every byte of Thai text in Python (urllib's quote), a tenth of a Telegram send's CPU.
            data = json.dumps(request_data.parameters, ensure_ascii=False).encode()
            headers = JSON
        read = self.timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = self.timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = self.timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        write = ((self.media_write_timeout if files else self.timeout) if isinstance(write_timeout, DefaultValue)
                 else write_timeout)
        # aiohttp has no write timeout of its own: a request gets the sum of its phases' limits as a whole.
        phases = (connect, pool, write, read)
        total = None if any(t is None for t in phases) else sum(t for t in phases if t is not None)
        if self.http1 and isinstance(data, bytes):
            client, path = self._http1(url)
            try:
                status, _, body = await client.post(path, data, within=total)
            except TimeoutError as err:
                raise TimedOut from err
            except aiohttp.ClientError as err:
                raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err
            return status, body
        timeout = aiohttp.ClientTimeout(total=total, connect=connect, sock_read=read)
        try:
            async with self._client().request(method, url, data=data, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # aiohttp's ServerTimeoutError is one too
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err
