"""The LINE channel for the inbox worker (parse, media, loading animation) and the outbox sender."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

import aiohttp

from bot.line.adapter import batches, is_external_content, to_inbound, wire_text
from bot.line.client import LineClient
from bot.media import Download
from bot.pipeline import Parsed
from bot.sender import Limits, Permanent, RateLimiter, Retry, SaveProgress, retry_key
from handlers.messages import Attachment, Channel
from store.outbox import OutboxItem, messages_of

log = logging.getLogger(__name__)


def line_limits() -> Limits:
    # LINE allows 2,000 sends a second per channel and publishes no per-chat limit; stay well under.
    return Limits(overall=RateLimiter(500, 100), per_chat=RateLimiter(20, 20), per_group=RateLimiter(20, 20))


class LineChannel:
    channel = Channel.LINE.value

    def __init__(self, client: LineClient, limits: Limits | None = None) -> None:
        self.client = client
        self.limits = limits or line_limits()

    # --- inbox ------------------------------------------------------------------------------------

    def parse(self, payload: dict[str, Any], *, event_id: str) -> Parsed:
        inbound = to_inbound(payload, event_id=event_id)
        if inbound is not None and is_external_content(payload):
            # Content shared by URL stays with its provider; nothing for us to fetch.
            inbound = replace(inbound, attachments=tuple(Attachment(kind=a.kind, name=a.name)
                                                         for a in inbound.attachments))
        return Parsed(inbound=inbound, reply_token=payload.get("replyToken"))

    async def prepare(self, parsed: Parsed) -> None:
        return None

    async def waiting(self, parsed: Parsed) -> None:
        if parsed.inbound is not None and not parsed.inbound.is_group:
            await self.client.show_loading(parsed.inbound.user_id)

    def download(self, attachment: Attachment) -> contextlib.AbstractAsyncContextManager[Download]:
        return self.client.content(attachment.ref)

    # --- outbox -----------------------------------------------------------------------------------

    async def deliver(self, row: OutboxItem, *, now: datetime, progress: int, save: SaveProgress) -> None:
        parts = batches(wire_text(messages_of(row)))
        fresh = bool(row.reply_token and row.reply_token_expires_at and row.reply_token_expires_at > now)
        group = row.chat_id[:1] in ("C", "R")
        for index in range(progress, len(parts)):
            await self.limits.acquire(row.chat_id, group=group)
            if not (index == 0 and fresh and await self._reply(row, parts[0])):
                await self._push(row, parts[index], retry_key(row, index))
            if index + 1 < len(parts):
                await save(index + 1)

    async def _reply(self, row: OutboxItem, messages: list[str]) -> bool:
        """True when the reply went (or an earlier attempt's reply did); False → push instead."""
        assert row.reply_token is not None
        try:
            status, after, body = await self.client.send(
                "/v2/bot/message/reply", {"replyToken": row.reply_token, "notificationDisabled": False}, messages)
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise Retry(f"LINE reply: {type(exc).__name__}") from exc
        if status == 400:
            # A fresh token LINE refuses was used already: by our own earlier attempt (whose answer
            # was lost) when this is a retry; otherwise by another row of the same event → push.
            return row.attempts > 1
        if status != 200:
            raise _classify(status, after, body)
        return True

    async def _push(self, row: OutboxItem, messages: list[str], key: str) -> None:
        try:
            status, after, body = await self.client.send(
                "/v2/bot/message/push", {"to": row.chat_id, "notificationDisabled": False}, messages, retry_key=key)
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise Retry(f"LINE push: {type(exc).__name__}") from exc
        if status == 409:  # this retry key was accepted before: the message went
            log.info("outbox row %s: LINE already accepted retry key", row.id)
            return
        if status != 200:
            raise _classify(status, after, body)


def _classify(status: int, retry_after: str, body: str) -> Exception:
    if status == 429:
        after = None
        if retry_after:
            try:
                after = float(retry_after)
            except ValueError:
                after = None
        return Retry("LINE 429 too many requests", after)
    if status >= 500:
        return Retry(f"LINE {status}")
    return Permanent(f"LINE {status}: {body[:200]}")
