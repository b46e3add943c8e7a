"""Dashboard sign-in links and session cookies: single use, short expiry, role-bound, tamper-proof."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.dashboard.auth import (
    peek_login_token,
    read_session,
    redeem_login_token,
    sign_session,
)
from store.logins import issue_login_token
from store.models import LoginToken
from tests.reports.helpers import add_staff
from tests.support import MovableClock, Store


async def test_link_is_single_use_and_expires(store: Store, clock: MovableClock) -> None:
    """A link works once, not after 10 minutes, not for a revoked or demoted member; old rows are pruned."""
    async with store.sessions() as s:
        staff = await add_staff(s, role="committee")
        first = await issue_login_token(s, staff=staff, now=clock())
        late = await issue_login_token(s, staff=staff, now=clock())
        demoted = await issue_login_token(s, staff=staff, now=clock())
        await s.commit()
    async with store.sessions() as s:
        assert (await peek_login_token(s, token=first, now=clock())) is not None  # a preview does not spend it
        assert (await redeem_login_token(s, token=first, now=clock())) is not None
        assert (await redeem_login_token(s, token=first, now=clock())) is None
        assert (await redeem_login_token(s, token="made-up", now=clock())) is None
        assert (await redeem_login_token(s, token=late, now=clock() + timedelta(minutes=10))) is None
        member = await s.get(type(staff), staff.id)
        assert member is not None
        member.role = "staff"
        s.add(member)
        await s.flush()
        assert (await redeem_login_token(s, token=demoted, now=clock())) is None
        await s.commit()
    clock.advance(days=2)
    async with store.sessions() as s:
        member = await s.get(type(staff), staff.id)
        assert member is not None
        await issue_login_token(s, staff=member, now=clock())
        await s.commit()
        assert len((await s.exec(select(LoginToken))).all()) == 1


def test_session_cookie_is_signed_and_expires(clock: MovableClock) -> None:
    """A cookie with another id, another secret or past its 12 hours is refused."""
    secret = b"k" * 32
    cookie = sign_session(secret, staff_id=7, login_id=3, now=clock())
    assert read_session(secret, cookie, now=clock()) == (7, 3)
    _, _, expires, mac = cookie.split(".")
    assert read_session(secret, f"8.3.{expires}.{mac}", now=clock()) is None
    assert read_session(secret, f"7.4.{expires}.{mac}", now=clock()) is None
    assert read_session(b"x" * 32, cookie, now=clock()) is None
    assert read_session(secret, cookie, now=clock() + timedelta(hours=12, seconds=1)) is None
    assert read_session(secret, "garbage", now=clock()) is None
