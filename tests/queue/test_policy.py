"""The severity policy file: its shape on the command line, validation at start, ISO 8601 durations."""

from __future__ import annotations

import asyncio
import json
import shutil
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import REPO_ROOT
from store import cases
from store.cases import Actor
from store.db import make_engine, make_session_factory
from store.policy import FILE_NAME, Duration, PolicyError, load_policy, parse_policy
from tests.queue.conftest import SHIPPED as SHIPPED_POLICY
from tests.queue.conftest import make_hospital, new_case

SHIPPED = REPO_ROOT / "config" / FILE_NAME


def _shipped() -> dict:  # type: ignore[type-arg]
    with SHIPPED.open("rb") as fh:
        return tomllib.load(fh)


def test_policy_json_matches_seed_table(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m bot policy --json` prints A–I and SE with ISO durations, director notice, review and risk level."""
    monkeypatch.delenv("CONFIG_DIR", raising=False)
    assert main(["policy", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["A", "B", "C", "D", "E", "F", "G", "H", "I", "SE"]
    assert data["A"] == {"report_within": "P7D", "resolve_within": "P1M", "notify_director": False,
                         "review": "none", "risk_level": 1}
    assert data["E"] == {"report_within": "PT24H", "resolve_within": "P14D", "notify_director": False,
                         "review": "review", "risk_level": 3}
    assert data["I"]["notify_director"] is True and data["I"]["review"] == "rca"
    assert data["SE"] == {"report_within": "PT0S", "resolve_within": "PT24H", "notify_director": True,
                          "review": "rca", "risk_level": 4}
    assert [data[s]["risk_level"] for s in data] == [1, 1, 2, 2, 3, 3, 4, 4, 4, 4]
    assert [data[s]["review"] for s in "BCD"] == ["review"] * 3 and data["G"]["review"] == "rca"


def test_policy_table_lists_rules(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json the command prints a table and the recurrence and reminder rules."""
    assert main(["policy"]) == 0
    out = capsys.readouterr().out
    assert "SE" in out and '"max_count": 3' in out and '"untriaged_after": "PT24H"' in out


def test_broken_policy_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad edit in CONFIG_DIR's policy file: the command exits 2 naming the file, the severity and the key."""
    (tmp_path / FILE_NAME).write_text(SHIPPED.read_text(encoding="utf-8").replace(
        'report_within = "PT24H"', 'report_within = "24 ชม."', 1), encoding="utf-8")
    monkeypatch.setenv("CONFIG_DIR", str(tmp_path))
    assert main(["policy", "--json"]) == 2
    err = capsys.readouterr().err
    assert FILE_NAME in err and "[severity.E]" in err and "report_within" in err and "ISO 8601" in err


def test_broken_policy_stops_app_start(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The service refuses to start on an invalid policy file (validated in create_app)."""
    from bot.app import create_app
    from handlers.hospital import HospitalConfigError

    config = tmp_path / "config"
    shutil.copytree(REPO_ROOT / "config", config)
    (config / FILE_NAME).write_text("[severity.A]\nreview = 'maybe'\n", encoding="utf-8")
    with pytest.raises(HospitalConfigError, match="severity") as caught:
        create_app(settings.model_copy(update={"config_dir": config}))
    assert caught.value.file == config / FILE_NAME


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d["severity"].pop("SE"), "missing SE"),
    (lambda d: d["severity"].update(J=d["severity"]["A"]), "unknown J"),
    (lambda d: d["severity"]["B"].update(review="maybe"), "review = 'maybe'"),
    (lambda d: d["severity"]["C"].update(risk_level=5), "risk_level = 5"),
    (lambda d: d["severity"]["D"].update(risk_level="2"), "wrong type"),
    (lambda d: d["severity"]["G"].update(resolve_within="PT1H"), "shorter than report_within"),
    (lambda d: d["severity"]["H"].update(colour="red"), "unknown key(s) colour"),
    (lambda d: d["severity"]["I"].pop("notify_director"), "missing notify_director"),
    (lambda d: d["recurrence"].update(max_count=0), "max_count"),
    (lambda d: d["recurrence"].update(window="PT0S"), "window"),
    (lambda d: d["reminders"].update(escalation=["assignee", "boss"]), "escalation"),
    (lambda d: d["reminders"].update(before_fraction=1.5), "before_fraction"),
    (lambda d: d.pop("reminders"), "[reminders]"),
    (lambda d: d["reminders"].update(office_hours="8.30 to 4.30"), "office_hours"),
    (lambda d: d["reminders"].update(office_hours="16:30-08:30"), "office_hours"),
    (lambda d: d["reminders"].update(office_days=["mon", "funday"]), "office_days"),
    (lambda d: d["reminders"].update(around_the_clock=["Z"]), "around_the_clock"),
    (lambda d: d["reminders"].update(immediate_within="PT0S"), "immediate_within"),
])
def test_policy_validation(edit, message: str) -> None:  # type: ignore[no-untyped-def]
    """Each kind of bad edit is refused with a message naming what is wrong."""
    data = _shipped()
    edit(data)
    with pytest.raises(PolicyError) as err:
        parse_policy(data, Path("severity_policy.toml"))
    assert message in str(err.value)


def test_invalid_toml(tmp_path: Path) -> None:
    """A file that is not TOML is reported as such, with its path."""
    (tmp_path / FILE_NAME).write_text("[severity.A\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(tmp_path)


@pytest.mark.parametrize(("text", "iso", "after"), [
    ("PT0S", "PT0S", timedelta(0)),
    ("PT24H", "PT24H", timedelta(hours=24)),
    ("P7D", "P7D", timedelta(days=7)),
    ("P2W", "P14D", timedelta(days=14)),
    ("P1DT12H30M", "P1DT12H30M", timedelta(days=1, hours=12, minutes=30)),
])
def test_fixed_durations(text: str, iso: str, after: timedelta) -> None:
    """Fixed ISO durations parse, print back canonically and add exactly."""
    d = Duration.parse(text)
    start = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    assert d.iso() == iso and d.after(start) - start == after


def test_month_durations_follow_the_bangkok_calendar() -> None:
    """P1M from 31 Jan (Bangkok) is 28 Feb; from 23:30 on 30 Nov Bangkok (16:30 UTC) it is 30 Dec Bangkok."""
    month = Duration.parse("P1M")
    assert month.after(datetime(2026, 1, 31, 3, tzinfo=UTC)) == datetime(2026, 2, 28, 3, tzinfo=UTC)
    assert month.after(datetime(2026, 11, 30, 16, 30, tzinfo=UTC)) == datetime(2026, 12, 30, 16, 30, tzinfo=UTC)
    assert month.before(datetime(2026, 3, 31, 3, tzinfo=UTC)) == datetime(2026, 2, 28, 3, tzinfo=UTC)
    assert Duration.parse("P1Y").iso() == "P1Y"
    for bad in ("", "P", "7D", "PT", "P1.5D", "1 month"):
        with pytest.raises(ValueError):
            Duration.parse(bad)


def test_reminders_due_dry_run_cli(sqlite_url: str, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`reminders due --at … --json` lists case number, kind, role, person and due time and sends nothing;
    `reminders send --at …` then sends exactly those."""
    t0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

    async def seed() -> str:
        engine = make_engine(sqlite_url)
        async with make_session_factory(engine)() as s:
            await make_hospital(s)
            case = await new_case(s, t0)
            await cases.triage(s, case=case, severity="G", unit_code="pharmacy", actor=Actor("staff"), now=t0,
                               policy=SHIPPED_POLICY)
            await s.commit()
        await engine.dispose()
        return case.number

    number = asyncio.run(seed())
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert main(["reminders", "due", "--at", "2026-11-27T09:00:00+07:00", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["case"], r["kind"], r["recipient_role"], [p["name"] for p in r["recipients"]], r["due_at"])
            for r in rows] == [
        (number, "report_before", "assignee", ["pharm_head"], "2026-11-26T20:00:00+00:00"),
        (number, "report_due", "assignee", ["pharm_head"], "2026-11-27T02:00:00+00:00"),
    ]
    assert rows[0]["due_local"] == "27 พ.ย. 2569 03:00 น."
    assert main(["reminders", "due", "--at", "2026-11-27T09:00:00"]) == 0  # no offset: Bangkok time
    table = capsys.readouterr().out
    assert number in table and "report_due" in table and "pharm_head (line)" in table
    async def outbox_empty() -> bool:
        engine = make_engine(sqlite_url)
        async with make_session_factory(engine)() as s:
            from sqlmodel import func, select

            from store.models import OutboundMessage
            count = (await s.exec(select(func.count()).select_from(OutboundMessage))).one()
        await engine.dispose()
        return count == 0
    assert asyncio.run(outbox_empty())
    assert main(["reminders", "send", "--at", "2026-11-27T09:00:00+07:00"]) == 0
    assert "2 reminder(s) processed" in capsys.readouterr().out
    assert not asyncio.run(outbox_empty())


def test_office_hours_move_reminders_to_the_next_opening() -> None:
    """Office hours are Bangkok time: Friday 17:00 moves to Monday 08:30, Tuesday 03:20 to 08:30 the same day,
    10:00 stays; a policy file without the keys keeps the defaults."""
    from datetime import UTC, datetime

    data = _shipped()
    for key in ("office_hours", "office_days", "around_the_clock", "immediate_within"):
        data["reminders"].pop(key)
    rules = parse_policy(data).reminders
    bkk = timedelta(hours=7)
    fri_5pm = datetime(2026, 11, 27, 17, 0, tzinfo=UTC) - bkk
    assert rules.next_office(fri_5pm) == datetime(2026, 11, 30, 8, 30, tzinfo=UTC) - bkk
    tue_night = datetime(2026, 12, 1, 3, 20, tzinfo=UTC) - bkk
    assert rules.next_office(tue_night) == datetime(2026, 12, 1, 8, 30, tzinfo=UTC) - bkk
    assert rules.next_office(tue_night + timedelta(hours=7)) == tue_night + timedelta(hours=7)
    assert rules.report_window(parse_policy(data).rule("SE")) == Duration(seconds=3600)
