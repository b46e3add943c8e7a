"""Hospital time: stored in UTC, shown in Asia/Bangkok with Buddhist-era years; the Thai fiscal year."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from pythainlp.util import thai_strftime

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543


def local(at: datetime) -> datetime:
    return at.astimezone(BANGKOK)


def fiscal_year_be(day: date | datetime) -> int:
    """Thai fiscal year (1 Oct – 30 Sep) named by the B.E. year it ends in: 1 Oct 2026 → 2570."""
    if isinstance(day, datetime):
        day = local(day).date()
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def thai_date(at: datetime | date, *, with_time: bool = True) -> str:
    """'26 พ.ย. 2569 09:30 น.' for a UTC timestamp (shown in Bangkok time) or a date: the one place dates and
    times are written for people, so every message carries the Thai "น." after a clock time."""
    if isinstance(at, datetime):
        at = local(at)
        fmt = "%-d %b %Y %H:%M น." if with_time else "%-d %b %Y"
        return thai_strftime(at, fmt)
    return thai_strftime(datetime(at.year, at.month, at.day), "%-d %b %Y")
