"""The committee web dashboard (aiohttp + Jinja2) and the public chart files.

Routes (added by `setup_dashboard(app)` from `create_app`):
- GET  /dashboard/login/{token}  confirmation page of a one-time link sent in chat (/dashboard command);
- POST /dashboard/login/{token}  spends the token, sets the signed session cookie, redirects to /dashboard;
- GET  /dashboard                indicator by month with level bands, dimensions, wards, channels,
                                 engagement, complaint topics, and the open queue with its deadlines;
- GET  /dashboard/chart.png      the trend chart of the period's fiscal year (signed-in only);
- POST /dashboard/logout         ends the session on the server (its LoginToken row is deleted);
- GET  /dashboard/case/{number}  one case (no patient words), and POST …/text its whole text for the committee,
                                 audited each time (bot/dashboard/case.py);
- GET  /dashboard/ha, /dashboard/ha/{risk|run}.png  the HA report of the period for the committee and the
                                 director (bot/dashboard/ha.py), audited;
- GET  /dashboard/static/dashboard.css;
- GET  /charts/{name}.png        chart images sent in chat (LINE fetches them by URL); unguessable names.
No patient identity (name, phone, chat id) is ever put on these pages, nor a complaint's text, except the one
case page a committee member asks for with its "show the whole text" button (audited: who, when, which case).

The session cookie is HttpOnly, SameSite=Lax, and Secure whenever PUBLIC_BASE_URL is https or
ENVIRONMENT=production. Every POST must come from the dashboard's own origin: a foreign Origin (or, without
one, a foreign Referer) is refused (403), so another site cannot sign someone in or out.
A unit head's queue holds their unit's open cases only (and cases assigned to them), as in chat.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from sqlalchemy import or_, select
from sqlmodel import col
from yarl import URL

from bot.charts import CHART_NAME, FONT_FILES, ThaiFontMissing, charts_dir, render_trend_png
from bot.dashboard.auth import (
    COOKIE,
    SESSION_HOURS,
    end_session,
    peek_login_token,
    read_session,
    redeem_login_token,
    session_staff,
    sign_session,
)
from bot.dashboard.case import case_page, case_text
from bot.dashboard.ha import ha_chart, ha_page, ha_roles
from bot.keys import SERVICES, SETTINGS
from store import audit
from store.indicator import (
    PeriodError,
    parse_period,
    thai_month,
)
from store.learning import tag_changes, unsure_open_cases
from store.models import Case, Staff, Unit
from store.periods import local, thai_date
from store.statuses import UNRESOLVED

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
JINJA = web.AppKey("dashboard_jinja", jinja2.Environment)
SECRET = web.AppKey("dashboard_secret", bytes)
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
    # the sign-in URL carries the token: never a referrer to another site ("no-referrer" would also make
    # browsers send `Origin: null` on our own form POSTs, which the origin check refuses)
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
QUEUE_LIMIT = 200


def setup_dashboard(app: web.Application) -> None:
    """Add the dashboard and chart routes to the service's app."""
    settings = app[SETTINGS]  # the hospital files (indicator.toml among them) were checked by create_app
    secret = settings.dashboard_secret.get_secret_value()
    if not secret:
        log.warning("DASHBOARD_SECRET not set: dashboard sessions end when the service restarts")
    app[SECRET] = secret.encode() if secret else secrets.token_bytes(32)
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(HERE / "templates"), app_key=JINJA, autoescape=True)
    app.router.add_get("/dashboard", dashboard)
    app.router.add_get("/dashboard/", dashboard)
    app.router.add_get("/dashboard/login/{token}", login_page)
    app.router.add_post("/dashboard/login/{token}", login)
    app.router.add_post("/dashboard/logout", logout)
    app.router.add_get("/dashboard/chart.png", dashboard_chart)
    app.router.add_get("/dashboard/case/{number:[0-9]{4}-[0-9]{4,}}", case_page)
    app.router.add_post("/dashboard/case/{number:[0-9]{4}-[0-9]{4,}}/text", case_text)
    app.router.add_get("/dashboard/ha", ha_page)
    app.router.add_get("/dashboard/ha/{which:risk|run}.png", ha_chart)
    app.router.add_get("/dashboard/static/dashboard.css", stylesheet)
    app.router.add_get("/dashboard/static/{font:Sarabun-(Regular|Bold)}.ttf", font_file)
    app.router.add_get("/charts/{name}", chart_file)


def _render(request: web.Request, template: str, context: dict[str, Any], *, status: int = 200) -> web.Response:
    response = aiohttp_jinja2.render_template(template, request, context, app_key=JINJA, status=status)
    response.headers.update(SECURITY_HEADERS)
    return response


def _services(request: web.Request) -> Any:
    return request.app[SERVICES]


def _audit(session: Any, *, staff: Staff | None, action: str, request: web.Request, allowed: bool = True,
           detail: dict[str, Any] | None = None, target: str | None = None) -> None:
    audit.record(session, actor=f"web:{staff.id}" if staff else f"web:{request.remote}", channel="web",
                 action=action, target=target, allowed=allowed, detail=detail,
                 staff_id=staff.id if staff else None, at=_services(request).clock())


def not_signed_in(request: web.Request) -> web.Response:
    return _render(request, "message.html", {"title": "กรุณาเข้าสู่ระบบ",
                   "message": "พิมพ์ /dashboard ในแชตส่วนตัวกับบอท เพื่อรับลิงก์เข้าสู่ระบบ (ใช้ได้ครั้งเดียว)"},
                   status=401)


async def login_page(request: web.Request) -> web.Response:
    services = _services(request)
    async with services.sessions() as session:
        staff = await peek_login_token(session, token=request.match_info["token"], now=services.clock())
    if staff is None:
        return _render(request, "message.html", {"title": "ลิงก์ใช้ไม่ได้",
                       "message": "ลิงก์นี้หมดอายุหรือถูกใช้ไปแล้ว กรุณาพิมพ์ /dashboard ในแชตกับบอทเพื่อขอลิงก์ใหม่"},
                       status=410)
    return _render(request, "login.html", {"name": staff.display_name})


def _origin(url: str | None) -> str | None:
    if not url:
        return None
    parsed = URL(url)
    return f"{parsed.scheme}://{parsed.host}:{parsed.port}" if parsed.scheme and parsed.host else "null"


def _same_origin(request: web.Request) -> bool:
    """A POST from the dashboard's own pages: its Origin (else its Referer) is this service's address."""
    claimed = _origin(request.headers.get("Origin")) or _origin(request.headers.get("Referer"))
    if claimed is None:
        return True  # neither header: not sent by a browser on another site (they always send Origin on POST)
    ours = {_origin(request.app[SETTINGS].public_base_url), _origin(f"{request.scheme}://{request.host}")}
    return claimed in ours


def _refuse_foreign(request: web.Request) -> web.Response:
    log.warning("dashboard POST from a foreign origin refused")
    return _render(request, "message.html", {"title": "คำขอถูกปฏิเสธ",
                   "message": "คำขอนี้ไม่ได้มาจากหน้าแดชบอร์ดของโรงพยาบาล กรุณาเปิดแดชบอร์ดจากลิงก์ในแชตกับบอท"},
                   status=403)


def _secure_cookie(request: web.Request) -> bool:
    settings = request.app[SETTINGS]
    return settings.public_base_url.startswith("https://") or settings.environment == "production"


async def login(request: web.Request) -> web.StreamResponse:
    if not _same_origin(request):
        return _refuse_foreign(request)
    services = _services(request)
    now = services.clock()
    async with services.sessions() as session:
        signed = await redeem_login_token(session, token=request.match_info["token"], now=now)
        staff = signed.staff if signed else None
        _audit(session, staff=staff, action="dashboard.login", request=request, allowed=staff is not None)
        await session.commit()
    if signed is None or signed.staff.id is None:
        return _render(request, "message.html", {"title": "ลิงก์ใช้ไม่ได้",
                       "message": "ลิงก์นี้หมดอายุหรือถูกใช้ไปแล้ว กรุณาพิมพ์ /dashboard ในแชตกับบอทเพื่อขอลิงก์ใหม่"},
                       status=410)
    response = web.Response(status=303, headers={"Location": "/dashboard"})
    cookie = sign_session(request.app[SECRET], staff_id=signed.staff.id, login_id=signed.login_id, now=now)
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="Lax", secure=_secure_cookie(request), path="/",
                        max_age=SESSION_HOURS * 3600)
    response.headers.update(SECURITY_HEADERS)
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    if not _same_origin(request):
        return _refuse_foreign(request)
    services = _services(request)
    found = read_session(request.app[SECRET], request.cookies.get(COOKIE), now=services.clock())
    if found is not None:
        async with services.sessions() as session:
            staff = await session_staff(session, staff_id=found[0], login_id=found[1])
            await end_session(session, login_id=found[1])
            _audit(session, staff=staff, action="dashboard.logout", request=request, allowed=staff is not None)
            await session.commit()
    response = web.Response(status=303, headers={"Location": "/dashboard"})
    response.del_cookie(COOKIE, path="/", secure=_secure_cookie(request), httponly=True, samesite="Lax")
    response.headers.update(SECURITY_HEADERS)
    return response


async def _signed_in(request: web.Request, session: Any) -> Staff | None:
    found = read_session(request.app[SECRET], request.cookies.get(COOKIE), now=_services(request).clock())
    if found is None:
        return None
    return await session_staff(session, staff_id=found[0], login_id=found[1])


def _period_or_default(request: web.Request) -> Any:
    today = local(_services(request).clock()).date()
    try:
        return parse_period(request.query.get("period", ""), today=today)
    except PeriodError:
        return parse_period("", today=today)


async def dashboard(request: web.Request) -> web.Response:
    from handlers.reports import topic_labels
    from store.indicator import full_report

    services = _services(request)
    async with services.sessions() as session:
        staff = await _signed_in(request, session)
        if staff is None:
            return not_signed_in(request)
        period = _period_or_default(request)
        config = services.hospital.indicator
        now = services.clock()
        report = await full_report(session, period=period, config=config, now=now)
        units = {u.code: u.name_th for u in (await session.execute(select(Unit))).scalars()}
        queue = await _queue(session, now=now, staff=staff)
        changes = await tag_changes(session, since=now - timedelta(days=30), until=now)
        unsure = len(await unsure_open_cases(session))
        _audit(session, staff=staff, action="dashboard.view", request=request, detail={"period": period.label})
        await session.commit()
    labels = topic_labels(services.hospital)
    for point in report["trend"]:
        point["month_th"] = thai_month(point["month"], abbr=True)
    topics = [{"label": labels.get(k, "อื่น ๆ" if k == "other" else k), "count": v}
              for k, v in report["complaints"]["by_topic"].items()]
    return _render(request, "dashboard.html", {
        "hospital": services.settings.hospital_name, "staff_name": staff.display_name, "period": period,
        "report": report, "units": units, "topics": topics, "queue": queue, "labels": labels,
        "changes": changes, "unsure": unsure,
        "levels": list(enumerate(report["thresholds"], 1)),
        "dimension_names": {"process": "กระบวนการ/ขั้นตอน", "staff": "เจ้าหน้าที่", "facility": "สิ่งอำนวยความสะดวก"},
        "engagement_names": {"confidence": "ความเชื่อมั่น (Confidence)", "integrity": "ความซื่อตรง (Integrity)",
                             "pride": "ความภาคภูมิใจ (Pride)", "passion": "ความผูกพัน (Passion)"},
        "chart_url": f"/dashboard/chart.png?period={period.label}",
        "ha_url": f"/dashboard/ha?period={period.label}" if staff.role in ha_roles() else None,
    })


async def _queue(session: Any, *, now: Any, staff: Staff) -> list[dict[str, Any]]:
    """Open cases, nearest deadline first: numbers, severity, unit, topic, status and dates only. The
    committee and the director see every case; a unit head their unit's and those assigned to them (the
    same scope as /queue in chat)."""
    from handlers.committee import SEES_ALL

    query = (
        select(col(Case.number), col(Case.kind), col(Case.severity), col(Case.unit_code), col(Case.primary_topic),
               col(Case.status), col(Case.created_at), col(Case.resolve_due_at))
        .where(col(Case.status).in_(UNRESOLVED))  # awaiting corrective action
        .order_by(col(Case.resolve_due_at).is_(None), col(Case.resolve_due_at), col(Case.created_at))
        .limit(QUEUE_LIMIT)
    )
    if staff.role not in SEES_ALL:
        query = query.where(or_(col(Case.unit_code) == staff.unit_code, col(Case.assignee_staff_id) == staff.id))
    out = []
    for number, kind, severity, unit, topic, status, created, due in (await session.execute(query)).all():
        out.append({
            "number": number, "kind": kind, "severity": severity or "–", "unit": unit, "topic": topic,
            "status": status, "created": thai_date(created), "due": thai_date(due) if due else "–",
            "overdue": bool(due and due <= now),
        })
    return out


async def dashboard_chart(request: web.Request) -> web.Response:
    from handlers.catalogue import Catalogue
    from handlers.reports import trend_chart
    from store.indicator import compute_kpi

    services = _services(request)
    async with services.sessions() as session:
        if await _signed_in(request, session) is None:
            raise web.HTTPUnauthorized()
        period = _period_or_default(request)
        kpi = await compute_kpi(session, period=period, config=services.hospital.indicator)
    catalogue: Catalogue = services.catalogue
    try:
        png = await asyncio.to_thread(trend_chart, render_trend_png, catalogue, kpi)
    except ThaiFontMissing as exc:
        log.error("dashboard chart not drawn: %s", exc)
        raise web.HTTPServiceUnavailable(text=str(exc)) from None
    return web.Response(body=png, content_type="image/png", headers={"Cache-Control": "no-store"})


async def stylesheet(request: web.Request) -> web.FileResponse:
    return web.FileResponse(HERE / "templates" / "dashboard.css", headers={"Cache-Control": "max-age=3600"})


async def font_file(request: web.Request) -> web.FileResponse:
    """The charts' Sarabun for the page too: Thai text looks the same on a browser with no Thai font."""
    path = next(p for p in FONT_FILES.values() if p.stem == request.match_info["font"])
    return web.FileResponse(path, headers={"Content-Type": "font/ttf", "Cache-Control": "max-age=86400"})


async def chart_file(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if not CHART_NAME.match(name):
        raise web.HTTPNotFound()
    path = charts_dir(request.app[SETTINGS].media_dir) / name
    if not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(path, headers={"Content-Type": "image/png", "Cache-Control": "public, max-age=86400",
                                           "X-Content-Type-Options": "nosniff"})
