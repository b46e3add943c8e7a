"""docs/flows/ keeps up with the code: every catalogue key, state, setting, constant, code path, file, command
and button a page names exists, and every conversation state the handlers register is on some page. Cheap
checks that fail the day a key is renamed or a state added without its page (issue 20: "docs/flows/ shows the
flows as they now are")."""

from __future__ import annotations

import importlib
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest

from bot.cli import COMMANDS as CLI_COMMANDS
from bot.settings import Settings
from handlers import build_router, consent, flowkit, menu, wiring
from handlers.catalogue import Catalogue
from handlers.router import Router
from handlers.states import ALL_STATES

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "docs" / "flows").glob("*.md"))
FENCE = re.compile(r"```.*?```", re.S)
INLINE = re.compile(r"`([^`\n]+)`")
DOTTED = re.compile(r"^[A-Za-z_]\w*(\.\w+)+$")
CONSTANT = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$")
STATE_DECL = re.compile(r'state "([a-z_]+\.[a-z_]+)" as')
TRANSITION = re.compile(r"-->\s*[\w\[\]*]+\s*:\s*(.+)$", re.M)
THAI_ONLY = re.compile(r"^[\u0e00-\u0e7f/ ]+$")
FOLDERS = frozenset({"config", "handlers", "bot", "store", "docs", "nlp"})  # "config/…" is a file path
FILE_SUFFIXES = (".py", ".toml", ".md", ".csv", ".jsonl")
DASHBOARD_ROUTES = (ROOT / "bot" / "dashboard" / "__init__.py").read_text(encoding="utf-8")
PYTHON_HOMES = ("", "handlers.", "store.", "bot.", "store.models.", "handlers.dispatch.", "handlers.turn.",
                "handlers.services.", "handlers.catalogue.")


@cache
def router() -> Router:
    return build_router()


@cache
def catalogue() -> Catalogue:
    return Catalogue.load()


def states() -> set[str]:
    return {str(s) for s in router().states} | {str(s) for states_ in ALL_STATES for s in states_}


def _resolves(name: str) -> bool:
    """`name` is a Python object reachable from one of the project's packages (module, class, attribute)."""
    for home in PYTHON_HOMES:
        parts = (home + name).split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj: object = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            try:
                for attr in parts[cut:]:
                    obj = getattr(obj, attr)
            except AttributeError:
                break
            return True
    return False


def _constant_exists(name: str) -> bool:
    if name.lower() in Settings.model_fields:
        return True
    modules = [".".join(m.relative_to(ROOT).with_suffix("").parts) for m in (ROOT / "handlers").rglob("*.py")]
    return any(hasattr(importlib.import_module(m.removesuffix(".__init__")), name) for m in modules)


def _file_exists(name: str) -> bool:
    if "<" in name:
        return True  # a pattern such as handlers/<flow>.py
    path = name.split(":")[0]
    return (ROOT / path).exists() or any(ROOT.glob(f"**/{Path(path).name}"))


def _labels() -> set[str]:
    """What a patient or nurse can press or type as a word: button labels, service types and control words."""
    labels = {catalogue()(k) for k in catalogue().messages if k.startswith("button.")}
    with (ROOT / "config" / "survey.toml").open("rb") as fh:
        labels |= {str(s.get("label", "")) for s in tomllib.load(fh).get("service_type", [])}
    labels |= set(menu.MENU_WORDS) | consent.WITHDRAW_WORDS | consent.PRIVACY_WORDS | set(consent.REQUEST_WORDS)
    labels |= {w for name in dir(flowkit) if name.endswith("_WORDS") for w in getattr(flowkit, name)
               if isinstance(w, str)}
    return labels


def _problems(doc: Path) -> list[str]:
    text = doc.read_text(encoding="utf-8")
    prose = FENCE.sub("", text)
    bad: list[str] = []
    for span in INLINE.findall(prose):
        if span.startswith("/dashboard/"):  # a page of the dashboard: one of its routes
            if f'"{span.split("/N")[0]}' not in DASHBOARD_ROUTES:
                bad.append(f"dashboard page {span}")
            continue
        if span.startswith("/"):
            if span[1:].split()[0] not in router().commands:
                bad.append(f"command {span}")
            continue
        if span.startswith("python -m bot "):
            if span.split()[3] not in CLI_COMMANDS:
                bad.append(f"CLI command {span}")
            continue
        for piece in re.split(r"[\s|,=()]+", span):
            piece = piece.strip(".:;")
            if not piece:
                continue
            if piece.endswith(FILE_SUFFIXES) or piece.split("/")[0] in FOLDERS:
                if not _file_exists(piece):
                    bad.append(f"file {piece}")
            elif CONSTANT.match(piece):
                if not _constant_exists(piece):
                    bad.append(f"setting or constant {piece}")
            elif DOTTED.match(piece):
                if not (catalogue().has(piece) or piece in states() or _resolves(piece)):
                    bad.append(f"catalogue key, state or code {piece}")
    for name in STATE_DECL.findall(text):
        if name not in states():
            bad.append(f"state {name}")
    known = _labels()
    for label in TRANSITION.findall(text):
        for piece in re.split(r" / |→|;|,| or ", re.sub(r"\([^)]*\)", "", label)):
            piece = piece.strip().strip('"“”')
            if piece.startswith("/"):
                if piece[1:].split()[0] not in router().commands:
                    bad.append(f"command {piece}")
            elif piece and THAI_ONLY.match(piece) and not any(k == piece or k.startswith(piece) for k in known):
                bad.append(f"button or word {piece!r}")
    return bad


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_every_name_a_flow_page_uses_exists(doc: Path) -> None:
    assert _problems(doc) == []


def test_every_conversation_state_has_its_page() -> None:
    written = "\n".join(d.read_text(encoding="utf-8") for d in DOCS)
    assert sorted(s for s in states() if s not in written) == []


# the page that draws each flow module's steps (default: the module's own name)
FLOW_PAGES = {"committee": "staff.md", "drafts": "complaint.md"}


def _drawn(doc: Path) -> set[str]:
    """The states a page's diagrams declare (`state "complaint.text" as text`)."""
    return set(STATE_DECL.findall(doc.read_text(encoding="utf-8")))


def _flow_modules() -> list[object]:
    return [m for m in vars(wiring).values() if isinstance(getattr(m, "router", None), Router)]


@pytest.mark.parametrize("module", _flow_modules(), ids=lambda m: m.__name__)  # type: ignore[attr-defined]
def test_each_flow_page_draws_the_states_its_module_registers(module: object) -> None:
    """Each flow's own page has a diagram with every step its module registers, and no step of that flow
    that is not registered (a diagram left behind by a rename or a removed step)."""
    name = module.__name__.rsplit(".", 1)[-1]  # type: ignore[attr-defined]
    registered = {str(s) for s in module.router.states}  # type: ignore[attr-defined]
    if not registered:
        return
    page = ROOT / "docs" / "flows" / FLOW_PAGES.get(name, f"{name}.md")
    drawn = _drawn(page)
    assert sorted(registered - drawn) == [], f"{page.name} does not draw these steps of {name}"
    flows = {s.split(".")[0] for s in registered}
    assert sorted(s for s in drawn if s.split(".")[0] in flows and s not in states()) == []


def test_every_flow_module_is_checked() -> None:
    """The check above walks the wiring, so a new flow module is checked the day it is wired in."""
    names = {m.__name__.rsplit(".", 1)[-1] for m in _flow_modules()}  # type: ignore[attr-defined]
    assert {"complaint", "compliment", "consent", "survey", "drafts", "committee"} <= names
    assert all((ROOT / "docs" / "flows" / page).exists() for page in FLOW_PAGES.values())


def test_the_checks_catch_drift(tmp_path: Path) -> None:
    """A renamed key, an unknown state, a command, a setting and a button that do not exist are all caught."""
    page = tmp_path / "drift.md"
    page.write_text(
        "Sends `complaint.recieved` after `store.cases.open_the_case`, set by `CONVERSATION_IDLE_HOURS`, see "
        "`config/units.tom`; staff type `/resolv N` or open `/dashboard/cases/N`.\n"
        "```mermaid\nstateDiagram-v2\n    state \"complaint.txt\" as t\n    [*] --> t: ส่งเรื่องเลย / ถัดไป\n```\n",
        encoding="utf-8")
    assert _problems(page) == [
        "catalogue key, state or code complaint.recieved", "catalogue key, state or code store.cases.open_the_case",
        "setting or constant CONVERSATION_IDLE_HOURS", "file config/units.tom", "command /resolv N",
        "dashboard page /dashboard/cases/N",
        "state complaint.txt", "button or word 'ส่งเรื่องเลย'",
    ]
