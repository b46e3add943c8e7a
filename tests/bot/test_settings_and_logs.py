"""Settings validation and the log redaction that keeps personal data out of logs."""

from __future__ import annotations

import io
import json
import logging

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
    with pytest.raises(ValidationError, match="LINE_CHANNEL_SECRET is a placeholder"):
        Settings(_env_file=None, environment="production", line_channel_secret="change-me",  # type: ignore[call-arg]
                 line_channel_access_token="tok", dashboard_secret="a-long-random-dashboard-secret")


def test_placeholder_accepted_in_development() -> None:
    """Development accepts the .env.example placeholders so a newcomer can start."""
    s = Settings(_env_file=None, line_channel_secret="change-me", line_channel_access_token="x")  # type: ignore[call-arg]
    assert s.line_enabled


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
