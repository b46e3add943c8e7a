"""The case buttons (case:view:N, case:ack:N, case:triage:N, case:sev:N:SEV, case:review:N, case:close:N …):
one router for the payloads the cards and the reminders carry, with the same permission table as the commands."""

from __future__ import annotations

from handlers.committee.access import PERMISSIONS, Refused, audit, load_case, router, severity_or_refuse
from handlers.committee.card import view_case
from handlers.committee.lifecycle import _ack, _reopen, _review, _triage, start_resolve
from handlers.committee.service import close_case
from handlers.committee.views import view_button
from handlers.messages import Button
from handlers.payloads import pack
from handlers.turn import Turn
from store.models import Case
from store.statuses import VERBS, CaseStatus, may

PAYLOAD_COMMAND = {
    "view": "case", "ack": "ack", "triage": "triage", "sev": "triage", "resolve": "resolve",
    "review": "review", "close": "close", "reopen": "reopen", "done": "report", "page": "case",
}


@router.payload("case")
async def on_case_button(turn: Turn) -> None:
    """Buttons under staff messages and reminder pings; the same role and unit checks as the commands."""
    payload = turn.payload
    verb = payload.action
    name = PAYLOAD_COMMAND.get(verb)
    if name is None or not payload.args:
        turn.say("committee.button_stale")
        return
    if not turn.inbound.individual:  # the dispatcher gave no staff: say why, not just "no role"
        audit(turn, f"button.{verb}", allowed=False, target=f"case:{payload.args[0][:16]}", reason="shared_sender")
        turn.say("staff.shared_sender", command=name)
        return
    if turn.staff is None or turn.staff.role not in PERMISSIONS[name]:
        if turn.staff is not None and verb == "ack":  # e.g. the director's escalation ping: show the case
            verb, name = "view", "case"
        else:
            audit(turn, f"button.{verb}", allowed=False, target=f"case:{payload.args[0][:16]}", reason="role",
                  role=turn.staff.role if turn.staff else None)
            turn.say("staff.refused", command=name)
            return
    try:
        if verb == "done":
            turn.end()
            turn.say("committee.report_done", number=payload.args[0][:16], buttons=[])
            return
        case = await load_case(turn, payload.args[0], act=verb not in ("view", "page"))
        if verb in ("view", "page"):
            page = int(payload.args[1]) if verb == "page" and len(payload.args) > 1 and payload.args[1].isdigit() else 0
            await view_case(turn, case, page, via="button")
        elif verb == "ack" and case.status == CaseStatus.NEW and may("triage", case.status, turn.staff.role):
            _pick_severity(turn, case)  # an untriaged-case reminder: triage is the step to take
        elif verb == "ack" and case.status == CaseStatus.NEW:
            turn.say("committee.not_triaged_yet", number=case.number, buttons=[view_button(turn, case)])
        elif verb == "ack" and case.status not in VERBS["ack"].accepts:
            turn.say("committee.already", number=case.number, status=turn.t(f"committee.status.{case.status}"))
            await view_case(turn, case, via="button")
        elif verb == "ack":
            await _ack(turn, case)
        elif verb == "triage":
            _pick_severity(turn, case)
        elif verb == "sev":
            await _triage(turn, case, severity_or_refuse(turn, payload.arg(1)), None)
        elif verb == "review":
            await _review(turn, case)
        elif verb == "reopen":
            await _reopen(turn, case)
        elif verb == "resolve":
            await start_resolve(turn, case)
        elif verb == "close" and (case.approved_summary or case.source != "patient"):
            await close_case(turn, case)
        else:  # steps that need typed text: show the command with the number filled in
            turn.say(f"committee.prompt.{name}", number=case.number)
    except Refused as refused:
        audit(turn, f"button.{verb}", allowed=False, reason=refused.reason)
        turn.say(refused.key, **refused.values)


def _pick_severity(turn: Turn, case: Case) -> None:
    turn.say("committee.pick_severity", number=case.number, hint=case.severity_hint or "-",
             buttons=[Button(sev, pack("case", "sev", case.number, sev)) for sev in turn.hospital.policy.severities])
