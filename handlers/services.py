"""What handlers may use, built once per service instance and passed to every turn."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from handlers.catalogue import Catalogue
from store.types import utcnow

if TYPE_CHECKING:
    from bot.settings import Settings
    from store.db import SessionFactory

Clock = Callable[[], datetime]


@dataclass
class Services:
    settings: Settings
    sessions: SessionFactory
    catalogue: Catalogue
    clock: Clock = utcnow  # tests pass a movable clock
    _analyzer: Any = field(default=None, repr=False)

    async def analyzer(self) -> Any:
        """The NLP analyser, loaded once (dictionary, lexicon and models: CPU-bound, off the event loop)."""
        if self._analyzer is None:
            from nlp import get_analyzer

            self._analyzer = await asyncio.to_thread(get_analyzer, self.settings.config_dir)
        return self._analyzer

    async def analyse(self, text: str, ratings: list[int] | None = None, question: str | None = None) -> Any:
        """NLP tags for a text; tokenising is CPU-bound, so it runs off the event loop. ``question`` is what the
        text answers (nlp.analyzer.QUESTIONS: a survey free-text question, complaint, compliment, incident)."""
        return await asyncio.to_thread((await self.analyzer()).analyse, text, ratings, question)
