"""deploy/install.sh (into a directory standing for /) and deploy/create-database.sh + deploy/bot on the local
PostgreSQL: the files land where the units and nginx look for them, and a new database is made and migrated."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest

from tests.deploy.conftest import DEPLOY, ROOT, run, tool, unit_lines
from tests.fakes.databases import drop_database
from tests.support import PG_URL

pytestmark = pytest.mark.subprocess


def test_install_puts_every_file_where_the_units_look(tmp_path: Path) -> None:
    """Every file a unit, nginx or logrotate names is installed; edited settings and config survive a rerun,
    and a config file a new version brings is added."""
    run(DEPLOY / "install.sh", "--root", tmp_path)
    unit = dict(unit_lines(tmp_path / "etc/systemd/system/patient-voice@.service"))
    for key in ("EnvironmentFile",):
        for role in ("web", "worker"):
            for path in [p.replace("%i", role) for k, p in unit_lines(tmp_path / "etc/systemd/system/"
                                                                    "patient-voice@.service") if k == key]:
                assert (tmp_path / path.lstrip("/")).is_file(), path
    assert (tmp_path / unit["ReadWritePaths"].lstrip("/")).is_dir()
    settings = dict(unit_lines(tmp_path / "etc/patient-voice/patient-voice.env"))
    assert (tmp_path / settings["MEDIA_DIR"].lstrip("/")).is_dir()
    assert {p.name for p in (tmp_path / settings["CONFIG_DIR"].lstrip("/")).iterdir()} >= {
        p.name for p in (ROOT / "config").iterdir()}
    assert (tmp_path / "etc/nginx/sites-enabled/patient-voice").resolve() == \
        (tmp_path / "etc/nginx/sites-available/patient-voice").resolve()
    assert (tmp_path / "etc/logrotate.d/patient-voice").is_file()
    assert (tmp_path / "var/log/patient-voice").is_dir() and (tmp_path / "var/backups/patient-voice").is_dir()
    assert (tmp_path / "etc/patient-voice/patient-voice.env").stat().st_mode & 0o007 == 0  # secrets

    env_file = tmp_path / "etc/patient-voice/patient-voice.env"
    env_file.write_text(env_file.read_text() + "HOSPITAL_NAME=โรงพยาบาลบ้านเรา\n")
    units = tmp_path / "etc/patient-voice/config/units.toml"
    units.write_text("# edited by the hospital\n")
    (tmp_path / "etc/patient-voice/config/faq.toml").unlink()  # stands for a file the next version brings
    run(DEPLOY / "install.sh", "--root", tmp_path)
    assert "บ้านเรา" in env_file.read_text() and units.read_text() == "# edited by the hospital\n"
    assert (tmp_path / "etc/patient-voice/config/faq.toml").is_file()


@pytest.mark.postgres
def test_create_database_then_migrate_with_deploy_bot(tmp_path: Path) -> None:
    """create-database.sh makes a role and a database and prints the DATABASE_URL line; `deploy/bot db upgrade`
    with that line in the settings file migrates it, and `deploy/bot db current` shows the revision."""
    tool("psql")
    name = f"pv_deploy_{uuid.uuid4().hex[:8]}"
    pg = re.match(r"postgresql\+asyncpg://(?P<user>[^@:]+)@(?P<host>[^:/]+):(?P<port>\d+)/", PG_URL)
    assert pg, PG_URL
    env = {**os.environ, "PGHOST": pg["host"], "PGPORT": pg["port"], "PGUSER": pg["user"]}
    line = run(DEPLOY / "create-database.sh", name, env=env).stdout.strip().splitlines()[-1]
    url = line.removeprefix("DATABASE_URL=")
    try:
        assert url.startswith(f"postgresql+asyncpg://{name}:") and url.endswith(f"/{name}")
        settings = tmp_path / "patient-voice.env"
        settings.write_text(f"ENVIRONMENT=development\n{line}\nHOSPITAL_NAME=โรงพยาบาล ทดสอบ\n")
        bot_env = {**os.environ, "PV_ENV_FILE": str(settings)}
        assert "database at revision" in run(DEPLOY / "bot", "db", "upgrade", env=bot_env).stdout
        head = run(DEPLOY / "bot", "db", "current", env=bot_env).stdout.strip()
        assert re.fullmatch(r"\d{4}", head), head
        again = run(DEPLOY / "create-database.sh", name, env=env, check=False)  # never over an existing one
        assert again.returncode != 0 and "already exists" in again.stderr
    finally:
        import asyncio

        asyncio.run(drop_database(url))
        run("psql", "--no-psqlrc", "--dbname=postgres", "--command", f'DROP ROLE IF EXISTS "{name}"', env=env)
