"""Indicator 6 (seed 003): ร้อยละของระดับความพึงพอใจของผู้รับบริการ, computed in SQL.

Satisfied % = respondents whose mean item score (`SurveyResponse.mean_score`) is in the satisfied band
(default ≥ 3.51) ÷ respondents × 100, separately for OPD and IPD, by `SurveyResponse.visit_date`.
The level reached (1–5) compares the percentage with the fiscal year's thresholds (65/70/75/80/85 by
default; `config/indicator.toml`): a threshold is reached when the percentage is greater than or equal
to it. Nobody surveyed → percentage and level are None (never a division by zero).

Periods (parse_period):
- ``2026-10``      a calendar month (a B.E. year such as ``2569-10`` is accepted too);
- ``2027-Q1``      a CALENDAR quarter: Jan–Mar 2027 (which is the 2nd quarter of FY2570);
- ``FY2570-Q1``    a FISCAL quarter as Thai government reports use them: Q1 = Oct–Dec 2026;
- ``FY2570``       the Thai fiscal year 1 Oct 2569 – 30 Sep 2570 B.E. (Oct 2026 – Sep 2027).
Every period is a union of whole months and lies inside one fiscal year, whose thresholds apply.

All figures are aggregate queries (COUNT/SUM/AVG … GROUP BY); Python only adds up the handful of
grouped rows (one per month and service type) and computes the Wilson interval from the two counts.
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, or_, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from store.config_files import hospital_file
from store.models import Case, SurveyItemScore, SurveyResponse
from store.periods import BANGKOK, BE_OFFSET
from store.statuses import UNRESOLVED, CaseStatus

SERVICE_TYPES = ("opd", "ipd")
DIMENSIONS = ("process", "staff", "facility")
ENGAGEMENT = ("confidence", "integrity", "pride", "passion")
DEFAULT_BAND = 3.51
DEFAULT_THRESHOLDS = (65.0, 70.0, 75.0, 80.0, 85.0)
# Means are stored as floats: 3.51 may come back as 3.5099999999; compare with a tiny tolerance.
EPS = 1e-9
Z95 = 1.959963984540054

THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
THAI_MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")

PERIOD_HELP = (
    "2026-10 (month; 2569-10, พ.ย. 69, พฤศจิกายน 2569 also work) | 2027-Q1 (calendar quarter Jan–Mar 2027) | "
    "FY2570-Q1 or ไตรมาส 1 ปีงบ 2570 (fiscal quarter Oct–Dec 2026) | FY2570 or ปีงบ 2570 (fiscal year "
    "Oct 2026 – Sep 2027)"
)


class PeriodError(ValueError):
    """A period the user typed that cannot be read."""


class IndicatorConfigError(ValueError):
    """config/indicator.toml cannot be used; the message says which key and why."""


# --- periods -----------------------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def thai_month(key: str, *, abbr: bool = False) -> str:
    """'2026-10' → 'ตุลาคม 2569' (or 'ต.ค. 69' abbreviated)."""
    year, month = int(key[:4]), int(key[5:7])
    if abbr:
        return f"{THAI_MONTHS_ABBR[month - 1]} {str(year + BE_OFFSET)[-2:]}"
    return f"{THAI_MONTHS[month - 1]} {year + BE_OFFSET}"


@dataclass(frozen=True)
class Period:
    """[start, end) in whole months; `fiscal_year` is the B.E. fiscal year it lies in."""

    kind: str  # month | quarter | fiscal_quarter | fiscal_year
    label: str  # canonical: 2026-10, 2027-Q1, FY2570-Q1, FY2570
    start: date
    end: date  # exclusive, the first day after the period

    @property
    def fiscal_year(self) -> int:
        return self.start.year + BE_OFFSET + (1 if self.start.month >= 10 else 0)

    @property
    def fiscal_year_range(self) -> tuple[date, date]:
        first = date(self.fiscal_year - BE_OFFSET - 1, 10, 1)
        return first, date(first.year + 1, 10, 1)

    @property
    def months(self) -> list[str]:
        out, day = [], self.start
        while day < self.end:
            out.append(month_key(day))
            day = _add_months(day, 1)
        return out

    @property
    def start_utc(self) -> datetime:
        return datetime.combine(self.start, time(), BANGKOK).astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return datetime.combine(self.end, time(), BANGKOK).astimezone(UTC)

    @property
    def thai(self) -> str:
        last = _add_months(self.end, -1)
        span = (f"{THAI_MONTHS_ABBR[self.start.month - 1]} {self.start.year + BE_OFFSET} – "
                f"{THAI_MONTHS_ABBR[last.month - 1]} {last.year + BE_OFFSET}")
        if self.kind == "month":
            return thai_month(self.label)
        if self.kind == "quarter":
            return f"ไตรมาส {self.label[-1]} ปีปฏิทิน {self.start.year + BE_OFFSET} ({span})"
        if self.kind == "fiscal_quarter":
            return f"ไตรมาส {self.label[-1]} ปีงบประมาณ {self.fiscal_year} ({span})"
        return f"ปีงบประมาณ {self.fiscal_year} ({span})"


_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_MONTH_NUMBER = {name: i for i, name in enumerate(THAI_MONTHS, 1)}
_MONTH_NUMBER.update({name: i for i, name in enumerate(THAI_MONTHS_ABBR, 1)})
_MONTH_NUMBER.update({name.replace(".", ""): i for i, name in enumerate(THAI_MONTHS_ABBR, 1)})  # "พย" without dots
_MONTH_WORDS = "|".join(sorted((re.escape(m) for m in _MONTH_NUMBER), key=len, reverse=True))
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$")
_FY = re.compile(r"^(?:FY|ปีงบ(?:ประมาณ)?)\s*(\d{4})(?:-?Q([1-4]))?$")


def _gregorian(year: int) -> int:
    """Years above 2400 are Buddhist-era (2569 → 2026)."""
    return year - BE_OFFSET if year > 2400 else year


def fiscal_year_period(fy_be: int) -> Period:
    start = date(fy_be - BE_OFFSET - 1, 10, 1)
    return Period("fiscal_year", f"FY{fy_be}", start, _add_months(start, 12))


def _be_year(text: str) -> int:
    """A Thai year as typed: 69 → 2569, 2569 → 2569 (B.E.), 2026 → 2569."""
    year = int(text)
    if year < 100:
        return 2500 + year
    return year if year > 2400 else year + BE_OFFSET


def _thai_words(raw: str) -> str:
    """Thai digits to Arabic, 'พ.ศ.'/'ที่' and spaces out, FY words as FY: 'ไตรมาสที่ ๑ ปีงบ ๗๐' → 'Q1FY70'."""
    text = raw.translate(_THAI_DIGITS).replace("พ.ศ.", "").replace(" ", "")
    text = re.sub(r"ไตรมาส(?:ที่)?", "Q", text)
    return re.sub(r"ปีงบ(?:ประมาณ)?", "FY", text)


def _thai_period(raw: str) -> Period | None:
    """พ.ย. 69 · พฤศจิกายน 2569 · พย69 (a month); ปีงบ 2570 · ปีงบ 70 (a fiscal year); ไตรมาส 1 ปีงบ 2570 ·
    ไตรมาส 1/2570 · Q1/70 (a fiscal quarter, as Thai government reports number them)."""
    text = _thai_words(raw)
    if m := re.fullmatch(rf"({_MONTH_WORDS})(\d{{2}}|\d{{4}})", text):
        start = date(_be_year(m.group(2)) - BE_OFFSET, _MONTH_NUMBER[m.group(1)], 1)
        return Period("month", month_key(start), start, _add_months(start, 1))
    if m := re.fullmatch(r"FY(\d{2}|\d{4})", text.upper()):
        return fiscal_year_period(_be_year(m.group(1)))
    if m := re.fullmatch(r"Q([1-4])(?:/|FY|-)?(\d{2}|\d{4})|FY(\d{2}|\d{4})-?Q([1-4])", text.upper()):
        q, fy = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        period = fiscal_year_period(_be_year(fy))
        start = _add_months(period.start, 3 * (int(q) - 1))
        return Period("fiscal_quarter", f"FY{period.fiscal_year}-Q{q}", start, _add_months(start, 3))
    return None


def parse_period(text: str | None, *, today: date) -> Period:
    """A period from what a person typed; empty means the current fiscal year."""
    if text and re.search(r"[\u0E00-\u0E7F]", text) and (thai := _thai_period(text.strip())) is not None:
        return thai
    raw = (text or "").strip().upper().replace(" ", "")
    if not raw:
        return fiscal_year_period(today.year + BE_OFFSET + (1 if today.month >= 10 else 0))
    if m := _FY.match(raw):
        fy = int(m.group(1))
        if fy < 2400:
            raise PeriodError(f"fiscal years are Buddhist-era (FY2570), not {fy}")
        period = fiscal_year_period(fy)
        if m.group(2):
            q = int(m.group(2))
            start = _add_months(period.start, 3 * (q - 1))
            return Period("fiscal_quarter", f"FY{fy}-Q{q}", start, _add_months(start, 3))
        return period
    if m := _QUARTER.match(raw):
        year, q = _gregorian(int(m.group(1))), int(m.group(2))
        start = date(year, 3 * (q - 1) + 1, 1)
        return Period("quarter", f"{year}-Q{q}", start, _add_months(start, 3))
    if m := _MONTH.match(raw):
        year, month = _gregorian(int(m.group(1))), int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"no month {month}")
        start = date(year, month, 1)
        return Period("month", month_key(start), start, _add_months(start, 1))
    raise PeriodError(f"cannot read period {text!r}; use {PERIOD_HELP}")


# --- configuration ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorConfig:
    satisfied_min_mean: float = DEFAULT_BAND
    default_thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS
    per_year: dict[int, tuple[float, ...]] = field(default_factory=dict)

    def thresholds(self, fiscal_year: int) -> tuple[float, ...]:
        return self.per_year.get(fiscal_year, self.default_thresholds)


def _thresholds(path: Path, name: str, value: Any) -> tuple[float, ...]:
    if not isinstance(value, list) or len(value) != 5 or not all(isinstance(v, int | float) for v in value):
        raise IndicatorConfigError(f"{path}: [levels.{name}] thresholds must be five numbers (levels 1–5)")
    out = tuple(float(v) for v in value)
    if any(not 0 <= v <= 100 for v in out) or any(a >= b for a, b in itertools.pairwise(out)):
        raise IndicatorConfigError(f"{path}: [levels.{name}] thresholds must rise strictly within 0–100: {value}")
    return out




def load_indicator_config(config_dir: Path | None) -> IndicatorConfig:
    """Read and check indicator.toml: the hospital's copy in CONFIG_DIR, else the shipped default."""
    path = hospital_file(config_dir, "indicator.toml")
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise IndicatorConfigError(f"{path}: {exc}") from None
    band = raw.get("band", {}).get("satisfied_min_mean", DEFAULT_BAND)
    if not isinstance(band, int | float) or not 1 <= band <= 5:
        raise IndicatorConfigError(f"{path}: [band] satisfied_min_mean must be a number from 1 to 5")
    levels = raw.get("levels", {})
    default: tuple[float, ...] = DEFAULT_THRESHOLDS
    per_year: dict[int, tuple[float, ...]] = {}
    for name, table in levels.items():
        values = _thresholds(path, name, (table or {}).get("thresholds"))
        if name == "default":
            default = values
        elif m := re.fullmatch(r"FY(\d{4})", name):
            per_year[int(m.group(1))] = values
        else:
            raise IndicatorConfigError(f"{path}: [levels.{name}] must be [levels.default] or [levels.FY2570]")
    return IndicatorConfig(float(band), default, per_year)


# --- the figures --------------------------------------------------------------------------------------


def level_reached(pct: float | None, thresholds: tuple[float, ...]) -> int | None:
    """0 below level 1, 1–5 otherwise; None when nobody was surveyed. Reaching a threshold counts."""
    if pct is None:
        return None
    return sum(1 for t in thresholds if pct + EPS >= t)


def wilson(satisfied: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for satisfied/n, in percent (None without respondents)."""
    if n <= 0:
        return None
    p = satisfied / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, (centre - half) * 100), min(100.0, (centre + half) * 100)


@dataclass
class Figure:
    """Satisfied respondents of one group (OPD, IPD, a ward, a channel…)."""

    respondents: int = 0
    satisfied: int = 0
    thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS

    @property
    def satisfied_pct(self) -> float | None:
        return None if self.respondents == 0 else self.satisfied * 100 / self.respondents

    @property
    def level(self) -> int | None:
        return level_reached(self.satisfied_pct, self.thresholds)

    @property
    def ci95(self) -> tuple[float, float] | None:
        return wilson(self.satisfied, self.respondents)

    def to_dict(self) -> dict[str, Any]:
        pct, ci = self.satisfied_pct, self.ci95
        return {
            "respondents": self.respondents,
            "satisfied": self.satisfied,
            "satisfied_pct": None if pct is None else round(pct, 2),
            "level": self.level,
            "ci95": None if ci is None else [round(ci[0], 2), round(ci[1], 2)],
        }


@dataclass
class Kpi:
    """The headline of indicator 6 for one period, with the month-by-month trend of its fiscal year."""

    period: Period
    thresholds: tuple[float, ...]
    band: float
    opd: Figure
    ipd: Figure
    total: Figure
    trend: list[dict[str, Any]]  # [{"month": "2026-10", "opd": Figure, "ipd": Figure}], whole fiscal year
    dimensions: dict[str, dict[str, float | None]]  # {"opd": {"process": 4.1, …}, …}; {} unless asked for

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.label,
            "period_kind": self.period.kind,
            "period_th": self.period.thai,
            "from": self.period.start.isoformat(),
            "to": (self.period.end - timedelta(days=1)).isoformat(),
            "fiscal_year": f"FY{self.period.fiscal_year}",
            "band_min_mean": self.band,
            "thresholds": list(self.thresholds),
            "opd": self.opd.to_dict(),
            "ipd": self.ipd.to_dict(),
            "total": self.total.to_dict(),
            "dimensions": self.dimensions,
            "trend": [
                {"month": p["month"], "opd": p["opd"].to_dict(), "ipd": p["ipd"].to_dict()} for p in self.trend
            ],
        }


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def _satisfied(band: float, column: Any = None) -> ColumnElement[int]:
    column = col(SurveyResponse.mean_score) if column is None else column
    return case((column >= band - EPS, 1), else_=0)


def _in_period(start: date, end: date) -> ColumnElement[bool]:
    return and_(col(SurveyResponse.visit_date) >= start, col(SurveyResponse.visit_date) < end)


def kpi_query(start: date, end: date, band: float) -> Any:
    """Respondents and satisfied respondents per visit day and service type in [start, end)."""
    day, service = col(SurveyResponse.visit_date), col(SurveyResponse.service_type)
    satisfied = func.count().filter(col(SurveyResponse.mean_score) >= band - EPS)
    return select(day, service, func.count(), satisfied).where(_in_period(start, end)).group_by(day, service)


async def compute_kpi(
    session: AsyncSession, *, period: Period, config: IndicatorConfig, trend: bool = True,
    dimensions: bool = False,
) -> Kpi:
    """The headline per OPD and IPD and (with `trend`) every month of its fiscal year; with `dimensions`
    also the period's mean score per dimension (a second query).

    One aggregate query grouped by visit day and service type — the order of the covering index
    ix_survey_visit_type_score, so SQLite reads only the index and needs no sort. At most 366 × 2
    grouped rows come back; the period (a union of whole months) is their sum."""
    band = config.satisfied_min_mean
    thresholds = config.thresholds(period.fiscal_year)
    start, end = period.fiscal_year_range if trend else (period.start, period.end)
    query = kpi_query(start, end, band)
    by_month: dict[tuple[str, str], Figure] = {}
    for visit_day, kind, n, sat in (await session.execute(query)).all():
        if kind not in SERVICE_TYPES:
            continue
        month = month_key(visit_day if isinstance(visit_day, date) else date.fromisoformat(str(visit_day)))
        fig = by_month.setdefault((kind, month), Figure(thresholds=thresholds))
        fig.respondents += int(n)
        fig.satisfied += int(sat or 0)
    figures = {s: Figure(thresholds=thresholds) for s in SERVICE_TYPES}
    for key in period.months:
        for s in SERVICE_TYPES:
            if (s, key) in by_month:
                figures[s].respondents += by_month[(s, key)].respondents
                figures[s].satisfied += by_month[(s, key)].satisfied
    total = Figure(figures["opd"].respondents + figures["ipd"].respondents,
                   figures["opd"].satisfied + figures["ipd"].satisfied, thresholds)
    trend_points = []
    if trend:
        for key in fiscal_year_period(period.fiscal_year).months:
            trend_points.append({
                "month": key,
                "opd": by_month.get(("opd", key), Figure(thresholds=thresholds)),
                "ipd": by_month.get(("ipd", key), Figure(thresholds=thresholds)),
            })
    means: dict[str, dict[str, float | None]] = {}
    if dimensions:
        detail = await dimension_breakdown(session, period=period, config=config)
        means = {s: {d: detail.get(s, {}).get(d, {}).get("mean") for d in DIMENSIONS} for s in SERVICE_TYPES}
    return Kpi(period, thresholds, band, figures["opd"], figures["ipd"], total, trend_points, means)


@dataclass
class Breakdowns:
    """Wards, channels and dimensions of one period, from ONE grouped scan (see `survey_breakdowns`)."""

    departments: list[dict[str, Any]]
    channels: list[dict[str, Any]]
    dimensions: dict[str, dict[str, dict[str, Any]]]


async def survey_breakdowns(session: AsyncSession, *, period: Period, config: IndicatorConfig) -> Breakdowns:
    """One aggregate query grouped by service type, department and channel (a few dozen groups) with the
    counts and sums every breakdown needs; wards, channels and dimension means are sums of those groups.
    One pass over the period's rows instead of three."""
    band = config.satisfied_min_mean
    thresholds = config.thresholds(period.fiscal_year)
    service, dept, channel = (col(SurveyResponse.service_type), col(SurveyResponse.department_code),
                              col(SurveyResponse.channel))
    parts: list[Any] = [func.count(), func.count().filter(col(SurveyResponse.mean_score) >= band - EPS)]
    for d in DIMENSIONS:
        c = col(getattr(SurveyResponse, f"{d}_mean"))
        parts += [func.sum(c), func.count(c), func.count().filter(c >= band - EPS)]
    query = select(service, dept, channel, *parts).where(_in_period(period.start, period.end)).group_by(
        service, dept, channel)
    by_dept: dict[tuple[str, Any], list[int]] = {}
    by_channel: dict[tuple[str, Any], list[int]] = {}
    dims: dict[str, list[list[float]]] = {}
    for row in (await session.execute(query)).all():
        kind, d_code, ch, n, sat = row[0], row[1], row[2], int(row[3]), int(row[4] or 0)
        for table, key in ((by_dept, (kind, d_code)), (by_channel, (kind, ch))):
            acc = table.setdefault(key, [0, 0])
            acc[0] += n
            acc[1] += sat
        acc_d = dims.setdefault(kind, [[0.0, 0, 0] for _ in DIMENSIONS])
        for i in range(len(DIMENSIONS)):
            acc_d[i][0] += float(row[5 + 3 * i] or 0)
            acc_d[i][1] += int(row[6 + 3 * i] or 0)
            acc_d[i][2] += int(row[7 + 3 * i] or 0)

    def rows_of(table: dict[Any, list[int]], name: str) -> list[dict[str, Any]]:
        ordered = sorted(table.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
        return [{"service_type": k[0], name: k[1], **Figure(v[0], v[1], thresholds).to_dict()} for k, v in ordered]

    dimensions: dict[str, dict[str, dict[str, Any]]] = {s: {} for s in SERVICE_TYPES}
    for kind, accs in dims.items():
        for i, d in enumerate(DIMENSIONS):
            total, n, sat = accs[i][0], int(accs[i][1]), int(accs[i][2])
            dimensions.setdefault(kind, {})[d] = {
                "mean": round(total / n, 2) if n else None,
                "respondents": int(n),
                "satisfied_pct": round(sat * 100 / n, 2) if n else None,
            }
    return Breakdowns(rows_of(by_dept, "department"), rows_of(by_channel, "channel"), dimensions)


async def breakdown(
    session: AsyncSession, *, period: Period, config: IndicatorConfig, by: str
) -> list[dict[str, Any]]:
    """Satisfied % per service type and department/ward (`by="department"`) or channel (`by="channel"`)."""
    found = await survey_breakdowns(session, period=period, config=config)
    return {"department": found.departments, "channel": found.channels}[by]


async def dimension_breakdown(
    session: AsyncSession, *, period: Period, config: IndicatorConfig
) -> dict[str, dict[str, dict[str, Any]]]:
    """Per service type and dimension: mean of the dimension's mean, and % whose dimension mean is satisfied."""
    return (await survey_breakdowns(session, period=period, config=config)).dimensions


async def engagement_breakdown(session: AsyncSession, *, period: Period) -> dict[str, dict[str, Any]]:
    """The four engagement levels (Confidence, Integrity, Pride, Passion) from the item scores: mean score,
    respondents, and the share of answers rated 4–5."""
    query = (
        select(
            col(SurveyItemScore.dimension), func.avg(col(SurveyItemScore.score)),
            func.count(distinct(col(SurveyItemScore.response_id))), func.count(),
            func.sum(case((col(SurveyItemScore.score) >= 4, 1), else_=0)),
        )
        .join(SurveyResponse, col(SurveyResponse.id) == col(SurveyItemScore.response_id))
        .where(_in_period(period.start, period.end), col(SurveyItemScore.dimension).in_(ENGAGEMENT))
        .group_by(col(SurveyItemScore.dimension))
    )
    out: dict[str, dict[str, Any]] = {
        e: {"mean": None, "respondents": 0, "answers": 0, "top2_pct": None} for e in ENGAGEMENT
    }
    for dim, mean, respondents, answers, top2 in (await session.execute(query)).all():
        out[dim] = {
            "mean": round(float(mean), 2), "respondents": int(respondents), "answers": int(answers),
            "top2_pct": round(int(top2 or 0) * 100 / int(answers), 2) if answers else None,
        }
    return out


# --- complaints from the queue ------------------------------------------------------------------------

def _hours_between(session: AsyncSession, later: Any, earlier: Any) -> ColumnElement[Any]:
    if _dialect(session) == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 24.0
    return func.extract("epoch", later - earlier) / 3600.0


async def complaint_figures(session: AsyncSession, *, period: Period, now: datetime) -> dict[str, Any]:
    """Patient complaints opened in the period (Bangkok dates): by topic and severity, share resolved within
    the deadline (of those resolved or already past due), hours to resolve, and the handling rating."""
    in_period = and_(
        col(Case.kind) == "complaint", col(Case.status) != CaseStatus.DUPLICATE,
        col(Case.created_at) >= period.start_utc, col(Case.created_at) < period.end_utc,
    )
    grouped = (
        select(col(Case.primary_topic), col(Case.severity), func.count())
        .where(in_period).group_by(col(Case.primary_topic), col(Case.severity))
    )
    by_topic: dict[str, int] = {}
    by_severity: dict[str, int] = {}
    total = 0
    for topic, severity, n in (await session.execute(grouped)).all():
        total += int(n)
        by_topic[topic or "other"] = by_topic.get(topic or "other", 0) + int(n)
        by_severity[severity or "untriaged"] = by_severity.get(severity or "untriaged", 0) + int(n)
    resolved = col(Case.resolved_at).is_not(None)
    due = col(Case.resolve_due_at)
    on_time = and_(resolved, due.is_not(None), col(Case.resolved_at) <= due)
    judged = and_(due.is_not(None), or_(resolved, due <= now))
    hours = _hours_between(session, col(Case.resolved_at), col(Case.created_at))
    summary = select(
        func.sum(case((on_time, 1), else_=0)), func.sum(case((judged, 1), else_=0)),
        func.sum(case((resolved, 1), else_=0)), func.avg(case((resolved, hours), else_=None)),
        func.avg(col(Case.handling_rating)), func.count(col(Case.handling_rating)),
        func.sum(case((col(Case.status).in_(UNRESOLVED), 1), else_=0)),
    ).where(in_period)
    row = (await session.execute(summary)).one()
    on_time_n, judged_n, resolved_n = int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)
    return {
        "complaints": total,
        "open": int(row[6] or 0),
        "by_topic": dict(sorted(by_topic.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_severity": dict(sorted(by_severity.items())),
        "resolved": resolved_n,
        "resolved_on_time": on_time_n,
        "deadline_judged": judged_n,
        "on_time_pct": round(on_time_n * 100 / judged_n, 2) if judged_n else None,
        "mean_hours_to_resolve": None if row[3] is None else round(float(row[3]), 1),
        "handling_rating_mean": None if row[4] is None else round(float(row[4]), 2),
        "handling_ratings": int(row[5] or 0),
    }


async def full_report(
    session: AsyncSession, *, period: Period, config: IndicatorConfig, now: datetime
) -> dict[str, Any]:
    """Everything SPEC §7 lists, as one JSON-able dict (CLI --json, dashboard)."""
    kpi = await compute_kpi(session, period=period, config=config)
    found = await survey_breakdowns(session, period=period, config=config)
    kpi.dimensions = {k: {d: v.get(d, {}).get("mean") for d in DIMENSIONS} for k, v in found.dimensions.items()}
    report = kpi.to_dict()
    report["dimension_detail"] = found.dimensions
    report["departments"] = found.departments
    report["channels"] = found.channels
    report["engagement"] = await engagement_breakdown(session, period=period)
    report["complaints"] = await complaint_figures(session, period=period, now=now)
    return report
