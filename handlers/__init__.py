"""Patient flows and committee commands, channel-neutral. All wiring happens in `handlers.wiring.build_router`
(re-exported here: `from handlers import build_router`)."""

from handlers.wiring import build_router

__all__ = ["build_router"]
