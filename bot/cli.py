"""`python -m bot …`: the service's command line. Each command lives in one function below, registered
in `COMMANDS`; `python -m bot --help` lists them all."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import sys
from collections.abc import Callable

from bot.logs import setup_logging
from bot.settings import Settings

Runner = Callable[[argparse.Namespace, Settings], int]

log = logging.getLogger(__name__)


def _serve(parser: argparse.ArgumentParser) -> Runner:
    parser.add_argument("--host", help="address to listen on (default HOST)")
    parser.add_argument("--port", type=int, help="port to listen on (default PORT)")
    parser.add_argument("--telegram-polling", action="store_true",
                        help="fetch Telegram updates with getUpdates instead of a webhook (no public HTTPS needed)")
    parser.add_argument("--role", choices=("all", "web", "worker"), default="all",
                        help="all (default): webhooks and workers in one process; web: webhooks and dashboard "
                             "only (acks get a core of their own); worker: also runs the inbox/outbox workers and "
                             "reminders — run one web and one worker process on the same DATABASE_URL, each on "
                             "its own --port, and point the platforms at the web one")
    parser.add_argument("--reuse-port", action="store_true",
                        help="listen with SO_REUSEPORT (Linux): start several `--role web` processes on the same "
                             "--port and the kernel spreads new connections among them")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from aiohttp import web

        from bot.app import create_app

        if args.reuse_port and args.role != "web":
            # two processes with workers on one port would each run the queues and reminders (on SQLite the write
            # gate guards one process only): only web processes may share a port
            print("error: --reuse-port is for `--role web` processes only", file=sys.stderr)
            return 2

        app = create_app(settings, upgrade_db=True, telegram_polling=args.telegram_polling,
                         workers=args.role != "web", webhooks=args.role != "worker")
        app.on_startup.append(settle_heap)  # after every cleanup_ctx's start (aiohttp runs those first)
        web.run_app(app, host=args.host or settings.host, port=args.port or settings.port, access_log=None,
                    print=lambda line: print(line, file=sys.stderr), loop=serving_loop(settings),
                    reuse_port=args.reuse_port or None)
        return 0

    return run


async def settle_heap(_app: object) -> None:
    """Once the service has started (imports, hospital files, database, SDK clients, the NLP models in a worker):
    collect once and move every object left into the garbage collector's permanent generation (`gc.freeze`).

    Those objects live as long as the process, but a full (generation 2) collection walked all of them — about
    320,000 in a web process, ≈ 150 ms of CPU in one pass of the event loop, with every request waiting — and
    the first one came during the first wave of webhooks, when the requests' own objects pushed the collector
    over its threshold (bench/README.md, round 9 tp10a). Frozen, they are never walked again; what the requests
    make is collected as before."""
    gc.collect()
    gc.freeze()
    log.info("heap settled after start: %d objects frozen", gc.get_freeze_count())


def serving_loop(settings: Settings) -> asyncio.AbstractEventLoop:
    """The event loop `serve` runs on (every role): uvloop's when USE_UVLOOP is on and uvloop is installed (it has
    no Windows build), else asyncio's own. Made here, for this process only: no event loop policy is set, so
    nothing imported elsewhere (the tests, the other commands) changes loops."""
    if settings.use_uvloop:
        try:
            import uvloop
        except ImportError:
            log.info("event loop: asyncio (uvloop is not installed)")
        else:
            log.info("event loop: uvloop")
            return uvloop.new_event_loop()
    return asyncio.new_event_loop()


def _chat(parser: argparse.ArgumentParser) -> Runner:
    parser.add_argument("--as", dest="as_role", choices=("patient", "committee"), default="patient",
                        help="talk as a patient (default) or as a committee member")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from bot.chat import TerminalChat

        asyncio.run(TerminalChat(settings, as_role=args.as_role).run())
        return 0

    return run


def _db(parser: argparse.ArgumentParser) -> Runner:
    sub = parser.add_subparsers(dest="db_command", required=True)
    sub.add_parser("upgrade", help="apply every migration to DATABASE_URL")
    sub.add_parser("current", help="print the schema revision of DATABASE_URL")
    sub.add_parser("check", help="exit 1 when the models differ from the migrations")
    rev = sub.add_parser("revision", help="write a migration for model changes (autogenerate)")
    rev.add_argument("-m", "--message", required=True)

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from store.db import current_revision, make_engine, upgrade
        from store.revision import autogenerate, drift

        async def go() -> int:
            engine = make_engine(settings.database_url)
            try:
                if args.db_command == "upgrade":
                    await upgrade(engine)
                    print(f"database at revision {await current_revision(engine)}")
                elif args.db_command == "current":
                    print(await current_revision(engine) or "(empty)")
                elif args.db_command == "check":
                    await upgrade(engine)
                    diffs = await drift(engine)
                    print(json.dumps([repr(d) for d in diffs], ensure_ascii=False, indent=1))
                    return 1 if diffs else 0
                else:
                    await upgrade(engine)
                    await autogenerate(engine, args.message)
            finally:
                await engine.dispose()
            return 0

        return asyncio.run(go())

    return run


def _staff(parser: argparse.ArgumentParser) -> Runner:
    from bot.staff_cli import build

    return build(parser)


def _corrections(parser: argparse.ArgumentParser) -> Runner:
    from bot.corrections_cli import build

    return build(parser)


def _privacy(parser: argparse.ArgumentParser) -> Runner:
    from bot.privacy_cli import build

    return build(parser)


def _kpi(parser: argparse.ArgumentParser) -> Runner:
    from bot.reports_cli import build_kpi

    return build_kpi(parser)


def _export(parser: argparse.ArgumentParser) -> Runner:
    from bot.reports_cli import build_export

    return build_export(parser)


def _import_survey(parser: argparse.ArgumentParser) -> Runner:
    from bot.reports_cli import build_import

    return build_import(parser)


def _import_incidents(parser: argparse.ArgumentParser) -> Runner:
    from bot.hrms_cli import build_import

    return build_import(parser)


def _export_incidents(parser: argparse.ArgumentParser) -> Runner:
    from bot.hrms_cli import build_export

    return build_export(parser)


def _hrms_report(parser: argparse.ArgumentParser) -> Runner:
    from bot.hrms_cli import build_report

    return build_report(parser)


def _policy(parser: argparse.ArgumentParser) -> Runner:
    from bot.reminders import policy_command

    return policy_command(parser)


def _reminders(parser: argparse.ArgumentParser) -> Runner:
    from bot.reminders import reminders_command

    return reminders_command(parser)


def _line(parser: argparse.ArgumentParser) -> Runner:
    from bot.line.richmenu import line_command

    return line_command(parser)


def _doctor(parser: argparse.ArgumentParser) -> Runner:
    from bot.doctor import build

    return build(parser)


def _telegram(parser: argparse.ArgumentParser) -> Runner:
    from bot.telegram.setup import telegram_command

    return telegram_command(parser)


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], Runner]]] = {
    "serve": ("run the web service (webhooks, workers, dashboard); upgrades the database first", _serve),
    "chat": ("try the bot in this terminal, no credentials needed", _chat),
    "db": ("database schema: upgrade, current, check, revision", _db),
    "patient": ("PDPA requests: export or erase one patient's data, retention purge", _privacy),
    "staff": ("staff invites (one-time /register codes), list, revoke", _staff),
    "corrections": ("the committee's /tags corrections as JSONL for nlp.train / nlp.evaluate", _corrections),
    "kpi": ("indicator 6 (satisfied %% OPD/IPD, level 1–5) for a month, quarter or fiscal year", _kpi),
    "export": ("export survey responses or cases to CSV/XLSX for the quality office", _export),
    "import-survey": ("import survey results from CSV/XLSX (paper forms, Google Forms) via a column mapping",
                      _import_survey),
    "import-incidents": ("import the hospital's incident history from an HRMS export (XLSX/CSV) via a column "
                         "mapping; all or nothing, a second import adds nothing; --dry-run", _import_incidents),
    "export-incidents": ("export NRLS-coded cases in the HRMS column layout (XLSX/CSV) for keying or upload",
                         _export_incidents),
    "hrms-report": ("the monthly risk report for surveyors as XLSX: risk matrix, top codes, E–I awaiting "
                    "review or prevention, trends", _hrms_report),
    "policy": ("the severity policy in effect (deadlines, director notice, review/RCA); --json", _policy),
    "reminders": ("reminders: `due --at ISO8601` dry run of what would be sent; `send` once", _reminders),
    "line": ("LINE Official Account set-up: `richmenu` creates and sets the hospital's rich menu", _line),
    "telegram": ("Telegram bot set-up: `set-webhook URL` registers the webhook and its secret", _telegram),
    "doctor": ("check settings, secrets, database, Thai font, media directory, LINE and Telegram credentials "
               "and the public URL: one line each, exit 1 on any failure", _doctor),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Patient Voice — เสียงผู้รับบริการ")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    runners: dict[str, Runner] = {}
    for name, (help_text, build) in COMMANDS.items():
        runners[name] = build(sub.add_parser(name, help=help_text, description=help_text))
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValueError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    quiet = args.command == "chat"  # the terminal chat is for people; keep log lines out of the way
    setup_logging("WARNING" if quiet else settings.log_level, settings.log_format)
    try:
        return runners[args.command](args, settings)
    except hospital_file_errors() as exc:
        # A bad edit of a hospital data file: one clear line naming the file and key, not a traceback.
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2


def hospital_file_errors() -> tuple[type[Exception], ...]:
    """The errors raised when a file in CONFIG_DIR fails validation: HospitalConfigError from the one loader
    (`serve`, `doctor`, `kpi`, `reminders`, `policy`), and the parsers' own where a command reads one file."""
    from handlers.catalogue import CatalogueError
    from handlers.emergency import EmergencyConfigError
    from handlers.faq import FaqConfigError
    from handlers.hospital import HospitalConfigError
    from handlers.survey import SurveyConfigError
    from nlp.topics import TopicConfigError
    from store.indicator import IndicatorConfigError
    from store.policy import PolicyError
    from store.units import UnitsConfigError

    return (HospitalConfigError, CatalogueError, SurveyConfigError, TopicConfigError, IndicatorConfigError,
            PolicyError, UnitsConfigError, EmergencyConfigError, FaqConfigError)
