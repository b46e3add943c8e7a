"""Dashboard sign-in: a one-time link sent in chat, then a signed session cookie.

The link carries a random token; only its SHA-256 is stored (LoginToken), it expires after
LOGIN_MINUTES and works once (store/logins.py issues it). Opening the link shows a confirmation page; the
token is spent by the POST of its button, so a chat app's link preview (a GET) cannot use it up. The session cookie is
`staff_id.login_id.expires.hmac` signed with DASHBOARD_SECRET: the session IS its spent LoginToken row, so
signing out deletes that row and a copied cookie dies with it (rows are pruned only a day after their
link expired, well after SESSION_HOURS). Every request re-checks that row, and that the staff member is
still active and still holds a dashboard role.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.logins import DASHBOARD_ROLES, token_hash
from store.models import LoginToken, Staff

SESSION_HOURS = 12
COOKIE = "pv_dashboard"


async def peek_login_token(session: AsyncSession, *, token: str, now: datetime) -> Staff | None:
    """The staff member a still-valid token belongs to, without spending it."""
    row = (await session.exec(_token_query(token))).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return await _dashboard_staff(session, row.staff_id)


@dataclass(frozen=True)
class SignIn:
    """A spent login link: who signed in, and the LoginToken row their session lives on."""

    staff: Staff
    login_id: int


async def redeem_login_token(session: AsyncSession, *, token: str, now: datetime) -> SignIn | None:
    """Spend the token (single use, race-safe: a conditional UPDATE) and return its staff member."""
    spent = await session.execute(
        update(LoginToken)
        .where(col(LoginToken.token_hash) == token_hash(token), col(LoginToken.used_at).is_(None),
               col(LoginToken.expires_at) > now)
        .values(used_at=now)
        .returning(col(LoginToken.staff_id), col(LoginToken.id))
    )
    row = spent.one_or_none()
    if row is None:
        return None
    staff = await _dashboard_staff(session, row[0])
    return SignIn(staff, row[1]) if staff is not None else None


async def session_staff(session: AsyncSession, *, staff_id: int, login_id: int) -> Staff | None:
    """The staff member of a cookie whose session has not been ended (its LoginToken row still there)."""
    row = await session.get(LoginToken, login_id)
    if row is None or row.staff_id != staff_id or row.used_at is None:
        return None
    return await _dashboard_staff(session, staff_id)


async def end_session(session: AsyncSession, *, login_id: int) -> None:
    """Sign out on the server: the cookie's row is deleted, so the cookie no longer works anywhere."""
    await session.execute(delete(LoginToken).where(col(LoginToken.id) == login_id))


def _token_query(token: str) -> Any:
    return select(LoginToken).where(col(LoginToken.token_hash) == token_hash(token))


async def _dashboard_staff(session: AsyncSession, staff_id: int) -> Staff | None:
    staff = await session.get(Staff, staff_id)
    if staff is None or not staff.active or staff.role not in DASHBOARD_ROLES:
        return None
    return staff


def sign_session(secret: bytes, *, staff_id: int, login_id: int, now: datetime) -> str:
    expires = int((now + timedelta(hours=SESSION_HOURS)).timestamp())
    body = f"{staff_id}.{login_id}.{expires}"
    mac = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def read_session(secret: bytes, value: str | None, *, now: datetime) -> tuple[int, int] | None:
    """(staff id, login id) of a genuine, unexpired cookie; None for anything else."""
    if not value:
        return None
    try:
        staff_id, login_id, expires, mac = value.split(".")
        good = hmac.new(secret, f"{staff_id}.{login_id}.{expires}".encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(mac, good) or int(expires) <= now.timestamp():
            return None
        return int(staff_id), int(login_id)
    except ValueError:
        return None
