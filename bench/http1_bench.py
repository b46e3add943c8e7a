"""bot/http1.py's CPU per call on its own (issue 18): `python -m bench.http1_bench [--calls 4000] [--rounds 7]`.

A LINE-like answer (eight headers, a short JSON body; `--chunked` sends it chunked) comes from a plain asyncio
server in a child process, so the figure is the client's CPU alone (`time.process_time` of this process, best of
`--rounds`): building the request, the event loop's socket work, and parsing the answer. Calls go one at a time on
one kept-alive connection (`--together 1`, the parser's cost shows most) or N at once on N connections (the
senders' concurrency). The CPU spent outside the client (the loop's select and socket calls) is in both figures,
so differences between two versions of the client are what the parsing and the connection handling cost.
`--module` measures another copy of the client (e.g. main's, saved outside the tree) for a before → after.
`--parse-only` feeds the answer to one connection's protocol object directly (no sockets, no loop turn per call):
the request's bookkeeping and the parsing alone; `--pieces N` splits each answer into N writes there.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BODY = (b'{"sentMessages":[{"id":"461230966842064897","quoteToken":"IStG5h1Tz7b7UaRdu_ZhTWsl4c2iu1LKEXw_I-8eP'
        b'_ibfU6Ds4PZZmdxLfiC09vYu1e5S1WVRkZFbvvZHR6D9uP-YDwQdaOGs1mAGA1TWqbs9ZoJQrCYkLZ3uzRQ66yAPsjFnmgBBJM5N'
        b'n-ZQ31cmWbz6nHrAQNUQ"}]}')
HEAD = (b"HTTP/1.1 200 OK\r\nServer: legy\r\nDate: Mon, 07 Dec 2026 15:00:00 GMT\r\n"
        b"Content-Type: application/json\r\nx-line-request-id: 0f9c5a1e-7d2b-4b8e-9a0c-3f6e2d1b5a47\r\n"
        b"x-content-type-options: nosniff\r\nx-frame-options: DENY\r\nCache-Control: no-cache, no-store\r\n"
        b"Connection: keep-alive\r\n")
PLAIN = HEAD + b"Content-Length: %d\r\n\r\n" % len(BODY) + BODY
CHUNKED = HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY)


class _Answering(asyncio.Protocol):
    """Answers each request (head + Content-Length body) with the canned answer."""

    answer = PLAIN

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = bytes(self.buffer[:end]).lower()
            length = int(head.split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
            if len(self.buffer) < end + 4 + length:
                return
            del self.buffer[:end + 4 + length]
            self.transport.write(self.answer)


async def _serve(chunked: bool) -> None:
    _Answering.answer = CHUNKED if chunked else PLAIN
    server = await asyncio.get_running_loop().create_server(_Answering, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


async def _measure(port: int, calls: int, rounds: int, together: int, module: str) -> list[float]:
    client = importlib.import_module(module).Http1Client(
        f"http://127.0.0.1:{port}", headers=[("Authorization", "Bearer x" * 20), ("User-Agent", "pv")])
    body = b'{"replyToken":"' + b"r" * 32 + b'","messages":[{"type":"text","text":"' + "สวัสดีค่ะ".encode() + b'"}]}'
    extra = [("X-Line-Retry-Key", "123e4567-e89b-12d3-a456-426614174000")]

    async def one_after_another(n: int) -> None:
        for _ in range(n):
            status, _, answer = await client.post("/v2/bot/message/push", body, headers=extra, within=10)
            assert status == 200 and answer == BODY

    try:
        await asyncio.gather(*(one_after_another(10) for _ in range(together)))  # connections opened, warm
        per_call = []
        for _ in range(rounds):
            start = time.process_time()
            await asyncio.gather(*(one_after_another(calls // together) for _ in range(together)))
            per_call.append((time.process_time() - start) / (calls // together * together))
        return per_call
    finally:
        await client.close()


async def _parse_only(calls: int, rounds: int, chunked: bool, pieces: int, module: str) -> list[float]:
    """The connection's protocol on a transport that only swallows writes: send, feed the answer, read it."""
    connection = importlib.import_module(module)._Connection()

    class Swallow(asyncio.Transport):
        def write(self, data: bytes | bytearray | memoryview) -> None:
            pass

        def close(self) -> None:
            pass

    answer = CHUNKED if chunked else PLAIN
    step = -(-len(answer) // pieces)
    parts = [answer[i:i + step] for i in range(0, len(answer), step)]
    connection.connection_made(Swallow())
    per_call = []
    for _ in range(rounds + 1):  # the first round warms up
        start = time.process_time()
        for _ in range(calls):
            waiter = connection.send(b"POST / HTTP/1.1\r\n\r\n")
            for part in parts:
                connection.data_received(part)
            assert waiter.result().body == BODY
        per_call.append((time.process_time() - start) / calls)
    return per_call[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--together", type=int, default=1, help="calls at once (each on its own connection)")
    parser.add_argument("--chunked", action="store_true", help="answers with Transfer-Encoding: chunked")
    parser.add_argument("--module", default="bot.http1", help="the client's module (on sys.path)")
    parser.add_argument("--parse-only", action="store_true", help="no sockets: the protocol object fed directly")
    parser.add_argument("--pieces", type=int, default=1, help="with --parse-only: each answer in this many writes")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.chunked))
        return
    if args.parse_only:
        per_call = asyncio.run(_parse_only(args.calls, args.rounds, args.chunked, args.pieces, args.module))
        print(f"parse-only CPU per call, µs: best {min(per_call) * 1e6:.2f} (rounds: "
              f"{', '.join(f'{t * 1e6:.2f}' for t in per_call)}); {'chunked' if args.chunked else 'Content-Length'}, "
              f"{args.pieces} piece(s), {args.module}")
        return
    command = [sys.executable, __file__, "--serve"] + (["--chunked"] if args.chunked else [])
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        per_call = asyncio.run(_measure(port, args.calls, args.rounds, args.together, args.module))
    finally:
        server.terminate()
        server.wait()
    figures = ", ".join(f"{t * 1e6:.1f}" for t in per_call)
    print(f"client CPU per call, µs: best {min(per_call) * 1e6:.1f} (rounds: {figures}); calls {args.calls}, "
          f"together {args.together}, {'chunked' if args.chunked else 'Content-Length'}, {args.module}")


if __name__ == "__main__":
    main()
