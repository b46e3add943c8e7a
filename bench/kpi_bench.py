"""Benchmark: `/kpi FY2570` over 1,000,000 stored survey responses, on SQLite and on PostgreSQL.

    .venv/bin/python bench/kpi_bench.py                    # both databases, 1,000,000 rows
    .venv/bin/python bench/kpi_bench.py --db sqlite --rows 200000

Every response lies inside the fiscal year asked for (the worst case: the whole table is in the
period). The timed path is the real one: the dispatcher runs `/kpi FY2570` for a committee member —
role check, the aggregate SQL, the Thai text, the trend chart PNG (matplotlib) and its file — inside a
session, then commits. The indicator query alone and the dashboard's full report are timed too.
PostgreSQL runs in a schema of its own (dropped afterwards) in TEST_POSTGRES_URL's database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from bot.charts import chart_renderer, clear_chart_cache
from bot.settings import Settings
from handlers.dispatch import Dispatcher
from handlers.hospital import hospital_for
from handlers.messages import Channel, Inbound
from handlers.reports import router as reports_router
from handlers.router import Router
from handlers.services import Services
from store.db import make_engine, make_session_factory, upgrade
from store.indicator import compute_kpi, full_report, load_indicator_config, parse_period
from store.models import ChannelIdentity, Staff

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
FY_START = date(2026, 10, 1)
CHANNELS = ("line", "line", "line", "telegram", "import")
OPD_UNITS = ("opd", "er", "dental", "pharmacy", "lab", "xray")
IPD_UNITS = ("ipd", "ward_med", "ward_surg")
COLUMNS = ("channel", "service_type", "department_code", "visit_date", "submitted_at", "mean_score",
           "process_mean", "staff_mean", "facility_mean", "source")


def rows(n: int, seed: int = 6, shuffled: bool = False) -> list[tuple[object, ...]]:
    """n responses over the fiscal year; stored in visit-date order (as a live service stores them,
    a survey being submitted on or soon after the visit) unless `shuffled`."""
    rnd = random.Random(seed)
    out: list[tuple[object, ...]] = []
    submitted = datetime(2026, 11, 26, tzinfo=UTC)
    for _ in range(n):
        ipd = rnd.random() < 0.3
        day = FY_START + timedelta(days=rnd.randrange(365))
        dims = [round(min(5.0, max(1.0, rnd.gauss(4.0, 0.7))), 2) for _ in range(3)]
        mean = round(sum(dims) / 3, 2)
        out.append(("line" if ipd else rnd.choice(CHANNELS), "ipd" if ipd else "opd",
                    rnd.choice(IPD_UNITS if ipd else OPD_UNITS), day, submitted, mean, *dims, "chat"))
    if not shuffled:
        out.sort(key=lambda r: str(r[3]))
    return out


async def load_sqlite(path: Path, data: list[tuple[object, ...]]) -> str:
    url = f"sqlite+aiosqlite:///{path}"
    engine = make_engine(url)
    await upgrade(engine)
    await engine.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    sql = f"INSERT INTO survey_responses ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"  # noqa: S608 (fixed names)
    con.executemany(sql, ((*r[:3], r[3].isoformat(), r[4].strftime("%Y-%m-%d %H:%M:%S.%f"), *r[5:])  # type: ignore[attr-defined]
                          for r in data))
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return url


async def load_postgres(schema: str, data: list[tuple[object, ...]]) -> None:
    admin = make_engine(PG_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await admin.dispose()
    engine = make_engine(PG_URL, schema=schema)
    await upgrade(engine)
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.copy_records_to_table("survey_responses", records=data, columns=list(COLUMNS),
                                           schema_name=schema)
        await conn.commit()
    async with engine.connect() as conn:  # VACUUM cannot run in a transaction; it sets the visibility map
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("VACUUM ANALYZE survey_responses"))
    await engine.dispose()


async def measure(label: str, url: str, schema: str | None, media: Path, repeat: int) -> dict[str, object]:
    engine = make_engine(url, schema=schema)
    sessions = make_session_factory(engine)
    user = f"bench-{time.time_ns()}"  # a fresh committee member per run (the data may be reused)
    async with sessions() as s:
        staff = Staff(role="committee", display_name="bench")
        s.add(staff)
        await s.flush()
        s.add(ChannelIdentity(channel="terminal", external_id=user, staff_id=staff.id))
        await s.commit()
    settings = Settings(_env_file=None, database_url=url, media_dir=media)
    root = Router("bench")
    root.include(reports_router)
    services = Services(settings=settings, sessions=sessions, hospital=hospital_for(settings), charts=chart_renderer())
    dispatcher = Dispatcher(root, services)
    config = load_indicator_config(settings.config_dir)
    period = parse_period("FY2570", today=date(2026, 11, 26))
    inbound = Inbound(channel=Channel.TERMINAL, user_id=user, chat_id=user, at=datetime.now(UTC),
                      text="/kpi FY2570")

    is_pg = schema is not None
    backend_cpu = [0.0]  # PostgreSQL: CPU seconds of the server backend that ran the statements

    async def pg_serial(s: object) -> int:
        """Run this session's statements without parallel workers and return its backend pid, so the
        backend's own CPU time (/proc/<pid>/stat) is all the server work of the command."""
        conn = await s.connection()  # type: ignore[attr-defined]
        await conn.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())

    def proc_cpu(pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def kpi_command(serial: bool = False) -> str:
        clear_chart_cache()  # draw the chart every time: the figure is for new data, not a cached picture
        async with sessions() as s:
            pid = await pg_serial(s) if serial else 0
            before = proc_cpu(pid) if pid else 0.0
            result = await dispatcher.handle(inbound, session=s)
            await s.commit()
            backend_cpu[0] = proc_cpu(pid) - before if pid else 0.0
        return result.replies[0].text

    async def kpi_command_serial() -> str:
        return await kpi_command(serial=True)

    async def query_only() -> object:
        async with sessions() as s:
            return await compute_kpi(s, period=period, config=config)

    async def dashboard_report() -> object:
        async with sessions() as s:
            return await full_report(s, period=period, config=config, now=datetime.now(UTC))

    results: dict[str, object] = {"db": label, "load_average": round(os.getloadavg()[0], 1)}
    plan = [("kpi_command", kpi_command), ("kpi_query", query_only), ("full_report", dashboard_report)]
    if is_pg:
        plan.insert(1, ("kpi_command_no_parallel", kpi_command_serial))
    for name, fn in plan:
        wall, cpu = [], []
        for _ in range(repeat + 1):  # the first run is the cold one (page cache, plans, font loading)
            t0, c0 = time.perf_counter(), time.process_time()
            out = await fn()
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0 + backend_cpu[0])
            backend_cpu[0] = 0.0
        # cpu_s: CPU seconds the work itself took (this process incl. SQLite's thread, plus the PostgreSQL
        # backend when measured) — what the wall time would be on an idle core; stable on a busy machine.
        cpu_key = "client_cpu_median_s" if is_pg and name != "kpi_command_no_parallel" else "cpu_median_s"
        results[name] = {"cold_s": round(wall[0], 3), "median_s": round(statistics.median(wall[1:]), 3),
                         "max_s": round(max(wall[1:]), 3), cpu_key: round(statistics.median(cpu[1:]), 3)}
        if name == "kpi_command":
            results["reply_first_lines"] = str(out).split("\n")[:4]
    await engine.dispose()
    return results


async def _count(url: str, schema: str | None) -> int:
    engine = make_engine(url, schema=schema)
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(text("SELECT count(*) FROM survey_responses"))).scalar_one())
    except Exception:
        return -1
    finally:
        await engine.dispose()


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--shuffled", action="store_true",
                        help="store rows in random date order (worst case for the non-covering breakdowns)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the loaded data (SQLite file in this folder, PostgreSQL schema pv_kpi_bench) "
                             "and reuse it on the next run instead of loading again")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    data: list[tuple[object, ...]] | None = None

    def dataset() -> list[tuple[object, ...]]:
        nonlocal data
        if data is None:
            t0 = time.perf_counter()
            data = rows(args.rows, shuffled=args.shuffled)
            print(f"generated {len(data):,} responses in {time.perf_counter() - t0:.1f}s", flush=True)
        return data

    with tempfile.TemporaryDirectory(prefix="kpi-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        media = folder / "media"
        if args.db in ("sqlite", "both"):
            path = folder / "bench.db"
            url = f"sqlite+aiosqlite:///{path}"
            if not (args.keep and path.exists() and await _count(url, None) >= args.rows):
                path.unlink(missing_ok=True)
                t0 = time.perf_counter()
                await load_sqlite(path, dataset())
                print(f"sqlite: loaded in {time.perf_counter() - t0:.1f}s", flush=True)
            print(await measure("sqlite", url, None, media, args.repeat), flush=True)
        if args.db in ("postgresql", "both"):
            schema = "pv_kpi_bench"
            if not (args.keep and await _count(PG_URL, schema) >= args.rows):
                t0 = time.perf_counter()
                await load_postgres(schema, dataset())
                print(f"postgresql: loaded in {time.perf_counter() - t0:.1f}s", flush=True)
            try:
                print(await measure("postgresql", PG_URL, schema, media, args.repeat), flush=True)
            finally:
                if not args.keep:
                    admin = make_engine(PG_URL)
                    async with admin.begin() as conn:
                        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                    await admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
