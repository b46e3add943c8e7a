"""Wires the LINE and Telegram channels into the app: webhook routes, SDK clients built inside the
running loop (cleanup_ctx), and the background workers (inbox, outbox sender, Telegram polling)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from linebot.v3 import SignatureValidator
from telegram.error import TelegramError

from bot.ackflow import AckPriority
from bot.inbox_batch import InboxBatcher, direct_insert, pg_ack
from bot.keys import ACKS, BATCHER, DISPATCHER, GATE, LINE, METRICS, SERVICES, TELEGRAM, WORKERS
from bot.line.channel import LineChannel
from bot.line.client import LineClient
from bot.line.webhook import PARSER, line_webhook
from bot.pipeline import Adapter, InboxWorker, Loop, WriteGate, accept_warm_up
from bot.sender import OutboxSender, Transport
from bot.settings import Settings
from bot.telegram.channel import Poller, TelegramChannel, build_bot
from bot.telegram.webhook import telegram_webhook
from store.db import make_engine, make_session_factory

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SEND_TIMEOUT = 10.0  # seconds per platform call before it counts as a timeout (and is retried)


@dataclass
class Workers:
    inbox: Loop
    outbox: Loop
    inbox_worker: InboxWorker
    sender: OutboxSender

    def wake(self) -> None:
        self.inbox.wake()
        self.outbox.wake()


HELD_CONNECTIONS = 2  # per queue (store.db `OneStatement.keep`): the sender's claim or marks, and its progress saves
ACK_WRITERS = 3  # PostgreSQL: webhook batches committing at once (each on its own connection)


async def _off(request: web.Request) -> web.Response:
    raise web.HTTPNotFound(text="channel not configured")


def _acked(handler: Handler) -> Handler:
    """A webhook counted as in flight while it is handled: the workers' steps wait for it (bot/ackflow.py)."""

    async def handle(request: web.Request) -> web.StreamResponse:
        with request.app[ACKS].ack():
            return await handler(request)

    return handle


def _plain(handler: Handler) -> Handler:
    return handler


def install_channels(app: web.Application, settings: Settings, *, workers: bool = True, webhooks: bool = True,
                     telegram_polling: bool = False) -> None:
    """Add the webhook routes and the channels' cleanup_ctx (after the database's)."""
    gate = app[GATE] = WriteGate(enabled=settings.is_sqlite)
    if settings.line_enabled:
        app[PARSER] = SignatureValidator(settings.line_channel_secret.get_secret_value())
    app[ACKS] = AckPriority()  # webhooks before the workers' next step (bot/ackflow.py)
    # Counted in flight only where workers share the process (`serve --role all`): a `--role web` process has no
    # step to hold back, and the count is a context manager and a coroutine more per request.
    acked = _acked if workers else _plain
    app.router.add_post("/webhook/line", acked(line_webhook) if settings.line_enabled else _off)
    app.router.add_post("/webhook/telegram", acked(telegram_webhook) if settings.telegram_enabled else _off)

    async def channels(app: web.Application) -> AsyncIterator[None]:
        ack_engine = None if settings.is_sqlite else make_engine(settings.database_url, pool_size=ACK_WRITERS)
        ack_sessions = make_session_factory(ack_engine) if ack_engine is not None else None
        pg_direct = None if settings.is_sqlite else pg_ack(settings.database_url, ACK_WRITERS)
        if pg_direct is not None and webhooks:
            # every ack connection opened and its statement prepared now, before the port opens, not in the first
            # wave of webhooks (store/pg_direct.py `DirectStatement.open`)
            await pg_direct.open(accept_warm_up(app[SERVICES].clock()))
        app[BATCHER] = InboxBatcher(app[SERVICES], gate, ack_sessions,  # webhooks' group commit
                                    writers=1 if settings.is_sqlite else ACK_WRITERS,
                                    direct=direct_insert(settings.database_url), engine=ack_engine,
                                    pg_direct=pg_direct)
        adapters: dict[str, Adapter] = {}
        transports: dict[str, Transport] = {}
        line_client: LineClient | None = None
        telegram: TelegramChannel | None = None
        if settings.line_enabled:
            line_client = LineClient(settings, timeout=SEND_TIMEOUT)
            app[LINE] = adapters["line"] = transports["line"] = LineChannel(line_client)
        if settings.telegram_enabled:
            bot = build_bot(settings, timeout=SEND_TIMEOUT)
            username = settings.telegram_bot_username
            try:
                await bot.initialize()  # getMe: learns the bot's @username for /cmd@name in groups
                username = username or bot.username
            except TelegramError as exc:
                log.warning("Telegram getMe failed (%s); sending will retry", type(exc).__name__)
            telegram = TelegramChannel(bot, username=username)
            app[TELEGRAM] = adapters["telegram"] = transports["telegram"] = telegram
        tasks: list[asyncio.Task[None]] = []
        loops: list[Loop] = []
        if workers and adapters:
            services = app[SERVICES]
            # The NLP dictionary and models load before the first event, not while webhooks are being acked:
            # loading holds the GIL for about a second, which stalled acks behind it (p99 0.7 s under load).
            await services.analyzer()
            sender = OutboxSender(services=services, transports=transports, metrics=app[METRICS], gate=gate)
            acks = app[ACKS]
            outbox = Loop("outbox", acks.paced(sender.step), settings.worker_poll_seconds)
            inbox_worker = InboxWorker(
                services=services, dispatcher=app[DISPATCHER], adapters=adapters, metrics=app[METRICS],
                media_dir=settings.media_dir, on_outbox=outbox.wake, gate=gate,
            )
            inbox = Loop("inbox", acks.paced(inbox_worker.step), settings.worker_poll_seconds)
            for queue in (inbox_worker, sender):  # claims, marks, saves: connections held, not checked out each
                queue.one_statement.keep = HELD_CONNECTIONS
            app[WORKERS] = Workers(inbox, outbox, inbox_worker, sender)
            loops = [inbox, outbox]
            for loop in loops:
                loop.start()
            if telegram_polling and telegram is not None:
                poller = Poller(telegram.bot, services, on_new=inbox.wake, gate=gate)
                tasks.append(asyncio.create_task(poller.run(), name="telegram-polling"))
        elif telegram_polling:
            log.warning("--telegram-polling ignored: Telegram is off or workers are disabled")
        yield
        await app[BATCHER].close()
        if ack_engine is not None:
            await ack_engine.dispose()
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for loop in loops:
            await loop.stop()
        if WORKERS in app:
            await app[WORKERS].inbox_worker.close()
            for queue in (app[WORKERS].inbox_worker, app[WORKERS].sender):
                await queue.one_statement.close()
        if line_client is not None:
            await line_client.close()
        if telegram is not None:
            with contextlib.suppress(TelegramError):
                await telegram.bot.shutdown()

    app.cleanup_ctx.append(channels)
