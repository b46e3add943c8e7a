"""The whole staff lifecycle by chat commands, on SQLite and on PostgreSQL."""

from __future__ import annotations

from tests.committee.desk import Desk, text


async def test_full_lifecycle_by_commands(both_desk: Desk) -> None:
    """triage → ack → resolve → review → close by the roles the table allows; timeline and audit complete."""
    desk = both_desk
    await desk.enrol("U-com", "committee")
    await desk.enrol("7001", "unit_head", "pharmacy", channel="telegram")
    number = await desk.patient_case()
    await desk.send("U-com", f"/triage {number} C pharmacy", group="C-committee")
    await desk.send("7001", f"/ack@HospitalBot {number}", channel="telegram", group="-100")
    await desk.send("7001", f"/resolve {number} ขาดคน | จัดเวรเพิ่ม | ทบทวนทุกเดือน", channel="telegram")
    await desk.send("U-com", f"/review {number}")
    closed = await desk.send("U-com", f"/close {number} จัดเวรเพิ่มแล้วครับ", group="C-committee")
    assert "ให้ผู้ร้องเรียนยืนยัน" in text(closed)
    await desk.send("U-patient", payload=f"fix:{number}:ok")  # the patient confirms the fix
    case = await desk.case(number)
    assert (case.status, case.approved_summary) == ("closed", "จัดเวรเพิ่มแล้วครับ")
    assert await desk.events(number) == ["created", "triaged", "acknowledged", "resolved", "reviewed",
                                         "confirm_asked", "patient_confirmed"]
    allowed = [a.action for a in await desk.audits() if a.allowed and a.action.startswith("command.")]
    assert allowed == ["command.triage", "command.ack", "command.resolve", "command.review", "command.close"]


async def test_register_code_spent_once_on_both_stores(both_desk: Desk) -> None:
    """The conditional UPDATE spends a code exactly once on either database."""
    code = await both_desk.code("director")
    assert "ลงทะเบียนเรียบร้อย" in text(await both_desk.send("U-a", f"/register {code}"))
    assert "ถูกใช้ไปแล้ว" in text(await both_desk.send("U-b", f"/register {code}"))
