"""The Telegram channel for the inbox worker and the outbox sender, the Bot builder, and polling."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError

from bot.media import Download
from bot.pipeline import InboxItem, Parsed, WriteGate
from bot.sender import Limits, Permanent, RateLimiter, Retry, SaveProgress
from bot.settings import Settings
from bot.telegram.adapter import Part, chat_key, render, to_inbound
from bot.telegram.request import AiohttpRequest
from handlers.messages import Attachment, Channel
from handlers.services import Services
from store.outbox import OutboxItem, messages_of

log = logging.getLogger(__name__)

CONTENT_TIMEOUT = 120.0  # seconds per file download (Telegram serves bots at most 20 MB)
CHUNK = 64 * 1024
POLL_TIMEOUT = 25  # seconds getUpdates waits on the server for news
# Set in a button press the webhook answered in its 200 (bot/telegram/webhook.py); the worker answers every press
# without it. The default is to answer: a press stored by anything that does not know the mark — the poller, the
# version before the webhook answered (rows pending at an upgrade, or stored by the old instance that still serves
# webhooks while deploy/upgrade.sh restarts web after `db upgrade`) — is answered, never left spinning. (The
# opposite mark, set on polled rows only, left those old rows unanswered; a data migration could not reach the
# ones the old instances store after it runs.)
ANSWERED = "pv_answered"
# Set by the poller. Not read any more: kept so that the previous version (which answered only presses marked
# so) still answers polled presses if a hospital goes back to it.
POLLED = "pv_polled"


def build_bot(settings: Settings, *, timeout: float = 10.0) -> Bot:
    """A PTB Bot on TELEGRAM_API_BASE_URL / TELEGRAM_API_FILE_URL (tests point both at a local fake)."""
    # httpx logs every request URL at INFO, and Bot API URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # aiohttp rather than PTB's httpx (bot/telegram/request.py); no proxy or netrc settings from the environment
    request = AiohttpRequest(timeout=timeout)
    polling = AiohttpRequest(timeout=timeout, http1=False)
    return Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_api_file_url,
        request=request,
        get_updates_request=polling,
    )


def telegram_limits() -> Limits:
    # Bot API FAQ: about 30 messages a second overall, one a second per chat (short bursts are fine),
    # 20 a minute per group.
    return Limits(overall=RateLimiter(30, 30), per_chat=RateLimiter(1, 5), per_group=RateLimiter(20 / 60, 5))


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramChannel:
    channel = Channel.TELEGRAM.value

    def __init__(self, bot: Bot, *, username: str = "", limits: Limits | None = None) -> None:
        self.bot = bot
        self.username = username
        self.limits = limits or telegram_limits()

    # --- inbox ------------------------------------------------------------------------------------

    def parse(self, payload: dict[str, Any], *, event_id: str) -> Parsed:
        translated = to_inbound(payload, bot_username=self.username)
        answer = None if payload.get(ANSWERED) else translated.callback_query_id
        return Parsed(inbound=translated.inbound, callback_query_id=answer)

    async def prepare(self, parsed: Parsed) -> None:
        """A button press is always answered, or the person's Telegram shows a spinner for a while: in the
        webhook's 200 when the webhook marked it `ANSWERED`, here otherwise."""
        if parsed.callback_query_id:
            try:
                await self.bot.answer_callback_query(parsed.callback_query_id)
            except TelegramError as exc:  # too late or already answered: only the spinner is affected
                log.info("Telegram callback query not answered: %s", type(exc).__name__)

    async def waiting(self, parsed: Parsed) -> None:
        if parsed.inbound is not None:
            try:
                await self.bot.send_chat_action(parsed.inbound.chat_id, ChatAction.TYPING)
            except TelegramError as exc:
                log.info("Telegram typing not shown: %s", type(exc).__name__)

    @contextlib.asynccontextmanager
    async def download(self, attachment: Attachment) -> AsyncIterator[Download]:
        """getFile through PTB, then the file streamed: PTB's own download reads it whole into memory."""
        file = await self.bot.get_file(attachment.ref)
        if not file.file_path:
            raise ValueError("Telegram getFile gave no file path")
        async with (httpx.AsyncClient(timeout=CONTENT_TIMEOUT, trust_env=False) as http,
                    http.stream("GET", file.file_path) as response):
            response.raise_for_status()
            yield Download(file.file_size, response.aiter_bytes(CHUNK))

    # --- outbox -----------------------------------------------------------------------------------

    async def deliver(self, row: OutboxItem, *, now: datetime, progress: int, save: SaveProgress) -> None:
        parts = render(messages_of(row))
        group = row.chat_id.startswith("-")
        for index in range(progress, len(parts)):
            part = parts[index]
            await self.limits.acquire(row.chat_id, group=group)
            try:
                if part.photo_path:
                    photo = await asyncio.to_thread(Path(part.photo_path).read_bytes)
                    await self.bot.send_photo(row.chat_id, photo=photo, reply_markup=part.keyboard)
                elif part.photo_url:
                    await self.bot.send_photo(row.chat_id, photo=part.photo_url, reply_markup=part.keyboard)
                else:
                    await self._send_message(row.chat_id, part)
            except RetryAfter as exc:
                raise Retry("Telegram flood control", _seconds(exc._retry_after)) from exc
            except (BadRequest, Forbidden, InvalidToken, ChatMigrated) as exc:
                raise Permanent(f"Telegram {type(exc).__name__}: {exc}") from exc
            except NetworkError as exc:  # includes TimedOut and 5xx answers
                raise Retry(f"Telegram {type(exc).__name__}") from exc
            except OSError as exc:
                raise Permanent(f"image not readable: {type(exc).__name__}") from exc
            if index + 1 < len(parts):
                await save(index + 1)


    async def _send_message(self, chat_id: str, part: Part) -> None:
        """sendMessage through PTB's own request layer — the HTTP call, and the answer's status and error
        description mapped to PTB's errors (RetryAfter, BadRequest, Forbidden, …) by `BaseRequest` — with the JSON
        body built here (`message_body`). Neither `Bot.send_message`, which turns every answer into a `Message` (a
        tree of PTB objects nobody reads), nor `BaseRequest.post`, which wraps each parameter in a
        `RequestParameter` first and parses the accepted call's answer for its `result` (what the sender never
        reads): about 0.15 ms of a worker's CPU per message on the bench VM, bench/README.md."""
        request = self.bot.request
        assert isinstance(request, AiohttpRequest)  # build_bot's
        await request.post_json(f"{self.bot.base_url}/sendMessage", message_body(chat_id, part))


def message_body(chat_id: str, part: Part) -> bytes:
    """sendMessage's parameters as the JSON body PTB's request layer sends (`chat_id` as given, the text, the
    keyboard as `to_dict` gives it): the keyboard's JSON is made and checked by PTB once per set of buttons
    (bot.telegram.adapter.markup), the text is encoded here."""
    body = f'{{"chat_id":{json.dumps(chat_id)},"text":{json.dumps(part.text, ensure_ascii=False)}'
    return (body + (f',"reply_markup":{part.markup}}}' if part.markup is not None else "}")).encode()


def update_item(update: dict[str, Any]) -> InboxItem:
    """A polled update as an inbox row (not `ANSWERED`: the worker answers its button press; marked `POLLED` for
    the previous version)."""
    return InboxItem(str(update["update_id"]), chat_key(update),
                     json.dumps({**update, POLLED: True}, ensure_ascii=False))


class Poller:
    """getUpdates for hospitals without a public HTTPS address: each batch is stored in the inbox before
    the offset moves on, so a restart re-reads anything not yet stored."""

    def __init__(self, bot: Bot, services: Services, *, on_new: Callable[[], None], timeout: int = POLL_TIMEOUT,
                 gate: WriteGate | None = None):
        self.bot = bot
        self.gate = gate or WriteGate(enabled=False)
        self.services = services
        self.on_new = on_new
        self.timeout = timeout
        self.offset: int | None = None

    async def run(self) -> None:
        from bot.pipeline import accept

        await self.bot.delete_webhook()  # getUpdates is refused while a webhook is set
        failures = 0
        while True:
            try:
                updates = await self.bot.get_updates(offset=self.offset, timeout=self.timeout,
                                                     read_timeout=self.timeout + 10)
                failures = 0
            except RetryAfter as exc:
                await asyncio.sleep(_seconds(exc._retry_after))
                continue
            except TelegramError as exc:
                failures += 1
                log.warning("Telegram polling: %s", type(exc).__name__)
                await asyncio.sleep(min(2**failures, 60))
                continue
            if not updates:
                continue
            items = [update_item(u.to_dict()) for u in updates]
            async with self.gate.hold(urgent=True), self.services.sessions() as session:
                new = await accept(session, channel="telegram", items=items, now=self.services.clock())
                await session.commit()
            self.offset = max(u.update_id for u in updates) + 1
            if new:
                self.on_new()
