"""One-time dashboard sign-in links, as the store keeps them: a random token handed to the staff member in
chat (`/dashboard`), of which only the SHA-256 is stored (LoginToken). Redeeming it and the session cookie
are the dashboard's business (bot/dashboard/auth.py); issuing it is here so the chat command (handlers/)
does not import the web app above it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import LoginToken, Staff

DASHBOARD_ROLES = frozenset({"committee", "director", "unit_head"})
LOGIN_MINUTES = 10


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_login_token(session: AsyncSession, *, staff: Staff, now: datetime) -> str:
    """A fresh one-time token for `staff` (the caller commits); only its hash is kept."""
    assert staff.id is not None
    token = secrets.token_urlsafe(32)
    # spent or long-expired links are of no use to anyone: drop them as new ones are made
    await session.execute(delete(LoginToken).where(col(LoginToken.expires_at) < now - timedelta(days=1)))
    session.add(LoginToken(token_hash=token_hash(token), staff_id=staff.id, created_at=now,
                           expires_at=now + timedelta(minutes=LOGIN_MINUTES)))
    await session.flush()
    return token
