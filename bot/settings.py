"""One settings class: every knob is an environment variable documented in `.env.example`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]

# Values people copy from examples. A secret of a channel that is on (and a set DASHBOARD_SECRET) must be none
# of these and at least MIN_SECRET_LENGTH characters, in every environment: a development instance reachable
# from the hospital network with `change-me` lets anyone who read .env.example act as any committee member.
PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "placeholder", "xxx", "secret", "test"})
MIN_SECRET_LENGTH = 32


def weak_secret(value: SecretStr) -> bool:
    text = value.get_secret_value()
    return text.strip().lower() in PLACEHOLDER_SECRETS or "change-me" in text.lower() or len(text) < MIN_SECRET_LENGTH


class Settings(BaseSettings):
    """Configuration of one service instance, read from the environment (and `.env`)."""

    # hide_input_in_errors: a validation error must never print the secrets it was given
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      hide_input_in_errors=True)

    environment: Literal["development", "production", "test"] = "development"
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "text"] = "auto"

    database_url: str = f"sqlite+aiosqlite:///{REPO_ROOT / 'data' / 'patient_voice.db'}"
    database_echo: bool = False

    host: str = "127.0.0.1"
    port: int = 8080
    public_base_url: str = "http://127.0.0.1:8080"
    max_body_bytes: int = 1_000_000

    config_dir: Path = REPO_ROOT / "config"
    media_dir: Path = REPO_ROOT / "data" / "media"
    # Largest photo or file kept from a chat; bigger ones are not stored and the sender is told (Telegram's
    # Bot API serves at most 20 MB anyway; LINE videos can be far larger).
    media_max_bytes: int = Field(default=20_000_000, ge=1)
    hospital_name: str = "โรงพยาบาลของเรา"
    # The bot's voice: ค่ะ by default, as most Thai hospital accounts speak; applied to every catalogue text.
    bot_particle: Literal["ค่ะ", "ครับ"] = "ค่ะ"
    # No TIMEZONE setting: hospital time is Asia/Bangkok throughout (store/periods.py BANGKOK); the old
    # setting was never read, and a TIMEZONE left in an .env is ignored like any unknown variable.

    line_channel_secret: SecretStr = SecretStr("")
    line_channel_access_token: SecretStr = SecretStr("")
    line_api_base_url: str = "https://api.line.me"
    line_data_api_base_url: str = "https://api-data.line.me"
    # the OA's basic ID (@123abcde): a case asked for in a group gets a button opening the 1:1 chat with it
    line_bot_basic_id: str = ""

    telegram_bot_token: SecretStr = SecretStr("")
    telegram_webhook_secret: SecretStr = SecretStr("")
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_api_file_url: str = "https://api.telegram.org/file/bot"
    telegram_bot_username: str = ""

    conversation_idle_minutes: int = Field(default=30, ge=1)
    # An unsent complaint or compliment left idle is kept this long for the patient to send or drop (they are
    # told the date); then the nightly purge deletes it. At most 30: unlinked photos go after 30 days.
    draft_keep_days: int = Field(default=7, ge=1, le=30)
    retention_days: int = Field(default=3650, ge=30)
    worker_poll_seconds: float = Field(default=1.0, gt=0)
    # `serve` runs on uvloop's event loop when it is installed (bot/cli.py `serving_loop`); false: asyncio's own
    use_uvloop: bool = True
    inbox_concurrency: int = Field(default=4, ge=1, le=12)  # + the sender's 8 ≤ the pool's 10 + 10 overflow
    # Per sender (a token bucket on the events' arrival times): a burst of SENDER_BURST messages and button
    # presses, then SENDER_PER_MINUTE; beyond it events are acknowledged but not handled, and the sender is
    # asked once to slow down. A whole survey is about 30 taps, so the burst never stops a real one.
    sender_burst: int = Field(default=40, ge=1)
    sender_per_minute: float = Field(default=60.0, gt=0)
    outbox_max_attempts: int = Field(default=12, ge=1)
    dashboard_secret: SecretStr = SecretStr("")

    @property
    def line_enabled(self) -> bool:
        return bool(self.line_channel_secret.get_secret_value() and self.line_channel_access_token.get_secret_value())

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_bot_token.get_secret_value())

    @property
    def is_sqlite(self) -> bool:  # not cached: model_copy(update={"database_url": …}) would carry a stale value
        return self.database_url.startswith("sqlite")

    @property
    def media_max_mb(self) -> int:
        """MEDIA_MAX_BYTES as the whole megabytes people are told (at least 1)."""
        return max(1, self.media_max_bytes // 1_000_000)

    @model_validator(mode="after")
    def _refuse_weak_secrets(self) -> Settings:
        """Errors name the variable, never its value."""
        need = f"at least {MIN_SECRET_LENGTH} random characters, not a placeholder"
        if self.line_enabled and weak_secret(self.line_channel_secret):
            raise ValueError(f"LINE_CHANNEL_SECRET must be the channel's secret ({need}) while LINE is on")
        webhook_secret = self.telegram_webhook_secret
        # Polling (--telegram-polling) needs no webhook secret; a set one must be strong.
        if self.telegram_enabled and webhook_secret.get_secret_value() and weak_secret(webhook_secret):
            raise ValueError(f"TELEGRAM_WEBHOOK_SECRET must be {need} while Telegram is on")
        dashboard = self.dashboard_secret
        if dashboard.get_secret_value() and weak_secret(dashboard):
            raise ValueError(f"DASHBOARD_SECRET must be {need}")
        if not dashboard.get_secret_value() and self.environment != "development":
            raise ValueError(f"DASHBOARD_SECRET must be set ({need}) outside ENVIRONMENT=development")
        return self

    def __repr_args__(self) -> Any:
        """repr and str show the database URL without its password (secrets are SecretStr already)."""
        for name, value in super().__repr_args__():
            yield name, (safe_url(value) if name == "database_url" else value)

    def log_channel_status(self) -> None:
        """One log line per channel that is off, so an admin sees why nothing arrives."""
        if not self.line_enabled:
            log.info("LINE channel off: LINE_CHANNEL_SECRET / LINE_CHANNEL_ACCESS_TOKEN not set")
        if not self.telegram_enabled:
            log.info("Telegram channel off: TELEGRAM_BOT_TOKEN not set")


def safe_url(url: str) -> str:
    """A database URL fit for logs and reprs: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable database URL>"


def settings_of(services: Any) -> Settings:
    """The full settings of a `handlers.services.Services` the app built: handlers see only the part they
    read (`HandlerSettings`), the transport code around them reads the rest."""
    settings = services.settings
    assert isinstance(settings, Settings), type(settings)
    return settings
