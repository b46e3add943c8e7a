"""The HA report (issue 19) on imported history, on SQLite and PostgreSQL: HRMS incidents and three fiscal
years of survey answers imported through the CLI, patients' complaints made and handled through the LINE and
Telegram fakes, the committee's annotations with /note; then /report-ha in both chats, the XLSX and the
dashboard view."""

from __future__ import annotations

import asyncio
import csv
import re
from datetime import date
from pathlib import Path

import aiohttp
import pytest
from sqlmodel import col, select

from bot.cli import main
from bot.dashboard.auth import COOKIE
from store.models import AuditLog, IndicatorNote
from tests.committee.test_through_fakes import Person, latest_case, no_telegram_pacing  # noqa: F401  # fixture
from tests.fakes.harness import Service
from tests.hrms.files import HRMS_HEADER, hrms_history, write
from tests.reports.test_dashboard_session import sign_in, sign_in_link
from tests.support import MovableClock

pytestmark = [pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"), pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
HRMS = str(REPO / "config" / "hrms" / "hrms_cloud.toml")
FORMS = str(REPO / "config" / "import" / "google_forms_example.toml")
PNG = b"\x89PNG\r\n\x1a\n"
SURVEY_HEADER = ["ประทับเวลา", "วันที่รับบริการ", "ประเภทผู้รับบริการ", "หน่วยงานที่รับบริการ",
                 "ขั้นตอนการให้บริการไม่ยุ่งยาก ซับซ้อน", "ระยะเวลารอคอยเหมาะสม", "เจ้าหน้าที่สุภาพ ให้เกียรติ",
                 "เจ้าหน้าที่อธิบายชัดเจน", "สถานที่สะอาด มีที่นั่งพอ", "ท่านมั่นใจในบริการของโรงพยาบาล",
                 "ความพึงพอใจโดยรวม", "ข้อเสนอแนะ"]
CHANGED = date(2025, 11, 1)  # the month the committee's change took effect: 60 % satisfied before, 80 % after


async def cli(monkeypatch: pytest.MonkeyPatch, service: Service, *argv: str) -> int:
    monkeypatch.setenv("DATABASE_URL", service.settings.database_url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    return await asyncio.to_thread(main, list(argv))


def survey_file(path: Path) -> Path:
    """Paper surveys keyed into Google Sheets, October 2567 – November 2569 (B.E.), five OPD answers a month:
    three satisfied of five before November 2568, four of five from then on."""
    rows = []
    year, month = 2024, 10
    while (year, month) <= (2026, 11):
        satisfied = 4 if date(year, month, 1) >= CHANGED else 3
        for k in range(5):
            score = "5" if k < satisfied else "2"
            day = f"{10 + k:02d}/{month:02d}/{year + 543}"
            rows.append([f"{day} 10:00:00", day, "ผู้ป่วยนอก", "งานผู้ป่วยนอก", *([score] * 6), score, ""])
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([SURVEY_HEADER, *rows])
    return path


async def complain(svc: Service, patient: Person, text: str) -> str:
    """A patient's complaint about the pharmacy through the complaint flow; its case number."""
    before = len(await patient.fake.messages_to(patient.chat))
    await patient.press("complaint")
    asked = (await patient.fake.messages_to(patient.chat))[before:]
    if "consent:yes" in [p for m in asked for p in m.payloads]:  # asked the first time only
        await patient.press("consent:yes")
    await patient.say(text)
    await patient.press("complaint:done")
    await patient.press("complaint:dept:pharmacy")
    await patient.press("complaint:contact")
    reply = await patient.press("complaint:skipphone")
    number = (await latest_case(svc)).number
    assert number in reply
    return number


async def said(person: Person, text: str) -> list[tuple[str, str, str | None]]:
    """What the chat got back for `text`: (type, text, image URL) of each message."""
    before = len(await person.fake.messages_to(person.chat))
    await person.say(text)
    return [(m.type, m.text, m.image_url) for m in (await person.fake.messages_to(person.chat))[before:]]


def chart_file(svc: Service, url: str | None) -> bytes:
    assert url and url.startswith(svc.settings.public_base_url)
    return (svc.settings.media_dir / "charts" / url.rsplit("/", 1)[1]).read_bytes()


async def test_ha_report_in_chat_xlsx_and_dashboard(
        any_service: Service, clock: MovableClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The figures of /report-ha, the XLSX and the dashboard are the ones the history and the chats make."""
    svc = any_service
    seen: dict[str, int] = {}
    line_member = Person(svc, "line", "U-ha-c", None, seen)
    tg_member = Person(svc, "telegram", "5101", None, seen)
    director = Person(svc, "telegram", "5102", None, seen)
    head = Person(svc, "line", "U-ha-h", None, seen)
    mother = Person(svc, "line", "U-ha-p1", None, seen)
    father = Person(svc, "telegram", "7101", None, seen)
    await line_member.register("committee")
    await tg_member.register("committee")
    await director.register("director")
    await head.register("unit_head", "pharmacy")

    # History in: November 2569 from HRMS, three fiscal years of paper surveys.
    assert await cli(monkeypatch, svc, "import-incidents", str(write(tmp_path / "h.xlsx", HRMS_HEADER,
                                                                    hrms_history())), "--mapping", HRMS) == 0
    assert await cli(monkeypatch, svc, "import-survey", str(survey_file(tmp_path / "s.csv")), "--mapping", FORMS) == 0

    # Three complaints about the pharmacy: the mother twice (LINE), the father once (Telegram).
    first = await complain(svc, mother, "รอรับยานานมากเกือบสามชั่วโมงค่ะ เภสัชกรพูดจาไม่สุภาพด้วย")
    clock.advance(hours=2)
    assert "คัดกรองเรื่อง" in await line_member.say(f"/triage {first} C pharmacy")  # first response: 2 h
    second = await complain(svc, mother, "วันนี้มารับยาอีก รอนานเหมือนเดิมเลยค่ะ เกือบ 3 ชม. ไม่มีใครบอกอะไร")
    third = await complain(svc, father, "รอรับยานานมากครับ 2 ชั่วโมงกว่า เภสัชกรไม่อธิบายอะไรเลย")
    clock.advance(hours=5)
    assert "คัดกรองเรื่อง" in await tg_member.say(f"/triage {second} E pharmacy")  # first response: 5 h
    assert "รับทราบเรื่อง" in await head.say(f"/ack {first}")
    assert "บันทึกผลการแก้ไข" in await head.say(f"/resolve {first} คนไม่พอ | เพิ่มช่องจ่ายยา | ทบทวนอัตรากำลังทุกเดือน")
    clock.advance(hours=19)  # the first complaint closed 26 h after the mother wrote
    assert "ทบทวนเรื่อง" in await line_member.say(f"/review {first}")
    assert "ปิดเรื่อง" in await line_member.say(f"/close {first} เพิ่มช่องจ่ายยาช่วงเช้าแล้ว ขออภัยในความไม่สะดวกค่ะ")
    assert "ขอบคุณที่ยืนยัน" in await mother.press(f"fix:{first}:ok")  # closed when the patient confirms the fix
    clock.advance(days=15)  # the E's two weeks are over: judged, not closed in time; the third never answered
    await svc.settle()
    for person in (line_member, tg_member, director, head):
        await person.inbox_new()  # the reminders of those two weeks

    # The committee's annotations: dated, undated, refused to a unit head, deleted by author or committee only.
    saved = await line_member.say("/note 2025-11-01 เริ่มโทรกลับผู้ร้องเรียนทุกรายภายใน 24 ชม. และเพิ่มช่องจ่ายยาช่วงเช้าค่ะ")
    assert "#1" in saved and "1 พ.ย. 2568" in saved
    assert "#2" in await director.say("/note ๑๕/๓/๒๕๖๙ อบรมพฤติกรรมบริการเจ้าหน้าที่ห้องยา")
    assert "#3" in await tg_member.say("/note ทดลองป้ายบอกเวลารอ")
    assert "วิธีใช้: /note เลขที่" in await head.say("/note ทดลองป้ายบอกเวลารอ")
    assert "ไม่มีวันที่ \"2025-02-30\" ในปฏิทิน" in await line_member.say("/note 2025-02-30 ผิดวัน")
    assert "ลบได้เฉพาะผู้บันทึกหรือคณะกรรมการ" in await director.say("/notes ลบ 3")
    assert "ลบบันทึก #3" in await line_member.say("/notes ลบ 3")
    listed = await tg_member.say("/notes")
    assert "#1 · 1 พ.ย. 2568 · เริ่มโทรกลับ" in listed and "#2 · 15 มี.ค. 2569" in listed and "#3" not in listed
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" in await head.say("/report-ha พ.ย. 69")

    # /report-ha in LINE: the risk chart, the text, the run chart (three of LINE's five per reply).
    [(kind1, _, risk_url), (kind2, text, _), (kind3, _, run_url)] = await said(line_member, "/report-ha พฤศจิกายน 2569")
    assert (kind1, kind2, kind3) == ("image", "text", "image")
    assert chart_file(svc, risk_url).startswith(PNG) and chart_file(svc, run_url).startswith(PNG)
    assert "พฤศจิกายน 2569" in text and "อุบัติการณ์และข้อร้องเรียน 11 เรื่อง" in text
    assert "ยังไม่ทบทวนหรือยังไม่มีมาตรการป้องกัน 4 เรื่อง" in text
    assert "• 67-00104 · CPM204 ระดับ E" in text and f"• {second} · - ระดับ E" in text
    assert "• C 1 เรื่อง · ตอบสนองครั้งแรก 2.0 ชม. / 2.0 ชม. · ปิดเรื่อง 26.0 ชม. / 26.0 ชม. · ปิดทันกำหนด 100% (1/1)" in text
    assert "• E 1 เรื่อง · ตอบสนองครั้งแรก 5.0 ชม. / 5.0 ชม. · ปิดเรื่อง – / – · ปิดทันกำหนด 0% (0/1)" in text
    assert "• ยังไม่คัดกรอง 1 เรื่อง · ตอบสนองครั้งแรก – / –" in text
    assert "• รวม 3 เรื่อง · ตอบสนองครั้งแรก 3.5 ชม. / 4.7 ชม. · ปิดเรื่อง 26.0 ชม. / 26.0 ชม. · ปิดทันกำหนด 50% (1/2)" in text
    assert "ผู้ร้องเรียนเดิม 1 คน (2 เรื่อง)" in text
    assert ("พ.ย. 69 ร้อยละ 80.0 · ค่ามัธยฐานปีงบ 2568–2570 ร้อยละ 70.0 · สัญญาณ shift 2 ช่วง · "
            "บันทึกของคณะกรรมการ 2 รายการ") in text
    assert "รอรับยา" not in text and "เภสัชกรพูด" not in text  # no patient's words
    assert len(text) < 4096

    # The same in Telegram, for a fiscal year typed in Thai: photo, text, photo.
    got = await said(tg_member, "/report-ha ปีงบ 2570")
    assert [k for k, _, _ in got] == ["photo", "text", "photo"]
    assert "ปีงบประมาณ 2570 (ต.ค. 2569 – ก.ย. 2570)" in got[1][1] and "11 เรื่อง" in got[1][1]
    assert "อ่านช่วงเวลา" in await tg_member.say("/report-ha เดือนหน้า")

    async with svc.sessions() as session:
        audits = (await session.exec(select(AuditLog).where(col(AuditLog.action).in_(
            ("report.ha", "indicator.note", "indicator.note_delete", "command.notes", "command.report-ha"))
        ).order_by(col(AuditLog.id)))).all()
        notes = (await session.exec(select(IndicatorNote).order_by(col(IndicatorNote.id)))).all()
    summary = [(a.action, a.allowed, a.detail.get("period") or a.detail.get("day") or a.detail.get("reason"))
               for a in audits]
    assert summary == [
        ("indicator.note", True, "2025-11-01"), ("indicator.note", True, "2026-03-15"),
        ("indicator.note", True, "2026-12-12"), ("command.notes", False, "not_author"),
        ("indicator.note_delete", True, "2026-12-12"), ("command.notes", True, None),
        ("command.report-ha", False, "role"), ("report.ha", True, "2026-11"), ("report.ha", True, "FY2570"),
        ("command.report-ha", False, "bad_period"),
    ]
    assert [(n.day, n.text.split()[0]) for n in notes] == [
        (date(2025, 11, 1), "เริ่มโทรกลับผู้ร้องเรียนทุกรายภายใน"), (date(2026, 3, 15), "อบรมพฤติกรรมบริการเจ้าหน้าที่ห้องยา")]

    # The XLSX for surveyors: complaint handling and indicator 6 with the charts.
    out = tmp_path / "ha.xlsx"
    assert await cli(monkeypatch, svc, "hrms-report", "--month", "พ.ย. 69", "--out", str(out)) == 0
    from openpyxl import load_workbook

    wb = load_workbook(out)
    handling = [list(r) for r in wb["การจัดการข้อร้องเรียน"].iter_rows(min_row=3, max_row=6, values_only=True)]
    assert handling[0] == ["C", 1, 1, 2.0, 2.0, 1, 26.0, 26.0, 1, 1, 100.0]
    # (the CLI judges deadlines by the real clock, not the test's: the E's two weeks may not be over there)
    assert handling[3][:8] == ["รวม", 3, 2, 3.5, 4.7, 1, 26.0, 26.0] and handling[3][9] == 1
    repeats = [list(r) for r in wb["การจัดการข้อร้องเรียน"].iter_rows(values_only=True)]
    assert ["ผู้ร้องเรียนซ้ำ (ร้องเรียน 2 เรื่องขึ้นไปในช่วงนี้)", 1, "คน", 2, "เรื่อง"] + [None] * 6 in repeats
    run = [list(r)[:6] for r in wb["ตัวชี้วัด 6"].iter_rows(min_row=3, values_only=True)]
    assert run[0] == ["ต.ค. 67", 5, 3, 60.0, 70.0, "✓"] and run[25] == ["พ.ย. 69", 5, 4, 80.0, 70.0, "✓"]
    assert ["เริ่มโทรกลับผู้ร้องเรียนทุกรายภายใน 24 ชม. และเพิ่มช่องจ่ายยาช่วงเช้าค่ะ", "1 พ.ย. 2568", 1] in [
        r[:3] for r in run]
    assert len(wb["ตัวชี้วัด 6"]._images) == 1 and len(wb["ตารางความเสี่ยง"]._images) == 1

    # The dashboard view: the committee's, no patient text; a unit head is refused.
    cookie, _ = await sign_in(svc, await sign_in_link(line_member))
    status, html = await get(svc, "/dashboard/ha?period=%E0%B8%9E.%E0%B8%A2.%2069", cookie)  # ?period=พ.ย. 69
    assert status == 200
    assert re.search(r'id="ha-total">11<', html) and re.search(r'id="ha-backlog-count">4<', html)
    assert f'href="/dashboard/case/{second}"' in html and "67-00106" in html
    assert "3.5" in html and "50% (1/2)" in html and 'id="run-median">70.0<' in html
    assert "เริ่มโทรกลับผู้ร้องเรียน" in html and "อบรมพฤติกรรมบริการ" in html
    assert "รอรับยา" not in html and "เภสัชกรพูด" not in html
    for which in ("risk", "run"):
        status, body = await get(svc, f"/dashboard/ha/{which}.png?period=2026-11", cookie, raw=True)
        assert status == 200 and body.startswith(PNG)
    status, home = await get(svc, "/dashboard", cookie)
    assert 'id="ha-link" href="/dashboard/ha?period=' in home
    head_cookie, _ = await sign_in(svc, await sign_in_link(head))
    assert (await get(svc, "/dashboard/ha", head_cookie))[0] == 403
    assert (await get(svc, "/dashboard/ha/risk.png", head_cookie, raw=True))[0] == 403
    assert 'id="ha-link"' not in (await get(svc, "/dashboard", head_cookie))[1]
    async with svc.sessions() as session:
        views = (await session.exec(select(AuditLog).where(col(AuditLog.action).like("dashboard.ha%")))).all()
    assert [(v.action, v.allowed) for v in views] == [
        ("dashboard.ha", True), ("dashboard.ha_chart", True), ("dashboard.ha_chart", True), ("dashboard.ha", False),
        ("dashboard.ha_chart", False)]
    assert "บันทึกหมายเหตุในเรื่อง" in await head.say(f"/note {third} โทรขอโทษผู้ป่วยแล้ว")  # the case note stays


async def get(svc: Service, path: str, cookie: str, *, raw: bool = False) -> tuple[int, str | bytes]:
    async with aiohttp.ClientSession() as fresh, fresh.get(f"{svc.url}{path}",
                                                           headers={"Cookie": f"{COOKIE}={cookie}"}) as resp:
        return resp.status, (await resp.read() if raw else await resp.text())
