"""Case details (the complainant's words) are shown only in a 1:1 chat or in a group a committee member has
registered with /group; anywhere else staff get a button that opens the case in their private chat."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlmodel import select

from store.models import AuditLog
from tests.committee.test_through_fakes import Person, open_patient_case
from tests.fakes.harness import Service

WORDS = "รอรับยานานมากเกือบสามชั่วโมง"  # what the patient wrote (open_patient_case)
PRIVATE = "เปิดดูได้เฉพาะในแชตส่วนตัวกับบอท"


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_line_case_text_only_in_private_or_committee_group(any_service: Service) -> None:
    """/case and the view button in an ordinary LINE group give an oaMessage button, not the text; after /group
    (committee only, audited) the group sees it; /group off hides it again."""
    svc = any_service
    svc.settings.line_bot_basic_id = "@pvhosp"
    seen: dict[str, int] = {}
    member = Person(svc, "line", "U-cm", None, seen)
    await member.register("committee")
    number = await open_patient_case(svc, Person(svc, "line", "U-pat", None, seen))
    assert WORDS in await member.say(f"/case {number}")  # 1:1
    in_group = Person(svc, "line", "U-cm", "C-ward-chat", seen)
    head = Person(svc, "line", "U-head", "C-ward-chat", seen)
    await head.register("unit_head", "pharmacy")
    for answer in (await in_group.say(f"/case {number}"), await in_group.press(f"case:view:{number}")):
        assert PRIVATE in answer and WORDS not in answer
    [button] = (await svc.line.messages_to("C-ward-chat"))[-1].payloads
    assert button == f"https://line.me/R/oaMessage/%40pvhosp/?{quote(f'/case {number}')}"
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" in await head.say("/group")
    assert "ลงทะเบียนกลุ่มนี้เป็นกลุ่มคณะกรรมการ" in await in_group.say("/group")
    assert WORDS in await in_group.say(f"/case {number}")
    assert "ยกเลิกการลงทะเบียนกลุ่ม" in await in_group.say("/group off")
    assert WORDS not in await in_group.say(f"/case {number}")
    async with svc.sessions() as session:
        audits = (await session.exec(select(AuditLog).where(AuditLog.action.in_(["command.group", "command.case"]))  # type: ignore[attr-defined]
                                     .order_by(AuditLog.id))).all()  # type: ignore[arg-type]
    assert [(a.action, a.allowed, a.detail.get("registered", a.detail.get("reason"))) for a in audits] == [
        ("command.case", True, None),
        ("command.case", False, "not_committee_group"), ("command.case", False, "not_committee_group"),
        ("command.group", False, "role"), ("command.group", True, True),
        ("command.case", True, None),
        ("command.group", True, False), ("command.case", False, "not_committee_group"),
    ]


async def test_telegram_group_gets_a_deep_link_that_opens_the_case_in_private(service: Service) -> None:
    """In an ordinary Telegram group /case gives a t.me link; its /start case-N in the 1:1 chat shows the case."""
    seen: dict[str, int] = {}
    member = Person(service, "telegram", "5001", None, seen)
    await member.register("committee")
    number = await open_patient_case(service, Person(service, "line", "U-pat", None, seen))
    in_group = Person(service, "telegram", "5001", "-1002", seen)
    answer = await in_group.say(f"/case {number}")
    assert PRIVATE in answer and WORDS not in answer
    [link] = (await service.telegram.messages_to(-1002))[-1].payloads
    assert link == f"https://t.me/{service.telegram.username}?start=case-{number}"
    assert WORDS in await member.say(f"/start case-{number}")
