"""The one rule for the hospital's data files (config/*.toml): a file of the same name in CONFIG_DIR replaces
the shipped default; a file CONFIG_DIR lacks is the default. Every loader asks here which file to read
(the message catalogue then merges the hospital's keys over the default's; see handlers/catalogue.py).
A leaf module, so loaders in store/ and handlers/ share it (nlp/topics.py, below the store, applies the
same rule itself).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "config"


def hospital_file(config_dir: Path | None, name: str) -> Path:
    """The hospital's copy of `name` in `config_dir` when there is one, else the shipped default."""
    if config_dir is not None and (Path(config_dir) / name).exists():
        return Path(config_dir) / name
    return DEFAULT_DIR / name


def read_hospital_toml(config_dir: Path | None, name: str, error: type[Exception]) -> tuple[Path, dict[str, Any]]:
    """The file `hospital_file` picks, parsed; a TOML syntax error becomes `error` naming the file."""
    path = hospital_file(config_dir, name)
    try:
        with open(path, "rb") as fh:
            return path, tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {exc}") from exc
