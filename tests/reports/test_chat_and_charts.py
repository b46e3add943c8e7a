"""/kpi, /topics and /dashboard in chat, and the trend chart PNG with a Thai font."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import warnings
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from matplotlib import font_manager
from sqlmodel import select

from bot import charts
from bot.charts import THAI_FAMILY, chart_renderer, clear_chart_cache, render_trend_png, thai_font
from bot.settings import Settings
from handlers.dispatch import Dispatcher
from handlers.hospital import hospital_for
from handlers.messages import Channel, Inbound
from handlers.reports import router as reports_router
from handlers.router import Router
from handlers.services import Services
from store.models import AuditLog, LoginToken
from tests.reports.helpers import add_case, add_many, add_staff
from tests.support import MovableClock, Store

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
REPO = Path(__file__).resolve().parents[2]


def test_thai_font_is_found_and_chart_is_png() -> None:
    """The chart font is the Sarabun shipped inside the package (not a system font), and the output is a PNG."""
    font = thai_font()
    assert font.family == THAI_FAMILY and Path(font.path).is_relative_to(Path(charts.__file__).parent / "fonts")
    png = render_trend_png(title="ร้อยละความพึงพอใจ ปีงบประมาณ 2570", months=["ต.ค. 69", "พ.ย. 69"],
                           series={"opd": [65.0, None], "ipd": [None, 85.0]}, thresholds=(65, 70, 75, 80, 85))
    assert png.startswith(PNG_MAGIC) and len(png) > 5000


def test_chart_draws_thai_with_a_font_cache_that_knows_no_thai_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16: matplotlib's font list built before any Thai font was installed (a stale cache, or a bare
    machine) still gives a Thai chart — the shipped font is registered by path, with no missing glyph."""
    stale = copy.copy(font_manager.fontManager)
    stale.ttflist = [f for f in stale.ttflist if not charts._has_thai(Path(f.fname))]
    monkeypatch.setattr(font_manager, "fontManager", stale)
    monkeypatch.setattr(charts, "font_manager", font_manager)
    thai_font.cache_clear()
    clear_chart_cache()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" for each box drawn
            png = render_trend_png(title="ร้อยละความพึงพอใจ", months=["ต.ค. 69"], series={"opd": [80.0]},
                                   thresholds=(65, 70, 75, 80, 85))
        assert png.startswith(PNG_MAGIC)
        assert THAI_FAMILY in {f.name for f in stale.ttflist}  # registered with matplotlib: usable by name too
    finally:
        thai_font.cache_clear()
        clear_chart_cache()


def test_damaged_font_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A missing font file raises ThaiFontMissing naming the file (the handlers then answer without a chart)."""
    missing = tmp_path / "Sarabun-Regular.ttf"
    monkeypatch.setitem(charts.FONT_FILES, "normal", missing)
    thai_font.cache_clear()
    try:
        with pytest.raises(charts.ThaiFontMissing, match=r"Sarabun-Regular\.ttf"):
            thai_font()
    finally:
        thai_font.cache_clear()


def _dispatcher(store: Store, tmp_path: Path, clock: MovableClock) -> Dispatcher:
    root = Router("test")
    root.include(reports_router)
    settings = Settings(_env_file=None, database_url=store.url, media_dir=tmp_path / "media",  # type: ignore[call-arg]
                        public_base_url="https://pv.example.go.th")
    return Dispatcher(root, Services(settings=settings, sessions=store.sessions, hospital=hospital_for(settings),
                                     clock=clock, charts=chart_renderer()))


def _say(text: str, user: str = "staff-1", group: bool = False) -> Inbound:
    return Inbound(channel=Channel.TERMINAL, user_id=user, chat_id="g1" if group else user,
                   at=datetime(2026, 11, 26, tzinfo=UTC), text=text, is_group=group)


async def test_kpi_command_answers_in_thai_with_chart(store: Store, tmp_path: Path, clock: MovableClock) -> None:
    """/kpi FY2570 gives the figures in Thai and a PNG chart with its public URL; the call is audited."""
    dispatcher = _dispatcher(store, tmp_path, clock)
    async with store.sessions() as s:
        await add_staff(s, role="director")
        await add_many(s, service="opd", day=date(2026, 10, 3), satisfied=17, not_satisfied=3)
        await s.commit()
    async with store.sessions() as s:
        result = await dispatcher.handle(_say("/kpi FY2570"), session=s)
        await s.commit()
    [reply] = result.replies
    assert "ร้อยละ 85.00" in reply.text and "ผ่านระดับ 5" in reply.text and "17 จาก 20" in reply.text
    assert "ผู้ป่วยใน: ยังไม่มีข้อมูล" in reply.text
    assert reply.image_path and Path(reply.image_path).read_bytes().startswith(PNG_MAGIC)
    assert reply.image_url == f"https://pv.example.go.th/charts/{Path(reply.image_path).name}"
    async with store.sessions() as s:
        result = await dispatcher.handle(_say("/kpi 2027-Q1 ipd"), session=s)
        assert "ผู้ป่วยนอก" not in result.replies[0].text and "ยังไม่มีข้อมูล" in result.replies[0].text
        result = await dispatcher.handle(_say("/kpi เมื่อวาน"), session=s)
        assert "อ่านช่วงเวลา" in result.replies[0].text and result.replies[0].image_url is None
        audited = (await s.exec(select(AuditLog).where(AuditLog.action == "report.kpi"))).all()
        assert len(audited) >= 1


async def test_reports_refused_to_patients_and_staff(store: Store, tmp_path: Path, clock: MovableClock) -> None:
    """A patient or a plain staff member gets a polite refusal, audited, and no figures."""
    dispatcher = _dispatcher(store, tmp_path, clock)
    async with store.sessions() as s:
        await add_staff(s, role="staff", user="nurse")
        await s.commit()
    async with store.sessions() as s:
        for user in ("patient-1", "nurse"):
            for command in ("/kpi", "/topics", "/dashboard"):
                result = await dispatcher.handle(_say(command, user=user), session=s)
                assert "ใช้ได้เฉพาะเจ้าหน้าที่" in result.replies[0].text, (user, command)
        refusals = (await s.exec(select(AuditLog).where(AuditLog.allowed == False))).all()  # noqa: E712
        assert len(refusals) == 6
        assert (await s.exec(select(LoginToken))).all() == []


async def test_topics_command(store: Store, tmp_path: Path, clock: MovableClock) -> None:
    """/topics lists complaints by Thai topic name and severity."""
    dispatcher = _dispatcher(store, tmp_path, clock)
    async with store.sessions() as s:
        await add_staff(s, role="unit_head")
        created = datetime(2026, 11, 2, 3, tzinfo=UTC)
        await add_case(s, number="2570-0001", created=created, primary_topic="waiting", severity="B")
        await add_case(s, number="2570-0002", created=created, primary_topic="waiting")
        await s.commit()
    async with store.sessions() as s:
        text = (await dispatcher.handle(_say("/topics 2026-11"), session=s)).replies[0].text
        empty = (await dispatcher.handle(_say("/topics 2026-12"), session=s)).replies[0].text
    assert "ทั้งหมด 2 เรื่อง" in text and "ระยะเวลารอคอย: 2 เรื่อง" in text and "B 1" in text
    assert "ยังไม่มีข้อมูล" in empty


async def test_dashboard_link_only_in_private_chat(store: Store, tmp_path: Path, clock: MovableClock) -> None:
    """/dashboard sends a one-time link in a 1:1 chat (only the hash is stored) and refuses in a group."""
    dispatcher = _dispatcher(store, tmp_path, clock)
    async with store.sessions() as s:
        await add_staff(s, role="committee")
        await s.commit()
    async with store.sessions() as s:
        group = await dispatcher.handle(_say("/dashboard", group=True), session=s)
        assert "แชตส่วนตัว" in group.replies[0].text
        private = await dispatcher.handle(_say("/dashboard"), session=s)
        await s.commit()
        token = private.replies[0].text.split("/dashboard/login/")[1].split()[0]
        [row] = (await s.exec(select(LoginToken))).all()
    assert row.token_hash != token and len(row.token_hash) == 64 and token not in row.token_hash
    assert (row.expires_at - row.created_at).total_seconds() == 600


CHILD = """
import warnings
warnings.filterwarnings("error", message=".*missing from font")  # a Thai letter drawn as a box
from bot.charts import render_trend_png
from bot.line.richmenu import menu_image
png = render_trend_png(title="ร้อยละความพึงพอใจ", months=["ต.ค. 69"], series={"opd": [80.0]},
                       thresholds=(65, 70, 75, 80, 85))
menu = menu_image(["ประเมินความพึงพอใจ", "ร้องเรียน/เสนอแนะ", "ติดตามเรื่อง"])
assert png.startswith(b"\\x89PNG") and menu.startswith(b"\\x89PNG")
print("drawn")
"""


@pytest.mark.subprocess
def test_fresh_process_draws_thai_with_a_cache_built_before_any_thai_font(tmp_path: Path) -> None:
    """Issue 16, as a new process sees it: MPLCONFIGDIR holds a font cache that knows no Thai font (what `make
    run` leaves when matplotlib ran before any Thai font was installed); the chart and rich-menu image draw."""
    stale = copy.copy(font_manager.fontManager)
    stale.ttflist = [f for f in stale.ttflist if not charts._has_thai(Path(f.fname))]
    cache = tmp_path / "mpl"
    cache.mkdir()
    font_manager.json_dump(stale, cache / f"fontlist-v{font_manager.FontManager.__version__}.json")
    env = {**os.environ, "MPLCONFIGDIR": str(cache), "PYTHONUTF8": "1"}
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "drawn", done.stderr
    assert len(list(cache.glob("fontlist-*.json"))) == 1  # the stale cache was used, not rebuilt
