"""One inbound event being handled: who sent it, their conversation, and the replies being built."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import EllipsisType
from typing import TYPE_CHECKING, Any

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.emergency import Alarm
from handlers.messages import Button, Delivery, Inbound, Outbound
from handlers.payloads import Payload
from handlers.services import Services
from store import audit
from store.models import AnyConversation, AnyIdentity, AnyPatient, Patient, PatientRow, Staff
from store.people import patient_for

if TYPE_CHECKING:
    from handlers.hospital import HospitalConfig
    from handlers.router import Router

# flow data that outlives the flow's state (see Turn.end): a paused survey, unsent drafts (handlers.drafts)
PAUSED_KEYS = frozenset({"paused_survey", "paused_drafts"})
DRAFT_OFFER = "draft.offer"  # the step that offers a kept draft back (ยกเลิก there drops what was kept)


@dataclass
class Turn:
    inbound: Inbound
    services: Services
    session: AsyncSession
    identity: AnyIdentity  # a batch's IdentityRow, or the ORM's ChannelIdentity
    conversation: AnyConversation  # a batch's ConversationRow, or the ORM's Conversation (bot/pipeline.py)
    staff: Staff | None
    router: Router  # the dispatcher's: flows hand over through it (`start`) instead of importing each other
    replies: list[Outbound] = field(default_factory=list)
    pushes: list[Delivery] = field(default_factory=list)
    args: str = ""  # the text after a slash command
    alarm: Alarm | None = None  # emergency signs in this message (already answered by the dispatcher)
    patients: dict[int, PatientRow] = field(default_factory=dict)  # a batch's patients, read with its identities

    @property
    def payload(self) -> Payload:
        """The pressed button's data, parsed (`prefix`, `action`, `args`); empty for a typed message."""
        return Payload.parse(self.inbound.payload)

    @property
    def hospital(self) -> HospitalConfig:
        """The hospital's data files (units, survey, topics, policy, …), as loaded at start."""
        return self.services.hospital

    async def start(self, entry: str, *args: Any) -> Any:
        """Hand over to another flow's entry point (`Router.entry`): "survey", "complaint:offer", "menu" …"""
        return await self.router.entries[entry](self, *args)

    # --- what to say ---------------------------------------------------------------------------

    def t(self, key: str, **values: object) -> str:
        """A text from the catalogue; `hospital` is always available as a placeholder."""
        values.setdefault("hospital", self.services.settings.hospital_name)
        return self.services.catalogue(key, **values)

    def button(self, key: str, payload: str) -> Button:
        return Button(self.t(f"button.{key}"), payload)

    def say(self, key: str, *, buttons: tuple[Button, ...] | list[Button] = (), shared: bool = False,
            **values: object) -> None:
        """Add the catalogue's `key` to the answer. It is `shared` (cacheable: no person's words or contact in it)
        when its values are only numbers, or when the caller says its text values are the hospital's own (`shared`:
        the survey's questions, unit names, dates); a value that could be a patient's words keeps it out of the
        encoders' caches."""
        shared = shared or all(isinstance(v, int | float) for v in values.values())
        self.replies.append(Outbound(self.t(key, **values), tuple(buttons), key=key, shared=shared))

    def say_text(self, text: str, *, buttons: tuple[Button, ...] | list[Button] = ()) -> None:
        self.replies.append(Outbound(text, tuple(buttons)))

    def push(self, delivery: Delivery) -> None:
        self.pushes.append(delivery)

    # --- what was done -----------------------------------------------------------------------------

    @property
    def actor(self) -> str:
        """Who acted, as the audit log names them: "channel:external id"."""
        return f"{self.inbound.channel}:{self.inbound.user_id}"

    def audit(self, action: str, *, allowed: bool = True, target: str | None = None,
              detail: Mapping[str, Any] | None = None, staff_id: int | EllipsisType | None = ...) -> None:
        """One audit row for this turn's sender (`store.audit.record`); `staff_id` defaults to the sender's."""
        if isinstance(staff_id, EllipsisType):
            staff_id = self.staff.id if self.staff else None
        audit.record(self.session, actor=self.actor, channel=self.inbound.channel, action=action, target=target,
                     allowed=allowed, detail=detail, staff_id=staff_id, at=self.services.clock())

    # --- where the conversation is -----------------------------------------------------------------

    @property
    def state(self) -> str | None:
        return self.conversation.state

    @property
    def data(self) -> dict[str, Any]:
        return self.conversation.data

    def goto(self, state: str, **data: Any) -> None:
        """Move to `state`, merging `data` into the flow's data; the idle timer restarts."""
        self.conversation.state = state
        self.conversation.data = {**self.conversation.data, **data}  # new object so the JSON column saves
        self._touch()

    def end(self, *, keep_paused: bool = True) -> None:
        """Leave the flow; a paused survey (`paused_survey`) stays to resume later unless `keep_paused` is off."""
        kept = {k: v for k, v in self.conversation.data.items() if k in PAUSED_KEYS} if keep_paused else {}
        self.conversation.state = None
        self.conversation.data = kept
        self.conversation.expires_at = None
        self.conversation.updated_at = self.services.clock()

    def _touch(self) -> None:
        now = self.services.clock()
        self.conversation.updated_at = now
        self.conversation.expires_at = now + timedelta(minutes=self.services.settings.conversation_idle_minutes)

    async def patient(self) -> AnyPatient:
        """The sender's patient row, created the first time they use a patient flow: in an inbox batch the row
        read with the batch's identities (`PatientRow`, written by the batch when changed), else the ORM's."""
        return self.existing_patient_row() or await patient_for(self.session, identity=self.identity)

    def existing_patient_row(self) -> PatientRow | None:
        """The sender's patient as the inbox batch read it, if any."""
        patient_id = self.identity.patient_id
        return self.patients.get(patient_id) if patient_id is not None else None

    async def existing_patient(self) -> AnyPatient | None:
        """The sender's patient, without creating one."""
        if self.identity.patient_id is None:
            return None
        return self.existing_patient_row() or await self.session.get(Patient, self.identity.patient_id)
