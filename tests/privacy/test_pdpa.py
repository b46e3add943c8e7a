"""PDPA data-subject rights: export, erase and retention purge, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from handlers.messages import Outbound
from store.cases import open_case
from store.models import (
    AuditLog,
    Case,
    ChannelIdentity,
    ConsentRecord,
    Conversation,
    Feedback,
    InboundEvent,
    MediaFile,
    OutboundMessage,
    Patient,
    SurveyResponse,
)
from store.outbox import enqueue
from store.privacy import ERASED_TEXT, erase_patient, export_patient, find_patient, purge_expired
from tests.support import Store

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
LINE_ID = "U" + "a1" * 16


async def make_patient(store: Store, tmp_path: Path, *, external: str = LINE_ID, seen: datetime = NOW) -> int:
    """A patient with every kind of data the service keeps."""
    photo = tmp_path / f"{external}.jpg"
    photo.write_bytes(b"\xff\xd8jpeg")
    async with store.sessions() as session:
        patient = Patient(display_name="สมศรี ใจดี", phone="0812345678", consent="given", consent_at=NOW,
                          last_seen_at=seen, created_at=seen)
        session.add(patient)
        await session.flush()
        session.add(ChannelIdentity(channel="line", external_id=external, patient_id=patient.id))
        session.add(ConsentRecord(patient_id=patient.id, purpose="health_data", granted=True, notice_version="1",
                                  channel="line", at=NOW))
        session.add(Conversation(channel="line", chat_id=external, user_id=external, state="complaint.text",
                                 data={"draft": "ห้องน้ำสกปรก"}, updated_at=NOW))
        feedback = Feedback(kind="complaint", patient_id=patient.id, channel="line", text="ห้องน้ำสกปรก โทร 0812345678",
                            created_at=NOW)
        session.add(feedback)
        await session.flush()
        case = await open_case(session, now=NOW, source="patient", kind="complaint", channel="line",
                               feedback_id=feedback.id, patient_id=patient.id, summary="ห้องน้ำสกปรก")
        session.add(MediaFile(channel="line", platform_ref="m1", kind="image", path=str(photo), feedback_id=feedback.id,
                              status="stored"))
        session.add(SurveyResponse(patient_id=patient.id, channel="line", service_type="opd",
                                   visit_date=date(2026, 11, 25), mean_score=4.2, comment="หมอใจดี"))
        session.add(InboundEvent(channel="line", event_id=f"ev-{external}", chat_key=f"line:{external}",
                                 payload=json.dumps({"source": {"userId": external}, "text": "ห้องน้ำสกปรก"})))
        await enqueue(session, channel="line", chat_id=external, messages=[Outbound(f"เลขที่เรื่อง {case.number}")],
                      now=NOW)
        await session.commit()
        assert patient.id is not None
        return patient.id


async def test_export_holds_everything_about_the_patient(store: Store, tmp_path: Path) -> None:
    """The export names the patient's identities, consents, feedback, case with timeline, survey and media."""
    pid = await make_patient(store, tmp_path)
    async with store.sessions() as session:
        patient = await find_patient(session, ref=f"line:{LINE_ID}")
        assert patient is not None and patient.id == pid
        data = await export_patient(session, patient=patient)
    assert data["patient"]["phone"] == "0812345678"
    assert [i["external_id"] for i in data["identities"]] == [LINE_ID]
    assert data["consents"][0]["granted"] is True
    assert data["feedback"][0]["text"].startswith("ห้องน้ำสกปรก")
    assert data["cases"][0]["timeline"][0]["action"] == "created"
    assert data["survey_responses"][0]["mean_score"] == 4.2
    assert len(data["media_files"]) == 1 and len(data["conversations"]) == 1
    json.dumps(data, ensure_ascii=False)  # JSON-ready


async def test_erase_removes_personal_data_and_keeps_anonymous_records(store: Store, tmp_path: Path) -> None:
    """After erasure no identity, text, phone, raw event, message or photo is left; scores and the case remain."""
    pid = await make_patient(store, tmp_path)
    other = await make_patient(store, tmp_path, external="U" + "b2" * 16)
    async with store.sessions() as session:
        patient = await session.get(Patient, pid)
        assert patient is not None
        await erase_patient(session, patient=patient, now=NOW)
        await session.commit()
    async with store.sessions() as session:
        patient = await session.get(Patient, pid)
        assert patient is not None and patient.phone is None and patient.display_name is None
        assert patient.erased_at is not None
        assert (await session.exec(select(ChannelIdentity).where(ChannelIdentity.patient_id == pid))).all() == []
        assert (await session.exec(select(ConsentRecord).where(ConsentRecord.patient_id == pid))).all() == []
        assert [c.user_id for c in (await session.exec(select(Conversation))).all()] == ["U" + "b2" * 16]
        assert [e.event_id for e in (await session.exec(select(InboundEvent))).all()] == ["ev-U" + "b2" * 16]
        assert {o.chat_id for o in (await session.exec(select(OutboundMessage))).all()} == {"U" + "b2" * 16}
        texts = {f.text for f in (await session.exec(select(Feedback))).all()}
        assert ERASED_TEXT in texts and any("0812345678" in t for t in texts)  # the other patient's stays
        cases = (await session.exec(select(Case).order_by(Case.id))).all()  # type: ignore[arg-type]
        assert [c.patient_id for c in cases] == [None, other]
        surveys = (await session.exec(select(SurveyResponse))).all()
        assert len(surveys) == 2 and sorted(s.patient_id or 0 for s in surveys) == [0, other]
    assert not (tmp_path / f"{LINE_ID}.jpg").exists()
    assert (tmp_path / ("U" + "b2" * 16 + ".jpg")).exists()


async def test_retention_purge_erases_only_stale_patients(store: Store, tmp_path: Path) -> None:
    """Patients unseen past RETENTION_DAYS are erased; recent ones are untouched; dry run changes nothing."""
    old = await make_patient(store, tmp_path, external="U" + "c3" * 16, seen=NOW - timedelta(days=400))
    recent = await make_patient(store, tmp_path, external="U" + "d4" * 16, seen=NOW - timedelta(days=10))
    async with store.sessions() as session:
        assert (await purge_expired(session, now=NOW, retention_days=365, dry_run=True))["patients"] == 1
        await session.commit()
        assert (await session.get(Patient, old)).erased_at is None  # type: ignore[union-attr]
        counts = await purge_expired(session, now=NOW, retention_days=365)
        await session.commit()
    assert counts["patients"] == 1
    async with store.sessions() as session:
        assert (await session.get(Patient, old)).erased_at is not None  # type: ignore[union-attr]
        assert (await session.get(Patient, recent)).erased_at is None  # type: ignore[union-attr]


@pytest.mark.subprocess
def test_cli_erase_needs_confirmation_and_is_audited(tmp_path: Path, sqlite_url: str) -> None:
    """`patient erase` without --yes changes nothing; with it the data goes and the audit log says who."""
    import asyncio

    from store.db import make_engine, make_session_factory

    engine = make_engine(sqlite_url)
    store = Store("sqlite", sqlite_url, engine, make_session_factory(engine))
    pid = asyncio.run(make_patient(store, tmp_path))
    asyncio.run(engine.dispose())
    env = {**os.environ, "DATABASE_URL": sqlite_url}
    cmd = [sys.executable, "-m", "bot", "patient"]
    refused = subprocess.run([*cmd, "erase", str(pid)], env=env, capture_output=True, text=True, check=False)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    exported = subprocess.run([*cmd, "export", f"line:{LINE_ID}"], env=env, capture_output=True, text=True, check=True)
    assert json.loads(exported.stdout)["patient"]["id"] == pid
    erased = subprocess.run([*cmd, "erase", str(pid), "--yes"], env=env, capture_output=True, text=True, check=True)
    assert json.loads(erased.stdout)["identities"] == 1

    async def audit() -> list[str]:
        engine = make_engine(sqlite_url)
        async with make_session_factory(engine)() as session:
            rows = (await session.exec(select(AuditLog))).all()
        await engine.dispose()
        return [r.action for r in rows]

    assert asyncio.run(audit()) == ["patient.export", "patient.erase"]
