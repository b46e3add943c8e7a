"""Patients, staff and their channel identities."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, func, insert, update
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import AnyIdentity, ChannelIdentity, Patient, PatientRow, Staff

_PATIENTS: Any = Patient.__table__  # type: ignore[attr-defined]
_NEW_PATIENTS: dict[str, Any] = {}
_NEW_PATIENT = {"consent": "none"}  # a new patient's columns besides its id and creation time (the others NULL)


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


async def patient_for(session: AsyncSession, *, identity: AnyIdentity) -> Patient:
    """The patient behind an identity, created the first time they use a patient flow (an inbox batch's
    `IdentityRow` gets the new id set, and the batch writes it)."""
    if identity.patient_id is not None:
        patient = await session.get(Patient, identity.patient_id)
        if patient is not None:
            return patient
    patient = Patient()
    session.add(patient)
    await session.flush()
    identity.patient_id = patient.id
    kept_in(session, identity)
    return patient


def kept_in(session: AsyncSession, row: object) -> None:
    """A row a turn changed, written at the session's flush when it is the ORM's (an identity, a conversation);
    an inbox batch's Core row (`IdentityRow`, `ConversationRow`) is written by the batch itself. (`add` cascades
    through the mapper even for an object already in the session, hence the check.)"""
    if isinstance(row, SQLModel) and row not in session:
        session.add(row)


async def insert_patients(connection: AsyncConnection, count: int, now: datetime) -> list[PatientRow]:
    """`count` new patients (consent not asked yet) in one INSERT … RETURNING, as an inbox batch's Core rows: the
    first contacts of a broadcast, without the ORM's unit of work. PostgreSQL: `INSERT … SELECT … FROM
    generate_series(1, :n)`, one SQL text for any count; SQLite: executemany with RETURNING (one multi-row
    VALUES). The new rows are alike, so which id goes to whom does not matter."""
    dialect = connection.dialect.name
    stmt = _NEW_PATIENTS.get(dialect)
    if stmt is None:
        c = _PATIENTS.c
        if dialect == "postgresql":
            columns = ["created_at", *_NEW_PATIENT]
            rows = (core_select(*(bindparam(column, type_=c[column].type) for column in columns))
                    .select_from(func.generate_series(1, bindparam("n", type_=Integer))))
            stmt = insert(_PATIENTS).from_select(columns, rows)
        else:
            stmt = insert(_PATIENTS)
        stmt = _NEW_PATIENTS[dialect] = stmt.returning(c.id)
    row = {"created_at": now, **_NEW_PATIENT}
    if dialect == "postgresql":
        result = await connection.execute(stmt, {**row, "n": count})
    else:
        result = await connection.execute(stmt, [row] * count)
    values = {**dict.fromkeys(PatientRow.COLUMNS), **row}  # what the INSERT does not set is NULL
    return [PatientRow(**{**values, "id": patient_id}) for (patient_id,) in result.all()]


async def staff_for(session: AsyncSession, *, identity: AnyIdentity) -> Staff | None:
    """The active staff member bound to an identity, if any."""
    if identity.staff_id is None:
        return None
    staff = await session.get(Staff, identity.staff_id)
    return staff if staff is not None and staff.active else None


async def mark_seen(session: AsyncSession, *, patient_id: int, now: datetime) -> None:
    """The patient's last contact: the retention period counts from here (store/privacy.py)."""
    await session.execute(update(Patient).where(col(Patient.id) == patient_id).values(last_seen_at=now))
