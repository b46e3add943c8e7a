"""Issue 20 (review): an unsent complaint or compliment survives the idle time-out and is offered back, never
filed by itself; patients read the names they use for units (ห้องยา); clock times read "09:30 น.".
Each conversation runs through the real LINE and Telegram adapters and the fake platforms."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from store.models import Case, Conversation, Feedback
from tests.committee.test_through_fakes import Person, latest_case, no_telegram_pacing  # noqa: F401  # fixture
from tests.fakes.harness import Service
from tests.support import MovableClock

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

CHANNELS = pytest.mark.parametrize("channel", ["line", "telegram"])
THAI_TIME = re.compile(r"\d{1,2}:\d{2} น\.")


def patient(service: Service, channel: str, name: str = "a") -> Person:
    return Person(service, channel, f"U-{name}" if channel == "line" else str(7000 + ord(name[0])))


async def buttons(person: Person) -> list[str]:
    """The payloads of the buttons under the last message the patient got."""
    return (await person.fake.messages_to(person.chat))[-1].payloads


async def rows(service: Service, model: type) -> list:  # type: ignore[type-arg]
    async with service.sessions() as session:
        return list((await session.exec(select(model))).all())


async def start_complaint(person: Person, words: str) -> None:
    await person.press("complaint")
    await person.press("consent:yes")
    await person.say(words)


@CHANNELS
async def test_complaint_left_idle_is_offered_back_and_sent_only_when_the_patient_finishes(
        service: Service, clock: MovableClock, channel: str) -> None:
    """A patient types a complaint, is called in to the doctor and comes back three hours later with
    "สวัสดีค่ะ": the bot quotes what they wrote, says it is kept 7 days (until a date with "น."), and offers
    ทำต่อ / ยกเลิก. Nothing is filed until they press ส่งเรื่อง and answer the last question."""
    somchai = patient(service, channel)
    words = "ห้องน้ำชั้น 2 สกปรกมากค่ะ ไม่มีสบู่ล้างมือด้วย"
    await start_complaint(somchai, words)
    clock.advance(hours=3)
    back = await somchai.say("สวัสดีค่ะ")
    assert words in back and "ยังไม่ได้ส่ง" in back and "7 วัน" in back and THAI_TIME.search(back)
    assert "ปิดรายการ" not in back  # not the old "closed" notice
    assert {"draft:resume:complaint", "cancel"} <= set(await buttons(somchai))
    assert await rows(service, Feedback) == []

    resumed = await somchai.press("draft:resume:complaint")
    assert "ทำต่อจากที่ค้างไว้" in resumed and words in resumed
    assert "complaint:done" in await buttons(somchai)
    await somchai.say("ส่งเลยค่ะ")
    await somchai.press("complaint:dept:pharmacy")
    assert await rows(service, Feedback) == []  # still asking: anonymous or a call back?
    filed = await somchai.press("complaint:anon")
    [feedback] = await rows(service, Feedback)
    assert feedback.text == words and feedback.department_code == "pharmacy"
    assert (await latest_case(service)).number in filed


@CHANNELS
async def test_an_old_button_after_the_pause_files_nothing_and_the_draft_can_be_edited(
        service: Service, clock: MovableClock, channel: str) -> None:
    """Idle at "ติดต่อกลับไหม": pressing the old ไม่ประสงค์ออกนาม button hours later files nothing but offers the
    draft (with แก้ไขข้อความ); "แก้ไขค่ะ" goes back to writing with the text kept, the unit chosen stays, and
    the added sentence is part of what is finally sent."""
    mali = patient(service, channel, "m")
    await start_complaint(mali, "รอรับยานานเกือบสามชั่วโมงค่ะ")
    await mali.press("complaint:done")
    await mali.press("complaint:dept:pharmacy")
    clock.advance(hours=2)
    old = await mali.press("complaint:anon")
    assert await rows(service, Feedback) == []
    assert "รอรับยานานเกือบสามชั่วโมง" in old and "ยังไม่ได้ส่ง" in old
    assert "draft:edit:complaint" in await buttons(mali)
    editing = await mali.say("แก้ไขค่ะ")
    assert "รอรับยานานเกือบสามชั่วโมง" in editing and "complaint:done" in await buttons(mali)
    await mali.say("เภสัชกรพูดจาไม่ค่อยสุภาพด้วยค่ะ")
    asked = await mali.say("ส่งเลยค่ะ")
    assert "ติดต่อกลับ" in asked  # the unit she chose before the pause is kept
    await mali.press("complaint:anon")
    [feedback] = await rows(service, Feedback)
    assert feedback.text == "รอรับยานานเกือบสามชั่วโมงค่ะ\nเภสัชกรพูดจาไม่ค่อยสุภาพด้วยค่ะ"
    assert feedback.department_code == "pharmacy"


@CHANNELS
async def test_text_typed_on_coming_back_joins_the_draft_and_cancel_drops_it(
        service: Service, clock: MovableClock, channel: str) -> None:
    """Coming back with more of the story adds it to the kept complaint (and says so); "ยกเลิกค่ะ" at the offer
    drops it, and ร้องเรียน then starts afresh with nothing offered."""
    noi = patient(service, channel, "n")
    await start_complaint(noi, "แอร์ห้องรอตรวจเสียค่ะ")
    clock.advance(hours=1)
    back = await noi.say("ร้อนมากจนคุณยายเป็นลมค่ะ")
    assert "เพิ่มข้อความที่เพิ่งส่งมา" in back and "แอร์ห้องรอตรวจเสีย" in back and "คุณยายเป็นลม" in back
    async with service.sessions() as session:
        conversation = (await session.exec(select(Conversation))).one()
    assert conversation.data["paused_drafts"]["complaint"]["data"]["parts"] == [
        "แอร์ห้องรอตรวจเสียค่ะ", "ร้อนมากจนคุณยายเป็นลมค่ะ"]
    assert "ยกเลิกเรียบร้อย" in await noi.say("ยกเลิกค่ะ")
    fresh = await noi.press("complaint")
    assert "เล่ารายละเอียดได้เลย" in fresh and "ยังไม่ได้ส่ง" not in fresh
    assert await rows(service, Feedback) == []


@CHANNELS
async def test_a_kept_draft_past_seven_days_is_dropped_and_the_patient_told(
        service: Service, clock: MovableClock, channel: str) -> None:
    """Back after 8 days: the draft is gone as the offer said it would be, the patient is told, nothing filed."""
    lek = patient(service, channel, "l")
    await start_complaint(lek, "พยาบาลเวรดึกพูดจาไม่ดีค่ะ")
    clock.advance(hours=1)
    assert "7 วัน" in await lek.say("สวัสดีค่ะ")
    clock.advance(days=8)
    late = await lek.press("complaint")
    assert "เกิน 7 วัน" in late and "ลบทิ้งแล้ว" in late and "เล่ารายละเอียดได้เลย" in late
    assert await rows(service, Feedback) == []
    async with service.sessions() as session:
        conversation = (await session.exec(select(Conversation))).one()
    assert "paused_drafts" not in conversation.data


@CHANNELS
async def test_compliment_left_at_the_unit_question_is_kept_and_thanks_name_the_room_patients_know(
        service: Service, clock: MovableClock, channel: str) -> None:
    """A compliment that names no unit waits at "ถึงหน่วยงานใด": after the pause an old unit button only
    brings the offer back; "ทำต่อค่ะ" asks again, and the thanks says ห้องยา (the unit head's ping keeps
    งานเภสัชกรรม)."""
    seen: dict[str, int] = {}
    head = Person(service, "line", "U-head", None, seen)
    await head.register("unit_head", "pharmacy")
    fon = Person(service, channel, "U-fon" if channel == "line" else "7100", None, seen)
    await fon.press("compliment")
    await fon.press("consent:yes")
    await fon.say("น้องที่อธิบายวิธีกินยาใจดีมากค่ะ อธิบายช้า ๆ ชัดเจน")
    assert "compliment:skip" in await buttons(fon)
    clock.advance(hours=4)
    old = await fon.press("compliment:dept:pharmacy")
    assert "คำชมค้างไว้" in old and await rows(service, Feedback) == []
    assert "draft:resume:compliment" in await buttons(fon)
    again = await fon.say("ทำต่อค่ะ")
    assert "ถึงหน่วยงานใด" in again
    thanks = await fon.press("compliment:dept:pharmacy")
    assert "ส่งถึงห้องยาแล้ว" in thanks and "งานเภสัชกรรม" not in thanks
    assert "มีคำชมจากผู้รับบริการถึงงานเภสัชกรรม" in await head.news()
    [feedback] = await rows(service, Feedback)
    assert feedback.department_code == "pharmacy"


@CHANNELS
async def test_tracking_shows_the_room_patients_know_and_times_read_with_na(
        service: Service, channel: str) -> None:
    """ติดตามเรื่อง lists and shows a pharmacy complaint as ห้องยา with "09:00 น."; the committee's /case keeps
    งานเภสัชกรรม and its times carry "น." too."""
    seen: dict[str, int] = {}
    nurse = Person(service, "line", "U-nurse", None, seen)
    await nurse.register("committee")
    ploy = Person(service, channel, "U-ploy" if channel == "line" else "7200", None, seen)
    await start_complaint(ploy, "รอรับยานานมากค่ะ เกือบสามชั่วโมง")
    await ploy.press("complaint:done")
    await ploy.press("complaint:dept:pharmacy")
    await ploy.press("complaint:anon")
    number = (await latest_case(service)).number
    listed = await ploy.say("ติดตามเรื่องค่ะ")
    assert "ห้องยา ·" in listed and "งานเภสัชกรรม" not in listed
    detail = await ploy.press(f"track:{number}")
    assert "หน่วยงาน: ห้องยา" in detail and "งานเภสัชกรรม" not in detail
    assert re.search(r"แจ้งเมื่อ: 26 พ\.ย\. 2569 \d{2}:\d{2} น\.", detail)
    await nurse.say(f"/triage {number} C pharmacy")
    card = await nurse.say(f"/case {number}")
    assert "งานเภสัชกรรม" in card and THAI_TIME.search(card)
    assert not re.search(r"\d{2}:\d{2}(?! น\.)", card)  # no clock time without "น."
    async with service.sessions() as session:
        assert (await session.exec(select(Case))).one().unit_code == "pharmacy"


@CHANNELS
async def test_a_kept_complaint_and_a_paused_survey_both_wait_for_the_patient(
        service: Service, clock: MovableClock, channel: str) -> None:
    """A complaint left unsent, then a survey left half-way: neither throws the other away. ยกเลิก inside the
    survey ends only the survey; ร้องเรียน offers the complaint back, and it is sent as written."""
    dao = patient(service, channel, "d")
    await start_complaint(dao, "เก้าอี้หน้าห้องตรวจไม่พอค่ะ ต้องยืนรอนานมาก")
    clock.advance(hours=1)
    await dao.press("menu")
    await dao.press("survey")
    assert "ยกเลิกเรียบร้อย" in await dao.say("ยกเลิกค่ะ")
    offered = await dao.press("complaint")
    assert "เก้าอี้หน้าห้องตรวจไม่พอ" in offered and "ยังไม่ได้ส่ง" in offered
    await dao.say("ทำต่อค่ะ")
    await dao.press("complaint:done")
    await dao.press("complaint:skipdept")
    await dao.press("complaint:anon")
    [feedback] = await rows(service, Feedback)
    assert feedback.text == "เก้าอี้หน้าห้องตรวจไม่พอค่ะ ต้องยืนรอนานมาก"
