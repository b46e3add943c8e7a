"""Reply delay of other patients while one long complaint is analysed (issue 15, item 14).

    .venv/bin/python bench/nlp_delay.py                      # SQLite, the real NLP on a 13,000-character complaint
    .venv/bin/python bench/nlp_delay.py --nlp-seconds 4.4    # the analysis made to take 4.4 s of pure-Python CPU
    .venv/bin/python bench/nlp_delay.py --db postgresql --json

The whole service runs in this process on 127.0.0.1 with the fake LINE platform (tests/fakes), on a fresh
SQLite file or a PostgreSQL database of its own (dropped afterwards). Patient A writes a complaint of five
messages (13,003 characters with the line breaks; texts from the project's dev set), skips the department
and submits anonymously: that submit runs the NLP. From the moment A submits until A's case number arrives,
probe patients (ten of them, round-robin, so no single sender is rate-limited) press the menu button every
`--probe-ms`; each probe's delay is the time from its signed webhook to the first message the fake receives
for that patient. The same probes run first with nothing being analysed (idle).

`--nlp-seconds S` wraps the analyser so each analysis also burns S seconds of CPU in Python (holding the GIL,
as a slow tokenisation does): the issue's 4.4 s case, whatever the NLP's own speed is today.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.settings import Settings  # noqa: E402
from store.db import make_engine, upgrade  # noqa: E402
from tests.fakes.harness import Service, running_service  # noqa: E402
from tests.support import PG_URL  # noqa: E402

PARTS = (2000, 2000, 2000, 1999, 5000)  # the complaint step keeps parts while the total is under 8,000


def complaint_parts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "nlp" / "data" / "dev").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    blob = " ".join(texts)
    while len(blob) < sum(PARTS):
        blob += " " + blob
    parts, at = [], 0
    for n in PARTS:
        parts.append(blob[at:at + n])
        at += n
    return parts


def burn(seconds: float) -> None:
    end = time.thread_time() + seconds
    x = 0
    while time.thread_time() < end:
        for i in range(1000):
            x += i * i


@asynccontextmanager
async def database(kind: str, folder: Path) -> AsyncIterator[str]:
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        engine = make_engine(url)
        await upgrade(engine)
        await engine.dispose()
        yield url
        return
    name = f"pv_bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    async with admin.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    await upgrade(engine)
    await engine.dispose()
    try:
        yield url
    finally:
        async with admin.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def first_message_after(svc: Service, user: str, before: int, wait: float = 60.0) -> float:
    await svc.line.messages_to(user, wait_for=before + 1, timeout=wait)
    return time.perf_counter()


async def probe(svc: Service, user: str) -> float:
    before = len([m for m in svc.line.sent if m.to == user])
    started = time.perf_counter()
    await svc.line_postback(user, "menu")
    return await first_message_after(svc, user, before) - started


async def probes_until(svc: Service, users: list[str], done: asyncio.Future[Any] | None, interval: float,
                       count: int) -> list[float]:
    """Probe every `interval` seconds until `done` (or `count` probes when there is nothing to wait for)."""
    tasks: list[asyncio.Task[float]] = []
    i = 0
    while (done is not None and not done.done()) or (done is None and i < count):
        tasks.append(asyncio.create_task(probe(svc, users[i % len(users)])))
        i += 1
        await asyncio.sleep(interval)
    return list(await asyncio.gather(*tasks))


def summary(delays: list[float]) -> dict[str, float | int]:
    ordered = sorted(delays)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


async def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        async with database(args.db, folder) as url:
            settings = Settings(_env_file=None, environment="development", database_url=url,  # type: ignore[call-arg]
                                media_dir=folder / "media")
            async with running_service(settings) as svc:
                analyzer = await svc.app[_services_key()].analyzer()
                if args.nlp_seconds:
                    original = analyzer.analyse

                    def slow(text_: str, ratings: Any = None) -> Any:
                        burn(args.nlp_seconds)
                        return original(text_, ratings)

                    analyzer.analyse = slow
                users = [f"U-probe-{i}" for i in range(10)]
                for user in users:
                    await svc.line_follow(user)
                patient = "U-long-complaint"
                await svc.line_follow(patient)
                await svc.line_postback(patient, "consent:yes")
                await svc.line_postback(patient, "complaint")
                for part in complaint_parts():
                    await svc.line_text(patient, part)
                await svc.line_postback(patient, "complaint:done")
                await svc.line_postback(patient, "complaint:skipdept")
                await svc.settle(timeout=60)
                idle = await probes_until(svc, users, None, args.probe_ms / 1000, args.idle_probes)
                await svc.settle(timeout=60)
                before = len([m for m in svc.line.sent if m.to == patient])
                submitted = time.perf_counter()
                await svc.line_postback(patient, "complaint:anon")
                case_told = asyncio.ensure_future(first_message_after(svc, patient, before, wait=300))
                busy = await probes_until(svc, users, case_told, args.probe_ms / 1000, 0)
                answered = await case_told
                return {"db": args.db, "nlp_seconds_added": args.nlp_seconds,
                        "complaint_chars": sum(PARTS) + len(PARTS) - 1,
                        "submit_to_case_number_ms": round((answered - submitted) * 1000, 1),
                        "idle": summary(idle), "while_analysing": summary(busy)}


def _services_key() -> Any:
    from bot.app import SERVICES

    return SERVICES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--nlp-seconds", type=float, default=0.0)
    parser.add_argument("--probe-ms", type=float, default=100.0)
    parser.add_argument("--idle-probes", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['db']}: complaint of {result['complaint_chars']} characters, "
          f"+{result['nlp_seconds_added']} s CPU per analysis")
    print(f"  submit → case number: {result['submit_to_case_number_ms']} ms")
    for name in ("idle", "while_analysing"):
        s = result[name]
        print(f"  other patients' reply delay, {name}: n={s['n']} p50 {s['p50_ms']} ms, p90 {s['p90_ms']} ms, "
              f"max {s['max_ms']} ms")


if __name__ == "__main__":
    main()
