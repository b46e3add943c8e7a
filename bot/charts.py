"""Trend chart of indicator 6 as a PNG with Thai text (matplotlib, Agg, the Sarabun font shipped in bot/fonts/).

The font travels with the package (SIL OFL 1.1, bot/fonts/OFL.txt) and is registered with matplotlib by
path, so charts need no system font package and are right even when matplotlib's font cache was built
before any Thai font existed on the machine.

Charts are written under MEDIA_DIR/charts/ with an unguessable name and served at
PUBLIC_BASE_URL/charts/<name>.png so a LINE image message can point at them (Telegram gets the file).
They hold aggregate figures only, never a patient's identity; files older than a week are pruned.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from handlers.services import ChartRenderer
from store.files import private_dir
from store.ha_report import HaReport, note_position
from store.hrms_report import shown
from store.periods import BE_OFFSET

FONT_DIR = Path(__file__).parent / "fonts"
THAI_FAMILY = "Sarabun"
FONT_FILES = {"normal": FONT_DIR / "Sarabun-Regular.ttf", "bold": FONT_DIR / "Sarabun-Bold.ttf"}
CHART_NAME = re.compile(r"^[A-Za-z0-9_-]{16,64}\.png$")
KEEP_SECONDS = 7 * 24 * 3600
LEVEL_COLOURS = ("#fde0dd", "#fee8c8", "#fff7bc", "#e5f5e0", "#c7e9c0", "#a1d99b")  # <L1, L1 … L5


class ThaiFontMissing(RuntimeError):
    """The shipped Thai font is missing or unreadable: charts would show boxes instead of Thai letters."""


@dataclass(frozen=True)
class ThaiFont:
    family: str
    path: str
    bold_path: str

    def props(self, *, weight: str = "normal", **kw: Any) -> FontProperties:
        return FontProperties(fname=self.bold_path if weight == "bold" else self.path, **kw)


def _has_thai(path: Path) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        return FT2Font(str(path)).get_char_index(ord("ก")) != 0
    except Exception:
        return False


@lru_cache(maxsize=1)
def thai_font() -> ThaiFont:
    """The shipped Sarabun, added to matplotlib's font list once per process (`fontManager.addfont`), so
    the family is known whatever matplotlib's font cache holds; a clear error if the files are damaged."""
    for path in FONT_FILES.values():
        if not _has_thai(path):
            raise ThaiFontMissing(f"chart font {path} is missing or has no Thai letters: reinstall patient-voice")
        font_manager.fontManager.addfont(str(path))
    return ThaiFont(THAI_FAMILY, str(FONT_FILES["normal"]), str(FONT_FILES["bold"]))


def _fmt_pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def render_trend_png(
    *,
    title: str,
    months: list[str],
    series: dict[str, list[float | None]],
    thresholds: tuple[float, ...],
    subtitle: str = "",
) -> bytes:
    """A line chart of satisfied % per month (one line per series) over shaded level bands 1–5.

    The same figures give the same picture: recent charts are kept in memory (dashboard reloads, several
    committee members asking /kpi in one meeting), so only new figures are drawn."""
    key = (title, tuple(months), tuple((k, tuple(v)) for k, v in series.items()), tuple(thresholds), subtitle)
    return _render_cached(key)


@lru_cache(maxsize=32)
def _render_cached(key: tuple[Any, ...]) -> bytes:
    title, months, series_items, thresholds, subtitle = key
    return _draw_trend(title=title, months=list(months), series={k: list(v) for k, v in series_items},
                       thresholds=thresholds, subtitle=subtitle)


def clear_chart_cache() -> None:
    _render_cached.cache_clear()


def _draw_trend(
    *, title: str, months: list[str], series: dict[str, list[float | None]], thresholds: tuple[float, ...],
    subtitle: str,
) -> bytes:
    font = thai_font()
    fp, small = font.props(size=11), font.props(size=9)
    fig = Figure(figsize=(8, 4.5), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    values = [v for vs in series.values() for v in vs if v is not None]
    low = min([*values, thresholds[0]]) - 10
    bottom = max(0.0, min(50.0, low))
    edges = [bottom, *thresholds, 100.0]
    for i in range(len(edges) - 1):
        ax.axhspan(edges[i], edges[i + 1], color=LEVEL_COLOURS[i], zorder=0)
        label = "ต่ำกว่าระดับ 1" if i == 0 else f"ระดับ {i}"
        if edges[i + 1] - edges[i] >= 3:
            ax.text(1.01, (edges[i] + edges[i + 1]) / 2, label, transform=ax.get_yaxis_transform(),
                    va="center", ha="left", fontproperties=small, color="#555555")
    x = list(range(len(months)))
    styles = {"opd": ("#1f77b4", "o"), "ipd": ("#d62728", "s")}
    names = {"opd": "ผู้ป่วยนอก (OPD)", "ipd": "ผู้ป่วยใน (IPD)"}
    for key, vs in series.items():
        colour, marker = styles.get(key, ("#333333", "^"))
        ax.plot(x, [float("nan") if v is None else v for v in vs], marker=marker, color=colour,
                label=names.get(key, key), linewidth=2, zorder=3)
        shown = [(xi, v) for xi, v in zip(x, vs, strict=True) if v is not None]
        if shown:  # label the latest month only: fewer text artists keep the chart fast to draw
            xi, v = shown[-1]
            ax.annotate(_fmt_pct(v), (xi, v), textcoords="offset points", xytext=(0, 7), ha="center",
                        fontproperties=font.props(size=9, weight="bold"), color=colour)
    ax.set_xticks(x)
    ax.set_xticklabels(months, fontproperties=small)
    ax.set_ylim(bottom, 100)
    ax.set_xlim(-0.5, len(months) - 0.5)
    ax.set_ylabel("ร้อยละผู้พึงพอใจ", fontproperties=fp)
    ax.set_title(title, fontproperties=font.props(size=13))
    if subtitle:
        fig.text(0.01, 0.01, subtitle, fontproperties=small, color="#555555")
    for tick in ax.get_yticklabels():
        tick.set_fontproperties(small)
    ax.legend(prop=small, loc="lower left")
    ax.grid(axis="y", alpha=0.3, zorder=1)
    fig.subplots_adjust(left=0.08, right=0.86, bottom=0.14, top=0.9)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def charts_dir(media_dir: Path) -> Path:
    return media_dir / "charts"


def save_chart(media_dir: Path, png: bytes) -> Path:
    """Write a chart under an unguessable name (and prune week-old ones); returns its path."""
    folder = charts_dir(media_dir)
    private_dir(folder)
    prune_charts(folder)
    path = folder / f"{secrets.token_urlsafe(18)}.png"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(png)
    os.replace(tmp, path)
    return path


def prune_charts(folder: Path, *, now: float | None = None) -> int:
    cutoff = (now or time.time()) - KEEP_SECONDS
    removed = 0
    for old in folder.glob("*.png"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
                removed += 1
        except OSError:
            pass
    return removed


# --- the HA report (issue 19): risk matrix heat map + top codes, and indicator 6 as a run chart ------------

RISK_COLOURS = {1: "#e2f0d9", 2: "#c6efce", 3: "#ffeb9c", 4: "#f4b183", 5: "#ff7c80"}  # as the XLSX's cells


def risk_score(likelihood: int, impact: int) -> int:
    """The cell's risk level 1–5 (likelihood × impact in five bands), the same as the XLSX colours."""
    return min(5, max(1, (likelihood * impact + 4) // 5))


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def draw_risk_figure(
    *, title: str, cells: dict[tuple[int, int], list[str]], top: list[tuple[str, str, int, str]], empty: str,
    x_label: str, y_label: str, matrix_title: str, top_title: str,
) -> Figure:
    """Left: the 5×5 risk matrix (likelihood × impact) coloured by risk level, each cell with the number of
    codes in it and up to two of them; right: the top codes as bars with their count and worst severity."""
    font = thai_font()
    small, tiny = font.props(size=9), font.props(size=7)
    fig = Figure(figsize=(11, 5.2), dpi=110)
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(1, 2, width_ratios=(1, 1.15), left=0.07, right=0.97, bottom=0.12, top=0.84, wspace=0.62)
    ax = fig.add_subplot(grid[0])
    for lk in range(1, 6):
        for im in range(1, 6):
            ax.add_patch(Rectangle((lk - 0.5, im - 0.5), 1, 1, facecolor=RISK_COLOURS[risk_score(lk, im)],
                                   edgecolor="white", linewidth=2))
            codes = cells.get((lk, im), [])
            if codes:
                ax.text(lk, im + 0.16, str(len(codes)), ha="center", va="center",
                        fontproperties=font.props(size=13, weight="bold"), color="#222222")
                shown = codes[:2] if len(codes) <= 2 else [codes[0], f"+{len(codes) - 1}"]
                ax.text(lk, im - 0.24, "\n".join(shown), ha="center", va="center", fontproperties=tiny,
                        color="#333333", linespacing=1.0)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    for tick in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        tick.set_fontproperties(small)
    ax.set_xlabel(x_label, fontproperties=small)
    ax.set_ylabel(y_label, fontproperties=small)
    ax.set_title(matrix_title, fontproperties=font.props(size=11))
    ax.set_aspect("equal")

    bars = fig.add_subplot(grid[1])
    if top:
        names = [_short(f"{code} {name}".strip(), 30) for code, name, _, _ in top][::-1]
        counts = [n for _, _, n, _ in top][::-1]
        worst = [sev for _, _, _, sev in top][::-1]
        y = list(range(len(top)))
        bars.barh(y, counts, color="#4e79a7", height=0.6)
        bars.set_yticks(y)
        bars.set_yticklabels(names, fontproperties=small)
        for yi, n, sev in zip(y, counts, worst, strict=True):
            bars.text(n, yi, f" {n} ({sev})", va="center", ha="left", fontproperties=small)
        bars.set_xlim(0, max(counts) * 1.35)
        bars.set_ylim(-0.6, max(len(top), 5) - 0.4)
    else:
        bars.set_yticks([])
        bars.text(0.5, 0.5, empty, ha="center", va="center", transform=bars.transAxes, fontproperties=small)
    for tick in bars.get_xticklabels():
        tick.set_fontproperties(small)
    bars.xaxis.set_major_locator(MaxNLocator(integer=True))
    bars.set_title(top_title, fontproperties=font.props(size=11))
    bars.spines[["top", "right"]].set_visible(False)
    fig.suptitle(title, fontproperties=font.props(size=14, weight="bold"), y=0.97)
    return fig


@dataclass(frozen=True)
class RunNote:
    number: int
    x: float  # position on the month axis (month index + fraction)
    line: str  # "1) 15 ต.ค. 2569 — what changed", listed under the chart


def draw_run_figure(
    *, title: str, labels: list[str], values: list[float | None], median: float | None, shift_points: set[int],
    year_starts: list[tuple[int, str]], notes: list[RunNote], y_label: str, median_label: str, shift_label: str,
    empty: str, more_notes: str = "",
) -> Figure:
    """Indicator 6 month by month over several fiscal years: the run, its median, points of a shift marked,
    fiscal years divided, and the committee's annotations as numbered markers listed under the chart."""
    font = thai_font()
    small, tiny = font.props(size=9), font.props(size=8)
    lines = [n.line for n in notes] + ([more_notes] if more_notes else [])
    marked = [(i, v) for i in sorted(shift_points) if (v := values[i]) is not None]
    extra = 0.24 * (len(lines) + bool(marked))  # the notes' lines, and the legend's under them
    height = 4.6 + extra
    fig = Figure(figsize=(10, height), dpi=110)
    FigureCanvasAgg(fig)
    bottom = (0.55 + extra) / height
    fig.subplots_adjust(left=0.08, right=0.86, top=1 - 0.55 / height, bottom=bottom)
    ax = fig.add_subplot()
    x = list(range(len(labels)))
    shown = [v for v in values if v is not None]
    if shown:
        low, high = min(shown), max(shown)
        pad = max(3.0, (high - low) * 0.25)
        ax.set_ylim(max(0.0, low - pad), min(100.0, high + pad * 1.6))
        ax.plot(x, [float("nan") if v is None else v for v in values], marker="o", markersize=4, color="#1f77b4",
                linewidth=1.6, zorder=3)
        if marked:
            ax.scatter([i for i, _ in marked], [v for _, v in marked], s=60, facecolors="none",
                       edgecolors="#d62728", linewidths=1.5, zorder=4, label=shift_label)
            fig.legend(prop=tiny, loc="lower left", bbox_to_anchor=(0.01, 0.0), frameon=False)
    else:
        ax.set_ylim(0, 100)
        ax.text(0.5, 0.5, empty, ha="center", va="center", transform=ax.transAxes, fontproperties=small)
    if median is not None:
        ax.axhline(median, color="#555555", linestyle="--", linewidth=1, zorder=2)
        ax.text(1.01, median, f"{median_label} {median:.1f}", transform=ax.get_yaxis_transform(), va="center",
                ha="left", fontproperties=tiny, color="#555555")
    for i, label in year_starts:
        if i > 0:
            ax.axvline(i - 0.5, color="#bbbbbb", linewidth=1, zorder=1)
        ax.text(i - 0.3, 0.03, label, transform=ax.get_xaxis_transform(), fontproperties=tiny, color="#777777")
    levels: list[float] = []  # the last x used at each height of the number markers
    for note in notes:
        level = next((k for k, last in enumerate(levels) if note.x - last >= 1.3), len(levels))
        if level == len(levels):
            levels.append(note.x)
        levels[level] = note.x
        ax.axvline(note.x, color="#2ca02c", linestyle=":", linewidth=1.2, zorder=2)
        ax.text(note.x, 0.93 - 0.08 * level, str(note.number), transform=ax.get_xaxis_transform(),
                ha="center", va="center", fontproperties=font.props(size=8, weight="bold"), color="white",
                bbox={"boxstyle": "circle,pad=0.25", "facecolor": "#2ca02c", "edgecolor": "none"}, zorder=5)
    ticks = [i for i, label in enumerate(labels) if label[:4] in ("ต.ค.", "ม.ค.", "เม.ย", "ก.ค.")]
    ax.set_xticks(ticks)
    ax.set_xticklabels([labels[i] for i in ticks], fontproperties=small)
    ax.set_xlim(-0.6, max(len(labels), 1) - 0.4)
    for tick in ax.get_yticklabels():
        tick.set_fontproperties(small)
    ax.set_ylabel(y_label, fontproperties=small)
    ax.set_title(title, fontproperties=font.props(size=12))
    ax.grid(axis="y", alpha=0.3, zorder=0)
    for k, line in enumerate(lines):
        fig.text(0.02, (0.12 + 0.24 * (len(lines) - k - 1 + bool(marked))) / height, line, fontproperties=tiny,
                 color="#333333")
    return fig


HA_CHART_NOTES = 8  # annotations listed under the run chart (the latest); all of them in the XLSX


# --- the HA report's two pictures, drawn for /report-ha, the dashboard and the XLSX ---------------------


def ha_risk_png(t: Any, report: HaReport) -> bytes:
    """The matrix (both code groups together) and the top codes as one PNG (CPU-bound: call in a thread)."""
    return to_png(ha_risk_figure(t, report))


def ha_run_png(t: Any, report: HaReport) -> bytes:
    """Indicator 6 over the fiscal years as a run chart with the annotations (CPU-bound: call in a thread)."""
    return to_png(ha_run_figure(t, report))


def ha_risk_figure(t: Any, report: HaReport) -> Figure:
    cells: dict[tuple[int, int], list[str]] = {}
    for group in report.risk.matrix.values():
        for key, codes in group.items():
            cells.setdefault(key, []).extend(codes)
    top = [(code, name, n, shown(code, sev)) for code, name, n, sev in report.risk.top]
    return draw_risk_figure(
        title=t("committee.ha_chart_title", period=report.period.thai), cells=cells, top=top,
        empty=t("committee.ha_chart_empty"), x_label=t("committee.ha_likelihood"), y_label=t("committee.ha_impact"),
        matrix_title=t("committee.ha_matrix_title"), top_title=t("committee.ha_top_title"),
    )


def ha_run_figure(t: Any, report: HaReport) -> Figure:
    run = report.run
    year_starts = [(i, t("committee.ha_run_year", year=int(p.month[:4]) + BE_OFFSET + 1))
                   for i, p in enumerate(run.points) if p.month.endswith("-10")]
    listed = run.notes[-HA_CHART_NOTES:]
    notes = [RunNote(n.number, note_position(run, n.day),
                     t("committee.ha_run_note", n=n.number, day=n.label, text=n.text[:90])) for n in listed]
    more = t("committee.ha_run_notes_more", count=len(run.notes) - len(listed)) if len(run.notes) > len(listed) else ""
    return draw_run_figure(
        title=t("committee.ha_run_title", first=run.fiscal_years[0], last=run.fiscal_years[-1]),
        labels=[p.label for p in run.points], values=[p.pct for p in run.points], median=run.median,
        shift_points={i for a, b in run.shifts for i in range(a, b + 1)}, year_starts=year_starts, notes=notes,
        y_label=t("committee.ha_run_y"), median_label=t("committee.ha_run_median"),
        shift_label=t("committee.ha_run_shift"), empty=t("committee.ha_run_empty"), more_notes=more,
    )


def chart_renderer() -> ChartRenderer:
    """What handlers draw charts with (`Services.charts`): this module's renderer, its cache and its font."""
    return ChartRenderer(render_trend=render_trend_png, save=save_chart, unavailable=ThaiFontMissing,
                         ha_risk=ha_risk_png, ha_run=ha_run_png)
