"""Issue 20 (no word lost): text the bot says it kept is kept past the idle time-out. A message offered as a
complaint ("ร้องเรียนเรื่องนี้"), the emergency reply's "บันทึกข้อความของท่านไว้แล้ว" and the consent
withdrawal's "ยังไม่ได้ส่ง" hold the patient's words; after 30 quiet minutes they come back as a kept draft
(handlers.drafts), offered with ทำต่อ / ยกเลิก, and nothing is filed until the patient finishes.
Each conversation runs through the real LINE and Telegram adapters and the fake platforms."""

from __future__ import annotations

import pytest

from store.models import Feedback, MediaFile
from tests.committee.test_through_fakes import Person, no_telegram_pacing  # noqa: F401  # fixture
from tests.fakes.harness import Service
from tests.flows.test_kept_drafts import buttons, patient, rows
from tests.support import MovableClock

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

CHANNELS = pytest.mark.parametrize("channel", ["line", "telegram"])


async def consented(person: Person) -> None:
    """The patient answered the notice once (ร้องเรียน, ยินยอม, then ยกเลิก with nothing typed)."""
    await person.press("complaint")
    await person.press("consent:yes")
    await person.say("ยกเลิกค่ะ")


@CHANNELS
async def test_text_offered_as_a_complaint_survives_the_idle_time_out(
        service: Service, clock: MovableClock, channel: str) -> None:
    """A daughter types what happened, gets "ร้องเรียนเรื่องนี้?" and is called to the counter. Back an hour
    later with "สวัสดีค่ะ" the bot quotes her words as an unsent complaint kept 7 days (not "closed"); "ทำต่อค่ะ"
    carries them into the complaint and they are filed only when she finishes."""
    som = patient(service, channel, "s")
    await consented(som)
    words = "รอคิวเจาะเลือดนานมากค่ะ เจ้าหน้าที่พูดจาไม่สุภาพกับแม่ด้วย"
    offered = await som.say(words)
    assert "ต้องการส่งข้อความนี้เป็นเรื่องร้องเรียน" in offered
    clock.advance(minutes=45)
    back = await som.say("สวัสดีค่ะ")
    assert f"“{words}”" in back and "ยังไม่ได้ส่ง" in back and "7 วัน" in back
    assert "ปิดรายการ" not in back
    assert {"draft:resume:complaint", "cancel"} <= set(await buttons(som))
    assert await rows(service, Feedback) == []
    resumed = await som.say("ทำต่อค่ะ")
    assert words in resumed and "complaint:done" in await buttons(som)
    await som.say("ส่งเลยค่ะ")
    await som.press("complaint:skipdept")
    await som.press("complaint:anon")
    [feedback] = await rows(service, Feedback)
    assert feedback.text == words


@CHANNELS
async def test_the_emergency_reply_keeps_the_text_it_says_it_kept(
        service: Service, clock: MovableClock, channel: str) -> None:
    """"ช่วยด้วยค่ะ แม่หายใจไม่ออก" gets 1669 first and "บันทึกข้อความของท่านไว้แล้ว". The son calls 1669 and writes
    again two hours later: the text is offered back. A second emergency message joins the first, and pressing
    เมนู afterwards (instead of ร้องเรียนเรื่องนี้) keeps both for ร้องเรียน/เสนอแนะ."""
    dan = patient(service, channel, "d")
    await consented(dan)
    first = await dan.say("ช่วยด้วยค่ะ แม่หายใจไม่ออก")
    assert "1669" in first and "บันทึกข้อความของท่านไว้แล้ว" in first
    clock.advance(hours=2)
    back = await dan.say("สวัสดีครับ")
    assert "“ช่วยด้วยค่ะ แม่หายใจไม่ออก”" in back and "ยังไม่ได้ส่ง" in back
    assert "draft:resume:complaint" in await buttons(dan)
    assert "ยกเลิกเรียบร้อย" in await dan.say("ยกเลิกครับ")  # dropped on purpose: said so

    await dan.say("พ่อเจ็บหน้าอกมาก")
    again = await dan.say("ตอนนี้พ่อหมดสติไปแล้วครับ")
    assert "1669" in again and "บันทึกข้อความของท่านไว้แล้ว" in again
    await dan.press("menu")
    offered = await dan.press("complaint")
    assert "พ่อเจ็บหน้าอกมาก\nตอนนี้พ่อหมดสติไปแล้วครับ" in offered and "ยังไม่ได้ส่ง" in offered
    await dan.press("draft:resume:complaint")
    await dan.press("complaint:done")
    await dan.press("complaint:skipdept")
    await dan.press("complaint:anon")
    [feedback] = await rows(service, Feedback)
    assert feedback.text == "พ่อเจ็บหน้าอกมาก\nตอนนี้พ่อหมดสติไปแล้วครับ"


@CHANNELS
async def test_a_draft_kept_on_withdrawal_survives_the_idle_time_out_with_its_photo(
        service: Service, clock: MovableClock, channel: str) -> None:
    """Mid-complaint with a photo, "ถอนความยินยอมค่ะ" and the confirmation: the draft is kept, not filed.
    She leaves it for three hours; back with "สวัสดีค่ะ" it is offered again, and ทำต่อ files it anonymously
    with the photo."""
    ann = patient(service, channel, "w")
    await ann.press("complaint")
    await ann.press("consent:yes")
    await ann.say("ห้องน้ำชั้น 3 น้ำท่วมพื้น ลื่นมากค่ะ")
    await ann.photo()
    assert "ยืนยันการถอนความยินยอม" in await ann.say("ถอนความยินยอมค่ะ")
    kept = await ann.press("privacy:withdraw:yes")
    assert "ถอนความยินยอมเรียบร้อย" in kept and "ยังไม่ได้ส่ง" in kept and "“ห้องน้ำชั้น 3" in kept
    assert "draft:resume:complaint" in await buttons(ann)
    clock.advance(hours=3)
    back = await ann.say("สวัสดีค่ะ")
    assert "ห้องน้ำชั้น 3 น้ำท่วมพื้น" in back and "ยังไม่ได้ส่ง" in back and "ปิดรายการ" not in back
    await ann.say("ทำต่อค่ะ")
    await ann.press("complaint:done")
    await ann.press("complaint:skipdept")
    await ann.press("complaint:anon")
    [feedback] = await rows(service, Feedback)
    [photo] = await rows(service, MediaFile)
    assert feedback.text == "ห้องน้ำชั้น 3 น้ำท่วมพื้น ลื่นมากค่ะ" and photo.feedback_id == feedback.id
    assert feedback.patient_id is None


@CHANNELS
async def test_a_newcomer_offer_kept_past_the_time_out_asks_the_notice_before_going_on(
        service: Service, clock: MovableClock, channel: str) -> None:
    """A first message that reads as a complaint, left unanswered: on return the text is offered back, and
    ทำต่อ shows the PDPA notice first (never answered); ยินยอม carries the text into the complaint."""
    new = patient(service, channel, "n")
    words = "จอดรถหน้าตึกผู้ป่วยนอกไม่ได้เลยค่ะ รปภ.ไล่ตลอด พูดจาไม่ดีด้วย"
    assert "ต้องการส่งข้อความนี้เป็นเรื่องร้องเรียน" in await new.say(words)
    clock.advance(hours=1)
    assert words in await new.say("สวัสดีค่ะ")
    notice = await new.press("draft:resume:complaint")
    assert "ข้อมูลส่วนบุคคล" in notice and {"consent:yes", "consent:no"} <= set(await buttons(new))
    carried = await new.press("consent:yes")
    assert words in carried and "complaint:done" in await buttons(new)
    assert await rows(service, Feedback) == []
