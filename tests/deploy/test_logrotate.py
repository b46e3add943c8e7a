"""deploy/logrotate/patient-voice, read and run by logrotate itself."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from tests.deploy.conftest import DEPLOY, run, tool

pytestmark = pytest.mark.subprocess
LOGS = "/var/log/patient-voice"


def test_config_parses(tmp_path: Path) -> None:
    """`logrotate -d` (debug: reads, changes nothing) accepts the file as installed."""
    done = run(tool("logrotate"), "-d", "-s", tmp_path / "state", DEPLOY / "logrotate" / "patient-voice")
    assert "error" not in done.stderr.lower(), done.stderr
    assert f"{LOGS}/*.log" in done.stderr


def test_rotation_keeps_an_appending_writer_writing(tmp_path: Path) -> None:
    """Rotated twice the way the daily cron runs it: the old lines are kept (the older file compressed), and the
    service's log — opened in append mode as systemd's `append:` does — goes on in the emptied file, from its
    start (no hole of zeros), without being reopened."""
    logs = tmp_path / "log"
    logs.mkdir()
    config = tmp_path / "patient-voice"
    text = (DEPLOY / "logrotate" / "patient-voice").read_text()
    assert text.count(LOGS) == 1
    config.write_text(text.replace(LOGS, str(logs)))
    log = logs / "web.log"
    writer = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        os.write(writer, b'{"msg": "day one"}\n' * 100)
        run(tool("logrotate"), "-f", "-s", tmp_path / "state", config)
        os.write(writer, b'{"msg": "day two"}\n')
        assert log.read_bytes() == b'{"msg": "day two"}\n'
        run(tool("logrotate"), "-f", "-s", tmp_path / "state", config)
        os.write(writer, b'{"msg": "day three"}\n')
    finally:
        os.close(writer)
    assert log.read_bytes() == b'{"msg": "day three"}\n'
    rotated = sorted(p.name for p in logs.iterdir() if p.name != "web.log")
    assert len(rotated) == 2 and sum(name.endswith(".gz") for name in rotated) == 1  # delaycompress
    older = next(p for p in logs.iterdir() if p.name.endswith(".gz"))
    assert gzip.decompress(older.read_bytes()) == b'{"msg": "day one"}\n' * 100
