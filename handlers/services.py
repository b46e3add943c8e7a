"""What handlers may use, built once per service instance and passed to every turn."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from handlers.catalogue import Catalogue
from nlp import get_analyzer
from store.types import utcnow

if TYPE_CHECKING:
    from handlers.hospital import HospitalConfig
    from store.db import SessionFactory

Clock = Callable[[], datetime]


class HandlerSettings(Protocol):
    """The settings handlers read (bot.settings.Settings has them; handlers do not import the app above)."""

    @property
    def config_dir(self) -> Path: ...
    @property
    def media_dir(self) -> Path: ...
    @property
    def hospital_name(self) -> str: ...
    @property
    def bot_particle(self) -> str: ...
    @property
    def public_base_url(self) -> str: ...
    @property
    def conversation_idle_minutes(self) -> int: ...
    @property
    def retention_days(self) -> int: ...
    @property
    def draft_keep_days(self) -> int: ...
    @property
    def line_bot_basic_id(self) -> str: ...
    @property
    def telegram_bot_username(self) -> str: ...
    @property
    def media_max_mb(self) -> int: ...


@dataclass(frozen=True)
class ChartRenderer:
    """Draws and keeps chart images; the app passes bot/charts.py's (matplotlib and the Thai font live there)."""

    render_trend: Callable[..., bytes]  # title, months, series, thresholds, subtitle → PNG (CPU-bound)
    save: Callable[[Path, bytes], Path]  # (media dir, PNG) → the file served at /charts/<name>
    unavailable: type[Exception] = RuntimeError  # raised by render_trend when it cannot draw (no Thai font)
    ha_risk: Callable[..., bytes] | None = None  # (t, HaReport) → the risk matrix + top codes PNG (/report-ha)
    ha_run: Callable[..., bytes] | None = None  # (t, HaReport) → indicator 6's run chart PNG


def _load_warm(config_dir: Any) -> Any:
    analyzer = get_analyzer(config_dir)
    analyzer.warm()
    return analyzer


@dataclass
class Services:
    settings: HandlerSettings
    sessions: SessionFactory
    hospital: HospitalConfig  # the hospital's data files, loaded once (handlers/hospital.py)
    clock: Clock = utcnow  # tests pass a movable clock
    charts: ChartRenderer | None = None  # None: /kpi answers without its chart
    _analyzer: Any = field(default=None, repr=False)

    @property
    def catalogue(self) -> Catalogue:
        return self.hospital.catalogue

    async def analyzer(self) -> Any:
        """The NLP analyser, loaded once and warmed (dictionary, lexicon, models and pattern databases: CPU-bound,
        off the event loop; a short text is later analysed in place, so nothing may be left to build then)."""
        if self._analyzer is None:
            self._analyzer = await asyncio.to_thread(_load_warm, self.settings.config_dir)
        return self._analyzer

    async def analyse(self, text: str, ratings: list[int] | None = None, question: str | None = None) -> Any:
        """NLP tags for a text; tokenising is CPU-bound, so it runs off the event loop. ``question`` is what the
        text answers (nlp.analyzer.QUESTIONS: a survey free-text question, complaint, compliment, incident).

        Inside `analyses_first` (the inbox worker's handling: a write transaction, on SQLite the one write
        lock) an analysis of a long text not prepared yet is never run there: `AnalysisNeeded` ends the attempt,
        the worker rolls back, runs the analysis with no transaction open, and handles the event again. A text of
        at most `INLINE_CHARS` (a survey comment, a short complaint line) is analysed in place: about a
        millisecond of CPU, much less than the thread hop and the second transaction."""
        prepared = _PREPARED.get()
        if prepared is None:
            return await self.run_analysis(text, ratings, question)
        key = _key(text, ratings, question)
        if key not in prepared:
            if len(text) <= INLINE_CHARS and self._analyzer is not None:
                # A short text costs the analyser about a millisecond, less than handing it to a thread and
                # handling the event again in a transaction of its own (bench/README.md, issue 18): analysed here.
                prepared[key] = found = self._analyzer.analyse(text, ratings, question)
                return found
            raise AnalysisNeeded(text, ratings, question)
        found = prepared[key]
        if isinstance(found, Exception):
            raise found
        return found

    async def run_analysis(self, text: str, ratings: list[int] | None = None, question: str | None = None) -> Any:
        return await asyncio.to_thread((await self.analyzer()).analyse, text, ratings, question)

    async def prepare(self, needed: AnalysisNeeded) -> None:
        """Run the analysis a handler asked for and keep it (or its failure, which the handler's own guard
        then sees as before) for the next attempt."""
        prepared = _PREPARED.get()
        assert prepared is not None, "prepare() outside analyses_first()"
        key = _key(needed.text, needed.ratings, needed.question)
        try:
            prepared[key] = await self.run_analysis(needed.text, needed.ratings, needed.question)
        except Exception as exc:
            prepared[key] = exc


class AnalysisNeeded(BaseException):
    """A handler asked for an analysis inside the write transaction. A BaseException on purpose: it must pass
    the handlers' `except Exception` guards (which keep a complaint when the NLP fails) up to the worker."""

    def __init__(self, text: str, ratings: list[int] | None, question: str | None = None) -> None:
        super().__init__("analysis needed")
        self.text = text
        self.ratings = ratings
        self.question = question


# Texts up to this long are analysed where a handler asks (≈ 0.7–1 ms of CPU, measured 50–150 characters; 300
# characters already cost 3.5 ms): cheaper than a thread hop plus handling the event again on its own.
INLINE_CHARS = 200

AnalysisKey = tuple[str, tuple[int, ...] | None, str | None]
_PREPARED: ContextVar[dict[AnalysisKey, Any] | None] = ContextVar("prepared_analyses", default=None)


def _key(text: str, ratings: list[int] | None, question: str | None) -> AnalysisKey:
    return text, tuple(ratings) if ratings is not None else None, question


@contextlib.contextmanager
def analyses_first() -> Iterator[None]:
    """Within: `Services.analyse` answers only from analyses prepared beforehand (see there)."""
    token = _PREPARED.set({})
    try:
        yield
    finally:
        _PREPARED.reset(token)
