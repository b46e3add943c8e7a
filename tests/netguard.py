"""The test suite's network guard: a test may connect only to this machine (127.0.0.0/8, ::1, localhost, unix
sockets). Any other connection or name lookup is refused on the spot and fails the test that tried it — even
when the code under test swallows the error (a sender retrying, a doctor check reporting "unreachable")."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class OutsideNetwork(ConnectionRefusedError):
    """Raised instead of connecting anywhere but this machine."""


def is_local(host: Any) -> bool:
    """A loopback or unspecified address, or a name that can only mean this machine."""
    if host is None:
        return True  # getaddrinfo(None, port): the local wildcard, used to bind servers
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%", 1)[0].lower()
    if name in LOCAL_NAMES or name == "":
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified


class NetworkGuard:
    """Patches socket connect and getaddrinfo for one test; `blocked` lists what was refused."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def refuse(self, what: str) -> OutsideNetwork:
        self.blocked.append(what)
        return OutsideNetwork(f"network guard: tests may only reach this machine, not {what}")

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
        real_getaddrinfo = socket.getaddrinfo
        guard = self

        def allowed(sock: socket.socket, address: Any) -> bool:
            if sock.family not in (socket.AF_INET, socket.AF_INET6):
                return True  # unix sockets and the like never leave the machine
            return isinstance(address, tuple) and bool(address) and is_local(address[0])

        def connect(sock: socket.socket, address: Any) -> None:
            if not allowed(sock, address):
                raise guard.refuse(f"connect {address!r}")
            real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            if not allowed(sock, address):
                raise guard.refuse(f"connect {address!r}")
            return real_connect_ex(sock, address)

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            if not is_local(host):
                raise guard.refuse(f"name lookup {host!r}")
            return real_getaddrinfo(host, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def network_guard() -> Iterator[NetworkGuard]:
    """Every test runs behind the guard; a refused connection fails the test at teardown if not before."""
    guard = NetworkGuard()
    with pytest.MonkeyPatch.context() as monkeypatch:
        guard.install(monkeypatch)
        yield guard
    if guard.blocked:
        pytest.fail("network guard: this test tried to reach outside the machine: " + "; ".join(guard.blocked),
                    pytrace=False)
