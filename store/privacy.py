"""PDPA data-subject rights: export everything held on one patient, erase it, and purge by retention.

Erasure keeps what the hospital must keep without the person: survey scores stay (anonymous) so the
indicator does not change after the fact, and cases stay in the risk register with the complainant's
words replaced; identities, conversations, contact details, message texts (the patient's own, and the
copies sent to staff chats), the NLP's quotes of them, raw webhook events and media files are deleted.

A patient's records are those with their patient id, plus those reached through their cases: an anonymous
complaint's feedback row has no patient id, but its case remembers which chat to tell about progress.

Nothing here commits. Files are removed only after the caller has committed (`remove_media`), relative to
MEDIA_DIR, so a rolled-back erase leaves both rows and files, and a committed one leaves neither.

Retention (`purge_expired`) counts from the patient's last contact (`Patient.last_seen_at`) and never
erases a patient whose case is still open or changed within the retention period; texts that belong to
nobody (anonymous feedback and survey comments, staff incident reports) age out by the same period once
their case is finished; transport rows and media linked to nothing go after `TRANSPORT_DAYS`. Unsent
complaint and compliment drafts (kept after the idle time-out, `handlers.drafts`, or left mid-flow) go once
DRAFT_KEEP_DAYS have passed since the patient's last word in them, with the photos sent for them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Delete, String, delete, exists, or_, update
from sqlalchemy import cast as sql_cast
from sqlalchemy import select as sa_select
from sqlalchemy.engine import CursorResult
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import (
    AuditLog,
    Case,
    CaseEvent,
    ChannelIdentity,
    ConsentRecord,
    Conversation,
    Feedback,
    InboundEvent,
    MediaFile,
    OutboundMessage,
    Patient,
    SurveyItemScore,
    SurveyResponse,
    TagCorrection,
)
from store.seen import prune_seen
from store.statuses import FINISHED

log = logging.getLogger(__name__)

ERASED_TEXT = "[ลบข้อมูลตามคำขอของเจ้าของข้อมูล]"
ERASED_ACTOR = "erased"  # audit rows keep what was done, not who (a patient's chat id) did it
TRANSPORT_DAYS = 30  # handled webhook events, sent messages and media linked to no report
SNIPPET = 40  # characters of each piece of an erased text looked for in messages sent to staff
MIN_SNIPPET = 6  # shorter lines ("ครับ", "ok") would match unrelated messages
DRAFTS_KEY = "paused_drafts"  # Conversation.data: unsent drafts kept past the idle time-out ({flow: draft})
DRAFT_STATES = ("complaint.", "compliment.", "draft.")  # steps whose conversation data is an unsent draft
# steps that hold a text offered as a complaint or a compliment (`offer_text`): "ร้องเรียนเรื่องนี้" after free
# text, an emergency or a survey comment, and the consent notice asked before such an offer goes on
OFFER_STATES = ("menu.offer", "consent.ask")
KEPT_KEYS = ("paused_survey", DRAFTS_KEY)  # conversation data that outlives a flow (handlers.turn.PAUSED_KEYS)
DRAFT_KEEP_DAYS = 7  # the default of DRAFT_KEEP_DAYS
DROPPED_STATE = "draft.dropped"  # left by the purge: the next message tells the patient (handlers.drafts)


def offered_flow(state: str, data: dict[str, Any]) -> str:
    """Which draft a held offer becomes: the button pressed before the consent notice, else the offer's kind."""
    if state.startswith("consent.") and str(data.get("next") or "").endswith(":offer"):
        return str(data["next"]).split(":", 1)[0]
    return "compliment" if data.get("offer_flow") == "compliment" else "complaint"


@dataclass
class Erasure:
    """What an erase or purge removed (`counts`), and the media files to remove once it is committed."""

    counts: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # relative to MEDIA_DIR

    def add(self, other: Erasure) -> None:
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n
        self.files += other.files


def remove_media(media_dir: Path, files: Iterable[str]) -> int:
    """Remove stored media files (paths relative to MEDIA_DIR); call after the commit. Returns how many went."""
    root = media_dir.resolve()
    removed = 0
    for relative in files:
        target = (root / relative).resolve()
        if not target.is_relative_to(root):  # a stored path never leads outside MEDIA_DIR; refuse if it does
            log.warning("media path outside MEDIA_DIR not removed")
            continue
        try:
            target.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed


async def _delete(session: AsyncSession, statement: Delete) -> int:
    result = await session.execute(statement)
    return int(cast(CursorResult[Any], result).rowcount)


def _row(obj: SQLModel) -> dict[str, Any]:
    return obj.model_dump(mode="json")


@dataclass
class _Holdings:
    """One patient's rows, found once for export and erase."""

    identities: Sequence[ChannelIdentity]
    cases: Sequence[Case]
    surveys: Sequence[SurveyResponse]
    feedback: Sequence[Feedback]
    media: Sequence[MediaFile]


async def _holdings(session: AsyncSession, *, pid: int | None) -> _Holdings:
    identities = (await session.exec(select(ChannelIdentity).where(ChannelIdentity.patient_id == pid))).all()
    cases = (await session.exec(select(Case).where(Case.patient_id == pid).order_by(col(Case.id)))).all()
    surveys = (await session.exec(select(SurveyResponse).where(SurveyResponse.patient_id == pid))).all()
    # Anonymous complaints and survey comments have no patient id; their case or survey response does.
    mine: list[ColumnElement[bool]] = [col(Feedback.patient_id) == pid]
    case_feedback = [c.feedback_id for c in cases if c.feedback_id is not None]
    if case_feedback:
        mine.append(col(Feedback.id).in_(case_feedback))
    if surveys:
        mine.append(col(Feedback.survey_response_id).in_([s.id for s in surveys]))
    feedback = (await session.exec(select(Feedback).where(or_(*mine)).order_by(col(Feedback.id)))).all()
    # with what they sent that was never linked to a case (a photo before a complaint was cancelled)
    media = await _media_of(session, feedback, cases, senders=[i.external_id for i in identities])
    return _Holdings(identities, cases, surveys, feedback, media)


async def _media_of(session: AsyncSession, feedback: Sequence[Feedback], cases: Sequence[Case],
                    senders: Sequence[str] = ()) -> Sequence[MediaFile]:
    """The photos and files attached to these texts or cases, or sent by these chat ids."""
    return (await session.exec(select(MediaFile).where(or_(
        col(MediaFile.feedback_id).in_([f.id for f in feedback]),
        col(MediaFile.case_id).in_([c.id for c in cases]),
        col(MediaFile.sender_id).in_(list(senders)),
    )))).all()


async def find_patient(session: AsyncSession, *, ref: str) -> Patient | None:
    """A patient by id ("42") or by a channel identity ("line:U123…", "telegram:5551234")."""
    if ref.isdigit():
        return await session.get(Patient, int(ref))
    channel, _, external = ref.partition(":")
    identity = (
        await session.exec(
            select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.external_id == external)
        )
    ).first()
    if identity is None or identity.patient_id is None:
        return None
    return await session.get(Patient, identity.patient_id)


async def export_patient(session: AsyncSession, *, patient: Patient) -> dict[str, Any]:
    """Everything held on one patient, as JSON-ready data (the data subject's access request)."""
    held = await _holdings(session, pid=patient.id)
    items = (
        await session.exec(
            select(SurveyItemScore).where(col(SurveyItemScore.response_id).in_([s.id for s in held.surveys]))
        )
    ).all()
    events = (
        await session.exec(select(CaseEvent).where(col(CaseEvent.case_id).in_([c.id for c in held.cases])))
    ).all()
    consents = (await session.exec(select(ConsentRecord).where(ConsentRecord.patient_id == patient.id))).all()
    conversations = (
        await session.exec(
            select(Conversation).where(col(Conversation.user_id).in_([i.external_id for i in held.identities]))
        )
    ).all()
    return {
        "patient": _row(patient),
        "identities": [_row(i) for i in held.identities],
        "consents": [_row(c) for c in consents],
        "survey_responses": [
            {**_row(s), "items": [_row(i) for i in items if i.response_id == s.id]} for s in held.surveys
        ],
        "feedback": [_row(f) for f in held.feedback],
        # The patient's own cases with their status history; staff ids are the hospital's, not personal data
        # of the patient, so the timeline shows what happened without naming staff.
        "cases": [
            {
                **{k: v for k, v in _row(c).items() if k not in {"assignee_staff_id", "reporter_staff_id"}},
                "timeline": [
                    {"at": e.at.isoformat(), "action": e.action, "to_status": e.to_status}
                    for e in events
                    if e.case_id == c.id
                ],
            }
            for c in held.cases
        ],
        "media_files": [_row(m) for m in held.media],
        "conversations": [_row(c) for c in conversations],
    }


@dataclass
class Quotes:
    """Pieces of erased texts to look for in messages sent to staff (pings quote a preview, /case the text),
    gathered so that one pass over the outbox serves a whole purge. Pieces are keyed by their first
    MIN_SNIPPET characters, so a message is checked in one pass over its text however many there are."""

    keyed: dict[str, set[str]] = field(default_factory=dict)
    since: datetime | None = None  # no message older than the oldest text can quote it

    def add(self, text: str | None, written: datetime) -> None:
        found: set[str] = set()
        for line in (text or "").splitlines():
            line = line.strip()
            if len(line) < MIN_SNIPPET or line == ERASED_TEXT:
                continue
            # Overlapping pieces along the whole line: a preview or a page of the text cut anywhere still holds
            # one whole piece when it has SNIPPET * 1.5 characters of the line.
            last = max(len(line) - SNIPPET, 0)
            found |= {line[start:start + SNIPPET] for start in [*range(0, last, SNIPPET // 2), last]}
        for piece in found:
            self.keyed.setdefault(piece[:MIN_SNIPPET], set()).add(piece)
        if found:
            self.since = written if self.since is None else min(self.since, written)

    def found_in(self, text: str) -> bool:
        for i in range(len(text) - MIN_SNIPPET + 1):
            if any(text.startswith(piece, i) for piece in self.keyed.get(text[i:i + MIN_SNIPPET], ())):
                return True
        return False


async def _scrub_feedback(session: AsyncSession, feedback: Sequence[Feedback], cases: Sequence[Case]) -> int:
    """Replace the words and the NLP's quotes of them; codes, scores and the tags' labels stay for the
    statistics. Corrections of these texts go: they are training data made of the person's words."""
    for f in feedback:
        f.text, f.patient_id, f.contact_consent = ERASED_TEXT, None, False
        f.topics = [{k: v for k, v in t.items() if k != "evidence"} for t in f.topics]
        if f.nlp:  # the suggested risk codes quote the text as their evidence too
            f.nlp = {**f.nlp, "risk_codes": [{k: v for k, v in r.items() if k != "evidence"}
                                             for r in f.nlp.get("risk_codes", [])]}
        session.add(f)
    for c in cases:
        if c.summary:  # a staff report's case holds the start of its text
            c.summary = ERASED_TEXT
            session.add(c)
    if feedback:
        ids = [f.id for f in feedback]
        await _delete(session, delete(TagCorrection).where(col(TagCorrection.feedback_id).in_(ids)))
    return len(feedback)


async def _redact_outbox(session: AsyncSession, quotes: Quotes) -> int:
    """Replace the text of every queued or sent message that quotes an erased text; returns the rows changed.
    Reads ids and payloads only (no ORM rows): the outbox holds up to TRANSPORT_DAYS of messages."""
    if not quotes.keyed or quotes.since is None:
        return 0
    table = OutboundMessage.__table__  # type: ignore[attr-defined]  # Core: a plain scan, no ORM bookkeeping
    scan = sa_select(table.c.id, table.c.payload).where(table.c.created_at >= quotes.since)
    redacted = 0
    for row_id, payload in (await session.execute(scan)).all():
        messages = list(payload.get("messages", []))
        hits = [i for i, m in enumerate(messages) if quotes.found_in(str(m.get("text") or ""))]
        if not hits:
            continue
        for i in hits:
            messages[i] = {**messages[i], "text": ERASED_TEXT}
        await session.execute(update(table).where(table.c.id == row_id).values(payload={**payload,
                                                                                     "messages": messages}))
        redacted += 1
    return redacted


async def erase_patient(session: AsyncSession, *, patient: Patient, now: datetime,
                        quotes: Quotes | None = None) -> Erasure:
    """Erase one patient's personal data. The caller commits, then removes `Erasure.files` (`remove_media`).
    Given `quotes`, copies of the texts in the outbox are left for the caller to redact in one pass."""
    pid = patient.id
    held = await _holdings(session, pid=pid)
    counts: dict[str, int] = {}
    externals = [i.external_id for i in held.identities]
    chat_keys = [f"{i.channel}:{i.external_id}" for i in held.identities]

    files = [m.path for m in held.media if m.path]
    for m in held.media:
        await session.delete(m)
    counts["media_files"] = len(held.media)

    mine = Quotes() if quotes is None else quotes
    for f in held.feedback:
        mine.add(f.text, f.created_at)
    for s in held.surveys:
        mine.add(s.comment, s.submitted_at)
    if quotes is None:
        counts["staff_messages_redacted"] = await _redact_outbox(session, mine)
    counts["feedback"] = await _scrub_feedback(session, held.feedback, held.cases)
    for c in held.cases:
        c.patient_id = None
        session.add(c)
    counts["cases_anonymised"] = len(held.cases)
    for s in held.surveys:
        s.patient_id, s.comment = None, None
        session.add(s)
    counts["survey_responses_anonymised"] = len(held.surveys)

    if externals:
        counts["conversations"] = await _delete(
            session, delete(Conversation).where(col(Conversation.user_id).in_(externals))
        )
        counts["outbound_messages"] = await _delete(
            session, delete(OutboundMessage).where(col(OutboundMessage.chat_id).in_(externals))
        )
        # Raw webhook payloads carry the user's words; match the chat key and, for LINE's long unique ids, the
        # payload itself (numeric Telegram ids are matched by chat key only, to spare other people's events).
        conditions: list[ColumnElement[bool]] = [col(InboundEvent.chat_key).in_(chat_keys)]
        conditions += [col(InboundEvent.payload).contains(e) for e in externals if len(e) >= 20]
        counts["inbound_events"] = await _delete(session, delete(InboundEvent).where(or_(*conditions)))
        # A chat id that is also a staff member's stays on their staff actions: those must remain attributable.
        patient_only = [f"{i.channel}:{i.external_id}" for i in held.identities if i.staff_id is None]
        result = await session.execute(
            update(AuditLog).where(col(AuditLog.actor).in_(patient_only)).values(actor=ERASED_ACTOR)
        )
        counts["audit_actors_removed"] = int(cast(CursorResult[Any], result).rowcount)
    for i in held.identities:
        if i.staff_id is None:
            await session.delete(i)
        else:  # a staff member who also used the patient flows keeps their staff binding
            i.patient_id = None
            session.add(i)
    counts["identities"] = len(held.identities)

    consents = (await session.exec(select(ConsentRecord).where(ConsentRecord.patient_id == pid))).all()
    for record in consents:
        await session.delete(record)
    counts["consent_records"] = len(consents)

    patient.display_name = None
    patient.phone = None
    patient.consent = "withdrawn"
    patient.erased_at = now
    session.add(patient)
    await session.flush()
    log.info("patient %s erased", pid)
    return Erasure(counts, files)


async def stale_patients(session: AsyncSession, *, cutoff: datetime, limit: int | None = None) -> Sequence[Patient]:
    """Patients last in contact before `cutoff` with no case open or changed since (the first `limit`)."""
    last_contact = or_(
        col(Patient.last_seen_at) < cutoff,
        col(Patient.last_seen_at).is_(None) & (col(Patient.created_at) < cutoff),
    )
    busy_case = exists().where(
        col(Case.patient_id) == col(Patient.id),
        or_(col(Case.status).not_in(FINISHED), col(Case.updated_at) >= cutoff),
    )
    query = select(Patient).where(col(Patient.erased_at).is_(None), last_contact, ~busy_case)
    return (await session.exec(query.order_by(col(Patient.id)).limit(limit))).all()


async def _age_out_texts(session: AsyncSession, *, cutoff: datetime, quotes: Quotes) -> Erasure:
    """Texts that belong to no patient (anonymous feedback, staff incident reports, anonymous survey comments)
    older than `cutoff`, whose case, if any, is finished and unchanged since."""
    busy_case = exists().where(
        col(Case.feedback_id) == col(Feedback.id),
        or_(col(Case.status).not_in(FINISHED), col(Case.updated_at) >= cutoff),
    )
    feedback = (
        await session.exec(
            select(Feedback).where(
                col(Feedback.patient_id).is_(None),
                col(Feedback.text) != ERASED_TEXT,
                col(Feedback.created_at) < cutoff,
                ~busy_case,
            )
        )
    ).all()
    cases = (
        await session.exec(select(Case).where(col(Case.feedback_id).in_([f.id for f in feedback])))
    ).all() if feedback else []
    media = await _media_of(session, feedback, cases) if feedback else []
    for m in media:
        await session.delete(m)
    for f in feedback:
        quotes.add(f.text, f.created_at)
    scrubbed = await _scrub_feedback(session, feedback, cases)
    result = await session.execute(
        update(SurveyResponse)
        .where(col(SurveyResponse.patient_id).is_(None), col(SurveyResponse.comment).is_not(None),
               col(SurveyResponse.submitted_at) < cutoff)
        .values(comment=None)
    )
    return Erasure(
        {"anonymous_texts": scrubbed, "anonymous_survey_comments": int(cast(CursorResult[Any], result).rowcount),
         "anonymous_media_files": len(media)},
        [m.path for m in media if m.path],
    )


async def drop_stale_drafts(session: AsyncSession, *, now: datetime, cutoff: datetime) -> Erasure:
    """Unsent drafts whose patient's last word in them is before `cutoff`: kept ones (`paused_drafts`, each
    with its own time) and complaint or compliment steps left mid-way that nobody came back to; with the
    photos sent for them (never linked to a case). Outside any other flow the conversation is left at
    `DROPPED_STATE`, already expired, naming only the kinds dropped, so the patient's next message is told."""
    stale_step = or_(*(col(Conversation.state).startswith(prefix) for prefix in DRAFT_STATES + OFFER_STATES))
    query = select(Conversation).where(or_(
        stale_step & (col(Conversation.updated_at) < cutoff),
        sql_cast(col(Conversation.data), String).contains(DRAFTS_KEY),
    ))
    dropped: list[dict[str, Any]] = []
    for conversation in (await session.exec(query)).all():
        data, state = dict(conversation.data), conversation.state or ""
        flows: list[str] = []
        offered = state.startswith(OFFER_STATES) and bool(data.get("offer_text"))
        cleared = ((state.startswith(DRAFT_STATES) or offered) and state != DROPPED_STATE
                   and conversation.updated_at < cutoff)
        if cleared:  # left mid-way and never came back to
            dropped.append({k: v for k, v in data.items() if k not in KEPT_KEYS})
            flows += ([] if state.startswith("draft.") else
                      [offered_flow(state, data)] if offered else [state.split(".", 1)[0]])
            data, state = {k: v for k, v in data.items() if k in KEPT_KEYS}, ""
        drafts = dict(data.get(DRAFTS_KEY) or {})
        fresh = {flow: d for flow, d in drafts.items() if datetime.fromisoformat(d["at"]) >= cutoff}
        stale = [flow for flow in drafts if flow not in fresh]
        if not cleared and not stale:
            continue
        dropped += [drafts[flow].get("data", {}) for flow in stale]
        flows += stale
        data = {k: v for k, v in data.items() if k != DRAFTS_KEY} | ({DRAFTS_KEY: fresh} if fresh else {})
        if state in ("", DROPPED_STATE) and flows:  # outside any other flow: the next message is told
            data = {**data, "dropped": sorted({*data.get("dropped", []), *flows})}
            state = DROPPED_STATE
            conversation.expires_at = now
        elif not state:
            conversation.expires_at = None
        conversation.state, conversation.data = state or None, data
        session.add(conversation)
    ids = [m["media_id"] for d in dropped for m in d.get("media", []) if m.get("media_id")]
    media = (await session.exec(select(MediaFile).where(
        col(MediaFile.id).in_(ids), col(MediaFile.feedback_id).is_(None), col(MediaFile.case_id).is_(None),
    ))).all() if ids else []
    for m in media:
        await session.delete(m)
    return Erasure({"drafts": len(dropped), "draft_media_files": len(media)}, [m.path for m in media if m.path])


async def purge_expired(
    session: AsyncSession, *, now: datetime, retention_days: int, dry_run: bool = False, limit: int | None = None,
    quotes: Quotes | None = None, draft_keep_days: int = DRAFT_KEEP_DAYS,
) -> Erasure:
    """Retention, run nightly by the service and by `python -m bot patient purge`; see the module docstring.
    The caller commits, then removes `Erasure.files` (`remove_media`).

    With `limit`, at most that many patients are erased; when more are waiting, the call stops there with
    `counts["more"] == 1`, so that the caller commits (and lets other writers in) and calls again with the
    same `quotes`. The rest of the purge, and the one pass over the outbox for copies of the erased texts,
    runs on the call that finds no more patients."""
    cutoff = now - timedelta(days=retention_days)
    stale = await stale_patients(session, cutoff=cutoff, limit=None if limit is None else limit + 1)
    more = limit is not None and len(stale) > limit
    stale = stale[:limit] if more else stale
    done = Erasure({"patients": len(stale)})
    if dry_run:
        return done
    quotes = Quotes() if quotes is None else quotes
    for patient in stale:
        done.add(await erase_patient(session, patient=patient, now=now, quotes=quotes))
    if more:
        done.counts["more"] = 1
        await session.flush()
        return done
    done.add(await _age_out_texts(session, cutoff=cutoff, quotes=quotes))
    done.add(await drop_stale_drafts(session, now=now, cutoff=now - timedelta(days=draft_keep_days)))
    done.counts["staff_messages_redacted"] = await _redact_outbox(session, quotes)
    transport_cutoff = now - timedelta(days=TRANSPORT_DAYS)
    unlinked = (
        await session.exec(
            select(MediaFile).where(
                col(MediaFile.feedback_id).is_(None),
                col(MediaFile.case_id).is_(None),
                col(MediaFile.created_at) < transport_cutoff,
            )
        )
    ).all()
    for m in unlinked:
        await session.delete(m)
    done.counts["unlinked_media_files"] = len(unlinked)
    done.files += [m.path for m in unlinked if m.path]
    done.counts["inbound_events"] = await _delete(
        session,
        delete(InboundEvent).where(
            col(InboundEvent.status).in_(("done", "skipped", "failed")),
            col(InboundEvent.received_at) < transport_cutoff,
        ),
    )
    done.counts["outbound_messages"] = await _delete(
        session,
        delete(OutboundMessage).where(
            col(OutboundMessage.status).in_(("sent", "failed")),
            col(OutboundMessage.created_at) < transport_cutoff,
        ),
    )
    # LINE replay hashes outlive the inbox (an event older than their window is refused by its age anyway)
    done.counts["seen_event_hashes"] = await prune_seen(session, now=now)
    await session.flush()
    return done
