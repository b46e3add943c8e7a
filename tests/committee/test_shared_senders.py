"""A staff identity is one person: senders the platform does not name (LINE desktop users in groups, Telegram
anonymous admins and posts in a chat's name) cannot register, use staff commands or press case buttons, and
migration 0005 unbinds the shared ids registered before. Through the real adapters and the fake platforms."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from store.db import make_engine, make_session_factory, upgrade
from store.models import AuditLog, ChannelIdentity, StaffInvite
from store.people import get_or_create_identity
from store.staff import create_invite, list_staff, register
from tests.committee.test_through_fakes import Person, open_patient_case
from tests.fakes.databases import drop_database, pg_database
from tests.fakes.harness import Service
from tests.support import MovableClock

GROUP = "C0f1e2d3c4b5a69788796a5b4c3d2e1f0"
TG_GROUP = -1001234567890
ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
SHARED = "ใช้บัญชีของท่านเองในแชตส่วนตัวกับบอท"


async def invite(svc: Service, role: str = "committee") -> str:
    async with svc.sessions() as session:
        made = await create_invite(session, now=svc.clock(), role=role, display_name=role)
        await session.commit()
    return made.code


async def line_desktop(svc: Service, **fields: Any) -> str:
    """A LINE group event from a desktop user: no userId in its source. Returns what the group got."""
    before = len(await svc.line.messages_to(GROUP))
    await svc.line_events(svc.line_event(fields.pop("type", "message"), None, group_id=GROUP, **fields))
    await svc.settle()
    return "\n".join(m.text for m in (await svc.line.messages_to(GROUP))[before:])


async def desktop_text(svc: Service, text: str) -> str:
    return await line_desktop(svc, message={"id": uuid.uuid4().hex[:12], "type": "text", "text": text})


async def telegram_anonymous(svc: Service, text: str, *, sender: dict[str, Any] | None = None) -> str:
    """A message in a Telegram group from an anonymous admin (or, with `sender`, another shared account)."""
    before = len(await svc.telegram.messages_to(TG_GROUP))
    update = svc.telegram_message(1087968824, chat_id=TG_GROUP, group=True,
                                  text=text.replace(" ", f"@{svc.telegram.username} ", 1) if " " in text else text,
                                  sender_chat={"id": TG_GROUP, "type": "supergroup", "title": "คณะกรรมการ"})
    update["message"]["from"] = sender or ANONYMOUS_ADMIN
    await svc.telegram_update(update)
    await svc.settle()
    return "\n".join(m.text for m in (await svc.telegram.messages_to(TG_GROUP))[before:])


async def unspent(svc: Service) -> int:
    async with svc.sessions() as session:
        return len((await session.exec(select(StaffInvite).where(col(StaffInvite.used_at).is_(None)))).all())


async def test_line_desktop_user_cannot_register_or_act(any_service: Service) -> None:
    """A LINE group sender without userId is refused /register (code unspent), staff commands and case buttons."""
    svc = any_service
    code = await invite(svc)
    assert SHARED in await desktop_text(svc, f"/register {code}")
    assert await unspent(svc) == 1
    member = Person(svc, "line", "U-member", GROUP)
    assert "ลงทะเบียนเรียบร้อย" in await member.say(f"/register {code}")  # the same code, by a named person
    number = await open_patient_case(svc, Person(svc, "line", "U-pat"), via_flow=False)
    assert number in await member.say("/queue")
    for answer in (await desktop_text(svc, "/queue"), await desktop_text(svc, f"/case {number}"),
                   await line_desktop(svc, type="postback", postback={"data": f"case:view:{number}"})):
        assert SHARED in answer and number not in answer.replace(f"/case {number}", "")
    async with svc.sessions() as session:
        group = (await session.exec(select(ChannelIdentity).where(ChannelIdentity.external_id == GROUP))).first()
        refusals = (await session.exec(select(AuditLog).where(col(AuditLog.allowed).is_(False)))).all()
    assert group is None or group.staff_id is None
    assert [a.detail.get("reason") for a in refusals] == ["shared_sender"] * 4


async def test_telegram_anonymous_admin_and_chat_posts_cannot_register_or_act(any_service: Service) -> None:
    """GroupAnonymousBot and posts in a chat's name are refused /register and staff commands in Telegram."""
    svc = any_service
    code = await invite(svc)
    assert SHARED in await telegram_anonymous(svc, f"/register {code}")
    channel_bot = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
    assert SHARED in await telegram_anonymous(svc, f"/register {code}", sender=channel_bot)
    assert await unspent(svc) == 1
    member = Person(svc, "telegram", "5001", str(TG_GROUP))
    assert "ลงทะเบียนเรียบร้อย" in await member.say(f"/register {code}")
    assert SHARED in await telegram_anonymous(svc, "/queue")
    async with svc.sessions() as session:
        bound = (await session.exec(select(ChannelIdentity).where(col(ChannelIdentity.staff_id).is_not(None)))).all()
    assert [(i.channel, i.external_id) for i in bound] == [("telegram", "5001")]


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def test_migration_unbinds_shared_ids(database: str, tmp_path: Path, sqlite_template: Path,
                                            clock: MovableClock) -> None:
    """Upgrading to 0005 unbinds staff registered from a LINE group id or a Telegram shared account, audited."""
    if database == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'before.db'}"
    else:
        url = await pg_database("0003")
    engine = make_engine(url)
    try:
        if database == "sqlite":
            await upgrade(engine, "0003")
        sessions = make_session_factory(engine)
        async with sessions() as session:  # what /register did before this revision, for each kind of sender
            for channel, external in (("line", GROUP), ("line", "U-person"), ("telegram", "1087968824"),
                                      ("telegram", str(TG_GROUP)), ("telegram", "5001")):
                made = await create_invite(session, now=clock(), role="committee", display_name=external)
                identity = await get_or_create_identity(session, channel=channel, external_id=external)
                await register(session, identity=identity, code=made.code, now=clock())
            await session.commit()
        await upgrade(engine)
        async with sessions() as session:
            channels = {e.display_name: e.channels for e in await list_staff(session)}
            revoked = (await session.exec(select(AuditLog).where(AuditLog.action == "staff.identity_revoked"))).all()
        assert channels == {GROUP: (), "U-person": ("line",), "1087968824": (), str(TG_GROUP): (),
                            "5001": ("telegram",)}
        assert len(revoked) == 3 and {a.actor for a in revoked} == {"migration:0005"}
    finally:
        await engine.dispose()
        if database == "postgresql":
            await drop_database(url)
