"""Settings validation and the log redaction that keeps personal data out of logs."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.logs import redact, setup_logging
from bot.settings import Settings


def test_channels_are_off_without_credentials(caplog: pytest.LogCaptureFixture) -> None:
    """With no credentials both channels are off and each says so in one log line."""
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert not settings.line_enabled and not settings.telegram_enabled
    with caplog.at_level(logging.INFO):
        settings.log_channel_status()
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["LINE channel off", "Telegram channel off"]


def test_placeholder_secret_refused_outside_development() -> None:
    """Production with LINE on and a placeholder channel secret fails at start."""
    with pytest.raises(ValidationError, match="LINE_CHANNEL_SECRET must be"):
        Settings(_env_file=None, environment="production", line_channel_secret="change-me",  # type: ignore[call-arg]
                 line_channel_access_token="tok", dashboard_secret="a-long-random-dashboard-secret-0123456789")


STRONG = "q3Vt9-Zk1_mR8pLx4sWc7yBn2Hd6Gf0Je5Aa"  # 36 characters


@pytest.mark.parametrize("environment", ["development", "test", "production"])
@pytest.mark.parametrize(("values", "name"), [
    ({"telegram_bot_token": "1:tok", "telegram_webhook_secret": "change-me"}, "TELEGRAM_WEBHOOK_SECRET"),
    ({"telegram_bot_token": "1:tok", "telegram_webhook_secret": "short-but-not-a-placeholder"},
     "TELEGRAM_WEBHOOK_SECRET"),
    ({"line_channel_access_token": "tok", "line_channel_secret": "change-me"}, "LINE_CHANNEL_SECRET"),
    ({"line_channel_access_token": "tok", "line_channel_secret": "0123456789abcdef"}, "LINE_CHANNEL_SECRET"),
    ({"dashboard_secret": "change-me"}, "DASHBOARD_SECRET"),
    ({"dashboard_secret": "CHANGE-ME-change-me-CHANGE-ME-change-me"}, "DASHBOARD_SECRET"),
])
def test_weak_secrets_refused_in_every_environment(environment: str, values: dict[str, str], name: str) -> None:
    """A placeholder or shorter-than-32 secret of a channel that is on is refused, development included."""
    with pytest.raises(ValidationError, match=name):
        Settings(_env_file=None, environment=environment, **{"dashboard_secret": STRONG, **values})  # type: ignore[call-arg]


def test_env_example_ships_blank_secrets() -> None:
    """.env.example leaves every secret blank, so a copied file cannot run a channel on a known secret."""
    from bot.settings import REPO_ROOT

    lines = dict(line.split("=", 1) for line in (REPO_ROOT / ".env.example").read_text().splitlines()
                 if "=" in line and not line.startswith("#"))
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET",
                 "DASHBOARD_SECRET"):
        assert lines[name] == "", name


def test_configuration_errors_and_repr_hide_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A refused DASHBOARD_SECRET is not printed, and repr(Settings) hides the database password."""
    from bot.cli import main

    leaked = "hunter2-dashboard-secret-value"
    monkeypatch.setenv("DASHBOARD_SECRET", leaked)
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    assert main(["staff", "list"]) == 2
    err = capsys.readouterr().err
    assert "DASHBOARD_SECRET must be" in err
    assert leaked[:6] not in err and "hunter" not in err
    settings = Settings(_env_file=None, database_url="postgresql+asyncpg://pv:s3cr3t-pw@db:5432/pv",  # type: ignore[call-arg]
                        dashboard_secret=STRONG, telegram_bot_token="1:tok", telegram_webhook_secret=STRONG)
    for text in (repr(settings), str(settings)):
        assert "s3cr3t-pw" not in text and STRONG not in text and "1:tok" not in text
        assert "postgresql+asyncpg://pv:***@db:5432/pv" in text


def test_set_webhook_refuses_the_example_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """`telegram set-webhook` with TELEGRAM_WEBHOOK_SECRET=change-me stops before calling Telegram."""
    from bot.cli import main

    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:not-a-real-token")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "change-me")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9/bot")  # nothing listens: a call would fail
    monkeypatch.chdir(tmp_path)
    assert main(["telegram", "set-webhook", "https://pv.example/webhook/telegram"]) == 2
    assert "TELEGRAM_WEBHOOK_SECRET must be" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("raw", "hidden"),
    [
        ("บัตร 1-1037-00123-45-6 ครับ", "1-1037-00123-45-6"),
        ("บัตร 1103700123456", "1103700123456"),
        ("โทร 081-234-5678 นะคะ", "081-234-5678"),
        ("โทร 0812345678", "0812345678"),
        ("call +66 81 234 5678", "+66 81 234 5678"),
    ],
)
def test_ids_and_phones_are_redacted(raw: str, hidden: str) -> None:
    """Thai national ID and phone patterns never reach a log line."""
    assert hidden not in redact(raw)


def test_json_log_line_hides_text_and_numbers() -> None:
    """A JSON log line keeps ids for tracing but not the message text or a phone number."""
    stream = io.StringIO()
    setup_logging("INFO", "json", stream)
    logging.getLogger("t").info("from 0812345678", extra={"text": "ปวดท้องมาก", "chat": "U1"})
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert "0812345678" not in line["msg"] and line["chat"] == "U1"
    assert "ปวดท้องมาก" not in stream.getvalue()


def test_env_example_documents_every_setting() -> None:
    """Every setting appears in .env.example with a comment line right above it, and nothing else does."""
    from pathlib import Path

    lines = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8").splitlines()
    documented = {}
    for i, line in enumerate(lines):
        if line and not line.startswith("#"):
            documented[line.split("=", 1)[0]] = lines[i - 1].startswith("# ")
    assert set(documented) == {name.upper() for name in Settings.model_fields}
    assert all(documented.values()), [k for k, ok in documented.items() if not ok]
