"""The case lifecycle of SPEC §5 on SQLite and PostgreSQL: transitions, audit trail, deadlines, recurrence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from store import cases
from store.cases import Actor, TransitionError
from store.models import CaseEvent, Reminder
from tests.queue.conftest import SHIPPED, Hospital, new_case, pending
from tests.support import Store

T0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok
COMMITTEE = Actor("staff", staff_id=None, channel="line")


async def test_full_lifecycle_records_every_step(store: Store, hospital: Hospital) -> None:
    """new → triaged → acknowledged → resolved → reviewed → closed, each a CaseEvent with actor, channel and states."""
    who = Actor("staff", staff_id=hospital.staff["committee"], channel="telegram")
    async with store.sessions() as s:
        case = await new_case(s, T0)
        await cases.triage(s, case=case, severity="C", unit_code="pharmacy", actor=who, now=T0 + timedelta(hours=1),
                           policy=SHIPPED)
        assert (case.status, case.severity, case.review_required) == ("triaged", "C", "review")
        assert case.report_due_at == T0 + timedelta(hours=1, days=7)
        assert case.resolve_due_at == datetime(2026, 12, 26, 3, 0, tzinfo=UTC)
        await cases.acknowledge(s, case=case, actor=who, now=T0 + timedelta(hours=2))
        await cases.add_note(s, case=case, text="โทรคุยกับผู้ป่วยแล้ว", actor=who, now=T0 + timedelta(hours=3))
        await cases.resolve(s, case=case, cause="คนไม่พอ", action="เพิ่มคน", prevention="จัดเวร", actor=who,
                            now=T0 + timedelta(days=2))
        with pytest.raises(TransitionError) as err:
            await cases.close(s, case=case, actor=who, now=T0 + timedelta(days=2))
        assert err.value.code == "review_required"
        await cases.review(s, case=case, actor=who, now=T0 + timedelta(days=3))
        await cases.close(s, case=case, actor=who, now=T0 + timedelta(days=4), approved_summary="ปรับปรุงแล้ว")
        await s.commit()
        events = (await s.exec(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(col(CaseEvent.id)))).all()
        assert [(e.action, e.from_status, e.to_status) for e in events] == [
            ("created", None, "new"), ("triaged", "new", "triaged"), ("acknowledged", "triaged", "acknowledged"),
            ("note", "acknowledged", "acknowledged"), ("resolved", "acknowledged", "resolved"),
            ("reviewed", "resolved", "reviewed"), ("closed", "reviewed", "closed"),
        ]
        assert all(e.channel == "telegram" and e.actor_staff_id == who.staff_id for e in events[1:])
        assert events[4].detail["cause"] == "คนไม่พอ" and events[4].detail["form"] == "FO-QMR-23"
        assert case.approved_summary == "ปรับปรุงแล้ว" and await pending(s, case) == []


async def test_bad_transitions_carry_codes(store: Store, hospital: Hospital) -> None:
    """Wrong state, unknown severity, unknown unit, missing FO-QMR-23 field each raise TransitionError with a code."""
    async with store.sessions() as s:
        case = await new_case(s, T0)
        for call, code in (
            (cases.acknowledge(s, case=case, actor=COMMITTEE, now=T0), "bad_state"),
            (cases.triage(s, case=case, severity="Z", unit_code=None, actor=COMMITTEE, now=T0, policy=SHIPPED),
             "bad_severity"),
            (cases.triage(s, case=case, severity="A", unit_code="nowhere", actor=COMMITTEE, now=T0, policy=SHIPPED),
             "unknown_unit"),
            (cases.resolve(s, case=case, cause="x", action="y", prevention=" ", actor=COMMITTEE, now=T0), "bad_state"),
        ):
            with pytest.raises(TransitionError) as err:
                await call
            assert err.value.code == code
        await cases.triage(s, case=case, severity="a", unit_code=None, actor=COMMITTEE, now=T0, policy=SHIPPED)
        with pytest.raises(TransitionError) as err:
            await cases.resolve(s, case=case, cause="x", action="y", prevention=" ", actor=COMMITTEE, now=T0)
        assert err.value.code == "incomplete"
        # A needs no review: resolved closes directly
        await cases.resolve(s, case=case, cause="x", action="y", prevention="z", actor=COMMITTEE, now=T0)
        await cases.close(s, case=case, actor=COMMITTEE, now=T0)
        assert case.status == "closed"


async def test_severity_change_recomputes_deadlines_and_reminders(store: Store, hospital: Hospital) -> None:
    """Re-grading C → G moves both deadlines (from the first triage time) and replaces the pending reminders."""
    async with store.sessions() as s:
        case = await new_case(s, T0)
        await cases.triage(s, case=case, severity="C", unit_code="pharmacy", actor=COMMITTEE, now=T0, policy=SHIPPED)
        assert case.report_due_at == T0 + timedelta(days=7)
        await cases.triage(s, case=case, severity="G", unit_code=None, actor=COMMITTEE, now=T0 + timedelta(hours=5),
                           policy=SHIPPED)
        assert case.report_due_at == T0 + timedelta(hours=24)
        assert case.resolve_due_at == T0 + timedelta(days=7)
        assert case.review_required == "rca"
        due = await pending(s, case)
        assert ("report_due", "assignee", T0 + timedelta(hours=24)) in due
        assert ("resolve_due", "assignee", T0 + timedelta(days=7)) in due
        assert all(d[2] <= T0 + timedelta(days=8) for d in due)  # nothing left of the 1-month C schedule
        actions = (await s.exec(select(CaseEvent.action).where(CaseEvent.case_id == case.id))).all()
        assert "severity_changed" in actions


async def test_reject_duplicate_and_reopen(store: Store, hospital: Hospital) -> None:
    """Duplicate needs an existing other case; reopen returns to triaged with deadlines from now."""
    async with store.sessions() as s:
        first = await new_case(s, T0)
        second = await new_case(s, T0)
        await cases.triage(s, case=second, severity="E", unit_code="pharmacy", actor=COMMITTEE, now=T0, policy=SHIPPED)
        with pytest.raises(TransitionError) as err:
            await cases.reject(s, case=second, actor=COMMITTEE, now=T0, reason="ซ้ำ", duplicate_of=second.number)
        assert err.value.code == "unknown_case"
        await cases.reject(s, case=second, actor=COMMITTEE, now=T0, reason="ซ้ำ", duplicate_of=first.number)
        assert second.status == "duplicate" and await pending(s, second) == []
        later = T0 + timedelta(days=3)
        await cases.reopen(s, case=second, actor=COMMITTEE, now=later, policy=SHIPPED)
        assert second.status == "triaged" and second.report_due_at == later + timedelta(hours=24)
        assert ("report_due", "assignee", later + timedelta(hours=24)) in await pending(s, second)
        await cases.reject(s, case=first, actor=COMMITTEE, now=T0, reason="ไม่ใช่ข้อร้องเรียน")
        await cases.reopen(s, case=first, actor=COMMITTEE, now=later, policy=SHIPPED)
        assert first.status == "new" and [k for k, _, _ in await pending(s, first)] == ["untriaged"]


async def test_is_overdue(store: Store, hospital: Hospital) -> None:
    """Overdue after the report deadline until acknowledged, and after the resolve deadline until resolved."""
    async with store.sessions() as s:
        case = await new_case(s, T0)
        assert not cases.is_overdue(case, T0 + timedelta(days=400))
        await cases.triage(s, case=case, severity="E", unit_code="pharmacy", actor=COMMITTEE, now=T0, policy=SHIPPED)
        assert not cases.is_overdue(case, T0 + timedelta(hours=24))
        assert cases.is_overdue(case, T0 + timedelta(hours=24, seconds=1))
        await cases.acknowledge(s, case=case, actor=COMMITTEE, now=T0 + timedelta(hours=30))
        assert not cases.is_overdue(case, T0 + timedelta(days=13))
        assert cases.is_overdue(case, T0 + timedelta(days=14, seconds=1))


async def _triaged_case(s, created: datetime, topic: str = "wait_time", unit: str = "pharmacy"):  # type: ignore[no-untyped-def]
    case = await new_case(s, created, topic=topic, unit=unit)
    await cases.triage(s, case=case, severity="B", unit_code=None, actor=COMMITTEE, now=created, policy=SHIPPED)
    return case


async def test_recurrence_boundary_three_vs_four(store: Store, hospital: Hospital) -> None:
    """The 3rd same-topic same-unit case within a month keeps its review; the 4th needs RCA with a recurrence event."""
    async with store.sessions() as s:
        await _triaged_case(s, T0, unit="opd")  # another unit does not count
        await _triaged_case(s, T0, topic="staff_manner")  # another topic does not count
        third = None
        for day in (0, 10, 20):
            third = await _triaged_case(s, T0 + timedelta(days=day))
        assert third is not None and third.review_required == "review"
        fourth = await _triaged_case(s, T0 + timedelta(days=29))
        assert fourth.review_required == "rca"
        events = (await s.exec(select(CaseEvent).where(CaseEvent.case_id == fourth.id,
                                                       CaseEvent.action == "recurrence"))).all()
        assert len(events) == 1 and events[0].detail["count"] == 4 and events[0].actor_kind == "system"
        await cases.triage(s, case=fourth, severity="C", unit_code=None, actor=COMMITTEE, now=T0 + timedelta(days=30),
                           policy=SHIPPED)
        assert fourth.review_required == "rca"  # a re-grade keeps the recurrence RCA, without a second event
        again = (await s.exec(select(CaseEvent).where(CaseEvent.case_id == fourth.id,
                                                      CaseEvent.action == "recurrence"))).all()
        assert len(again) == 1


async def test_recurrence_month_boundary(store: Store, hospital: Hospital) -> None:
    """A case exactly one calendar month before still counts; one second earlier does not; rejected ones never."""
    start = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)  # 15 Jan 10:00 Bangkok: one calendar month before probe
    probe = datetime(2026, 2, 15, 3, 0, tzinfo=UTC)
    async with store.sessions() as s:
        await _triaged_case(s, start - timedelta(seconds=1))
        await _triaged_case(s, start)
        await _triaged_case(s, start + timedelta(days=5))
        rejected = await new_case(s, start + timedelta(days=6))
        await cases.reject(s, case=rejected, actor=COMMITTEE, now=start, reason="ไม่เกี่ยว")
        assert (await _triaged_case(s, probe)).review_required == "review"  # 3 within the month
        assert (await _triaged_case(s, probe)).review_required == "rca"  # the 4th, same instant


async def test_untriaged_and_sentinel_hint_reminders_at_open(store: Store, hospital: Hospital) -> None:
    """Opening a case schedules the committee's untriaged reminder; a sentinel hint pings the committee at once."""
    async with store.sessions() as s:
        case = await new_case(s, T0, sentinel=True)
        assert await pending(s, case) == [("sentinel_hint", "committee", T0),
                                          ("untriaged", "committee", T0 + timedelta(hours=24))]
        assert cases.untriaged_due_at(case, SHIPPED) == T0 + timedelta(hours=24)
        await cases.triage(s, case=case, severity="SE", unit_code="pharmacy", actor=COMMITTEE, now=T0, policy=SHIPPED)
        kinds = {(k, r) for k, r, _ in await pending(s, case)}
        assert ("untriaged", "committee") not in kinds and ("sentinel", "director") in kinds
        rows = (await s.exec(select(Reminder).where(Reminder.case_id == case.id))).all()
        assert {r.status for r in rows if r.kind == "untriaged"} == {"cancelled"}
