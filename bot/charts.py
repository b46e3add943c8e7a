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

from handlers.services import ChartRenderer
from store.files import private_dir

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


def chart_renderer() -> ChartRenderer:
    """What handlers draw charts with (`Services.charts`): this module's renderer, its cache and its font."""
    return ChartRenderer(render_trend=render_trend_png, save=save_chart, unavailable=ThaiFontMissing)
