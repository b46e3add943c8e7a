"""How the service words the pings the store decides to send: a due reminder (`store.reminders.Ping`)
becomes a message with the buttons of the committee's payload grammar (`case:ack:N`, `case:view:N`,
handled by handlers/committee/buttons.py). The store says who is due what and when; this module says it in Thai."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from handlers.messages import Button, Outbound
from handlers.payloads import pack
from store.periods import thai_date
from store.reminders import Ping, Render


class Texts(Protocol):
    def __call__(self, key: str, **values: object) -> str: ...


def reminder_message(texts: Texts, ping: Ping) -> Outbound:
    """The ping: what is due, by when, and buttons to acknowledge or open the case."""
    values: dict[str, object] = {
        "number": ping.number,
        "severity": ping.severity or "-",
        "unit": ping.unit or "-",
        "due": thai_date(ping.due_at),
        "created": thai_date(ping.created_at),
    }
    return Outbound(
        texts(f"reminder.{ping.kind}", **values),
        buttons=(Button(texts("reminder.button_ack"), pack("case", "ack", ping.number)),
                 Button(texts("reminder.button_view"), pack("case", "view", ping.number))),
    )


def reminder_renderer(texts: Texts) -> Render:
    """What the reminder sweep calls for each due reminder (`store.reminders.sweep(render=…)`)."""
    render: Callable[[Ping], Outbound] = lambda ping: reminder_message(texts, ping)  # noqa: E731
    return render
