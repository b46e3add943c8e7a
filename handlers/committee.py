"""Committee and staff commands (SPEC §6): the risk committee, the director, unit heads and staff work the
incident queue from LINE or Telegram, 1:1 or in a group, with the same slash commands and buttons.

Who may do what is the table `PERMISSIONS` below (documented for people in docs/roles.md and shown by
`/help`): the committee acts on every case; the director sees every case, adds notes, reviews, closes and
reopens; a unit head and their staff see and act on their own unit's cases (plus cases assigned to them
or reported by them). The dispatcher refuses a command whose role is missing; the unit check happens
here. Every refusal and every allowed command is written to the audit log; every change of a case also
becomes a CaseEvent through the lifecycle functions of `store.cases`.

```mermaid
stateDiagram-v2
    new --> triaged: /triage N SEV [unit] (committee)
    triaged --> triaged: /assign N unit (committee)
    triaged --> acknowledged: /ack N (unit)
    acknowledged --> resolved: /resolve N cause | action | prevention, or /resolve N and three answers (unit)
    resolved --> reviewed: /review N (committee, director)
    resolved --> closed: /close N [summary] (when no review is required)
    reviewed --> closed: /close N [summary] (committee, director)
    reviewed --> awaiting_patient: /close N [summary] on a complaint whose patient can be reached
    awaiting_patient --> closed: the patient confirms, or does not answer in time (docs/flows/case-updates.md)
    awaiting_patient --> triaged: the patient says "not fixed" (once), or /reopen N
    closed --> triaged: /reopen N (committee, director)
```
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlmodel import col, or_, select

from handlers.case_updates import patient_reachable, patient_updates, reporter_updates
from handlers.flowkit import tag_columns
from handlers.messages import Button, Channel, Delivery, Outbound
from handlers.router import Router
from handlers.turn import Turn
from store import cases as case_store
from store.learning import unsure_open_cases
from store.models import Case, CaseEvent, Feedback, MediaFile, Patient, Staff, TagCorrection, Unit
from store.periods import fiscal_year_be, thai_date
from store.staff import committee_group, reachable, register_committee_group, revoke, staff_identities
from store.statuses import CLOSABLE, FINISHED, OPEN, RESOLVABLE, CaseStatus
from store.units import match_units

log = logging.getLogger(__name__)
router = Router("committee")

ALL_STAFF = frozenset({"committee", "director", "unit_head", "staff"})
SEES_ALL = frozenset({"committee", "director"})  # every other role sees its own unit's cases only
# command → the roles that may use it. The order is the order `/help` lists them in.
PERMISSIONS: dict[str, frozenset[str]] = {
    "queue": frozenset({"committee", "director", "unit_head"}),
    "overdue": frozenset({"committee", "director", "unit_head"}),
    "mine": ALL_STAFF,
    "case": ALL_STAFF,
    "triage": frozenset({"committee"}),
    "assign": frozenset({"committee"}),
    "ack": frozenset({"committee", "unit_head", "staff"}),
    "note": ALL_STAFF,
    "resolve": frozenset({"committee", "unit_head", "staff"}),
    "review": frozenset({"committee", "director"}),
    "close": frozenset({"committee", "director"}),
    "reopen": frozenset({"committee", "director"}),
    "reject": frozenset({"committee"}),
    "duplicate": frozenset({"committee"}),
    "tags": frozenset({"committee"}),
    "code": frozenset({"committee"}),
    "check": frozenset({"committee", "director"}),
    "report": ALL_STAFF,
    "group": frozenset({"committee"}),
    "report-ha": frozenset({"committee", "director"}),  # handlers/ha_report.py
    "notes": frozenset({"committee", "director"}),  # handlers/ha_report.py: indicator 6 annotations
}
QUEUE_LIMIT = 15  # a chat message people read on a phone; the dashboard has the full list
VIEW_BUTTONS = 5
TEXT_LIMIT = 600  # of the case card; the whole text follows in pages (/case N 2, 3 …)
PAGE_CHARS = 3000  # one page of a long text: well inside Telegram's 4096 and LINE's 5000 characters
NUMBER = re.compile(r"^(?:(\d{4})-)?(\d{1,6})$")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
SEVERITY_MARK = {1: "🟢", 2: "🟡", 3: "🟠", 4: "🔴"}
MEDIA_KINDS = frozenset({"image", "video", "audio", "file"})


class Refused(Exception):
    """The command cannot go ahead: the wrapper says catalogue message `key` and audits the refusal."""

    def __init__(self, key: str, reason: str, **values: Any) -> None:
        super().__init__(reason)
        self.key, self.reason = key, reason
        self.values: dict[str, Any] = values


# --- shared helpers -------------------------------------------------------------------------------


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


def topic_label(turn: Turn, code: str | None) -> str:
    if not code:
        return "-"
    return turn.hospital.topic_label(code)


def topic_unit(turn: Turn, code: str | None) -> str | None:
    return turn.hospital.topic_unit(code)


async def unit_names(turn: Turn) -> dict[str, str]:
    return {u.code: u.name_th for u in (await turn.session.exec(select(Unit))).all()}


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
    return Button(turn.t("committee.button_view", number=case.number), f"case:view:{case.number}")


def next_buttons(turn: Turn, case: Case) -> list[Button]:
    """The next step for this person on this case, as buttons (only steps they may take)."""
    assert turn.staff is not None
    role, buttons = turn.staff.role, []
    may = acts_on(turn.staff, case)
    if case.status == CaseStatus.NEW and role in PERMISSIONS["triage"]:
        buttons.append(turn.button("case.triage", f"case:triage:{case.number}"))
    if case.status == CaseStatus.TRIAGED and role in PERMISSIONS["ack"] and may:
        buttons.append(turn.button("case.ack", f"case:ack:{case.number}"))
    if case.status == CaseStatus.ACKNOWLEDGED and role in PERMISSIONS["resolve"] and may:
        buttons.append(turn.button("case.resolve", f"case:resolve:{case.number}"))
    if case.status == CaseStatus.RESOLVED and role in PERMISSIONS["review"]:
        buttons.append(turn.button("case.review", f"case:review:{case.number}"))
    if case.status in CLOSABLE and role in PERMISSIONS["close"]:
        buttons.append(turn.button("case.close", f"case:close:{case.number}"))
    if (case.status in FINISHED or case.status == CaseStatus.AWAITING_PATIENT) and role in PERMISSIONS["reopen"]:
        buttons.append(turn.button("case.reopen", f"case:reopen:{case.number}"))
    buttons.append(view_button(turn, case))
    return buttons


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


# --- lifecycle: calls into store.cases, then the patient's update and the unit's ping ----------------

Transition = Callable[..., Awaitable[Any]]


def actor(turn: Turn) -> Any:
    assert turn.staff is not None
    return case_store.Actor(kind="staff", staff_id=turn.staff.id, channel=str(turn.inbound.channel))


async def transition(turn: Turn, command: str, case: Case, name: str, **values: Any) -> bool:
    """Run one lifecycle step; a refused transition (wrong status…) is explained, audited, and False."""
    function: Transition = getattr(case_store, name)
    before = case.status
    try:
        await function(turn.session, case=case, actor=actor(turn), now=turn.services.clock(), **values)
    except case_store.TransitionError as exc:
        code = getattr(exc, "code", "invalid")
        audit(turn, f"command.{command}", allowed=False, target=f"case:{case.number}", reason=f"transition:{code}",
              status=before)
        key = f"committee.transition.{code}"
        turn.say(key if turn.services.catalogue.has(key) else "committee.transition.invalid",
                 number=case.number, status=turn.t(f"committee.status.{case.status}"), detail=str(exc)[:200],
                 buttons=[view_button(turn, case)])
        return False
    audit(turn, f"command.{command}", allowed=True, target=f"case:{case.number}", status_from=before,
          status_to=case.status)
    return True


async def tell_patient(turn: Turn, case: Case, what: str, reason: str | None = None) -> None:
    """The patient hears about triage, acknowledgement, closing, rejection (with its reason) and reopening
    (the patient flows' case_updates)."""
    for delivery in await patient_updates(turn.session, case=case, transition=what, services=turn.services,
                                          reason=reason):
        turn.push(delivery)


async def _ping(turn: Turn, who: Any, text: str, buttons: tuple[Button, ...]) -> None:
    """Push `text` to every active staff member matching `who`, on every chat app they registered (not the
    person acting: they already have the answer)."""
    rows = (await turn.session.exec(select(Staff).where(who, col(Staff.active)))).all()
    me = turn.staff.id if turn.staff else None
    ids = [s.id for s in rows if s.id is not None and s.id != me]
    for identity in await staff_identities(turn.session, staff_ids=ids):
        turn.push(Delivery(Channel(identity.channel), identity.external_id, [Outbound(text, buttons)]))


async def director_notice_line(turn: Turn) -> str:
    """Who the immediate director notice reaches (the sweeper sends it within seconds), or that nobody can."""
    directors = (await reachable(turn.session, role="director")).get(None)
    if directors:
        return turn.t("committee.director_told", names=", ".join(directors))
    return turn.t("committee.director_missing")


async def ping_unit(turn: Turn, case: Case) -> None:
    """The unit head(s) of the case's unit get the case with acknowledge / view buttons."""
    if not case.unit_code:
        return
    units = await unit_names(turn)
    text = turn.t("committee.assigned_ping", number=case.number, severity=severity_text(turn, case),
                  unit=units.get(case.unit_code, case.unit_code),
                  due=thai_date(case.report_due_at) if case.report_due_at else "-")
    buttons = (turn.button("case.ack", f"case:ack:{case.number}"), view_button(turn, case))
    await _ping(turn, (Staff.unit_code == case.unit_code) & (Staff.role == "unit_head"), text, buttons)


async def ping_committee_resolved(turn: Turn, case: Case) -> None:
    """The unit has returned its corrective-action record: the committee is asked to review (or close)."""
    units = await unit_names(turn)
    text = turn.t("committee.resolved_ping", number=case.number, unit=units.get(case.unit_code or "", "-"),
                  action=(case.action or "-")[:200])
    step = ("case.review", f"case:review:{case.number}") if case.review_required != "none" else \
        ("case.close", f"case:close:{case.number}")
    await _ping(turn, Staff.role == "committee", text, (turn.button(*step), view_button(turn, case)))


# --- commands -------------------------------------------------------------------------------------


def command(name: str) -> Callable[[Callable[[Turn], Awaitable[None]]], Callable[[Turn], Awaitable[None]]]:
    """Register a staff command: the dispatcher checks the role; this wrapper turns a Refused into a polite,
    audited answer."""

    def deco(fn: Callable[[Turn], Awaitable[None]]) -> Callable[[Turn], Awaitable[None]]:
        @functools.wraps(fn)
        async def run(turn: Turn) -> None:
            try:
                await fn(turn)
            except Refused as refused:
                audit(turn, f"command.{name}", allowed=False, reason=refused.reason, args=turn.args[:64])
                turn.say(refused.key, **refused.values)

        router.command(name, roles=set(PERMISSIONS[name]), help_key=f"committee.help.{name}")(run)
        return run

    return deco


def usage(name: str) -> Refused:
    return Refused(f"committee.usage.{name}", "usage")


@router.command("help", help_key="committee.help.help")
async def on_help(turn: Turn) -> None:
    """Only the commands this person may use; patients get the menu instead."""
    if turn.staff is None:
        turn.say("committee.help_patient", buttons=[turn.button("menu", "menu")])
        return
    from handlers import build_router

    role = turn.staff.role
    lines = [turn.t("committee.help_title", role=turn.t(f"role.{role}"))]
    for cmd in _all_commands(build_router):
        if cmd.roles is not None and role in cmd.roles and cmd.help_key and turn.services.catalogue.has(cmd.help_key):
            lines.append(turn.t(cmd.help_key))
    lines.append(turn.t("committee.help_scope_all" if role in SEES_ALL else "committee.help_scope_unit"))
    gaps = await staffing_gaps(turn)
    turn.say_text("\n".join([*lines, "", gaps] if gaps else lines))


def _all_commands(build: Callable[[], Router]) -> Sequence[Any]:
    commands = build().commands
    mine = [commands[name] for name in PERMISSIONS if name in commands]
    others = [c for name, c in sorted(commands.items()) if name not in PERMISSIONS]
    return [*mine, *others]


async def _queue_cases(turn: Turn, *, only_overdue: bool, where: Any = None) -> list[Case]:
    assert turn.staff is not None
    query = select(Case).where(col(Case.status).in_(OPEN))
    if turn.staff.role not in SEES_ALL:
        query = query.where(or_(Case.unit_code == turn.staff.unit_code, Case.assignee_staff_id == turn.staff.id))
    if where is not None:
        query = query.where(where)
    cases = list((await turn.session.exec(query)).all())
    if only_overdue:
        cases = [c for c in cases if overdue(turn, c)]
    return by_urgency(turn, cases)


async def staffing_gaps(turn: Turn) -> str | None:
    """A warning while the policy's pings would reach nobody: no director on chat, or open cases in a unit
    without a unit head on chat (their reminders then climb straight to the committee). Committee and
    director only: they are the ones who can invite."""
    if turn.staff is None or turn.staff.role not in SEES_ALL:
        return None
    open_units = set((await turn.session.exec(
        select(Case.unit_code).where(col(Case.status).in_(OPEN), col(Case.unit_code).is_not(None))
    )).all())
    heads = await reachable(turn.session, role="unit_head", unit_codes=[u for u in open_units if u])
    headless = sorted(u for u, names in heads.items() if u is not None and u in open_units and not names)
    no_director = not (await reachable(turn.session, role="director")).get(None)
    if not headless and not no_director:
        return None
    names = await unit_names(turn)
    lines = [turn.t("committee.gap_title")]
    if no_director:
        lines.append(turn.t("committee.gap_director"))
    if headless:
        lines.append(turn.t("committee.gap_unit_heads", units=", ".join(names.get(u, u) for u in headless)))
    return "\n".join(lines)


async def _say_cases(turn: Turn, cases: list[Case], units: dict[str, str], title: str, empty: str) -> None:
    gaps = await staffing_gaps(turn)
    if not cases:
        if gaps:
            turn.say_text(turn.t(empty) + "\n\n" + gaps)
        else:
            turn.say(empty)
        return
    shown = cases[:QUEUE_LIMIT]
    lines = ([gaps, ""] if gaps else []) + [title] + [case_line(turn, c, units) for c in shown]
    if len(cases) > len(shown):
        lines.append(turn.t("committee.queue_more", count=len(cases) - len(shown)))
    turn.say_text("\n".join(lines), buttons=[view_button(turn, c) for c in shown[:VIEW_BUTTONS]])


@command("queue")
async def on_queue(turn: Turn) -> None:
    """/queue [unit|severity]: open cases, nearest deadline first."""
    arg = turn.args.strip()
    where, label = None, ""
    if arg:
        if arg.upper() in turn.hospital.policy.severities:
            where, label = Case.severity == arg.upper(), arg.upper()
        else:
            unit = await unit_or_refuse(turn, arg)
            where, label = Case.unit_code == unit.code, unit.name_th
    cases = await _queue_cases(turn, only_overdue=False, where=where)
    audit(turn, "command.queue", allowed=True, filter=arg[:32], count=len(cases))
    units = await unit_names(turn)
    title = turn.t("committee.queue_title", count=len(cases), filter=f" ({label})" if label else "")
    await _say_cases(turn, cases, units, title, "committee.queue_empty")


@command("overdue")
async def on_overdue(turn: Turn) -> None:
    """/overdue: open cases past their deadline."""
    cases = await _queue_cases(turn, only_overdue=True)
    audit(turn, "command.overdue", allowed=True, count=len(cases))
    await _say_cases(turn, cases, await unit_names(turn), turn.t("committee.overdue_title", count=len(cases)),
               "committee.overdue_empty")


@command("mine")
async def on_mine(turn: Turn) -> None:
    """/mine: open cases of my unit, assigned to me, or reported by me."""
    staff = turn.staff
    assert staff is not None
    mine = [Case.assignee_staff_id == staff.id, Case.reporter_staff_id == staff.id]
    if staff.unit_code:
        mine.append(Case.unit_code == staff.unit_code)
    query = select(Case).where(col(Case.status).in_(OPEN), or_(*mine))
    cases = by_urgency(turn, list((await turn.session.exec(query)).all()))
    audit(turn, "command.mine", allowed=True, count=len(cases))
    await _say_cases(turn, cases, await unit_names(turn), turn.t("committee.mine_title", count=len(cases)),
               "committee.mine_empty")


async def case_text_allowed(turn: Turn) -> bool:
    """Case details (the complaint's words, tags, timeline) go to a 1:1 chat or a registered committee group
    only: in any other group everyone present would read them."""
    if not turn.inbound.is_group:
        return True
    found = await committee_group(turn.session, channel=str(turn.inbound.channel), chat_id=turn.inbound.chat_id)
    return found is not None


def private_chat_button(turn: Turn, case: Case) -> list[Button]:
    """A button opening the case in the staff member's 1:1 chat with the bot, where the platform allows it."""
    label = turn.t("button.open_private")
    settings = turn.services.settings
    if turn.inbound.channel == Channel.LINE and settings.line_bot_basic_id:
        text = quote(f"/case {case.number}")
        return [Button(label, f"https://line.me/R/oaMessage/{quote(settings.line_bot_basic_id)}/?{text}", "url")]
    if turn.inbound.channel == Channel.TELEGRAM and settings.telegram_bot_username:
        return [Button(label, f"https://t.me/{settings.telegram_bot_username}?start=case-{case.number}", "url")]
    return []


async def view_case(turn: Turn, case: Case, page: int = 0, **detail: object) -> None:
    """/case N [page] and the view and page buttons: the case where it may be read, else the way to a private
    chat."""
    if not await case_text_allowed(turn):
        audit(turn, "command.case", allowed=False, target=f"case:{case.number}", reason="not_committee_group",
              **detail)
        turn.say("committee.case_private", number=case.number, buttons=private_chat_button(turn, case))
        return
    audit(turn, "command.case", allowed=True, target=f"case:{case.number}", page=page, **detail)
    await show_case(turn, case, page)


def text_pages(text: str) -> list[str]:
    """A long text in pages of at most PAGE_CHARS, cut at a space or line break where there is one."""
    pages = []
    while len(text) > PAGE_CHARS:
        cut = max(text.rfind(" ", PAGE_CHARS // 2, PAGE_CHARS), text.rfind("\n", PAGE_CHARS // 2, PAGE_CHARS))
        cut = cut if cut > 0 else PAGE_CHARS
        pages.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pages, text]


def page_button(turn: Turn, case: Case, page: int) -> Button:
    return Button(turn.t("committee.button_page", page=page), f"case:page:{case.number}:{page}")


async def show_case(turn: Turn, case: Case, page: int = 0) -> None:
    """The case card; with `page` ≥ 1 only that page of the complainant's whole text. Callers have checked
    `case_text_allowed`."""
    units = await unit_names(turn)
    feedback = await turn.session.get(Feedback, case.feedback_id) if case.feedback_id else None
    whole = feedback.text if feedback is not None else (case.summary or "")
    if page >= 1:
        pages = text_pages(whole or "-")
        page = min(page, len(pages))
        more = [page_button(turn, case, page + 1)] if page < len(pages) else []
        turn.say_text(turn.t("committee.case_page", number=case.number, page=page, pages=len(pages)) + "\n"
                      + pages[page - 1], buttons=[*more, view_button(turn, case)])
        return
    events = (await turn.session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(col(CaseEvent.at), col(CaseEvent.id))
    )).all()
    names = await staff_names(turn, {e.actor_staff_id for e in events} | {case.assignee_staff_id})
    lines = [
        turn.t("committee.case_title", number=case.number, kind=turn.t(f"committee.kind.{case.kind}"),
               source=turn.t(f"committee.source.{case.source}")),
        turn.t("committee.case_status", status=turn.t(f"committee.status.{case.status}"),
               severity=severity_text(turn, case), unit=units.get(case.unit_code or "", turn.t("committee.no_unit")),
               overdue=turn.t("committee.overdue_mark") if overdue(turn, case) else ""),
    ]
    if feedback is not None and (feedback.department_code or case.primary_topic):
        suggested = topic_unit(turn, case.primary_topic)
        if feedback.department_code and suggested and suggested != feedback.department_code:
            lines.append(turn.t("committee.case_units", chosen=units.get(feedback.department_code, "-"),
                                suggested=units.get(suggested, "-")))
        elif feedback.department_code:
            lines.append(turn.t("committee.case_unit_chosen", chosen=units.get(feedback.department_code, "-")))
    paged = len(whole) > TEXT_LIMIT
    if whole:
        cut = whole[:TEXT_LIMIT] + "…" if paged else whole
        lines.append(turn.t("committee.case_text", text=cut))
        if paged:
            lines.append(turn.t("committee.case_text_more", chars=len(whole), number=case.number,
                                pages=len(text_pages(whole))))
    if feedback is not None and feedback.topics:
        tags = []
        for tag in feedback.topics:
            evidence = tag.get("evidence") or []
            if isinstance(evidence, str):
                evidence = [evidence]
            tags.append(turn.t("committee.case_tag", topic=topic_label(turn, tag.get("code")),
                               evidence=", ".join(f"“{e}”" for e in evidence[:3]) or "-"))
        lines.append(turn.t("committee.case_tags", tags="; ".join(tags)))
    correction = (await turn.session.exec(
        select(TagCorrection).where(TagCorrection.feedback_id == feedback.id).order_by(col(TagCorrection.id).desc())
    )).first() if feedback is not None else None
    if correction is not None:
        lines.append(turn.t("committee.case_tags_corrected",
                            topics=", ".join(topic_label(turn, c) for c in correction.topics) or "-"))
    lines.extend(nlp_lines(turn, case, feedback))
    if feedback is not None and feedback.sentiment:
        lines.append(turn.t("committee.case_sentiment", sentiment=turn.t(f"committee.sentiment.{feedback.sentiment}")))
    if feedback is not None and feedback.contact_consent and turn.staff is not None and turn.staff.role in SEES_ALL:
        lines.append(await _contact_line(turn, case))
    media = (await turn.session.exec(select(MediaFile).where(MediaFile.case_id == case.id))).all()
    if media:
        lines.append(turn.t("committee.case_media", count=len(media)))
    if case.report_due_at or case.resolve_due_at:
        lines.append(turn.t("committee.case_deadlines",
                            report=thai_date(case.report_due_at) if case.report_due_at else "-",
                            resolve=thai_date(case.resolve_due_at) if case.resolve_due_at else "-"))
    if case.status == CaseStatus.AWAITING_PATIENT and case.confirm_due_at is not None:
        lines.append(turn.t("committee.case_awaiting", due=thai_date(case.confirm_due_at)))
    if case.review_required and case.review_required != "none":
        lines.append(turn.t(f"committee.review_required.{case.review_required}"))
    if case.cause or case.action or case.prevention:
        lines.append(turn.t("committee.case_fix", cause=case.cause or "-", action=case.action or "-",
                            prevention=case.prevention or "-"))
    if case.approved_summary:
        lines.append(turn.t("committee.case_summary", summary=case.approved_summary))
    if case.handling_rating:
        lines.append(turn.t("committee.case_rating", rating=case.handling_rating))
    lines.append(turn.t("committee.case_timeline"))
    for event in events:
        who = names.get(event.actor_staff_id or -1) or turn.t(f"committee.actor.{event.actor_kind}")
        action_key = f"committee.action.{event.action}"
        action = turn.t(action_key) if turn.services.catalogue.has(action_key) else event.action
        severity, unit = event.detail.get("severity"), event.detail.get("unit")
        extra = (turn.t("committee.event_severity", severity=severity) if severity else "") \
            + (turn.t("committee.event_unit", unit=units.get(str(unit), str(unit))) if unit else "") \
            or event.detail.get("text") or event.detail.get("code") or ""
        lines.append(turn.t("committee.case_event", at=thai_date(event.at), action=action, who=who,
                            extra=f" {str(extra)[:80]}" if extra else ""))
    buttons = next_buttons(turn, case)
    turn.say_text("\n".join(lines), buttons=[page_button(turn, case, 1), *buttons] if paged else buttons)


async def _contact_line(turn: Turn, case: Case) -> str:
    """The complainant agreed to be called back: the committee and director see the phone number, but only in
    their 1:1 chat — never in a group, where others read along."""
    if turn.inbound.is_group:
        return turn.t("committee.contact_in_private")
    patient = await turn.session.get(Patient, case.patient_id) if case.patient_id else None
    return turn.t("committee.contact", phone=(patient.phone if patient and patient.phone else "-"))


@command("case")
async def on_case(turn: Turn) -> None:
    """/case N [page]: the case, its tags with evidence, its deadlines and timeline; with a page number, that
    page of the complainant's whole text."""
    if not turn.args:
        raise usage("case")
    parts = turn.args.split()
    case = await load_case(turn, parts[0], act=False)
    await view_case(turn, case, int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0)


@command("group")
async def on_group(turn: Turn) -> None:
    """/group in a group chat: a committee member makes it a committee group (committee pings, case details);
    /group off ends that."""
    inbound = turn.inbound
    if not inbound.is_group:
        raise usage("group")
    registered = await committee_group(turn.session, channel=str(inbound.channel), chat_id=inbound.chat_id)
    now = turn.services.clock()
    if turn.args.strip().lower() == "off":
        if registered is None or registered.id is None:
            turn.say("committee.group_not_registered")
            return
        await revoke(turn.session, staff_id=registered.id, now=now)
        audit(turn, "command.group", allowed=True, target=f"staff:{registered.id}", registered=False)
        turn.say("committee.group_off")
        return
    if registered is not None:
        turn.say("committee.group_already")
        return
    group = await register_committee_group(turn.session, channel=str(inbound.channel), chat_id=inbound.chat_id,
                                           name=turn.t("committee.group_name", channel=str(inbound.channel)),
                                           now=now)
    audit(turn, "command.group", allowed=True, target=f"staff:{group.id}", registered=True)
    turn.say("committee.group_on")


@command("triage")
async def on_triage(turn: Turn) -> None:
    """/triage N SEV [unit]: the committee sets the severity (and the responsible unit); deadlines follow."""
    parts = turn.args.split()
    if len(parts) < 2:
        raise usage("triage")
    case = await load_case(turn, parts[0], act=True)
    await _triage(turn, case, severity_or_refuse(turn, parts[1]), " ".join(parts[2:]) or None)


async def _triage(turn: Turn, case: Case, severity: str, unit_text: str | None) -> None:
    unit = await unit_or_refuse(turn, unit_text) if unit_text else None
    unit_code = unit.code if unit else case.unit_code
    if unit_code is None:
        raise Refused("committee.triage_needs_unit", "no_unit", number=case.number)
    was_new = case.status == CaseStatus.NEW
    if not await transition(turn, "triage", case, "triage", severity=severity, unit_code=unit_code,
                                  policy=turn.hospital.policy):
        return
    units = await unit_names(turn)
    text = turn.t("committee.triaged", number=case.number, severity=severity_text(turn, case),
                  unit=units.get(unit_code, unit_code),
                  report=thai_date(case.report_due_at) if case.report_due_at else "-",
                  resolve=thai_date(case.resolve_due_at) if case.resolve_due_at else "-")
    if severity == "SE" or turn.hospital.policy.rule(severity).notify_director:
        text += "\n" + await director_notice_line(turn)
    if case.review_required != turn.hospital.policy.rule(severity).review:  # raised to RCA by recurrence
        count = await case_store.recurrence_count(turn.session, case=case, policy=turn.hospital.policy)
        text += "\n" + turn.t("committee.recurrent", count=count, unit=units.get(unit_code, "-"),
                              code=case.risk_code or topic_label(turn, case.primary_topic))
    turn.say_text(text, buttons=[view_button(turn, case)])
    if was_new:
        await tell_patient(turn, case, "triaged")
    await ping_unit(turn, case)


@command("assign")
async def on_assign(turn: Turn) -> None:
    """/assign N unit: send the case to another unit."""
    parts = turn.args.split()
    if len(parts) < 2:
        raise usage("assign")
    case = await load_case(turn, parts[0], act=True)
    unit = await unit_or_refuse(turn, " ".join(parts[1:]))
    if not await transition(turn, "assign", case, "assign", unit_code=unit.code):
        return
    turn.say("committee.assigned", number=case.number, unit=unit.name_th, buttons=[view_button(turn, case)])
    await ping_unit(turn, case)


async def _ack(turn: Turn, case: Case) -> None:
    if not await transition(turn, "ack", case, "acknowledge"):
        return
    turn.say("committee.acknowledged", number=case.number,
             resolve=thai_date(case.resolve_due_at) if case.resolve_due_at else "-",
             buttons=next_buttons(turn, case))
    await tell_patient(turn, case, "acknowledged")


@command("ack")
async def on_ack(turn: Turn) -> None:
    """/ack N: the unit has taken the case on."""
    if not turn.args:
        raise usage("ack")
    await _ack(turn, await load_case(turn, turn.args.split()[0], act=True))


@command("note")
async def on_note(turn: Turn) -> None:
    """/note N text: a note on the case's timeline; /note [date] text without a case number: the committee's
    annotation of indicator 6 (handlers/ha_report.py)."""
    number, _, text = turn.args.partition(" ")
    if number and parse_number(number, turn.services.clock()) is None:
        from handlers.ha_report import annotate

        await annotate(turn)
        return
    if not number or not text.strip():
        raise usage("note")
    case = await load_case(turn, number, act=True)
    if await transition(turn, "note", case, "add_note", text=text.strip()):
        turn.say("committee.noted", number=case.number, buttons=[view_button(turn, case)])


RESOLVE_STATE = "committee.resolve"
RESOLVE_STEPS = ("cause", "action", "prevention")  # the three parts of FO-QMR-23, asked one message each


@command("resolve")
async def on_resolve(turn: Turn) -> None:
    """/resolve N cause | action | prevention: the unit's corrective-action record (FO-QMR-23). "|" is hard
    to find on a Thai phone keyboard, so `/resolve N` (or the resolve button) asks for the three parts one
    message at a time; text after the number without "|" is taken as the cause."""
    number, _, rest = turn.args.strip().partition(" ")
    if not number:
        raise usage("resolve")
    if "|" not in rest:
        await start_resolve(turn, await load_case(turn, number, act=True), rest.strip())
        return
    parts = [p.strip() for p in rest.split("|")]
    if len(parts) != 3 or not all(parts):
        raise usage("resolve")
    case = await load_case(turn, number, act=True)
    if turn.state == RESOLVE_STATE:  # typed in one line after all: the questions are over
        turn.end()
    await _resolve(turn, case, *parts)


async def _resolve(turn: Turn, case: Case, cause: str, action: str, prevention: str) -> None:
    if await transition(turn, "resolve", case, "resolve", cause=cause, action=action, prevention=prevention):
        turn.say("committee.resolved", number=case.number, buttons=[view_button(turn, case)])
        await ping_committee_resolved(turn, case)


async def start_resolve(turn: Turn, case: Case, cause: str = "") -> None:
    """The guided /resolve: ask for the cause (unless already typed), then the fix, then the prevention."""
    if case.status not in RESOLVABLE:  # say so now, not after three answers
        audit(turn, "command.resolve", allowed=False, target=f"case:{case.number}", reason="transition:invalid",
              status=case.status)
        turn.say("committee.transition.invalid", number=case.number,
                 status=turn.t(f"committee.status.{case.status}"), buttons=[view_button(turn, case)])
        return
    answers = {"cause": cause} if cause else {}
    _ask_resolve_step(turn, case.number, answers)


def _ask_resolve_step(turn: Turn, number: str, answers: dict[str, str]) -> None:
    step = next(s for s in RESOLVE_STEPS if s not in answers)
    turn.goto(RESOLVE_STATE, resolve={"number": number, **answers})
    text = turn.t(f"committee.resolve_ask.{step}", number=number)
    if turn.inbound.is_group and turn.inbound.channel == Channel.TELEGRAM:
        # a Telegram bot in a group (privacy mode) only sees commands and replies to its own messages
        text += "\n" + turn.t("committee.resolve_reply_hint")
    turn.say_text(text, buttons=[turn.button("cancel", "cancel")])


@router.state(RESOLVE_STATE)
async def on_resolve_step(turn: Turn) -> None:
    """One answer of the guided /resolve; after the third, the same record as the one-line form."""
    saved = dict(turn.data.get("resolve") or {})
    number = str(saved.pop("number", ""))
    text = (turn.inbound.text or "").strip()
    if not number or turn.staff is None:
        turn.end()
        return
    step = next((s for s in RESOLVE_STEPS if s not in saved), None)
    if step is not None and not text:  # a sticker or a photo: ask the same question again
        _ask_resolve_step(turn, number, saved)
        return
    if step is not None:
        saved[step] = text
    if any(s not in saved for s in RESOLVE_STEPS):
        _ask_resolve_step(turn, number, saved)
        return
    turn.end()
    try:
        case = await load_case(turn, number, act=True)  # the role or unit may have changed meanwhile
    except Refused as refused:
        audit(turn, "command.resolve", allowed=False, reason=refused.reason, target=f"case:{number}")
        turn.say(refused.key, **refused.values)
        return
    await _resolve(turn, case, saved["cause"], saved["action"], saved["prevention"])


async def _review(turn: Turn, case: Case) -> None:
    if await transition(turn, "review", case, "review"):
        turn.say("committee.reviewed", number=case.number, buttons=next_buttons(turn, case))
        await tell_reporter(turn, case)


@command("review")
async def on_review(turn: Turn) -> None:
    """/review N: the committee has reviewed the unit's record (or the RCA)."""
    if not turn.args:
        raise usage("review")
    await _review(turn, await load_case(turn, turn.args.split()[0], act=True))


@command("close")
async def on_close(turn: Turn) -> None:
    """/close N [approved summary]: close; the patient hears the approved summary and is asked to rate."""
    number, _, summary = turn.args.partition(" ")
    if not number:
        raise usage("close")
    case = await load_case(turn, number, act=True)
    summary = summary.strip() or (case.approved_summary or "")
    if case.source == "patient" and case.patient_id is not None and not summary:
        raise Refused("committee.close_needs_summary", "no_summary", number=case.number)
    await _close_case(turn, case, summary or None)


@command("reopen")
async def on_reopen(turn: Turn) -> None:
    """/reopen N: back to the unit (the timeline keeps everything)."""
    if not turn.args:
        raise usage("reopen")
    await _reopen(turn, await load_case(turn, turn.args.split()[0], act=True))


async def _reopen(turn: Turn, case: Case) -> None:
    if await transition(turn, "reopen", case, "reopen", policy=turn.hospital.policy):
        turn.say("committee.reopened", number=case.number, status=turn.t(f"committee.status.{case.status}"),
                 buttons=next_buttons(turn, case))
        await tell_patient(turn, case, "reopened")


@command("reject")
async def on_reject(turn: Turn) -> None:
    """/reject N reason: not a matter for the queue (the patient is told politely)."""
    number, _, reason = turn.args.partition(" ")
    if not number or not reason.strip():
        raise usage("reject")
    case = await load_case(turn, number, act=True)
    if await transition(turn, "reject", case, "reject", reason=reason.strip()):
        turn.say("committee.rejected", number=case.number, buttons=next_buttons(turn, case))
        await tell_patient(turn, case, "rejected", reason=reason.strip())


@command("duplicate")
async def on_duplicate(turn: Turn) -> None:
    """/duplicate N OTHER [reason]: the same matter as case OTHER, handled there; the reason (if typed) goes to
    the patient, the other case's number does not (it may be someone else's)."""
    parts = turn.args.split()
    if len(parts) < 2:
        raise usage("duplicate")
    case = await load_case(turn, parts[0], act=True)
    other = parse_number(parts[1], turn.services.clock())
    if other is None:
        raise Refused("committee.bad_number", "bad_number", text=parts[1][:20])
    reason = " ".join(parts[2:]) or None
    if await transition(turn, "duplicate", case, "reject", reason=reason or f"duplicate of {other}",
                        duplicate_of=other):
        turn.say("committee.duplicated", number=case.number, other=other, buttons=next_buttons(turn, case))
        await tell_patient(turn, case, "duplicate", reason=reason)


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
    from nlp.nrls import load_codes

    return load_codes()


@command("code")
async def on_code(turn: Turn) -> None:
    """/code N CODE|1-3: the committee sets the case's NRLS risk code (or picks one of the NLP's three); the
    choice is the case's code in reports and a label `python -m nlp.train --corrections` learns from."""
    parts = turn.args.split()
    if len(parts) < 2:
        raise usage("code")
    case = await load_case(turn, parts[0], act=True)
    feedback = await turn.session.get(Feedback, case.feedback_id) if case.feedback_id else None
    suggested = [r["code"] for r in ((feedback.nlp or {}) if feedback is not None else {}).get("risk_codes", [])]
    choice = parts[1].strip().upper()
    if choice.isdigit() and 1 <= int(choice) <= len(suggested):
        choice = suggested[int(choice) - 1]
    codes = nrls_codes()
    if choice not in codes:
        raise Refused("committee.bad_code", "bad_code", code=parts[1][:16], number=case.number)
    previous = case.risk_code
    recurrent = await case_store.set_risk_code(turn.session, case=case, code=choice, actor=actor(turn),
                                               now=turn.services.clock(), suggested=suggested,
                                               policy=turn.hospital.policy)
    audit(turn, "command.code", allowed=True, target=f"case:{case.number}", code=choice, previous=previous,
          suggested=choice in suggested, recurrence=recurrent)
    text = turn.t("committee.coded", number=case.number, code=choice, name=codes[choice])
    if recurrent:
        text += "\n" + turn.t("committee.recurrent", count=recurrent, code=choice,
                              unit=(await unit_names(turn)).get(case.unit_code or "", "-"))
    turn.say_text(text, buttons=[view_button(turn, case)])


CHECK_LIMIT = 15


@command("check")
async def on_check(turn: Turn) -> None:
    """/check: open cases whose tags the NLP was unsure of and nobody has corrected or coded yet, least sure
    first; what the committee labels there (/tags, /code) becomes training data."""
    unsure = await unsure_open_cases(turn.session)
    audit(turn, "command.check", allowed=True, count=len(unsure))
    if not unsure:
        turn.say("committee.check_empty")
        return
    shown = unsure[:CHECK_LIMIT]
    lines = [turn.t("committee.check_title", count=len(unsure))]
    for case, feedback in shown:
        topics = ", ".join(topic_label(turn, t.get("code")) for t in feedback.topics) or "-"
        lines.append(turn.t("committee.check_line", number=case.number, topics=topics,
                            confidence=round(float((feedback.nlp or {}).get("confidence") or 0) * 100)))
    if len(unsure) > len(shown):
        lines.append(turn.t("committee.queue_more", count=len(unsure) - len(shown)))
    turn.say_text("\n".join(lines), buttons=[view_button(turn, c) for c, _ in shown[:VIEW_BUTTONS]])


@command("tags")
async def on_tags(turn: Turn) -> None:
    """/tags N code… [pos|neu|neg]: the committee corrects the NLP's tags; `python -m nlp.train` learns from
    these (exported by `python -m bot corrections`). A lone "-" means: no topic applies."""
    parts = turn.args.split()
    if len(parts) < 2:
        raise usage("tags")
    case = await load_case(turn, parts[0], act=True)
    feedback = await turn.session.get(Feedback, case.feedback_id) if case.feedback_id else None
    if feedback is None or feedback.id is None:
        raise Refused("committee.tags_no_text", "no_feedback", number=case.number)
    known = turn.hospital.topics
    words = [w.lower() for w in parts[1:]]
    sentiment = next((w for w in words if w in SENTIMENTS), None)
    codes = [w for w in words if w not in SENTIMENTS and w != "-"]
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise Refused("committee.bad_topic", "bad_topic", topic=unknown[0][:32], topics=" ".join(known))
    codes = list(dict.fromkeys(codes))
    now = turn.services.clock()
    turn.session.add(TagCorrection(feedback_id=feedback.id, staff_id=turn.staff.id if turn.staff else None,
                                   topics=codes, sentiment=sentiment, at=now))
    await case_store.record_event(turn.session, case=case, now=now, action="tags_corrected", actor_kind="staff",
                                  actor_staff_id=turn.staff.id if turn.staff else None,
                                  channel=str(turn.inbound.channel),
                                  detail={"topics": codes, "sentiment": sentiment,
                                          "was": [t.get("code") for t in feedback.topics]})
    audit(turn, "command.tags", allowed=True, target=f"case:{case.number}", topics=codes, sentiment=sentiment)
    turn.say("committee.tags_saved", number=case.number,
             topics=", ".join(topic_label(turn, c) for c in codes) or "-",
             sentiment=turn.t(f"committee.sentiment.{sentiment}") if sentiment else "-",
             buttons=[view_button(turn, case)])


@command("report")
async def on_report(turn: Turn) -> None:
    """/report text: any staff member files an incident; the NLP tags it and suggests a severity."""
    staff = turn.staff
    assert staff is not None
    text = turn.args.strip()
    if not text:
        raise usage("report")
    now = turn.services.clock()
    tags = await _tags(turn, text)
    feedback = Feedback(kind="report", staff_id=staff.id, channel=str(turn.inbound.channel), text=text,
                        department_code=staff.unit_code, created_at=now, **tags)
    turn.session.add(feedback)
    await turn.session.flush()
    topics: list[dict[str, Any]] = tags.get("topics", [])
    primary = max(topics, key=lambda t: t["score"])["code"] if topics else None
    sentinel = bool(tags.get("sentinel"))
    # the reporter's unit owns it; a committee member's or director's report goes to the topic's usual unit
    unit_code = staff.unit_code or topic_unit(turn, primary)
    if unit_code is not None and await turn.session.get(Unit, unit_code) is None:
        unit_code = None
    case = await case_store.open_case(
        turn.session, now=now, source="staff", kind="incident", channel=str(turn.inbound.channel),
        feedback_id=feedback.id, reporter_staff_id=staff.id, summary=text[:200], primary_topic=primary,
        unit_code=unit_code, severity_hint=tags.get("severity_hint"), sentinel_hint=sentinel,
        policy=turn.hospital.policy,
    )
    audit(turn, "command.report", allowed=True, target=f"case:{case.number}", severity_hint=case.severity_hint,
          sentinel=sentinel, tagged=bool(tags))
    turn.say("committee.reported_sentinel" if sentinel else "committee.reported", number=case.number,
             hint=case.severity_hint or "-", topics=", ".join(topic_label(turn, t["code"]) for t in topics) or "-",
             buttons=[view_button(turn, case), turn.button("case.done", f"case:done:{case.number}")])
    turn.goto("committee.report_photos", case=case.number)


async def _tags(turn: Turn, text: str) -> dict[str, Any]:
    """The NLP's tags as Feedback columns; {} when the NLP fails — a report is never lost for want of tags."""
    try:
        analysis = await turn.services.analyse(text, question="incident")
    except Exception:
        log.exception("NLP failed on a staff report; filed untagged")
        return {}
    return tag_columns(analysis)


@router.state("committee.report_photos", media=True)
async def on_report_photo(turn: Turn) -> None:
    """Photos sent right after /report are kept with the incident; any text ends the photo step."""
    number = str(turn.data.get("case", ""))
    case = await case_store.case_by_number(turn.session, number=number) if number else None
    if case is None or turn.staff is None or case.reporter_staff_id != turn.staff.id:
        turn.end()
        return
    files = [a for a in turn.inbound.attachments if a.kind in MEDIA_KINDS]
    if any(a.too_large for a in files):  # over MEDIA_MAX_BYTES: recorded as too large, not stored
        turn.say("committee.photo_too_large", number=case.number,
                 max_mb=turn.services.settings.media_max_mb,
                 buttons=[turn.button("case.done", f"case:done:{case.number}")])
        files = [a for a in files if not a.too_large]
        if not files:
            turn.goto("committee.report_photos", case=case.number)
            return
    if not files:
        turn.end()
        turn.say("committee.report_done", number=case.number, buttons=[view_button(turn, case)])
        return
    kept = 0
    for attachment in files:
        media = await _media_row(turn, attachment)
        if media is not None and media.case_id is None:  # never move a file that belongs to another case
            media.case_id = case.id
            turn.session.add(media)
            kept += 1
    turn.goto("committee.report_photos", case=case.number)
    if not kept:  # the platform's content could not be fetched: say so, the reporter can send it again
        turn.say("committee.photo_failed", number=case.number,
                 buttons=[turn.button("case.done", f"case:done:{case.number}")])
        return
    await case_store.record_event(turn.session, case=case, now=turn.services.clock(), action="media",
                                  actor_kind="staff", actor_staff_id=turn.staff.id,
                                  channel=str(turn.inbound.channel), detail={"count": kept})
    turn.say("committee.photo_kept", number=case.number,
             buttons=[turn.button("case.done", f"case:done:{case.number}")])


async def _media_row(turn: Turn, attachment: Any) -> MediaFile | None:
    """The kept file of an attachment: by MediaFile id, else by the platform's content id on this channel."""
    if attachment.media_id is not None:
        return await turn.session.get(MediaFile, attachment.media_id)
    if not attachment.ref:
        return None
    query = select(MediaFile).where(MediaFile.channel == str(turn.inbound.channel),
                                    MediaFile.platform_ref == attachment.ref, MediaFile.status == "stored")
    return (await turn.session.exec(query)).first()


# --- buttons: case:view:N, case:ack:N, case:triage:N, case:sev:N:SEV, case:review:N, case:close:N … ------


PAYLOAD_COMMAND = {
    "view": "case", "ack": "ack", "triage": "triage", "sev": "triage", "resolve": "resolve",
    "review": "review", "close": "close", "reopen": "reopen", "done": "report", "page": "case",
}


@router.payload("case")
async def on_case_button(turn: Turn) -> None:
    """Buttons under staff messages and reminder pings; the same role and unit checks as the commands."""
    parts = (turn.inbound.payload or "").split(":")
    verb = parts[1] if len(parts) > 1 else ""
    name = PAYLOAD_COMMAND.get(verb)
    if name is None or len(parts) < 3:
        turn.say("committee.button_stale")
        return
    if not turn.inbound.individual:  # the dispatcher gave no staff: say why, not just "no role"
        audit(turn, f"button.{verb}", allowed=False, target=f"case:{parts[2][:16]}", reason="shared_sender")
        turn.say("staff.shared_sender", command=name)
        return
    if turn.staff is None or turn.staff.role not in PERMISSIONS[name]:
        if turn.staff is not None and verb == "ack":  # e.g. the director's escalation ping: show the case
            verb, name = "view", "case"
        else:
            audit(turn, f"button.{verb}", allowed=False, target=f"case:{parts[2][:16]}", reason="role",
                  role=turn.staff.role if turn.staff else None)
            turn.say("staff.refused", command=name)
            return
    try:
        if verb == "done":
            turn.end()
            turn.say("committee.report_done", number=parts[2][:16], buttons=[])
            return
        case = await load_case(turn, parts[2], act=verb not in ("view", "page"))
        if verb in ("view", "page"):
            page = int(parts[3]) if verb == "page" and len(parts) > 3 and parts[3].isdigit() else 0
            await view_case(turn, case, page, via="button")
        elif verb == "ack" and case.status == CaseStatus.NEW and turn.staff.role in PERMISSIONS["triage"]:
            _pick_severity(turn, case)  # an untriaged-case reminder: triage is the step to take
        elif verb == "ack" and case.status == CaseStatus.NEW:
            turn.say("committee.not_triaged_yet", number=case.number, buttons=[view_button(turn, case)])
        elif verb == "ack" and case.status != CaseStatus.TRIAGED:
            turn.say("committee.already", number=case.number, status=turn.t(f"committee.status.{case.status}"))
            await view_case(turn, case, via="button")
        elif verb == "ack":
            await _ack(turn, case)
        elif verb == "triage":
            _pick_severity(turn, case)
        elif verb == "sev":
            await _triage(turn, case, severity_or_refuse(turn, parts[3] if len(parts) > 3 else ""), None)
        elif verb == "review":
            await _review(turn, case)
        elif verb == "reopen":
            await _reopen(turn, case)
        elif verb == "resolve":
            await start_resolve(turn, case)
        elif verb == "close" and (case.approved_summary or case.source != "patient"):
            await _close_case(turn, case)
        else:  # steps that need typed text: show the command with the number filled in
            turn.say(f"committee.prompt.{name}", number=case.number)
    except Refused as refused:
        audit(turn, f"button.{verb}", allowed=False, reason=refused.reason)
        turn.say(refused.key, **refused.values)


def _pick_severity(turn: Turn, case: Case) -> None:
    turn.say("committee.pick_severity", number=case.number, hint=case.severity_hint or "-",
             buttons=[Button(sev, f"case:sev:{case.number}:{sev}") for sev in turn.hospital.policy.severities])


async def _close_case(turn: Turn, case: Case, summary: str | None = None) -> None:
    """Closed — or, for a complaint whose patient can be reached, sent to the patient to confirm the fix
    (awaiting_patient: closed when they confirm or stay silent for the policy's patient_confirm_within)."""
    summary = summary or case.approved_summary
    if case.status in CLOSABLE and await patient_reachable(turn.session, case):
        if await transition(turn, "close", case, "ask_patient", approved_summary=summary, policy=turn.hospital.policy):
            turn.say("committee.closed_awaiting", number=case.number,
                     due=thai_date(case.confirm_due_at) if case.confirm_due_at else "-",
                     buttons=next_buttons(turn, case))
            await tell_patient(turn, case, CaseStatus.AWAITING_PATIENT)
        return
    if await transition(turn, "close", case, "close", approved_summary=summary):
        turn.say("committee.closed", number=case.number, buttons=next_buttons(turn, case))
        await tell_patient(turn, case, "closed")
        await tell_reporter(turn, case)


async def tell_reporter(turn: Turn, case: Case) -> None:
    """The staff member who reported the incident hears the review's outcome and what was changed."""
    for delivery in await reporter_updates(turn.session, case=case, services=turn.services,
                                           actor_staff_id=turn.staff.id if turn.staff else None):
        turn.push(delivery)

