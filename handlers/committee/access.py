"""Who may do what: the permission table, case numbers, scoping (who sees which case), refusals, the audit
row of every command, and the `command` decorator that registers a staff command on the committee router."""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from handlers.router import Router
from handlers.turn import Turn
from store import cases as case_store
from store.models import Case, Staff, Unit
from store.periods import fiscal_year_be
from store.statuses import ALL_STAFF, REVIEWERS, VERBS
from store.units import match_units

router = Router("committee")

SEES_ALL = REVIEWERS  # every other role sees its own unit's cases only
# command → the roles that may use it; a step on a case takes its roles from the transition table
# (store.statuses.VERBS). The order is the order `/help` lists them in.
PERMISSIONS: dict[str, frozenset[str]] = {
    "queue": frozenset({"committee", "director", "unit_head"}),
    "overdue": frozenset({"committee", "director", "unit_head"}),
    "mine": ALL_STAFF,
    "case": ALL_STAFF,
    **{verb: VERBS[verb].roles for verb in ("triage", "assign", "ack", "note", "resolve", "review", "close",
                                            "reopen", "reject", "duplicate")},
    "tags": frozenset({"committee"}),
    "code": frozenset({"committee"}),
    "check": frozenset({"committee", "director"}),
    "report": ALL_STAFF,
    "group": frozenset({"committee"}),
    "report-ha": frozenset({"committee", "director"}),  # handlers/ha_report.py
    "notes": frozenset({"committee", "director"}),  # handlers/ha_report.py: indicator 6 annotations
}
NUMBER = re.compile(r"^(?:(\d{4})-)?(\d{1,6})$")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


class Refused(Exception):
    """The command cannot go ahead: the wrapper says catalogue message `key` and audits the refusal."""

    def __init__(self, key: str, reason: str, **values: Any) -> None:
        super().__init__(reason)
        self.key, self.reason = key, reason
        self.values: dict[str, Any] = values


def audit(turn: Turn, action: str, *, allowed: bool, target: str | None = None, **detail: object) -> None:
    turn.audit(action, allowed=allowed, target=target, detail=detail)


def parse_number(text: str, now: datetime) -> str | None:
    """'2570-0042' as typed; '42' or '0042' means this fiscal year's case 42; Thai digits welcome."""
    m = NUMBER.match(text.strip().translate(THAI_DIGITS))
    if not m:
        return None
    year = int(m.group(1)) if m.group(1) else fiscal_year_be(now)
    return f"{year}-{int(m.group(2)):04d}"


def sees(staff: Staff, case: Case) -> bool:
    if staff.role in SEES_ALL:
        return True
    return (
        (staff.unit_code is not None and case.unit_code == staff.unit_code)
        or case.assignee_staff_id == staff.id
        or case.reporter_staff_id == staff.id
    )


def acts_on(staff: Staff, case: Case) -> bool:
    """May this person change this case? Unit roles: only cases of their unit or assigned to them."""
    if staff.role in SEES_ALL:
        return True
    return (staff.unit_code is not None and case.unit_code == staff.unit_code) or case.assignee_staff_id == staff.id


async def load_case(turn: Turn, number_text: str, *, act: bool) -> Case:
    """The case the command names, if this person may see (and, with `act`, change) it."""
    assert turn.staff is not None
    number = parse_number(number_text, turn.services.clock())
    if number is None:
        raise Refused("committee.bad_number", "bad_number", text=number_text[:20])
    case = await case_store.case_by_number(turn.session, number=number)
    if case is None:
        raise Refused("committee.no_case", "no_case", number=number)
    if not (acts_on(turn.staff, case) if act else sees(turn.staff, case)):
        raise Refused("committee.not_your_unit", "not_your_unit", number=number)
    return case


async def unit_or_refuse(turn: Turn, text: str) -> Unit:
    """The unit a nurse named, by code, Thai name or everyday word ("pharmacy", "งานเภสัชกรรม", "เภสัช", "ห้องยา",
    "แล็บ"); several or none is refused with the choices."""
    rows = list((await turn.session.exec(select(Unit).order_by(col(Unit.code)))).all())
    found = match_units(rows, text, {u.code: u.everyday for u in turn.hospital.units})
    if len(found) == 1:
        return found[0]
    choices = found or [u for u in rows if u.active]
    raise Refused("committee.ambiguous_unit" if found else "committee.bad_unit", "bad_unit", unit=text[:32],
                  units=", ".join(f"{u.name_th} ({u.code})" for u in choices))


def severity_or_refuse(turn: Turn, text: str) -> str:
    sev = text.strip().upper()
    if sev not in turn.hospital.policy.severities:
        raise Refused("committee.bad_severity", "bad_severity", severity=text[:8],
                      severities=" ".join(turn.hospital.policy.severities))
    return sev


def command(
    name: str, on: Router = router
) -> Callable[[Callable[[Turn], Awaitable[None]]], Callable[[Turn], Awaitable[None]]]:
    """Register a staff command on the committee's router (or `on`), with its roles from PERMISSIONS: the
    dispatcher checks the role; this wrapper turns a Refused into a polite, audited answer."""

    def deco(fn: Callable[[Turn], Awaitable[None]]) -> Callable[[Turn], Awaitable[None]]:
        @functools.wraps(fn)
        async def run(turn: Turn) -> None:
            try:
                await fn(turn)
            except Refused as refused:
                audit(turn, f"command.{name}", allowed=False, reason=refused.reason, args=turn.args[:64])
                turn.say(refused.key, **refused.values)

        on.command(name, roles=set(PERMISSIONS[name]), help_key=f"committee.help.{name}")(run)
        return run

    return deco


async def named_case(turn: Turn, command: str, *, words: int = 1) -> tuple[Case, list[str]]:
    """The case a command names first (/ack N, /triage N SEV …), which this person may change, and the words
    after it; fewer than `words` words in all is the command's usage."""
    parts = turn.args.split()
    if len(parts) < max(words, 1):
        raise usage(command)
    return await load_case(turn, parts[0], act=True), parts[1:]


def usage(name: str) -> Refused:
    return Refused(f"committee.usage.{name}", "usage")
