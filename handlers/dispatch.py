"""Runs one inbound event through the registered handlers, inside the caller's transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers import consent
from handlers.emergency import detect
from handlers.flowkit import in_group, is_cancel, menu_buttons
from handlers.messages import Delivery, EventKind, Inbound, Outbound
from handlers.router import Router
from handlers.services import Services
from handlers.turn import DRAFT_OFFER, Turn
from store.models import (
    AnyConversation,
    AnyIdentity,
    Conversation,
    ConversationRow,
    IdentityRow,
    PatientRow,
)
from store.people import get_or_create_identity, kept_in, mark_seen, staff_for

log = logging.getLogger(__name__)

CANCEL_PAYLOAD = "cancel"


@dataclass
class Result:
    replies: list[Outbound] = field(default_factory=list)
    pushes: list[Delivery] = field(default_factory=list)


@dataclass
class Known:
    """A batch's rows read beforehand with set-based queries (bot/pipeline.py `process_batch`): identities by
    (channel, user id), conversations by (channel, chat id, user id), the identities' patients by id. `seen`
    gathers the patients the batch heard from, marked seen in one statement by the caller."""

    # Core rows, not ORM objects: the batch writes the ones its handlers changed (bot/pipeline.py `_changes`)
    identities: dict[tuple[str, str], IdentityRow] = field(default_factory=dict)
    conversations: dict[tuple[str, str, str], ConversationRow] = field(default_factory=dict)
    patients: dict[int, PatientRow] = field(default_factory=dict)
    # the staff members behind the identities (ORM objects), held here: the session's identity map keeps only weak
    # references, and a row nobody holds is gone again before `staff_for`'s `session.get` looks for it
    rows: list[Any] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)


class Dispatcher:
    def __init__(self, router: Router, services: Services) -> None:
        self.router = router
        self.services = services

    async def handle(self, inbound: Inbound, *, session: AsyncSession, known: Known | None = None) -> Result:
        """Handle one event; the caller commits (together with the outbox rows it makes of the result)."""
        known_identity = known.identities.get((inbound.channel, inbound.user_id)) if known else None
        identity: AnyIdentity = known_identity or await get_or_create_identity(
            session, channel=inbound.channel, external_id=inbound.user_id)
        conversation: AnyConversation | None = (
            known.conversations.get((inbound.channel, inbound.chat_id, inbound.user_id)) if known else None)
        if conversation is None:
            conversation = await self._conversation(session, inbound)
        turn = Turn(
            inbound=inbound,
            services=self.services,
            session=session,
            identity=identity,
            conversation=conversation,
            # a shared sender (inbound.individual False) is never staff, whatever its identity is bound to
            staff=await staff_for(session, identity=identity) if inbound.individual else None,
            router=self.router,
            patients=known.patients if known else {},
        )
        if inbound.kind == EventKind.MESSAGE and inbound.text and not inbound.is_group and inbound.command is None:
            self._emergency_first(turn, inbound.text)  # before anything else, even the idle notice
        await self._expire_if_idle(turn)
        await self.route(turn)
        await self._something_to_press(turn)
        if identity.patient_id is not None:
            if known is not None:
                known.seen.add(identity.patient_id)
            else:
                await mark_seen(session, patient_id=identity.patient_id, now=self.services.clock())
        kept_in(session, conversation)
        kept_in(session, identity)
        return Result(turn.replies, turn.pushes)

    def needs_patient(self, inbound: Inbound) -> bool:
        """Whether the handler of this event always reads the sender's patient row (`Router.event(patient=True)`)."""
        return inbound.kind in self.router.patient_events

    async def takes_media(self, inbound: Inbound) -> bool:
        """Whether the sender's current step takes photos and files (read before handling, so content is
        downloaded only for a step that keeps it)."""
        if inbound.kind != EventKind.MESSAGE or not self.router.media_states:
            return False
        async with self.services.sessions() as session:
            conversation = (await session.exec(self._conversation_query(inbound))).first()
        if conversation is None or conversation.state not in self.router.media_states:
            return False
        expires = conversation.expires_at
        return expires is None or expires > self.services.clock()

    async def route(self, turn: Turn) -> None:
        inbound = turn.inbound
        handler = self.router.events.get(inbound.kind)
        if inbound.kind not in (EventKind.MESSAGE, EventKind.POSTBACK):
            if handler is not None:
                await handler(turn)
            return
        text = (inbound.text or "").strip()
        if inbound.payload == CANCEL_PAYLOAD or (not inbound.payload and is_cancel(text)):
            # Inside a flow, ยกเลิก ends that flow and keeps what another flow paused (a survey, an unsent
            # draft); outside any flow, or at the kept-draft offer, it drops what was kept (as common.cancelled says).
            turn.end(keep_paused=turn.state is not None and turn.state != DRAFT_OFFER)
            await self._call_payload(turn, "menu", fallback_key="common.cancelled")
            return
        command = inbound.command
        if command is not None:
            await self._command(turn, *command)
            return
        if inbound.payload:
            found = self.router.find_payload(inbound.payload)
            if found is not None:
                prefix, handler = found
                if prefix in self.router.private_payloads and in_group(turn):
                    return
                await handler(turn)
                return
        if turn.state and turn.state in self.router.states:
            if turn.state in self.router.privacy_states and await consent.intercept(turn):
                reprompt = self.router.privacy_states[turn.state]
                if reprompt is not None:
                    reprompt(turn)
                return
            await self.router.states[turn.state](turn)
            return
        if self.router.fallback_handler is not None:
            await self.router.fallback_handler(turn)

    async def _something_to_press(self, turn: Turn) -> None:
        """A patient's 1:1 answer always ends with buttons (Telegram shows no keyboard otherwise): the menu
        once no flow is open, ยกเลิก inside one. Staff and group chats are left as the commands answer."""
        inbound = turn.inbound
        if (not turn.replies or any(r.buttons for r in turn.replies) or inbound.is_group or turn.staff is not None
                or inbound.command is not None or inbound.kind not in (EventKind.MESSAGE, EventKind.POSTBACK)):
            return
        buttons = await menu_buttons(turn) if turn.state is None else [turn.button("cancel", CANCEL_PAYLOAD)]
        turn.replies[-1] = replace(turn.replies[-1], buttons=tuple(buttons))

    def _emergency_first(self, turn: Turn, text: str) -> None:
        """Emergency signs get 1669 and the ER number before anything else; the step then carries on."""
        alarm = detect(text, self.services.hospital.emergency)
        if alarm is None:
            return
        turn.alarm = alarm
        log.info("emergency signs %s (past=%s) in conversation %s", alarm.codes, alarm.past, turn.conversation.id)
        if alarm.past:
            turn.say("emergency.past")
            return
        er_phone = turn.t("emergency.er_phone").strip()
        turn.say("emergency.reply", er=turn.t("emergency.er", er_phone=er_phone) if er_phone else "")
        for key in alarm.messages:
            turn.say(f"emergency.{key}")

    async def _command(self, turn: Turn, name: str, args: str) -> None:
        command = self.router.commands.get(name)
        if command is None:
            # In a group, commands meant for other bots are none of our business.
            if not turn.inbound.is_group:
                turn.say("common.unknown_command", command=name)
            return
        turn.args = args
        if command.roles is not None and (turn.staff is None or turn.staff.role not in command.roles):
            shared = not turn.inbound.individual
            turn.audit(f"command.{name}", allowed=False,
                       detail={"reason": "shared_sender" if shared else "role",
                               "role": turn.staff.role if turn.staff else None})
            turn.say("staff.shared_sender" if shared else "staff.refused", command=name)
            return
        await command.handler(turn)

    async def _call_payload(self, turn: Turn, payload: str, *, fallback_key: str) -> None:
        turn.say(fallback_key)
        found = self.router.find_payload(payload)
        if found is not None:
            await found[1](turn)

    @staticmethod
    def _conversation_query(inbound: Inbound) -> Any:
        return select(Conversation).where(
            Conversation.channel == inbound.channel,
            Conversation.chat_id == inbound.chat_id,
            Conversation.user_id == inbound.user_id,
        )

    async def _conversation(self, session: AsyncSession, inbound: Inbound) -> Conversation:
        found = (await session.exec(self._conversation_query(inbound))).first()
        if found is not None:
            return found
        conversation = Conversation(
            channel=inbound.channel, chat_id=inbound.chat_id, user_id=inbound.user_id, updated_at=self.services.clock()
        )
        session.add(conversation)
        await session.flush()
        return conversation

    async def _expire_if_idle(self, turn: Turn) -> None:
        conversation = turn.conversation
        if conversation.state and conversation.expires_at and conversation.expires_at <= self.services.clock():
            on_idle = self.router.idle_handlers.get(conversation.state.split(".", 1)[0])
            if on_idle is not None:  # e.g. a half-done survey is paused, not thrown away
                log.info("conversation %s idle, %s paused", conversation.id, conversation.state)
                await on_idle(turn)
                return
            log.info("conversation %s idle, ended", conversation.id)
            turn.end()
            turn.say("common.idle_ended")
