"""A small HTTP/1.1 client for the senders' calls to the platforms: a JSON POST on a kept-alive connection.

In the burst benchmark aiohttp's client was the largest single cost of the worker processes after the ORM: about
a sixth of their CPU, ≈ 0.3 ms per call (bench/README.md, round 6) — per request a `ClientRequest` and a
`ClientResponse`, header multidicts built and merged, the URL parsed, cookie filtering, timeout handles, the
writer's and the payload's objects, and the streams the answer is read through. A platform call needs none
of that: one POST with a body built beforehand and a short answer read whole. Here each connection is an
asyncio `Protocol` kept for the next call (per host, up to `limit` at once); its answers are parsed by httptools'
`HttpResponseParser` (llhttp, the parser uvicorn and Node use: status line, headers, Content-Length, chunked,
interim 1xx, keep-alive by version and `Connection`), fed straight from `data_received`. Ours are only the
connection's handling, the limits (MAX_HEAD, MAX_BODY) and one thing httptools has no call for: a body with
neither length nor chunks ends with the connection (`connection_lost`). An answer the parser refuses fails the
call with aiohttp's `ClientPayloadError`; bytes arriving after a complete answer only end its connection.

Kept as aiohttp behaves for these calls: the same TLS checks (`ssl.create_default_context()`, as aiohttp and
the LINE SDK use), no proxy or netrc from the environment (the service sets `trust_env=False` everywhere),
failures raised as aiohttp's errors (`ClientConnectionError`, `ServerDisconnectedError`, `ClientPayloadError`;
timeouts as `TimeoutError`), so the callers' handling is unchanged. A request is never sent twice here: a
connection that fails is dropped and the error goes to the caller (the sender retries, as before). Everything
else (uploads, downloads, polling, the SDK's own calls) stays on aiohttp.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterable
from urllib.parse import urlsplit

import aiohttp
import httptools

MAX_BODY = 16 * 1024 * 1024  # an answer larger than this is an error (the platforms' are a few hundred bytes)
MAX_HEAD = 64 * 1024


class _Answer:
    """What one response brought: status, headers (lower-case names), body."""

    __slots__ = ("body", "headers", "keep", "status")

    def __init__(self, status: int, headers: dict[str, str], body: bytes, keep: bool) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.keep = keep


class _Connection(asyncio.Protocol):
    """One kept-alive connection; one request at a time. Its answers are parsed by httptools' `HttpResponseParser`
    (llhttp), which calls the `on_*` methods below; this class only keeps what they hand it, within the limits."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._parser = httptools.HttpResponseParser(self)
        self._waiter: asyncio.Future[_Answer] | None = None
        self._answer: _Answer | None = None
        self._headers: dict[str, str] = {}
        self._body = bytearray()
        self._in_head = True
        self._head_bytes = 0
        # a Content-Length or chunked Transfer-Encoding: the body has its own end, and a close before it is an
        # error; without either, the body ends with the connection (httptools has no call for that end of input)
        self._framed = False

    # --- asyncio.Protocol --------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        if not self._in_head and not self._framed:  # a body delimited by the close: complete now
            waiter.set_result(_Answer(self._parser.get_status_code(), self._headers, bytes(self._body), False))
            return
        error = aiohttp.ServerDisconnectedError() if exc is None else aiohttp.ClientOSError(*_os_args(exc))
        waiter.set_exception(error)

    def data_received(self, data: bytes) -> None:
        waiter = self._waiter
        if waiter is None or waiter.done():  # nothing asked for: a stray byte means the connection is unusable
            self.close()
            return
        if self._in_head:
            self._head_bytes += len(data)
        error: aiohttp.ClientError | None = None
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:  # raised by an `on_*` below: what it raised
            cause = exc.__context__
            error = cause if isinstance(cause, aiohttp.ClientError) else aiohttp.ClientPayloadError(str(exc))
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
            error = aiohttp.ClientPayloadError(f"malformed response: {exc}")
        if error is None and self._in_head and self._head_bytes > MAX_HEAD:
            error = aiohttp.ClientPayloadError("response head too large")
        answer = self._answer
        if answer is not None:  # complete; whatever came after it (an error included) only ends the connection
            if error is not None or self.closed or not answer.keep:
                answer.keep = False
                self.close()
            waiter.set_result(answer)
        elif error is not None:
            self.close()
            waiter.set_exception(error)

    # --- httptools.HttpResponseParser's callbacks ------------------------------------------------------

    def on_message_begin(self) -> None:
        if self._answer is not None:
            raise aiohttp.ClientPayloadError("data after the answer")

    def on_header(self, name: bytes, value: bytes) -> None:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1").strip()
        headers = self._headers
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
        if key == "content-length" or (key == "transfer-encoding" and "chunked" in text.lower()):
            self._framed = True

    def on_headers_complete(self) -> None:
        if self._parser.get_status_code() < 200:  # an interim answer (100 Continue): the real one follows
            self._headers = {}
            self._framed = False
            return
        self._in_head = False
        if int(self._headers.get("content-length", 0)) > MAX_BODY:  # the parser has checked it is a number
            raise aiohttp.ClientPayloadError("response body too large")

    def on_body(self, body: bytes) -> None:
        self._body += body
        if len(self._body) > MAX_BODY:
            raise aiohttp.ClientPayloadError("response body too large")

    def on_message_complete(self) -> None:
        if self._in_head:  # the interim answer's end
            return
        self._answer = _Answer(self._parser.get_status_code(), self._headers, bytes(self._body),
                               self._parser.should_keep_alive())

    # --- a request -----------------------------------------------------------------------------------

    def send(self, data: bytes) -> asyncio.Future[_Answer]:
        self._answer = None
        self._headers = {}
        self._body = bytearray()
        self._in_head, self._head_bytes, self._framed = True, 0, False
        self._waiter = asyncio.get_running_loop().create_future()
        assert self.transport is not None
        self.transport.write(data)
        return self._waiter

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def expire(self) -> None:
        """The call's deadline passed: it fails with TimeoutError, and the connection is dropped."""
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(TimeoutError())
        self.close()


def _os_args(exc: Exception) -> tuple[object, ...]:
    return (exc.errno, exc.strerror) if isinstance(exc, OSError) and exc.errno is not None else (0, str(exc))


class Http1Client:
    """POSTs to one origin (scheme, host, port) on kept-alive connections, at most `limit` at once."""

    def __init__(self, origin: str, *, limit: int = 100, headers: Iterable[tuple[str, str]] = ()) -> None:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("an http(s) origin is needed")
        self.host = parts.hostname
        self.tls = parts.scheme == "https"
        self.port = parts.port or (443 if self.tls else 80)
        default_port = self.port == (443 if self.tls else 80)
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.authority = host if default_port else f"{host}:{self.port}"
        self.base_path = parts.path.rstrip("/")
        self._fixed = "".join(f"{name}: {value}\r\n" for name, value in headers)
        self._idle: list[_Connection] = []
        self._limit = asyncio.Semaphore(limit)
        self._ssl: ssl.SSLContext | None = None
        self._closed = False

    async def post(self, path: str, body: bytes, *, headers: Iterable[tuple[str, str]] = (),
                   within: float | None = None) -> tuple[int, dict[str, str], bytes]:
        """POST `body` (JSON) to `path` (after the origin's own path) within `within` seconds; returns (status,
        headers with lower-case names, body). Raises TimeoutError, or aiohttp's ClientError subclasses."""
        if self._closed:
            raise aiohttp.ClientConnectionError("client closed")
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers)
        head = (f"POST {self.base_path}{path} HTTP/1.1\r\nHost: {self.authority}\r\n{self._fixed}{extra}"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
        data = head.encode("latin-1") + body
        loop = asyncio.get_running_loop()
        deadline = None if within is None else loop.time() + within
        # `limit` is far above the calls a process makes at once (the sender's concurrency): no deadline on it
        async with self._limit:
            connection = self._reuse()
            if connection is None:
                async with asyncio.timeout_at(deadline):
                    connection = await self._connect()
            waiter = connection.send(data)
            # the deadline as one timer on the loop that fails this call's future (an `asyncio.timeout` around
            # every call cost a third of the client's CPU)
            timer = None if deadline is None else loop.call_at(deadline, connection.expire)
            try:
                answer = await waiter
            except BaseException:
                connection.close()
                raise
            finally:
                if timer is not None:
                    timer.cancel()
            if answer.keep and not self._closed:
                self._idle.append(connection)
            return answer.status, answer.headers, answer.body

    def _reuse(self) -> _Connection | None:
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection
        return None

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        if self.tls and self._ssl is None:
            self._ssl = ssl.create_default_context()
        try:
            _, protocol = await loop.create_connection(
                _Connection, self.host, self.port, ssl=self._ssl if self.tls else None,
                server_hostname=self.host if self.tls else None)
        except OSError as exc:
            raise aiohttp.ClientConnectionError(f"cannot connect to {self.authority}: {type(exc).__name__}") from exc
        return protocol

    async def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

