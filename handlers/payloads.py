"""The button-payload grammar: `prefix:action:arg:arg…` ("survey:s:3:5", "case:sev:2570-0042:E", "rate:2570-0042:4").
The router picks the handler by `prefix`; the handler reads `turn.payload.action` and `.args` instead of
splitting the string itself. `pack` builds one and refuses what a platform would refuse: Telegram's
callback_data holds 64 bytes (LINE's postback 300), so every payload stays within 64 bytes — checked when the
button is built, not when the platform answers 400.

Payload strings are a promise: a button sent weeks ago in a patient's chat comes back as it was, so a builder
may change how it makes a payload, never the string it makes (tests/handlers/test_payload_formats.py).
"""

from __future__ import annotations

from dataclasses import dataclass

LINE_MAX_BYTES = 300  # LINE postback data
TELEGRAM_MAX_BYTES = 64  # Telegram callback_data
MAX_BYTES = min(LINE_MAX_BYTES, TELEGRAM_MAX_BYTES)  # one payload serves both
SEPARATOR = ":"


@dataclass(frozen=True, slots=True)
class Payload:
    prefix: str
    action: str = ""
    args: tuple[str, ...] = ()

    @classmethod
    def parse(cls, data: str | None) -> Payload:
        head, *rest = (data or "").split(SEPARATOR)
        return cls(head, rest[0] if rest else "", tuple(rest[1:]))

    def arg(self, index: int, default: str = "") -> str:
        return self.args[index] if index < len(self.args) else default

    @property
    def rest(self) -> str:
        """Everything after the prefix ("withdraw:yes" of "privacy:withdraw:yes")."""
        return SEPARATOR.join([self.action, *self.args]) if self.action or self.args else ""

    def pack(self) -> str:
        return pack(self.prefix, self.action, *self.args)


def pack(prefix: str, action: str = "", *args: str) -> str:
    """"survey:s:3:5" from ("survey", "s", "3", "5"); ValueError past 64 bytes or with a separator inside."""
    parts = [prefix, *([action] if action or args else []), *args]
    if any(SEPARATOR in p for p in parts):
        raise ValueError(f"a payload part holds {SEPARATOR!r}: {parts!r}")
    text = SEPARATOR.join(parts)
    if len(text.encode()) > MAX_BYTES:
        raise ValueError(f"payload over {MAX_BYTES} bytes: {text!r}")
    return text


def extend(payload: str, *more: str) -> str:
    """A packed payload with more arguments: ("survey:s:3", "5") → "survey:s:3:5"; the same checks as `pack`."""
    head = Payload.parse(payload)
    return pack(head.prefix, head.action, *head.args, *more)
