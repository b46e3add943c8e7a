"""Periods as the committee types them in Thai (/report-ha, /kpi, the dashboard, hrms-report --month)."""

from __future__ import annotations

from datetime import date

import pytest

from store.indicator import PeriodError, parse_period

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(("typed", "label"), [
    ("พ.ย. 69", "2026-11"), ("พย69", "2026-11"), ("พฤศจิกายน 2569", "2026-11"), ("พ.ย. พ.ศ. 2569", "2026-11"),
    ("ก.ย. ๖๙", "2026-09"), ("ธันวาคม 2026", "2026-12"), ("ม.ค.70", "2027-01"),
    ("ปีงบ 2570", "FY2570"), ("ปีงบประมาณ 2569", "FY2569"), ("ปีงบ 70", "FY2570"),
    ("ไตรมาส 1 ปีงบ 2570", "FY2570-Q1"), ("ไตรมาสที่ ๒/๒๕๗๐", "FY2570-Q2"), ("ไตรมาส 4 ปีงบประมาณ 69", "FY2569-Q4"),
    ("2026-11", "2026-11"), ("FY2570-Q1", "FY2570-Q1"),  # what /kpi read before still reads the same
])
def test_thai_periods(typed: str, label: str) -> None:
    assert parse_period(typed, today=TODAY).label == label


def test_thai_periods_cover_the_right_months() -> None:
    quarter = parse_period("ไตรมาส 1 ปีงบ 2570", today=TODAY)
    assert (quarter.start, quarter.end) == (date(2026, 10, 1), date(2027, 1, 1))
    assert parse_period("พ.ย. 69", today=TODAY).thai == "พฤศจิกายน 2569"


@pytest.mark.parametrize("typed", ["พ.ย.", "ปีงบ", "ไตรมาส 5 ปีงบ 2570", "เดือนหน้า", "พ.ย. 1"])
def test_unreadable_thai_periods(typed: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(typed, today=TODAY)
