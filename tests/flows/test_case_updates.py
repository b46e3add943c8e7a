"""Closing the loop: patient updates after committee transitions, and the handling rating."""

from __future__ import annotations

from sqlmodel import select

from handlers.case_updates import patient_updates
from handlers.services import Services
from store.cases import open_case
from store.models import Case, CaseEvent, ChannelIdentity, Patient
from tests.flows.chat import Chat


async def _case_for(chat: Chat, services: Services) -> str:
    """A patient case belonging to `chat`'s user (identity created as a first message would)."""
    await chat.text("สวัสดีครับ")
    async with chat.db() as session:
        query = select(ChannelIdentity).where(ChannelIdentity.external_id == chat.user_id)
        identity = (await session.exec(query)).one()
        patient = Patient()
        session.add(patient)
        await session.flush()
        identity.patient_id = patient.id
        session.add(identity)
        case = await open_case(session, now=services.clock(), source="patient", kind="complaint",
                               channel="line", patient_id=patient.id, policy=services.hospital.policy)
        number = case.number
        await session.commit()
    return number


async def _transition(services: Services, number: str, status: str, transition: str, **fields: object) -> list:
    async with services.sessions() as session:
        case = (await session.exec(select(Case).where(Case.number == number))).one()
        case.status = status
        for key, value in fields.items():
            setattr(case, key, value)
        session.add(case)
        deliveries = await patient_updates(session, case=case, transition=transition, services=services)
        await session.commit()
    return deliveries


async def test_patient_hears_accepted_in_progress_and_resolved(chat: Chat, services: Services) -> None:
    """triaged → accepted, acknowledged → in progress, closed → the approved summary and 1–5 rating buttons."""
    number = await _case_for(chat, services)
    accepted = await _transition(services, number, "triaged", "triaged")
    assert len(accepted) == 1 and accepted[0].chat_id == chat.user_id
    assert "รับเรื่องแล้ว" in accepted[0].messages[0].text and number in accepted[0].messages[0].text
    assert accepted[0].dedupe_key == f"case:{number}:triaged:{1}"
    progress = await _transition(services, number, "acknowledged", "acknowledged")
    assert "อยู่ระหว่างดำเนินการ" in progress[0].messages[0].text
    closed = await _transition(services, number, "closed", "closed", approved_summary="ปรับระบบคิวใหม่แล้ว")
    first, ask = closed[0].messages
    assert "ปรับระบบคิวใหม่แล้ว" in first.text
    assert [b.payload for b in ask.buttons] == [f"rate:{number}:{n}" for n in range(1, 6)]


async def test_rating_is_stored_once_by_the_own_patient(chat: Chat, other: Chat, services: Services) -> None:
    """Only the case's patient may rate, only after closing, only once; the rating is on the timeline."""
    number = await _case_for(chat, services)
    await chat.payload(f"rate:{number}:4")
    assert "ยังดำเนินการไม่เสร็จ" in chat.said
    await _transition(services, number, "closed", "closed", approved_summary="แก้ไขแล้ว")
    await other.text("สวัสดี")
    await other.payload(f"rate:{number}:1")  # a forged press from someone else
    assert "ไม่พบเรื่อง" in other.said and number not in other.said
    await chat.payload(f"rate:{number}:4")
    assert "ขอบคุณสำหรับคะแนน" in chat.said
    await chat.payload(f"rate:{number}:1")
    assert "ไว้แล้ว (4/5)" in chat.said
    async with chat.db() as session:
        case = (await session.exec(select(Case).where(Case.number == number))).one()
        assert case.handling_rating == 4
        rated = (await session.exec(select(CaseEvent).where(CaseEvent.action == "rated"))).all()
        assert [e.detail for e in rated] == [{"rating": 4}]


async def test_staff_cases_send_nothing(services: Services) -> None:
    """A staff-reported incident has no patient to tell."""
    async with services.sessions() as session:
        case = await open_case(session, now=services.clock(), source="staff", kind="incident", channel="line",
                               policy=services.hospital.policy)
        assert await patient_updates(session, case=case, transition="triaged", services=services) == []
