"""Staff invites, /register in chat, list and revoke — codes work once, and only the hash is kept."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.cli import main
from store.models import StaffInvite
from store.staff import hash_code, normalise_code
from tests.committee.desk import Desk, text


def test_invite_cli_prints_the_code_last_and_lists_and_revokes(monkeypatch, capsys, sqlite_url) -> None:
    """`staff invite` prints the one-time code on its last line; `staff list --json` and `revoke` work."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert main(["staff", "invite", "--role", "unit_head", "--unit", "pharmacy", "--name", "ภญ.สมใจ"]) == 0
    code = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(normalise_code(code)) == 10 and code not in ("", "CODE")
    assert main(["staff", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0] | {"created_at": None} == {
        "id": 1, "display_name": "ภญ.สมใจ", "role": "unit_head", "unit_code": "pharmacy", "status": "pending",
        "channels": [], "created_at": None}
    assert main(["staff", "revoke", "1"]) == 0
    capsys.readouterr()
    assert main(["staff", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "revoked"


def test_invite_cli_refuses_bad_input(monkeypatch, capsys, sqlite_url) -> None:
    """A unit role without a unit, an unknown unit, or an unknown staff id is an error, not a code."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert main(["staff", "invite", "--role", "staff"]) == 2
    assert main(["staff", "invite", "--role", "unit_head", "--unit", "nowhere"]) == 2
    assert main(["staff", "revoke", "99"]) == 2
    out = capsys.readouterr().out
    assert "needs --unit" in out and "unknown unit" in out and "no staff member" in out


async def test_register_once_binds_the_role(desk: Desk) -> None:
    """/register CODE binds the identity; the same code again is refused as used; only the hash is stored."""
    code = await desk.code("committee", name="นพ.กรรมการ")
    done = text(await desk.send("U-com", f"/register {code.lower()}"))
    assert "ลงทะเบียนเรียบร้อย" in done and "คณะกรรมการบริหารความเสี่ยง" in done
    again = text(await desk.send("U-other", f"/register {code}"))
    assert "ถูกใช้ไปแล้ว" in again
    assert "/triage" in text(await desk.send("U-com", "/help"))
    assert "/triage" not in text(await desk.send("U-other", "/help"))
    async with desk.services.sessions() as session:
        invite = (await session.exec(select(StaffInvite))).one()
    assert invite.code_hash == hash_code(code) and normalise_code(code) not in invite.code_hash
    audits = await desk.audits("staff.register")
    assert [(a.allowed, a.detail["reason"]) for a in audits] == [(True, "registered"), (False, "used")]


async def test_register_in_a_telegram_group(desk: Desk) -> None:
    """Registration works from a group too (the person, not the group, is bound), with a privacy note."""
    code = await desk.code("unit_head", "pharmacy", "หัวหน้าเภสัช")
    result = await desk.send("7001", f"/register@HospitalBot {code}", channel="telegram", group="-100123")
    assert "ลงทะเบียนเรียบร้อย" in text(result) and "แชตส่วนตัว" in text(result)
    assert "/ack" in text(await desk.send("7001", "/help", channel="telegram"))


@pytest.mark.parametrize("problem", ["unknown", "expired", "revoked"])
async def test_register_refuses_bad_codes_politely(desk: Desk, clock, problem: str) -> None:
    """Unknown, expired and revoked codes are refused in Thai and audited."""
    code = await desk.code("staff", "lab")
    if problem == "unknown":
        code = "ZZZZZ-ZZZZZ"
    elif problem == "expired":
        clock.advance(days=8)
    else:
        from store.staff import revoke

        async with desk.services.sessions() as session:
            await revoke(session, staff_id=1, now=clock())
            await session.commit()
    reply = text(await desk.send("U-x", f"/register {code}"))
    assert reply.startswith("ขออภัยค่ะ")
    assert {"unknown": "ไม่พบรหัส", "expired": "หมดอายุ", "revoked": "ถูกยกเลิก"}[problem] in reply
    assert (await desk.audits("staff.register"))[-1].detail["reason"] == problem


async def test_register_without_code_shows_usage(desk: Desk) -> None:
    """/register alone explains how to use it."""
    assert "/register ตามด้วยรหัส" in text(await desk.send("U-x", "/register"))


async def test_guessing_codes_is_rate_limited(desk: Desk, clock) -> None:
    """After five wrong codes within an hour even a right code is refused, until the hour has passed."""
    code = await desk.code("staff", "lab")
    for i in range(5):
        await desk.send("U-guess", f"/register WRONG-{i}")
    assert "หลายครั้ง" in text(await desk.send("U-guess", f"/register {code}"))
    clock.advance(hours=1, minutes=1)
    assert "ลงทะเบียนเรียบร้อย" in text(await desk.send("U-guess", f"/register {code}"))


async def test_revoked_staff_lose_commands_at_once(desk: Desk, clock) -> None:
    """A revoked committee member typing /queue gets the polite refusal."""
    staff = await desk.enrol("U-gone", "committee")
    from store.staff import revoke

    async with desk.services.sessions() as session:
        await revoke(session, staff_id=staff.id or 0, now=clock())
        await session.commit()
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" in text(await desk.send("U-gone", "/queue"))


async def test_second_channel_for_the_same_person(desk: Desk) -> None:
    """A code made with --staff binds a Telegram identity to the LINE-registered person."""
    staff = await desk.enrol("U-head", "unit_head", "pharmacy")
    code = await desk.code(staff_id=staff.id)
    assert "ลงทะเบียนเรียบร้อย" in text(await desk.send("8001", f"/register {code}", channel="telegram"))
    from store.staff import list_staff

    async with desk.services.sessions() as session:
        entry = (await list_staff(session))[0]
    assert entry.channels == ("line", "telegram") and entry.status == "active"


async def test_invite_expiry_is_configurable(desk: Desk, clock) -> None:
    """An invite made for one day is expired on day two."""
    from store.staff import create_invite

    async with desk.services.sessions() as session:
        made = await create_invite(session, now=clock(), role="director", ttl=timedelta(days=1))
        await session.commit()
    clock.advance(days=1, seconds=1)
    assert "หมดอายุ" in text(await desk.send("U-d", f"/register {made.code}"))
