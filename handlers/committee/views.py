"""How a case reads in chat: topic and unit names, severity, deadlines, the next-step buttons, one line per
case in a list, and the NLP's tags."""

from __future__ import annotations

import functools
from datetime import datetime

from sqlmodel import col, select

from handlers.committee.access import acts_on
from handlers.messages import Button
from handlers.payloads import pack
from handlers.turn import Turn
from nlp.nrls import load_codes
from store import cases as case_store
from store.models import Case, Feedback, Staff, Unit
from store.periods import thai_date
from store.statuses import RESOLVABLE, CaseStatus, offered

SEVERITY_MARK = {1: "🟢", 2: "🟡", 3: "🟠", 4: "🔴"}


def topic_label(turn: Turn, code: str | None) -> str:
    if not code:
        return "-"
    return turn.hospital.topic_label(code)


def topic_unit(turn: Turn, code: str | None) -> str | None:
    return turn.hospital.topic_unit(code)


async def unit_names(turn: Turn) -> dict[str, str]:
    return {u.code: u.name_th for u in (await turn.session.exec(select(Unit))).all()}


def severity_text(turn: Turn, case: Case) -> str:
    if case.severity:
        level = turn.hospital.policy.rule(case.severity).risk_level
        return turn.t("committee.severity", severity=case.severity, mark=SEVERITY_MARK.get(level, ""),
                      risk=turn.t(f"committee.risk.{level}"))
    hint = " ".join(h for h in (case.severity_hint, "SE" if case.sentinel_hint else None) if h)
    hint = "SE" if case.severity_hint == "SE" else hint
    return turn.t("committee.severity_none", hint=hint or "-")


def next_deadline(turn: Turn, case: Case) -> datetime | None:
    """The deadline that matters now: triage for new cases, the report for unacknowledged ones, then the fix."""
    if case.status == CaseStatus.NEW:  # when the committee is reminded that nobody has triaged it
        return turn.hospital.policy.reminders.untriaged_after.after(case.created_at)
    if case.status == CaseStatus.TRIAGED and case.report_due_at is not None:
        return case.report_due_at
    if case.status in RESOLVABLE:
        return case.resolve_due_at
    if case.status == CaseStatus.AWAITING_PATIENT:  # when it closes itself unless the patient answers
        return case.confirm_due_at
    return None


def overdue(turn: Turn, case: Case) -> bool:
    """The queue's own definition (report or fix deadline passed), so chat, reminders and reports agree."""
    return case_store.is_overdue(case, turn.services.clock())


def view_button(turn: Turn, case: Case) -> Button:
    return Button(turn.t("committee.button_view", number=case.number), pack("case", "view", case.number))


def next_buttons(turn: Turn, case: Case) -> list[Button]:
    """The next steps this person may take on this case (the transition table's `offered`, on cases they may
    change), as buttons, then the view button."""
    assert turn.staff is not None
    steps = offered(case.status, turn.staff.role) if acts_on(turn.staff, case) else []
    return [*(turn.button(f"case.{verb}", pack("case", verb, case.number)) for verb in steps), view_button(turn, case)]


def is_sentinel(case: Case) -> bool:
    """Graded SE, or not yet graded and flagged by the NLP as a possible sentinel event."""
    return case.severity == "SE" or (case.severity is None and bool(case.sentinel_hint))


def by_urgency(turn: Turn, cases: list[Case]) -> list[Case]:
    """Sentinel events first, then the nearest deadline, then the case number."""
    far = datetime.max.replace(tzinfo=turn.services.clock().tzinfo)
    return sorted(cases, key=lambda c: (not is_sentinel(c), next_deadline(turn, c) or far, c.number))


def case_line(turn: Turn, case: Case, units: dict[str, str]) -> str:
    due = next_deadline(turn, case)
    return turn.t(
        "committee.queue_line",
        alarm=turn.t("committee.sentinel_mark") if is_sentinel(case) else "",
        number=case.number,
        severity=severity_text(turn, case),
        unit=units.get(case.unit_code or "", turn.t("committee.no_unit")),
        status=turn.t(f"committee.status.{case.status}"),
        due=thai_date(due) if due else "-",
        overdue=turn.t("committee.overdue_mark") if overdue(turn, case) else "",
    )


async def staff_names(turn: Turn, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = (await turn.session.exec(select(Staff).where(col(Staff.id).in_(wanted)))).all()
    return {s.id: s.display_name or turn.t(f"role.{s.role}") for s in rows if s.id is not None}


SENTIMENTS = ("pos", "neu", "neg")


def nlp_lines(turn: Turn, case: Case, feedback: Feedback | None) -> list[str]:
    """The NRLS code (confirmed, or the NLP's three suggestions to pick from with /code), the suggested
    severity, and a warning when the NLP was unsure."""
    nlp = (feedback.nlp if feedback is not None else None) or {}
    lines = []
    if case.risk_code:
        lines.append(turn.t("committee.case_code", code=case.risk_code, name=nrls_codes().get(case.risk_code, "")))
    elif nlp.get("risk_codes"):
        options = [turn.t("committee.case_code_option", n=i, code=r["code"], name=r.get("name", "")[:60])
                   for i, r in enumerate(nlp["risk_codes"][:3], 1)]
        lines.append(turn.t("committee.case_code_suggested", options="\n".join(options), number=case.number))
    if nlp.get("severity"):
        lines.append(turn.t("committee.case_severity_suggested", severity=nlp["severity"]))
    if nlp.get("needs_review"):
        lines.append(turn.t("committee.case_unsure", confidence=round(float(nlp.get("confidence") or 0) * 100),
                            number=case.number))
    return lines


@functools.cache
def nrls_codes() -> dict[str, str]:
    """HA Thailand's NRLS risk codes and their Thai names (the file the NLP's coder suggests from)."""
    return load_codes()
