"""The command line as a newcomer uses it: help, database, terminal chat, serve."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, db: Path, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{db}", "PYTHONUTF8": "1"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, timeout=timeout,
        cwd=REPO, env=env, check=False,
    )


@pytest.mark.subprocess
def test_help_lists_the_commands(tmp_path: Path) -> None:
    """`python -m bot --help` names every top-level command."""
    out = run_cli("--help", db=tmp_path / "x.db").stdout
    for name in ("serve", "chat", "db"):
        assert name in out


@pytest.mark.subprocess
def test_db_upgrade_and_check(tmp_path: Path) -> None:
    """`db upgrade` creates the schema on an empty file; `db check` finds no drift."""
    db = tmp_path / "cli.db"
    up = run_cli("db", "upgrade", db=db)
    assert up.returncode == 0, up.stderr
    assert "0001" in up.stdout or "revision" in up.stdout
    check = run_cli("db", "check", db=db)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.subprocess
def test_terminal_chat_greets_in_thai_with_the_menu(tmp_path: Path) -> None:
    """`chat --as patient` says สวัสดีค่ะ and shows the four menu choices as numbers."""
    result = run_cli("chat", "--as", "patient", db=tmp_path / "chat.db", stdin="สวัสดี\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "สวัสดีค่ะ" in result.stdout
    for label in ("[1] ประเมินความพึงพอใจ", "[2] ร้องเรียน/เสนอแนะ", "[3] ชมเชย", "[4] ติดตามเรื่อง"):
        assert label in result.stdout


@pytest.mark.subprocess
def test_terminal_chat_cancel_word_works(tmp_path: Path) -> None:
    """Typing ยกเลิก answers with the cancel message and the menu again."""
    result = run_cli("chat", db=tmp_path / "chat.db", stdin="ยกเลิก\n")
    assert "ยกเลิกเรียบร้อยแล้วค่ะ" in result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.subprocess
def test_serve_starts_on_sqlite_and_answers_health_and_metrics(tmp_path: Path) -> None:
    """`serve` upgrades a fresh SQLite database and answers /healthz and /metrics with 200."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}", "PYTHONUTF8": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    status = resp.status
                    break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"serve exited: {proc.stdout.read() if proc.stdout else ''}")
                time.sleep(0.2)
        assert status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
            assert resp.status == 200
            assert b"pv_backlog" in resp.read()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "LINE channel off" in out and "Telegram channel off" in out
    assert "event loop: uvloop" in out  # uvloop is a dependency (not on Windows): the service runs on it


def test_bad_hospital_file_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """`serve` with a broken units.toml in CONFIG_DIR exits 2 naming the file, instead of a traceback."""
    from bot.cli import main

    (tmp_path / "units.toml").write_text('[[unit]]\ncode = "OPD!"\nname_th = "ผู้ป่วยนอก"\n', encoding="utf-8")
    monkeypatch.setenv("CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("configuration error:") and "units.toml" in err and "Traceback" not in err


@pytest.mark.parametrize("use", ["true", "false"])
def test_serve_runs_on_uvloop_unless_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use: str) -> None:
    """`serve` (every role) hands aiohttp a uvloop event loop when USE_UVLOOP is on and asyncio's own when it is
    off, and sets no event loop policy: the process's other loops (asyncio.run, the tests') stay asyncio's."""
    import asyncio

    import uvloop
    from aiohttp import web

    from bot.cli import main

    given: list[asyncio.AbstractEventLoop] = []

    def run_app(app: web.Application, **kwargs: object) -> None:
        loop = kwargs["loop"]
        assert isinstance(loop, asyncio.AbstractEventLoop)
        given.append(loop)
        loop.close()

    monkeypatch.setattr(web, "run_app", run_app)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("USE_UVLOOP", use)
    policy = asyncio.get_event_loop_policy()
    for role in ("all", "web", "worker"):
        assert main(["serve", "--role", role, "--port", "1"]) == 0
    assert [isinstance(loop, uvloop.Loop) for loop in given] == [use == "true"] * 3
    assert asyncio.get_event_loop_policy() is policy
    other = asyncio.new_event_loop()
    try:
        assert not isinstance(other, uvloop.Loop)
    finally:
        other.close()


def test_serve_falls_back_to_asyncio_without_uvloop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where uvloop is not installed (Windows has no build), `serve` runs on asyncio's loop with USE_UVLOOP on."""
    import asyncio

    from bot.cli import serving_loop
    from bot.settings import Settings

    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop → ImportError
    loop = serving_loop(Settings(use_uvloop=True))
    try:
        assert isinstance(loop, asyncio.BaseEventLoop)  # asyncio's; uvloop.Loop is not one
    finally:
        loop.close()


def test_serve_freezes_what_its_start_made_so_full_collections_skip_it(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve`'s app, once started (database upgraded, channels and pools up), has moved what its start left into the
    collector's permanent generation: a full collection no longer walks the engine, the settings or the hospital
    files (in a web process ≈ 320,000 objects, a 150 ms stall of the event loop in the first wave of webhooks).
    Objects made afterwards are still collected: a cycle made after the start is freed by `gc.collect()`."""
    import asyncio
    import gc
    import weakref

    from aiohttp import web

    from bot.cli import main
    from bot.keys import ENGINE, SETTINGS

    apps: list[web.Application] = []

    def run_app(app: web.Application, **kwargs: object) -> None:
        loop = kwargs["loop"]
        assert isinstance(loop, asyncio.AbstractEventLoop)
        loop.close()
        apps.append(app)

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    monkeypatch.setattr(web, "run_app", run_app)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    assert main(["serve", "--role", "web", "--port", "1"]) == 0
    app = apps[0]

    async def start_then_check() -> None:
        runner = web.AppRunner(app)
        await runner.setup()  # every on_startup and cleanup_ctx start, as run_app would
        try:
            started = (app[ENGINE], app[SETTINGS])
            assert gc.get_freeze_count() > 1000
            assert not any(o is started[0] or o is started[1] for o in gc.get_objects())  # not walked any more
            later = Cycle()
            gone = weakref.ref(later)
            del later
            gc.collect()
            assert gone() is None  # what requests make is collected as before
        finally:
            await runner.cleanup()

    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        asyncio.run(start_then_check())
    finally:
        gc.unfreeze()  # the rest of this test process collects as usual


def test_serve_listens_with_reuse_port_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve --reuse-port` hands aiohttp `reuse_port=True` (several `--role web` processes on one port); without
    it aiohttp's default (None: no SO_REUSEPORT, a second process on the port fails to start)."""
    import asyncio

    from aiohttp import web

    from bot.cli import main

    given: list[object] = []

    def run_app(app: web.Application, **kwargs: object) -> None:
        loop = kwargs["loop"]
        assert isinstance(loop, asyncio.AbstractEventLoop)
        loop.close()
        given.append(kwargs["reuse_port"])

    monkeypatch.setattr(web, "run_app", run_app)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    assert main(["serve", "--role", "web", "--port", "1", "--reuse-port"]) == 0
    assert main(["serve", "--role", "web", "--port", "1"]) == 0
    assert given == [True, None]
    # processes with workers never share a port: each would run the queues and reminders
    for role in ("all", "worker"):
        assert main(["serve", "--role", role, "--port", "1", "--reuse-port"]) == 2
    assert given == [True, None]
