"""Prometheus metrics, one registry per app so several app instances can live in one process (tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.inbound = Counter("pv_inbound_events", "Webhook events accepted", ["channel", "result"], registry=r)
        self.handled = Counter("pv_events_handled", "Inbound events processed", ["channel", "result"], registry=r)
        self.outbound = Counter("pv_outbound_messages", "Outbox deliveries", ["channel", "result"], registry=r)
        self.ack_seconds = Histogram(
            "pv_webhook_ack_seconds", "Time from request to 200", ["channel"], registry=r,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0),
        )
        self.backlog = Gauge("pv_backlog", "Rows waiting", ["queue"], registry=r)
        self.up = Gauge("pv_database_up", "1 when the database answers", registry=r)
        self.purge = Counter("pv_purge_runs", "Nightly retention purges (PDPA)", ["result"], registry=r)
        self.purge_last_success = Gauge("pv_purge_last_success_timestamp_seconds",
                                        "When the last nightly purge succeeded (Unix time)", registry=r)
        self._children: dict[tuple[str, ...], Any] = {}

    def count_inbound(self, channel: str, result: str, n: int = 1) -> None:
        """`inbound.labels(channel, result).inc(n)` on the webhook's hot path: `labels` builds and checks the
        label tuple on every call (tens of µs per webhook); the children are kept here instead."""
        key = ("inbound", channel, result)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self.inbound.labels(channel, result)
        child.inc(n)

    def count_outbound(self, channel: str, result: str, n: int = 1) -> None:
        """`outbound.labels(channel, result).inc(n)`, its child kept (the sender counts every message it sends)."""
        key = ("outbound", channel, result)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self.outbound.labels(channel, result)
        child.inc(n)

    def observe_ack(self, channel: str, seconds: float) -> None:
        key = ("ack", channel)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self.ack_seconds.labels(channel)
        child.observe(seconds)
