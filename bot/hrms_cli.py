"""`python -m bot import-incidents | export-incidents | hrms-report`: the hospital's HRMS history in, NRLS-coded
cases out in the HRMS column layout, and the monthly report surveyors ask for (store/hrms.py,
store/hrms_report.py). Each run is audited (who ran it from which OS account, the file, the counts)."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.settings import Settings
from store.audit import cli_actor

Runner = Callable[[argparse.Namespace, Settings], int]


def _database(settings: Settings, work: Callable[[Any], Awaitable[int]]) -> int:
    """Run `work(session)` on DATABASE_URL, with the hospital's units and severity policy loaded."""
    from store.db import make_engine, make_session_factory
    from store.units import load_units, sync_units

    units = load_units(settings.config_dir)

    async def go() -> int:
        engine = make_engine(settings.database_url)
        try:
            async with make_session_factory(engine)() as session:
                await sync_units(session, units=units)
                await session.commit()
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def build_import(parser: argparse.ArgumentParser) -> Runner:
    parser.add_argument("file", type=Path, help="the HRMS incident export: .xlsx or .csv")
    parser.add_argument("--mapping", required=True, type=Path,
                        help="column mapping (config/hrms/hrms_cloud.toml, config/hrms/risk_report.toml)")
    parser.add_argument("--dry-run", action="store_true",
                        help="read and check every row and say what would be imported; store nothing")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from store import audit
        from store.hrms import MappingError, import_incidents, load_mapping
        from store.policy import load_policy
        from store.types import utcnow

        try:
            mapping = load_mapping(args.mapping)
            digest = hashlib.sha256(args.file.read_bytes()).hexdigest()
        except (MappingError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        actor = cli_actor()

        async def work(session: Any) -> int:
            try:
                result = await import_incidents(session, path=args.file, mapping=mapping, now=utcnow(), actor=actor,
                                                policy=load_policy(settings.config_dir),
                                                dry_run=args.dry_run)
            except MappingError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            if result.errors:
                await session.rollback()  # all or nothing
            audit.record(session, actor=actor, channel="cli", action="hrms.import", allowed=not result.errors,
                         target=args.file.name[:64], detail={
                                     "sha256": digest, "mapping": mapping.path.name, "dry_run": args.dry_run,
                                     "rows": result.rows, "imported": 0 if result.errors else result.imported,
                                     "open": result.open, "already": result.already, "repeated": result.repeated,
                                     "bad": len(result.errors)})
            await session.commit()
            for line in result.errors:
                print(line, file=sys.stderr)
            if result.errors:
                print(f"nothing imported: {len(result.errors)} bad rows (fix them, or map them, and run again)",
                      file=sys.stderr)
                return 1
            print(result.summary(dry_run=args.dry_run))
            return 0

        return _database(settings, work)

    return run


def _span(text: str | None) -> tuple[Any, Any, str | None]:
    from store.indicator import parse_period
    from store.periods import local
    from store.types import utcnow

    if not text:
        return None, None, None
    period = parse_period(text, today=local(utcnow()).date())
    return period.start_utc, period.end_utc, period.label


def build_export(parser: argparse.ArgumentParser) -> Runner:
    from store.indicator import PERIOD_HELP

    parser.add_argument("--out", required=True, type=Path, help="output file: .xlsx or .csv (UTF-8, Excel-ready)")
    parser.add_argument("--mapping", required=True, type=Path,
                        help="the column layout to write (config/hrms/hrms_cloud.toml for HRMS)")
    parser.add_argument("--period", default=None, help=f"{PERIOD_HELP}; default: every coded case")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from bot.logs import redact
        from store import audit
        from store.hrms import MappingError, export_incidents, load_mapping
        from store.indicator import PeriodError

        if args.out.suffix.lower() not in (".csv", ".xlsx"):
            print("error: --out must end in .csv or .xlsx", file=sys.stderr)
            return 2
        try:
            mapping = load_mapping(args.mapping)
            start, end, label = _span(args.period)
        except (MappingError, PeriodError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        actor = cli_actor()

        async def work(session: Any) -> int:
            n = await export_incidents(session, out=args.out, mapping=mapping, start=start, end=end, redact=redact)
            audit.record(session, actor=actor, channel="cli", action="hrms.export", target=args.out.name[:64],
                         detail={"rows": n, "period": label, "mapping": mapping.path.name})
            await session.commit()
            print(f"exported {n} incidents to {args.out}")
            return 0

        return _database(settings, work)

    return run


def build_report(parser: argparse.ArgumentParser) -> Runner:
    from store.indicator import PERIOD_HELP

    parser.add_argument("--month", required=True, help=f"the month reported, e.g. 2026-11 or 2569-11 ({PERIOD_HELP})")
    parser.add_argument("--out", type=Path, default=None, help="the XLSX to write (default hrms-report-YYYY-MM.xlsx)")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from bot.charts import ThaiFontMissing, ha_risk_png, ha_run_png
        from handlers.hospital import hospital_for
        from store import audit
        from store.ha_report import build_ha_report, write_ha_report
        from store.indicator import PeriodError, parse_period
        from store.periods import local
        from store.types import utcnow

        try:
            period = parse_period(args.month, today=local(utcnow()).date())
        except PeriodError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        out = args.out or Path(f"hrms-report-{period.label}.xlsx")
        if out.suffix.lower() != ".xlsx":
            print("error: --out must end in .xlsx", file=sys.stderr)
            return 2
        actor = cli_actor()

        async def work(session: Any) -> int:
            hospital = hospital_for(settings)
            ha = await build_ha_report(session, period=period, now=utcnow(), config=hospital.indicator)
            catalogue = hospital.catalogue
            try:
                charts = {"matrix": ha_risk_png(catalogue, ha), "run": ha_run_png(catalogue, ha)}
            except ThaiFontMissing as exc:
                print(f"warning: charts not drawn: {exc}", file=sys.stderr)
                charts = {}
            write_ha_report(ha, out, charts=charts)
            data = ha.risk
            audit.record(session, actor=actor, channel="cli", action="hrms.report", target=out.name[:64],
                         detail={"period": period.label, "incidents": data.total})
            await session.commit()
            print(f"wrote the {period.label} report ({data.total} incidents, {len(data.backlog)} awaiting review "
                  f"or prevention) to {out}")
            return 0

        return _database(settings, work)

    return run
