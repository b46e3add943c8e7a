"""Alembic environment: runs on the connection the service hands it (see store.db.upgrade)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlmodel import SQLModel

import store.models  # noqa: F401 - registers every table on SQLModel.metadata
from store.types import UTCDateTime

target_metadata = SQLModel.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our UTC column type by its import path so migrations stay importable."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("import store.types")
        return "store.types.UTCDateTime()"
    return False


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through `python -m bot db upgrade` (store.db.upgrade)")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_item=render_item,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
