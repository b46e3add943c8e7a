"""The service: aiohttp app, LINE and Telegram adapters, background workers and the command line."""
