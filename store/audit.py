"""The audit log (SPEC §9: every staff action and every refusal is recorded): the one place an AuditLog row
is built, whoever acts — a chat command, a patient's privacy request, the dashboard, a CLI, the nightly
purge. Callers say who, what and on what; the row's shape lives here.

`actor` is "channel:external id" (or "cli:user", "web:staff id", "system"); `target` names what was acted
on ("case:2570-0042", "staff:12", "patient:7"); `detail` is a small JSON object without personal text.
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import AuditLog


def cli_actor() -> str:
    """The actor of a command-line run: "cli:" and the OS account that ran it, or plain "cli" in a container
    with no user name (no passwd entry, no LOGNAME/USER): an admin's erase or import must not fail on that."""
    try:
        return f"cli:{getpass.getuser()}"[:160]
    except (KeyError, OSError):
        return "cli"


def record(
    session: AsyncSession,
    *,
    actor: str,
    channel: str,
    action: str,
    target: str | None = None,
    allowed: bool = True,
    detail: Mapping[str, Any] | None = None,
    staff_id: int | None = None,
    at: datetime | None = None,
) -> AuditLog:
    """Add one audit row to the session (committed with the work it records)."""
    row = AuditLog(actor=actor, channel=channel, action=action, target=target, allowed=allowed,
                   detail=dict(detail or {}), actor_staff_id=staff_id)
    if at is not None:
        row.at = at
    session.add(row)
    return row


def case_target(number: str | None) -> str | None:
    return f"case:{number}" if number else None
