"""Patients, staff and their channel identities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import ChannelIdentity, Patient, Staff


async def get_or_create_identity(session: AsyncSession, *, channel: str, external_id: str) -> ChannelIdentity:
    """The identity row for a chat user, created on first contact (race-safe on the unique key)."""
    query = select(ChannelIdentity).where(
        ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id
    )
    found = (await session.exec(query)).first()
    if found:
        return found
    identity = ChannelIdentity(channel=channel, external_id=external_id)
    try:
        async with session.begin_nested():
            session.add(identity)
    except IntegrityError:  # another worker created it between our select and insert
        return (await session.exec(query)).one()
    return identity


async def patient_for(session: AsyncSession, *, identity: ChannelIdentity) -> Patient:
    """The patient behind an identity, created the first time they use a patient flow."""
    if identity.patient_id is not None:
        patient = await session.get(Patient, identity.patient_id)
        if patient is not None:
            return patient
    patient = Patient()
    session.add(patient)
    await session.flush()
    identity.patient_id = patient.id
    session.add(identity)
    return patient


async def create_patients(session: AsyncSession, identities: list[ChannelIdentity]) -> list[Patient]:
    """`patient_for` for many identities without a patient at once: one flush (one multi-row INSERT) for all
    of them instead of one each. Returns the new patients (the caller keeps them referenced)."""
    patients = [Patient() for _ in identities]
    session.add_all(patients)
    await session.flush()
    for identity, patient in zip(identities, patients, strict=True):
        identity.patient_id = patient.id
    return patients


async def staff_for(session: AsyncSession, *, identity: ChannelIdentity) -> Staff | None:
    """The active staff member bound to an identity, if any."""
    if identity.staff_id is None:
        return None
    staff = await session.get(Staff, identity.staff_id)
    return staff if staff is not None and staff.active else None


async def mark_seen(session: AsyncSession, *, patient_id: int, now: datetime) -> None:
    """The patient's last contact: the retention period counts from here (store/privacy.py)."""
    await session.execute(update(Patient).where(col(Patient.id) == patient_id).values(last_seen_at=now))
