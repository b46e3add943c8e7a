"""The HA report's two charts looked at: drawn in the shipped Thai font with no missing glyph, every label
inside the picture and no two labels on top of each other (their boxes as matplotlib's renderer lays them
out), on a crowded month: ten long code names, a matrix cell holding many codes, annotations days apart."""

from __future__ import annotations

import itertools
import os
import shutil
import warnings
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot.charts import FONT_FILES, ha_risk_figure, ha_run_figure, to_png
from handlers.catalogue import Catalogue
from store.ha_report import Handling, HaReport, NoteMark, RunChart, RunPoint, shifts
from store.hrms_report import HrmsReport
from store.indicator import parse_period, thai_month

PNG = b"\x89PNG\r\n\x1a\n"
REPO = Path(__file__).resolve().parents[2]
SARABUN = {str(p) for p in FONT_FILES.values()}


def crowded_report() -> HaReport:
    period = parse_period("พ.ย. 69", today=date(2026, 12, 1))
    risk = HrmsReport(period=period, total=57, uncoded=3, sentinel=1)
    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    cells.update({(5, 2): ["CPP405"], (4, 3): ["CPM204", "CPM205"], (1, 5): ["CPE101"], (2, 1): ["CPP101"],
                  (3, 3): ["GOS101", "GOS102", "GOS103", "GOS104"], (5, 5): ["CPS101"]})
    risk.matrix = {"C": cells, "G": defaultdict(list)}
    risk.top = [("CPP405", "ตกเตียง/fall", 12, "D"),
                ("CPM204", "การให้ยาผิดคน ผิดชนิด ผิดขนาด ผิดเวลา ผิดช่องทาง (medication error)", 7, "E")]
    risk.top += [(f"GOS1{i:02d}", "การเรียกเก็บค่ารักษาพยาบาลไม่ถูกต้องตามสิทธิ์การรักษาของผู้ป่วย", 9 - i, "3")
                 for i in range(1, 9)]
    points = []
    for i in range(26):
        year, month = divmod(2024 * 12 + 9 + i, 12)
        key = f"{year}-{month + 1:02d}"
        points.append(RunPoint(key, thai_month(key, abbr=True), 40, 24 + (i >= 13) * 8 + i % 3))
    values = [p.pct for p in points]
    centre = sorted(v for v in values if v is not None)[13]
    texts = ["เริ่มโทรกลับผู้ร้องเรียนทุกรายภายใน 24 ชั่วโมง และแจ้งผลการแก้ไขทางไลน์",
             "เพิ่มช่องจ่ายยาช่วงเช้า 2 ช่อง", "อบรมพฤติกรรมบริการเจ้าหน้าที่ด่านหน้าทุกคน",
             "ติดป้ายบอกเวลารอโดยประมาณ", "ปรับแบบสอบถามเป็นฉบับใหม่ของกระทรวง"]
    days = [date(2025, 11, 1), date(2025, 11, 8), date(2025, 11, 20), date(2025, 12, 2), date(2026, 6, 15)]
    notes = [NoteMark(i, i, d, t) for i, (d, t) in enumerate(zip(days, texts, strict=True), 1)]
    run = RunChart([2568, 2569, 2570], points, centre, shifts(values, centre), notes, (65, 70, 75, 80, 85))
    return HaReport(period, risk, Handling(), run)


def labels_of(fig: Figure) -> list[Text]:
    """The labels drawn: visible, not empty, and not the labels of ticks outside an axis' limits (matplotlib
    keeps those as visible texts but does not draw them)."""
    fig.canvas.draw()
    undrawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            undrawn |= {id(label) for tick in axis.get_major_ticks() if not low <= tick.get_loc() <= high
                        for label in (tick.label1, tick.label2)}
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and id(t) not in undrawn]


def overlapping(fig: Figure) -> list[tuple[str, str]]:
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [(t.get_text(), t.get_window_extent(renderer).expanded(0.98, 0.9)) for t in labels_of(fig)]
    return [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2) if box_a.overlaps(box_b)]


@pytest.mark.parametrize("which", ["risk", "run"])
def test_ha_charts_are_thai_inside_the_picture_and_do_not_overlap(which: str, tmp_path: Path) -> None:
    catalogue = Catalogue.load(REPO / "config")
    report = crowded_report()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)": a Thai letter drawn as a box
        fig = (ha_risk_figure if which == "risk" else ha_run_figure)(catalogue, report)
        png = to_png(fig)
    assert png.startswith(PNG)
    texts = labels_of(fig)
    thai = [t for t in texts if any("\u0e00" <= ch <= "\u0e7f" for ch in t.get_text())]
    assert len(thai) >= (8 if which == "risk" else 10)
    assert {t.get_fontproperties().get_file() for t in texts} <= SARABUN  # every label, Thai or not, in Sarabun
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    outside = [t.get_text() for t in texts if not fig.bbox.contains(*t.get_window_extent(renderer).p0)
               or not fig.bbox.contains(*t.get_window_extent(renderer).p1)]
    assert outside == []
    assert overlapping(fig) == []
    if which == "run":
        numbers = [t.get_text() for t in texts if t.get_text() in {"1", "2", "3", "4", "5"} and t.get_bbox_patch()]
        assert numbers == ["1", "2", "3", "4", "5"]  # each annotation drawn as its numbered marker
        assert any(t.get_text().startswith("1) 1 พ.ย. 2568 — เริ่มโทรกลับ") for t in texts)
    (tmp_path / f"ha-{which}.png").write_bytes(png)
    if os.environ.get("HA_CHART_DIR"):  # to look at them: HA_CHART_DIR=/tmp/charts pytest …
        shutil.copy(tmp_path / f"ha-{which}.png", os.environ["HA_CHART_DIR"])


def test_a_shift_is_six_points_on_one_side_of_the_median() -> None:
    """IHI's rule as the run chart marks it: six in a row above (or below) the median is a shift; a point on
    the median neither breaks nor extends the run; a month nobody answered is skipped; five are not enough."""
    assert shifts([1, 1, 1, 1, 1, 9, 9, 9], 5) == []
    assert shifts([9, 9, 9, 5, 9, None, 9, 9, 1], 5) == [(0, 7)]
    assert shifts([1, 1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 9], 5) == [(0, 5), (6, 11)]
    assert shifts([1, 2, 3], None) == []
