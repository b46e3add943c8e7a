"""Fake LINE and Telegram servers and the end-to-end harness (see harness.py)."""
