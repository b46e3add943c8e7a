"""Lists and the group: /help, /queue, /overdue, /mine, /case, /group, /check."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import col, or_, select

from handlers.committee.access import PERMISSIONS, SEES_ALL, audit, command, load_case, router, unit_or_refuse, usage
from handlers.committee.card import VIEW_BUTTONS, view_case
from handlers.committee.views import by_urgency, case_line, overdue, topic_label, unit_names, view_button
from handlers.router import Router
from handlers.turn import Turn
from store.learning import unsure_open_cases
from store.models import Case
from store.staff import committee_group, reachable, register_committee_group, revoke
from store.statuses import OPEN

QUEUE_LIMIT = 15  # a chat message people read on a phone; the dashboard has the full list


@router.command("help", help_key="committee.help.help")
async def on_help(turn: Turn) -> None:
    """Only the commands this person may use; patients get the menu instead."""
    if turn.staff is None:
        turn.say("committee.help_patient", buttons=[turn.button("menu", "menu")])
        return
    role = turn.staff.role
    lines = [turn.t("committee.help_title", role=turn.t(f"role.{role}"))]
    for cmd in _all_commands(turn.router):
        if cmd.roles is not None and role in cmd.roles and cmd.help_key and turn.services.catalogue.has(cmd.help_key):
            lines.append(turn.t(cmd.help_key))
    lines.append(turn.t("committee.help_scope_all" if role in SEES_ALL else "committee.help_scope_unit"))
    gaps = await staffing_gaps(turn)
    turn.say_text("\n".join([*lines, "", gaps] if gaps else lines))


def _all_commands(router: Router) -> Sequence[Any]:
    """The commands of the running router: the permission table's order first, then the rest by name."""
    commands = router.commands
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
