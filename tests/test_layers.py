"""The layers stay the right way up: every import in store/, nlp/ and handlers/ (top level, inside a function
or under TYPE_CHECKING alike) is read from the source with `ast`, and none may reach a layer above.

    nlp        the Thai NLP: imports none of the service
    store      the database, the hospital's data files, the message types: may use nlp, never handlers or bot
    handlers   the conversations: may use store and nlp, never bot (the app, the transports, the dashboard)
    bot        the app around them: may use everything

A failure names the file, the line and the import, so the fix (pass it down through `Services`, or move the
piece into the lower layer) is easy to find.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "nlp": ("store", "handlers", "bot"),
    "store": ("handlers", "bot"),
    "handlers": ("bot",),
}


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, module) for every import statement in the file; relative imports resolved to the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def violations(layer: str) -> list[str]:
    out = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, module in imported_modules(path):
            top = module.split(".", 1)[0]
            if top in FORBIDDEN[layer]:
                out.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return out


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_one_above_it(layer: str) -> None:
    assert violations(layer) == []


def test_the_walk_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The checker itself: a top-level, a function-level, a TYPE_CHECKING and a relative import are all seen."""
    sample = ROOT / "handlers" / "services.py"
    lines = [m for _, m in imported_modules(sample)]
    assert "handlers.catalogue" in lines and "store.db" in lines  # top level and TYPE_CHECKING
    assert "nlp" in lines
    (tmp_path / "handlers").mkdir()
    fake = tmp_path / "handlers" / "x.py"
    fake.write_text("if True:\n    import bot.app\n\ndef f():\n    from ..bot import keys\n    from .menu import m\n",
                    encoding="utf-8")
    assert imported_modules(fake, tmp_path) == [(2, "bot.app"), (5, "bot"), (6, "handlers.menu")]


def function_level_imports(path: Path, root: Path = ROOT) -> list[str]:
    """Every import statement inside a function or method of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(func):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = node.module if isinstance(node, ast.ImportFrom) else ", ".join(a.name for a in node.names)
                    found.append(f"{path.relative_to(root)}:{node.lineno} {func.name} imports {names}")
    return found


def test_no_handler_imports_inside_a_function() -> None:
    """No import in handlers/ sits inside a function, to dodge an import cycle or otherwise: flows hand over
    through `turn.start(entry)` and share helpers from flowkit, the wiring (`handlers.wiring.build_router`)
    imports every flow at the top, and the NLP is imported where it is used."""
    found = [hit for path in sorted((ROOT / "handlers").rglob("*.py")) for hit in function_level_imports(path)]
    assert found == []


def test_the_function_level_walk_sees_them(tmp_path: Path) -> None:
    (tmp_path / "handlers").mkdir()
    fake = tmp_path / "handlers" / "x.py"
    fake.write_text("import os\n\nclass A:\n    async def m(self):\n        import json\n\n"
                    "def f():\n    def g():\n        from handlers import menu\n", encoding="utf-8")
    assert sorted(function_level_imports(fake, tmp_path)) == [
        "handlers/x.py:5 m imports json", "handlers/x.py:9 f imports handlers", "handlers/x.py:9 g imports handlers"]
