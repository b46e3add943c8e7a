"""The HA report the committee shows surveyors (issue 19), beyond the risk views of store/hrms_report.py:

- **complaint handling** (HA I-3, patient voice): patients' complaints opened in the period, by severity —
  hours to the first response and to close (median and 90th percentile, as Excel's MEDIAN and
  PERCENTILE.INC compute them), the share closed within the severity policy's deadline, and repeat
  complaints (the same patient, or the same NRLS code — the topic while uncoded — at the same unit);
- **indicator 6 as a run chart** over several fiscal years (IV-2 results): satisfied % per month, OPD and IPD
  together, its median, the runs of six or more points on one side of it (a shift), and the committee's
  annotations of what they changed and when (`IndicatorNote`, `/note [YYYY-MM-DD] text`).

Definitions, so the committee can check the figures by hand:
- *first response*: the first thing a staff member did on the case (its first CaseEvent by a staff actor:
  triage, a note, acknowledgement …), which is also when the patient first hears from a person;
- *close*: the case's `closed_at` (a reopened case counts when it is closed again);
- *deadline*: the one the severity policy (`config/severity_policy.toml`, `resolve_within`) gave the case at
  triage (`cases.resolve_due_at`, counted from the first triage; a reopen counts from the reopen). A case is
  judged once it is closed or its deadline has passed; a case still open before its deadline is not judged yet;
- *repeat*: within the period; a patient with two or more complaints, and a code (or topic) + unit with two or
  more complaints. No patient identity is reported, only counts and code/unit pairs.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.hrms_report import HrmsReport, build_report, workbook
from store.indicator import IndicatorConfig, Period, compute_kpi, fiscal_year_period, thai_month
from store.models import Case, CaseEvent, IndicatorNote, Staff, Unit
from store.periods import thai_date

SEVERITY_ORDER = ("A", "B", "C", "D", "E", "F", "G", "H", "I", "SE", "untriaged")
SHIFT_RUN = 6  # points in a row on one side of the median: a shift (IHI run chart rules)
RUN_YEARS = 3  # fiscal years on the run chart: the period's and the two before
NOTE_MAX = 300


@dataclass
class HandlingRow:
    severity: str  # A … SE, "untriaged", or "all"
    complaints: int = 0
    responded: int = 0
    response_median: float | None = None  # hours
    response_p90: float | None = None
    closed: int = 0
    close_median: float | None = None  # hours
    close_p90: float | None = None
    judged: int = 0
    within: int = 0

    @property
    def within_pct(self) -> float | None:
        return None if self.judged == 0 else self.within * 100 / self.judged


@dataclass
class Handling:
    rows: list[HandlingRow] = field(default_factory=list)  # by severity, in policy order
    total: HandlingRow = field(default_factory=lambda: HandlingRow("all"))
    repeat_patients: int = 0  # patients with two or more complaints in the period
    repeat_patient_complaints: int = 0  # the complaints those patients made
    repeat_groups: list[tuple[str, str, int]] = field(default_factory=list)  # code or topic, unit name, count


@dataclass
class RunPoint:
    month: str  # 2026-11
    label: str  # พ.ย. 69
    respondents: int
    satisfied: int

    @property
    def pct(self) -> float | None:
        return None if self.respondents == 0 else self.satisfied * 100 / self.respondents


@dataclass
class NoteMark:
    number: int  # 1, 2 … as drawn on the chart
    id: int
    day: date
    text: str

    @property
    def label(self) -> str:
        return thai_date(self.day)


@dataclass
class RunChart:
    fiscal_years: list[int]
    points: list[RunPoint]
    median: float | None
    shifts: list[tuple[int, int]]  # [first, last] point indexes of each shift
    notes: list[NoteMark]
    thresholds: tuple[float, ...]  # the period's fiscal year's level thresholds (shown as a reference)


@dataclass
class HaReport:
    period: Period
    risk: HrmsReport
    handling: Handling
    run: RunChart


def hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def median_p90(values: list[float]) -> tuple[float | None, float | None]:
    """MEDIAN and PERCENTILE.INC(…, 0.9) as Excel computes them (linear between the closest ranks)."""
    if not values:
        return None, None
    if len(values) == 1:
        return values[0], values[0]
    return statistics.median(values), statistics.quantiles(values, n=10, method="inclusive")[-1]


async def handling_figures(session: AsyncSession, *, period: Period, now: datetime) -> Handling:
    """Complaint handling of the patients' complaints opened in the period (see the module's definitions)."""
    cases = list((await session.exec(select(Case).where(
        col(Case.kind) == "complaint", col(Case.status).notin_(("rejected", "duplicate")),
        col(Case.created_at) >= period.start_utc, col(Case.created_at) < period.end_utc,
    ))).all())
    ids = [c.id for c in cases if c.id is not None]
    first: dict[int, datetime] = {}
    if ids:
        rows = (await session.exec(select(col(CaseEvent.case_id), func.min(col(CaseEvent.at))).where(
            col(CaseEvent.case_id).in_(ids), col(CaseEvent.actor_kind) == "staff",
        ).group_by(col(CaseEvent.case_id)))).all()
        first = {case_id: at for case_id, at in rows}

    def figures(severity: str, group: list[Case]) -> HandlingRow:
        row = HandlingRow(severity, complaints=len(group))
        response = [hours(first[c.id] - c.created_at) for c in group if c.id in first]
        closed = [hours(c.closed_at - c.created_at) for c in group if c.status == "closed" and c.closed_at]
        row.responded, row.closed = len(response), len(closed)
        row.response_median, row.response_p90 = median_p90(response)
        row.close_median, row.close_p90 = median_p90(closed)
        for case in group:
            due = case.resolve_due_at
            if due is None:
                continue
            done = case.closed_at if case.status == "closed" else None
            if done is not None or due <= now:
                row.judged += 1
                row.within += done is not None and done <= due
        return row

    by_severity: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_severity[case.severity or "untriaged"].append(case)
    handling = Handling(
        rows=[figures(s, by_severity[s]) for s in sorted(by_severity, key=_severity_rank)],
        total=figures("all", cases),
    )
    per_patient = Counter(c.patient_id for c in cases if c.patient_id is not None)
    handling.repeat_patients = sum(1 for n in per_patient.values() if n > 1)
    handling.repeat_patient_complaints = sum(n for n in per_patient.values() if n > 1)
    units = {u.code: u.name_th for u in (await session.exec(select(Unit))).all()}
    groups = Counter((c.risk_code or c.primary_topic or "-", c.unit_code or "") for c in cases)
    handling.repeat_groups = sorted(
        ((what, units.get(unit, unit or "-"), n) for (what, unit), n in groups.items() if n > 1),
        key=lambda g: (-g[2], g[0], g[1]),
    )
    return handling


def _severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


# --- the committee's annotations -------------------------------------------------------------------------


async def add_note(session: AsyncSession, *, day: date, text: str, author: Staff, now: datetime) -> IndicatorNote:
    note = IndicatorNote(day=day, text=text.strip()[:NOTE_MAX], author_staff_id=author.id, created_at=now)
    session.add(note)
    await session.flush()
    return note


async def notes_between(session: AsyncSession, start: date, end: date) -> list[IndicatorNote]:
    """Annotations dated in [start, end), oldest first."""
    return list((await session.exec(select(IndicatorNote).where(
        col(IndicatorNote.day) >= start, col(IndicatorNote.day) < end,
    ).order_by(col(IndicatorNote.day), col(IndicatorNote.id)))).all())


async def all_notes(session: AsyncSession) -> list[IndicatorNote]:
    return list((await session.exec(select(IndicatorNote).order_by(col(IndicatorNote.day),
                                                                   col(IndicatorNote.id)))).all())


# --- indicator 6 as a run chart --------------------------------------------------------------------------


def shifts(values: list[float | None], centre: float | None, run: int = SHIFT_RUN) -> list[tuple[int, int]]:
    """Runs of `run` or more points in a row on one side of the centre line; points on it neither break
    nor extend a run, months without respondents are skipped (IHI run chart rules)."""
    if centre is None:
        return []
    found: list[tuple[int, int]] = []
    side, start, last, count = 0, -1, -1, 0
    for i, v in enumerate(values):
        if v is None or v == centre:
            continue
        s = 1 if v > centre else -1
        if s != side:
            if count >= run:
                found.append((start, last))
            side, start, count = s, i, 0
        count += 1
        last = i
    if count >= run:
        found.append((start, last))
    return found


async def indicator_run(
    session: AsyncSession, *, period: Period, config: IndicatorConfig, years: int = RUN_YEARS,
) -> RunChart:
    """Satisfied % (OPD and IPD together) per month from the first month of the fiscal year `years - 1`
    before the period's up to the period's last month, with the committee's annotations of that span."""
    last_fy = period.fiscal_year
    fiscal_years = list(range(last_fy - years + 1, last_fy + 1))
    points: list[RunPoint] = []
    for fy in fiscal_years:
        kpi = await compute_kpi(session, period=fiscal_year_period(fy), config=config)
        for p in kpi.trend:
            if p["month"] >= period.end.strftime("%Y-%m"):
                break
            opd, ipd = p["opd"], p["ipd"]
            points.append(RunPoint(p["month"], thai_month(p["month"], abbr=True), opd.respondents + ipd.respondents,
                                   opd.satisfied + ipd.satisfied))
    values = [p.pct for p in points]
    shown = [v for v in values if v is not None]
    centre = statistics.median(shown) if shown else None
    first = fiscal_year_period(fiscal_years[0]).start
    notes = await notes_between(session, first, period.end)
    marks = [NoteMark(i, n.id or 0, n.day, n.text) for i, n in enumerate(notes, 1)]
    return RunChart(fiscal_years, points, centre, shifts(values, centre), marks, config.thresholds(last_fy))


def note_position(chart: RunChart, day: date) -> float:
    """Where a date falls on the run chart's x axis (month index + the fraction of the month gone)."""
    first = date.fromisoformat(chart.points[0].month + "-01") if chart.points else day
    months = (day.year - first.year) * 12 + day.month - first.month
    next_month = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    length = (next_month - date(day.year, day.month, 1)).days
    return months - 0.5 + (day.day - 0.5) / length


# --- the whole report ------------------------------------------------------------------------------------


async def build_ha_report(
    session: AsyncSession, *, period: Period, now: datetime, config: IndicatorConfig,
) -> HaReport:
    risk = await build_report(session, period=period, now=now)
    handling = await handling_figures(session, period=period, now=now)
    run = await indicator_run(session, period=period, config=config)
    return HaReport(period, risk, handling, run)


def _num(value: float | None, digits: int = 1) -> float | str:
    return "–" if value is None else round(value, digits)


SEVERITY_TH = {"untriaged": "ยังไม่คัดกรอง", "all": "รวม"}


def write_ha_report(report: HaReport, out: Path, *, charts: dict[str, bytes] | None = None) -> None:
    """The HRMS report's sheets plus complaint handling and the indicator 6 run chart (with the chart images
    when given: `charts = {"matrix": png, "run": png}`)."""
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font

    wb = workbook(report.risk)
    charts = charts or {}
    bold = Font(bold=True)
    if "matrix" in charts:
        ws = wb["ตารางความเสี่ยง"]
        ws.add_image(Image(BytesIO(charts["matrix"])), "H2")

    ws = wb.create_sheet("การจัดการข้อร้องเรียน")
    h = report.handling
    ws.append([f"การจัดการข้อร้องเรียนของผู้รับบริการ {report.period.thai}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["ระดับความรุนแรง", "จำนวนเรื่อง", "ตอบสนองแล้ว", "ตอบสนองครั้งแรก มัธยฐาน (ชม.)",
               "ตอบสนองครั้งแรก เปอร์เซ็นไทล์ 90 (ชม.)", "ปิดแล้ว", "ปิดเรื่อง มัธยฐาน (ชม.)",
               "ปิดเรื่อง เปอร์เซ็นไทล์ 90 (ชม.)", "ครบกำหนดหรือปิดแล้ว", "ปิดภายในกำหนด", "ร้อยละปิดภายในกำหนด"])
    for cell in ws[2]:
        cell.font = bold
    for row in [*h.rows, h.total]:
        ws.append([SEVERITY_TH.get(row.severity, row.severity), row.complaints, row.responded,
                   _num(row.response_median), _num(row.response_p90), row.closed, _num(row.close_median),
                   _num(row.close_p90), row.judged, row.within, _num(row.within_pct)])
    ws.cell(ws.max_row, 1).font = bold
    ws.append([])
    ws.append(["กำหนดเวลา: ตามนโยบายระดับความรุนแรง (config/severity_policy.toml, resolve_within) นับจากวันคัดกรอง"])
    ws.append(["ผู้ร้องเรียนซ้ำ (ร้องเรียน 2 เรื่องขึ้นไปในช่วงนี้)", h.repeat_patients, "คน",
               h.repeat_patient_complaints, "เรื่อง"])
    ws.append([])
    ws.append(["เรื่องซ้ำ: รหัสความเสี่ยง (หรือประเด็น) เดียวกัน ที่หน่วยงานเดียวกัน", "หน่วยงาน", "จำนวนเรื่อง"])
    ws.cell(ws.max_row, 1).font = bold
    for what, unit, n in h.repeat_groups:
        ws.append([what, unit, n])
    ws.column_dimensions["A"].width = 48
    for letter in "BCDEFGHIJK":
        ws.column_dimensions[letter].width = 16

    ws = wb.create_sheet("ตัวชี้วัด 6")
    run = report.run
    years = f"{run.fiscal_years[0]}–{run.fiscal_years[-1]}"
    ws.append([f"ตัวชี้วัดที่ 6 ร้อยละความพึงพอใจของผู้รับบริการ (ผู้ป่วยนอกและผู้ป่วยใน) ปีงบประมาณ {years}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["เดือน", "ผู้ตอบ", "พึงพอใจ", "ร้อยละ", "ค่ามัธยฐาน", "shift"])
    for cell in ws[2]:
        cell.font = bold
    in_shift = {i for a, b in run.shifts for i in range(a, b + 1)}
    for i, p in enumerate(run.points):
        ws.append([p.label, p.respondents, p.satisfied, _num(p.pct, 2), _num(run.median, 2),
                   "✓" if i in in_shift else ""])
    ws.append([])
    ws.append(["บันทึกของคณะกรรมการ (สิ่งที่เปลี่ยนแปลง)", "วันที่", "ลำดับบนกราฟ"])
    ws.cell(ws.max_row, 1).font = bold
    for note in run.notes:
        ws.append([note.text, note.label, note.number])
    ws.column_dimensions["A"].width = 40
    if "run" in charts:
        ws.add_image(Image(BytesIO(charts["run"])), "H2")
    wb.save(out)
