"""Small helpers for the channel tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlmodel import select

from bot.channels import WORKERS
from handlers.messages import Inbound
from store.models import InboundEvent, MediaFile, OutboundMessage
from tests.fakes.harness import Service

T = TypeVar("T")


async def wait_until(check: Callable[[], Awaitable[T]], timeout: float = 10.0) -> T:
    """Poll `check` until it returns something truthy (no fixed sleeps)."""
    async def loop() -> T:
        while True:
            value = await check()
            if value:
                return value
            await asyncio.sleep(0.02)

    return await asyncio.wait_for(loop(), timeout)


async def inbox(svc: Service) -> list[InboundEvent]:
    async with svc.sessions() as session:
        return list((await session.exec(select(InboundEvent).order_by(InboundEvent.id))).all())  # type: ignore[arg-type]


async def outbox(svc: Service) -> list[OutboundMessage]:
    async with svc.sessions() as session:
        return list((await session.exec(select(OutboundMessage).order_by(OutboundMessage.id))).all())  # type: ignore[arg-type]


async def media(svc: Service) -> list[MediaFile]:
    async with svc.sessions() as session:
        return list((await session.exec(select(MediaFile))).all())


async def line_complaint_step(svc: Service, user: str) -> None:
    """Bring a LINE user to the complaint's text step, where photos and files are taken."""
    await svc.line_follow(user)
    await svc.line_postback(user, "consent:yes")
    await svc.line_postback(user, "complaint")
    await svc.settle()


async def telegram_complaint_step(svc: Service, user: int) -> None:
    """Bring a Telegram user to the complaint's text step, where photos and files are taken."""
    await svc.telegram_text(user, "/start")
    await svc.telegram_callback(user, "consent:yes")
    await svc.telegram_callback(user, "complaint")
    await svc.settle()


def capture_inbound(svc: Service) -> list[Inbound]:
    """Record every Inbound the dispatcher is given (the handlers' view of an event)."""
    seen: list[Inbound] = []
    dispatcher = svc.app[WORKERS].inbox_worker.dispatcher
    original = dispatcher.handle

    async def handle(inbound: Inbound, **kwargs: Any) -> Any:
        seen.append(inbound)
        return await original(inbound, **kwargs)

    dispatcher.handle = handle  # type: ignore[method-assign]
    return seen
