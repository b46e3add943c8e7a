"""Handler registry: each flow module owns a `Router`; `handlers.build_router` wires them all in one place.

Routing order for one inbound event (see `Dispatcher.route`):
1. platform events (follow, join, …) by kind;
2. the cancel word / cancel button, at every step;
3. slash commands (`/queue`, `/queue@Bot`), by name;
4. button payloads, by prefix (`survey:` …);
5. the handler of the conversation's current state;
6. the fallback (free text outside a flow).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from handlers.messages import EventKind

if TYPE_CHECKING:
    from handlers.turn import Turn

Handler = Callable[["Turn"], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    roles: frozenset[str] | None  # None: anyone, including patients
    help_key: str | None = None


@dataclass
class Router:
    """Registrations of one flow module; `include` merges another router into this one."""

    name: str = "root"
    events: dict[EventKind, Handler] = field(default_factory=dict)
    commands: dict[str, Command] = field(default_factory=dict)
    payloads: dict[str, Handler] = field(default_factory=dict)
    states: dict[str, Handler] = field(default_factory=dict)
    media_states: set[str] = field(default_factory=set)  # steps that take photos and files
    fallback_handler: Handler | None = None
    idle_handlers: dict[str, Handler] = field(default_factory=dict)  # by flow ("survey"): what idle does

    def idle(self, flow: str) -> Callable[[Handler], Handler]:
        """Handle the idle time-out of states `flow.*` (default: end the flow politely)."""
        return self._register(self.idle_handlers, flow, f"idle {flow}")

    def event(self, kind: EventKind) -> Callable[[Handler], Handler]:
        return self._register(self.events, kind, f"event {kind}")

    def payload(self, prefix: str) -> Callable[[Handler], Handler]:
        """Handle button payloads equal to `prefix` or starting with `prefix:`."""
        return self._register(self.payloads, prefix, f"payload {prefix}")

    def state(self, name: str, *, media: bool = False) -> Callable[[Handler], Handler]:
        """The handler of a conversation step; `media=True`: photos and files sent at this step are fetched
        and kept (elsewhere they are never downloaded)."""
        if media:
            self.media_states.add(name)
        return self._register(self.states, name, f"state {name}")

    def command(
        self, name: str, *, roles: set[str] | None = None, help_key: str | None = None
    ) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            if name in self.commands:
                raise ValueError(f"command /{name} registered twice")
            self.commands[name] = Command(name, fn, frozenset(roles) if roles else None, help_key)
            return fn

        return deco

    def fallback(self, fn: Handler) -> Handler:
        if self.fallback_handler is not None:
            raise ValueError("fallback registered twice")
        self.fallback_handler = fn
        return fn

    def include(self, other: Router) -> None:
        _merge(self.events, other.events, f"{other.name}: event")
        _merge(self.payloads, other.payloads, f"{other.name}: payload")
        _merge(self.states, other.states, f"{other.name}: state")
        _merge(self.commands, other.commands, f"{other.name}: command")
        _merge(self.idle_handlers, other.idle_handlers, f"{other.name}: idle")
        self.media_states |= other.media_states
        if other.fallback_handler is not None:
            if self.fallback_handler is not None:
                raise ValueError(f"{other.name}: fallback already registered")
            self.fallback_handler = other.fallback_handler

    def find_payload(self, payload: str) -> Handler | None:
        prefix = payload.split(":", 1)[0]
        return self.payloads.get(payload) or self.payloads.get(prefix)

    def _register(self, table: dict[Any, Handler], key: object, what: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            if key in table:
                raise ValueError(f"{self.name}: {what} registered twice")
            table[key] = fn
            return fn

        return deco


def _merge(mine: dict[Any, Any], theirs: dict[Any, Any], what: str) -> None:
    clash = mine.keys() & theirs.keys()
    if clash:
        raise ValueError(f"{what} already registered: {sorted(map(str, clash))}")
    mine.update(theirs)
