"""CSV and XLSX exports for the quality office, and import of existing survey exports.

Exports (no patient identity: no names, phone numbers, chat ids or patient ids):
- survey responses: one row per response, its means, and one column per item `item.<dimension>.<code>`;
- cases: number, kind, status, severity, topic, unit, dates, deadlines, handling rating.
CSV is UTF-8 with a BOM so Excel shows Thai correctly; XLSX is written with openpyxl's streaming writer.
Free text comes from patients and from imported sheets, so no cell may become a formula (CSV/formula
injection, e.g. a comment `=HYPERLINK(…)`): in CSV a text starting with = + - @ tab or CR gets a leading
apostrophe (OWASP's advice; spreadsheets then show it as text); in XLSX such a text is written as a string
cell, never a formula cell.

Import (`python -m bot import-survey FILE --mapping MAPPING.toml`): CSV or XLSX from paper forms typed
into a sheet, Google Forms or this service's own export, mapped column by column by a TOML file (see
config/import/*.toml). Rows become SurveyResponse + SurveyItemScore with source="import", so they count
in indicator 6 like chat surveys. `mean_score` is the file's own column when mapped, otherwise the mean of
the satisfaction items (process, staff, facility dimensions; all items if there are none of those).
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from store.indicator import DIMENSIONS, ENGAGEMENT, Period
from store.models import Case, SurveyItemScore, SurveyResponse
from store.periods import BANGKOK, BE_OFFSET
from store.surveys import add_item_scores

SURVEY_FIELDS = (
    "id", "submitted_at", "visit_date", "service_type", "department_code", "channel", "source", "overall",
    "mean_score", "process_mean", "staff_mean", "facility_mean", "would_return", "would_recommend", "sentiment",
    "comment",
)
CASE_FIELDS = (
    "number", "fiscal_year", "source", "kind", "status", "severity", "primary_topic", "unit_code",
    "review_required", "created_at", "triaged_at", "report_due_at", "resolve_due_at", "acknowledged_at",
    "resolved_at", "closed_at", "handling_rating",
)
ITEM_PREFIX = "item."
BATCH = 2000
KNOWN_DIMENSIONS = frozenset((*DIMENSIONS, *ENGAGEMENT))


class MappingError(ValueError):
    """The column-mapping file cannot be used; the message says what to fix."""


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A text a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_unescape(text: str) -> str:
    """Undo `csv_safe` when a file is imported again, so an export round-trips unchanged."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- export -------------------------------------------------------------------------------------------


async def _survey_rows(session: AsyncSession, period: Period | None) -> tuple[list[str], AsyncIterator[list[Any]]]:
    where = [] if period is None else [col(SurveyResponse.visit_date) >= period.start,
                                       col(SurveyResponse.visit_date) < period.end]
    item_query = (
        select(col(SurveyItemScore.dimension), col(SurveyItemScore.item_code)).distinct()
        .join(SurveyResponse, col(SurveyResponse.id) == col(SurveyItemScore.response_id)).where(*where)
        .order_by(col(SurveyItemScore.dimension), col(SurveyItemScore.item_code))
    )
    items = [(d, c) for d, c in (await session.execute(item_query)).all()]
    header = [*SURVEY_FIELDS, *(f"{ITEM_PREFIX}{d}.{c}" for d, c in items)]
    index = {pair: i for i, pair in enumerate(items)}

    async def rows() -> AsyncIterator[list[Any]]:
        last = 0
        while True:
            batch = (await session.execute(
                select(SurveyResponse).where(*where, col(SurveyResponse.id) > last)
                .order_by(col(SurveyResponse.id)).limit(BATCH)
            )).scalars().all()
            if not batch:
                return
            ids = [r.id for r in batch]
            scores: dict[int, list[Any]] = {i: [None] * len(items) for i in ids if i is not None}
            for rid, d, c, s in (await session.execute(
                select(col(SurveyItemScore.response_id), col(SurveyItemScore.dimension),
                       col(SurveyItemScore.item_code), col(SurveyItemScore.score))
                .where(col(SurveyItemScore.response_id).in_(ids))
            )).all():
                scores[rid][index[(d, c)]] = s
            for r in batch:
                assert r.id is not None
                yield [_cell(getattr(r, f)) for f in SURVEY_FIELDS] + scores[r.id]
            last = batch[-1].id or last

    return header, rows()


async def _case_rows(session: AsyncSession, period: Period | None) -> tuple[list[str], AsyncIterator[list[Any]]]:
    where = [] if period is None else [col(Case.created_at) >= period.start_utc, col(Case.created_at) < period.end_utc]

    async def rows() -> AsyncIterator[list[Any]]:
        result = await session.stream(select(*[getattr(Case, f) for f in CASE_FIELDS]).where(*where)
                                      .order_by(col(Case.created_at), col(Case.id)))
        async for row in result:
            yield [_cell(v) for v in row]

    return list(CASE_FIELDS), rows()


async def export_table(session: AsyncSession, *, what: str, out: Path, period: Period | None = None) -> int:
    """Write `surveys` or `cases` to `out` (.csv or .xlsx by its suffix); returns the number of rows."""
    header, rows = await (_survey_rows if what == "surveys" else _case_rows)(session, period)
    n = 0
    if out.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(what)

        def text_cells(values: list[Any]) -> list[Any]:
            # openpyxl stores any text starting with "=" as a formula unless told it is a string
            cells: list[Any] = []
            for value in values:
                if isinstance(value, str) and value.startswith("="):
                    cell = WriteOnlyCell(ws, value)
                    cell.data_type = "s"
                    value = cell
                cells.append(value)
            return cells

        ws.append(text_cells(header))
        async for row in rows:
            ws.append(text_cells(row))
            n += 1
        wb.save(out)
    elif out.suffix.lower() == ".csv":
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([csv_safe(v) for v in header])
            async for row in rows:
                writer.writerow([csv_safe(v) for v in row])
                n += 1
    else:
        raise ValueError(f"{out}: export to .csv or .xlsx")
    return n


# --- import -------------------------------------------------------------------------------------------

MAPPABLE = ("visit_date", "service_type", "department_code", "channel", "mean_score", "process_mean", "staff_mean",
            "facility_mean", "overall", "would_return", "would_recommend", "comment", "submitted_at", "sentiment")
REQUIRED = ("visit_date",)


@dataclass(frozen=True)
class ItemColumn:
    column: str
    code: str
    dimension: str


@dataclass
class ImportMapping:
    columns: dict[str, str]
    items: list[ItemColumn]
    item_prefix: str | None = None
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    scale: dict[str, int] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%m/%d/%Y")
    sheet: str | None = None


def load_mapping(path: Path) -> ImportMapping:
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"{path}: {exc}") from None
    columns = {str(k): str(v) for k, v in raw.get("columns", {}).items()}
    for key in columns:
        if key not in MAPPABLE:
            raise MappingError(f"{path}: [columns] {key!r} is not a survey field; use one of {list(MAPPABLE)}")
    if "service_type" not in columns and "service_type" not in raw.get("defaults", {}):
        raise MappingError(f"{path}: map [columns] service_type or set [defaults] service_type = \"opd\"|\"ipd\"")
    for key in REQUIRED:
        if key not in columns:
            raise MappingError(f"{path}: [columns] {key} is required")
    items = []
    for i, item in enumerate(raw.get("item", []), 1):
        try:
            spec = ItemColumn(str(item["column"]), str(item["code"]), str(item["dimension"]))
        except KeyError as exc:
            raise MappingError(f"{path}: [[item]] {i} needs column, code and dimension ({exc} missing)") from None
        if spec.dimension not in KNOWN_DIMENSIONS:
            raise MappingError(f"{path}: [[item]] {spec.code}: dimension must be one of {sorted(KNOWN_DIMENSIONS)}")
        items.append(spec)
    prefix = raw.get("items", {}).get("item_prefix")
    if not items and not prefix and "mean_score" not in columns:
        raise MappingError(f"{path}: map the item columns ([[item]] or [items] item_prefix) or [columns] mean_score")
    scale = {str(k).strip(): int(v) for k, v in raw.get("scale", {}).items()}
    if any(not 1 <= v <= 5 for v in scale.values()):
        raise MappingError(f"{path}: [scale] values must be 1–5")
    file = raw.get("file", {})
    formats = tuple(file.get("date_formats", ())) or ImportMapping.date_formats
    return ImportMapping(
        columns=columns, items=items, item_prefix=prefix,
        values={k: {str(a).strip(): str(b) for a, b in v.items()} for k, v in raw.get("values", {}).items()},
        scale=scale, defaults={str(k): str(v) for k, v in raw.get("defaults", {}).items()},
        date_formats=formats, sheet=file.get("sheet") or None,
    )


def read_table(path: Path, sheet: str | None = None) -> Iterator[dict[str, Any]]:
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX file as {header: value}."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb[sheet] if sheet else wb.worksheets[0]
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # a file's stated dimensions are often wrong (streamed writers, Sheets)
            it = ws.iter_rows(values_only=True)
            header = [str(h).strip() if h is not None else "" for h in next(it, ())]
            for values in it:
                if values and any(v not in (None, "") for v in values):
                    yield {h: (values[i] if i < len(values) else None) for i, h in enumerate(header)}
        finally:
            wb.close()
        return
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            yield {(k or "").strip(): v for k, v in row.items()}


def _parse_day(value: Any, formats: tuple[str, ...]) -> date:
    day: date | None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError("no date")
        text = text.replace(",", "")
        day = None
        for candidate in (text, text.split("T")[0], text.split(" ")[0]):
            for fmt in formats:
                try:
                    day = datetime.strptime(candidate, fmt).date()
                    break
                except ValueError:
                    continue
            if day is None:
                try:
                    day = date.fromisoformat(candidate)
                except ValueError:
                    pass
            if day is not None:
                break
        if day is None:
            raise ValueError(f"cannot read date {text!r}")
    assert day is not None
    if day.year > 2400:  # a Buddhist-era year (paper forms and Thai-locale sheets)
        day = day.replace(year=day.year - BE_OFFSET)
    return day


def _parse_when(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=BANGKOK)
    try:
        when = datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=BANGKOK)


def _score(value: Any, scale: dict[str, int]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        if text in scale:
            return scale[text]
        match = re.match(r"^\s*([1-5])(?:\.0+)?\b", text)  # "5", "5.0", "5 - มากที่สุด"
        if not match:
            raise ValueError(f"score {text!r} is not 1–5 and not in [scale]")
        number = float(match.group(1))
    if number != int(number) or not 1 <= number <= 5:
        raise ValueError(f"score {value!r} is not 1–5")
    return int(number)


def _int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(float(value))


@dataclass
class ImportResult:
    imported: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)  # "row 12: cannot read date '31/02/2569'"


def _items_of(mapping: ImportMapping, header: list[str]) -> list[ItemColumn]:
    items = list(mapping.items)
    if mapping.item_prefix:
        for name in header:
            if name.startswith(mapping.item_prefix):
                rest = name[len(mapping.item_prefix):]
                dimension, _, code = rest.partition(".")
                if code and dimension in KNOWN_DIMENSIONS:
                    items.append(ItemColumn(name, code, dimension))
    return items


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _dimension_mean(is_mapped: bool, mapped: Any, scores: list[int]) -> float | None:
    """The file's own dimension mean when a column is mapped (empty = none), else the mean of its items."""
    if not is_mapped:
        return _mean(scores)
    if mapped not in (None, ""):
        value = float(mapped)
        if not 1 <= value <= 5:
            raise ValueError(f"dimension mean {value} is outside 1–5")
        return value
    return None


def _row_to_response(row: dict[str, Any], mapping: ImportMapping, items: list[ItemColumn], now: datetime
                     ) -> tuple[SurveyResponse, list[SurveyItemScore]]:
    def get(name: str) -> Any:
        value = row.get(mapping.columns[name]) if name in mapping.columns else None
        if value in (None, "") and name in mapping.defaults:
            value = mapping.defaults[name]
        if isinstance(value, str):
            value = value.strip()
            value = mapping.values.get(name, {}).get(value, value)
        return value

    service = str(get("service_type") or "").lower()
    if service not in ("opd", "ipd"):
        raise ValueError(f"service type {get('service_type')!r} is not opd/ipd (add it to [values.service_type])")
    scores: list[SurveyItemScore] = []
    by_dim: dict[str, list[int]] = {}
    for item in items:
        score = _score(row.get(item.column), mapping.scale)
        if score is None:
            continue
        scores.append(SurveyItemScore(response_id=0, item_code=item.code, dimension=item.dimension, score=score))
        by_dim.setdefault(item.dimension, []).append(score)
    satisfaction = [s for d in DIMENSIONS for s in by_dim.get(d, [])]
    raw_mean = get("mean_score")
    mean = float(raw_mean) if raw_mean not in (None, "") else _mean(satisfaction or [s.score for s in scores])
    if mean is None:
        raise ValueError("no item scores and no mean_score")
    if not 1 <= mean <= 5:
        raise ValueError(f"mean score {mean} is outside 1–5")
    response = SurveyResponse(
        channel=str(get("channel") or "import")[:16], service_type=service,
        department_code=(str(get("department_code"))[:32] if get("department_code") else None),
        visit_date=_parse_day(get("visit_date"), mapping.date_formats),
        submitted_at=_parse_when(get("submitted_at")) or now,
        overall=_score(get("overall"), mapping.scale), mean_score=mean,
        process_mean=_dimension_mean("process_mean" in mapping.columns, get("process_mean"), by_dim.get("process", [])),
        staff_mean=_dimension_mean("staff_mean" in mapping.columns, get("staff_mean"), by_dim.get("staff", [])),
        facility_mean=_dimension_mean(
            "facility_mean" in mapping.columns, get("facility_mean"), by_dim.get("facility", [])),
        would_return=_int(get("would_return")), would_recommend=_int(get("would_recommend")),
        comment=(csv_unescape(str(get("comment"))) if get("comment") else None), sentiment=get("sentiment") or None,
        source="import",
    )
    return response, scores


async def import_surveys(
    session: AsyncSession, *, path: Path, mapping: ImportMapping, now: datetime, dry_run: bool = False
) -> ImportResult:
    """Import every readable row (the caller commits); unreadable rows are skipped and reported by number."""
    result = ImportResult()
    items: list[ItemColumn] | None = None
    pending: list[tuple[SurveyResponse, list[SurveyItemScore]]] = []
    for number, row in enumerate(read_table(path, mapping.sheet), 2):  # row 1 is the header
        if items is None:
            items = _items_of(mapping, list(row))
            missing = [c for c in (*mapping.columns.values(), *(i.column for i in mapping.items)) if c not in row]
            if missing:
                raise MappingError(f"{path}: columns not found in the file: {missing}")
        try:
            pending.append(_row_to_response(row, mapping, items, now))
        except (ValueError, TypeError) as exc:
            result.skipped += 1
            if len(result.errors) < 200:
                result.errors.append(f"row {number}: {exc}")
            continue
        if len(pending) >= BATCH:
            await _flush(session, pending, dry_run)
            result.imported += len(pending)
            pending = []
    await _flush(session, pending, dry_run)
    result.imported += len(pending)
    return result


async def _flush(session: AsyncSession, pending: list[tuple[SurveyResponse, list[SurveyItemScore]]],
                 dry_run: bool) -> None:
    if dry_run or not pending:
        return
    session.add_all([r for r, _ in pending])
    await session.flush()
    for response, scores in pending:
        for score in scores:
            assert response.id is not None
            score.response_id = response.id
    await add_item_scores(session, [score for _, scores in pending for score in scores])

