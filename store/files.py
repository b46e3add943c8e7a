"""Owner-only files and directories: the database and the media people send are health data (PDPA), and a
checkout's defaults (umask 022) would leave them readable by every account on the machine."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> None:
    """Create `path` and any missing parents owner-only (0700); directories that exist are left alone (they
    may be shared ones such as /tmp)."""
    missing: list[Path] = []
    for directory in (path, *path.parents):
        if directory.exists():
            break
        missing.append(directory)
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue
        os.chmod(directory, PRIVATE_DIR)  # mkdir's mode is masked by the umask; say it exactly


def private_database(path: Path) -> None:
    """Before SQLite opens `path`: its directory exists (0700 when created here) and the file is owner-only.
    SQLite gives its -wal and -shm files the database file's permissions."""
    private_dir(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    os.close(fd)
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if name.stat().st_mode & 0o077:
                os.chmod(name, PRIVATE_FILE)
