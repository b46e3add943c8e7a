"""Patient flows and committee commands, channel-neutral. All wiring happens in `build_router`."""

from __future__ import annotations

from handlers.router import Router


def build_router() -> Router:
    """Every flow's registrations, in one place."""
    from handlers import menu

    root = Router("root")
    for module in (menu,):
        root.include(module.router)
    return root
