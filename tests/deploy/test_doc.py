"""docs/deploy.md says only what the project runs: every fenced command is a script in deploy/ (with real CLI
arguments for deploy/bot), a line a deploy/ script runs, or a systemctl/nginx/curl call on the units, site and
ports deploy/ defines; every metric it names is one the service exports."""

from __future__ import annotations

import argparse
import re
import shlex

import pytest

from bot.cli import COMMANDS
from bot.metrics import Metrics
from tests.deploy.conftest import DEPLOY, ROOT, unit_lines

DOC = ROOT / "docs" / "deploy.md"


def commands() -> list[str]:
    """The command lines of the doc's ```sh blocks (comments dropped)."""
    out = []
    for block in re.findall(r"```sh\n(.*?)```", DOC.read_text(), re.S):
        for line in block.splitlines():
            line = line.split(" #", 1)[0].strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


def cli_accepts(args: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot", exit_on_error=False)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, build) in COMMANDS.items():
        build(sub.add_parser(name, help=help_text))
    try:
        parser.parse_args(args)
    except SystemExit as exc:
        raise AssertionError(f"python -m bot does not accept {args}") from exc


def script_lines() -> set[str]:
    """Non-comment lines of the scripts in deploy/, whitespace collapsed."""
    lines = set()
    for path in DEPLOY.iterdir():
        if path.is_file() and path.read_text().startswith("#!"):
            lines |= {" ".join(line.split()) for line in path.read_text().splitlines()
                      if line.strip() and not line.lstrip().startswith("#")}
    return lines


def units() -> set[str]:
    names = {p.name for p in (DEPLOY / "systemd").iterdir()}
    out = {n for n in names if "@." not in n} | {n.removesuffix(".service") for n in names if n.endswith(".service")}
    for template in (n for n in names if "@." in n):
        for role in ("web", "worker"):
            assert (DEPLOY / f"{role}.env").exists()
            out |= {template.replace("@.", f"@{role}."), template.replace("@.service", f"@{role}")}
    return out | {"nginx"}


def ports() -> set[str]:
    return {dict(unit_lines(DEPLOY / f"{role}.env"))["PORT"] for role in ("web", "worker")}


def check(line: str) -> None:
    argv = shlex.split(line)
    if argv[:2] == ["sudo", "-u"]:
        argv = argv[3:]
    head = argv[0]
    if head == "deploy/bot":
        cli_accepts(argv[1:])
    elif "/" in head:
        script = ROOT / head
        assert script.is_file() and script.stat().st_mode & 0o111, f"{head} is not a script in the repository"
        if head == "deploy/restore.sh":
            assert argv[-1].startswith("/var/backups/patient-voice/patient-voice-") and argv[-1].endswith(".dump")
    elif head == "make":
        assert re.search(rf"^{argv[1]}:", (ROOT / "Makefile").read_text(), re.M), line
    elif head == "systemctl":
        assert argv[1] in {"start", "stop", "restart", "reload", "enable", "status"}, line
        unknown = {a for a in argv[2:] if not a.startswith("--")} - units()
        assert not unknown, f"{line}: {unknown} are not units deploy/ defines"
    elif head == "nginx":
        assert argv == ["nginx", "-t"]  # tests/deploy/test_nginx.py runs it on the shipped site
    elif head == "curl":
        url = argv[-1]
        match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/(healthz|metrics)", url)
        assert match and match[1] in ports(), f"{url}: not an instance's port and route"
    else:
        assert " ".join(argv) in script_lines(), f"{line!r}: neither a script nor a line a deploy/ script runs"


def test_doc_has_commands() -> None:
    assert len(commands()) >= 10


@pytest.mark.parametrize("line", commands())
def test_every_command_is_one_the_project_runs(line: str) -> None:
    check(line)


@pytest.mark.parametrize("line", ["deploy/bot db migrate", "deploy/backups.sh", "systemctl restart patient-voice",
                                  "curl http://127.0.0.1:8080/healthz", "pg_dump patient_voice > x.sql"])
def test_the_check_refuses_what_is_not(line: str) -> None:
    with pytest.raises(AssertionError):
        check(line)


def test_metrics_named_are_exported() -> None:
    """Every pv_* name the doc mentions is served at /metrics; every family the service exports is explained."""
    exported = set()
    for family in Metrics().registry.collect():
        exported |= {sample.name for sample in family.samples} | {family.name}
        if family.type == "counter":  # a labelled counter has no sample until first counted
            exported.add(f"{family.name}_total")
    named = set(re.findall(r"\bpv_[a-z_]+", DOC.read_text()))
    assert named <= exported, named - exported
    families = {f.name for f in Metrics().registry.collect()}
    missing = {f for f in families if not any(n.startswith(f) for n in named)}
    assert not missing, missing
