"""Staff commands through the real LINE and Telegram adapters and the fake platforms, 1:1 and in groups,
and the whole complaint lifecycle across both channels."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field

import pytest
from sqlmodel import col, select

from store.models import Case, CaseEvent, Feedback
from store.policy import load_policy
from store.staff import create_invite
from tests.fakes.base import SentMessage
from tests.fakes.harness import Service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture(autouse=True)
def no_telegram_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Telegram's real pacing (20 messages a minute per group) is the sender's business, tested there; these
    tests send a few dozen commands, so they lift it."""
    from bot.sender import Limits, RateLimiter

    monkeypatch.setattr("bot.telegram.channel.telegram_limits",
                        lambda: Limits(RateLimiter(1000, 1000), RateLimiter(1000, 1000), RateLimiter(1000, 1000)))


@dataclass
class Person:
    """Someone typing in one chat (their 1:1 chat or a group) on one channel."""

    svc: Service
    channel: str  # line | telegram
    user: str  # LINE user id, or the Telegram user id as text
    group: str | None = None  # LINE group id or Telegram group chat id
    seen: dict[str, int] = field(default_factory=dict)  # shared by everyone in one test: chat → messages read

    @property
    def chat(self) -> str:
        return self.group or self.user

    @property
    def fake(self) -> FakeLine | FakeTelegram:
        return self.svc.line if self.channel == "line" else self.svc.telegram

    async def say(self, text: str) -> str:
        """Send text (commands addressed /cmd@bot in Telegram groups); return what this chat got back."""
        if self.channel == "line":
            await self.svc.line_text(self.user, text, group_id=self.group)
        else:
            if self.group and text.startswith("/"):
                head, _, rest = text.partition(" ")
                text = f"{head}@{self.svc.telegram.username} {rest}".strip()
            await self.svc.telegram_text(int(self.user), text, chat_id=int(self.group) if self.group else None,
                                         group=self.group is not None)
        return await self.news()

    async def press(self, payload: str) -> str:
        if self.channel == "line":
            await self.svc.line_postback(self.user, payload, group_id=self.group)
        else:
            await self.svc.telegram_callback(int(self.user), payload, chat_id=int(self.group) if self.group else None,
                                             group=self.group is not None)
        return await self.news()

    async def photo(self) -> str:
        if self.channel == "line":
            await self.svc.line_media(self.user, "image", group_id=self.group)
        else:
            await self.svc.telegram_photo(int(self.user), chat_id=int(self.group) if self.group else None,
                                          group=self.group is not None)
        return await self.news()

    async def news(self) -> str:
        await self.svc.settle()
        return "\n".join(m.text for m in await self.inbox_new())

    async def inbox_new(self) -> list[SentMessage]:
        messages = await self.fake.messages_to(self.chat)
        start = self.seen.get(self.chat, 0)
        self.seen[self.chat] = len(messages)
        return messages[start:]

    async def register(self, role: str, unit: str | None = None) -> None:
        async with self.svc.sessions() as session:
            made = await create_invite(session, now=self.svc.clock(), role=role, unit_code=unit, display_name=role)
            await session.commit()
        assert "ลงทะเบียนเรียบร้อย" in await self.say(f"/register {made.code}")


async def latest_case(svc: Service) -> Case:
    async with svc.sessions() as session:
        return (await session.exec(select(Case).order_by(col(Case.id).desc()))).first()  # type: ignore[return-value]


async def open_patient_case(svc: Service, patient: Person, *, via_flow: bool = True) -> str:
    """The patient complains through the complaint flow (when it is there and `via_flow`); otherwise the case
    is opened as the flow would open it."""
    if via_flow and importlib.util.find_spec("handlers.complaint") is not None:
        await patient.press("complaint")
        if "consent:yes" in [p for m in await patient.fake.messages_to(patient.chat) for p in m.payloads]:
            await patient.press("consent:yes")
        await patient.say("รอรับยานานมากเกือบสามชั่วโมง เภสัชกรพูดจาไม่สุภาพ")
        await patient.press("complaint:done")
        await patient.press("complaint:dept:pharmacy")
        await patient.press("complaint:contact")
        reply = await patient.press("complaint:skipphone")
        case = await latest_case(svc)
        assert case is not None and case.number in reply
        return case.number
    from store.cases import open_case
    from store.people import get_or_create_identity, patient_for

    async with svc.sessions() as session:
        identity = await get_or_create_identity(session, channel=patient.channel, external_id=patient.user)
        person = await patient_for(session, identity=identity)
        feedback = Feedback(kind="complaint", patient_id=person.id, channel="line", text="รอรับยานานมาก",
                            topics=[{"code": "waiting", "score": 0.9, "evidence": ["รอรับยานาน"]}], complaint=True)
        session.add(feedback)
        await session.flush()
        case = await open_case(session, now=svc.clock(), source="patient", kind="complaint", channel="line",
                               feedback_id=feedback.id, patient_id=person.id, summary="รอรับยานานมาก",
                               primary_topic="waiting", unit_code="pharmacy",
                               policy=load_policy())
        await session.commit()
        return case.number


CHATS = [("line", None), ("line", "C-committee"), ("telegram", None), ("telegram", "-1001")]


@pytest.mark.slow
@pytest.mark.parametrize(("channel", "group"), CHATS,
                         ids=["line-1to1", "line-group", "telegram-1to1", "telegram-group"])
async def test_every_command_through_the_channel(service: Service, channel: str, group: str | None) -> None:
    """Each staff command, allowed for its role and refused for others, answered in the same chat."""
    uid = "U-c" if channel == "line" else "5001"
    head_uid = "U-h" if channel == "line" else "5002"
    seen: dict[str, int] = {}
    committee = Person(service, channel, uid, group, seen)
    head = Person(service, channel, head_uid, group, seen)
    patient = Person(service, "line", "U-pat", None, seen)
    await committee.register("committee")
    if group:  # case details are shown in a group only once a committee member has registered it
        assert "ลงทะเบียนกลุ่มนี้เป็นกลุ่มคณะกรรมการ" in await committee.say("/group")
    number = await open_patient_case(service, patient, via_flow=False)  # the flow itself: the lifecycle test
    unit = (await latest_case(service)).unit_code or "pharmacy"
    await head.register("unit_head", unit)
    assert "/triage" in await committee.say("/help")
    assert "/triage" not in await head.say("/help")
    assert number in await committee.say("/queue")
    assert number in await committee.say(f"/queue {unit}")
    assert "ไม่มีเรื่องที่เกินกำหนด" in await committee.say("/overdue")
    assert "“รอรับยานาน”" in await committee.say(f"/case {number}")  # tags with their evidence
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" in await head.say(f"/triage {number} C")
    assert "คัดกรองเรื่อง" in await committee.say(f"/triage {number} C {unit}")
    assert "งานชันสูตร" in await committee.say(f"/assign {number} lab")
    assert "ส่งเรื่อง" in await committee.say(f"/assign {number} {unit}")
    assert number in await head.say("/mine")
    assert "รับทราบเรื่อง" in await head.say(f"/ack {number}")
    assert "บันทึกหมายเหตุ" in await head.say(f"/note {number} โทรคุยกับผู้ป่วยแล้ว")
    assert "บันทึกผลการแก้ไข" in await head.say(f"/resolve {number} คนน้อย | เพิ่มช่อง | ทบทวนอัตรากำลัง")
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" in await head.say(f"/close {number} จบ")
    assert "ทบทวนเรื่อง" in await committee.say(f"/review {number}")
    assert "ปิดเรื่อง" in await committee.say(f"/close {number} เพิ่มช่องจ่ายยาแล้วครับ")
    assert "เปิดเรื่อง" in await committee.say(f"/reopen {number}")
    assert "รับรายงานอุบัติการณ์" in await head.say("/report ตู้เย็นเก็บยาอุณหภูมิสูงเกินช่วงเมื่อคืน")
    incident = (await latest_case(service)).number
    assert "แนบไฟล์" in await head.photo()  # a photo after /report is kept with the incident
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" in await head.say(f"/reject {incident} ซ้ำ")
    assert "รวมเรื่อง" in await committee.say(f"/duplicate {incident} {number}")
    stranger = Person(service, channel, "U-x" if channel == "line" else "5009", group, seen)
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" in await stranger.say(f"/case {number}")
    assert "ไม่พบรหัส" in await stranger.say("/register ABCDE-FGHJK")


@pytest.mark.slow
async def test_complaint_lifecycle_across_line_and_telegram(service: Service) -> None:
    """Patient complains on LINE → committee triages in a Telegram group → the unit head acknowledges and
    resolves on LINE → the committee reviews and closes → the patient is told and rates the handling."""
    seen: dict[str, int] = {}
    committee = Person(service, "telegram", "5001", "-1001", seen)
    head = Person(service, "line", "U-head", None, seen)
    patient = Person(service, "line", "U-pat", None, seen)
    await committee.register("committee")
    number = await open_patient_case(service, patient)
    await head.register("unit_head", "pharmacy")

    assert number in await committee.say("/queue")
    assert "คัดกรองเรื่อง" in await committee.say(f"/triage {number} C pharmacy")
    assert "รับเรื่องแล้ว" in await patient.news()
    ping = (await head.inbox_new())[-1]
    assert number in ping.text and f"case:ack:{number}" in ping.payloads

    assert "รับทราบเรื่อง" in await head.press(f"case:ack:{number}")
    assert "อยู่ระหว่างดำเนินการ" in await patient.news()
    assert "บันทึกผลการแก้ไข" in await head.say(f"/resolve {number} เภสัชกรไม่พอ | เพิ่มช่องจ่ายยา | ทบทวนทุกเดือน")

    assert "ทบทวนเรื่อง" in await committee.press(f"case:review:{number}")
    assert "ปิดเรื่อง" in await committee.say(f"/close {number} เพิ่มช่องจ่ายยาช่วงเช้าแล้ว ขออภัยครับ")
    told = await patient.inbox_new()
    assert any("เพิ่มช่องจ่ายยาช่วงเช้าแล้ว" in m.text for m in told)
    rate = next(p for m in told for p in m.payloads if p.startswith(f"rate:{number}:5"))
    assert "ขอบคุณ" in await patient.press(rate)
    case = await latest_case(service) if number == (await latest_case(service)).number else None
    assert case is not None and (case.status, case.handling_rating) == ("closed", 5)


async def _acknowledged_case(service: Service, channel: str) -> tuple[Person, Person, str]:
    """A patient's case triaged by the committee and acknowledged by the pharmacy's unit head (the nurse)."""
    seen: dict[str, int] = {}
    committee = Person(service, "line", "U-c", None, seen)
    nurse = Person(service, channel, "U-head" if channel == "line" else "5002", None, seen)
    patient = Person(service, "line", "U-pat", None, seen)
    await committee.register("committee")
    number = await open_patient_case(service, patient, via_flow=False)
    await nurse.register("unit_head", "pharmacy")
    assert "คัดกรองเรื่อง" in await committee.say(f"/triage {number} C pharmacy")
    assert "รับทราบเรื่อง" in await nurse.say(f"/ack {number}")
    await committee.news()
    return committee, nurse, number


@pytest.mark.parametrize("channel", ["line", "telegram"])
async def test_resolve_asked_one_part_at_a_time(service: Service, channel: str) -> None:
    """Issue 20 item 6: "|" is hard to type on a Thai phone, so the nurse presses "ส่งผลการแก้ไข" and answers
    three questions; the record is the one `/resolve N cause | action | prevention` makes."""
    committee, nurse, number = await _acknowledged_case(service, channel)
    asked = await nurse.press(f"case:resolve:{number}")
    assert "สาเหตุ" in asked and "(1/3)" in asked
    assert "(2/3)" in await nurse.say("เภสัชกรช่วงเช้ามีไม่พอค่ะ คิวเลยยาว")
    assert "(3/3)" in await nurse.say("เพิ่มเภสัชกรช่วง 8-10 โมงแล้วค่ะ")
    done = await nurse.say("ทบทวนอัตรากำลังทุกเดือน")
    assert "บันทึกผลการแก้ไขเรื่อง" in done
    assert number in await committee.news()  # the committee is asked to review, as with the one-line form
    case = await latest_case(service)
    assert (case.status, case.cause, case.action, case.prevention) == (
        "resolved", "เภสัชกรช่วงเช้ามีไม่พอค่ะ คิวเลยยาว", "เพิ่มเภสัชกรช่วง 8-10 โมงแล้วค่ะ", "ทบทวนอัตรากำลังทุกเดือน")
    async with service.sessions() as session:
        event = (await session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                            CaseEvent.action == "resolved"))).one()
    assert event.detail["form"] == "FO-QMR-23" and event.detail["cause"] == case.cause
    assert "บันทึกผลการแก้ไข" not in await nurse.say("ขอบคุณค่ะ")  # the questions are over


async def test_resolve_typed_with_the_cause_and_cancelled(service: Service) -> None:
    """`/resolve N สาเหตุ` without "|" takes the text as the cause; ยกเลิก at any question records nothing;
    the one-line form still works afterwards."""
    _, nurse, number = await _acknowledged_case(service, "line")
    assert "(2/3)" in await nurse.say(f"/resolve {number} ยาหมดสต็อกค่ะ")
    assert "ยกเลิกเรียบร้อย" in await nurse.say("ยกเลิกค่ะ")
    assert (await latest_case(service)).status == "acknowledged"
    assert "(1/3)" in await nurse.say(f"/resolve {number}")
    assert "ยกเลิกเรียบร้อย" in await nurse.press("cancel")
    await nurse.say("เพิ่มช่องจ่ายยา")  # not an answer any more
    assert (await latest_case(service)).cause is None
    assert "บันทึกผลการแก้ไข" in await nurse.say(f"/resolve {number} ยาหมด | สั่งยาเพิ่ม | ตั้งจุดสั่งซื้อ")
    case = await latest_case(service)
    assert (case.status, case.cause, case.action, case.prevention) == ("resolved", "ยาหมด", "สั่งยาเพิ่ม", "ตั้งจุดสั่งซื้อ")
    assert "จึงทำรายการนี้ไม่ได้" in await nurse.say(f"/resolve {number}")  # already resolved: said at once


async def test_resolve_in_a_telegram_group_says_to_reply(service: Service) -> None:
    """In a Telegram group the bot sees only commands and replies to its messages: each question says so."""
    seen: dict[str, int] = {}
    committee = Person(service, "line", "U-c", None, seen)
    nurse = Person(service, "telegram", "5002", "-1001", seen)
    await committee.register("committee")
    number = await open_patient_case(service, Person(service, "line", "U-pat", None, seen), via_flow=False)
    await Person(service, "telegram", "5002", None, seen).register("unit_head", "pharmacy")
    await committee.say(f"/triage {number} C pharmacy")
    await nurse.say(f"/ack {number}")
    asked = await nurse.say(f"/resolve {number}")
    assert "(1/3)" in asked and "ตอบกลับ" in asked
    assert "(2/3)" in await nurse.say("ยาหมดสต็อกค่ะ")
