"""Handler registry: each flow module owns a `Router`; `handlers.wiring.build_router` wires them all.

Routing order for one inbound event (see `Dispatcher.route`):
1. platform events (follow, join, …) by kind;
2. the cancel word / cancel button, at every step;
3. slash commands (`/queue`, `/queue@Bot`), by name — the role a command is registered with is checked first;
4. button payloads, by `prefix:action` or prefix (`survey:` …) — one registered `private=True` is refused in a
   group chat;
5. the handler of the conversation's current state — a state registered with `privacy=` first answers the
   privacy words (ถอนความยินยอม, ข้อมูลส่วนบุคคล, ขอสำเนาข้อมูล …) typed at it;
6. the fallback (free text outside a flow).

The filters are declared where a handler is registered and applied by the dispatcher, so no handler
calls the group guard or the privacy words by hand.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from handlers.messages import EventKind

if TYPE_CHECKING:
    from handlers.turn import Turn

Handler = Callable[["Turn"], Awaitable[None]]
Entry = Callable[..., Awaitable[Any]]  # (turn, *args): a flow's entry point others hand over to
Reprompt = Callable[["Turn"], None]  # asks the step's question again after the privacy words were answered


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
    private_payloads: set[str] = field(default_factory=set)  # patient flows: 1:1 chats only
    privacy_states: dict[str, Reprompt | None] = field(default_factory=dict)  # answer privacy words first
    fallback_handler: Handler | None = None
    idle_handlers: dict[str, Handler] = field(default_factory=dict)  # by flow ("survey"): what idle does
    entries: dict[str, Entry] = field(default_factory=dict)  # `turn.start(name)`: one flow hands over to another
    # events whose handler always reads the sender's patient row (`turn.patient()`): the inbox worker creates
    # the missing ones of a batch together beforehand (bot/pipeline.py `_known`)
    patient_events: set[EventKind] = field(default_factory=set)

    def idle(self, flow: str) -> Callable[[Handler], Handler]:
        """Handle the idle time-out of states `flow.*` (default: end the flow politely)."""
        return self._register(self.idle_handlers, flow, f"idle {flow}")

    def entry(self, name: str) -> Callable[[Entry], Entry]:
        """A flow's entry point by name ("survey", "complaint:offer", "track:case"): another flow hands over
        with `await turn.start(name, …)` instead of importing this module."""
        def deco(fn: Entry) -> Entry:
            if name in self.entries:
                raise ValueError(f"{self.name}: entry {name} registered twice")
            self.entries[name] = fn
            return fn

        return deco

    def event(self, kind: EventKind, *, patient: bool = False) -> Callable[[Handler], Handler]:
        """Handle platform events of `kind`; `patient=True` declares that the handler always reads the sender's
        patient row (created on first use), so a batch of them can be given theirs in one statement."""
        if patient:
            self.patient_events.add(kind)
        return self._register(self.events, kind, f"event {kind}")

    def payload(self, prefix: str, *, private: bool = False) -> Callable[[Handler], Handler]:
        """Handle button payloads equal to `prefix` or starting with `prefix:`; a `prefix:action` registration
        ("complaint:offer") takes that action's payloads before its prefix's handler. `private=True`: a patient
        flow, answered only in a 1:1 chat (in a group it would show a patient's answers to everyone)."""
        if private:
            self.private_payloads.add(prefix)
        return self._register(self.payloads, prefix, f"payload {prefix}")

    def state(
        self, name: str, *more: str, media: bool = False, privacy: bool | Reprompt = False
    ) -> Callable[[Handler], Handler]:
        """The handler of a conversation step (or of several steps, named together); `media=True`: photos and
        files sent at this step are fetched and kept (elsewhere they are never downloaded); `privacy`: the
        privacy words typed at this step are answered instead (then the `privacy` callable, if one is given,
        asks the step's question again)."""
        names = (name, *more)
        for one in names:
            if media:
                self.media_states.add(one)
            if privacy:
                self.privacy_states[one] = privacy if callable(privacy) else None

        def deco(fn: Handler) -> Handler:
            for one in names:
                self._register(self.states, one, f"state {one}")(fn)
            return fn

        return deco

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
        _merge(self.entries, other.entries, f"{other.name}: entry")
        self.media_states |= other.media_states
        self.private_payloads |= other.private_payloads
        self.patient_events |= other.patient_events
        _merge(self.privacy_states, other.privacy_states, f"{other.name}: privacy state")
        if other.fallback_handler is not None:
            if self.fallback_handler is not None:
                raise ValueError(f"{other.name}: fallback already registered")
            self.fallback_handler = other.fallback_handler

    def find_payload(self, payload: str) -> tuple[str, Handler] | None:
        """(the registered key, its handler) for a button payload, or None: the whole payload, then its
        `prefix:action`, then its prefix."""
        parts = payload.split(":", 2)
        for key in (payload, ":".join(parts[:2]), parts[0]):
            if key in self.payloads:
                return key, self.payloads[key]
        return None

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
