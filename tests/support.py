"""Helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import SessionFactory

if TYPE_CHECKING:
    from nlp import Analyzer
    from nlp.analyzer import Analysis

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"


class MovableClock:
    """A clock tests move by hand; handlers and workers read time only through it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class Store:
    """A migrated, empty database for one test."""

    kind: str
    url: str
    engine: AsyncEngine
    sessions: SessionFactory
    schema: str | None = None


def incident(analyzer: Analyzer, text: str) -> Analysis:
    """A staff incident report's analysis (the question the NLP tests of incident rules ask)."""
    return analyzer.analyse(text, question="incident")


def codes(analysis: Analysis) -> list[str]:
    """An analysis's topic codes, in the analyser's order."""
    return [t.code for t in analysis.topics]
