"""`python -m bot kpi --json`, `export` and `import-survey` as the quality office runs them."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.reports_cli import build_export, build_import, build_kpi
from bot.settings import Settings
from store.db import make_engine, make_session_factory
from tests.reports.helpers import add_many, add_response

REPO = Path(__file__).resolve().parents[2]
MAPPING = str(REPO / "config" / "import" / "patient_voice_export.toml")


def run(build, url: str, *argv: str) -> int:  # type: ignore[no-untyped-def]
    """One command's own runner, in this process (no logging set-up, no interpreter start)."""
    parser = argparse.ArgumentParser()
    runner = build(parser)
    return int(runner(parser.parse_args(list(argv)), Settings(_env_file=None, database_url=url)))  # type: ignore[call-arg]


@pytest.mark.subprocess
def test_kpi_json_export_and_import_round_trip(sqlite_url: str, sqlite_template: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """kpi --json has the documented keys; an export imported elsewhere gives the same JSON; twice is refused."""
    async def seed() -> None:
        engine = make_engine(sqlite_url)
        async with make_session_factory(engine)() as s:
            await add_many(s, service="opd", day=date(2026, 10, 9), satisfied=13, not_satisfied=7)
            await add_response(s, service="ipd", day=date(2027, 1, 9), mean=3.51, items={"s1": ("staff", 4)})
            await s.commit()
        await engine.dispose()

    asyncio.run(seed())
    env = {**os.environ, "DATABASE_URL": sqlite_url, "PYTHONUTF8": "1", "LOG_LEVEL": "WARNING"}
    first = subprocess.run([sys.executable, "-m", "bot", "kpi", "--period", "FY2570", "--json"], capture_output=True,
                           text=True, timeout=120, cwd=REPO, env=env, check=False)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["period"] == "FY2570"
    assert report["opd"] == {"respondents": 20, "satisfied": 13, "satisfied_pct": 65.0, "level": 1,
                             "ci95": [43.29, 81.88]}
    assert report["ipd"]["respondents"] == 1 and report["ipd"]["level"] == 5

    assert run(build_kpi, sqlite_url, "--period", "2027-Q1", "--json") == 0
    quarter = json.loads(capsys.readouterr().out)
    assert quarter["opd"]["respondents"] == 0 and quarter["opd"]["level"] is None
    assert run(build_kpi, sqlite_url, "--period", "2027-Q2") == 0
    assert "ยังไม่มีข้อมูล" in capsys.readouterr().out
    assert run(build_kpi, sqlite_url, "--period", "Q1-2027") == 2

    out = tmp_path / "surveys.xlsx"
    assert run(build_export, sqlite_url, "surveys", "--out", str(out)) == 0
    assert "exported 21" in capsys.readouterr().out
    target = tmp_path / "other.db"
    shutil.copy(sqlite_template, target)
    other = f"sqlite+aiosqlite:///{target}"
    assert run(build_import, other, str(out), "--mapping", MAPPING) == 0
    assert "imported 21 responses, skipped 0" in capsys.readouterr().out
    assert run(build_kpi, other, "--period", "FY2570", "--json") == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["opd"], again["ipd"], again["trend"]) == (report["opd"], report["ipd"], report["trend"])
    assert run(build_import, other, str(out), "--mapping", MAPPING) == 1
    assert "imported before" in capsys.readouterr().err
