"""`python -m bot chat`: the survey answered by typing button numbers (a real subprocess)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.subprocess


def test_terminal_survey_by_numbers(tmp_path: Path) -> None:
    """Consent [1], survey [1], OPD [1], pharmacy [4], today [1], sixteen 4s, skip [1]: one response saved."""
    db = tmp_path / "chat.db"
    lines = ["1", "1", "1", "4", "1", *["4"] * 16, "1", "/quit"]
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{db}", "PYTHONUTF8": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--as", "patient"], input="\n".join(lines) + "\n",
        capture_output=True, text=True, timeout=120, cwd=REPO, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1] ยินยอม" in out and "[4] ห้องยา" in out and "[5] 5 มากที่สุด" in out
    assert "ข้อ 16/17" in out and "บันทึกผลการประเมินเรียบร้อยแล้ว" in out
    with sqlite3.connect(db) as conn:
        query = "SELECT service_type, department_code, mean_score, channel FROM survey_responses"
        rows = conn.execute(query).fetchall()
    assert rows == [("opd", "pharmacy", 4.0, "terminal")]
