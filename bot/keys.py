"""The aiohttp application keys the app's parts share (settings, engine, services, dispatcher, metrics,
channels, workers, write gate, webhook batcher): a leaf module, so a webhook or a background task reads
`request.app[SERVICES]` with a plain top-level import instead of importing the module that assembles the
app (bot/app.py, bot/channels.py) inside a function to dodge the import cycle.

The types are imported for the type checker only; at run time nothing here imports the rest of the app.
Keys only one module uses (the LINE signature parser, the dashboard's Jinja environment, the sweeper)
stay in that module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.ackflow import AckPriority
    from bot.channels import Workers
    from bot.inbox_batch import InboxBatcher
    from bot.line.channel import LineChannel
    from bot.metrics import Metrics
    from bot.pipeline import WriteGate
    from bot.settings import Settings
    from bot.telegram.channel import TelegramChannel
    from handlers.dispatch import Dispatcher
    from handlers.services import Services

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
ENGINE: web.AppKey[AsyncEngine] = web.AppKey("engine")
SERVICES: web.AppKey[Services] = web.AppKey("services")
DISPATCHER: web.AppKey[Dispatcher] = web.AppKey("dispatcher")
METRICS: web.AppKey[Metrics] = web.AppKey("metrics")
LINE: web.AppKey[LineChannel] = web.AppKey("line_channel")
TELEGRAM: web.AppKey[TelegramChannel] = web.AppKey("telegram_channel")
WORKERS: web.AppKey[Workers] = web.AppKey("workers")
GATE: web.AppKey[WriteGate] = web.AppKey("write_gate")
BATCHER: web.AppKey[InboxBatcher] = web.AppKey("inbox_batcher")
ACKS: web.AppKey[AckPriority] = web.AppKey("ack_priority")
