"""The aiohttp app: health, metrics, start-up validation."""

from __future__ import annotations

import pytest

from bot.app import create_app
from bot.settings import Settings
from handlers.hospital import HospitalConfigError


async def test_healthz_answers_when_database_does(aiohttp_client, settings: Settings) -> None:
    """/healthz is 200 with a reachable database."""
    client = await aiohttp_client(create_app(settings))
    resp = await client.get("/healthz")
    assert resp.status == 200
    assert (await resp.json())["status"] == "ok"


async def test_database_ping_fails_cleanly_when_down() -> None:
    """The health check's ping answers False (so /healthz says 503, not 500) when nothing listens."""
    from store.db import make_engine, ping

    engine = make_engine("postgresql+asyncpg://nobody@127.0.0.1:9/none")
    assert await ping(engine) is False
    await engine.dispose()


async def test_metrics_are_prometheus_text(aiohttp_client, settings: Settings) -> None:
    """/metrics serves Prometheus text with the backlog gauges."""
    client = await aiohttp_client(create_app(settings))
    resp = await client.get("/metrics")
    assert resp.status == 200
    assert resp.content_type == "text/plain"
    body = await resp.text()
    assert 'pv_backlog{queue="outbox"} 0.0' in body
    assert "pv_database_up 1.0" in body


def test_broken_message_file_stops_start(settings: Settings, tmp_path) -> None:
    """A hospital message file with a wrong placeholder stops start-up with a clear error naming the file
    and the key."""
    (tmp_path / "messages.th.toml").write_text('[common]\nunknown_command = "ไม่รู้จัก {cmd}"\n', encoding="utf-8")
    with pytest.raises(HospitalConfigError, match="placeholders") as caught:
        create_app(settings.model_copy(update={"config_dir": tmp_path}))
    assert caught.value.file == tmp_path / "messages.th.toml" and caught.value.key == "common.unknown_command"


def test_broken_survey_file_stops_start(settings: Settings, tmp_path) -> None:
    """A survey file with a score item outside the three dimensions stops start-up, not the first survey."""
    (tmp_path / "survey.toml").write_text("this is = = not toml", encoding="utf-8")
    with pytest.raises(HospitalConfigError, match="not valid TOML") as caught:
        create_app(settings.model_copy(update={"config_dir": tmp_path}))
    assert caught.value.file == tmp_path / "survey.toml"
