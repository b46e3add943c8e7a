"""Routing through the channel-neutral model: menu, cancel, idle time-out, commands and roles."""

from __future__ import annotations

import pytest
from sqlmodel import select

from handlers import build_router
from handlers.catalogue import Catalogue, CatalogueError
from handlers.dispatch import Dispatcher, Result
from handlers.messages import Button, Channel, EventKind, Inbound
from handlers.router import Router
from handlers.services import Services
from handlers.turn import Turn
from store.models import AuditLog, Conversation
from tests.handlers.conftest import send
from tests.support import MovableClock


def texts(result: Result) -> list[str]:
    return [m.text for m in result.replies]


async def test_first_message_gets_greeting_and_menu(services: Services) -> None:
    """Any first text gets สวัสดีค่ะ and the four menu buttons."""
    result = await send(Dispatcher(build_router(), services), text="สวัสดีค่ะ")
    assert texts(result)[0].startswith("สวัสดีค่ะ")
    assert [b.payload for b in result.replies[-1].buttons] == ["survey", "complaint", "compliment", "track"]


def _flow_router() -> Router:
    """A tiny two-step flow to exercise the dispatcher's state handling."""
    router = build_router()
    flow = Router("test-flow")

    @flow.payload("ask")
    async def start(turn: Turn) -> None:
        turn.goto("test.answer", asked=True)
        turn.say_text("คำถาม", buttons=[Button("ตอบ", "ask:answer")])

    @flow.state("test.answer")
    async def answer(turn: Turn) -> None:
        turn.say_text(f"ได้รับ {turn.inbound.text} {turn.data['asked']}")
        turn.end()

    @flow.command("secret", roles={"committee"})
    async def secret(turn: Turn) -> None:
        turn.say_text("ข้อมูลลับ")

    router.include(flow)
    return router


async def test_state_survives_between_messages(services: Services) -> None:
    """A flow's state and data are in the database: the next message reaches the state handler."""
    dispatcher = Dispatcher(_flow_router(), services)
    await send(dispatcher, kind=EventKind.POSTBACK, payload="ask")
    fresh = Dispatcher(_flow_router(), services)  # as after a restart
    assert texts(await send(fresh, text="สิบ")) == ["ได้รับ สิบ True"]


async def test_cancel_works_mid_flow(services: Services) -> None:
    """ยกเลิก ends the flow, says so and shows the menu."""
    dispatcher = Dispatcher(_flow_router(), services)
    await send(dispatcher, kind=EventKind.POSTBACK, payload="ask")
    result = await send(dispatcher, text="ยกเลิก")
    assert texts(result)[0].startswith("ยกเลิกเรียบร้อย")
    async with services.sessions() as session:
        assert (await session.exec(select(Conversation))).one().state is None


async def test_idle_conversation_ends_politely(services: Services, clock: MovableClock) -> None:
    """After the idle time the flow is closed with a polite note instead of treating text as an answer."""
    dispatcher = Dispatcher(_flow_router(), services)
    await send(dispatcher, kind=EventKind.POSTBACK, payload="ask")
    clock.advance(minutes=services.settings.conversation_idle_minutes + 1)
    result = await send(dispatcher, text="สิบ")
    assert texts(result)[0].startswith("ไม่ได้รับคำตอบมาสักพัก")
    assert not any(t.startswith("ได้รับ") for t in texts(result))


async def test_role_refusal_is_polite_and_audited(services: Services) -> None:
    """A patient typing a committee command is refused in Thai and the attempt is audited."""
    result = await send(Dispatcher(_flow_router(), services), text="/secret@HospitalBot now")
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" in texts(result)[0]
    async with services.sessions() as session:
        audit = (await session.exec(select(AuditLog))).one()
    assert audit.allowed is False and audit.action == "command.secret"


async def test_unknown_command_in_group_is_ignored(services: Services) -> None:
    """In a group, a command for another bot gets no answer; in 1:1 it gets a hint."""
    dispatcher = Dispatcher(build_router(), services)
    assert texts(await send(dispatcher, text="/weather", is_group=True, chat_id="G1")) == []
    assert "/help" in texts(await send(dispatcher, text="/weather"))[0]


def test_command_parsing() -> None:
    """'/queue@Bot opd' is the queue command with argument opd."""
    from datetime import UTC, datetime

    inbound = Inbound(Channel.TELEGRAM, "1", "-100", datetime.now(UTC), text="/Queue@HospitalBot  opd ")
    assert inbound.command == ("queue", "opd")


def test_button_payload_over_64_bytes_is_refused() -> None:
    """A payload Telegram would reject is caught where it is made."""
    with pytest.raises(ValueError, match="64 bytes"):
        Button("ปุ่ม", "ก" * 22)


def test_hospital_message_override(tmp_path) -> None:
    """A hospital's file replaces single messages; a label over 20 characters is refused."""
    (tmp_path / "messages.th.toml").write_text('[menu]\nprompt = "เลือกเมนูค่ะ"\n', encoding="utf-8")
    assert Catalogue.load(tmp_path)("menu.prompt") == "เลือกเมนูค่ะ"
    (tmp_path / "messages.th.toml").write_text('[button]\nsurvey = "' + "ก" * 21 + '"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="20"):
        Catalogue.load(tmp_path)


def test_router_refuses_double_registration() -> None:
    """Two flows claiming the same command is a start-up error, not a silent override."""
    a, b = Router("a"), Router("b")

    async def h(turn: Turn) -> None:
        return None

    a.command("x")(h)
    b.command("x")(h)
    with pytest.raises(ValueError, match="already registered"):
        a.include(b)
