"""deploy/backup.sh and deploy/restore.sh on a real PostgreSQL database the service filled: a patient's complaint
made through the fake LINE is dumped, the database dropped, restored, and the complaint is back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlmodel import select

from bot.settings import Settings
from store.db import current_revision, make_engine, make_session_factory
from store.models import Case, Feedback, MediaFile
from tests.committee.test_through_fakes import Person, latest_case
from tests.deploy.conftest import DEPLOY, run, tool
from tests.fakes.databases import drop_database, pg_database
from tests.fakes.harness import running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock

pytestmark = [pytest.mark.postgres, pytest.mark.subprocess, pytest.mark.slow]
COMPLAINT = "รอรับยานานมากเกือบสามชั่วโมง เภสัชกรพูดจาไม่สุภาพ"


async def _complaint(url: str) -> tuple[str, str, list[str]]:
    """(case number, feedback text, media files) as the restored database holds them."""
    engine = make_engine(url)
    try:
        async with make_session_factory(engine)() as session:
            case = (await session.exec(select(Case))).one()
            feedback = (await session.exec(select(Feedback).where(Feedback.id == case.feedback_id))).one()
            media = [m.path for m in (await session.exec(select(MediaFile))).all()]
            return case.number, feedback.text, media
    finally:
        await engine.dispose()


async def test_backup_drop_restore_brings_the_complaint_back(
    settings: Settings, clock: MovableClock, fake_line: FakeLine, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    tool("pg_dump")
    tool("pg_restore")
    tool("psql")
    url = await pg_database()
    media = tmp_path / "media"
    backups = tmp_path / "backups"
    try:
        async with running_service(settings.model_copy(update={"database_url": url, "media_dir": media}), clock,
                                   line=fake_line, telegram=fake_telegram) as svc:
            patient = Person(svc, "line", "U-backup", None, {})
            await patient.press("complaint")
            if "consent:yes" in [p for m in await fake_line.messages_to("U-backup") for p in m.payloads]:
                await patient.press("consent:yes")
            await patient.say("รอรับยานานมากเกือบสามชั่วโมง เภสัชกรพูดจาไม่สุภาพ")
            await patient.photo()  # a photo with the complaint, kept under MEDIA_DIR
            for button in ("complaint:done", "complaint:dept:pharmacy", "complaint:contact"):
                await patient.press(button)
            reply = await patient.press("complaint:skipphone")
            number = (await latest_case(svc)).number
            assert number in reply
        before = await _complaint(url)
        assert before[:2] == (number, COMPLAINT) and before[2], before
        kept = sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file())
        assert kept

        env = {**os.environ, "DATABASE_URL": url, "BACKUP_DIR": str(backups), "MEDIA_DIR": str(media)}
        dump = Path(run(DEPLOY / "backup.sh", env=env).stdout.strip())
        assert dump.parent == backups and dump.name.endswith(".dump") and dump.stat().st_mode & 0o077 == 0
        assert not list(backups.glob("*.partial"))

        await drop_database(url)
        for path in media.rglob("*"):  # the disk is lost too
            if path.is_file():
                path.unlink()
        # by hand, as root: the settings come from the service's settings file
        settings_file = tmp_path / "patient-voice.env"
        settings_file.write_text(f"HOSPITAL_NAME=โรงพยาบาล ทดสอบ\nDATABASE_URL={url}\nMEDIA_DIR={media}\n")
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDIA_DIR")}
        env["PV_ENV_FILE"] = str(settings_file)
        restored = run(DEPLOY / "restore.sh", dump, env=env)
        assert "restored" in restored.stderr
        assert await _complaint(url) == before
        assert sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file()) == kept
        engine = make_engine(url)
        assert await current_revision(engine) is not None  # the migration state came back with the tables
        await engine.dispose()

        refused = run(DEPLOY / "restore.sh", dump, env=env, check=False)  # a live database is not overwritten
        assert refused.returncode == 3 and "--replace" in refused.stderr
        run(DEPLOY / "restore.sh", "--replace", dump, env=env)
        assert await _complaint(url) == before
    finally:
        await drop_database(url)
