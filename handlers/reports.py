"""Committee reports in chat: `/kpi [period] [opd|ipd]` (indicator 6 + trend chart), `/topics [period]`
(complaints by topic and severity) and `/dashboard` (a one-time sign-in link to the web dashboard).

Periods: 2026-10 (month) · 2027-Q1 (calendar quarter, Jan–Mar) · FY2570-Q1 (fiscal quarter, Oct–Dec
2026) · FY2570 (fiscal year); nothing = the current fiscal year. See store/indicator.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from handlers.hospital import HospitalConfig
from handlers.messages import Outbound
from handlers.router import Router
from handlers.turn import Turn
from store.indicator import (
    DIMENSIONS,
    SERVICE_TYPES,
    Figure,
    Kpi,
    Period,
    PeriodError,
    complaint_figures,
    compute_kpi,
    parse_period,
    thai_month,
)
from store.logins import DASHBOARD_ROLES, LOGIN_MINUTES, issue_login_token
from store.periods import local

log = logging.getLogger(__name__)

router = Router("reports")
REPORT_ROLES = set(DASHBOARD_ROLES)
SEVERITY_ORDER = ("A", "B", "C", "D", "E", "F", "G", "H", "I", "SE", "untriaged")


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def figure_line(t: Any, service: str, fig: Figure) -> str:
    name = t(f"report.{service}")
    if fig.respondents == 0:
        return str(t("report.no_data", service=name))
    ci = fig.ci95 or (0.0, 0.0)
    level = t("report.level", level=fig.level) if fig.level else t("report.level_none")
    return str(t("report.kpi_line", service=name, pct=_num(fig.satisfied_pct, 2), satisfied=f"{fig.satisfied:,}",
                 respondents=f"{fig.respondents:,}", level=level, ci_low=_num(ci[0]), ci_high=_num(ci[1])))


def kpi_text(t: Any, kpi: Kpi, services: tuple[str, ...] = SERVICE_TYPES) -> str:
    """The Thai answer to /kpi (also printed by `python -m bot kpi` without --json)."""
    lines = [t("report.kpi_title", period=kpi.period.thai)]
    for service in services:
        fig: Figure = getattr(kpi, service)
        lines.append(figure_line(t, service, fig))
        dims = kpi.dimensions.get(service, {})
        if fig.respondents and any(dims.get(d) is not None for d in DIMENSIONS):
            lines.append(t("report.kpi_dimensions", **{d: _num(dims.get(d), 2) for d in DIMENSIONS}))
    thresholds = "/".join(f"{v:g}" for v in kpi.thresholds)
    lines.append(t("report.criteria", band=f"{kpi.band:g}", thresholds=thresholds))
    return "\n".join(lines)


def trend_chart(render_trend: Callable[..., bytes], t: Any, kpi: Kpi,
                services: tuple[str, ...] = SERVICE_TYPES) -> bytes:
    """The PNG of the fiscal year's months with level bands (CPU-bound: call it in a thread)."""
    months = [thai_month(p["month"], abbr=True) for p in kpi.trend]
    series = {s: [p[s].satisfied_pct for p in kpi.trend] for s in services}
    return render_trend(
        title=t("report.chart_title", year=kpi.period.fiscal_year), months=months, series=series,
        thresholds=kpi.thresholds,
        subtitle=t("report.criteria", band=f"{kpi.band:g}", thresholds="/".join(f"{v:g}" for v in kpi.thresholds)),
    )


def _split_args(args: str) -> tuple[str, tuple[str, ...]]:
    period: list[str] = []
    services: tuple[str, ...] = SERVICE_TYPES
    for word in args.split():
        if word.lower() in SERVICE_TYPES:
            services = (word.lower(),)
        else:
            period.append(word)
    return " ".join(period), services


def _audit(turn: Turn, action: str, detail: dict[str, Any]) -> None:
    turn.audit(action, detail=detail)


def _period(turn: Turn, text: str) -> Period | None:
    try:
        return parse_period(text, today=local(turn.services.clock()).date())
    except PeriodError:
        turn.say("report.bad_period", text=text)
        return None


@router.command("kpi", roles=REPORT_ROLES, help_key="report.help_kpi")
async def kpi_command(turn: Turn) -> None:
    """Indicator 6 for a period, in Thai, with the fiscal year's trend chart as an image."""
    text, services = _split_args(turn.args)
    period = _period(turn, text)
    if period is None:
        return
    settings = turn.services.settings
    kpi = await compute_kpi(turn.session, period=period, config=turn.hospital.indicator)
    _audit(turn, "report.kpi", {"period": period.label, "services": list(services)})
    body = kpi_text(turn.t, kpi, services) + "\n" + turn.t("report.more")
    charts, png = turn.services.charts, None
    if charts is None:
        log.error("kpi chart not drawn: no chart renderer")
    else:
        try:
            png = await asyncio.to_thread(trend_chart, charts.render_trend, turn.t, kpi, services)
        except charts.unavailable as exc:
            log.error("kpi chart not drawn: %s", exc)
    if charts is None or png is None:
        turn.say_text(body + "\n" + turn.t("report.chart_missing"))
        return
    path = await asyncio.to_thread(charts.save, settings.media_dir, png)
    url = f"{settings.public_base_url.rstrip('/')}/charts/{path.name}"
    turn.replies.append(Outbound(body, image_url=url, image_path=str(path)))


def topic_labels(hospital: HospitalConfig) -> dict[str, str]:
    """Thai topic names from the hospital's topics file (codes stay as they are when it names none)."""
    return {code: info.label_th for code, info in hospital.topics.items()}


def topics_text(t: Any, period: Period, figures: dict[str, Any], labels: dict[str, str]) -> str:
    if figures["complaints"] == 0:
        return str(t("report.topics_none", period=period.thai))
    lines = [t("report.topics_title", period=period.thai, total=figures["complaints"], open=figures["open"])]
    for code, count in figures["by_topic"].items():
        lines.append(t("report.topics_topic", label=labels.get(code, "อื่น ๆ" if code == "other" else code),
                       count=count))
    sev = figures["by_severity"]
    ordered = sorted(sev, key=lambda k: SEVERITY_ORDER.index(k) if k in SEVERITY_ORDER else 99)
    items = " · ".join(f"{'ยังไม่คัดกรอง' if k == 'untriaged' else k} {sev[k]}" for k in ordered)
    lines.append(t("report.topics_severity", items=items))
    if figures["deadline_judged"]:
        hours = figures["mean_hours_to_resolve"]
        shown = "–" if hours is None else (f"{hours:.1f} ชั่วโมง" if hours < 48 else f"{hours / 24:.1f} วัน")
        lines.append(t("report.topics_deadline", pct=_num(figures["on_time_pct"]), on_time=figures["resolved_on_time"],
                       judged=figures["deadline_judged"], hours=shown))
    if figures["handling_ratings"]:
        lines.append(t("report.topics_rating", rating=_num(figures["handling_rating_mean"], 2),
                       count=figures["handling_ratings"]))
    return "\n".join(lines)


@router.command("topics", roles=REPORT_ROLES, help_key="report.help_topics")
async def topics_command(turn: Turn) -> None:
    """Complaints of a period by topic and severity, deadlines kept, time to resolve, handling rating."""
    period = _period(turn, turn.args.strip())
    if period is None:
        return
    figures = await complaint_figures(turn.session, period=period, now=turn.services.clock())
    _audit(turn, "report.topics", {"period": period.label})
    turn.say_text(topics_text(turn.t, period, figures, topic_labels(turn.hospital)))


@router.command("dashboard", roles=REPORT_ROLES, help_key="dashboard.help")
async def dashboard_command(turn: Turn) -> None:
    """A one-time sign-in link to the committee dashboard, only in a 1:1 chat."""
    if turn.inbound.is_group:
        turn.say("dashboard.private_only")
        return
    assert turn.staff is not None  # the role check let only staff through
    token = await issue_login_token(turn.session, staff=turn.staff, now=turn.services.clock())
    _audit(turn, "dashboard.link", {})
    url = f"{turn.services.settings.public_base_url.rstrip('/')}/dashboard/login/{token}"
    turn.say("dashboard.link", url=url, minutes=LOGIN_MINUTES)
