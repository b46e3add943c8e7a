"""Everyday questions get the hospital's own answer from config/faq.toml and a hand-off to a person,
not "ยังไม่แน่ใจ" or a complaint offer; a long grievance that mentions an appointment is still a complaint."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.dispatch import Dispatcher
from handlers.faq import FaqConfigError, load_faq
from handlers.messages import Channel
from tests.fakes.harness import Service
from tests.flows.chat import Chat
from tests.flows.test_channels import Patient

CHANNELS = pytest.mark.parametrize("channel", [Channel.LINE, Channel.TELEGRAM])
NOT_HELPFUL = ("ยังไม่แน่ใจ", "ต้องการส่งข้อความนี้เป็นเรื่องร้องเรียน", "ร้องเรียนเรื่องนี้")


async def ask(dispatcher: Dispatcher, channel: Channel, text: str) -> Chat:
    chat = Chat(dispatcher, f"U-{channel}-faq", channel)
    await chat.follow()
    await chat.press("ไม่ยินยอม")
    await chat.text(text)
    assert not any(p in chat.said for p in NOT_HELPFUL), chat.said
    assert "survey" in [b.payload for b in chat.buttons]  # the menu stays under the answer
    return chat


@CHANNELS
@pytest.mark.parametrize("text", ["เปิดกี่โมงคะ", "วันเสาร์ เปิด ไหมครับ", "สวัสดีค่ะ ผู้ป่วยนอกเปิดกี่โมงคะ"])
async def test_opening_hours_are_answered(dispatcher: Dispatcher, channel: Channel, text: str) -> None:
    """'เปิดกี่โมงคะ' gets the opening hours of the OPD and the 24-hour ER."""
    chat = await ask(dispatcher, channel, text)
    assert "08.00–16.00" in chat.said and "24 ชั่วโมง" in chat.said


@CHANNELS
async def test_rescheduling_an_appointment_is_explained_with_a_hand_off(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """'อยากเลื่อนนัดค่ะ' is told how to reschedule, and how to reach a person."""
    chat = await ask(dispatcher, channel, "อยากเลื่อนนัดค่ะ")
    assert "บัตรนัด" in chat.said and "คุยกับเจ้าหน้าที่โดยตรง" in chat.said


@CHANNELS
@pytest.mark.parametrize("text", ["ขอคุยกับเจ้าหน้าที่หน่อยครับ", "ขอ เบอร์โทร โรงพยาบาล หน่อยค่ะ", "มีคนอยู่ไหมคะ"])
async def test_asking_for_a_person_or_a_phone_number_gets_a_hand_off(
        dispatcher: Dispatcher, channel: Channel, text: str) -> None:
    """'ขอคุยกับเจ้าหน้าที่' and 'ขอเบอร์โทร' get the hand-off text with the hospital's name."""
    chat = await ask(dispatcher, channel, text)
    assert "คุยกับเจ้าหน้าที่โดยตรง" in chat.said and "โรงพยาบาลทดสอบ" in chat.said


def test_a_long_grievance_about_appointments_is_not_taken_for_a_question() -> None:
    """A long complaint that mentions เลื่อนนัด is left to the NLP (it becomes a complaint offer)."""
    faq = load_faq()
    text = "โดนเลื่อนนัดผ่าตัดมาสามครั้งแล้ว ไม่มีใครโทรมาแจ้งล่วงหน้าเลย เสียเวลาลางานมาทุกครั้ง ไม่พอใจมากค่ะ"
    assert faq.match(text) is None
    assert faq.match("เลื่อนนัดได้ไหมคะ") is not None


def test_a_broken_faq_file_stops_the_start_with_the_entry_named(tmp_path: Path) -> None:
    """A question without an answer in the hospital's faq.toml is refused at load, naming the entry."""
    (tmp_path / "faq.toml").write_text('[[question]]\ncode = "parking"\nphrases = ["ที่จอดรถ"]\n', encoding="utf-8")
    with pytest.raises(FaqConfigError, match="parking"):
        load_faq(tmp_path)


async def test_opening_hours_through_the_telegram_fake(service: Service) -> None:
    """Through the Telegram fake: 'เปิดกี่โมงครับ' is answered with the hours and keyboard buttons."""
    p = Patient(service, "telegram", 7101)
    msgs = await p.text("เปิดกี่โมงครับ")
    assert any("08.00–16.00" in m.text for m in msgs) and msgs[-1].payloads
