"""Every staff command at handler level, allowed and refused, through the channel-neutral dispatcher."""

from __future__ import annotations

import asyncio

import pytest

from handlers.committee import PERMISSIONS
from handlers.messages import Attachment
from store.models import MediaFile
from tests.committee.desk import Desk, keys, payloads, text, texts

ROLES = ("committee", "director", "unit_head", "staff")


async def team(desk: Desk) -> None:
    """The people most tests need: a committee member, the director, pharmacy's head and staff, lab's head."""
    await desk.enrol("U-com", "committee", name="นพ.กรรมการ")
    await desk.enrol("U-dir", "director", name="ผอ.")
    await desk.enrol("U-head", "unit_head", "pharmacy", name="ภญ.หัวหน้า")
    await desk.enrol("U-staff", "staff", "pharmacy", name="ภก.เจ้าหน้าที่")
    await desk.enrol("U-lab", "unit_head", "lab", name="หัวหน้าแล็บ")


async def test_help_lists_only_what_each_role_may_use(desk: Desk) -> None:
    """/help shows each role its own commands; a patient gets the menu, not staff commands."""
    await team(desk)
    shown = {role: text(await desk.send(user, "/help"))
             for role, user in zip(ROLES, ("U-com", "U-dir", "U-head", "U-staff"), strict=True)}
    for role, reply in shown.items():
        for name, roles in PERMISSIONS.items():
            assert (f"/{name} " in reply) == (role in roles), (role, name)
    assert "เฉพาะเรื่องของหน่วยงานท่าน" in shown["unit_head"]
    patient = await desk.send("U-patient", "/help")
    assert "/queue" not in text(patient) and payloads(patient) == ["menu"]


async def test_patients_are_refused_every_staff_command(desk: Desk) -> None:
    """A patient typing any staff command gets the polite refusal, sees no case data; each attempt is audited."""
    number = await desk.patient_case()
    for command in sorted(PERMISSIONS):
        result = await desk.send("U-patient", f"/{command} {number} E pharmacy")
        assert keys(result) == ["staff.refused"] and number not in text(result), command
        audit = (await desk.audits(f"command.{command}"))[-1]
        assert audit.allowed is False and audit.detail["reason"] == "role"


@pytest.mark.parametrize("role", ROLES)
async def test_roles_without_the_right_are_refused(desk: Desk, role: str) -> None:
    """Each role is refused the commands outside its row of the table, and each refusal is audited."""
    await team(desk)
    number = await desk.patient_case()
    user = {"committee": "U-com", "director": "U-dir", "unit_head": "U-head", "staff": "U-staff"}[role]
    refused = [command for command, roles in PERMISSIONS.items() if role not in roles]
    for command in refused:
        assert keys(await desk.send(user, f"/{command} {number} E")) == ["staff.refused"], command
        assert (await desk.audits(f"command.{command}"))[-1].allowed is False
    assert (await desk.case(number)).status == "new"


async def test_patient_pressing_a_case_button_sees_nothing(desk: Desk) -> None:
    """A forwarded case:view button does not show a patient the staff view."""
    number = await desk.patient_case()
    reply = text(await desk.send("U-patient", payload=f"case:view:{number}"))
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" in reply and "รอรับยา" not in reply
    assert (await desk.audits("button.view"))[-1].allowed is False


async def test_queue_sorted_by_deadline_with_severity_unit_and_overdue(desk: Desk, clock) -> None:
    """/queue lists open cases nearest deadline first, with severity, unit and an overdue mark."""
    await team(desk)
    slow = await desk.patient_case(unit="pharmacy")
    urgent = await desk.patient_case(unit="lab", text="เจาะเลือดผิดคน")
    await desk.send("U-com", f"/triage {slow} B")
    await desk.send("U-com", f"/triage {urgent} E lab")
    clock.advance(days=2)  # E must be reported within 24 hours: overdue now
    reply = text(await desk.send("U-com", "/queue"))
    lines = [line for line in reply.splitlines() if line.startswith("•")]
    assert urgent in lines[0] and "ระดับ E" in lines[0] and "งานชันสูตร" in lines[0] and "เกินกำหนด" in lines[0]
    assert slow in lines[1] and "ระดับ B" in lines[1] and "เกินกำหนด" not in lines[1]
    assert "พ.ย. 2569" in lines[0]  # Thai date, Buddhist-era year
    assert f"case:view:{urgent}" in payloads(await desk.send("U-com", "/queue"))
    assert slow not in text(await desk.send("U-com", "/queue E"))
    assert urgent not in text(await desk.send("U-com", "/queue pharmacy"))
    assert "ไม่รู้จักหน่วยงาน" in text(await desk.send("U-com", "/queue nowhere"))
    overdue = text(await desk.send("U-dir", "/overdue"))
    assert urgent in overdue and slow not in overdue


async def test_unit_head_sees_only_their_unit(desk: Desk) -> None:
    """A unit head's /queue, /overdue and /case cover their unit only; another unit's case is refused."""
    await team(desk)
    ours = await desk.patient_case(unit="pharmacy")
    theirs = await desk.patient_case(unit="lab")
    queue = text(await desk.send("U-head", "/queue"))
    assert ours in queue and theirs not in queue
    refused = text(await desk.send("U-head", f"/case {theirs}"))
    assert "ไม่อยู่ในความรับผิดชอบ" in refused and "รอรับยา" not in refused
    assert (await desk.audits("command.case"))[-1].detail["reason"] == "not_your_unit"
    assert "ไม่อยู่ในความรับผิดชอบ" in text(await desk.send("U-lab", f"/ack {ours}"))


async def test_case_shows_tags_evidence_deadlines_and_timeline(desk: Desk) -> None:
    """/case: the text, each tag with its evidence, Thai deadlines, the timeline, next-step buttons."""
    await team(desk)
    number = await desk.patient_case()
    await desk.send("U-com", f"/triage {number} C")
    reply = await desk.send("U-head", f"/case {number}")
    body = text(reply)
    assert "รอรับยานานมาก" in body
    assert "“รอรับยานาน”" in body and "“พูดจาไม่ดี”" in body
    assert "กำหนดรายงาน:" in body and "2569" in body
    assert "รับเรื่องเข้าระบบ" in body and "คัดกรอง" in body and "นพ.กรรมการ" in body
    assert payloads(reply)[:2] == [f"case:ack:{number}", f"case:view:{number}"]
    short = number.split("-")[1].lstrip("0")
    assert number in text(await desk.send("U-com", f"/case {short}"))  # '42' = this fiscal year's case 42
    assert (await desk.audits("command.case"))[-1].allowed is True


async def test_clear_errors_for_numbers_severities_units_and_usage(desk: Desk) -> None:
    """Unknown case numbers, bad severities, unknown units and missing arguments get clear Thai answers."""
    await team(desk)
    number = await desk.patient_case()
    assert "ไม่พบเรื่องเลขที่ 2570-0999" in text(await desk.send("U-com", "/case 2570-0999"))
    assert "ไม่ใช่เลขที่เรื่อง" in text(await desk.send("U-com", "/case abc"))
    assert "ไม่รู้จักระดับความรุนแรง \"Z\"" in text(await desk.send("U-com", f"/triage {number} Z"))
    assert "ไม่รู้จักหน่วยงาน \"mars\"" in text(await desk.send("U-com", f"/triage {number} E mars"))
    assert "ไม่รู้จักหน่วยงาน" in text(await desk.send("U-com", f"/assign {number} mars"))
    for command in ("case", "triage", "assign", "ack", "note", "resolve", "review", "close", "reopen", "report"):
        assert "วิธีใช้" in text(await desk.send("U-com", f"/{command}")), command
    assert "วิธีใช้" in text(await desk.send("U-head", f"/resolve {number} สาเหตุ | แก้แล้ว"))
    assert (await desk.case(number)).status == "new"


async def test_triage_sets_deadlines_tells_patient_and_pings_unit(desk: Desk) -> None:
    """/triage N SEV: deadlines set, the patient hears it is accepted, the unit head gets an ack button."""
    await team(desk)
    number = await desk.patient_case(unit=None)
    assert "ยังไม่มีหน่วยงาน" in text(await desk.send("U-com", f"/triage {number} E"))
    result = await desk.send("U-com", f"/triage {number} e pharmacy")
    assert "คัดกรองเรื่อง" in text(result) and "ระดับ E" in text(result)
    case = await desk.case(number)
    assert (case.status, case.severity, case.unit_code) == ("triaged", "E", "pharmacy")
    assert case.report_due_at is not None
    to_patient = [p for p in result.pushes if p.chat_id == "U-patient"]
    assert to_patient and "รับเรื่องแล้ว" in to_patient[0].messages[0].text
    to_head = [p for p in result.pushes if p.chat_id == "U-head"]
    assert to_head and to_head[0].messages[0].buttons[0].payload == f"case:ack:{number}"
    assert await desk.events(number) == ["created", "triaged"]
    assert (await desk.audits("command.triage"))[-1].allowed is True


async def test_unit_workflow_ack_note_resolve(desk: Desk) -> None:
    """Staff acknowledge, note and resolve their unit's case; the patient hears 'in progress'."""
    await team(desk)
    number = await desk.patient_case()
    assert "จึงทำรายการนี้ไม่ได้" in text(await desk.send("U-staff", f"/ack {number}"))  # not triaged yet
    assert (await desk.audits("command.ack"))[-1].detail["reason"] == "transition:bad_state"
    await desk.send("U-com", f"/triage {number} B")
    ack = await desk.send("U-staff", f"/ack {number}")
    assert "รับทราบเรื่อง" in text(ack) and any(p.chat_id == "U-patient" for p in ack.pushes)
    assert "บันทึกหมายเหตุ" in text(await desk.send("U-staff", f"/note {number} โทรขอโทษผู้ป่วยแล้ว"))
    done = await desk.send("U-staff", f"/resolve {number} คนไข้มาก | เพิ่มช่องจ่ายยา | ทบทวนอัตรากำลังทุกเดือน")
    assert "บันทึกผลการแก้ไข" in text(done)
    case = await desk.case(number)
    assert (case.status, case.action) == ("resolved", "เพิ่มช่องจ่ายยา")
    assert await desk.events(number) == ["created", "triaged", "acknowledged", "note", "resolved"]
    to_committee = [p for p in done.pushes if p.chat_id == "U-com"]  # asked to review (B needs one)
    assert to_committee and to_committee[0].messages[0].buttons[0].payload == f"case:review:{number}"
    assert not [p for p in done.pushes if p.chat_id in ("U-head", "U-staff", "U-dir")]


async def test_review_close_reopen_by_committee_and_director(desk: Desk) -> None:
    """Review before close when required; close needs a summary for a patient; reopen returns it."""
    await team(desk)
    number = await desk.patient_case()
    await desk.send("U-com", f"/triage {number} B")  # B needs a review
    await desk.send("U-head", f"/ack {number}")
    await desk.send("U-head", f"/resolve {number} ก | ข | ค")
    assert keys(await desk.send("U-com", f"/close {number} แก้ไขแล้ว")) == ["committee.transition.review_required"]
    reviewed = await desk.send("U-dir", f"/review {number}")
    assert "ทบทวนเรื่อง" in text(reviewed) and f"case:close:{number}" in payloads(reviewed)
    assert keys(await desk.send("U-com", f"/close {number}")) == ["committee.close_needs_summary"]
    closed = await desk.send("U-dir", f"/close {number} เพิ่มช่องจ่ายยาแล้ว ขออภัยในความไม่สะดวกครับ")
    assert "ให้ผู้ร้องเรียนยืนยัน" in text(closed)  # closed once the patient confirms (test_close_the_loop.py)
    patient = [m for p in closed.pushes if p.chat_id == "U-patient" for m in p.messages]
    assert "เพิ่มช่องจ่ายยาแล้ว" in patient[0].text and patient[0].buttons[0].payload == f"fix:{number}:ok"
    reopened = await desk.send("U-com", f"/reopen {number}")
    assert "เปิดเรื่อง" in text(reopened) and (await desk.case(number)).status == "triaged"


async def test_assign_moves_the_case_and_pings_the_new_unit(desk: Desk) -> None:
    """/assign N unit sends the case to another unit, whose head is pinged; the old unit loses it."""
    await team(desk)
    number = await desk.patient_case()
    await desk.send("U-com", f"/triage {number} C")
    moved = await desk.send("U-com", f"/assign {number} lab")
    assert "งานชันสูตร" in text(moved) and any(p.chat_id == "U-lab" for p in moved.pushes)
    assert number not in text(await desk.send("U-head", "/queue"))
    assert number in text(await desk.send("U-lab", "/mine"))


async def test_mine_lists_unit_and_own_reports(desk: Desk) -> None:
    """/mine: my unit's open cases and the incidents I reported."""
    await team(desk)
    ours = await desk.patient_case(unit="pharmacy")
    theirs = await desk.patient_case(unit="lab")
    reply = text(await desk.send("U-staff", "/mine"))
    assert ours in reply and theirs not in reply
    assert "ไม่มีเรื่องที่รอท่าน" in text(await desk.send("U-com", "/mine"))


async def test_report_files_an_incident_with_nlp_hint_and_photos(desk: Desk) -> None:
    """/report text: a staff incident, NLP-tagged with a severity hint; a photo that follows is attached."""
    await team(desk)
    result = await desk.send("U-staff", "/report ผู้ป่วยลื่นล้มในห้องน้ำ ศีรษะกระแทก หมดสติ")
    number = next(p.split(":")[2] for p in payloads(result) if p.startswith("case:view:"))
    case = await desk.case(number)
    assert (case.source, case.kind, case.status, case.unit_code) == ("staff", "incident", "new", "pharmacy")
    assert case.severity_hint and case.sentinel_hint and "Sentinel Event" in texts(result)[0]
    async with desk.services.sessions() as session:
        media = MediaFile(channel="line", platform_ref="m1", kind="image", status="stored")
        session.add(media)
        await session.commit()
        media_id = media.id
    lost = await desk.send("U-staff", attachments=(Attachment("image", "never-fetched"),))
    assert "ส่งใหม่" in text(lost)  # content not kept: the reporter is told, the photo step stays open
    photo = await desk.send("U-staff", attachments=(Attachment("image", "m1", media_id=media_id),))
    assert "แนบไฟล์" in text(photo)
    assert "เรียบร้อยแล้ว" in text(await desk.send("U-staff", payload=f"case:done:{number}"))
    shown = text(await desk.send("U-com", f"/case {number}"))
    assert "ภาพ/ไฟล์แนบ: 1" in shown and "เจ้าหน้าที่รายงาน" in shown
    assert await desk.events(number) == ["created", "media"]


async def test_buttons_drive_the_same_steps(desk: Desk) -> None:
    """case:triage shows severity buttons; case:sev triages; the reminder's case:ack acknowledges."""
    await team(desk)
    number = await desk.patient_case()
    pick = await desk.send("U-com", payload=f"case:triage:{number}")
    assert f"case:sev:{number}:SE" in payloads(pick) and all(len(p.encode()) <= 64 for p in payloads(pick))
    await desk.send("U-com", payload=f"case:sev:{number}:D")
    assert (await desk.case(number)).severity == "D"
    director_view = text(await desk.send("U-dir", payload=f"case:ack:{number}"))  # the director's escalation ping
    assert "ลำดับเหตุการณ์" in director_view and (await desk.case(number)).status == "triaged"
    assert "ไม่อยู่ในความรับผิดชอบ" in text(await desk.send("U-lab", payload=f"case:ack:{number}"))
    await desk.send("U-head", payload=f"case:ack:{number}")
    assert (await desk.case(number)).status == "acknowledged"
    assert "(1/3)" in text(await desk.send("U-head", payload=f"case:resolve:{number}"))  # asks the cause
    await desk.send("U-head", f"/resolve {number} ก | ข | ค")  # the one-line form ends the questions
    assert "(1/3)" not in text(await desk.send("U-head", "ขอบคุณค่ะ"))
    await desk.send("U-com", payload=f"case:review:{number}")
    await desk.send("U-com", f"/close {number} แก้ไขแล้วครับ")
    await desk.send("U-dir", payload=f"case:reopen:{number}")
    assert (await desk.case(number)).status == "triaged"
    assert "ใช้ไม่ได้แล้ว" in text(await desk.send("U-head", payload="case:nonsense"))


async def test_every_allowed_command_is_audited(desk: Desk) -> None:
    """Allowed commands, views included, leave an AuditLog row with the actor's staff id."""
    await team(desk)
    number = await desk.patient_case()
    for command in (f"/case {number}", "/queue", "/overdue", "/mine", f"/triage {number} A", f"/note {number} x"):
        await desk.send("U-com", command)
    allowed = [a for a in await desk.audits() if a.allowed and a.action.startswith("command.")]
    assert {a.action for a in allowed} == {"command.case", "command.queue", "command.overdue", "command.mine",
                                           "command.triage", "command.note"}
    assert all(a.actor_staff_id is not None and a.actor == "line:U-com" for a in allowed)


async def test_reminder_ack_button_fits_the_case_state(desk: Desk) -> None:
    """An untriaged-case ping's ack button offers the committee the severities; a late press shows the case."""
    await team(desk)
    number = await desk.patient_case()
    assert "รอคณะกรรมการคัดกรอง" in text(await desk.send("U-head", payload=f"case:ack:{number}"))
    assert f"case:sev:{number}:A" in payloads(await desk.send("U-com", payload=f"case:ack:{number}"))
    await desk.send("U-com", f"/triage {number} A")
    await desk.send("U-head", f"/ack {number}")
    late = text(await desk.send("U-staff", payload=f"case:ack:{number}"))
    assert "อยู่ในสถานะ" in late and "ลำดับเหตุการณ์" in late


async def test_reject_and_duplicate(desk: Desk) -> None:
    """/reject and /duplicate close a case out of the queue; the patient is told; unit heads may not."""
    await team(desk)
    first, second, third = [await desk.patient_case() for _ in range(3)]
    assert keys(await desk.send("U-head", f"/reject {first} ไม่ใช่เรื่อง")) == ["staff.refused"]
    assert "วิธีใช้" in text(await desk.send("U-com", f"/reject {first}"))
    rejected = await desk.send("U-com", f"/reject {first} เป็นคำถามทั่วไป ตอบแล้ว")
    assert "ไม่รับเป็นเรื่อง" in text(rejected) and any(p.chat_id == "U-patient" for p in rejected.pushes)
    assert "รวมเรื่อง" in text(await desk.send("U-com", f"/duplicate {third} {second}"))
    assert [(await desk.case(n)).status for n in (first, second, third)] == ["rejected", "new", "duplicate"]
    assert "ไม่พบเรื่องเดิม" in text(await desk.send("U-com", f"/duplicate {second} 2570-0999"))
    assert (await desk.case(second)).status == "new"


async def test_contact_details_only_for_committee_in_private(desk: Desk) -> None:
    """A complainant who agreed to a call back: the committee sees the phone 1:1, never in a group or as unit."""
    from store.models import Feedback, Patient

    await team(desk)
    number = await desk.patient_case()
    async with desk.services.sessions() as session:
        case = await desk.case(number)
        feedback = await session.get(Feedback, case.feedback_id)
        patient = await session.get(Patient, case.patient_id)
        assert feedback is not None and patient is not None
        feedback.contact_consent, patient.phone = True, "0812345678"
        session.add(feedback)
        session.add(patient)
        await session.commit()
    assert "0812345678" in text(await desk.send("U-com", f"/case {number}"))
    in_group = text(await desk.send("U-com", f"/case {number}", group="C-committee"))
    assert "0812345678" not in in_group and "แชตส่วนตัว" in in_group
    assert "0812345678" not in text(await desk.send("U-head", f"/case {number}"))


async def test_committee_report_goes_to_the_topic_unit(desk: Desk) -> None:
    """A report by someone without a unit is routed to the usual unit of its main topic."""
    await team(desk)
    result = await desk.send("U-com", "/report ผู้ป่วยได้รับยาผิดขนาด แพ้ยา ผื่นขึ้นทั้งตัว")
    number = next(p.split(":")[2] for p in payloads(result) if p.startswith("case:view:"))
    case = await desk.case(number)
    assert case.reporter_staff_id is not None and case.unit_code is not None


async def test_tags_correction_is_stored_shown_and_exported(desk: Desk, monkeypatch, tmp_path) -> None:
    """/tags stores the committee's correction (timeline + audit), /case shows it, the CLI exports it."""
    import json

    from bot.cli import main

    await team(desk)
    number = await desk.patient_case()
    assert "ไม่รู้จักประเด็น \"weather\"" in text(await desk.send("U-com", f"/tags {number} weather neg"))
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" in text(await desk.send("U-head", f"/tags {number} waiting"))
    saved = text(await desk.send("U-com", f"/tags {number} medication waiting neg"))
    assert "บันทึกการแก้ไขประเด็น" in saved
    assert "กรรมการแก้ไข" in text(await desk.send("U-com", f"/case {number}"))
    assert (await desk.events(number))[-1] == "tags_corrected"
    monkeypatch.setenv("DATABASE_URL", desk.services.settings.database_url)
    out = tmp_path / "corrections.jsonl"
    assert await asyncio.to_thread(main, ["corrections", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == [{"text": "รอรับยานานมาก เภสัชกรพูดจาไม่ดี", "topics": ["medication", "waiting"],
                     "sentiment": "neg", "complaint": True}]


async def test_a_report_photo_over_the_size_limit_is_not_attached(desk: Desk) -> None:
    """/report, then a file the service did not keep (over MEDIA_MAX_BYTES): the reporter is told its size limit
    and the case gets no attachment; the photo step stays open for a smaller one."""
    await team(desk)
    result = await desk.send("U-staff", "/report ลิฟต์ค้าง ผู้ป่วยติดอยู่ 20 นาที")
    number = next(p.split(":")[2] for p in payloads(result) if p.startswith("case:view:"))
    async with desk.services.sessions() as session:
        big = MediaFile(channel="line", platform_ref="v1", kind="video", status="too_large", size=90_000_000)
        session.add(big)
        await session.commit()
    told = await desk.send("U-staff", attachments=(Attachment("video", "v1", media_id=big.id, too_large=True),))
    assert "ใหญ่เกิน 20 MB" in text(told) and f"case:done:{number}" in payloads(told)
    assert "ไม่สำเร็จ" not in text(told)
    async with desk.services.sessions() as session:
        row = await session.get(MediaFile, big.id)
    assert row is not None and row.case_id is None
    assert await desk.events(number) == ["created"]
