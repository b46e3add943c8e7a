"""bot/http1.py, the senders' HTTP/1.1 client, against a real aiohttp server: kept-alive connections, the ways an
answer's body ends, and failures raised as aiohttp's client raises them."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

import bot.http1
from bot.http1 import Http1Client


@contextlib.asynccontextmanager
async def opened(origin: str, **options: Any) -> AsyncIterator[Http1Client]:
    """A client to `origin`, closed after the test's calls whatever they raised."""
    client = Http1Client(origin, **options)
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[Any]]]:
    """A server whose answers each test picks by path; the connections' peers, one entry per request."""
    peers: list[Any] = []

    async def handle(request: web.Request) -> web.StreamResponse:
        peers.append(request.transport.get_extra_info("peername") if request.transport else None)
        body = await request.read()
        if request.path == "/echo":
            return web.json_response({"got": body.decode(), "key": request.headers.get("X-Key"),
                                      "type": request.headers.get("Content-Type"), "ua": request.headers.get("UA")})
        if request.path == "/chunked":
            response = web.StreamResponse(status=201, headers={"Retry-After": "7"})
            response.enable_chunked_encoding()
            await response.prepare(request)
            for part in (b"ab", b"", b"cdef" * 1000, "ไทย".encode()):
                if part:
                    await response.write(part)
            await response.write_eof()
            return response
        if request.path == "/close":
            return web.Response(text="bye", headers={"Connection": "close"})
        if request.path == "/slow":
            await asyncio.sleep(5)
            return web.Response(text="late")
        if request.path == "/drop":
            assert request.transport is not None
            request.transport.close()
            await asyncio.sleep(0.1)
            return web.Response(text="never")
        return web.Response(status=404)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", peers
    finally:
        await runner.cleanup()


async def test_calls_share_one_kept_alive_connection(server: tuple[str, list[Any]]) -> None:
    origin, peers = server
    async with opened(origin, headers=[("UA", "pv")]) as client:
        for i in range(5):
            status, headers, body = await client.post("/echo", f'{{"n": {i}}}'.encode(), headers=[("X-Key", f"k{i}")])
            assert status == 200 and headers["content-type"].startswith("application/json")
            assert json.loads(body) == {"got": f'{{"n": {i}}}', "key": f"k{i}",
                                                        "type": "application/json", "ua": "pv"}
        together = await asyncio.gather(*(client.post("/echo", b"{}") for _ in range(3)))
        assert [status for status, _, _ in together] == [200, 200, 200]
    assert len(set(peers[:5])) == 1  # one after the other: the same connection each time
    assert len(set(peers)) == 3  # three at once: three connections, the first among them


async def test_a_chunked_answer_is_read_whole_and_the_connection_kept(server: tuple[str, list[Any]]) -> None:
    origin, peers = server
    async with opened(origin) as client:
        status, headers, body = await client.post("/chunked", b"{}")
        assert (status, headers["retry-after"]) == (201, "7")
        assert body == b"ab" + b"cdef" * 1000 + "ไทย".encode()
        assert (await client.post("/echo", b"{}"))[0] == 200
    assert len(set(peers)) == 1


async def test_connection_close_is_honoured(server: tuple[str, list[Any]]) -> None:
    origin, peers = server
    async with opened(origin) as client:
        status, _, body = await client.post("/close", b"{}")
        assert (status, body) == (200, b"bye")
        assert (await client.post("/echo", b"{}"))[0] == 200
    assert len(set(peers)) == 2  # the server said close: the next call opened a new connection


async def test_failures_are_aiohttp_errors_and_timeouts_timeouterror(server: tuple[str, list[Any]]) -> None:
    origin, _ = server
    async with opened(origin) as client:
        with pytest.raises(TimeoutError):
            await client.post("/slow", b"{}", within=0.2)
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await client.post("/drop", b"{}")
        assert (await client.post("/echo", b"{}"))[0] == 200  # a fresh connection after each failure
    nobody = Http1Client("http://127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(aiohttp.ClientConnectionError):
        await nobody.post("/", b"{}", within=5)


async def test_an_http10_answer_closes_its_connection() -> None:
    """An HTTP/1.0 answer without `Connection: keep-alive` ends its connection: the next call opens another."""
    connections = 0

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.lower().split(b"\r\n")
        length = int(next(line.split(b":")[1] for line in lines if line.startswith(b"content-length")))
        await reader.readexactly(length)
        writer.write(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        await asyncio.sleep(0.2)  # the server keeps it open a moment: the client must not reuse it anyway
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with opened(f"http://127.0.0.1:{port}") as client:
        assert (await client.post("/", b"{}", within=5))[2] == b"ok"
        assert (await client.post("/", b"{}", within=5))[2] == b"ok"
        server.close()
    assert connections == 2


Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def raw_server(script: Script) -> AsyncIterator[tuple[str, list[int]]]:
    """A plain TCP server that reads each request and lets `script` write the answer byte for byte; the list
    counts the requests per connection, one entry per connection."""
    connections: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(0)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                await reader.readexactly(length)
                connections[-1] += 1
                await script(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", connections
    finally:
        server.close()


async def test_an_answer_split_into_many_small_writes_is_read_whole() -> None:
    """An answer arriving a few bytes at a time (a byte per write in the head, three in a chunked body) is put
    together by the parser, and the connection is kept for the next call."""
    chunked = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"5\r\n{\"a\":\r\n" + b"%x\r\n" % len("\"ไทย\"}".encode()) + "\"ไทย\"}".encode() + b"\r\n0\r\n\r\n")
    plain = b"HTTP/1.1 201 Created\r\nRetry-After: 3\r\nContent-Length: 9\r\n\r\n{\"b\": 22}"
    answers = iter([chunked, plain])

    async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        answer = next(answers)
        end = answer.index(b"\r\n\r\n") + 4
        pieces = [answer[i:i + 1] for i in range(end)] + [answer[i:i + 3] for i in range(end, len(answer), 3)]
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.001)  # each piece its own segment (asyncio's sockets have TCP_NODELAY set)

    async with raw_server(trickle) as (origin, connections):
        async with opened(origin) as client:
            status, headers, body = await client.post("/", b"{}", within=10)
            assert (status, headers["content-type"], json.loads(body)) == (200, "application/json", {"a": "ไทย"})
            assert await client.post("/", b"{}", within=10) == (201, {"retry-after": "3", "content-length": "9"},
                                                                 b'{"b": 22}')
    assert connections == [2]


async def test_a_malformed_answer_is_a_payload_error_and_its_connection_is_dropped() -> None:
    """An answer the parser refuses (here a four-digit status) fails the call with aiohttp's ClientPayloadError
    and ends the connection; the next call opens a fresh one."""
    answers = iter([b"HTTP/1.1 2000 Broken\r\nContent-Length: 2\r\n\r\n{}",
                    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n",  # two lengths: refused
                    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"])

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(next(answers))

    async with raw_server(answer) as (origin, connections):
        async with opened(origin) as client:
            for _ in range(2):
                with pytest.raises(aiohttp.ClientPayloadError, match="malformed response"):
                    await client.post("/", b"{}", within=5)
            assert (await client.post("/", b"{}", within=5))[2] == b"ok"
    assert connections == [1, 1, 1]


async def test_bytes_after_the_answer_end_its_connection() -> None:
    """Anything after a complete answer (nothing was asked for it) leaves the connection unusable: the call
    gets its answer, the next call a new connection."""
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n")

    async with raw_server(answer) as (origin, connections):
        async with opened(origin) as client:
            assert (await client.post("/", b"{}", within=5))[2] == b"ok"
            assert (await client.post("/", b"{}", within=5))[2] == b"ok"
    assert connections == [1, 1]


async def test_an_interim_answer_is_skipped_and_a_close_delimited_body_read_to_the_end() -> None:
    """A `100 Continue` before the answer is passed over; a body with neither length nor chunks ends with the
    connection, and the connection is not kept."""
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nX-Part: 1\r\n\r\nuntil")
        await writer.drain()
        await asyncio.sleep(0.01)
        writer.write(b" the end")
        await writer.drain()
        writer.close()

    async with raw_server(answer) as (origin, connections):
        async with opened(origin) as client:
            assert await client.post("/", b"{}", within=5) == (200, {"x-part": "1"}, b"until the end")
            assert (await client.post("/", b"{}", within=5))[2] == b"until the end"
    assert connections == [1, 1]


async def test_an_oversize_answer_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer over the limits fails with ClientPayloadError and its connection is dropped: a Content-Length
    above MAX_BODY before any body is read, an endless body once past it, a head past MAX_HEAD."""
    monkeypatch.setattr(bot.http1, "MAX_BODY", 1000)
    monkeypatch.setattr(bot.http1, "MAX_HEAD", 1000)
    answers = iter([(b"HTTP/1.1 200 OK\r\nContent-Length: 1001\r\n\r\n", b""),  # then waits for the body
                    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", b"100\r\n" + b"x" * 256 + b"\r\n"),
                    (b"HTTP/1.1 200 OK\r\nX-Long: ", b"y" * 256)])

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first, then = next(answers)
        writer.write(first)
        while then:  # until the client hangs up (drain raises)
            writer.write(then)
            await writer.drain()
            await asyncio.sleep(0)
        await reader.read()  # the client's close

    async with raw_server(answer) as (origin, connections):
        async with opened(origin) as client:
            for _ in range(3):
                with pytest.raises(aiohttp.ClientPayloadError, match="too large"):
                    await client.post("/", b"{}", within=5)
    assert connections == [1, 1, 1]
