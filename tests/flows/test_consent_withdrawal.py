"""Withdrawing consent is confirmed, hides nothing and loses nothing; the PDPA notice tells the retention
period, whom to contact and how to get a copy or deletion in the chat (PDPA sections 19, 30–33)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from handlers.dispatch import Dispatcher
from handlers.messages import Channel
from store.models import AuditLog, ConsentRecord, Feedback, Patient
from tests.flows.chat import Chat

CHANNELS = pytest.mark.parametrize("channel", [Channel.LINE, Channel.TELEGRAM])


async def consented(dispatcher: Dispatcher, channel: Channel) -> Chat:
    chat = Chat(dispatcher, f"U-{channel}-pdpa", channel)
    await chat.follow()
    assert "10 ปี" in chat.said and "DPO" in chat.said and "ขอลบข้อมูล" in chat.said  # the notice
    await chat.press("ยินยอม")
    return chat


async def patient(chat: Chat) -> Patient:
    async with chat.db() as session:
        return (await session.exec(select(Patient))).one()


@CHANNELS
async def test_withdrawal_is_confirmed_first_and_a_draft_complaint_is_kept(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """'ถอนความยินยอมค่ะ' mid-complaint asks to confirm; once confirmed the unsent text is kept as a draft
    (quoted, with until when) and ทำต่อ goes on from where the patient was."""
    chat = await consented(dispatcher, channel)
    await chat.press("complaint")
    await chat.text("พยาบาลพูดไม่สุภาพค่ะ")
    await chat.text("ถอนความยินยอมค่ะ")
    assert "ยืนยันการถอนความยินยอม" in chat.said and (await patient(chat)).consent == "given"
    await chat.press("ยืนยันถอนความยินยอม")
    assert (await patient(chat)).consent == "withdrawn" and "ยังไม่ได้ส่ง" in chat.said
    assert "“พยาบาลพูดไม่สุภาพค่ะ”" in chat.said and "7 วัน" in chat.said
    await chat.press("ทำต่อ")
    assert "พยาบาลพูดไม่สุภาพค่ะ" in chat.said and chat.find("ส่งเรื่อง")
    async with chat.db() as session:
        assert (await session.exec(select(Feedback))).all() == []  # nothing filed behind the patient's back


@CHANNELS
async def test_withdrawal_keeps_the_call_back_phone_of_an_open_complaint(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """The phone given for an open complaint is not silently erased, and contact consent is not revoked."""
    chat = await consented(dispatcher, channel)
    await chat.press("complaint")
    await chat.text("รอผลแล็บนานมากค่ะ")
    await chat.press("ส่งเรื่อง")
    await chat.press("ข้าม")
    await chat.press("ให้ติดต่อกลับได้")
    await chat.text("0812345678")
    await chat.text("ถอนความยินยอม")
    assert "ใช้เฉพาะเรื่องเหล่านั้น" in chat.said  # the confirmation says what happens to the phone
    await chat.press("ยืนยันถอนความยินยอม")
    async with chat.db() as session:
        contact = (await session.exec(select(ConsentRecord).where(ConsentRecord.purpose == "contact"))).all()
    assert (await patient(chat)).phone == "0812345678" and [c.granted for c in contact] == [True]


@CHANNELS
async def test_privacy_screen_after_withdrawal_says_withdrawn_and_reconsent_shows_the_notice(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """After withdrawing, ข้อมูลส่วนบุคคล says when it was withdrawn; ให้ความยินยอม shows the full notice again."""
    chat = await consented(dispatcher, channel)
    await chat.text("ถอนความยินยอม")
    await chat.press("ไม่ถอน")
    assert (await patient(chat)).consent == "given"
    await chat.text("ถอนความยินยอม")
    await chat.press("ยืนยันถอนความยินยอม")
    await chat.text("ข้อมูลส่วนบุคคลค่ะ")
    assert "ถอนความยินยอมไว้เมื่อ" in chat.said and "ยังไม่ได้ให้ความยินยอม" not in chat.said
    await chat.press("ให้ความยินยอม")
    assert "10 ปี" in chat.said and "DPO" in chat.said and (await patient(chat)).consent == "withdrawn"
    await chat.press("ยินยอม")
    assert (await patient(chat)).consent == "given"


@CHANNELS
async def test_copy_and_erasure_requests_are_recorded_from_the_chat(
        dispatcher: Dispatcher, channel: Channel) -> None:
    """'ขอลบข้อมูลค่ะ' typed and the ขอสำเนาข้อมูล button are recorded as requests and answered with the 30-day time."""
    chat = await consented(dispatcher, channel)
    await chat.text("ขอลบข้อมูลค่ะ")
    assert "30 วัน" in chat.said
    await chat.text("ข้อมูลส่วนบุคคล")
    await chat.press("ขอสำเนาข้อมูล")
    async with chat.db() as session:
        actions = [a.action for a in (await session.exec(select(AuditLog))).all()]
    assert actions == ["privacy.request_erase", "privacy.request_copy"]
