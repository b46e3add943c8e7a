"""Close the loop both ways (issue 19): a patient's complaint is closed only when the patient confirms the fix or
stays silent for the policy's time (7 days), "not fixed" reopens it once and pings the committee and the unit
head; the staff member who reported an incident by chat hears what the review found and what was changed.
Conversations through the LINE and Telegram fakes, on SQLite and PostgreSQL, on the movable clock."""

from __future__ import annotations

import re

import pytest
from sqlmodel import col, select

from bot.reminders import SWEEPER
from store.indicator import complaint_figures, parse_period
from store.models import AuditLog, Case, CaseEvent
from tests.committee.test_through_fakes import Person, no_telegram_pacing, open_patient_case  # noqa: F401
from tests.fakes.harness import Service
from tests.support import MovableClock

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

FIXED_BUTTON, NOT_FIXED_BUTTON = "แก้ไขแล้ว ขอบคุณ", "ยังไม่ได้แก้ไข"
NUMBER = re.compile(r"\d{4}-\d{4}")


async def case_row(service: Service, number: str) -> Case:
    async with service.sessions() as session:
        return (await session.exec(select(Case).where(Case.number == number))).one()


async def timeline(service: Service, number: str) -> list[tuple[str, str, str | None]]:
    """(action, actor kind, status after) of every timeline entry, oldest first."""
    case = await case_row(service, number)
    async with service.sessions() as session:
        events = (await session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                     .order_by(col(CaseEvent.at), col(CaseEvent.id)))).all()
    return [(e.action, e.actor_kind, e.to_status) for e in events]


async def figures(service: Service) -> dict[str, object]:
    async with service.sessions() as session:
        return await complaint_figures(session, period=parse_period("FY2570", today=service.clock().date()),
                                       now=service.clock())


async def sweep(service: Service) -> None:
    """The app's own sweeper, once, at the moved clock; then everything it queued is delivered."""
    await service.app[SWEEPER].run_once()
    await service.settle()


class Desk:
    """A committee nurse in her own Telegram chat, the pharmacy's head on LINE, and one patient."""

    def __init__(self, service: Service, patient_channel: str = "line") -> None:
        self.service = service
        self.seen: dict[str, int] = {}
        self.nurse = Person(service, "telegram", "5001", None, self.seen)
        self.head = Person(service, "line", "U-head", None, self.seen)
        self.patient = Person(service, patient_channel, "U-pat" if patient_channel == "line" else "7001", None,
                              self.seen)

    async def enrol(self) -> None:
        await self.nurse.register("committee")
        await self.head.register("unit_head", "pharmacy")

    async def fixed_on_paper(self, number: str, *, triage: bool = True) -> None:
        """Triaged, acknowledged, resolved and reviewed: ready for /close."""
        if triage:
            await self.nurse.say(f"/triage {number} C pharmacy")
            await self.head.say(f"/ack {number}")
        await self.head.say(f"/resolve {number} เภสัชกรไม่พอช่วงเช้า | เพิ่มช่องจ่ายยา | ทบทวนอัตรากำลังทุกเดือน")
        await self.nurse.say(f"/review {number}")
        await self.patient.news()
        await self.head.news()


@pytest.mark.parametrize("patient_channel", ["line", "telegram"])
async def test_the_patient_confirms_the_fix_and_only_then_it_is_closed(any_service: Service,
                                                                       patient_channel: str) -> None:
    """/close sends the fix summary with แก้ไขแล้ว ขอบคุณ / ยังไม่ได้แก้ไข; the case waits for the patient
    (the complaint figures count it apart, not as closed); the patient confirms, the case closes and the
    rating is asked."""
    desk = Desk(any_service, patient_channel)
    await desk.enrol()
    number = await open_patient_case(any_service, desk.patient)
    await desk.fixed_on_paper(number)

    answer = await desk.nurse.say(f"/close {number} เพิ่มช่องจ่ายยาช่วงเช้าแล้ว ขออภัยในความไม่สะดวกค่ะ")
    assert "ให้ผู้ร้องเรียนยืนยันแล้ว" in answer and "3 ธ.ค. 2569" in answer  # closes itself 7 days on
    asked = (await desk.patient.inbox_new())[-1]
    assert "เพิ่มช่องจ่ายยาช่วงเช้าแล้ว" in asked.text and "ปัญหาที่ท่านแจ้งแก้ไขแล้วหรือยัง" in asked.text
    assert asked.labels == [FIXED_BUTTON, NOT_FIXED_BUTTON]
    assert all(len(p.encode()) <= 64 for p in asked.payloads)  # Telegram's callback data limit (LINE: 300)
    assert "ครับ" not in asked.text  # the hospital's voice (ค่ะ), not the nurse's
    assert (await case_row(any_service, number)).status == "awaiting_patient"
    assert "รอผู้ร้องเรียนยืนยัน" in await desk.nurse.say("/queue")
    before = await figures(any_service)
    assert (before["closed"], before["awaiting_patient"], before["open"]) == (0, 1, 0)

    thanks = await desk.patient.press(asked.payloads[0])
    assert "ขอบคุณที่ยืนยัน" in thanks and "พึงพอใจ" in thanks
    case = await case_row(any_service, number)
    assert (case.status, case.closed_at, case.confirm_due_at) == ("closed", any_service.clock(), None)
    assert [a for a, _, _ in await timeline(any_service, number)][-2:] == ["confirm_asked", "patient_confirmed"]
    assert (await timeline(any_service, number))[-1] == ("patient_confirmed", "patient", "closed")
    after = await figures(any_service)
    assert (after["closed"], after["awaiting_patient"]) == (1, 0)
    rate = next(p for m in await desk.patient.fake.messages_to(desk.patient.chat) for p in m.payloads
                if p == f"rate:{number}:5")
    assert "ขอบคุณสำหรับคะแนน" in await desk.patient.press(rate)
    assert "ปิดเรียบร้อยแล้ว" in await desk.patient.press(asked.payloads[0])  # an old button: nothing changes
    assert (await case_row(any_service, number)).handling_rating == 5


async def test_silence_for_the_policy_time_closes_it_with_a_timeline_entry(any_service: Service,
                                                                          clock: MovableClock) -> None:
    """Nobody answers: at 6 days the case still waits; past the policy's 7 days the app's sweeper closes it
    (an auto_closed entry by the system, an audit row) and tells the patient, with the rating and the one
    "not fixed" still open to them."""
    desk = Desk(any_service)
    await desk.enrol()
    number = await open_patient_case(any_service, desk.patient)
    await desk.fixed_on_paper(number)
    await desk.nurse.say(f"/close {number} เพิ่มช่องจ่ายยาแล้วค่ะ")
    await desk.patient.news()

    clock.advance(days=6, hours=23)
    await sweep(any_service)
    assert (await case_row(any_service, number)).status == "awaiting_patient"
    assert await desk.patient.news() == ""

    clock.advance(hours=1, minutes=1)
    await sweep(any_service)
    case = await case_row(any_service, number)
    assert (case.status, case.closed_at) == ("closed", clock.now)
    assert (await timeline(any_service, number))[-1] == ("auto_closed", "system", "closed")
    async with any_service.sessions() as session:
        audit = (await session.exec(select(AuditLog).where(AuditLog.action == "case.auto_closed"))).one()
    assert audit.target == f"case:{number}" and audit.actor == "system:sweeper"
    told = (await desk.patient.inbox_new())[-1]
    assert "ไม่ได้รับคำตอบภายในเวลาที่กำหนด" in told.text and "พึงพอใจ" in told.text
    assert told.labels[-1] == NOT_FIXED_BUTTON and f"rate:{number}:4" in told.payloads
    await sweep(any_service)  # a second pass finds nothing more to do
    assert await desk.patient.news() == ""
    assert (await figures(any_service))["closed"] == 1


@pytest.mark.parametrize("patient_channel", ["line", "telegram"])
@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_not_fixed_reopens_once_and_pings_the_second_time_does_not(any_service: Service, clock: MovableClock,
                                                                        patient_channel: str) -> None:
    """ยังไม่ได้แก้ไข: reopened with fresh deadlines, the nurse and the pharmacy head pinged. Fixed again
    and closed again, the patient is asked again; a second "not fixed" no longer reopens: the committee is told,
    the patient is offered a new complaint or a talk with the committee, and the case closes at its time."""
    desk = Desk(any_service, patient_channel)
    await desk.enrol()
    number = await open_patient_case(any_service, desk.patient)
    await desk.fixed_on_paper(number)
    await desk.nurse.say(f"/close {number} เพิ่มช่องจ่ายยาแล้วค่ะ")
    await desk.nurse.news()
    asked = (await desk.patient.inbox_new())[-1]

    reopened = await desk.patient.press(asked.payloads[1])
    assert "เปิดพิจารณาอีกครั้งแล้ว" in reopened
    case = await case_row(any_service, number)
    assert case.status == "triaged" and case.resolve_due_at is not None and case.closed_at is None
    assert (await timeline(any_service, number))[-1] == ("reopened", "patient", "triaged")
    for staff in (desk.nurse, desk.head):
        assert f"ผู้ร้องเรียนแจ้งว่าเรื่อง {number} ยังไม่ได้แก้ไข" in await staff.news()
    assert "เปิดพิจารณาอีกครั้งแล้ว" not in await desk.patient.press(asked.payloads[1])  # the same old button
    assert (await case_row(any_service, number)).status == "triaged"

    await desk.head.say(f"/ack {number}")
    await desk.fixed_on_paper(number, triage=False)
    await desk.nurse.say(f"/close {number} หัวหน้าเภสัชจัดเภสัชกรเพิ่มช่วงเช้าทุกวันแล้วค่ะ")
    again = (await desk.patient.inbox_new())[-1]
    assert "หัวหน้าเภสัชจัดเภสัชกรเพิ่ม" in again.text and again.labels == [FIXED_BUTTON, NOT_FIXED_BUTTON]
    await desk.nurse.news()
    await desk.head.news()

    refused = await desk.patient.press(again.payloads[1])
    assert "จึงเปิดอีกไม่ได้" in refused
    offer = (await desk.patient.fake.messages_to(desk.patient.chat))[-1]
    assert "complaint" in offer.payloads and f"fix:{number}:talk" in offer.payloads
    assert (await case_row(any_service, number)).status == "awaiting_patient"
    assert (await timeline(any_service, number))[-1] == ("patient_not_fixed", "patient", "awaiting_patient")
    for staff in (desk.nurse, desk.head):
        assert f"แจ้งซ้ำว่าเรื่อง {number}" in await staff.news()

    talk = await desk.patient.press(f"fix:{number}:talk")  # agreed to a call back but left no phone
    assert "ไม่มีเบอร์ติดต่อกลับ" in talk
    assert f"ผู้ร้องเรียนเรื่อง {number} ขอคุยกับคณะกรรมการ" in await desk.nurse.news()
    reopens = [a for a, who, _ in await timeline(any_service, number) if a == "reopened" and who == "patient"]
    assert reopens == ["reopened"]

    clock.advance(days=7, hours=1)  # the case closes at its time; the patient is not told to press a spent button
    await sweep(any_service)
    assert (await case_row(any_service, number)).status == "closed"
    closed = (await desk.patient.inbox_new())[-1]
    assert f"เรื่องเลขที่ {number} ปิดแล้ว" in closed.text and NOT_FIXED_BUTTON not in closed.text
    assert NOT_FIXED_BUTTON not in closed.labels and f"fix:{number}:no" not in closed.payloads


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_anonymous_complaint_without_a_channel_closes_directly(any_service: Service) -> None:
    """An anonymous complaint is asked like any other while its chat follows the bot (the chat is the patient's
    alone); one whose patient has blocked the bot cannot be asked, so /close closes it at once."""
    desk = Desk(any_service)
    await desk.enrol()
    numbers = []
    for user in ("U-anon1", "U-anon2"):
        patient = Person(any_service, "line", user, None, desk.seen)
        await patient.press("complaint")
        await patient.press("consent:no")
        await patient.say("ห้องน้ำชั้น 2 สกปรกมาก ไม่มีสบู่ล้างมือเลยค่ะ")
        await patient.press("complaint:done")
        await patient.press("complaint:dept:pharmacy")
        received = await patient.press("complaint:anon")
        numbers.append(NUMBER.findall(received)[0])
    await any_service.line_unfollow("U-anon2")  # blocked the account: nobody can be asked any more
    await any_service.settle()

    for number in numbers:
        await desk.fixed_on_paper(number)
    assert "ให้ผู้ร้องเรียนยืนยันแล้ว" in await desk.nurse.say(f"/close {numbers[0]} ทำความสะอาดและเติมสบู่แล้วค่ะ")
    closed = await desk.nurse.say(f"/close {numbers[1]} ทำความสะอาดและเติมสบู่แล้วค่ะ")
    assert f"ปิดเรื่อง {numbers[1]} แล้ว" in closed
    assert (await case_row(any_service, numbers[0])).status == "awaiting_patient"
    case = await case_row(any_service, numbers[1])
    assert (case.status, case.confirm_due_at) == ("closed", None)
    assert (await timeline(any_service, numbers[1]))[-1] == ("closed", "staff", "closed")
    assert await Person(any_service, "line", "U-anon2", None, desk.seen).news() == ""


async def test_the_staff_reporter_hears_the_review_outcome(any_service: Service) -> None:
    """A ward nurse reports an incident by /report on Telegram; the pharmacy head resolves it and the committee
    reviews it: the nurse hears it was reviewed, with the cause, the fix and the prevention — once (closing it
    afterwards does not tell her again)."""
    desk = Desk(any_service)
    await desk.enrol()
    reporter = Person(any_service, "telegram", "6001", None, desk.seen)
    await reporter.register("staff", "pharmacy")
    filed = await reporter.say("/report จ่ายยาผิดขนาด ผู้ป่วยเตียง 12 ได้ยา warfarin 5 mg แทน 3 mg พบก่อนให้ยา")
    number = NUMBER.findall(filed)[0]
    await reporter.say("เสร็จแล้ว")
    await desk.nurse.say(f"/triage {number} C pharmacy")
    await desk.head.say(f"/ack {number}")
    await desk.head.say(f"/resolve {number} ฉลากยาคล้ายกัน | แยกชั้นวางยา warfarin | ติดป้ายเตือนยาความเสี่ยงสูง")
    await reporter.news()

    assert "ทบทวนเรื่อง" in await desk.nurse.say(f"/review {number}")
    told = (await reporter.inbox_new())[-1]
    assert f"อุบัติการณ์เลขที่ {number} ที่ท่านรายงาน คณะกรรมการทบทวนแล้ว" in told.text
    assert "ฉลากยาคล้ายกัน" in told.text and "แยกชั้นวางยา warfarin" in told.text
    assert "ติดป้ายเตือนยาความเสี่ยงสูง" in told.text and f"case:view:{number}" in told.payloads
    assert "ปิดเรื่อง" in await desk.nurse.say(f"/close {number}")  # a staff report: closed at once
    assert await reporter.news() == ""
    assert (await case_row(any_service, number)).status == "closed"
    assert "ลำดับเหตุการณ์" in await reporter.press(f"case:view:{number}")  # the reporter may read the outcome


async def test_a_reporter_whose_case_needs_no_review_hears_it_at_closing(any_service: Service) -> None:
    """Grade A needs no review: the reporter hears the outcome when the committee closes it."""
    desk = Desk(any_service)
    await desk.enrol()
    reporter = Person(any_service, "line", "U-reporter", None, desk.seen)
    await reporter.register("staff", "pharmacy")
    filed = await reporter.say("/report ตู้เย็นเก็บยาอุณหภูมิ 10 องศา เกินช่วงเมื่อคืน ยังไม่ได้ใช้ยาในตู้")
    number = NUMBER.findall(filed)[0]
    await reporter.say("เสร็จแล้ว")
    await desk.nurse.say(f"/triage {number} A pharmacy")
    await desk.head.say(f"/ack {number}")
    await desk.head.say(f"/resolve {number} ปลั๊กหลวม | เปลี่ยนปลั๊กและย้ายยา | ติดเครื่องวัดอุณหภูมิที่เตือนได้")
    assert "ที่ท่านรายงาน" not in await reporter.news()  # resolved is not reviewed: nothing yet
    await desk.nurse.say(f"/close {number}")
    told = (await reporter.inbox_new())[-1]
    assert "แก้ไขและปิดเรื่องแล้ว" in told.text and "ติดเครื่องวัดอุณหภูมิที่เตือนได้" in told.text
    assert (await case_row(any_service, number)).status == "closed"


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_typed_answers_count_as_the_buttons(service: Service) -> None:
    """Patients type rather than press: "แก้ไขแล้วครับ ขอบคุณมาก" on Telegram confirms; "ยังไม่ได้แก้เลยค่ะ" on
    LINE reopens; a long story is not taken for an answer (it goes on to the usual complaint offer)."""
    seen: dict[str, int] = {}
    desk = Desk(service)
    await desk.enrol()
    line_patient = desk.patient
    telegram_patient = Person(service, "telegram", "7002", None, seen)
    numbers = {}
    for patient in (line_patient, telegram_patient):
        desk.patient = patient
        number = await open_patient_case(service, patient)
        await desk.fixed_on_paper(number)
        await desk.nurse.say(f"/close {number} เพิ่มช่องจ่ายยาแล้วค่ะ")
        await patient.news()
        numbers[patient.channel] = number

    long_story = await line_patient.say("วันนี้ไปรับยาอีกรอบ รอนานเหมือนเดิมเลยค่ะ แถมเภสัชกรยังพูดไม่ดีอีก ไม่ไหวจริงๆ")
    assert "เปิดพิจารณาอีกครั้ง" not in long_story
    assert (await case_row(service, numbers["line"])).status == "awaiting_patient"
    assert "เปิดพิจารณาอีกครั้งแล้ว" in await line_patient.say("ยังไม่ได้แก้เลยค่ะ")
    assert (await case_row(service, numbers["line"])).status == "triaged"
    assert "ขอบคุณที่ยืนยัน" in await telegram_patient.say("แก้ไขแล้วครับ ขอบคุณมาก")
    assert (await case_row(service, numbers["telegram"])).status == "closed"
