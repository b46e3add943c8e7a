"""PDPA data-subject rights: export everything held on one patient, erase it, and purge by retention.

Erasure keeps what the hospital must keep without the person: survey scores stay (anonymous) so the
indicator does not change after the fact, and cases stay in the risk register with the complainant's
words replaced; identities, conversations, contact details, message texts, raw webhook events and media
files are deleted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Delete, delete, or_
from sqlalchemy.engine import CursorResult
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import (
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
)

log = logging.getLogger(__name__)

ERASED_TEXT = "[ลบข้อมูลตามคำขอของเจ้าของข้อมูล]"


async def _delete(session: AsyncSession, statement: Delete) -> int:
    result = await session.execute(statement)
    return int(cast(CursorResult[Any], result).rowcount)


async def _media_of(
    session: AsyncSession, *, feedback: Sequence[Feedback], cases: Sequence[Case]
) -> Sequence[MediaFile]:
    """Photos and files attached to the patient's feedback or cases."""
    query = select(MediaFile).where(
        or_(
            col(MediaFile.feedback_id).in_([f.id for f in feedback]),
            col(MediaFile.case_id).in_([c.id for c in cases]),
        )
    )
    return (await session.exec(query)).all()


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _row(obj: SQLModel) -> dict[str, Any]:
    return obj.model_dump(mode="json")


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
    pid = patient.id
    identities = (await session.exec(select(ChannelIdentity).where(ChannelIdentity.patient_id == pid))).all()
    surveys = (await session.exec(select(SurveyResponse).where(SurveyResponse.patient_id == pid))).all()
    items = (
        await session.exec(
            select(SurveyItemScore).where(col(SurveyItemScore.response_id).in_([s.id for s in surveys]))
        )
    ).all()
    cases = (await session.exec(select(Case).where(Case.patient_id == pid))).all()
    events = (await session.exec(select(CaseEvent).where(col(CaseEvent.case_id).in_([c.id for c in cases])))).all()
    feedback = (await session.exec(select(Feedback).where(Feedback.patient_id == pid))).all()
    media = await _media_of(session, feedback=feedback, cases=cases)
    consents = (await session.exec(select(ConsentRecord).where(ConsentRecord.patient_id == pid))).all()
    conversations = (
        await session.exec(
            select(Conversation).where(col(Conversation.user_id).in_([i.external_id for i in identities]))
        )
    ).all()
    return {
        "patient": _row(patient),
        "identities": [_row(i) for i in identities],
        "consents": [_row(c) for c in consents],
        "survey_responses": [
            {**_row(s), "items": [_row(i) for i in items if i.response_id == s.id]} for s in surveys
        ],
        "feedback": [_row(f) for f in feedback],
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
            for c in cases
        ],
        "media_files": [_row(m) for m in media],
        "conversations": [_row(c) for c in conversations],
    }


async def erase_patient(session: AsyncSession, *, patient: Patient, now: datetime) -> dict[str, int]:
    """Erase one patient's personal data; returns counts of what was removed or anonymised."""
    pid = patient.id
    counts: dict[str, int] = {}
    identities = (await session.exec(select(ChannelIdentity).where(ChannelIdentity.patient_id == pid))).all()
    externals = [i.external_id for i in identities]
    chat_keys = [f"{i.channel}:{i.external_id}" for i in identities]

    feedback = (await session.exec(select(Feedback).where(Feedback.patient_id == pid))).all()
    cases = (await session.exec(select(Case).where(Case.patient_id == pid))).all()
    media = await _media_of(session, feedback=feedback, cases=cases)
    paths = [Path(m.path) for m in media if m.path]
    await asyncio.to_thread(_unlink_all, paths)
    for m in media:
        await session.delete(m)
    counts["media_files"] = len(media)

    for f in feedback:
        f.text, f.patient_id, f.contact_consent = ERASED_TEXT, None, False
        session.add(f)
    counts["feedback"] = len(feedback)
    for c in cases:
        c.patient_id = None
        session.add(c)
    counts["cases_anonymised"] = len(cases)

    surveys = (await session.exec(select(SurveyResponse).where(SurveyResponse.patient_id == pid))).all()
    for s in surveys:
        s.patient_id, s.comment = None, None
        session.add(s)
    counts["survey_responses_anonymised"] = len(surveys)

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
    for i in identities:
        await session.delete(i)
    counts["identities"] = len(identities)

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
    return counts


async def purge_expired(
    session: AsyncSession, *, now: datetime, retention_days: int, dry_run: bool = False
) -> dict[str, int]:
    """Retention: erase patients not seen for `retention_days`, and delete handled webhook and outbox rows
    (they hold message texts) older than 30 days."""
    cutoff = now - timedelta(days=retention_days)
    stale = (
        await session.exec(
            select(Patient).where(
                col(Patient.erased_at).is_(None),
                or_(
                    col(Patient.last_seen_at) < cutoff,
                    col(Patient.last_seen_at).is_(None) & (col(Patient.created_at) < cutoff),
                ),
            )
        )
    ).all()
    transport_cutoff = now - timedelta(days=30)
    result = {"patients": len(stale)}
    if dry_run:
        return result
    for patient in stale:
        await erase_patient(session, patient=patient, now=now)
    result["inbound_events"] = await _delete(
        session,
        delete(InboundEvent).where(
            col(InboundEvent.status).in_(("done", "skipped", "failed")),
            col(InboundEvent.received_at) < transport_cutoff,
        ),
    )
    result["outbound_messages"] = await _delete(
        session,
        delete(OutboundMessage).where(
            col(OutboundMessage.status).in_(("sent", "failed")),
            col(OutboundMessage.created_at) < transport_cutoff,
        ),
    )
    return result
