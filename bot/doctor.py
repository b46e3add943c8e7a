"""`python -m bot doctor`: is this instance ready to serve? One line per check, exit 1 when any check fails.

Checks the settings and hospital data files, the secrets, the database (reachable, schema at head), the
charts' Thai font, MEDIA_DIR, the LINE and Telegram credentials (a real getBotInfo / getMe call through
the SDKs the service uses) and PUBLIC_BASE_URL (its /healthz). A channel that is switched off is reported
as off, not as a failure. Nothing is changed: no migration, no directory created, no message sent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from bot.settings import PLACEHOLDER_SECRETS, Settings

Status = Literal["ok", "off", "FAIL"]
TELEGRAM_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what the Bot API accepts as secret_token
TIMEOUT = 10.0


@dataclass(frozen=True)
class Result:
    name: str
    status: Status
    detail: str

    def line(self) -> str:
        return f"{self.status:<4} {self.name}: {self.detail}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def check_settings(settings: Settings) -> Result:
    """The hospital's data files load and validate exactly as `serve` loads them at start."""
    from handlers.hospital import HospitalConfigError, hospital_for

    try:
        hospital_for(settings)
    except HospitalConfigError as exc:
        return Result("settings", "FAIL", str(exc))
    return Result("settings", "ok", f"ENVIRONMENT={settings.environment}, hospital files in {settings.config_dir}")


def check_secrets(settings: Settings) -> Result:
    """Half-set channel credentials (the channel silently stays off) and malformed or placeholder secrets."""
    problems = []
    line_secret = settings.line_channel_secret.get_secret_value()
    line_token = settings.line_channel_access_token.get_secret_value()
    if bool(line_secret) != bool(line_token):
        have, missing = ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN")[:: 1 if line_secret else -1]
        problems.append(f"{have} is set but {missing} is not, so LINE stays off")
    tg_secret = settings.telegram_webhook_secret.get_secret_value()
    if tg_secret and not settings.telegram_enabled:
        problems.append("TELEGRAM_WEBHOOK_SECRET is set but TELEGRAM_BOT_TOKEN is not, so Telegram stays off")
    if tg_secret and not TELEGRAM_SECRET.match(tg_secret):
        problems.append("TELEGRAM_WEBHOOK_SECRET may hold only letters, digits, _ and - (at most 256)")
    if problems:
        return Result("secrets", "FAIL", "; ".join(problems))
    if settings.environment == "development" and (
        settings.dashboard_secret.get_secret_value().lower() in PLACEHOLDER_SECRETS
    ):
        return Result("secrets", "ok", "development: placeholder secrets accepted (production refuses them)")
    return Result("secrets", "ok", "set")


async def check_database(settings: Settings) -> Result:
    """Reachable, and its schema at the migrations' head (without creating or upgrading anything)."""
    from alembic.script import ScriptDirectory

    from store.db import alembic_config, current_revision, make_engine, sqlite_file

    path = sqlite_file(settings.database_url)
    if path is not None and path != ":memory:" and not await asyncio.to_thread(os.path.exists, path):
        return Result("database", "FAIL", f"no database file at {path}: run `python -m bot db upgrade`")
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    engine = make_engine(settings.database_url)
    try:
        revision = await asyncio.wait_for(current_revision(engine), TIMEOUT)
    except Exception as exc:
        return Result("database", "FAIL", f"unreachable: {_first_line(exc)}")
    finally:
        await engine.dispose()
    where = "SQLite" if settings.is_sqlite else "PostgreSQL"
    if revision != head:
        return Result("database", "FAIL", f"{where} schema at {revision or '(empty)'}, code expects {head}: "
                                          "run `python -m bot db upgrade`")
    return Result("database", "ok", f"{where} reachable, schema at {head} (head)")


def check_font() -> Result:
    """The shipped Thai font loads and a chart with Thai text is drawn."""
    from bot.charts import ThaiFontMissing, render_trend_png, thai_font

    try:
        font = thai_font()
        render_trend_png(title="ทดสอบ", months=["ต.ค."], series={"opd": [80.0]}, thresholds=(65, 70, 75, 80, 85))
    except ThaiFontMissing as exc:
        return Result("thai font", "FAIL", str(exc))
    return Result("thai font", "ok", f"{font.family} ({font.path}), test chart drawn")


def check_media(settings: Settings) -> Result:
    """MEDIA_DIR is a writable directory, or can be created (the service creates it on first use)."""
    media = settings.media_dir
    if media.exists() and not media.is_dir():
        return Result("media", "FAIL", f"MEDIA_DIR {media} is not a directory")
    if media.exists():
        try:
            with tempfile.NamedTemporaryFile(dir=media, prefix=".doctor-"):
                pass
        except OSError as exc:
            return Result("media", "FAIL", f"MEDIA_DIR {media} is not writable: {_first_line(exc)}")
        return Result("media", "ok", f"{media} writable")
    parent = next(p for p in media.parents if p.exists())
    if not os.access(parent, os.W_OK | os.X_OK):
        return Result("media", "FAIL", f"MEDIA_DIR {media} does not exist and {parent} is not writable")
    return Result("media", "ok", f"{media} will be created under {parent}")


async def check_line(settings: Settings) -> Result:
    """getBotInfo with the channel access token, through the LINE SDK."""
    if not settings.line_enabled:
        return Result("line", "off", "LINE_CHANNEL_SECRET / LINE_CHANNEL_ACCESS_TOKEN not set")
    from linebot.v3.messaging import ApiException

    from bot.line.client import LineClient

    try:
        async with LineClient(settings, timeout=TIMEOUT) as client:
            info = await client.api.get_bot_info(_request_timeout=client.timeout)
    except ApiException as exc:
        return Result("line", "FAIL", f"getBotInfo refused: HTTP {exc.status} {exc.reason} "
                                      "(check LINE_CHANNEL_ACCESS_TOKEN)")
    except Exception as exc:
        return Result("line", "FAIL", f"getBotInfo failed: {_first_line(exc)}")
    return Result("line", "ok", f"bot {info.display_name} ({info.basic_id})")


async def check_telegram(settings: Settings) -> Result:
    """getMe with the bot token, through python-telegram-bot; the username must match TELEGRAM_BOT_USERNAME."""
    if not settings.telegram_enabled:
        return Result("telegram", "off", "TELEGRAM_BOT_TOKEN not set")
    from telegram.error import InvalidToken, TelegramError

    from bot.telegram.channel import build_bot

    bot = build_bot(settings, timeout=TIMEOUT)
    try:
        me = await bot.get_me()
    except InvalidToken:
        return Result("telegram", "FAIL", "getMe refused the token (check TELEGRAM_BOT_TOKEN)")
    except TelegramError as exc:
        return Result("telegram", "FAIL", f"getMe failed: {_first_line(exc)}")
    finally:
        await bot.shutdown()
    expected = settings.telegram_bot_username.lstrip("@")
    if expected and expected.lower() != (me.username or "").lower():
        return Result("telegram", "FAIL", f"TELEGRAM_BOT_USERNAME is {expected} but the token is @{me.username}'s")
    return Result("telegram", "ok", f"bot @{me.username}")


async def check_public_url(settings: Settings) -> Result:
    """PUBLIC_BASE_URL is https in production and answers /healthz (the service must be running)."""
    import aiohttp

    url = settings.public_base_url.rstrip("/")
    scheme = urlsplit(url).scheme
    if scheme not in ("http", "https"):
        return Result("public url", "FAIL", f"PUBLIC_BASE_URL {url} is not an http(s) address")
    if settings.environment == "production" and scheme != "https":
        return Result("public url", "FAIL", f"PUBLIC_BASE_URL {url} must be https: LINE and Telegram need HTTPS")
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT)) as http:
            async with http.get(f"{url}/healthz") as resp:
                status = resp.status
    except Exception as exc:
        return Result("public url", "FAIL", f"{url}/healthz unreachable ({_first_line(exc)}): is the service "
                                            "running and the proxy forwarding to it?")
    if status != 200:
        return Result("public url", "FAIL", f"{url}/healthz answered HTTP {status}")
    return Result("public url", "ok", f"{url}/healthz answers 200")


async def run_checks(settings: Settings) -> list[Result]:
    """Every check, in order; a check that crashes is reported as failed, never hides the others."""
    steps: list[tuple[str, Callable[[], Awaitable[Result] | Result]]] = [
        ("settings", lambda: check_settings(settings)),
        ("secrets", lambda: check_secrets(settings)),
        ("database", lambda: check_database(settings)),
        ("thai font", lambda: asyncio.to_thread(check_font)),
        ("media", lambda: check_media(settings)),
        ("line", lambda: check_line(settings)),
        ("telegram", lambda: check_telegram(settings)),
        ("public url", lambda: check_public_url(settings)),
    ]
    results = []
    for name, step in steps:
        try:
            outcome = step()
            results.append(await outcome if not isinstance(outcome, Result) else outcome)
        except Exception as exc:
            results.append(Result(name, "FAIL", f"check crashed: {_first_line(exc)}"))
    return results


def build(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace, Settings], int]:
    def run(args: argparse.Namespace, settings: Settings) -> int:
        results = asyncio.run(run_checks(settings))
        for result in results:
            print(result.line(), flush=True)
        return 1 if any(r.status == "FAIL" for r in results) else 0

    return run
