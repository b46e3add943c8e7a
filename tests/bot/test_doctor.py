"""`python -m bot doctor` against a good configuration (the app and the fake LINE and Telegram running) and
broken ones: one line per check, exit 1 on any failure."""

from __future__ import annotations

import argparse
import asyncio
import socket
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.cli import main
from bot.doctor import build, run_checks
from bot.settings import Settings
from tests.fakes.harness import running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram

CHECKS = ["settings", "secrets", "database", "thai font", "media", "line", "telegram", "public url"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _doctor(settings: Settings, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """The command as `python -m bot doctor` runs it (its own event loop, in a thread so the fakes keep serving)."""
    run = build(argparse.ArgumentParser())
    code = await asyncio.to_thread(run, argparse.Namespace(), settings)
    return code, capsys.readouterr().out.splitlines()


async def test_good_configuration_passes_every_check(
    settings: Settings, fake_line: FakeLine, fake_telegram: FakeTelegram, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the service up, both channels' credentials accepted and the database at head: eight ok lines, exit 0;
    the credentials were checked with real getBotInfo and getMe calls."""
    async with running_service(settings, workers=False, line=fake_line, telegram=fake_telegram) as service:
        code, lines = await _doctor(service.settings, capsys)
    assert code == 0, lines
    assert [line.split(":")[0].split(maxsplit=1) for line in lines] == [["ok", name] for name in CHECKS]
    assert "bot โรงพยาบาลทดสอบ (@123hosp)" in lines[5] and "bot @HospitalBot" in lines[6]
    assert "Sarabun" in lines[3] and "(head)" in lines[2]
    assert any(r.path == "/v2/bot/info" for r in fake_line.requests)
    assert any(r.path.endswith("/getMe") for r in fake_telegram.requests)


async def test_broken_configuration_names_each_failure(
    settings: Settings, fake_line: FakeLine, fake_telegram: FakeTelegram, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Refused LINE token, a Telegram token of another bot, an unmigrated database, MEDIA_DIR that is a file, a
    malformed webhook secret and a public URL nobody answers: each is its own FAIL line, and the exit is 1."""
    empty_db = tmp_path / "empty.db"
    empty_db.touch()
    media = tmp_path / "media-file"
    media.write_text("not a directory")
    broken = settings.model_copy(update={
        "database_url": f"sqlite+aiosqlite:///{empty_db}",
        "media_dir": media,
        "line_channel_secret": SecretStr("line-secret"),
        "line_channel_access_token": SecretStr("revoked-token"),
        "line_api_base_url": fake_line.url,
        "telegram_bot_token": SecretStr(fake_telegram.token),
        "telegram_webhook_secret": SecretStr("has spaces in it"),
        "telegram_api_base_url": f"{fake_telegram.url}/bot",
        "telegram_bot_username": "OtherHospitalBot",
        "public_base_url": f"http://127.0.0.1:{_closed_port()}",
    })
    code, lines = await _doctor(broken, capsys)
    assert code == 1
    status = {line.split(":")[0].split(maxsplit=1)[1]: line for line in lines}
    assert list(status) == CHECKS
    assert status["settings"].startswith("ok") and status["thai font"].startswith("ok")
    for name in ("secrets", "database", "media", "line", "telegram", "public url"):
        assert status[name].startswith("FAIL"), status[name]
    assert "TELEGRAM_WEBHOOK_SECRET" in status["secrets"]
    assert "(empty)" in status["database"] and "db upgrade" in status["database"]
    assert "not a directory" in status["media"]
    assert "HTTP 401" in status["line"]
    assert "OtherHospitalBot" in status["telegram"] and "@HospitalBot" in status["telegram"]
    assert "unreachable" in status["public url"]


async def test_channels_off_are_reported_off_not_failed(settings: Settings) -> None:
    """With LINE and Telegram unset the channel lines say off; only the missing service fails the run."""
    results = {r.name: r for r in await run_checks(settings.model_copy(
        update={"public_base_url": f"http://127.0.0.1:{_closed_port()}"}))}
    assert results["line"].status == "off" and results["telegram"].status == "off"
    assert [n for n, r in results.items() if r.status == "FAIL"] == ["public url"]


async def test_half_set_line_credentials_and_missing_database_fail(settings: Settings, tmp_path: Path) -> None:
    """A LINE secret without its token (LINE silently off) fails the secrets check; a SQLite file that does not
    exist is reported, not created; an unreachable PostgreSQL is reported as unreachable."""
    missing = tmp_path / "nowhere.db"
    half = settings.model_copy(update={"line_channel_secret": SecretStr("only-the-secret"),
                                       "database_url": f"sqlite+aiosqlite:///{missing}"})
    results = {r.name: r for r in await run_checks(half)}
    assert results["secrets"].status == "FAIL" and "LINE_CHANNEL_ACCESS_TOKEN" in results["secrets"].detail
    assert results["database"].status == "FAIL" and "no database file" in results["database"].detail
    assert not missing.exists()
    pg = settings.model_copy(update={"database_url": f"postgresql+asyncpg://pv@127.0.0.1:{_closed_port()}/pv"})
    results = {r.name: r for r in await run_checks(pg)}
    assert results["database"].status == "FAIL" and "unreachable" in results["database"].detail


async def test_production_needs_https_public_url(settings: Settings) -> None:
    """ENVIRONMENT=production with an http PUBLIC_BASE_URL fails before any request is made."""
    prod = Settings(_env_file=None, environment="production", database_url=settings.database_url,  # type: ignore[call-arg]
                    media_dir=settings.media_dir,
                    dashboard_secret=SecretStr("a-long-random-dashboard-secret-of-48-characters"),
                    public_base_url="http://pv.hospital.example")
    results = {r.name: r for r in await run_checks(prod)}
    assert results["public url"].status == "FAIL" and "https" in results["public url"].detail
    assert results["secrets"].status == "ok"


def test_bad_hospital_file_fails_settings_and_the_command_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m bot doctor` with a broken units.toml in CONFIG_DIR: the settings line names the file; exit 1."""
    (tmp_path / "units.toml").write_text('[[unit]]\ncode = "OPD!"\nname_th = "ผู้ป่วยนอก"\n', encoding="utf-8")
    monkeypatch.setenv("CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'none.db'}")
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("PUBLIC_BASE_URL", f"http://127.0.0.1:{_closed_port()}")
    assert main(["doctor"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(CHECKS)
    assert lines[0].startswith("FAIL settings:") and "units.toml" in lines[0]
