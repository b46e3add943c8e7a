"""Telegram Bot API channel: webhook, polling, translation to `Inbound`, rendering of `Outbound`."""
