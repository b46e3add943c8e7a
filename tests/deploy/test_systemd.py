"""The systemd units in deploy/systemd, checked by systemd itself (`systemd-analyze verify`)."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

import pytest

from bot.cli import COMMANDS
from tests.deploy.conftest import DEPLOY, INSTALLED, ROOT, run, tool, unit_lines

pytestmark = pytest.mark.subprocess
UNITS = ["patient-voice@.service", "patient-voice-backup.service", "patient-voice-backup.timer"]


def test_units_verify_clean(tmp_path: Path) -> None:
    """`systemd-analyze verify` loads each unit (the template as both instances) with no error and no warning.
    The units name the clone at /opt/patient-voice; here it is this checkout, so the copies verified point at it
    (verify checks that ExecStart= exists and is executable). Nothing else is changed."""
    analyze = tool("systemd-analyze")
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text()
        assert INSTALLED in text or name.endswith(".timer")
        (tmp_path / name).write_text(text.replace(INSTALLED, str(ROOT)))
    for unit in ["patient-voice@web.service", "patient-voice@worker.service", "patient-voice-backup.service",
                 "patient-voice-backup.timer"]:
        done = run(analyze, "verify", tmp_path / unit)
        assert done.stderr.strip() == "", f"{unit}: {done.stderr}"


def test_verify_catches_a_bad_unit(tmp_path: Path) -> None:
    """The check above can fail: a misspelt key is reported, a missing program refused."""
    analyze = tool("systemd-analyze")
    text = (DEPLOY / "systemd" / "patient-voice@.service").read_text().replace(INSTALLED, str(ROOT))
    (tmp_path / "patient-voice@.service").write_text(text.replace("Restart=", "Restrat="))
    assert "Unknown key" in run(analyze, "verify", tmp_path / "patient-voice@web.service").stderr
    (tmp_path / "patient-voice@.service").write_text(text.replace(f"{ROOT}/.venv/bin/python", "/nowhere/python"))
    assert run(analyze, "verify", tmp_path / "patient-voice@web.service", check=False).returncode != 0


def test_instances_run_the_real_serve_command() -> None:
    """ExecStart= of each instance is a `python -m bot serve` command line the CLI accepts, with the role the
    instance is named after; the backup service runs deploy/backup.sh, which is there and executable."""
    settings = dict(unit_lines(DEPLOY / "systemd" / "patient-voice@.service"))
    argv = shlex.split(settings["ExecStart"])
    assert argv[:4] == [f"{INSTALLED}/.venv/bin/python", "-m", "bot", "serve"]
    for role in ("web", "worker"):
        parser = argparse.ArgumentParser()
        COMMANDS["serve"][1](parser)
        assert parser.parse_args([a.replace("%i", role) for a in argv[4:]]).role == role
        assert (DEPLOY / f"{role}.env").exists()
    backup = dict(unit_lines(DEPLOY / "systemd" / "patient-voice-backup.service"))["ExecStart"]
    script = ROOT / backup.removeprefix(f"{INSTALLED}/")
    assert script.exists() and script.stat().st_mode & 0o111
