"""Coding and reporting: /code (NRLS risk code), /tags (topic corrections), /report (a staff incident report
and its photo step)."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import select

from handlers.committee.access import Refused, audit, command, named_case, router, usage
from handlers.committee.service import actor
from handlers.committee.views import SENTIMENTS, nrls_codes, topic_label, topic_unit, unit_names, view_button
from handlers.flowkit import tag_columns
from handlers.payloads import pack
from handlers.states import CommitteeState
from handlers.turn import Turn
from store import cases as case_store
from store.models import Feedback, MediaFile, TagCorrection, Unit

MEDIA_KINDS = frozenset({"image", "video", "audio", "file"})

log = logging.getLogger(__name__)


@command("code")
async def on_code(turn: Turn) -> None:
    """/code N CODE|1-3: the committee sets the case's NRLS risk code (or picks one of the NLP's three); the
    choice is the case's code in reports and a label `python -m nlp.train --corrections` learns from."""
    case, parts = await named_case(turn, "code", words=2)
    feedback = await turn.session.get(Feedback, case.feedback_id) if case.feedback_id else None
    suggested = [r["code"] for r in ((feedback.nlp or {}) if feedback is not None else {}).get("risk_codes", [])]
    choice = parts[0].strip().upper()
    if choice.isdigit() and 1 <= int(choice) <= len(suggested):
        choice = suggested[int(choice) - 1]
    codes = nrls_codes()
    if choice not in codes:
        raise Refused("committee.bad_code", "bad_code", code=parts[0][:16], number=case.number)
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


@command("tags")
async def on_tags(turn: Turn) -> None:
    """/tags N code… [pos|neu|neg]: the committee corrects the NLP's tags; `python -m nlp.train` learns from
    these (exported by `python -m bot corrections`). A lone "-" means: no topic applies."""
    case, parts = await named_case(turn, "tags", words=2)
    feedback = await turn.session.get(Feedback, case.feedback_id) if case.feedback_id else None
    if feedback is None or feedback.id is None:
        raise Refused("committee.tags_no_text", "no_feedback", number=case.number)
    known = turn.hospital.topics
    words = [w.lower() for w in parts]
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
             buttons=[view_button(turn, case), turn.button("case.done", pack("case", "done", case.number))])
    turn.goto(CommitteeState.REPORT_PHOTOS, case=case.number)


async def _tags(turn: Turn, text: str) -> dict[str, Any]:
    """The NLP's tags as Feedback columns; {} when the NLP fails — a report is never lost for want of tags."""
    try:
        analysis = await turn.services.analyse(text, question="incident")
    except Exception:
        log.exception("NLP failed on a staff report; filed untagged")
        return {}
    return tag_columns(analysis)


@router.state(CommitteeState.REPORT_PHOTOS, media=True)
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
                 buttons=[turn.button("case.done", pack("case", "done", case.number))])
        files = [a for a in files if not a.too_large]
        if not files:
            turn.goto(CommitteeState.REPORT_PHOTOS, case=case.number)
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
    turn.goto(CommitteeState.REPORT_PHOTOS, case=case.number)
    if not kept:  # the platform's content could not be fetched: say so, the reporter can send it again
        turn.say("committee.photo_failed", number=case.number,
                 buttons=[turn.button("case.done", pack("case", "done", case.number))])
        return
    await case_store.record_event(turn.session, case=case, now=turn.services.clock(), action="media",
                                  actor_kind="staff", actor_staff_id=turn.staff.id,
                                  channel=str(turn.inbound.channel), detail={"count": kept})
    turn.say("committee.photo_kept", number=case.number,
             buttons=[turn.button("case.done", pack("case", "done", case.number))])


async def _media_row(turn: Turn, attachment: Any) -> MediaFile | None:
    """The kept file of an attachment: by MediaFile id, else by the platform's content id on this channel."""
    if attachment.media_id is not None:
        return await turn.session.get(MediaFile, attachment.media_id)
    if not attachment.ref:
        return None
    query = select(MediaFile).where(MediaFile.channel == str(turn.inbound.channel),
                                    MediaFile.platform_ref == attachment.ref, MediaFile.status == "stored")
    return (await turn.session.exec(query)).first()
