"""The reminder engine: who is pinged when, for every severity, as the clock moves; stops and fallbacks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from handlers.catalogue import Catalogue
from handlers.notifications import reminder_renderer
from store import cases
from store.cases import Actor
from store.models import Case, ChannelIdentity, OutboundMessage, Reminder, Staff
from store.reminders import due_by, sweep
from tests.queue.conftest import ANY_HOUR, Hospital, new_case
from tests.support import Store

P = ANY_HOUR  # these count the ladder's exact hours (office hours: tests/queue/test_policy.py)
T0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thu 26 Nov 2026, 09:00 Bangkok
COMMITTEE = Actor("staff", channel="line")
H, D = timedelta(hours=1), timedelta(days=1)


Ping = tuple[timedelta, str, str]


def ladder(deadline: timedelta, lead: timedelta | None, which: str, until: timedelta) -> list[Ping]:
    """The expected pings for one deadline: before and at it to the assignee, then one a day up the ladder
    (unit head, committee, director), then the director weekly."""
    out = []
    if lead is not None:
        out.append((deadline - lead, f"{which}_before", "pharm_staff"))
    out.append((deadline, f"{which}_due", "pharm_staff"))
    for step, who in enumerate(("pharm_head", "committee", "director"), 1):
        out.append((deadline + step * D, f"{which}_overdue", who))
    at = deadline + 3 * D + 7 * D
    while at <= until:
        out.append((at, f"{which}_overdue", "director"))
        at += 7 * D
    return [p for p in out if p[0] <= until]


MONTH = datetime(2026, 12, 26, 2, 0, tzinfo=UTC) - T0  # P1M from 26 Nov is 26 Dec
# severity → (report deadline, its before-lead, resolve deadline, its lead, pings at triage)
TABLE: dict[str, tuple[timedelta, timedelta | None, timedelta, timedelta | None, list[tuple[str, str]]]] = {
    **{s: (7 * D, D, MONTH, D, []) for s in "ABCD"},
    **{s: (24 * H, 6 * H, 14 * D, D, []) for s in "EF"},
    **{s: (24 * H, 6 * H, 7 * D, D, []) for s in "GH"},
    "I": (24 * H, 6 * H, 7 * D, D, [("director_notice", "director")]),
    "SE": (H, H / 4, 24 * H, 6 * H, [("sentinel", "director")]),  # "ทันที" counts as immediate_within (1 h)
}
HORIZON = 33 * D  # past every resolve deadline and its climb to the director


async def run_until(store: Store, texts: Catalogue, until: datetime) -> None:
    """Move the clock from due time to due time up to `until`, sweeping one second before each (nothing
    may go early) and at it."""
    while True:
        async with store.sessions() as s:
            due = (await s.exec(select(Reminder.due_at).where(Reminder.status == "pending", Reminder.due_at <= until)
                                .order_by(col(Reminder.due_at)).limit(1))).first()
        if due is None:
            return
        early = due - timedelta(seconds=1)
        assert await sweep(store.sessions, now=early, render=reminder_renderer(texts), policy=P) == 0
        assert await sweep(store.sessions, now=due, render=reminder_renderer(texts), policy=P) > 0


async def _sent(store: Store) -> list[tuple[str, timedelta, str, str]]:
    """(case number, when queued relative to T0, reminder kind, chat) for every reminder ping in the outbox."""
    async with store.sessions() as s:
        rows = (await s.exec(select(OutboundMessage).where(col(OutboundMessage.dedupe_key).like("reminder:%")))).all()
        out = []
        for row in rows:
            assert row.dedupe_key is not None
            reminder = await s.get(Reminder, int(row.dedupe_key.split(":")[1]))
            assert reminder is not None
            case = await s.get(Case, reminder.case_id)
            assert case is not None
            out.append((case.number, row.created_at - T0, reminder.kind, row.chat_id.removeprefix("line-")))
        return sorted(out)


@pytest.mark.slow
async def test_every_severity_pings_the_right_people_at_the_right_times(
    store: Store, hospital: Hospital, texts: Catalogue
) -> None:
    """One case per severity, nobody acts: sweeping over 33 days sends exactly the policy's ladder."""
    numbers: dict[str, str] = {}
    async with store.sessions() as s:
        for severity in TABLE:
            case = await new_case(s, T0, policy=P)
            await cases.triage(s, case=case, severity=severity, unit_code="pharmacy", actor=COMMITTEE, now=T0, policy=P)
            await cases.assign(s, case=case, unit_code="pharmacy", actor=COMMITTEE, now=T0,
                               assignee_staff_id=hospital.staff["pharm_staff"])
            numbers[severity] = case.number
        await s.commit()
    await run_until(store, texts, T0 + HORIZON)
    sent = await _sent(store)
    for severity, (report, report_lead, resolve, resolve_lead, at_once) in TABLE.items():
        expected = sorted(
            [(timedelta(0), kind, who) for kind, who in at_once]
            + ladder(report, report_lead, "report", HORIZON) + ladder(resolve, resolve_lead, "resolve", HORIZON)
        )
        got = sorted((when, kind, who) for number, when, kind, who in sent if number == numbers[severity])
        assert got == expected, severity


async def test_se_pings_director_at_once_with_buttons(store: Store, hospital: Hospital, texts: Catalogue) -> None:
    """Grading a case SE queues a Thai ping to the director in the same minute, with acknowledge and view buttons."""
    async with store.sessions() as s:
        case = await new_case(s, T0, policy=P)
        await cases.triage(s, case=case, severity="SE", unit_code="pharmacy", actor=COMMITTEE, now=T0, policy=P)
        await s.commit()
    # sentinel → director; the report is due in 1 h
    assert await sweep(store.sessions, now=T0, render=reminder_renderer(texts), policy=P) == 1
    async with store.sessions() as s:
        row = (await s.exec(select(OutboundMessage).where(OutboundMessage.chat_id == "line-director"))).one()
        message = row.payload["messages"][0]
        assert case.number in message["text"] and "Sentinel" in message["text"] and "เภสัชกรรม" in message["text"]
        assert [b["payload"] for b in message["buttons"]] == [f"case:ack:{case.number}", f"case:view:{case.number}"]
        assert [b["label"] for b in message["buttons"]] == ["รับทราบ", "ดูเรื่อง"]
    # report_before (45 min) and report_due
    assert await sweep(store.sessions, now=T0 + H, render=reminder_renderer(texts), policy=P) == 2
    async with store.sessions() as s:
        # no assignee named: the assignee-level ping fell through to the unit head
        assert (await s.exec(select(OutboundMessage).where(OutboundMessage.chat_id == "line-pharm_head"))).all()


async def test_untriaged_case_reminds_committee_then_director(
    store: Store, hospital: Hospital, texts: Catalogue
) -> None:
    """A new case left alone: committee after 24 h, director a day later, then weekly; triage stops it."""
    async with store.sessions() as s:
        case = await new_case(s, T0, policy=P)
        await s.commit()
    await run_until(store, texts, T0 + 10 * D)
    assert [(w, k, who) for _, w, k, who in await _sent(store)] == [
        (24 * H, "untriaged", "committee"), (48 * H, "untriaged", "director"), (9 * D, "untriaged", "director"),
    ]
    async with store.sessions() as s:
        case = await s.get(Case, case.id)
        assert case is not None
        await cases.triage(s, case=case, severity="A", unit_code="pharmacy", actor=COMMITTEE, now=T0 + 10 * D, policy=P)
        await s.commit()
    await sweep(store.sessions, now=T0 + 16 * D + H, render=reminder_renderer(texts), policy=P)
    assert [k for _, _, k, _ in await _sent(store)].count("untriaged") == 3


async def test_acknowledge_and_resolve_stop_their_reminders(store: Store, hospital: Hospital, texts: Catalogue) -> None:
    """Acknowledging stops the report chain (even mid-escalation); resolving stops the resolve chain."""
    async with store.sessions() as s:
        case = await new_case(s, T0, policy=P)
        await cases.triage(s, case=case, severity="E", unit_code="pharmacy", actor=COMMITTEE, now=T0, policy=P)
        await s.commit()
    await run_until(store, texts, T0 + 50 * H)
    async with store.sessions() as s:
        case = await s.get(Case, case.id)
        assert case is not None
        await cases.acknowledge(s, case=case, actor=COMMITTEE, now=T0 + 50 * H)
        await s.commit()
    await run_until(store, texts, T0 + 13 * D)
    async with store.sessions() as s:
        case = await s.get(Case, case.id)
        assert case is not None
        await cases.resolve(s, case=case, cause="ก", action="ข", prevention="ค", actor=COMMITTEE, now=T0 + 13 * D + H)
        await s.commit()
    await sweep(store.sessions, now=T0 + 30 * D, render=reminder_renderer(texts), policy=P)
    assert [(w, k, who) for _, w, k, who in await _sent(store)] == [
        (18 * H, "report_before", "pharm_head"), (24 * H, "report_due", "pharm_head"),
        (48 * H, "report_overdue", "pharm_head"), (13 * D, "resolve_before", "pharm_head"),
    ]


async def test_role_without_chat_falls_through_to_next(store: Store, hospital: Hospital, texts: Catalogue) -> None:
    """A unit with no head on chat: its pings go to the committee, so no deadline passes silently."""
    async with store.sessions() as s:
        case = await new_case(s, T0, unit="lab", policy=P)
        await cases.triage(s, case=case, severity="G", unit_code="lab", actor=COMMITTEE, now=T0, policy=P)
        await s.commit()
    await sweep(store.sessions, now=T0 + 24 * H, render=reminder_renderer(texts), policy=P)
    assert {who for _, _, _, who in await _sent(store)} == {"committee"}


async def test_committee_group_chat_gets_committee_pings(store: Store, hospital: Hospital, texts: Catalogue) -> None:
    """A group chat registered as a committee Staff row with its group id as identity is pinged like a member."""
    async with store.sessions() as s:
        group = Staff(display_name="กลุ่มไลน์คณะกรรมการ", role="committee")
        s.add(group)
        await s.flush()
        s.add(ChannelIdentity(channel="line", external_id="line-Cgroup", staff_id=group.id))
        await new_case(s, T0, policy=P)
        await s.commit()
    await sweep(store.sessions, now=T0 + 24 * H, render=reminder_renderer(texts), policy=P)
    assert sorted(who for _, _, _, who in await _sent(store)) == ["Cgroup", "committee"]


async def test_dry_run_lists_without_sending(store: Store, hospital: Hospital, texts: Catalogue) -> None:
    """`due_by` lists pending reminders and the escalations they would chain, and sends nothing."""
    async with store.sessions() as s:
        case = await new_case(s, T0, policy=P)
        await cases.triage(s, case=case, severity="E", unit_code="pharmacy", actor=COMMITTEE, now=T0, policy=P)
        await s.commit()
        upcoming = await due_by(s, at=T0 + 3 * D, policy=P)
    assert [(u.due_at - T0, u.kind, u.recipient_role, [r.chat_id for r in u.recipients]) for u in upcoming] == [
        (18 * H, "report_before", "assignee", ["line-pharm_head"]),
        (24 * H, "report_due", "assignee", ["line-pharm_head"]),
        (48 * H, "report_overdue", "unit_head", ["line-pharm_head"]),
        (72 * H, "report_overdue", "committee", ["line-committee"]),
    ]
    assert upcoming[0].to_dict()["due_local"] == "27 พ.ย. 2569 03:00 น."
    assert await _sent(store) == []
    # and a sweep at that time sends exactly that list
    await run_until(store, texts, T0 + 3 * D)
    assert [(w, k) for _, w, k, _ in await _sent(store)] == [(u.due_at - T0, u.kind) for u in upcoming]


@pytest.mark.parametrize("severity", ["A", "SE"])
async def test_regrade_moves_pending_reminders(
    store: Store, hospital: Hospital, texts: Catalogue, severity: str
) -> None:
    """After a re-grade only the new schedule is sent; reminders already sent are not sent again."""
    async with store.sessions() as s:
        case = await new_case(s, T0, policy=P)
        await cases.triage(s, case=case, severity="E", unit_code="pharmacy", actor=COMMITTEE, now=T0, policy=P)
        await s.commit()
    await sweep(store.sessions, now=T0 + 18 * H, render=reminder_renderer(texts), policy=P)  # report_before of E sent
    async with store.sessions() as s:
        case = await s.get(Case, case.id)
        assert case is not None
        await cases.triage(s, case=case, severity=severity, unit_code=None, actor=COMMITTEE, now=T0 + 19 * H, policy=P)
        await s.commit()
    await sweep(store.sessions, now=T0 + 19 * H, render=reminder_renderer(texts), policy=P)
    kinds = [(w, k) for _, w, k, _ in await _sent(store)]
    if severity == "A":
        assert kinds == [(18 * H, "report_before")]  # A's report deadline is day 7: nothing due yet
    else:  # SE: immediately overdue report, director pinged at once
        assert kinds == [(18 * H, "report_before"), (19 * H, "report_due"), (19 * H, "resolve_before"),
                         (19 * H, "sentinel")]
