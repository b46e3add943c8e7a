"""`python -m bot import-incidents FILE --mapping M [--dry-run]` as a quality office runs it on an HRMS export
(issue 19): Buddhist-era and Thai-month dates, all or nothing with bad rows named by line, a second import adds
nothing, open items join the queue, history counts for recurrence. SQLite and PostgreSQL, through `main(argv)`."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.cli import main
from store.db import make_engine, make_session_factory
from store.hrms import load_mapping, parse_thai_datetime
from store.models import AuditLog, Case, CaseEvent, Reminder
from tests.conftest import _run_apart
from tests.fakes.databases import drop_database, pg_database
from tests.hrms.files import HRMS_HEADER, RISK_HEADER, hrms_history, hrms_row, write

REPO = Path(__file__).resolve().parents[2]
HRMS = REPO / "config" / "hrms" / "hrms_cloud.toml"
RISK = REPO / "config" / "hrms" / "risk_report.toml"


@pytest.mark.parametrize(("text", "expected"), [
    ("15 พ.ย. 2567 14:30", datetime(2024, 11, 15, 7, 30, tzinfo=UTC)),
    ("15/11/2567", datetime(2024, 11, 14, 17, 0, tzinfo=UTC)),
    ("15/11/2567 14:30 น.", datetime(2024, 11, 15, 7, 30, tzinfo=UTC)),
    ("15-11-2024 08.05", datetime(2024, 11, 15, 1, 5, tzinfo=UTC)),
    ("3 มกราคม 68", datetime(2025, 1, 2, 17, 0, tzinfo=UTC)),
    ("วันที่ 3 ม.ค. พ.ศ. 2568 เวลา 08.05 น.", datetime(2025, 1, 3, 1, 5, tzinfo=UTC)),
    ("๑๕ พย ๒๕๖๗", datetime(2024, 11, 14, 17, 0, tzinfo=UTC)),
    ("2024-11-15 09:00", datetime(2024, 11, 15, 2, 0, tzinfo=UTC)),
    (datetime(2567, 11, 15, 14, 30), datetime(2024, 11, 15, 7, 30, tzinfo=UTC)),  # a date cell typed in B.E.
    (date(2024, 11, 15), datetime(2024, 11, 14, 17, 0, tzinfo=UTC)),
    ("  ", None),
])
def test_thai_dates_are_read_in_bangkok_time(text: object, expected: datetime | None) -> None:
    """Buddhist-era and Christian-era years, Thai month names, abbreviations with or without dots, Thai digits,
    "น." after the time and spreadsheet date cells, all as Bangkok time; pythainlp's thai_strptime reads
    "15 11 2567" as 15 January, so numeric months are parsed here."""
    assert parse_thai_datetime(text) == expected


@pytest.mark.parametrize("text", ["31/02/2567", "15 xx 2567", "พรุ่งนี้", "15/13/2567"])
def test_a_date_that_does_not_exist_is_refused(text: str) -> None:
    """A date that cannot be read or does not exist is an error naming the text, never a guess."""
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_thai_datetime(text)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[str]:
    """A migrated database for the CLI: this test's SQLite copy, or a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield sqlite_url
        return
    url = _run_apart(pg_database())
    try:
        yield url
    finally:
        _run_apart(drop_database(url))


def cli(monkeypatch: pytest.MonkeyPatch, url: str, *argv: str) -> int:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    return main(list(argv))


def cases_in(url: str) -> list[Case]:
    async def go() -> list[Case]:
        engine = make_engine(url)
        try:
            async with make_session_factory(engine)() as session:
                return list((await session.exec(select(Case).order_by(col(Case.number)))).all())
        finally:
            await engine.dispose()

    return asyncio.run(go())


def rows_of(url: str, model: type, *where: object) -> list:  # type: ignore[type-arg]
    async def go() -> list:  # type: ignore[type-arg]
        engine = make_engine(url)
        try:
            async with make_session_factory(engine)() as session:
                return list((await session.exec(select(model).where(*where))).all())
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_hrms_export_imports_all_or_nothing_and_once(database_url: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A file with an impossible date and an unknown ward imports nothing and names both lines; fixed, the dry
    run says what would happen and stores nothing; the import stores eight cases (closed history, one open E
    joining the queue triaged, an unfinished level 3, a sentinel I) and a second import adds nothing."""
    rows = hrms_history()
    bad = [*rows[:3], hrms_row("67-00199", "31/02/2569", "ward_med", "CPP405", "C", "ลื่นล้ม"),
           *rows[3:6], hrms_row("67-00198", "22/11/2569", "หอผู้ป่วยพิเศษชั้น 5", "CPP405", "C", "ตกเตียง"),
           rows[0]]
    file = write(tmp_path / "hrms.xlsx", HRMS_HEADER, bad)
    assert cli(monkeypatch, database_url, "import-incidents", str(file), "--mapping", str(HRMS)) == 1
    err = capsys.readouterr().err
    assert "line 5: no such date '31/02/2569'" in err
    assert "line 9: unit 'หอผู้ป่วยพิเศษชั้น 5' is not in units.toml" in err and "nothing imported" in err
    assert cases_in(database_url) == []

    file = write(tmp_path / "hrms.xlsx", HRMS_HEADER, [*rows, rows[0]])  # the first row pasted twice
    assert cli(monkeypatch, database_url, "import-incidents", str(file), "--mapping", str(HRMS), "--dry-run") == 0
    assert "would import 8 of 9 rows (3 open, joining the queue); 0 already imported, 1 repeated" in \
        capsys.readouterr().out
    assert cases_in(database_url) == []

    assert cli(monkeypatch, database_url, "import-incidents", str(file), "--mapping", str(HRMS)) == 0
    assert "imported 8 of 9 rows (3 open" in capsys.readouterr().out
    cases = {c.external_ref: c for c in cases_in(database_url)}
    assert len(cases) == 8 and all(c.source == "import" and c.kind == "incident" for c in cases.values())
    fall = cases["hrms:67-00101"]
    assert (fall.number, fall.status, fall.severity, fall.risk_code, fall.unit_code) == \
        ("2570-0001", "closed", "C", "CPP405", "ward_med")
    assert fall.created_at == datetime(2026, 11, 2, 1, 15, tzinfo=UTC) and fall.hrms["location"] == "ห้องน้ำ"
    assert cases["hrms:67-00102"].severity == "D" and cases["hrms:67-00102"].unit_code == "ward_med"
    assert cases["hrms:67-00103"].created_at == datetime(2026, 11, 9, 15, 40, tzinfo=UTC)  # a B.E. date cell
    assert cases["hrms:67-00103"].summary == "ผป.พลัดตกขณะเดินไปห้องน้ำ\nไม่มีบาดแผล"
    drug = cases["hrms:67-00104"]
    assert (drug.status, drug.severity, drug.unit_code, drug.review_required) == ("triaged", "E", "pharmacy", "review")
    assert drug.resolve_due_at is not None and drug.resolve_due_at > datetime(2026, 12, 1, tzinfo=UTC)  # from today
    money = cases["hrms:67-00105"]
    assert (money.status, money.severity, money.hrms["severity"]) == ("triaged", "E", "3")  # level 3 kept as E
    death = cases["hrms:67-00106"]
    assert death.sentinel_hint and death.severity == "I" and death.review_required == "rca"
    assert cases["hrms:67-00107"].summary.startswith("=HYPERLINK")  # stored as typed; made inert on export
    reminders = rows_of(database_url, Reminder, col(Reminder.case_id).in_([drug.id, money.id, death.id]))
    assert {r.recipient_role for r in reminders} >= {"assignee", "director"}
    imported = rows_of(database_url, CaseEvent, CaseEvent.action == "imported")
    assert len(imported) == 8 and {e.detail["line"] for e in imported} == set(range(2, 10))

    assert cli(monkeypatch, database_url, "import-incidents", str(file), "--mapping", str(HRMS)) == 0
    assert "imported 0 of 9 rows (0 open, joining the queue); 8 already imported, 1 repeated" in \
        capsys.readouterr().out
    assert len(cases_in(database_url)) == 8
    audits = rows_of(database_url, AuditLog, AuditLog.action == "hrms.import")
    assert [(a.allowed, a.detail["dry_run"], a.detail["imported"], a.detail["bad"]) for a in audits] == \
        [(False, False, 0, 2), (True, True, 8, 0), (True, False, 8, 0), (True, False, 0, 0)]
    assert all(a.actor.startswith("cli") for a in audits)


def test_other_layout_from_csv_with_status_and_no_receipt(database_url: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The other system's CSV (code and title in one column, date and time apart, a status column, no receipt
    number) imports with its statuses; the rows are recognised again on a second import."""
    rows = [
        ["CPP405: พลัดตก/หกล้ม", "ระดับ C", "ผู้ป่วยลื่นล้มหน้าห้องน้ำ", "3 พ.ย. 2569", "02:30", "3/11/2569",
         "อายุรกรรม", "อายุรกรรม", "ห้องน้ำชาย", "ประเมินซ้ำ", "ติดราวจับ", "แก้ไขแล้ว"],
        ["CPM204 Dispensing error", "F", "จ่ายยาผิดขนาด ผู้ป่วยต้องนอนสังเกตอาการ", "10/11/2569", "16.45",
         "10/11/2569", "ห้องยา", "ห้องยา", "", "", "", "อยู่ระหว่างแก้ไข"],
        ["GPE101: อาคารสถานที่", "2", "ฝ้าเพดานรั่ว น้ำหยดใส่เตียงผู้ป่วย", "12 พ.ย. 69", "", "12 พ.ย. 69",
         "งานบริหารทั่วไป", "อายุรกรรม", "", "", "", "ไม่ใช่อุบัติการณ์"],
    ]
    file = write(tmp_path / "risk.csv", RISK_HEADER, rows)
    assert cli(monkeypatch, database_url, "import-incidents", str(file), "--mapping", str(RISK)) == 0
    assert "imported 3 of 3 rows (1 open" in capsys.readouterr().out
    by_code = {c.risk_code: c for c in cases_in(database_url)}
    fall, drug, roof = by_code["CPP405"], by_code["CPM204"], by_code["GPE101"]
    assert fall.status == "closed" and fall.occurred_at == datetime(2026, 11, 2, 19, 30, tzinfo=UTC)
    assert fall.external_ref is not None and fall.external_ref.startswith("risk:sha:")
    assert (drug.status, drug.severity, drug.unit_code) == ("triaged", "F", "pharmacy")
    assert (roof.status, roof.severity, roof.unit_code) == ("rejected", "D", "admin")
    assert cli(monkeypatch, database_url, "import-incidents", str(file), "--mapping", str(RISK)) == 0
    assert "3 already imported" in capsys.readouterr().out and len(cases_in(database_url)) == 3


def test_a_clinical_code_graded_as_a_number_is_a_bad_row(sqlite_url: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """HRMS grades clinical codes A–I: "3" on a clinical code, an unknown code and a missing summary are bad rows."""
    rows = [hrms_row("1", "1/11/2569", "ward_med", "CPP405", "3", "ล้ม"),
            hrms_row("2", "1/11/2569", "ward_med", "XYZ123", "C", "ล้ม"),
            hrms_row("3", "1/11/2569", "ward_med", "CPP405", "C", "")]
    file = write(tmp_path / "bad.csv", HRMS_HEADER, rows)
    assert cli(monkeypatch, sqlite_url, "import-incidents", str(file), "--mapping", str(HRMS)) == 1
    err = capsys.readouterr().err
    assert "line 2: severity '3' for clinical code CPP405" in err
    assert "line 3: risk code 'XYZ123' is not in HA's NRLS list" in err and "line 4: no summary" in err


def test_mapping_errors_name_the_file_and_what_to_fix(tmp_path: Path) -> None:
    """A mapping without a required field, or naming a field that does not exist, says so."""
    from store.hrms import MappingError

    (tmp_path / "m.toml").write_text('[columns]\nrisk_code = "รหัส"\nseverity = "ระดับ"\n', encoding="utf-8")
    with pytest.raises(MappingError, match=re.escape("m.toml: [columns] summary is required")):
        load_mapping(tmp_path / "m.toml")
    (tmp_path / "m.toml").write_text('[columns]\npatient_name = "ชื่อผู้ป่วย"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="'patient_name' is not an incident field"):
        load_mapping(tmp_path / "m.toml")
    assert load_mapping(HRMS).columns["receipt_no"] == ("เลขที่รับ",)
    assert load_mapping(RISK).columns["occurred_at"] == ("วันที่เกิดอุบัติการณ์", "เวลาที่เกิด")
