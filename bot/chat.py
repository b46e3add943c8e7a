"""`python -m bot chat`: a terminal chat running the same handlers as LINE and Telegram.

Buttons are shown as numbered choices; typing the number presses the button. Pings to other people
are queued in the outbox as they would be in production.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.charts import chart_renderer
from bot.settings import Settings
from handlers import build_router
from handlers.dispatch import Dispatcher, Result
from handlers.hospital import hospital_for
from handlers.messages import Button, Channel, EventKind, Inbound, Outbound
from handlers.services import Services
from store.db import make_engine, make_session_factory, upgrade
from store.models import Staff
from store.outbox import enqueue
from store.people import get_or_create_identity
from store.types import utcnow
from store.units import sync_units

TERMINAL_USERS = {"patient": "terminal-patient", "committee": "terminal-committee"}


def render(messages: list[Outbound], out: TextIO) -> list[Button]:
    """Print messages; return the buttons of the last message that has any, numbered from 1."""
    buttons: list[Button] = []
    for message in messages:
        if message.text:
            out.write(f"🤖 {message.text}\n")
        if message.image_url or message.image_path:
            out.write(f"   [รูปภาพ] {message.image_path or message.image_url}\n")
        if message.buttons:
            buttons = list(message.buttons)
            for i, button in enumerate(buttons, 1):
                out.write(f"   [{i}] {button.label}\n")
    out.flush()
    return buttons


class TerminalChat:
    def __init__(self, settings: Settings, *, as_role: str, out: TextIO = sys.stdout) -> None:
        self.settings = settings
        self.user_id = TERMINAL_USERS[as_role]
        self.as_role = as_role
        self.out = out
        self.buttons: list[Button] = []

    async def run(self, lines: TextIO = sys.stdin) -> None:
        engine = make_engine(self.settings.database_url)
        try:
            await upgrade(engine)
            sessions = make_session_factory(engine)
            services = Services(self.settings, sessions, hospital_for(self.settings), charts=chart_renderer())
            dispatcher = Dispatcher(build_router(), services)
            async with sessions() as session:
                await sync_units(session, units=list(services.hospital.units))
                await session.commit()
            if self.as_role == "committee":
                await self._ensure_committee_member(services)
            self.out.write(services.catalogue("common.terminal_hint") + "\n")
            await self._send(dispatcher, EventKind.FOLLOW, None, None)
            while True:
                line = await asyncio.to_thread(lines.readline)
                if not line or line.strip() in {"/quit", "/exit"}:
                    break
                text = line.strip()
                if not text:
                    continue
                if text.isdigit() and 1 <= int(text) <= len(self.buttons):
                    await self._send(dispatcher, EventKind.POSTBACK, None, self.buttons[int(text) - 1].payload)
                else:
                    await self._send(dispatcher, EventKind.MESSAGE, text, None)
        finally:
            await engine.dispose()

    async def _send(self, dispatcher: Dispatcher, kind: EventKind, text: str | None, payload: str | None) -> None:
        now = utcnow()
        inbound = Inbound(
            channel=Channel.TERMINAL, user_id=self.user_id, chat_id=self.user_id, at=now, kind=kind,
            text=text, payload=payload, event_id=f"terminal-{now.timestamp()}",
        )
        async with dispatcher.services.sessions() as session:
            result: Result = await dispatcher.handle(inbound, session=session)
            for push in result.pushes:
                await enqueue(session, channel=push.channel, chat_id=push.chat_id, messages=push.messages,
                              now=now, dedupe_key=push.dedupe_key)
            await session.commit()
        self.buttons = render(result.replies, self.out)
        for push in result.pushes:
            if push.channel == Channel.TERMINAL:  # another terminal identity: show the ping here
                self.out.write(f"📣 (ถึง {push.chat_id})\n")
                render(push.messages, self.out)

    async def _ensure_committee_member(self, services: Services) -> None:
        """The terminal's committee identity is a real staff row, so role checks run as in production."""
        async with services.sessions() as session:
            identity = await get_or_create_identity(session, channel=Channel.TERMINAL, external_id=self.user_id)
            if identity.staff_id is None:
                staff = Staff(display_name="กรรมการ (เทอร์มินัล)", role="committee")
                session.add(staff)
                await session.flush()
                identity.staff_id = staff.id
                session.add(identity)
            await session.commit()
