"""The HA report on the dashboard (issue 19), for the committee and the director (the roles of /report-ha):

- GET /dashboard/ha?period=…              the report of a period: incidents, the risk matrix per code group,
                                          the top 10 codes, E–I/3–5 still without review or prevention, complaint
                                          handling by severity, repeats, indicator 6 over three fiscal years
                                          with the committee's annotations;
- GET /dashboard/ha/{risk|run}.png?period=…  the two charts /report-ha sends in chat.

Case numbers, receipt numbers, codes, units and figures only — never a patient's words or identity (the
annotations are the committee's own words). Each view is audited (`dashboard.ha`); another role gets 403,
audited too.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from bot.charts import ThaiFontMissing, ha_risk_png, ha_run_png, risk_score
from store.ha_report import HaReport, build_ha_report
from store.hrms_report import GROUPS, LIKELIHOOD, STATUS_TH

log = logging.getLogger(__name__)


def ha_roles() -> frozenset[str]:
    from handlers.committee import PERMISSIONS

    return PERMISSIONS["report-ha"]


async def _report(request: web.Request, action: str) -> tuple[Any, HaReport | None, web.Response | None]:
    """The signed-in committee member and the period's report, or the page to answer instead."""
    from bot.dashboard import _audit, _period_or_default, _render, _services, _signed_in, not_signed_in

    services = _services(request)
    async with services.sessions() as session:
        staff = await _signed_in(request, session)
        if staff is None:
            return None, None, not_signed_in(request)
        period = _period_or_default(request)
        if staff.role not in ha_roles():
            _audit(session, staff=staff, action=action, request=request, allowed=False,
                   detail={"period": period.label, "reason": "role"})
            await session.commit()
            return staff, None, _render(request, "message.html", {
                "title": "ไม่มีสิทธิ์ดูหน้านี้",
                "message": "รายงานสำหรับ HA ดูได้เฉพาะคณะกรรมการความเสี่ยงและผู้อำนวยการ"}, status=403)
        report = await build_ha_report(session, period=period, now=services.clock(),
                                       config=services.hospital.indicator)
        _audit(session, staff=staff, action=action, request=request, detail={"period": period.label})
        await session.commit()
    return staff, report, None


def _matrix(report: HaReport) -> list[dict[str, Any]]:
    out = []
    for group, label in GROUPS.items():
        cells = report.risk.matrix.get(group, {})
        rows = [{"impact": im, "cells": [{"codes": cells.get((lk, im), []), "score": risk_score(lk, im)}
                                         for lk in range(1, 6)]} for im in range(5, 0, -1)]
        out.append({"group": group, "label": label, "rows": rows})
    return out


async def ha_page(request: web.Request) -> web.Response:
    from bot.dashboard import _render, _services

    staff, report, answer = await _report(request, "dashboard.ha")
    if answer is not None:
        return answer
    assert report is not None
    in_shift = {i for a, b in report.run.shifts for i in range(a, b + 1)}
    period = report.period
    return _render(request, "ha.html", {
        "hospital": _services(request).settings.hospital_name, "staff_name": staff.display_name, "period": period,
        "r": report.risk, "h": report.handling, "run": report.run, "in_shift": in_shift, "matrix": _matrix(report),
        "status_th": STATUS_TH, "likelihood": sorted(LIKELIHOOD, key=lambda x: x[1]),
        "risk_url": f"/dashboard/ha/risk.png?period={period.label}",
        "run_url": f"/dashboard/ha/run.png?period={period.label}",
    })


async def ha_chart(request: web.Request) -> web.Response:
    from bot.dashboard import _services

    staff, report, answer = await _report(request, "dashboard.ha_chart")
    if answer is not None:
        raise web.HTTPUnauthorized() if staff is None else web.HTTPForbidden()
    assert report is not None
    draw = ha_risk_png if request.match_info["which"] == "risk" else ha_run_png
    try:
        png = await asyncio.to_thread(draw, _services(request).catalogue, report)
    except ThaiFontMissing as exc:
        log.error("HA chart not drawn: %s", exc)
        raise web.HTTPServiceUnavailable(text=str(exc)) from None
    return web.Response(body=png, content_type="image/png", headers={"Cache-Control": "no-store"})
