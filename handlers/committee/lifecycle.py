"""The lifecycle commands: /triage, /assign, /ack, /note, /resolve (one line or three answers), /review,
/close, /reopen, /reject, /duplicate."""

from __future__ import annotations

from handlers.committee.access import (
    Refused,
    audit,
    command,
    load_case,
    named_case,
    parse_number,
    router,
    severity_or_refuse,
    unit_or_refuse,
    usage,
)
from handlers.committee.service import (
    close_case,
    director_notice_line,
    ping_committee_resolved,
    ping_unit,
    tell_patient,
    tell_reporter,
    transition,
)
from handlers.committee.views import next_buttons, severity_text, topic_label, unit_names, view_button
from handlers.messages import Channel
from handlers.states import CommitteeState
from handlers.turn import Turn
from store import cases as case_store
from store.models import Case
from store.periods import thai_date
from store.statuses import RESOLVABLE, CaseStatus


@command("triage")
async def on_triage(turn: Turn) -> None:
    """/triage N SEV [unit]: the committee sets the severity (and the responsible unit); deadlines follow."""
    case, parts = await named_case(turn, "triage", words=2)
    await _triage(turn, case, severity_or_refuse(turn, parts[0]), " ".join(parts[1:]) or None)


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
    case, parts = await named_case(turn, "assign", words=2)
    unit = await unit_or_refuse(turn, " ".join(parts))
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
    await _ack(turn, (await named_case(turn, "ack"))[0])


@command("note")
async def on_note(turn: Turn) -> None:
    """/note N text: a note on the case's timeline; /note [date] text without a case number: the committee's
    annotation of indicator 6 (handlers/ha_report.py, entry "note:indicator")."""
    number, _, text = turn.args.partition(" ")
    if number and parse_number(number, turn.services.clock()) is None:
        await turn.start("note:indicator")
        return
    if not number or not text.strip():
        raise usage("note")
    case = await load_case(turn, number, act=True)
    if await transition(turn, "note", case, "add_note", text=text.strip()):
        turn.say("committee.noted", number=case.number, buttons=[view_button(turn, case)])


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
    if turn.state == CommitteeState.RESOLVE:  # typed in one line after all: the questions are over
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
    turn.goto(CommitteeState.RESOLVE, resolve={"number": number, **answers})
    text = turn.t(f"committee.resolve_ask.{step}", number=number)
    if turn.inbound.is_group and turn.inbound.channel == Channel.TELEGRAM:
        # a Telegram bot in a group (privacy mode) only sees commands and replies to its own messages
        text += "\n" + turn.t("committee.resolve_reply_hint")
    turn.say_text(text, buttons=[turn.button("cancel", "cancel")])


@router.state(CommitteeState.RESOLVE)
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
    await _review(turn, (await named_case(turn, "review"))[0])


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
    await close_case(turn, case, summary or None)


@command("reopen")
async def on_reopen(turn: Turn) -> None:
    """/reopen N: back to the unit (the timeline keeps everything)."""
    await _reopen(turn, (await named_case(turn, "reopen"))[0])


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
    case, parts = await named_case(turn, "duplicate", words=2)
    other = parse_number(parts[0], turn.services.clock())
    if other is None:
        raise Refused("committee.bad_number", "bad_number", text=parts[0][:20])
    reason = " ".join(parts[1:]) or None
    if await transition(turn, "duplicate", case, "reject", reason=reason or f"duplicate of {other}",
                        duplicate_of=other):
        turn.say("committee.duplicated", number=case.number, other=other, buttons=next_buttons(turn, case))
        await tell_patient(turn, case, "duplicate", reason=reason)
