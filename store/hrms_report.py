"""The monthly risk report the committee shows HA surveyors (standard II-1.2), built from the queue's cases,
imported HRMS history included (issue 19):

- the risk matrix: each NRLS code seen in the period placed by likelihood (how often it happened in the
  period, `LIKELIHOOD`) and impact (the worst severity it reached: A–B → 1 … I and SE → 5; a non-clinical
  level as itself), counted per code group (clinical C / general G);
- the top 10 codes of the period;
- E–I (non-clinical 3–5) incidents, and SE, up to the period's end that still lack a completed review/RCA
  (review required, not reviewed and not closed) or prevention measures, oldest first;
- monthly trends over the 12 months ending with the period (all, clinical, general, E–I, sentinel).

Rejected and duplicate cases never count. Dates are shown in Thai with Buddhist-era years (thai_strftime).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.hrms import LETTER_TO_LEVEL
from store.indicator import Period, month_key, thai_month
from store.models import Case, Unit
from store.periods import BANGKOK, local, thai_date

if TYPE_CHECKING:
    from openpyxl import Workbook

# Likelihood 1–5 from how many times one code happened in the period (a month): the first row whose
# minimum is reached. Written from the common 5×5 matrix Thai hospitals use (1 = rare … 5 = almost certain).
LIKELIHOOD = ((10, 5), (5, 4), (3, 3), (2, 2), (1, 1))
IMPACT = {"A": 1, "B": 1, "C": 2, "D": 2, "E": 3, "F": 3, "G": 4, "H": 4, "I": 5, "SE": 5}
RANK = {sev: i for i, sev in enumerate(IMPACT)}  # A < B < … < I < SE
HIGH = frozenset({"E", "F", "G", "H", "I", "SE"})  # E–I and, kept as their letters, non-clinical 3–5
GROUPS = {"C": "ด้านคลินิก (C)", "G": "ด้านทั่วไป (G)"}
CLOSED = ("rejected", "duplicate")
TREND_MONTHS = 12


def likelihood(count: int) -> int:
    return next(level for least, level in LIKELIHOOD if count >= least)


def shown(code: str | None, severity: str | None) -> str:
    """The severity as HRMS shows it: a letter for clinical codes, 1–5 for non-clinical ones."""
    if (code or "").startswith("G") and severity in LETTER_TO_LEVEL:
        return LETTER_TO_LEVEL[severity]
    return severity or "-"


@dataclass
class BacklogItem:
    number: str
    receipt: str
    reported: str
    unit: str
    code: str
    severity: str
    status: str
    missing: list[str]
    days: int


@dataclass
class HrmsReport:
    period: Period
    total: int = 0
    uncoded: int = 0
    sentinel: int = 0
    matrix: dict[str, dict[tuple[int, int], list[str]]] = field(default_factory=dict)  # group → (L, I) → codes
    top: list[tuple[str, str, int, str]] = field(default_factory=list)  # code, name, count, worst severity
    backlog: list[BacklogItem] = field(default_factory=list)
    trend: list[dict[str, Any]] = field(default_factory=list)


def _severity(case: Case) -> str | None:
    return case.severity or case.severity_hint


def _trend_start(period: Period) -> date:
    year, month = period.end.year, period.end.month - TREND_MONTHS
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


async def build_report(session: AsyncSession, *, period: Period, now: datetime) -> HrmsReport:
    from nlp.nrls import load_codes

    names = load_codes()
    units = {u.code: u.name_th for u in (await session.exec(select(Unit))).all()}
    report = HrmsReport(period=period)
    trend_from = min(_trend_start(period), period.start)
    since = datetime.combine(trend_from, time(), BANGKOK).astimezone(UTC)
    rows = (await session.exec(select(Case).where(
        col(Case.created_at) >= since, col(Case.created_at) < period.end_utc, col(Case.status).notin_(CLOSED),
    ))).all()
    in_period = [c for c in rows if c.created_at >= period.start_utc]
    report.total = len(in_period)
    report.uncoded = sum(1 for c in in_period if not c.risk_code)
    report.sentinel = sum(1 for c in in_period if c.sentinel_hint or c.severity == "SE")

    counts: Counter[str] = Counter(c.risk_code for c in in_period if c.risk_code)
    worst: dict[str, str] = {}
    for case in in_period:
        sev = _severity(case)
        if case.risk_code and sev in RANK and RANK[sev] >= RANK[worst.get(case.risk_code, "A")]:
            worst[case.risk_code] = sev
    for group in GROUPS:
        report.matrix[group] = defaultdict(list)
    for code, n in sorted(counts.items()):
        if code in worst and code[:1] in GROUPS:
            report.matrix[code[:1]][(likelihood(n), IMPACT[worst[code]])].append(code)
    report.top = [(code, names.get(code, ""), n, worst.get(code, "-")) for code, n in counts.most_common(10)]

    backlog_rows = (await session.exec(select(Case).where(
        col(Case.created_at) < period.end_utc, col(Case.status).notin_(CLOSED),
        col(Case.severity).in_(HIGH) | (col(Case.severity).is_(None) & col(Case.severity_hint).in_(HIGH)),
    ).order_by(col(Case.created_at), col(Case.id)))).all()
    for case in backlog_rows:
        missing = []
        if case.review_required != "none" and case.reviewed_at is None and case.status != "closed":
            missing.append("ยังไม่ทบทวน/RCA" if case.review_required == "review" else "ยังไม่ทำ RCA")
        if not (case.prevention or "").strip():
            missing.append("ยังไม่มีมาตรการป้องกัน")
        if missing:
            report.backlog.append(BacklogItem(
                number=case.number, receipt=(case.hrms or {}).get("receipt_no") or "",
                reported=thai_date(case.created_at), unit=units.get(case.unit_code or "", case.unit_code or "-"),
                code=case.risk_code or "-", severity=shown(case.risk_code, _severity(case)), status=case.status,
                missing=missing, days=(now - case.created_at).days,
            ))

    months: dict[str, dict[str, Any]] = {}
    day = trend_from
    while day < period.end:
        key = month_key(day)
        months[key] = {"month": key, "label": thai_month(key, abbr=True), "all": 0, "clinical": 0, "general": 0,
                       "high": 0, "sentinel": 0}
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    for case in rows:
        bucket = months.get(month_key(local(case.created_at).date()))
        if bucket is None:
            continue
        bucket["all"] += 1
        bucket["clinical"] += (case.risk_code or "").startswith("C")
        bucket["general"] += (case.risk_code or "").startswith("G")
        bucket["high"] += _severity(case) in HIGH
        bucket["sentinel"] += bool(case.sentinel_hint or case.severity == "SE")
    report.trend = list(months.values())
    return report


def write_report(report: HrmsReport, out: Path) -> None:
    """The report as an XLSX workbook: one sheet per view, Thai headers, Buddhist-era dates."""
    workbook(report).save(out)


def workbook(report: HrmsReport) -> Workbook:
    """The report's sheets (store/ha_report.py adds complaint handling and indicator 6 to them)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "สรุป"
    ws.append([f"รายงานความเสี่ยงประจำเดือน {report.period.thai}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["อุบัติการณ์ทั้งหมด", report.total])
    ws.append(["ยังไม่ลงรหัสความเสี่ยง (NRLS)", report.uncoded])
    ws.append(["เหตุการณ์ร้ายแรง (Sentinel Event)", report.sentinel])
    ws.append(["ระดับ E–I / 3–5 ที่ยังไม่ทบทวนหรือไม่มีมาตรการป้องกัน", len(report.backlog)])

    ws = wb.create_sheet("ตารางความเสี่ยง")
    colours = {2: "C6EFCE", 3: "FFEB9C", 4: "F4B183", 5: "FF7C80"}
    for group, label in GROUPS.items():
        ws.append([f"ตารางความเสี่ยง {label}: จำนวนรหัส (โอกาสเกิด × ความรุนแรง)"])
        ws.cell(ws.max_row, 1).font = bold
        ws.append(["ความรุนแรง \\ โอกาสเกิด", *(f"{n}" for n in range(1, 6))])
        for impact in range(5, 0, -1):
            cells = report.matrix[group].get
            ws.append([f"ระดับ {impact}", *(len(cells((lk, impact), [])) for lk in range(1, 6))])
            for lk in range(1, 6):
                codes = report.matrix[group].get((lk, impact), [])
                cell = ws.cell(ws.max_row, lk + 1)
                score = min(5, max(1, (lk * impact + 4) // 5))
                cell.fill = PatternFill("solid", fgColor=colours.get(score, "FFFFFF"))
                if codes:
                    cell.comment = Comment(", ".join(codes), "Patient Voice")
        ws.append([])
    ws.append(["โอกาสเกิด: จำนวนครั้งของรหัสเดียวกันในช่วงรายงาน "
               + ", ".join(f"{lv} = {least}+ ครั้ง" for least, lv in sorted(LIKELIHOOD, key=lambda x: x[1]))])

    ws = wb.create_sheet("รหัสที่พบบ่อย")
    ws.append(["ลำดับ", "รหัสความเสี่ยง", "หัวข้อ", "จำนวนครั้ง", "ความรุนแรงสูงสุด"])
    for i, (code, name, n, sev) in enumerate(report.top, 1):
        ws.append([i, code, name, n, shown(code, sev)])

    ws = wb.create_sheet("รอทบทวน-มาตรการ")
    ws.append(["เลขที่เรื่อง", "เลขที่รับ HRMS", "วันที่รายงาน", "หน่วยงาน", "รหัสความเสี่ยง", "ความรุนแรง",
               "สถานะ", "สิ่งที่ยังขาด", "ค้างมา (วัน)"])
    for item in report.backlog:
        ws.append([item.number, item.receipt, item.reported, item.unit, item.code, item.severity,
                   STATUS_TH.get(item.status, item.status), ", ".join(item.missing), item.days])

    ws = wb.create_sheet("แนวโน้ม")
    ws.append(["เดือน", "ทั้งหมด", "ด้านคลินิก", "ด้านทั่วไป", "ระดับ E–I / 3–5", "sentinel"])
    for row in report.trend:
        ws.append([row["label"], row["all"], row["clinical"], row["general"], row["high"], row["sentinel"]])

    for sheet in wb.worksheets:
        for cell in sheet[1 if sheet.title != "ตารางความเสี่ยง" else 2]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True)
        for column in sheet.columns:
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = min(60, max(10, *(len(str(c.value or "")) for c in column)))
    return wb


STATUS_TH = {"new": "ใหม่", "triaged": "คัดกรองแล้ว", "acknowledged": "หน่วยงานรับทราบ", "resolved": "แก้ไขแล้ว รอทบทวน",
             "reviewed": "ทบทวนแล้ว", "awaiting_patient": "รอผู้ร้องเรียนยืนยัน", "closed": "ปิดเรื่อง"}
