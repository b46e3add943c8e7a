"""A test driver for the staff side: staff enrolled through real invites and /register, patients' cases,
and messages sent through the channel-neutral dispatcher (LINE or Telegram, 1:1 or group)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import col, select

from handlers import build_router
from handlers.dispatch import Dispatcher, Result
from handlers.messages import Channel, EventKind, Inbound
from handlers.services import Services
from store import cases as case_store
from store.models import AuditLog, Case, CaseEvent, Feedback, Staff
from store.people import get_or_create_identity, patient_for
from store.staff import create_invite
from store.units import load_units, sync_units


@dataclass
class Desk:
    services: Services
    dispatcher: Dispatcher = field(init=False)
    _seq: int = 0

    def __post_init__(self) -> None:
        self.dispatcher = Dispatcher(build_router(), self.services)

    @classmethod
    async def open(cls, services: Services) -> Desk:
        async with services.sessions() as session:
            await sync_units(session, units=load_units(services.settings.config_dir))
            await session.commit()
        return cls(services)

    async def send(
        self, user: str, text: str | None = None, *, payload: str | None = None, channel: str = "line",
        group: str | None = None, attachments: tuple[Any, ...] = (),
    ) -> Result:
        self._seq += 1
        inbound = Inbound(
            channel=Channel(channel), user_id=user, chat_id=group or user, at=self.services.clock(),
            kind=EventKind.POSTBACK if payload else EventKind.MESSAGE, is_group=group is not None,
            text=text, payload=payload, attachments=attachments, event_id=f"t{self._seq}",
        )
        async with self.services.sessions() as session:
            result = await self.dispatcher.handle(inbound, session=session)
            await session.commit()
        return result

    async def code(self, role: str | None = None, unit: str | None = None, name: str = "",
                   staff_id: int | None = None) -> str:
        async with self.services.sessions() as session:
            made = await create_invite(session, now=self.services.clock(), role=role, unit_code=unit,
                                       display_name=name, staff_id=staff_id)
            await session.commit()
        return made.code

    async def enrol(self, user: str, role: str, unit: str | None = None, *, channel: str = "line",
                    name: str | None = None) -> Staff:
        """A staff member registered the real way: an invite, then /register CODE in chat."""
        code = await self.code(role, unit, name or f"{role}-{user}")
        result = await self.send(user, f"/register {code}", channel=channel)
        assert "ลงทะเบียนเรียบร้อย" in texts(result)[0], texts(result)
        async with self.services.sessions() as session:
            identity = await get_or_create_identity(session, channel=channel, external_id=user)
            staff = await session.get(Staff, identity.staff_id)
            assert staff is not None
            return staff

    async def patient_case(self, user: str = "U-patient", text: str = "รอรับยานานมาก เภสัชกรพูดจาไม่ดี",
                           unit: str | None = "pharmacy", channel: str = "line") -> str:
        """A patient's complaint as the complaint flow leaves it: a tagged Feedback row and a new case."""
        now = self.services.clock()
        async with self.services.sessions() as session:
            identity = await get_or_create_identity(session, channel=channel, external_id=user)
            patient = await patient_for(session, identity=identity)
            feedback = Feedback(
                kind="complaint", patient_id=patient.id, channel=channel, text=text, complaint=True,
                topics=[{"code": "waiting", "score": 0.9, "evidence": ["รอรับยานาน"]},
                        {"code": "staff_behavior", "score": 0.9, "evidence": ["พูดจาไม่ดี"]}],
                sentiment="neg", sentiment_score=-0.8, severity_hint="B", created_at=now,
            )
            session.add(feedback)
            await session.flush()
            case = await case_store.open_case(
                session, now=now, source="patient", kind="complaint", channel=channel, feedback_id=feedback.id,
                patient_id=patient.id, summary=text, primary_topic="waiting", unit_code=unit, severity_hint="B",
                policy=self.services.hospital.policy,
            )
            await session.commit()
            return case.number

    async def case(self, number: str) -> Case:
        async with self.services.sessions() as session:
            case = await case_store.case_by_number(session, number=number)
            assert case is not None
            return case

    async def events(self, number: str) -> list[str]:
        case = await self.case(number)
        async with self.services.sessions() as session:
            rows = (await session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                       .order_by(col(CaseEvent.id)))).all()
            return [e.action for e in rows]

    async def audits(self, action: str | None = None) -> list[AuditLog]:
        async with self.services.sessions() as session:
            query = select(AuditLog).order_by(col(AuditLog.id))
            if action:
                query = query.where(AuditLog.action == action)
            return list((await session.exec(query)).all())


def texts(result: Result) -> list[str]:
    return [m.text for m in result.replies]


def text(result: Result) -> str:
    return "\n".join(texts(result))


def keys(result: Result) -> list[str | None]:
    """The catalogue keys the replies came from (`turn.say`; None for composed text): what a test names
    instead of a Thai phrase that the catalogue's reviewers may reword."""
    return [m.key for m in result.replies]


def payloads(result: Result) -> list[str]:
    return [b.payload for m in result.replies for b in m.buttons]
