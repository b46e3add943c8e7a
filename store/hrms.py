"""HRMS in and out: the hospital's incident history imported from an HRMS export, and cases exported in the
HRMS column layout (issue 19).

A mapping file (config/hrms/*.toml) names the export's columns for each field below, so one importer reads
both the HRMS-on-cloud layout (เลขที่รับ, วัน-เวลา ที่รายงาน, รหัสหัวข้อ, ระดับความรุนแรง …) and other
systems' (รหัส: เรื่องอุบัติการณ์, ความรุนแรง, วันที่เกิดอุบัติการณ์ …).

Invariants of the import:
- all or nothing: every row is read and checked first; one bad row (reported by its line in the file) and
  nothing is written; otherwise every new row is written in the caller's one transaction;
- idempotent: a row's reference is "<system>:<receipt number>" (or, when the export has no receipt
  number, a hash of its date, unit, code and summary), unique in `cases.external_ref`; a row already in the
  database, or repeated in the file, is skipped and counted;
- history is a case like any other (kind incident, source "import", created when it was reported), so it
  counts in recurrence (store/cases.py), trends and the monthly report (store/hrms_report.py);
- a row with both the action taken and the prevention measures is closed history; any other row is open and
  joins the queue: triaged by the system (deadlines counted from the import) when it has a severity,
  otherwise new (the committee's untriaged reminder follows).

Dates: Buddhist-era and Christian-era years, Thai month names and abbreviations ("15 พ.ย. 2567 14:30",
"15 พฤศจิกายน 67"), numeric day/month/year ("15/11/2567 14:30 น.") and spreadsheet date cells; read as
Bangkok time, stored in UTC (`parse_thai_datetime`).
"""

from __future__ import annotations

import csv
import hashlib
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from pythainlp.util.date import thai_abbr_months, thai_full_months
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store import cases as case_store
from store.db import insert_missing
from store.exports import FORMULA_STARTS, csv_safe, csv_unescape
from store.models import Case, CaseCounter, Feedback, Unit
from store.periods import BANGKOK, BE_OFFSET, fiscal_year_be, local
from store.policy import Policy
from store.units import match_units

FIELDS = (
    "receipt_no", "reporting_unit", "reported_at", "location", "occurred_at", "unit", "group", "domain", "category",
    "subcategory", "risk_code", "topic", "severity", "summary", "action", "prevention", "cause", "status",
)
REQUIRED = ("risk_code", "severity", "summary")
HRMS_KEPT = ("reporting_unit", "location", "unit", "group", "domain", "category", "subcategory", "topic", "severity")
SOURCE = "import"
CODE = re.compile(r"\b([CG][A-Z]{2}\d{3})\b")
CLINICAL = "ABCDEFGHI"
GENERAL = "12345"
# The non-clinical level 1–5 kept as the policy's letter of the same harm (nlp/nrls.py; 1→B→1 round-trips).
LEVEL_TO_LETTER = {"1": "B", "2": "D", "3": "E", "4": "G", "5": "I"}
LETTER_TO_LEVEL = {"A": "1", "B": "1", "C": "2", "D": "2", "E": "3", "F": "3", "G": "4", "H": "4", "I": "5"}
MAX_ERRORS = 200


class MappingError(ValueError):
    """The mapping file (or the file's header) cannot be used; the message names the file and what to fix."""


# --- dates -------------------------------------------------------------------------------------------------

_MONTHS = {name: i for i, name in enumerate(thai_full_months, 1)}
_MONTHS.update({name: i for i, name in enumerate(thai_abbr_months, 1)})
_MONTHS.update({name.replace(".", ""): i for i, name in enumerate(thai_abbr_months, 1)})  # "พย" typed without dots
_MONTH_WORDS = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_DATE = re.compile(
    rf"^(?:วันที่\s*)?(\d{{1,2}})\s*(?:[/.\-]\s*(\d{{1,2}})\s*[/.\-]|\s*({_MONTH_WORDS})\s*)\s*(?:พ\.ศ\.\s*)?(\d{{2}}|\d{{4}})"
    r"(?:\s*(?:,|เวลา)?\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(?:น\.?)?)?$"
)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


def _year(text: str) -> int:
    """Four digits: a Buddhist-era year above 2400, else Christian era; two digits: Buddhist era (67 → 2567)."""
    year = int(text)
    if len(text) == 2:
        year += 2500
    return year - BE_OFFSET if year > 2400 else year


def parse_thai_datetime(value: Any) -> datetime | None:
    """A date (and time) as Thai exports write it, in Bangkok time, returned in UTC; None for an empty cell.
    Raises ValueError naming the text it could not read (a date that does not exist is not guessed at)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):  # a spreadsheet date cell
        when = value if value.tzinfo else value.replace(tzinfo=BANGKOK)
        if when.year > 2400:
            when = when.replace(year=when.year - BE_OFFSET)
        return when.astimezone(UTC)
    if isinstance(value, date):
        year = value.year - BE_OFFSET if value.year > 2400 else value.year
        return datetime.combine(value.replace(year=year), time(), BANGKOK).astimezone(UTC)
    text = " ".join(str(value).translate(_THAI_DIGITS).split())
    if m := _ISO.match(text):
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
        parts = (y - BE_OFFSET if y > 2400 else y, mo, d, h, mi, s)
    elif m := _DATE.match(text):
        d_text, mo_text, month_word, y_text, h_text, mi_text, s_text = m.groups()
        month = int(mo_text) if mo_text else _MONTHS[month_word]
        parts = (_year(y_text), month, int(d_text), int(h_text or 0), int(mi_text or 0), int(s_text or 0))
    else:
        raise ValueError(f"cannot read the date {text!r}")
    try:
        return datetime(*parts, tzinfo=BANGKOK).astimezone(UTC)
    except ValueError:
        raise ValueError(f"no such date {text!r}") from None


# --- mapping -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    """How one system's export names the fields (config/hrms/*.toml)."""

    path: Path
    system: str
    columns: dict[str, tuple[str, ...]]  # field → the column(s) read (several are joined: a date and a time)
    units: dict[str, str] = field(default_factory=dict)  # the export's unit name → unit code
    codes: dict[str, str] = field(default_factory=dict)  # an older or local code → HA's 2024 code
    status_values: dict[str, str] = field(default_factory=dict)  # the export's status → open | closed | rejected
    sheet: str | None = None
    header_row: int = 1

    def header(self, name: str) -> str:
        """The export's column for `name` (the first, when a field reads several): used by the export."""
        return self.columns[name][0]


def load_mapping(path: Path) -> Mapping:
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"{path}: {exc}") from None
    columns: dict[str, tuple[str, ...]] = {}
    for key, value in raw.get("columns", {}).items():
        if key not in FIELDS:
            raise MappingError(f"{path}: [columns] {key!r} is not an incident field; use one of {list(FIELDS)}")
        names = (value,) if isinstance(value, str) else tuple(value)
        if not names or not all(isinstance(n, str) and n.strip() for n in names):
            raise MappingError(f"{path}: [columns] {key} must be a column name or a list of them")
        columns[key] = tuple(n.strip() for n in names)
    for key in REQUIRED:
        if key not in columns:
            raise MappingError(f"{path}: [columns] {key} is required")
    if "unit" not in columns and "reporting_unit" not in columns:
        raise MappingError(f"{path}: map [columns] unit (the responsible unit) or reporting_unit")
    if "reported_at" not in columns and "occurred_at" not in columns:
        raise MappingError(f"{path}: map [columns] reported_at or occurred_at")
    status = raw.get("status", {})
    values = {str(k).strip(): str(v) for k, v in status.get("values", {}).items()}
    bad = sorted({v for v in values.values() if v not in ("open", "closed", "rejected")})
    if bad:
        raise MappingError(f"{path}: [status.values] maps to {bad}; use open, closed or rejected")
    if "status" in columns and not values:
        raise MappingError(f"{path}: [columns] status needs [status.values] (the export's words → open/closed)")
    file = raw.get("file", {})
    system = str(file.get("system", "hrms")).strip()
    if not re.fullmatch(r"[a-z0-9_-]{1,16}", system):
        raise MappingError(f"{path}: [file] system must be a short lower-case name such as \"hrms\"")
    header_row = file.get("header_row", 1)
    if not isinstance(header_row, int) or header_row < 1:
        raise MappingError(f"{path}: [file] header_row must be a line number (1 = the first line)")
    return Mapping(
        path=path, system=system, columns=columns,
        units={str(k).strip(): str(v) for k, v in raw.get("units", {}).items()},
        codes={str(k).strip().upper(): str(v).strip().upper() for k, v in raw.get("codes", {}).items()},
        status_values=values, sheet=file.get("sheet") or None, header_row=header_row,
    )


# --- reading ---------------------------------------------------------------------------------------------


def read_rows(path: Path, mapping: Mapping) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line in the file, {header: value}) for each non-empty row below the header row (CSV or XLSX)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb[mapping.sheet] if mapping.sheet else wb.worksheets[0]
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # a file's stated dimensions are often wrong (streamed writers, Sheets)
            yield from _rows(enumerate(ws.iter_rows(values_only=True), 1), mapping)
        finally:
            wb.close()
        return
    if path.suffix.lower() != ".csv":
        raise MappingError(f"{path}: import a .csv or .xlsx file")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from _rows(enumerate(csv.reader(fh), 1), mapping)


def _rows(lines: Any, mapping: Mapping) -> Iterator[tuple[int, dict[str, Any]]]:
    header: list[str] | None = None
    for number, values in lines:
        if number < mapping.header_row:
            continue
        if header is None:
            header = [" ".join(str(h).split()) if h is not None else "" for h in values]
            wanted = {c for names in mapping.columns.values() for c in names}
            missing = sorted(wanted - set(header))
            if missing:
                raise MappingError(f"{mapping.path.name}: columns not in the file's line {number}: {missing}")
            continue
        if values and any(v not in (None, "") for v in values):
            yield number, {h: (values[i] if i < len(values) else None) for i, h in enumerate(header)}


@dataclass
class Incident:
    """One row of the export, read and checked."""

    line: int
    ref: str
    reported_at: datetime
    occurred_at: datetime | None
    unit_code: str
    risk_code: str
    severity: str  # the policy's letter (a non-clinical 1–5 as its letter)
    sentinel: bool
    summary: str
    cause: str | None
    action: str | None
    prevention: str | None
    status: str  # open | closed | rejected
    hrms: dict[str, Any]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return csv_unescape(" ".join(str(value).split()) if "\n" not in str(value) else str(value).strip())


def _severity(raw: str, code: str) -> str:
    """"E", "ระดับ E", "E: มีผลกระทบ…", "3", "ระดับ 3" → the policy's letter; a clinical code needs A–I."""
    m = re.search(r"(?<![A-Za-z])([A-Ia-i])(?![A-Za-z])|([1-5])", raw.translate(_THAI_DIGITS))
    if not m:
        raise ValueError(f"severity {raw!r} is not A–I or 1–5")
    if m.group(1):
        return m.group(1).upper()
    if code.startswith("C"):
        raise ValueError(f"severity {raw!r} for clinical code {code}: clinical incidents are graded A–I")
    return LEVEL_TO_LETTER[m.group(2)]


class RowReader:
    """Turns rows into Incidents against the database's units and HA's code and sentinel lists."""

    def __init__(self, mapping: Mapping, units: list[Unit], codes: dict[str, str],
                 sentinel_pairs: frozenset[tuple[str, str]]) -> None:
        self.mapping, self.units, self.codes, self.sentinel_pairs = mapping, units, codes, sentinel_pairs
        self.by_code = {u.code: u for u in units}

    def get(self, row: dict[str, Any], name: str) -> Any:
        names = self.mapping.columns.get(name, ())
        values = [row.get(n) for n in names if row.get(n) not in (None, "")]
        if len(values) == 1:
            return values[0]
        return " ".join(_text(v) if not isinstance(v, datetime | date | time) else str(v) for v in values)

    def unit(self, text: str) -> str:
        for name in (n.strip() for n in re.split(r"[,;\n]", text) if n.strip()):
            code = self.mapping.units.get(name)
            if code is not None:
                if code not in self.by_code:
                    raise ValueError(f"[units] maps {name!r} to {code!r}, which is not a unit in units.toml")
                return code
            found = match_units(self.units, name)
            if len(found) == 1:
                return found[0].code
        raise ValueError(f"unit {text!r} is not in units.toml; add it under [units] in {self.mapping.path.name}")

    def read(self, line: int, row: dict[str, Any]) -> Incident:
        raw_code = _text(self.get(row, "risk_code")).upper()
        m = CODE.search(raw_code)
        code = self.mapping.codes.get(m.group(1) if m else raw_code, m.group(1) if m else raw_code)
        if code not in self.codes:
            raise ValueError(f"risk code {raw_code[:40]!r} is not in HA's NRLS list (map old codes under [codes])")
        severity_raw = _text(self.get(row, "severity"))
        severity = _severity(severity_raw, code)
        impact = severity if code.startswith("C") else LETTER_TO_LEVEL[severity]
        reported = parse_thai_datetime(self.get(row, "reported_at")) if "reported_at" in self.mapping.columns else None
        occurred = parse_thai_datetime(self.get(row, "occurred_at")) if "occurred_at" in self.mapping.columns else None
        when = reported or occurred
        if when is None:
            raise ValueError("no report or incident date")
        unit_text = _text(self.get(row, "unit")) or _text(self.get(row, "reporting_unit"))
        if not unit_text:
            raise ValueError("no unit")
        summary = _text(self.get(row, "summary"))
        if not summary:
            raise ValueError("no summary of the incident")
        action, prevention = _text(self.get(row, "action")) or None, _text(self.get(row, "prevention")) or None
        receipt = _text(self.get(row, "receipt_no"))
        if receipt:
            ref = f"{self.mapping.system}:{receipt}"
        else:  # no receipt number in this layout: the row's own content identifies it
            key = "|".join((when.isoformat(), unit_text, code, summary))
            ref = f"{self.mapping.system}:sha:{hashlib.sha256(key.encode()).hexdigest()[:24]}"
        if "status" in self.mapping.columns:
            said = _text(self.get(row, "status"))
            if said not in self.mapping.status_values:
                raise ValueError(f"status {said!r} is not under [status.values]")
            status = self.mapping.status_values[said]
        else:
            status = "closed" if action and prevention else "open"
        hrms: dict[str, Any] = {k: _text(self.get(row, k)) for k in HRMS_KEPT if k in self.mapping.columns}
        hrms["receipt_no"] = receipt or None
        return Incident(
            line=line, ref=ref[:80], reported_at=when, occurred_at=occurred, unit_code=self.unit(unit_text),
            risk_code=code, severity=severity, sentinel=(code, impact) in self.sentinel_pairs, summary=summary,
            cause=_text(self.get(row, "cause")) or None, action=action, prevention=prevention, status=status,
            hrms=hrms,
        )


# --- import -------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    open: int = 0  # of the imported, how many joined the queue
    already: int = 0  # in the database from an earlier import
    repeated: int = 0  # the same receipt again further down the file
    errors: list[str] = field(default_factory=list)  # "line 12: cannot read the date '31/02/2567'"
    numbers: list[str] = field(default_factory=list)  # case numbers given, in file order

    def summary(self, *, dry_run: bool) -> str:
        verb = "would import" if dry_run else "imported"
        return (f"{verb} {self.imported} of {self.rows} rows ({self.open} open, joining the queue); "
                f"{self.already} already imported, {self.repeated} repeated in the file, {len(self.errors)} bad")


def _nrls_lists() -> tuple[dict[str, str], frozenset[tuple[str, str]]]:
    from nlp.nrls import load_codes, load_sentinel_pairs

    return load_codes(), load_sentinel_pairs()


async def read_file(session: AsyncSession, *, path: Path, mapping: Mapping) -> tuple[list[Incident], ImportResult]:
    """Every row read and checked; the incidents not yet in the database, and the tally (with bad lines)."""
    codes, pairs = _nrls_lists()
    units = list((await session.exec(select(Unit))).all())
    reader = RowReader(mapping, units, codes, pairs)
    result, incidents, first_line = ImportResult(), [], {}
    for line, row in read_rows(path, mapping):
        result.rows += 1
        try:
            incident = reader.read(line, row)
        except ValueError as exc:
            if len(result.errors) < MAX_ERRORS:
                result.errors.append(f"line {line}: {exc}")
            continue
        if incident.ref in first_line:
            result.repeated += 1
            continue
        first_line[incident.ref] = line
        incidents.append(incident)
    known: set[str] = set()
    refs = [i.ref for i in incidents]
    for start in range(0, len(refs), 500):
        known.update(r for r in (await session.exec(select(Case.external_ref).where(
            col(Case.external_ref).in_(refs[start:start + 500])))).all() if r)
    fresh = [i for i in incidents if i.ref not in known]
    result.already = len(incidents) - len(fresh)
    result.imported = len(fresh)
    result.open = sum(1 for i in fresh if i.status == "open")
    return fresh, result


async def _reserve(session: AsyncSession, year: int, n: int) -> int:
    """The first of n consecutive case numbers of fiscal year `year` (one UPDATE … RETURNING, as
    store.cases.next_case_number does for one)."""
    await insert_missing(session, CaseCounter, [{"fiscal_year": year, "last_seq": 0}])
    bumped = await session.execute(
        update(CaseCounter).where(CaseCounter.fiscal_year == year)  # type: ignore[arg-type]
        .values(last_seq=CaseCounter.last_seq + n)
        .returning(CaseCounter.last_seq)  # type: ignore[call-overload]  # SQLModel fields type as plain int
    )
    return int(bumped.scalar_one()) - n + 1


async def import_incidents(
    session: AsyncSession, *, path: Path, mapping: Mapping, now: datetime, actor: str, dry_run: bool = False,
    policy: Policy,
) -> ImportResult:
    """Read the whole file; when every row is good and this is not a dry run, write the new ones (the caller
    commits, once). Case numbers follow the fiscal year each incident was reported in, in report order."""
    fresh, result = await read_file(session, path=path, mapping=mapping)
    if dry_run or result.errors or not fresh:
        return result
    fresh.sort(key=lambda i: (i.reported_at, i.line))
    by_year: dict[int, list[Incident]] = {}
    for incident in fresh:
        by_year.setdefault(fiscal_year_be(incident.reported_at), []).append(incident)
    made: list[tuple[Incident, Case]] = []
    for year, group in sorted(by_year.items()):
        first = await _reserve(session, year, len(group))
        for seq, incident in enumerate(group, first):
            closed = incident.status != "open"
            case = Case(
                number=f"{year}-{seq:04d}", fiscal_year=year, seq=seq, source=SOURCE, kind="incident",
                status="closed" if incident.status == "closed" else "rejected" if closed else "new",
                severity=incident.severity if closed else None, severity_hint=incident.severity,
                sentinel_hint=incident.sentinel, risk_code=incident.risk_code, unit_code=incident.unit_code,
                review_required=policy.rule(incident.severity).review, summary=incident.summary,
                cause=incident.cause, action=incident.action, prevention=incident.prevention,
                external_ref=incident.ref, occurred_at=incident.occurred_at, hrms=incident.hrms,
                created_at=incident.reported_at, updated_at=now,
                triaged_at=incident.reported_at if closed else None,  # when it closed HRMS does not say
            )
            session.add(case)
            made.append((incident, case))
    await session.flush()
    system = case_store.Actor("system", channel=SOURCE)
    for incident, case in made:
        await case_store.record_event(
            session, case=case, now=now, action="imported", actor_kind="system", channel=SOURCE,
            to_status=case.status, detail={"ref": incident.ref, "file": path.name, "line": incident.line,
                                           "by": actor, "severity": incident.hrms.get("severity")})
        if incident.status == "open":  # joins the queue: graded as HRMS graded it, deadlines from today
            await case_store.triage(session, case=case, severity=incident.severity, unit_code=None, actor=system,
                                    now=now, policy=policy)
        result.numbers.append(case.number)
    return result


# --- export ---------------------------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "receipt_no", "reporting_unit", "reported_at", "location", "occurred_at", "unit", "group", "domain", "category",
    "subcategory", "risk_code", "topic", "severity", "summary", "action", "prevention",
)


def _label(text: str) -> str:
    """"C:อุบัติการณ์ความเสี่ยงด้านคลินิก" → "อุบัติการณ์ความเสี่ยงด้านคลินิก" (codes.csv keeps HA's letter)."""
    return text.split(":", 1)[1] if re.match(r"^[A-Z0-9]{1,2}:", text) else text


def _when(at: datetime | None) -> str:
    """"15/11/2567 14:30": the Buddhist-era day/month/year HRMS shows."""
    if at is None:
        return ""
    at = local(at)
    return f"{at.day:02d}/{at.month:02d}/{at.year + BE_OFFSET} {at:%H:%M}"


def _nrls_table() -> dict[str, dict[str, str]]:
    from nlp.nrls import CODES_CSV

    with CODES_CSV.open(encoding="utf-8") as fh:
        return {row["code"]: row for row in csv.DictReader(fh)}


async def export_incidents(
    session: AsyncSession, *, out: Path, mapping: Mapping, start: datetime | None = None, end: datetime | None = None,
    redact: Callable[[str], str] = lambda text: text,
) -> int:
    """Cases with an NRLS code and a severity in the mapping's column layout (.xlsx or .csv); the number of rows.

    No patient identity: nothing from the patient record, no chat ids, no phone numbers. The incident's text
    is the committee's approved summary when there is one (/close N summary), else what the reporter wrote;
    every free text passes `redact` (bot.logs.redact: phone numbers). A name typed into a complaint cannot
    be told from other words: the committee writes the approved summary of a complaint it keys into HRMS.
    A text a spreadsheet would run as a formula is made inert."""
    units = {u.code: u.name_th for u in (await session.exec(select(Unit))).all()}
    table = _nrls_table()
    query = select(Case).where(col(Case.risk_code).is_not(None), col(Case.status).notin_(("rejected", "duplicate")))
    if start is not None:
        query = query.where(col(Case.created_at) >= start)
    if end is not None:
        query = query.where(col(Case.created_at) < end)
    fields = [f for f in EXPORT_FIELDS if f in mapping.columns]
    if "topic" in fields and "risk_code" in fields and mapping.header("topic") == mapping.header("risk_code"):
        fields.remove("topic")  # one column "รหัส: เรื่องอุบัติการณ์" holds both
    header = [name for f in fields for name in mapping.columns[f]]
    rows: list[list[Any]] = []
    found = list((await session.exec(query.order_by(col(Case.created_at), col(Case.id)))).all())
    words: dict[int, str] = {}  # what the reporter wrote (a case keeps only its first 200 characters)
    ids = [c.feedback_id for c in found if c.feedback_id is not None]
    for start_at in range(0, len(ids), 500):
        words.update((await session.exec(select(Feedback.id, Feedback.text).where(
            col(Feedback.id).in_(ids[start_at:start_at + 500])))).all())  # type: ignore[arg-type]
    for case in found:
        assert case.risk_code is not None
        kept, nrls = case.hrms or {}, table.get(case.risk_code, {})
        severity = case.severity or case.severity_hint or ""
        if case.risk_code.startswith("G") and severity in LETTER_TO_LEVEL:
            severity = LETTER_TO_LEVEL[severity]
        text = case.approved_summary or words.get(case.feedback_id or 0) or case.summary
        unit = units.get(case.unit_code or "", case.unit_code or "")
        values = {
            "receipt_no": kept.get("receipt_no") or case.number,
            "reporting_unit": kept.get("reporting_unit") or unit,
            "reported_at": _when(case.created_at), "occurred_at": _when(case.occurred_at or case.created_at),
            "location": kept.get("location") or "", "unit": unit,
            "group": _label(nrls.get("group", "")), "domain": _label(nrls.get("domain", "")),
            "category": _label(nrls.get("category", "")), "subcategory": _label(nrls.get("subcategory", "")),
            "risk_code": case.risk_code, "topic": nrls.get("name_th", ""), "severity": severity,
            "summary": redact(text or ""), "action": redact(case.action or ""),
            "prevention": redact(case.prevention or ""),
        }
        if "risk_code" in fields and "topic" not in fields and "topic" in mapping.columns:
            values["risk_code"] = f"{case.risk_code}: {values['topic']}"
        row: list[Any] = []
        for name in fields:
            if len(mapping.columns[name]) == 2 and name in ("reported_at", "occurred_at"):
                row.extend(str(values[name]).split(" ", 1) if values[name] else ["", ""])  # a date and a time column
            else:
                row.extend([values[name]] + [""] * (len(mapping.columns[name]) - 1))
        rows.append(row)
    write_table(out, header, rows, sheet="HRMS")
    return len(rows)


def write_table(out: Path, header: list[str], rows: list[list[Any]], *, sheet: str) -> None:
    """.xlsx (text starting with = + - @ written as a string cell, never a formula) or .csv (UTF-8 with BOM,
    such text given a leading apostrophe: store.exports.csv_safe)."""
    if out.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(sheet)

        def cells(values: list[Any]) -> list[Any]:
            made: list[Any] = []
            for value in values:
                cell = WriteOnlyCell(ws, value)
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                made.append(cell)
            return made

        ws.append(cells(header))
        for row in rows:
            ws.append(cells(row))
        wb.save(out)
    elif out.suffix.lower() == ".csv":
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([csv_safe(v) for v in header])
            writer.writerows([csv_safe(v) for v in row] for row in rows)
    else:
        raise ValueError(f"{out}: write a .csv or .xlsx file")
