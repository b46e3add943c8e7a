"""One settings class: every knob is an environment variable documented in `.env.example`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]

# Values that ship in .env.example; accepted only while ENVIRONMENT=development.
PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "placeholder", "xxx", "secret", "test"})


class Settings(BaseSettings):
    """Configuration of one service instance, read from the environment (and `.env`)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

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
    timezone: str = "Asia/Bangkok"

    line_channel_secret: SecretStr = SecretStr("")
    line_channel_access_token: SecretStr = SecretStr("")
    line_api_base_url: str = "https://api.line.me"
    line_data_api_base_url: str = "https://api-data.line.me"

    telegram_bot_token: SecretStr = SecretStr("")
    telegram_webhook_secret: SecretStr = SecretStr("")
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_api_file_url: str = "https://api.telegram.org/file/bot"
    telegram_bot_username: str = ""

    conversation_idle_minutes: int = Field(default=30, ge=1)
    retention_days: int = Field(default=3650, ge=30)
    worker_poll_seconds: float = Field(default=1.0, gt=0)
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
    def _refuse_placeholders_outside_development(self) -> Settings:
        if self.environment == "development":
            return self
        checks = {
            "LINE_CHANNEL_SECRET": (self.line_channel_secret, self.line_channel_access_token),
            "TELEGRAM_WEBHOOK_SECRET": (self.telegram_webhook_secret, self.telegram_bot_token),
        }
        for name, (secret, credential) in checks.items():
            # A channel that is off needs no secret; one that is on must not run on a placeholder.
            if credential.get_secret_value() and secret.get_secret_value().lower() in PLACEHOLDER_SECRETS:
                raise ValueError(f"{name} is a placeholder; set a real secret outside ENVIRONMENT=development")
        if self.dashboard_secret.get_secret_value().lower() in PLACEHOLDER_SECRETS:
            raise ValueError("DASHBOARD_SECRET is a placeholder; set a long random value outside development")
        return self

    def log_channel_status(self) -> None:
        """One log line per channel that is off, so an admin sees why nothing arrives."""
        if not self.line_enabled:
            log.info("LINE channel off: LINE_CHANNEL_SECRET / LINE_CHANNEL_ACCESS_TOKEN not set")
        if not self.telegram_enabled:
            log.info("Telegram channel off: TELEGRAM_BOT_TOKEN not set")
