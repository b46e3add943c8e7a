"""Indicator 6 in SQL against hand-computed fixtures, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from handlers.catalogue import Catalogue
from handlers.reports import kpi_text
from store.indicator import (
    IndicatorConfig,
    IndicatorConfigError,
    PeriodError,
    breakdown,
    complaint_figures,
    compute_kpi,
    dimension_breakdown,
    engagement_breakdown,
    level_reached,
    load_indicator_config,
    parse_period,
    wilson,
)
from tests.reports.helpers import add_case, add_many, add_response
from tests.support import Store

CONFIG = IndicatorConfig()


def test_periods_month_quarter_fiscal_year() -> None:
    """Months, calendar quarters, fiscal quarters and fiscal years cover the right dates (B.E. accepted)."""
    today = date(2026, 11, 26)
    m = parse_period("2026-10", today=today)
    assert (m.start, m.end, m.fiscal_year) == (date(2026, 10, 1), date(2026, 11, 1), 2570)
    assert parse_period("2569-10", today=today) == m
    q = parse_period("2027-Q1", today=today)
    assert (q.kind, q.start, q.end, q.fiscal_year) == ("quarter", date(2027, 1, 1), date(2027, 4, 1), 2570)
    fq = parse_period("FY2570-Q1", today=today)
    assert (fq.kind, fq.start, fq.end) == ("fiscal_quarter", date(2026, 10, 1), date(2027, 1, 1))
    fy = parse_period("FY2570", today=today)
    assert (fy.start, fy.end, len(fy.months)) == (date(2026, 10, 1), date(2027, 10, 1), 12)
    assert "ปีงบประมาณ 2570" in fy.thai and "ต.ค. 2569" in fy.thai and "ก.ย. 2570" in fy.thai
    assert parse_period("", today=date(2026, 9, 30)).label == "FY2569"
    assert parse_period("", today=date(2026, 10, 1)).label == "FY2570"
    for bad in ("2026-13", "hello", "FY2026", "2027-Q5"):
        with pytest.raises(PeriodError):
            parse_period(bad, today=today)


def test_level_and_wilson_by_hand() -> None:
    """Reaching a threshold exactly counts; the Wilson interval matches the hand computation."""
    t = (65.0, 70.0, 75.0, 80.0, 85.0)
    assert level_reached(65.0, t) == 1
    assert level_reached(64.99, t) == 0
    assert level_reached(85.0, t) == 5
    assert level_reached(84.99, t) == 4
    assert level_reached(None, t) is None
    low, high = wilson(13, 20) or (0, 0)
    assert low == pytest.approx(43.29, abs=0.02) and high == pytest.approx(81.88, abs=0.02)
    assert wilson(0, 0) is None


async def _fixture(store: Store) -> None:
    async with store.sessions() as s:
        # 30 Sep 2026 belongs to FY2569; 1 Oct 2026 to FY2570.
        await add_response(s, day=date(2026, 9, 30), mean=4.0)
        # October 2026: 20 OPD respondents, 13 satisfied → 65 % exactly (level 1).
        await add_response(s, day=date(2026, 10, 1), mean=3.51)  # exactly on the band: satisfied
        await add_response(s, day=date(2026, 10, 2), mean=3.50)  # just below: not satisfied
        await add_many(s, service="opd", day=date(2026, 10, 15), satisfied=12, not_satisfied=6)
        # November 2026: 20 OPD respondents, 17 satisfied → 85 % exactly (level 5).
        await add_many(s, service="opd", day=date(2026, 11, 30), satisfied=17, not_satisfied=3)
        await s.commit()


async def test_indicator_boundaries(store: Store) -> None:
    """3.51 counts and 3.50 does not; 65 % and 85 % reach levels 1 and 5; FY edge; OPD-only; empty period."""
    await _fixture(store)
    today = date(2026, 11, 26)
    async with store.sessions() as s:
        oct_ = await compute_kpi(s, period=parse_period("2026-10", today=today), config=CONFIG)
        assert (oct_.opd.respondents, oct_.opd.satisfied, oct_.opd.satisfied_pct, oct_.opd.level) == (20, 13, 65.0, 1)
        assert (oct_.ipd.respondents, oct_.ipd.satisfied_pct, oct_.ipd.level, oct_.ipd.ci95) == (0, None, None, None)
        nov = await compute_kpi(s, period=parse_period("2026-11", today=today), config=CONFIG)
        assert (nov.opd.satisfied, nov.opd.respondents, nov.opd.level) == (17, 20, 5)
        fy = await compute_kpi(s, period=parse_period("FY2570", today=today), config=CONFIG)
        assert (fy.opd.respondents, fy.opd.satisfied, fy.opd.satisfied_pct, fy.opd.level) == (40, 30, 75.0, 3)
        assert [p["opd"].respondents for p in fy.trend][:3] == [20, 20, 0] and len(fy.trend) == 12
        old = await compute_kpi(s, period=parse_period("FY2569", today=today), config=CONFIG)
        assert (old.opd.respondents, old.opd.satisfied) == (1, 1)
        sep = await compute_kpi(s, period=parse_period("2026-09", today=today), config=CONFIG)
        assert sep.opd.respondents == 1
        for label in ("FY2570-Q1", "2026-Q4"):
            q = await compute_kpi(s, period=parse_period(label, today=today), config=CONFIG)
            assert (q.opd.respondents, q.opd.satisfied) == (40, 30), label
        empty = await compute_kpi(s, period=parse_period("2027-Q1", today=today), config=CONFIG)
        assert (empty.opd.respondents, empty.opd.satisfied_pct, empty.opd.level) == (0, None, None)
        assert (empty.total.respondents, empty.total.level) == (0, None)
    text = kpi_text(Catalogue.load(), empty)
    assert "ผู้ป่วยนอก: ยังไม่มีข้อมูล" in text and "ผู้ป่วยใน: ยังไม่มีข้อมูล" in text
    body = empty.to_dict()
    assert body["opd"] == {"respondents": 0, "satisfied": 0, "satisfied_pct": None, "level": None, "ci95": None}


async def test_band_and_thresholds_are_configurable(store: Store) -> None:
    """A stricter band and a fiscal year's own thresholds change the figures."""
    await _fixture(store)
    strict = IndicatorConfig(satisfied_min_mean=4.0, per_year={2570: (10.0, 20.0, 30.0, 40.0, 50.0)})
    async with store.sessions() as s:
        kpi = await compute_kpi(s, period=parse_period("2026-10", today=date(2026, 11, 1)), config=strict)
    assert (kpi.opd.satisfied, kpi.opd.satisfied_pct, kpi.opd.level) == (12, 60.0, 5)


async def test_breakdowns_by_ward_channel_dimension_engagement(store: Store) -> None:
    """Wards, channels, dimensions and the four engagement levels are grouped in SQL."""
    async with store.sessions() as s:
        day = date(2027, 1, 5)
        await add_response(s, service="ipd", day=day, mean=4.5, department="ward_med", channel="line",
                           dims=(4.0, 5.0, 4.5), items={"c1": ("confidence", 5), "i1": ("integrity", 3)})
        await add_response(s, service="ipd", day=day, mean=3.0, department="ward_med", channel="telegram",
                           dims=(3.0, 3.0, 3.0), items={"c1": ("confidence", 4), "p1": ("pride", 2)})
        await add_response(s, service="ipd", day=day, mean=4.0, department="ward_surg", channel="line",
                           dims=(4.0, 4.0, None))
        await s.commit()
    period = parse_period("2027-01", today=date(2027, 2, 1))
    async with store.sessions() as s:
        wards = await breakdown(s, period=period, config=CONFIG, by="department")
        channels = await breakdown(s, period=period, config=CONFIG, by="channel")
        dims = await dimension_breakdown(s, period=period, config=CONFIG)
        engagement = await engagement_breakdown(s, period=period)
        kpi = await compute_kpi(s, period=period, config=CONFIG, dimensions=True)
    med = next(w for w in wards if w["department"] == "ward_med")
    assert (med["respondents"], med["satisfied"], med["satisfied_pct"]) == (2, 1, 50.0)
    line = next(c for c in channels if c["channel"] == "line")
    assert (line["respondents"], line["satisfied"]) == (2, 2)
    assert dims["ipd"]["process"] == {"mean": 3.67, "respondents": 3, "satisfied_pct": 66.67}
    assert dims["ipd"]["facility"]["respondents"] == 2
    assert kpi.dimensions["ipd"]["staff"] == 4.0
    assert engagement["confidence"] == {"mean": 4.5, "respondents": 2, "answers": 2, "top2_pct": 100.0}
    assert engagement["pride"]["top2_pct"] == 0.0 and engagement["passion"]["respondents"] == 0


async def test_complaint_figures(store: Store) -> None:
    """Complaints by topic and severity, share on time, hours to resolve and rating, Bangkok dates."""
    base = datetime(2026, 10, 10, 3, 0, tzinfo=UTC)
    now = datetime(2026, 11, 20, tzinfo=UTC)
    async with store.sessions() as s:
        await add_case(s, number="2570-0001", created=base, primary_topic="waiting", severity="B",
                       status="closed", resolve_due_at=base + timedelta(days=7),
                       resolved_at=base + timedelta(hours=24), handling_rating=5)
        await add_case(s, number="2570-0002", created=base, primary_topic="waiting", severity="C",
                       status="resolved", resolve_due_at=base + timedelta(days=1),
                       resolved_at=base + timedelta(hours=48), handling_rating=3)
        await add_case(s, number="2570-0003", created=base, primary_topic="staff_manner", severity="B",
                       status="acknowledged", resolve_due_at=base + timedelta(days=2))  # overdue, unresolved
        await add_case(s, number="2570-0004", created=base, primary_topic=None, status="new")
        await add_case(s, number="2570-0005", created=base, kind="incident", source="staff")  # not a complaint
        # 30 Sep 23:30 Bangkok = 30 Sep 16:30 UTC: September, not October.
        await add_case(s, number="2569-0099", created=datetime(2026, 9, 30, 16, 30, tzinfo=UTC))
        await s.commit()
    async with store.sessions() as s:
        figures = await complaint_figures(s, period=parse_period("2026-10", today=date(2026, 11, 1)), now=now)
    assert figures["complaints"] == 4 and figures["open"] == 2
    assert figures["by_topic"] == {"waiting": 2, "other": 1, "staff_manner": 1}
    assert figures["by_severity"] == {"B": 2, "C": 1, "untriaged": 1}
    assert (figures["resolved_on_time"], figures["deadline_judged"], figures["on_time_pct"]) == (1, 3, 33.33)
    assert figures["mean_hours_to_resolve"] == pytest.approx(36.0, abs=0.1)
    assert (figures["handling_rating_mean"], figures["handling_ratings"]) == (4.0, 2)


def test_indicator_config_file(tmp_path: Path) -> None:
    """config/indicator.toml is read per fiscal year; a bad edit gives a clear error."""
    shipped = load_indicator_config(Path("config"))
    assert shipped.satisfied_min_mean == 3.51 and shipped.thresholds(2570) == (65, 70, 75, 80, 85)
    (tmp_path / "indicator.toml").write_text(
        "[band]\nsatisfied_min_mean = 4.0\n[levels.default]\nthresholds = [60, 65, 70, 75, 80]\n"
        "[levels.FY2571]\nthresholds = [70, 75, 80, 85, 90]\n", encoding="utf-8")
    config = load_indicator_config(tmp_path)
    assert config.satisfied_min_mean == 4.0
    assert config.thresholds(2570) == (60, 65, 70, 75, 80) and config.thresholds(2571) == (70, 75, 80, 85, 90)
    (tmp_path / "indicator.toml").write_text("[levels.default]\nthresholds = [80, 70, 75, 85, 90]\n",
                                             encoding="utf-8")
    with pytest.raises(IndicatorConfigError, match="rise strictly"):
        load_indicator_config(tmp_path)


async def test_kpi_query_reads_only_the_covering_index_on_sqlite(sqlite_url: str) -> None:
    """On SQLite the /kpi query is answered from ix_survey_visit_type_score alone, with no sort step."""
    from sqlalchemy import text
    from sqlalchemy.dialects import sqlite

    from store.db import make_engine
    from store.indicator import kpi_query

    sql = str(kpi_query(date(2026, 10, 1), date(2027, 10, 1), 3.51).compile(
        dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    engine = make_engine(sqlite_url)
    try:
        async with engine.connect() as conn:
            plan = " ".join(str(row[-1]) for row in (await conn.execute(text("EXPLAIN QUERY PLAN " + sql))).all())
    finally:
        await engine.dispose()
    assert "COVERING INDEX ix_survey_visit_type_score" in plan and "TEMP B-TREE" not in plan
