"""What every patient meets (issue 20 item 6): tracking tells cases apart by subject and unit, every
answer leaves something to press, and long unit names on page 2 are cut after a whole word."""

from __future__ import annotations

import pytest

from handlers.dispatch import Dispatcher
from handlers.messages import Attachment, Channel
from handlers.services import Services
from tests.flows.chat import Chat
from tests.flows.test_case_updates import _case_for, _transition

CHANNELS = pytest.mark.parametrize("channel", [Channel.LINE, Channel.TELEGRAM])


async def complain(chat: Chat, text: str) -> None:
    await chat.press("complaint")
    await chat.text(text)
    await chat.press("ส่งเรื่อง")
    await chat.press("ข้าม")
    await chat.press("ไม่ประสงค์ออกนาม")


@CHANNELS
async def test_tracking_lists_cases_by_subject_and_unit(dispatcher: Dispatcher, channel: Channel) -> None:
    """Two complaints are told apart in ติดตามเรื่อง by what was written and who handles them."""
    chat = Chat(dispatcher, f"U-{channel}-track", channel)
    await chat.follow()
    await chat.press("ยินยอม")
    await complain(chat, "รอรับยาที่ห้องยานานมากค่ะ")
    await complain(chat, "ห้องน้ำชั้นสองสกปรกค่ะ")
    await chat.press("ติดตามเรื่อง")
    assert "รอรับยาที่ห้องยานานมากค่ะ" in chat.said and "ห้องน้ำชั้นสองสกปรกค่ะ" in chat.said
    assert "หน่วยงาน" in chat.said or "งาน" in chat.said
    labels = [b.label for b in chat.buttons if b.payload.startswith("track:")]
    assert len(labels) == 2 and all(len(label) <= 20 for label in labels)
    assert any(label.startswith("2570-0001 ") for label in labels)
    await chat.press("2570-0001")
    assert "เรื่อง: “รอรับยาที่ห้องยานานมากค่ะ”" in chat.said


@pytest.mark.parametrize("channel", [Channel.TELEGRAM, Channel.LINE])
async def test_every_patient_answer_has_buttons(
        dispatcher: Dispatcher, services: Services, channel: Channel) -> None:
    """A rating thanks, a withdrawal, a location and a 'not yet' all come with buttons to press next."""
    chat = Chat(dispatcher, f"U-{channel}-buttons", channel)
    number = await _case_for(chat, services)
    await _transition(services, number, "closed", "closed", approved_summary="ปรับคิวแล้ว")
    steps = [chat.text("ยกเลิกค่ะ"), chat.text("ให้ 4 คะแนนค่ะ"), chat.payload(f"rate:{number}:5"),
             chat.send(attachments=(Attachment("location"),)), chat.payload("consent:yes"), chat.text("ถอนความยินยอม")]
    for step in steps:
        await step
        assert chat.buttons, chat.said


async def test_case_updates_carry_a_track_button(chat: Chat, services: Services) -> None:
    """'รับเรื่องแล้ว' pushed to the patient has ติดตามเรื่อง and เมนูหลัก buttons."""
    number = await _case_for(chat, services)
    [delivery] = await _transition(services, number, "triaged", "triaged")
    assert [b.payload for b in delivery.messages[0].buttons] == [f"track:{number}", "menu"]


@CHANNELS
async def test_long_unit_names_are_cut_after_a_whole_word(dispatcher: Dispatcher, channel: Channel) -> None:
    """Page 2 of the complaint's units shows 'การเงินและประกัน…', never a word cut in half like '…ประกันสุข…'."""
    chat = Chat(dispatcher, f"U-{channel}-labels", channel)
    await chat.follow()
    await chat.press("ไม่ยินยอม")
    await chat.press("complaint")
    await chat.text("ค่ารักษาแพงเกินค่ะ")
    await chat.press("ส่งเรื่อง")
    await chat.press("ถัดไป")
    labels = [b.label for b in chat.buttons]
    assert "การเงินและประกัน…" in labels and all(len(label) <= 20 for label in labels)
    assert not any(label.endswith("สุข…") or label.endswith("บริหา…") for label in labels)
