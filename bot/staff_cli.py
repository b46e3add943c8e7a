"""`python -m bot staff invite|list|revoke`: the hospital IT admin manages who may use the staff commands.

`invite` prints the one-time code on its LAST line (scripts take `| tail -1`); the person then types
`/register CODE` to the bot in LINE or Telegram. Every admin action is written to the audit log.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable
from datetime import timedelta

from bot.settings import Settings
from store.staff import ROLES

ROLE_TH = {
    "committee": "คณะกรรมการบริหารความเสี่ยง",
    "director": "ผู้อำนวยการ",
    "unit_head": "หัวหน้าหน่วยงาน",
    "staff": "เจ้าหน้าที่",
}


def build(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace, Settings], int]:
    sub = parser.add_subparsers(dest="staff_command", required=True)
    invite = sub.add_parser("invite", help="make a one-time registration code (printed on the last line)")
    invite.add_argument("--role", choices=ROLES, help="committee | director | unit_head | staff")
    invite.add_argument("--unit", help="unit code from config/units.toml (required for unit_head and staff)")
    invite.add_argument("--name", default="", help="the person's name, shown to the committee")
    invite.add_argument("--staff", type=int, dest="staff_id",
                        help="an existing staff id: a code to bind one more chat channel to that person")
    invite.add_argument("--days", type=float, default=7, help="days the code stays valid (default 7)")
    lst = sub.add_parser("list", help="staff members, their role, unit, status and channels")
    lst.add_argument("--json", action="store_true", help="print JSON instead of a table")
    revoke = sub.add_parser("revoke", help="take a staff member's rights away at once")
    revoke.add_argument("id", type=int, help="the id shown by `staff list`")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        return asyncio.run(_run(args, settings))

    return run


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    from store import audit
    from store import staff as staff_store
    from store.db import make_engine, make_session_factory, upgrade
    from store.types import utcnow
    from store.units import load_units, sync_units

    engine = make_engine(settings.database_url)
    actor = audit.cli_actor()
    try:
        await upgrade(engine)
        sessions = make_session_factory(engine)
        async with sessions() as session:
            now = utcnow()
            if args.staff_command == "invite":
                if args.staff_id is None and args.role is None:
                    print("error: --role is required (or --staff ID for another channel of an existing person)")
                    return 2
                await sync_units(session, units=load_units(settings.config_dir))
                try:
                    made = await staff_store.create_invite(
                        session, now=now, role=args.role, unit_code=args.unit, display_name=args.name,
                        staff_id=args.staff_id, ttl=timedelta(days=args.days),
                    )
                except ValueError as exc:
                    print(f"error: {exc}")
                    return 2
                audit.record(session, actor=actor, channel="cli", action="staff.invite",
                             target=f"staff:{made.staff.id}",
                             detail={"role": made.staff.role, "unit": made.staff.unit_code})
                await session.commit()
                role = made.staff.role
                print(f"staff id {made.staff.id}: {ROLE_TH[role]} ({role})"
                      + (f", unit {made.staff.unit_code}" if made.staff.unit_code else ""))
                print(f"valid until {made.invite.expires_at.isoformat()}; works once.")
                print("Ask the person to send this to the bot in LINE or Telegram:  /register CODE")
                print(made.code)
                return 0
            if args.staff_command == "list":
                entries = await staff_store.list_staff(session)
                if args.json:
                    print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=1))
                else:
                    print(f"{'id':>4}  {'role':<10} {'unit':<12} {'status':<8} {'channels':<16} name")
                    for e in entries:
                        print(f"{e.id:>4}  {e.role:<10} {e.unit_code or '-':<12} {e.status:<8} "
                              f"{','.join(e.channels) or '-':<16} {e.display_name}")
                return 0
            try:
                revoked = await staff_store.revoke(session, staff_id=args.id, now=now)
            except ValueError as exc:
                print(f"error: {exc}")
                return 2
            audit.record(session, actor=actor, channel="cli", action="staff.revoke", target=f"staff:{revoked.id}")
            await session.commit()
            print(f"staff id {revoked.id} revoked")
            return 0
    finally:
        await engine.dispose()


