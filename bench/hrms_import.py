"""How long `python -m bot import-incidents` takes on a 2,500-row HRMS export, and its second run (issue 19's
target: under 30 s, and a second import adds nothing).

    .venv/bin/python bench/hrms_import.py [--rows 2500] [--database-url URL] [--open-share 0.05]

Writes an XLSX in the HRMS-on-cloud layout (Thai headers, B.E. dates, 12 months, five wards, a spread of
codes and severities, about 5 % still open), migrates a fresh SQLite file (or uses --database-url, which must
be an empty migrated database) and times the CLI's runner for the first and the second import.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.cli import main
from store.db import make_engine, upgrade
from tests.hrms.files import HRMS_HEADER, hrms_row, write

CODES = [("CPP405", "C"), ("CPM204", "D"), ("CPM205", "E"), ("CPP101", "B"), ("CPI303", "C"), ("GOS101", "2"),
         ("GPE101", "1"), ("CPE101", "G"), ("CPP404", "C"), ("GPE304", "3")]
MONTHS = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
UNITS = ["หอผู้ป่วยอายุรกรรม", "หอผู้ป่วยศัลยกรรม", "ห้องยา", "งานผู้ป่วยนอก", "ห้องคลอด"]


def rows(n: int, open_share: float) -> list[list[object]]:
    rng = random.Random(19)
    out = []
    for i in range(n):
        code, sev = rng.choice(CODES)
        month = 1 + i % 12
        day = 1 + rng.randrange(28)
        done = rng.random() > open_share
        reported = f"{day} {MONTHS[month - 1]} 2568 {rng.randrange(24):02d}:{rng.randrange(60):02d}"
        out.append(hrms_row(f"68-{i:05d}", reported,
                            rng.choice(UNITS), code, sev, f"เหตุการณ์ทดสอบลำดับที่ {i} ผู้ป่วยได้รับผลกระทบ",
                            action="แก้ไขแล้ว" if done else "", prevention="ทบทวนแนวทาง" if done else ""))
    return out


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2500)
    parser.add_argument("--open-share", type=float, default=0.05)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    if args.database_url is None:
        async def migrate() -> None:
            engine = make_engine(url)
            await upgrade(engine)
            await engine.dispose()

        asyncio.run(migrate())
    file = write(tmp / "hrms.xlsx", HRMS_HEADER, rows(args.rows, args.open_share))
    mapping = str(Path(__file__).resolve().parents[1] / "config" / "hrms" / "hrms_cloud.toml")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    for label in ("first import", "second import"):
        started, cpu = time.perf_counter(), time.process_time()
        code = main(["import-incidents", str(file), "--mapping", mapping])
        print(f"{label}: exit {code}, {time.perf_counter() - started:.1f} s wall, "
              f"{time.process_time() - cpu:.1f} s CPU")


if __name__ == "__main__":
    main_bench()
