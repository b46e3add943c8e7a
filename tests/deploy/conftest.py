"""Tests of deploy/ (docs/deploy.md): the files a hospital's server runs, checked by the tools that run them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fakes.fixtures import fake_line, fake_telegram  # noqa: F401  # fixtures for this package
from tests.support import IN_CI

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INSTALLED = "/opt/patient-voice"  # where docs/deploy.md puts the clone; the files name it


def tool(name: str) -> str:
    """The path of a system tool the test needs; missing, it skips — and fails under CI=true."""
    path = shutil.which(name) or next((p for p in (f"/usr/sbin/{name}", f"/sbin/{name}") if Path(p).exists()), None)
    if path is None:
        message = f"{name} not found: run scripts/system-deps.sh (Debian: nginx-light, logrotate, postgresql-client)"
        if IN_CI:
            pytest.fail(message + " (CI=true: the deploy tests must run)")
        pytest.skip(message)
    return path


def run(*args: str | Path, env: dict[str, str] | None = None, check: bool = True,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure the assertion shows its output."""
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env, timeout=timeout)
    if check:
        assert done.returncode == 0, f"{args[0]} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def unit_lines(path: Path) -> list[tuple[str, str]]:
    """(key, value) of a systemd unit file's settings, in order (comments and sections left out)."""
    out = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            out.append((key.strip(), value.strip()))
    return out
