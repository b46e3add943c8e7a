"""The outbox sender's CPU per row, on its own (issue 18): `python -m bench.sender_bench [--rows 2000] [--profile]`.

The real sender (`bot.sender.OutboxSender`, the LINE and Telegram channels as `bot/channels.py` builds them) drains
rows queued with `store.outbox.enqueue` — survey-like answers: a question with five buttons, half of them after a
short acknowledgement (≈ 1.5 messages a row), LINE rows with a fresh reply token — to the fake platforms of
tests/fakes. The fakes run in a thread of their own with their own event loop, so the figure is the process's
CPU minus that thread's: the sender, its database work (on SQLite the driver's thread included) and its HTTP
client. Pacing is lifted as in bench/serve_burst.py. `--profile` prints where the sender's thread spends it
(cProfile on the thread's CPU clock, which inflates the figures; read the shares, not the absolute times).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp import web
from sqlalchemy import event

import bot.line.channel
import bot.telegram.channel
from bot.app import create_app
from bot.keys import ENGINE, GATE, LINE, METRICS, SERVICES, TELEGRAM
from bot.sender import Limits, OutboxSender, RateLimiter
from bot.settings import Settings
from handlers.messages import Button, Outbound
from store.db import make_engine, upgrade
from store.outbox import enqueue
from tests.fakes.harness import service_settings
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram

QUESTION = "ข้อ 7 ความสะอาดของห้องน้ำและสถานที่ ท่านพึงพอใจระดับใดคะ"
ACK = "ขอบคุณค่ะ"
SCORES = tuple(Button(label, f"survey:item:7:{n}") for n, label in
               ((5, "5 มากที่สุด"), (4, "4 มาก"), (3, "3 ปานกลาง"), (2, "2 น้อย"), (1, "1 น้อยที่สุด")))


def _unpaced() -> Limits:
    fast = RateLimiter(1_000_000, 1_000_000)
    return Limits(overall=fast, per_chat=fast, per_group=fast)


class Fakes:
    """FakeLine and FakeTelegram served from a thread of their own (their CPU is not the sender's)."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread = threading.Thread(target=self._run, name="fakes", daemon=True)
        self.line: FakeLine
        self.telegram: FakeTelegram

    def _run(self) -> None:
        self.loop = asyncio.new_event_loop()

        async def start() -> None:
            self.line, self.telegram = FakeLine(), FakeTelegram()
            await self.line.start()
            await self.telegram.start()

        self.loop.run_until_complete(start())
        self.ready.set()
        self.loop.run_forever()

    def start(self) -> None:
        self.thread.start()
        self.ready.wait(30)

    def cpu(self) -> float:
        assert self.thread.ident is not None
        return time.clock_gettime(time.pthread_getcpuclockid(self.thread.ident))


async def queue_rows(services: Any, fakes: Fakes, rows: int, start: int) -> None:
    now = datetime.now(UTC)
    async with services.sessions() as session:
        for i in range(start, start + rows):
            messages = [Outbound(QUESTION, buttons=SCORES)]
            if i % 2:
                messages.insert(0, Outbound(ACK))
            if i % 4 < 2:
                chat = f"U{i:032x}"
                await enqueue(session, channel="line", chat_id=chat, messages=messages, now=now,
                              reply_token=fakes.line.reply_token_for(chat))
            else:
                await enqueue(session, channel="telegram", chat_id=str(10_000 + i), messages=messages, now=now)
        await session.commit()


async def run(args: argparse.Namespace) -> None:
    bot.line.channel.line_limits = _unpaced
    bot.telegram.channel.telegram_limits = _unpaced
    fakes = Fakes()
    fakes.start()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/pv.db"
        engine = make_engine(url)
        await upgrade(engine)
        await engine.dispose()
        settings = Settings(_env_file=None, environment="development", database_url=url,
                            media_dir=Path(tmp) / "media", hospital_name="โรงพยาบาลทดสอบ")
        app = create_app(service_settings(settings, fakes.line, fakes.telegram, 0), workers=False)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            services = app[SERVICES]
            sender = OutboxSender(services=services, metrics=app[METRICS], gate=app[GATE],
                                  transports={"line": app[LINE], "telegram": app[TELEGRAM]})
            await queue_rows(services, fakes, 64, 0)  # warm-up: connections, caches
            while await sender.step():
                pass
            # the main thread's own CPU clock: waiting for the GIL (the fakes' thread) is not charged
            profile = cProfile.Profile(time.thread_time) if args.profile else None
            statements: list[str] = []
            commits: list[None] = []
            event.listen(app[ENGINE].sync_engine, "before_cursor_execute",
                         lambda _c, _cur, statement, *_: statements.append(statement))
            event.listen(app[ENGINE].sync_engine, "commit", lambda _c: commits.append(None))
            done = 64
            for round_ in range(args.rounds):
                await queue_rows(services, fakes, args.rows, done)
                done += args.rows
                cpu0, fake0, wall0 = time.process_time(), fakes.cpu(), time.perf_counter()
                if profile is not None:
                    profile.enable()
                while await sender.step():
                    pass
                if profile is not None:
                    profile.disable()
                cpu = (time.process_time() - cpu0) - (fakes.cpu() - fake0)
                wall = time.perf_counter() - wall0
                print(f"round {round_ + 1}: {args.rows} rows in {wall:.2f} s, "
                      f"sender CPU {cpu * 1e6 / args.rows:.0f} µs per row ({args.rows / wall:.0f} rows/s wall)",
                      flush=True)
            rows = args.rows * args.rounds
            progress = sum("SET payload" in text for text in statements)
            print(f"per row: {len(statements) / rows:.2f} statements, {len(commits) / rows:.2f} commits, "
                  f"{progress / rows:.2f} progress saves")
            sent = len(fakes.line.sent) + len(fakes.telegram.sent)
            print(f"messages delivered: {sent} (expected {done * 3 // 2})")
            if profile is not None:
                print_stages(profile, rows=args.rows * args.rounds, messages=args.rows * args.rounds * 3 // 2)
                out = io.StringIO()
                stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
                stats.print_stats(*([args.only] if args.only else []), args.top)
                print(out.getvalue())
        finally:
            await runner.cleanup()


# Where a profiled function's own time goes, by its file (the first match wins).
STAGES = (
    ("LINE SDK models (pydantic: build, validate, to_dict)", ("/pydantic/", "/linebot/")),
    ("PTB objects (Message from the answer, request parameters)", ("/telegram/",)),
    ("form encoding (urllib)", ("urllib/parse.py", "aiohttp/formdata.py")),
    ("HTTP client (aiohttp, sockets)", ("/aiohttp/", "/multidict/", "/yarl/", "socket", "ssl")),
    ("SQL (SQLAlchemy, driver, greenlet)", ("/sqlalchemy/", "/sqlmodel/", "/aiosqlite/", "/asyncpg/", "greenlet",
                                             "/store/")),
    ("JSON", ("json/",)),
    ("event loop (asyncio, selectors)", ("asyncio/", "selectors.py", "select.epoll", "_contextvars", "/contextlib")),
    ("the sender, channels and rendering (bot/, handlers/)", ("/bot/", "/handlers/")),
)


def print_stages(profile: cProfile.Profile, *, rows: int, messages: int) -> None:
    """The profile's own time (each function's, callees excluded) grouped by stage, per row and per message."""
    totals: dict[str, float] = {}
    stats: Any = pstats.Stats(profile)

    def stage_of(path: str, name: str) -> str:
        where = f"{path}:{name}"
        return next((label for label, parts in STAGES if any(p in where for p in parts)), "other")

    for (path, _line, name), (_cc, _nc, own, _cum, callers) in stats.stats.items():
        if path == "~" and callers:  # a built-in (isinstance, dict.get, …): charged to whoever called it
            for (cpath, _cline, cname), timing in callers.items():
                stage = stage_of(cpath, cname)
                totals[stage] = totals.get(stage, 0.0) + timing[2]
            continue
        stage = stage_of(path, name)
        totals[stage] = totals.get(stage, 0.0) + own
    whole = sum(totals.values())
    print(f"profiled CPU of the sender's thread: {whole * 1e6 / rows:.0f} µs per row, {whole * 1e6 / messages:.0f} "
          f"µs per message (cProfile inflates it; the shares are what to read)")
    for stage, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {100 * seconds / whole:5.1f} %  {seconds * 1e6 / rows:6.0f} µs/row  {stage}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default="", help="default: a new SQLite file")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--only", default="", help="a regular expression the profile's lines must match")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
