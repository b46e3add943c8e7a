"""A patient's side of a conversation, driven through the channel-neutral Dispatcher (no network)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.dispatch import Dispatcher, Result
from handlers.messages import Attachment, Button, Channel, EventKind, Inbound, Outbound

_events = itertools.count(1)


class Chat:
    """Sends what a patient would and keeps the last replies; `press` finds a button by label or payload."""

    def __init__(self, dispatcher: Dispatcher, user_id: str, channel: Channel = Channel.LINE) -> None:
        self.dispatcher = dispatcher
        self.user_id = user_id
        self.channel = channel
        self.last = Result()
        self.pushes: list[Any] = []

    async def send(self, **fields: Any) -> Result:
        base: dict[str, Any] = {
            "channel": self.channel, "user_id": self.user_id, "chat_id": self.user_id,
            "at": self.dispatcher.services.clock(), "event_id": f"e{next(_events)}",
        }
        inbound = Inbound(**{**base, **fields})
        async with self.dispatcher.services.sessions() as session:
            result = await self.dispatcher.handle(inbound, session=session)
            await session.commit()
        self.last = result
        self.pushes.extend(result.pushes)
        return result

    async def text(self, text: str) -> Result:
        return await self.send(text=text)

    async def follow(self) -> Result:
        return await self.send(kind=EventKind.FOLLOW)

    async def payload(self, payload: str, **params: str) -> Result:
        return await self.send(kind=EventKind.POSTBACK, payload=payload, params=params)

    async def press(self, label_or_payload: str, **params: str) -> Result:
        """Press a button offered in the last replies (by exact label, payload, or label prefix)."""
        button = self.find(label_or_payload)
        return await self.payload(button.payload, **params)

    async def photo(self, media_id: int | None = None, text: str | None = None) -> Result:
        attachment = Attachment("image", ref=f"m{next(_events)}", content_type="image/jpeg", media_id=media_id)
        return await self.send(attachments=(attachment,), text=text)

    async def sticker(self) -> Result:
        return await self.send(attachments=(Attachment("sticker", ref="11537:52002734"),))

    def find(self, label_or_payload: str) -> Button:
        buttons = self.buttons
        for button in buttons:
            if label_or_payload in (button.label, button.payload):
                return button
        for button in buttons:
            if button.label.startswith(label_or_payload):
                return button
        raise AssertionError(f"no button {label_or_payload!r} in {[b.label for b in buttons]}")

    @property
    def buttons(self) -> list[Button]:
        return [b for m in self.last.replies for b in m.buttons]

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.last.replies]

    @property
    def said(self) -> str:
        return "\n".join(self.texts)

    @property
    def replies(self) -> list[Outbound]:
        return self.last.replies

    @asynccontextmanager
    async def db(self) -> AsyncIterator[AsyncSession]:
        async with self.dispatcher.services.sessions() as session:
            yield session
