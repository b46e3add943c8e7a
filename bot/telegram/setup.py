"""`python -m bot telegram set-webhook URL`: tell Telegram where to deliver updates, with the secret it
must echo in X-Telegram-Bot-Api-Secret-Token."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from bot.settings import Settings
from bot.telegram.channel import build_bot

if TYPE_CHECKING:
    from bot.cli import Runner

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]


async def set_webhook(settings: Settings, url: str) -> None:
    bot = build_bot(settings)
    async with bot:
        await bot.set_webhook(url=url, secret_token=settings.telegram_webhook_secret.get_secret_value(),
                              allowed_updates=ALLOWED_UPDATES)


def telegram_command(parser: argparse.ArgumentParser) -> Runner:
    sub = parser.add_subparsers(dest="telegram_command", required=True)
    hook = sub.add_parser("set-webhook", help="register URL (https://…/webhook/telegram) with Telegram")
    hook.add_argument("url", help="the public HTTPS address of POST /webhook/telegram")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        if not settings.telegram_enabled:
            print("Telegram is off: set TELEGRAM_BOT_TOKEN first")
            return 2
        if not settings.telegram_webhook_secret.get_secret_value():
            print("set TELEGRAM_WEBHOOK_SECRET first (any long random text); the webhook refuses updates without it")
            return 2
        asyncio.run(set_webhook(settings, args.url))
        print(f"Telegram will deliver updates to {args.url}")
        return 0

    return run
