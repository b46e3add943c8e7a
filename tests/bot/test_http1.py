"""bot/http1.py, the senders' HTTP/1.1 client, against a real aiohttp server: kept-alive connections, the ways an
answer's body ends, and failures raised as aiohttp's client raises them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.http1 import Http1Client


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
    client = Http1Client(origin, headers=[("UA", "pv")])
    try:
        for i in range(5):
            status, headers, body = await client.post("/echo", f'{{"n": {i}}}'.encode(), headers=[("X-Key", f"k{i}")])
            assert status == 200 and headers["content-type"].startswith("application/json")
            assert json.loads(body) == {"got": f'{{"n": {i}}}', "key": f"k{i}",
                                                        "type": "application/json", "ua": "pv"}
        together = await asyncio.gather(*(client.post("/echo", b"{}") for _ in range(3)))
        assert [status for status, _, _ in together] == [200, 200, 200]
    finally:
        await client.close()
    assert len(set(peers[:5])) == 1  # one after the other: the same connection each time
    assert len(set(peers)) == 3  # three at once: three connections, the first among them


async def test_a_chunked_answer_is_read_whole_and_the_connection_kept(server: tuple[str, list[Any]]) -> None:
    origin, peers = server
    client = Http1Client(origin)
    try:
        status, headers, body = await client.post("/chunked", b"{}")
        assert (status, headers["retry-after"]) == (201, "7")
        assert body == b"ab" + b"cdef" * 1000 + "ไทย".encode()
        assert (await client.post("/echo", b"{}"))[0] == 200
    finally:
        await client.close()
    assert len(set(peers)) == 1


async def test_connection_close_is_honoured(server: tuple[str, list[Any]]) -> None:
    origin, peers = server
    client = Http1Client(origin)
    try:
        status, _, body = await client.post("/close", b"{}")
        assert (status, body) == (200, b"bye")
        assert (await client.post("/echo", b"{}"))[0] == 200
    finally:
        await client.close()
    assert len(set(peers)) == 2  # the server said close: the next call opened a new connection


async def test_failures_are_aiohttp_errors_and_timeouts_timeouterror(server: tuple[str, list[Any]]) -> None:
    origin, _ = server
    client = Http1Client(origin)
    try:
        with pytest.raises(TimeoutError):
            await client.post("/slow", b"{}", within=0.2)
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await client.post("/drop", b"{}")
        assert (await client.post("/echo", b"{}"))[0] == 200  # a fresh connection after each failure
    finally:
        await client.close()
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
    client = Http1Client(f"http://127.0.0.1:{port}")
    try:
        assert (await client.post("/", b"{}", within=5))[2] == b"ok"
        assert (await client.post("/", b"{}", within=5))[2] == b"ok"
    finally:
        await client.close()
        server.close()
    assert connections == 2
