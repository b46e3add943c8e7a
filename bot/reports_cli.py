"""`python -m bot kpi | export | import-survey`: indicator 6 and the quality office's files."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

from bot.settings import Settings
from store.indicator import PERIOD_HELP, Period

Runner = Callable[[argparse.Namespace, Settings], int]


def _period(text: str | None, settings: Settings) -> Period:
    from store.indicator import parse_period
    from store.periods import local
    from store.types import utcnow

    return parse_period(text, today=local(utcnow()).date())


def build_kpi(parser: argparse.ArgumentParser) -> Runner:
    parser.add_argument("--period", default="", help=f"{PERIOD_HELP}; default: the current fiscal year")
    parser.add_argument("--json", action="store_true",
                        help='print JSON: {"period", "opd": {"respondents", "satisfied", "satisfied_pct", '
                             '"level", "ci95"}, "ipd": {…}, "trend", "departments", "channels", "engagement", '
                             '"complaints", …}')

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from handlers.hospital import hospital_for
        from handlers.reports import kpi_text
        from store.db import make_engine, make_session_factory
        from store.indicator import PeriodError, compute_kpi, full_report
        from store.types import utcnow

        try:
            period = _period(args.period, settings)
        except PeriodError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        config = hospital_for(settings).indicator

        async def go() -> int:
            engine = make_engine(settings.database_url)
            try:
                async with make_session_factory(engine)() as session:
                    if args.json:
                        report = await full_report(session, period=period, config=config, now=utcnow())
                        print(json.dumps(report, ensure_ascii=False, indent=1))
                    else:
                        kpi = await compute_kpi(session, period=period, config=config, dimensions=True)
                        print(kpi_text(hospital_for(settings).catalogue, kpi))
            finally:
                await engine.dispose()
            return 0

        return asyncio.run(go())

    return run


def build_export(parser: argparse.ArgumentParser) -> Runner:
    parser.add_argument("what", choices=("surveys", "cases"), help="survey responses or queue cases")
    parser.add_argument("--out", required=True, type=Path, help="output file: .csv (UTF-8, Excel-ready) or .xlsx")
    parser.add_argument("--period", default=None, help=f"{PERIOD_HELP}; default: everything")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from store import audit
        from store.db import make_engine, make_session_factory
        from store.exports import export_table
        from store.indicator import PeriodError

        if args.out.suffix.lower() not in (".csv", ".xlsx"):
            print("error: --out must end in .csv or .xlsx", file=sys.stderr)
            return 2
        try:
            period = _period(args.period, settings) if args.period else None
        except PeriodError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

        async def go() -> int:
            engine = make_engine(settings.database_url)
            try:
                async with make_session_factory(engine)() as session:
                    n = await export_table(session, what=args.what, out=args.out, period=period)
                    audit.record(session, actor="cli", channel="cli", action=f"export.{args.what}",
                                 detail={"rows": n, "period": period.label if period else None})
                    await session.commit()
            finally:
                await engine.dispose()
            print(f"exported {n} {args.what} to {args.out}")
            return 0

        return asyncio.run(go())

    return run


def build_import(parser: argparse.ArgumentParser) -> Runner:
    parser.add_argument("file", type=Path, help="survey export to import: .csv or .xlsx")
    parser.add_argument("--mapping", required=True, type=Path,
                        help="column-mapping TOML (see config/import/google_forms_example.toml)")
    parser.add_argument("--dry-run", action="store_true", help="read and check every row, store nothing")
    parser.add_argument("--force", action="store_true", help="import even if this exact file was imported before")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from sqlmodel import col, select

        from store import audit
        from store.db import make_engine, make_session_factory
        from store.exports import MappingError, import_surveys, load_mapping
        from store.models import AuditLog
        from store.types import utcnow

        try:
            mapping = load_mapping(args.mapping)
            digest = hashlib.sha256(args.file.read_bytes()).hexdigest()
        except (MappingError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

        async def go() -> int:
            engine = make_engine(settings.database_url)
            try:
                async with make_session_factory(engine)() as session:
                    seen = (await session.exec(select(AuditLog).where(col(AuditLog.action) == "survey.import"))).all()
                    if not args.force and not args.dry_run and any(a.detail.get("sha256") == digest for a in seen):
                        print(f"error: {args.file} was imported before (use --force to import it again)",
                              file=sys.stderr)
                        return 1
                    try:
                        result = await import_surveys(session, path=args.file, mapping=mapping, now=utcnow(),
                                                      dry_run=args.dry_run)
                    except (MappingError, ValueError) as exc:
                        print(f"error: {exc}", file=sys.stderr)
                        return 2
                    if not args.dry_run:
                        audit.record(session, actor="cli", channel="cli", action="survey.import", detail={
                            "sha256": digest, "file": args.file.name, "imported": result.imported,
                            "skipped": result.skipped})
                        await session.commit()
            finally:
                await engine.dispose()
            for line in result.errors:
                print(line, file=sys.stderr)
            verb = "would import" if args.dry_run else "imported"
            print(f"{verb} {result.imported} responses, skipped {result.skipped}")
            return 0

        return asyncio.run(go())

    return run
