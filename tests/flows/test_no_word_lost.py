"""No word lost: polite control words act as control words, long text is kept whole, a comment typed
mid-survey is kept, a half-done survey resumes, tracking and ratings are understood as typed, and a phone
number inside a sentence is accepted. Each runs as a LINE and as a Telegram chat."""

from __future__ import annotations

import pytest
from sqlmodel import select

from handlers.dispatch import Dispatcher
from handlers.messages import Channel
from handlers.services import Services
from store.models import Case, Feedback, Patient, SurveyResponse
from tests.flows.chat import Chat
from tests.flows.test_case_updates import _case_for, _transition

CHANNELS = pytest.mark.parametrize("channel", [Channel.LINE, Channel.TELEGRAM])


async def consented(dispatcher: Dispatcher, channel: Channel, user: str = "words") -> Chat:
    chat = Chat(dispatcher, f"U-{channel}-{user}", channel)
    await chat.follow()
    await chat.press("ยินยอม")
    return chat


async def feedbacks(chat: Chat) -> list[Feedback]:
    async with chat.db() as session:
        return list((await session.exec(select(Feedback))).all())


@CHANNELS
@pytest.mark.parametrize("cancel", ["ยกเลิกค่ะ", "ไม่เอาแล้ว", "ยกเลิก ครับ", "ไม่เอาแล้วค่ะ 🙏"])
async def test_polite_cancel_ends_the_complaint_and_is_not_saved_as_text(
        dispatcher: Dispatcher, channel: Channel, cancel: str) -> None:
    """'ยกเลิกค่ะ' / 'ไม่เอาแล้ว' typed mid-complaint cancel it; nothing is filed, the menu comes back."""
    chat = await consented(dispatcher, channel)
    await chat.press("complaint")
    await chat.text("ห้องน้ำชั้น 2 สกปรกมากค่ะ")
    await chat.text(cancel)
    assert "ยกเลิกเรียบร้อย" in chat.said and "survey" in [b.payload for b in chat.buttons]
    await chat.payload("complaint:done")  # an old button from the cancelled complaint files nothing
    assert await feedbacks(chat) == []


@CHANNELS
@pytest.mark.parametrize("done", ["ส่งเลยค่ะ", "ส่งค่ะ", "เสร็จแล้วครับ", "ส่ง เลย จ้า"])
async def test_polite_send_word_submits_and_is_not_part_of_the_complaint(
        dispatcher: Dispatcher, channel: Channel, done: str) -> None:
    """'ส่งเลยค่ะ' / 'เสร็จแล้วครับ' act as ส่งเรื่อง; the complaint text stays what the patient described."""
    chat = await consented(dispatcher, channel)
    await chat.press("complaint")
    await chat.text("รอรับยานานเกือบสามชั่วโมงค่ะ")
    await chat.text(done)
    assert "complaint:skipdept" in [b.payload for b in chat.buttons]
    await chat.text("ข้ามค่ะ")
    await chat.press("ไม่ประสงค์ออกนาม")
    [feedback] = await feedbacks(chat)
    assert feedback.text == "รอรับยานานเกือบสามชั่วโมงค่ะ"


@CHANNELS
async def test_very_long_complaint_is_kept_whole_and_the_patient_is_told(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """A 9,000-character message is kept in full (it used to be cut at 8,000 without a word); the reply says so."""
    chat = await consented(dispatcher, channel)
    await chat.press("complaint")
    long_text = ("วันนี้มารอตรวจที่แผนกอายุรกรรมตั้งแต่เจ็ดโมงเช้า " * 200)[:9000]
    await chat.text(long_text)
    assert "รับไว้ครบทุกข้อความ" in chat.said
    await chat.press("ส่งเรื่อง")
    await chat.press("ข้าม")
    await chat.press("ไม่ประสงค์ออกนาม")
    [feedback] = await feedbacks(chat)
    assert feedback.text == long_text.strip()


@CHANNELS
async def test_long_free_text_offered_as_a_complaint_keeps_every_character(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """Free text over 2,000 characters, offered and sent as a complaint, arrives whole (no silent cut)."""
    chat = await consented(dispatcher, channel)
    long_text = "รอนานมาก เจ้าหน้าที่พูดจาไม่สุภาพ ไม่มีใครมาดูแลเลยค่ะ " * 60
    await chat.text(long_text)
    await chat.press("ร้องเรียนเรื่องนี้")
    await chat.press("ส่งเรื่อง")
    await chat.press("ข้าม")
    await chat.press("ไม่ประสงค์ออกนาม")
    [feedback] = await feedbacks(chat)
    assert len(long_text.strip()) > 2000 and feedback.text == long_text.strip()


async def start_survey(chat: Chat) -> None:
    await chat.press("survey")
    await chat.press("ผู้ป่วยนอก")
    await chat.text("1")
    await chat.press("วันนี้")


async def answer_all(chat: Chat) -> None:
    while any(b.payload.startswith("survey:s:") for b in chat.buttons):
        await chat.press("4")


@CHANNELS
async def test_comment_typed_at_a_survey_question_is_kept_as_the_survey_comment(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """'ห้องน้ำสกปรกมากค่ะ' typed at question 2 is kept (not 'answer 1–5'), and saved as the comment at the end."""
    chat = await consented(dispatcher, channel)
    await start_survey(chat)
    await chat.press("5")
    await chat.text("ห้องน้ำสกปรกมากค่ะ ไม่มีสบู่ด้วย")
    assert "เก็บข้อความนี้ไว้" in chat.said and "ข้อ 2/" in chat.said
    await answer_all(chat)
    assert "เก็บไว้ให้แล้ว" in chat.said
    await chat.press("ข้าม")
    async with chat.db() as session:
        response = (await session.exec(select(SurveyResponse))).one()
    assert response.comment == "ห้องน้ำสกปรกมากค่ะ ไม่มีสบู่ด้วย"


@CHANNELS
async def test_half_done_survey_resumes_after_the_idle_timeout(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """Idle after 3 answers: an old button answers question 4 (no restart), and ประเมิน resumes where it stopped."""
    chat = await consented(dispatcher, channel)
    await start_survey(chat)
    for _ in range(3):
        await chat.press("5")
    old_question_4 = chat.find("3")
    dispatcher.services.clock.advance(hours=3)  # type: ignore[attr-defined]
    await chat.payload(old_question_4.payload)
    assert "ข้อ 5/" in chat.said and "ข้อ 1/" not in chat.said
    dispatcher.services.clock.advance(hours=3)  # type: ignore[attr-defined]
    await chat.text("สวัสดีค่ะ")
    assert "พักแบบประเมินไว้ที่ข้อ 5" in chat.said
    await chat.text("ประเมินค่ะ")
    assert "ทำแบบประเมินต่อ" in chat.said and "ข้อ 5/" in chat.said
    await answer_all(chat)
    await chat.press("ข้าม")
    async with chat.db() as session:
        response = (await session.exec(select(SurveyResponse))).one()
    assert response.overall == 4 and response.process_mean is not None


@CHANNELS
async def test_asking_where_a_complaint_has_got_to_shows_tracking(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """'เรื่องที่ร้องเรียนไปถึงไหนแล้วคะ' lists the patient's cases instead of opening a new complaint."""
    chat = await consented(dispatcher, channel)
    await chat.press("complaint")
    await chat.text("รอบัตรคิวนานมากค่ะ")
    await chat.press("ส่งเรื่อง")
    await chat.press("ข้าม")
    await chat.press("ไม่ประสงค์ออกนาม")
    await chat.text("เรื่องที่ร้องเรียนไปถึงไหนแล้วคะ")
    assert "2570-0001" in chat.said and "ร้องเรียนเรื่องนี้" not in chat.said
    assert len(await feedbacks(chat)) == 1


@CHANNELS
async def test_typed_rating_after_a_case_is_closed_is_recorded(
        dispatcher: Dispatcher, services: Services, channel: Channel) -> None:
    """'ให้ 5 คะแนนค่ะ' typed after the closing message rates the patient's closed case 5/5."""
    chat = Chat(dispatcher, f"U-{channel}-rate", channel)
    number = await _case_for(chat, services)
    await _transition(services, number, "closed", "closed", approved_summary="ปรับระบบคิวแล้ว")
    await chat.text("ให้ 5 คะแนนค่ะ")
    async with chat.db() as session:
        case = (await session.exec(select(Case).where(Case.number == number))).one()
    assert case.handling_rating == 5 and number in chat.said


@CHANNELS
async def test_phone_number_inside_a_sentence_is_accepted(dispatcher: Dispatcher, channel: Channel) -> None:
    """'ติดต่อได้ที่เบอร์ 081-234-5678 ค่ะ' is a phone number: kept as 0812345678 and the complaint is filed."""
    chat = await consented(dispatcher, channel)
    await chat.press("complaint")
    await chat.text("เจ้าหน้าที่การเงินพูดไม่สุภาพค่ะ")
    await chat.press("ส่งเรื่อง")
    await chat.press("ข้าม")
    await chat.press("ให้ติดต่อกลับได้")
    await chat.text("ติดต่อได้ที่เบอร์ 081-234-5678 ค่ะ")
    assert "เลขที่เรื่อง" in chat.said
    async with chat.db() as session:
        patient = (await session.exec(select(Patient))).one()
    assert patient.phone == "0812345678"
