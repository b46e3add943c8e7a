"""The network guard (tests/netguard.py): tests reach this machine only, and a test that tries more fails.

Nothing here can leak traffic if the guard were broken: the guard's own logic is checked on top of stub
sockets, and the one real attempt goes to 0.0.0.1, which the kernel refuses without sending a packet."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.netguard import NetworkGuard, OutsideNetwork, is_local

pytest_plugins = ["pytester"]


WILDCARD = "0.0.0.0"  # noqa: S104  # a host name to classify, nothing binds to it here
LOCAL = ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1", "localhost", WILDCARD, None]


@pytest.mark.parametrize("host", LOCAL)
def test_this_machine_is_local(host: str | None) -> None:
    """Loopback addresses, localhost and the bind wildcard count as this machine."""
    assert is_local(host)


@pytest.mark.parametrize("host", ["10.0.0.1", "192.168.1.1", "8.8.8.8", "2001:db8::1", "api.line.me", "0.0.0.1"])
def test_anything_else_is_outside(host: str) -> None:
    """Private ranges, public addresses and any other name are outside."""
    assert not is_local(host)


def test_guard_refuses_before_the_socket_is_touched(monkeypatch: pytest.MonkeyPatch) -> None:
    """An outside connect or lookup raises OutsideNetwork and never reaches the real socket call; local ones do."""
    reached: list[Any] = []
    monkeypatch.setattr(socket.socket, "connect", lambda sock, address: reached.append(address))
    monkeypatch.setattr(socket.socket, "connect_ex", lambda sock, address: reached.append(address) or 0)
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: reached.append(host) or [])
    guard = NetworkGuard()
    guard.install(monkeypatch)
    with socket.socket() as sock:
        with pytest.raises(OutsideNetwork):
            sock.connect(("203.0.113.5", 443))
        with pytest.raises(OutsideNetwork):
            sock.connect_ex(("api.telegram.org", 443))
        sock.connect(("127.0.0.1", 5432))
    with pytest.raises(OutsideNetwork):
        socket.getaddrinfo("api.line.me", 443)
    socket.getaddrinfo("localhost", 8080)
    assert reached == [("127.0.0.1", 5432), "localhost"]
    assert len(guard.blocked) == 3 and "api.line.me" in guard.blocked[-1]


async def test_local_servers_and_unix_sockets_still_work(tmp_path: Path) -> None:
    """A server on 127.0.0.1 and a unix socket answer as usual behind the guard."""
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()
    path = str(tmp_path / "s.sock")
    unix = await asyncio.start_unix_server(lambda r, w: w.close(), path)
    _, unix_writer = await asyncio.open_unix_connection(path)
    unix_writer.close()
    server.close()
    unix.close()


async def test_an_http_client_is_refused_and_recorded(network_guard: NetworkGuard) -> None:
    """aiohttp to an outside address fails at once; the guard records it (cleared here so this test passes)."""
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get("http://0.0.0.1:9/", timeout=aiohttp.ClientTimeout(total=5))
    assert network_guard.blocked and "0.0.0.1" in network_guard.blocked[0]
    network_guard.blocked.clear()


def test_a_swallowed_attempt_still_fails_its_test(pytester: pytest.Pytester) -> None:
    """Code that catches the error cannot hide it: the test that made the attempt fails, the others pass."""
    pytester.makeconftest("from tests.netguard import network_guard  # noqa: F401\n")
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        test_inner="""
import socket

def test_swallows():
    try:
        socket.create_connection(("0.0.0.1", 9), timeout=1)
    except OSError:
        pass

def test_local_only():
    socket.getaddrinfo("127.0.0.1", 80)
"""
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=2, errors=1)  # pytest's count: test_swallows ran, then failed at teardown
    result.stdout.fnmatch_lines(["ERROR test_inner.py::test_swallows - Failed: network guard*"])
    result.stdout.fnmatch_lines(["*network guard: this test tried to reach outside the machine:*0.0.0.1*"])
