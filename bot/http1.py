"""A small HTTP/1.1 client for the senders' calls to the platforms: a JSON POST on a kept-alive connection.

In the burst benchmark aiohttp's client was the largest single cost of the worker processes after the ORM: about
a sixth of their CPU, ≈ 0.3 ms per call (bench/README.md, round 6) — per request a `ClientRequest` and a
`ClientResponse`, header multidicts built and merged, the URL parsed, cookie filtering, timeout handles, the
writer's and the payload's objects, and the streams the answer is read through. A platform call needs none
of that: one POST with a body built beforehand and a short answer read whole. Here each connection is an
asyncio `Protocol` that parses the status line, the headers and a `Content-Length`, chunked or close-delimited
body straight from `data_received`, and is kept for the next call (per host, up to `limit` at once).

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
    """One kept-alive connection; one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._buffer = bytearray()
        self._waiter: asyncio.Future[_Answer] | None = None
        self._head: tuple[int, dict[str, str]] | None = None
        self._length: int | None = None  # body bytes still expected (Content-Length)
        self._chunked = False
        self._until_close = False
        self._body = bytearray()

    # --- asyncio.Protocol --------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        if self._until_close and self._head is not None:  # a body delimited by the close: complete now
            self._finish(keep=False)
            return
        error = aiohttp.ServerDisconnectedError() if exc is None else aiohttp.ClientOSError(*_os_args(exc))
        waiter.set_exception(error)

    def data_received(self, data: bytes) -> None:
        waiter = self._waiter
        if waiter is None or waiter.done():  # nothing asked for: a stray byte means the connection is unusable
            self.close()
            return
        self._buffer += data
        try:
            self._parse()
        except Exception as exc:
            self.close()
            if not waiter.done():
                waiter.set_exception(exc if isinstance(exc, aiohttp.ClientError)
                                     else aiohttp.ClientPayloadError(str(exc)))

    # --- a request -----------------------------------------------------------------------------------

    def send(self, data: bytes) -> asyncio.Future[_Answer]:
        self._buffer.clear()
        self._body.clear()
        self._head, self._length, self._chunked, self._until_close = None, None, False, False
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

    def _parse(self) -> None:
        buffer = self._buffer
        while self._head is None:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > MAX_HEAD:
                    raise aiohttp.ClientPayloadError("response head too large")
                return
            lines = bytes(buffer[:end]).decode("latin-1").split("\r\n")
            del buffer[:end + 4]
            parts = lines[0].split(" ", 2)
            if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
                raise aiohttp.ClientPayloadError("not an HTTP/1.x response")
            status = int(parts[1])
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                key = name.strip().lower()
                headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
            if 100 <= status < 200:  # an interim answer (100 Continue): the real one follows
                continue
            if parts[0] == "HTTP/1.0" and headers.get("connection", "").lower() != "keep-alive":
                headers["connection"] = "close"  # HTTP/1.0 closes after the answer unless it says otherwise
            self._head = (status, headers)
            if "chunked" in headers.get("transfer-encoding", "").lower():
                self._chunked = True
            elif "content-length" in headers:
                self._length = int(headers["content-length"])
                if self._length > MAX_BODY:
                    raise aiohttp.ClientPayloadError("response body too large")
            elif status in (204, 304):
                self._length = 0
            else:
                self._until_close = True
        if self._chunked:
            self._parse_chunks()
        elif self._length is not None:
            take = min(self._length, len(buffer))
            self._body += buffer[:take]
            del buffer[:take]
            self._length -= take
            if self._length == 0:
                self._finish(keep=not buffer)
        else:  # until the connection closes
            self._body += buffer
            buffer.clear()
            if len(self._body) > MAX_BODY:
                raise aiohttp.ClientPayloadError("response body too large")

    def _parse_chunks(self) -> None:
        buffer = self._buffer
        while True:
            if self._length is None:  # at a chunk's size line
                end = buffer.find(b"\r\n")
                if end < 0:
                    return
                size = int(bytes(buffer[:end]).split(b";", 1)[0].strip() or b"0", 16)
                del buffer[:end + 2]
                if size == 0:
                    self._length = -1  # the trailer follows
                else:
                    if len(self._body) + size > MAX_BODY:
                        raise aiohttp.ClientPayloadError("response body too large")
                    self._length = size + 2  # the data and its CRLF
            if self._length == -1:
                end = buffer.find(b"\r\n\r\n") if not buffer.startswith(b"\r\n") else 0
                if end < 0:
                    return
                del buffer[:end + (2 if end == 0 else 4)]
                self._finish(keep=not buffer)
                return
            if len(buffer) < self._length:
                return
            self._body += buffer[:self._length - 2]
            del buffer[:self._length]
            self._length = None

    def _finish(self, *, keep: bool) -> None:
        assert self._head is not None and self._waiter is not None
        status, headers = self._head
        keep = keep and not self.closed and headers.get("connection", "").lower() != "close"
        if not keep:
            self.close()
        self._waiter.set_result(_Answer(status, headers, bytes(self._body), keep))


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

