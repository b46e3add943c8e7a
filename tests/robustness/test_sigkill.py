"""The service is killed with SIGKILL in the middle of a load and started again on the same SQLite file:
every event it answered 200 to is handled exactly once and every answer reaches its chat.

The victim is a real `python -m bot serve` subprocess whose platforms are the fakes in this process. The
restarted instance runs in-process on a clock moved past the 2-minute lease, so the work the dead process had
leased (events `processing`, messages `sending`) is taken over at once instead of after two real minutes.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlmodel import select

from bot.settings import Settings
from store.db import make_engine, make_session_factory
from store.models import InboundEvent, OutboundMessage
from tests.fakes.harness import LINE_SECRET, TELEGRAM_SECRET, _free_port, running_service, sign
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.robustness.helpers import expected_per_chat, received, statuses

ROOT = Path(__file__).resolve().parents[2]
CHATS = 60  # per channel; one greeting each


def _env(line: FakeLine, telegram: FakeTelegram, url: str, port: int, media: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LINE_", "TELEGRAM_", "DATABASE_", "PUBLIC_BASE", "CONFIG_DIR", "ENVIRONMENT"))}
    env.update({
        "ENVIRONMENT": "development", "LOG_LEVEL": "WARNING", "LOG_FORMAT": "json", "DATABASE_URL": url,
        "HOST": "127.0.0.1", "PORT": str(port), "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "MEDIA_DIR": str(media), "HOSPITAL_NAME": "โรงพยาบาลทดสอบ",
        "LINE_CHANNEL_SECRET": LINE_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": line.access_token,
        "LINE_API_BASE_URL": line.url, "LINE_DATA_API_BASE_URL": line.url,
        "TELEGRAM_BOT_TOKEN": telegram.token, "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE_URL": f"{telegram.url}/bot", "TELEGRAM_API_FILE_URL": f"{telegram.url}/file/bot",
        "TELEGRAM_BOT_USERNAME": telegram.username, "WORKER_POLL_SECONDS": "0.05", "PYTHONPATH": str(ROOT),
    })
    return env


def _requests(line: FakeLine) -> list[tuple[str, bytes, dict[str, str], str]]:
    """(path, body, headers, chat) for one greeting per chat, LINE and Telegram interleaved."""
    out = []
    for i in range(CHATS):
        user = f"U-kill-{i}"
        event = {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000), "source": {"type": "user",
                 "userId": user}, "webhookEventId": uuid.uuid4().hex.upper()[:26], "replyToken":
                 line.reply_token_for(user), "deliveryContext": {"isRedelivery": False},
                 "message": {"id": uuid.uuid4().hex[:12], "type": "text", "text": "สวัสดีครับ", "quoteToken": "q"}}
        body = json.dumps({"destination": "U0", "events": [event]}, ensure_ascii=False).encode()
        out.append(("/webhook/line", body, {"Content-Type": "application/json", "X-Line-Signature": sign(body)},
                    user))
        chat = 8_000 + i
        update = {"update_id": 50_000 + i, "message": {
            "message_id": i + 1, "date": 1_764_000_000, "text": "สวัสดีครับ",
            "chat": {"id": chat, "type": "private", "first_name": "ผู้ใช้"},
            "from": {"id": chat, "is_bot": False, "first_name": "ผู้ใช้", "language_code": "th"}}}
        out.append(("/webhook/telegram", json.dumps(update, ensure_ascii=False).encode(),
                    {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
                    str(chat)))
    return out


async def _healthy(http: aiohttp.ClientSession, url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        assert proc.poll() is None, "the service exited at start"
        try:
            async with http.get(f"{url}/healthz") as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError("the service did not start")


@pytest.mark.sigkill
async def test_sigkill_mid_load_then_restart_loses_and_repeats_nothing(
    settings: Settings, sqlite_url: str, tmp_path: Path, fake_line: FakeLine, fake_telegram: FakeTelegram
) -> None:
    """SIGKILL while events arrive and answers go out; after a restart every 200-answered event is done once
    (one set of outbox rows), every chat gets its answer, and only a message that was on the wire at the kill
    may arrive twice: a Telegram send (no idempotency key) or a LINE reply whose token expired before the
    lease let the row be taken over (it goes again by push). LINE pushes are never repeated (retry key)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=tmp_path,
                            env=_env(fake_line, fake_telegram, sqlite_url, port, tmp_path / "media"),
                            stdout=subprocess.DEVNULL, stderr=(tmp_path / "serve.log").open("wb"))
    accepted: dict[str, str] = {}  # chat → path of the request answered 200
    killed = asyncio.Event()
    try:
        async with aiohttp.ClientSession() as http:
            await _healthy(http, url, proc)
            queue = _requests(fake_line)

            async def sender() -> None:
                while queue and not killed.is_set():
                    path, body, headers, chat = queue.pop(0)
                    try:
                        async with http.post(url + path, data=body, headers=headers) as resp:
                            if resp.status == 200:
                                accepted[chat] = path
                    except (aiohttp.ClientError, OSError):
                        pass

            async def killer() -> None:
                # Mid-load: half the events accepted and answers already going out.
                while len(accepted) < CHATS // 2 or len(fake_line.sent) + len(fake_telegram.sent) < 3:
                    await asyncio.sleep(0.005)
                proc.send_signal(signal.SIGKILL)
                killed.set()

            await asyncio.wait_for(asyncio.gather(killer(), *(sender() for _ in range(6))), 60)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    sent_before = len(fake_line.sent) + len(fake_telegram.sent)
    assert sent_before > 0 and len(accepted) >= CHATS // 2

    # What the dead process left on the wire: messages leased for sending.
    offset = timedelta(minutes=3)
    restarted = settings.model_copy(update={"database_url": sqlite_url})
    engine = make_engine(sqlite_url)  # read what the dead process left before anyone takes it over
    sessions = make_session_factory(engine)
    async with sessions() as session:
        in_flight = {(r.channel, r.chat_id) for r in (await session.exec(
            select(OutboundMessage).where(OutboundMessage.status == "sending"))).all()}
        stored = {r.chat_key: r for r in (await session.exec(select(InboundEvent))).all()}
    left = await statuses(sessions)
    await engine.dispose()
    unfinished = left[0]["pending"] + left[0]["processing"] + left[1]["pending"] + left[1]["sending"]
    assert unfinished > 0, left  # really mid-load: events or answers were left over
    async with running_service(restarted, clock=lambda: datetime.now(UTC) + offset, line=fake_line,
                               telegram=fake_telegram) as svc:
        svc.kick()
        await svc.settle(timeout=40)
        inbox, outbox = await statuses(svc.sessions)
        assert set(inbox) == {"done"} and set(outbox) == {"sent"}, (inbox, outbox)
        expected = await expected_per_chat(svc.sessions)
        async with svc.sessions() as session:
            per_event = Counter(r.inbound_event_id for r in (await session.exec(select(OutboundMessage))).all())

    # Every accepted event was stored and handled exactly once: one identical set of rows per greeting.
    for chat, path in accepted.items():
        channel = "line" if "line" in path else "telegram"
        key = f"line:{chat}" if channel == "line" else next(k for k in stored if k.endswith(f":{chat}"))
        assert key in stored, f"accepted {channel} event for {chat} was lost"
    assert len(set(per_event.values())) == 1, per_event
    assert len(per_event) == len(stored)
    # Every answer arrived; only messages on the wire at the kill may have arrived twice, never more.
    duplicated: list[Any] = []
    for (channel, chat), texts in expected.items():
        fake = fake_line if channel == "line" else fake_telegram
        got = received(fake, chat)
        if got != texts:
            assert (channel, chat) in in_flight, (channel, chat, got, texts)
            assert got[: len(texts)] == texts or sorted(set(got)) == sorted(set(texts)), (got, texts)
            assert len(got) <= 2 * len(texts)
            duplicated.append(chat)
    assert len(duplicated) <= len(in_flight)
    assert len(fake_line.retry_keys) == len(set(fake_line.retry_keys))
