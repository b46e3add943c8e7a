"""One shape for the service's background loops (the reminder sweeper, the nightly purge): `run_once` every
`poll_seconds` on the app's loop, a failure logged and tried again at the next poll, `start` and `stop` from
the app's cleanup_ctx. Stopping cancels between or inside a pass; an uncommitted pass rolls back and the
next poll does it again."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

log = logging.getLogger(__name__)


class PollingTask:
    """Subclasses set `name` and implement `run_once`; tests call `run_once` with a moved clock."""

    name = "background"

    def __init__(self, *, poll_seconds: float) -> None:
        self.poll_seconds = poll_seconds
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> Any:
        raise NotImplementedError

    async def run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # e.g. the database away: look again at the next poll
                log.exception("%s failed; trying again after the poll interval", self.name)
            await asyncio.sleep(self.poll_seconds)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
