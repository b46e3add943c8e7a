"""`python -m bot patient export|erase|purge`: PDPA data-subject requests, run by the hospital's IT admin.

Every run is written to the audit log with the operating-system user who ran it. Media files are removed
from MEDIA_DIR only once the erase is committed. The service also purges by itself every night (bot/purge.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable

from bot.settings import Settings
from store import audit
from store.db import make_engine, make_session_factory, upgrade
from store.privacy import erase_patient, export_patient, find_patient, purge_expired, remove_media
from store.types import utcnow


def build(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace, Settings], int]:
    sub = parser.add_subparsers(dest="patient_command", required=True)
    exp = sub.add_parser("export", help="print everything held on one patient as JSON")
    exp.add_argument("ref", help="patient id, or channel:user id (line:U…, telegram:…)")
    era = sub.add_parser("erase", help="erase one patient's personal data")
    era.add_argument("ref", help="patient id, or channel:user id")
    era.add_argument("--yes", action="store_true", help="confirm; without it nothing is changed")
    pur = sub.add_parser("purge", help="erase patients past RETENTION_DAYS and old webhook/outbox rows")
    pur.add_argument("--dry-run", action="store_true", help="only count what would be removed")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        return asyncio.run(_run(args, settings))

    return run


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with make_session_factory(engine)() as session:
            now = utcnow()
            actor = audit.cli_actor()
            if args.patient_command == "purge":
                done = await purge_expired(
                    session, now=now, retention_days=settings.retention_days, dry_run=args.dry_run,
                    draft_keep_days=settings.draft_keep_days,
                )
                audit.record(session, actor=actor, channel="cli", action="patient.purge", detail=done.counts, at=now)
                await session.commit()
                await asyncio.to_thread(remove_media, settings.media_dir, done.files)
                print(json.dumps(done.counts, ensure_ascii=False))
                return 0
            patient = await find_patient(session, ref=args.ref)
            if patient is None:
                print(f"ไม่พบผู้รับบริการ {args.ref}", file=sys.stderr)
                return 1
            target = f"patient:{patient.id}"
            if args.patient_command == "export":
                data = await export_patient(session, patient=patient)
                audit.record(session, actor=actor, channel="cli", action="patient.export", target=target, at=now)
                await session.commit()
                print(json.dumps(data, ensure_ascii=False, indent=1))
                return 0
            if not args.yes:
                print("ต้องยืนยันด้วย --yes ก่อนลบข้อมูล (ยังไม่มีการเปลี่ยนแปลงใด)", file=sys.stderr)
                return 2
            erased = await erase_patient(session, patient=patient, now=now)
            audit.record(session, actor=actor, channel="cli", action="patient.erase", target=target,
                         detail=erased.counts, at=now)
            await session.commit()
            await asyncio.to_thread(remove_media, settings.media_dir, erased.files)
            print(json.dumps(erased.counts, ensure_ascii=False))
            return 0
    finally:
        await engine.dispose()
