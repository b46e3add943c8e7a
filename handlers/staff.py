"""`/register CODE`: a staff member binds this chat identity (LINE or Telegram, 1:1 or group) to the role the
admin's one-time invite carries (`python -m bot staff invite`).

Every attempt is audited; after a few failed codes from one identity within an hour, further attempts are
refused without looking at the code, so codes cannot be guessed by trying. A sender the platform does not
name (`Inbound.individual` False: a LINE desktop user in a group, a Telegram anonymous admin) is refused
before the code is looked at: registering them would give the role to everyone who shares that id.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, func, select

from handlers.router import Router
from handlers.turn import Turn
from store.models import AuditLog, Unit
from store.staff import InviteError, register

router = Router("staff")

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(hours=1)


async def _recent_failures(turn: Turn) -> int:
    since = turn.services.clock() - FAILURE_WINDOW
    query = select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "staff.register", col(AuditLog.allowed).is_(False), AuditLog.actor == turn.actor,
        col(AuditLog.at) >= since,
    )
    return int((await turn.session.exec(query)).one())


@router.command("register", help_key="register.help")
async def on_register(turn: Turn) -> None:
    code = turn.args.strip()
    if not code:
        turn.say("register.usage")
        return
    now = turn.services.clock()

    def audit(allowed: bool, reason: str, staff_id: int | None = None) -> None:
        turn.audit("staff.register", allowed=allowed, target=f"staff:{staff_id}" if staff_id else None,
                   detail={"reason": reason, "group": turn.inbound.is_group}, staff_id=staff_id)

    if not turn.inbound.individual:
        audit(False, "shared_sender")
        turn.say("staff.shared_sender", command="register")
        return
    if await _recent_failures(turn) >= MAX_FAILURES:
        audit(False, "rate_limited")
        turn.say("register.too_many")
        return
    try:
        staff = await register(turn.session, identity=turn.identity, code=code, now=now)
    except InviteError as exc:
        audit(False, exc.reason)
        turn.say(f"register.{exc.reason}")
        return
    audit(True, "registered", staff.id)
    turn.staff = staff
    unit = await turn.session.get(Unit, staff.unit_code) if staff.unit_code else None
    turn.say(
        "register.done",
        name=staff.display_name or turn.inbound.display_name or "",
        role=turn.t(f"role.{staff.role}"),
        unit=turn.t("register.unit_suffix", unit=unit.name_th) if unit else "",
    )
    if turn.inbound.is_group:
        turn.say("register.group_note")
