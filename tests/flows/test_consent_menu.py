"""Welcome, PDPA consent (given, declined, withdrawn — all recorded) and free text outside a flow."""

from __future__ import annotations

from sqlmodel import select

from store.models import ConsentRecord, Conversation, Patient
from tests.flows.chat import Chat


async def _patient(chat: Chat) -> Patient:
    async with chat.db() as session:
        return (await session.exec(select(Patient))).one()


async def _records(chat: Chat) -> list[tuple[str, bool]]:
    async with chat.db() as session:
        rows = (await session.exec(select(ConsentRecord).order_by(ConsentRecord.id))).all()  # type: ignore[arg-type]
        return [(r.purpose, r.granted) for r in rows]


async def test_follow_greets_and_asks_consent_which_is_recorded(chat: Chat) -> None:
    """Follow → greeting and PDPA notice; ยินยอม is a ConsentRecord with the notice version and Patient.consent."""
    await chat.follow()
    assert chat.texts[0].startswith("สวัสดีค่ะ")
    assert "ข้อมูลสุขภาพ" in chat.texts[-1]
    assert [b.payload for b in chat.buttons] == ["consent:yes", "consent:no"]
    await chat.press("ยินยอม")
    assert "ขอบคุณที่ให้ความยินยอม" in chat.texts[0]
    assert "privacy" in [b.payload for b in chat.buttons]  # ข้อมูลส่วนบุคคล shows once answered
    patient = await _patient(chat)
    assert patient.consent == "given" and patient.consent_at is not None
    async with chat.db() as session:
        record = (await session.exec(select(ConsentRecord))).one()
    assert (record.purpose, record.granted, record.channel) == ("health_data", True, "line")
    assert record.notice_version


async def test_declined_consent_is_recorded_and_nothing_is_refused(chat: Chat) -> None:
    """ไม่ยินยอม is recorded; the patient is told the survey is anonymous and the menu still works."""
    await chat.follow()
    await chat.press("ไม่ยินยอม")
    assert "ไม่ระบุตัวตน" in chat.said
    assert [b.payload for b in chat.buttons][:4] == ["survey", "complaint", "compliment", "track"]
    assert (await _patient(chat)).consent == "declined"
    assert await _records(chat) == [("health_data", False)]


async def test_consent_withdrawn_by_typing_and_by_button(chat: Chat) -> None:
    """ถอนความยินยอม (typed, even mid-flow) and the ข้อมูลส่วนบุคคล button both record a withdrawal."""
    await chat.follow()
    await chat.press("ยินยอม")
    await chat.press("survey")
    await chat.text("ถอนความยินยอม")  # mid-survey: asked to confirm, then withdrawn and the survey goes on
    await chat.press("ยืนยันถอนความยินยอม")
    assert "ถอนความยินยอมเรียบร้อย" in chat.texts[0]
    assert any(b.payload.startswith("survey:type") for b in chat.buttons)
    assert (await _patient(chat)).consent == "withdrawn"
    await chat.text("ยกเลิก")
    await chat.press("privacy")
    await chat.press("ให้ความยินยอม")
    await chat.press("ยินยอม")  # the notice is shown again before consenting
    assert (await _patient(chat)).consent == "given"
    await chat.press("privacy")
    assert "ให้ความยินยอมไว้ตั้งแต่" in chat.said
    await chat.press("ถอนความยินยอม")
    await chat.press("ยืนยันถอนความยินยอม")
    assert (await _patient(chat)).consent == "withdrawn"
    assert await _records(chat) == [("health_data", True), ("health_data", False), ("health_data", True),
                                    ("health_data", False)]
    await chat.text("ถอนความยินยอม")
    assert "ไม่มีอะไรต้องถอน" in chat.said


async def test_text_right_after_follow_is_answered_not_blocked(chat: Chat) -> None:
    """Typing instead of answering the consent buttons gets a normal answer; consent is asked again later."""
    await chat.follow()
    await chat.text("สวัสดีค่ะ")
    assert chat.texts[0].startswith("สวัสดีค่ะ")
    assert [b.payload for b in chat.buttons] == ["survey", "complaint", "compliment", "track"]
    await chat.press("survey")
    assert [b.payload for b in chat.buttons] == ["consent:yes", "consent:no"]
    await chat.text("อะไรนะ")
    assert "กรุณากดปุ่ม" in chat.texts[0]
    await chat.press("ยินยอม")
    assert any(b.payload.startswith("survey:type") for b in chat.buttons)  # the chosen flow goes on


async def test_free_complaint_text_is_offered_as_a_complaint(chat: Chat) -> None:
    """Free text the NLP reads as a complaint is offered as one; accepting keeps the text."""
    await chat.follow()
    await chat.press("ยินยอม")
    await chat.text("รอนานมาก พยาบาลพูดจาไม่ดีเลย")
    assert "ต้องการส่งข้อความนี้เป็นเรื่องร้องเรียน" in chat.texts[0]
    await chat.press("ร้องเรียนเรื่องนี้")
    assert "รอนานมาก พยาบาลพูดจาไม่ดีเลย" in chat.texts[0]
    assert "complaint:done" in [b.payload for b in chat.buttons]


async def test_free_praise_is_offered_as_a_compliment(chat: Chat) -> None:
    """Praise typed outside a flow is offered as a compliment; ไม่เป็นไร goes back to the menu."""
    await chat.follow()
    await chat.press("ยินยอม")
    await chat.text("ขอบคุณคุณหมอใจดีมากครับ ดูแลดีมาก")
    assert "คำชม" in chat.texts[0]
    assert "compliment:offer" in [b.payload for b in chat.buttons]
    await chat.press("ไม่เป็นไร")
    assert "survey" in [b.payload for b in chat.buttons]


async def test_menu_words_and_stickers_outside_a_flow(chat: Chat) -> None:
    """Typing a menu word starts that flow; a sticker gets a smile and the menu; unclear text gets the menu."""
    await chat.follow()
    await chat.press("ไม่ยินยอม")
    await chat.text("ชมเชย")
    assert "ความประทับใจ" in chat.texts[0]
    await chat.text("ยกเลิก")
    await chat.sticker()
    assert "สติกเกอร์" in chat.texts[0] and chat.buttons
    await chat.text("ขอถามเรื่องวันหยุดยาวหน่อยครับ")
    assert chat.buttons[0].payload == "survey"
    async with chat.db() as session:
        assert (await session.exec(select(Conversation))).one().state in (None, "menu.offer")


async def test_a_newcomers_first_message_can_be_a_complaint(chat: Chat) -> None:
    """A first message that is a complaint is offered as one (with consent asked before the flow goes on)."""
    await chat.text("ห้องน้ำสกปรก")
    assert "ต้องการส่งข้อความนี้เป็นเรื่องร้องเรียน" in chat.texts[0]
    await chat.press("ร้องเรียนเรื่องนี้")
    assert [b.payload for b in chat.buttons] == ["consent:yes", "consent:no"]
    await chat.press("ไม่ยินยอม")
    assert "ห้องน้ำสกปรก" in chat.said and "complaint:done" in [b.payload for b in chat.buttons]
