"""Staff invites and registration: the admin makes a one-time code, the person types `/register CODE` in chat.

The Staff row is made with the invite (it carries the name, role and unit the admin chose); registering
binds the chat identity to it. Only a SHA-256 of the code is stored, so a copy of the database cannot be
used to register. A code works once, until it expires; a revoked staff member's open codes die with them.
A second invite for the same person (`staff_id=`) binds another channel (LINE and Telegram) to one row.

A committee group is a group chat a committee member registered with `/group`: a Staff row of role
`committee` (the group, not a person) bound to the ChannelIdentity whose external_id is the group's chat
id. It receives committee pings like a member (store/reminders.py) and may be shown case details; it never
acts — the dispatcher gives no staff role to a sender the platform does not name, and a group's own id only
ever arrives as such a sender.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import AnyIdentity, ChannelIdentity, Staff, StaffInvite, Unit
from store.people import get_or_create_identity, kept_in

ROLES = ("committee", "director", "unit_head", "staff")
UNIT_ROLES = frozenset({"unit_head", "staff"})  # these act on their own unit's cases only
DEFAULT_INVITE_TTL = timedelta(days=7)
# No 0/O, 1/I/L: codes are read aloud and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 31^10 ≈ 8·10^14 codes: unguessable within an invite's life, with failures rate-limited


class InviteError(ValueError):
    """A code that cannot register anyone; `reason` is unknown | used | expired | revoked."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise_code(code: str) -> str:
    """What people type → the canonical code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


@dataclass(frozen=True)
class Invite:
    """A freshly made invite; `code` is shown once and never stored."""

    code: str
    staff: Staff
    invite: StaffInvite


async def create_invite(
    session: AsyncSession,
    *,
    now: datetime,
    role: str | None = None,
    unit_code: str | None = None,
    display_name: str = "",
    staff_id: int | None = None,
    ttl: timedelta = DEFAULT_INVITE_TTL,
) -> Invite:
    """A one-time code for a new staff member (role, unit, name) or, with `staff_id`, another channel of one."""
    if staff_id is not None:
        staff = await session.get(Staff, staff_id)
        if staff is None or not staff.active:
            raise ValueError(f"no active staff member with id {staff_id}")
    else:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if role in UNIT_ROLES and not unit_code:
            raise ValueError(f"role {role} needs --unit (the unit whose cases they handle)")
        if unit_code is not None:
            unit = await session.get(Unit, unit_code)
            if unit is None or not unit.active:
                raise ValueError(f"unknown unit {unit_code!r} (see config/units.toml)")
        staff = Staff(display_name=display_name, role=role, unit_code=unit_code, created_at=now)
        session.add(staff)
        await session.flush()
    code = new_code()
    invite = StaffInvite(
        code_hash=hash_code(code), role=staff.role, unit_code=staff.unit_code, created_at=now,
        expires_at=now + ttl, staff_id=staff.id,
    )
    session.add(invite)
    await session.flush()
    return Invite(code, staff, invite)


async def register(session: AsyncSession, *, identity: AnyIdentity, code: str, now: datetime) -> Staff:
    """Bind `identity` to the invite's staff member and use the code up; raises InviteError otherwise.

    The code is spent with a conditional UPDATE (… WHERE used_at IS NULL), so two people racing with one
    code cannot both register.
    """
    digest = hash_code(code)
    invite = (await session.exec(select(StaffInvite).where(StaffInvite.code_hash == digest))).first()
    if invite is None or invite.staff_id is None:
        raise InviteError("unknown")
    if invite.used_at is not None:
        raise InviteError("used")
    staff = await session.get(Staff, invite.staff_id)
    if staff is None or not staff.active:
        raise InviteError("revoked")
    if invite.expires_at <= now:
        raise InviteError("expired")
    spent = await session.execute(
        update(StaffInvite)
        .where(col(StaffInvite.id) == invite.id, col(StaffInvite.used_at).is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE has rowcount
        raise InviteError("used")
    identity.staff_id = staff.id
    kept_in(session, identity)
    await session.flush()
    await session.refresh(invite)
    return staff


@dataclass(frozen=True)
class StaffEntry:
    """One row of `staff list`: the person, and where they can be reached."""

    id: int
    display_name: str
    role: str
    unit_code: str | None
    status: str  # active (registered) | pending (invited, not yet registered) | revoked
    channels: tuple[str, ...]
    created_at: datetime

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "display_name": self.display_name, "role": self.role, "unit_code": self.unit_code,
            "status": self.status, "channels": list(self.channels), "created_at": self.created_at.isoformat(),
        }


async def list_staff(session: AsyncSession) -> list[StaffEntry]:
    staff_rows = (await session.exec(select(Staff).order_by(col(Staff.id)))).all()
    identities = (await session.exec(select(ChannelIdentity).where(col(ChannelIdentity.staff_id).is_not(None)))).all()
    channels: dict[int, list[str]] = {}
    for identity in identities:
        assert identity.staff_id is not None
        channels.setdefault(identity.staff_id, []).append(identity.channel)
    entries = []
    for staff in staff_rows:
        assert staff.id is not None
        bound = tuple(sorted(channels.get(staff.id, [])))
        status = "revoked" if not staff.active else ("active" if bound else "pending")
        entries.append(StaffEntry(staff.id, staff.display_name, staff.role, staff.unit_code, status, bound,
                                  staff.created_at))
    return entries


async def revoke(session: AsyncSession, *, staff_id: int, now: datetime) -> Staff:
    """Take a staff member's rights away at once: the row stays (cases and audit refer to it), inactive."""
    staff = await session.get(Staff, staff_id)
    if staff is None:
        raise ValueError(f"no staff member with id {staff_id}")
    staff.active = False
    staff.revoked_at = now
    session.add(staff)
    await session.execute(
        update(StaffInvite)
        .where(col(StaffInvite.staff_id) == staff_id, col(StaffInvite.used_at).is_(None))
        .values(expires_at=now)
    )
    await session.flush()
    return staff


async def staff_identities(session: AsyncSession, *, staff_ids: list[int]) -> list[ChannelIdentity]:
    """Where to reach these staff members (every channel each registered on)."""
    if not staff_ids:
        return []
    query = select(ChannelIdentity).where(col(ChannelIdentity.staff_id).in_(staff_ids))
    return list((await session.exec(query)).all())


async def reachable(session: AsyncSession, *, role: str, unit_codes: Iterable[str] = ()) -> dict[str | None, list[str]]:
    """Active staff of `role` who can be pinged (a followed chat), by unit for unit heads: `{unit: [names]}`
    (`{None: [...]}` for a hospital-wide role). Units in `unit_codes` with nobody are present with `[]`."""
    query = (select(Staff, ChannelIdentity).join(ChannelIdentity, col(ChannelIdentity.staff_id) == Staff.id)
             .where(Staff.role == role, col(Staff.active), col(Staff.revoked_at).is_(None),
                    col(ChannelIdentity.followed)))
    found: dict[str | None, list[str]] = {code: [] for code in unit_codes}
    for staff, _ in (await session.exec(query)).all():
        key = staff.unit_code if role == "unit_head" else None
        names = found.setdefault(key, [])
        name = staff.display_name or role
        if name not in names:
            names.append(name)
    return found


async def committee_group(session: AsyncSession, *, channel: str, chat_id: str) -> Staff | None:
    """The active committee-group registration of this chat, if any."""
    query = (
        select(Staff)
        .join(ChannelIdentity, col(ChannelIdentity.staff_id) == col(Staff.id))
        .where(ChannelIdentity.channel == channel, ChannelIdentity.external_id == chat_id,
               col(Staff.active), Staff.role == "committee")
    )
    return (await session.exec(query)).first()


async def register_committee_group(session: AsyncSession, *, channel: str, chat_id: str, name: str,
                                   now: datetime) -> Staff:
    """Make this group chat a committee group (the caller checked the member's role and audits)."""
    group = Staff(display_name=name, role="committee", created_at=now)
    session.add(group)
    await session.flush()
    identity = await get_or_create_identity(session, channel=channel, external_id=chat_id)
    identity.staff_id = group.id
    session.add(identity)
    await session.flush()
    return group
