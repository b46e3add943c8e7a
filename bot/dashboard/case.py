"""One case on the dashboard, and the patient's whole text on demand for the committee.

Routes (added by `setup_dashboard`):
- GET  /dashboard/case/{number}       the case: kind, status, severity, the unit the patient chose beside the
                                      topic's suggestion, topic, dates, timeline — never the patient's words;
- POST /dashboard/case/{number}/text  the same page with the patient's whole text, for TEXT_ROLES only.

Why a POST behind a button, not a link or part of the page: reading a patient's words is a deliberate act
that the DPO can account for. Each reading is an audit row (`dashboard.case_text`: who — the staff id —,
when, which case, how many characters); a refusal is one too (allowed = false). The text is never
prefetched, cached (`Cache-Control: no-store`) or put in a URL, and the POST is refused from another site
(Origin check, SameSite cookie). The scope is the queue's: a unit head sees their unit's cases without the
text (they read it in chat under the chat's rules); a case outside someone's scope is "not found".
Erased texts (PDPA erase or the retention purge) show as erased, with no button. No phone number, name or
chat id is ever on these pages; the CSV/XLSX exports carry no text at all (store/exports.py).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlmodel import col, select

from store.models import Case, CaseEvent, Feedback, Staff, Unit
from store.periods import thai_date
from store.privacy import ERASED_TEXT

TEXT_ROLES = frozenset({"committee"})  # the risk committee handles complaints; the others read in chat


async def case_page(request: web.Request) -> web.Response:
    return await _case(request, with_text=False)


async def case_text(request: web.Request) -> web.Response:
    from bot.dashboard import _refuse_foreign, _same_origin

    if not _same_origin(request):
        return _refuse_foreign(request)
    return await _case(request, with_text=True)


async def _case(request: web.Request, *, with_text: bool) -> web.Response:
    from bot.dashboard import _audit, _render, _services, _signed_in, not_signed_in
    from handlers.committee import sees

    services = _services(request)
    number = request.match_info["number"]
    action = "dashboard.case_text" if with_text else "dashboard.case"
    async with services.sessions() as session:
        staff = await _signed_in(request, session)
        if staff is None:
            _audit(session, staff=None, action=action, request=request, allowed=False, target=f"case:{number}",
                   detail={"reason": "not_signed_in"})
            await session.commit()
            return not_signed_in(request)
        case = (await session.exec(select(Case).where(Case.number == number))).first()
        if case is None or not sees(staff, case):
            _audit(session, staff=staff, action=action, request=request, allowed=False, target=f"case:{number}",
                   detail={"reason": "no_case" if case is None else "not_your_unit"})
            await session.commit()
            return _render(request, "message.html", {"title": "ไม่พบเรื่อง",
                           "message": f"ไม่พบเรื่องเลขที่ {number} ในขอบเขตที่ท่านดูได้"}, status=404)
        feedback = await session.get(Feedback, case.feedback_id) if case.feedback_id else None
        whole = feedback.text if feedback is not None else (case.summary or "")
        erased = whole == ERASED_TEXT
        may_read = staff.role in TEXT_ROLES
        if with_text and not may_read:
            _audit(session, staff=staff, action=action, request=request, allowed=False, target=f"case:{number}",
                   detail={"reason": "role", "role": staff.role})
            await session.commit()
            return _render(request, "message.html", {"title": "ไม่มีสิทธิ์อ่านข้อความ",
                           "message": "ข้อความเต็มของผู้ร้องเรียนเปิดได้เฉพาะคณะกรรมการบริหารความเสี่ยง "
                                      "ท่านอ่านเรื่องนี้ได้ในแชตกับบอท (/case เลขที่เรื่อง)"}, status=403)
        context = await _context(session, services, case, feedback, staff)
        shown = with_text and not erased
        _audit(session, staff=staff, action=action, request=request, target=f"case:{number}",
               detail={"chars": len(whole), "erased": erased} if with_text else {})
        await session.commit()
    context.update({
        "chars": len(whole), "erased": erased, "may_read": may_read and not erased and bool(whole),
        "text": whole if shown else None,
    })
    return _render(request, "case.html", context)


async def _context(session: Any, services: Any, case: Case, feedback: Feedback | None,
                   staff: Staff) -> dict[str, Any]:
    catalogue = services.catalogue
    hospital = services.hospital
    units = {u.code: u.name_th for u in (await session.exec(select(Unit))).all()}
    events = (await session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(col(CaseEvent.at), col(CaseEvent.id))
    )).all()

    def label(key: str, fallback: str) -> str:
        return str(catalogue(key)) if catalogue.has(key) else fallback

    chosen = feedback.department_code if feedback is not None else None
    suggested = hospital.topic_unit(case.primary_topic)
    staff_ids = {e.actor_staff_id for e in events if e.actor_staff_id is not None}
    names = {s.id: s.display_name for s in (await session.exec(select(Staff).where(col(Staff.id).in_(staff_ids))))
             .all()} if staff_ids else {}
    timeline = [{"at": thai_date(e.at), "action": label(f"committee.action.{e.action}", e.action),
                 "who": names.get(e.actor_staff_id or -1) or label(f"committee.actor.{e.actor_kind}", e.actor_kind)}
                for e in events]
    return {
        "hospital": services.settings.hospital_name, "staff_name": staff.display_name, "number": case.number,
        "kind": label(f"committee.kind.{case.kind}", case.kind),
        "source": label(f"committee.source.{case.source}", case.source),
        "status": label(f"committee.status.{case.status}", case.status),
        "severity": case.severity or "ยังไม่คัดกรอง",
        "unit": units.get(case.unit_code or "", "ยังไม่ระบุ"),
        "chosen": units.get(chosen, chosen) if chosen else None,
        "suggested": units.get(suggested, suggested) if suggested and suggested != chosen else None,
        "topic": hospital.topic_label(case.primary_topic) if case.primary_topic else "–",
        "created": thai_date(case.created_at),
        "report_due": thai_date(case.report_due_at) if case.report_due_at else "–",
        "resolve_due": thai_date(case.resolve_due_at) if case.resolve_due_at else "–",
        "timeline": timeline,
    }
