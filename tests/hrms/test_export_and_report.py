"""Cases out in the HRMS column layout (`python -m bot export-incidents`) and the monthly report surveyors ask
for (`python -m bot hrms-report --month 2026-11`), on imported history and cases made through the fakes."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli import main
from store.models import AuditLog
from tests.committee.test_through_fakes import Person, latest_case
from tests.fakes.harness import Service
from tests.hrms.files import HRMS_HEADER, hrms_history, read_xlsx, write

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

REPO = Path(__file__).resolve().parents[2]
HRMS = str(REPO / "config" / "hrms" / "hrms_cloud.toml")
RISK = str(REPO / "config" / "hrms" / "risk_report.toml")


async def run(monkeypatch: pytest.MonkeyPatch, service: Service, *argv: str) -> int:
    """`python -m bot …` in a thread of its own (it runs its own event loop) on the service's database."""
    monkeypatch.setenv("DATABASE_URL", service.settings.database_url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    return await asyncio.to_thread(main, list(argv))


async def history_and_a_patient(service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The November 2569 HRMS history imported, and a patient's complaint (with her phone number in it)
    coded and graded by the committee; the complaint's case number."""
    seen: dict[str, int] = {}
    committee = Person(service, "line", "U-c", None, seen)
    patient = Person(service, "line", "U-pat", None, seen)
    await committee.register("committee")
    file = write(tmp_path / "hrms.xlsx", HRMS_HEADER, hrms_history())
    assert await run(monkeypatch, service, "import-incidents", str(file), "--mapping", HRMS) == 0
    await patient.press("complaint")
    await patient.press("consent:yes")
    await patient.say("ห้องยาให้ยาผิดคนค่ะ ได้ยาความดันของคนอื่นมา กลับถึงบ้านถึงรู้ โทรกลับ 081-234-5678 นะคะ")
    await patient.press("complaint:done")
    await patient.press("complaint:dept:pharmacy")
    await patient.press("complaint:contact")
    await patient.press("complaint:skipphone")
    number = (await latest_case(service)).number
    await committee.say(f"/code {number} CPM204")
    await committee.say(f"/triage {number} E")
    return number


async def test_export_in_the_hrms_layout_is_formula_safe_and_without_phone_numbers(
        service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The HRMS layout's sixteen columns in its order; imported rows keep their receipt numbers, place and
    B.E. dates, a non-clinical level goes out as 1–5; the patient's complaint goes out under its case
    number without her phone number; a text starting with = is a string cell in XLSX and gets an
    apostrophe in CSV; the other layout joins code and title in one column; every export is audited."""
    number = await history_and_a_patient(service, tmp_path, monkeypatch)
    out = tmp_path / "to-hrms.xlsx"
    assert await run(monkeypatch, service, "export-incidents", "--out", str(out), "--mapping", HRMS,
                     "--period", "2026-11") == 0
    rows = read_xlsx(out)
    assert rows[0] == HRMS_HEADER and len(rows) == 10
    by_receipt = {r[0]: dict(zip(HRMS_HEADER, r, strict=True)) for r in rows[1:]}
    fall = by_receipt["67-00101"]
    assert fall["วัน-เวลา ที่รายงาน"] == "02/11/2569 08:15" and fall["สถานที่เกิดเหตุ"] == "ห้องน้ำ"
    assert fall["หน่วยงานที่เกี่ยวข้อง"] == "หอผู้ป่วยอายุรกรรม" and fall["หัวข้อ"] == "ตกเตียง/fall"
    assert fall["กลุ่มอุบัติการณ์"] == "อุบัติการณ์ความเสี่ยงด้านคลินิก" and fall["ระดับความรุนแรง"] == "C"
    assert by_receipt["67-00105"]["ระดับความรุนแรง"] == "3"
    mine = by_receipt[number]
    assert mine["รหัสหัวข้อ"] == "CPM204" and mine["ระดับความรุนแรง"] == "E"
    assert "ยาผิดคน" in mine["สรุปปัญหา/เหตุการณ์โดยย่อ"] and "081" not in mine["สรุปปัญหา/เหตุการณ์โดยย่อ"]
    from openpyxl import load_workbook

    wb = load_workbook(out)
    formula = [c for r in wb.worksheets[0].iter_rows() for c in r if str(c.value).startswith("=HYPERLINK")]
    assert len(formula) == 1 and formula[0].data_type == "s"

    csv_out = tmp_path / "to-hrms.csv"
    assert await run(monkeypatch, service, "export-incidents", "--out", str(csv_out), "--mapping", HRMS) == 0
    with csv_out.open(encoding="utf-8-sig", newline="") as fh:
        text_rows = list(csv.reader(fh))
    cells = [c for r in text_rows for c in r]
    assert any(c.startswith("'=HYPERLINK") for c in cells) and not any(c.startswith("=") for c in cells)
    assert "'-ยืนยันชื่อ-สกุล และวันเกิดทุกครั้ง" in cells

    other = tmp_path / "risk.csv"
    assert await run(monkeypatch, service, "export-incidents", "--out", str(other), "--mapping", RISK) == 0
    with other.open(encoding="utf-8-sig", newline="") as fh:
        risk_rows = list(csv.DictReader(fh))
    fall = next(r for r in risk_rows if r["รายละเอียดการเกิด"].startswith("ผู้ป่วยชายอายุ 78"))
    assert fall["รหัส: เรื่องอุบัติการณ์"] == "CPP405: ตกเตียง/fall"
    assert (fall["วันที่เกิดอุบัติการณ์"], fall["เวลาที่เกิด"]) == ("02/11/2569", "08:15")
    async with service.sessions() as session:
        audits = (await session.exec(select(AuditLog).where(AuditLog.action == "hrms.export"))).all()
    assert [a.detail["rows"] for a in audits] == [9, 9, 9]


async def test_monthly_report_for_surveyors(service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`hrms-report --month 2026-11` on the imported November plus a complaint: the clinical risk matrix puts
    the four falls (worst D) at likelihood 3 × impact 2 and the two wrong-drug incidents (E) at 2 × 3; falls
    top the codes; the E–I list holds the four still without review or prevention, oldest first, with B.E.
    dates; the trend's last month counts them; the run is audited."""
    number = await history_and_a_patient(service, tmp_path, monkeypatch)
    out = tmp_path / "report.xlsx"
    assert await run(monkeypatch, service, "hrms-report", "--month", "2026-11", "--out", str(out)) == 0
    from openpyxl import load_workbook

    wb = load_workbook(out)
    assert wb.sheetnames == ["สรุป", "ตารางความเสี่ยง", "รหัสที่พบบ่อย", "รอทบทวน-มาตรการ", "แนวโน้ม",
                             "การจัดการข้อร้องเรียน", "ตัวชี้วัด 6"]  # the last two: tests/hrms/test_ha_report.py
    summary = {r[0]: r[1] for r in wb["สรุป"].iter_rows(min_row=2, values_only=True)}
    assert wb["สรุป"]["A1"].value == "รายงานความเสี่ยงประจำเดือน พฤศจิกายน 2569"
    assert summary["อุบัติการณ์ทั้งหมด"] == 9 and summary["เหตุการณ์ร้ายแรง (Sentinel Event)"] >= 1

    matrix = [list(r) for r in wb["ตารางความเสี่ยง"].iter_rows(values_only=True)]
    clinical = {r[0]: tuple(r[1:6]) for r in matrix[2:7]}  # the clinical table: impact 5 … 1 by likelihood 1 … 5
    assert clinical["ระดับ 2"] == (0, 0, 1, 0, 0) and clinical["ระดับ 3"] == (0, 1, 0, 0, 0)
    assert clinical["ระดับ 5"] == (1, 0, 0, 0, 0) and clinical["ระดับ 1"] == (1, 0, 0, 0, 0)
    assert wb["ตารางความเสี่ยง"].cell(6, 4).comment.text == "CPP405"  # which codes sit in a cell
    general = {r[0]: tuple(r[1:6]) for r in matrix[9:14]}
    assert general["ระดับ 3"] == (1, 0, 0, 0, 0)

    top = list(wb["รหัสที่พบบ่อย"].iter_rows(min_row=2, values_only=True))
    assert top[0][1:5] == ("CPP405", "ตกเตียง/fall", 4, "D") and top[1][1:4] == ("CPM204", top[1][2], 2)

    backlog = list(wb["รอทบทวน-มาตรการ"].iter_rows(min_row=2, values_only=True))
    assert [r[1] or r[0] for r in backlog] == ["67-00104", "67-00105", "67-00106", number]
    assert backlog[0][2] == "12 พ.ย. 2569 10:05 น." and backlog[1][5] == "3" and backlog[2][5] == "I"
    assert backlog[2][7] == "ยังไม่ทำ RCA, ยังไม่มีมาตรการป้องกัน"

    trend = list(wb["แนวโน้ม"].iter_rows(min_row=2, values_only=True))
    assert len(trend) == 12 and trend[-1][:2] == ("พ.ย. 69", 9) and trend[-1][4] == 4 and trend[0][1] == 0
    async with service.sessions() as session:
        audits = (await session.exec(select(AuditLog).where(AuditLog.action == "hrms.report"))).all()
    assert [a.detail for a in audits] == [{"period": "2026-11", "incidents": 9}]
