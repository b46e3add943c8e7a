"""Per-sender rate limit of the inbox: a token bucket per (channel, user), refilled on the events' own
arrival times (`inbound_events.received_at`), so a backlog handled late is judged by when it was sent.

Within a burst every event is handled; beyond it an event is acknowledged but not processed (no complaint
text, no NLP), and the sender hears once that they should slow down; the next event handled after the
bucket refills starts a new episode. Buckets live in the worker's memory: each instance limits what it
handles, and a restart forgives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_SENDERS = 10_000  # buckets kept before full (idle) ones are dropped


@dataclass
class Bucket:
    tokens: float
    at: datetime
    told: bool = False  # asked to slow down in this episode


class SenderLimits:
    def __init__(self, *, burst: int, per_minute: float) -> None:
        self.burst = burst
        self.per_second = per_minute / 60
        self._buckets: dict[tuple[str, str], Bucket] = {}

    def take(self, channel: str, user: str, at: datetime) -> str:
        """"ok" to handle the event; "tell" to refuse it and ask the sender to slow down; "drop" to refuse it
        quietly (already asked)."""
        key = (channel, user)
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_SENDERS:
                self._forget_idle(at)
            bucket = self._buckets[key] = Bucket(float(self.burst), at)
        elapsed = max(0.0, (at - bucket.at).total_seconds())
        bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.per_second)
        bucket.at = max(bucket.at, at)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.told = False
            return "ok"
        if bucket.told:
            return "drop"
        bucket.told = True
        return "tell"

    def _forget_idle(self, now: datetime) -> None:
        refill = self.burst / self.per_second
        for key, bucket in list(self._buckets.items()):
            if (now - bucket.at).total_seconds() >= refill:
                del self._buckets[key]
