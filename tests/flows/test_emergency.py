"""Emergencies first: a message that reads as an emergency, at any step of any flow, gets 1669 and the
hospital's ER number before anything else; then the step carries on and the text is kept."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from handlers.catalogue import Catalogue
from handlers.dispatch import Dispatcher
from handlers.emergency import detect, load_signs
from handlers.messages import Channel
from store.models import Feedback
from tests.fakes.harness import Service
from tests.flows.chat import Chat
from tests.flows.test_channels import Patient

CHANNELS = pytest.mark.parametrize("channel", [Channel.LINE, Channel.TELEGRAM])


def with_er_phone(dispatcher: Dispatcher, phone: str = "0-2123-4567") -> None:
    hospital = dispatcher.services.hospital
    catalogue = Catalogue({**hospital.catalogue.messages, "emergency.er_phone": phone})
    dispatcher.services.hospital = replace(hospital, catalogue=catalogue)


async def consented(dispatcher: Dispatcher, channel: Channel) -> Chat:
    chat = Chat(dispatcher, f"U-{channel}-sos", channel)
    await chat.follow()
    await chat.press("ยินยอม")
    return chat


@CHANNELS
async def test_relative_typing_an_emergency_gets_1669_first_not_a_complaint_offer(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """'ช่วยด้วย แม่หายใจไม่ออก หมดสติ' outside a flow: 1669 and the ER number first, no complaint offer, text kept."""
    with_er_phone(dispatcher)
    chat = await consented(dispatcher, channel)
    await chat.text("ช่วยด้วย แม่หายใจไม่ออก หมดสติ")
    assert "1669" in chat.texts[0] and "0-2123-4567" in chat.texts[0]
    assert "ต้องการส่งข้อความนี้เป็นเรื่องร้องเรียน" not in chat.said
    await chat.press("ร้องเรียนเรื่องนี้")
    assert "ช่วยด้วย แม่หายใจไม่ออก หมดสติ" in chat.said  # the text carried into the complaint


@CHANNELS
async def test_chest_pain_typed_while_writing_a_complaint_is_answered_and_kept(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """'เจ็บหน้าอกมากค่ะ' mid-complaint: the emergency reply comes first, then it is kept as complaint text."""
    chat = await consented(dispatcher, channel)
    await chat.press("complaint")
    await chat.text("รอตรวจนานมากค่ะ")
    await chat.text("เจ็บหน้าอกมากค่ะ")
    assert "1669" in chat.texts[0] and "รับไว้แล้ว" in chat.texts[-1]
    await chat.press("ส่งเรื่อง")
    await chat.press("ข้าม")
    await chat.press("ไม่ประสงค์ออกนาม")
    async with chat.db() as session:
        feedback = (await session.exec(select(Feedback))).one()
    assert feedback.text == "รอตรวจนานมากค่ะ\nเจ็บหน้าอกมากค่ะ"


@CHANNELS
async def test_self_harm_mid_survey_gets_1669_and_1323_and_the_survey_waits(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """'อยากตาย' typed at a survey question: 1669 and the 1323 mental-health line first, then the same question."""
    chat = await consented(dispatcher, channel)
    await chat.press("survey")
    await chat.press("ผู้ป่วยนอก")
    await chat.text("1")
    await chat.press("วันนี้")
    await chat.press("5")
    await chat.text("อยากตาย")
    assert "1669" in chat.texts[0] and "1323" in chat.said
    assert "ข้อ 2/" in chat.said  # still on the second question, nothing answered lost


@CHANNELS
async def test_heavy_bleeding_after_the_idle_timeout_is_answered_before_the_idle_notice(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """'เลือดออกไม่หยุด' after a long silence: the emergency reply comes before 'the conversation was closed'."""
    chat = await consented(dispatcher, channel)
    await chat.press("complaint")
    dispatcher.services.clock.advance(hours=5)  # type: ignore[attr-defined]
    await chat.text("ลูกเลือดออกไม่หยุด ทำไงดีคะ")
    assert "1669" in chat.texts[0]


@CHANNELS
async def test_past_breathing_trouble_in_a_waiting_complaint_gets_one_gentle_line(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """'เมื่อวานแม่หายใจไม่ออกแต่รอนาน' is a complaint about yesterday: one 'if still' 1669 line, then the offer."""
    chat = await consented(dispatcher, channel)
    await chat.text("เมื่อวานแม่หายใจไม่ออกแต่รอนาน")
    assert "หากขณะนี้ยังมีอาการ" in chat.texts[0] and "🚨" not in chat.said
    assert len(chat.texts) >= 2  # the usual answer to the text follows


def test_everyday_phrases_raise_no_alarm() -> None:
    """Slang and waiting complaints ('ชักช้า', 'รอนานจะตาย', 'ไม่อยากตาย') are not emergencies."""
    signs = load_signs()
    for text in ("ชักช้ามากค่ะ รอนาน", "รอนานจะตายอยู่แล้ว", "ห้องฉุกเฉินรอนานมาก", "ไม่อยากตายค่ะ กลัวผ่าตัด"):
        assert detect(text, signs) is None, text
    for text in ("แม่ หาย ใจ ไม่ ออก", "พ่อชักเกร็งอยู่ค่ะ", "มีคนถือมีดอยู่หน้าตึก", "ไม่อยากอยู่แล้วค่ะ"):
        assert detect(text, signs) is not None, text


@pytest.mark.parametrize("channel", ["line", "telegram"])
async def test_emergency_through_the_platforms(service: Service, channel: str) -> None:
    """Through the LINE and Telegram fakes: the first message back to 'หายใจไม่ออก' carries 1669."""
    user = "U-line-sos" if channel == "line" else 7001
    p = Patient(service, channel, user)
    msgs = await p.text("ช่วยด้วยค่ะ พ่อหายใจไม่ออก")
    assert "1669" in msgs[0].text
