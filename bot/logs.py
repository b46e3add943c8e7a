"""Logging: JSON lines outside a terminal, and personal data redacted from every line (PDPA)."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

# Thai national ID (13 digits, often written 1-2345-67890-12-3) and Thai phone numbers.
_NATIONAL_ID = re.compile(r"(?<!\d)\d[\s-]?\d{4}[\s-]?\d{5}[\s-]?\d{2}[\s-]?\d(?!\d)")
_PHONE = re.compile(r"(?<!\d)(?:\+66[\s-]?|0)(?:\d[\s-]?){8,9}(?!\d)")

# Keys whose values are never logged as they are: what people typed and who they are.
SENSITIVE_KEYS = frozenset({"text", "message", "phone", "name", "display_name", "comment", "payload_text"})


def redact(text: str) -> str:
    text = _NATIONAL_ID.sub("[เลขบัตรประชาชน]", text)
    return _PHONE.sub("[เบอร์โทร]", text)


# LogRecord's own attributes ("name" is the logger's name, "message" the formatted text): never overwritten.
_RECORD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message"}
_EXTRA_KEYS = SENSITIVE_KEYS - _RECORD_ATTRS
# Our own packages; libraries' DEBUG lines dump what they carry (aiosqlite: SQL parameters, python-telegram-bot:
# Bot API parameters and results), i.e. what people typed — their arguments are dropped.
_OWN_PACKAGES = frozenset({"bot", "handlers", "store", "nlp", "__main__"})


class RedactingFilter(logging.Filter):
    """Runs on every record, whatever the formatter: message and arguments lose ID and phone patterns."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and record.levelno < logging.INFO and record.name.split(".")[0] not in _OWN_PACKAGES:
            record.msg = f"{record.msg} [arguments hidden]"
            record.args = None
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        record.msg = redact(str(record.msg))
        for key in _EXTRA_KEYS & record.__dict__.keys():
            setattr(record, key, "[ตัดออก]")
        return True


class JsonFormatter(logging.Formatter):
    EXTRA_FIELDS = ("channel", "event_id", "chat", "case", "update_id", "outbox_id", "status")

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in self.EXTRA_FIELDS:
            if key in record.__dict__:
                line[key] = record.__dict__[key]
        if record.exc_info:
            line["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


def setup_logging(level: str = "INFO", fmt: str = "auto", stream: Any = None) -> None:
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    use_json = fmt == "json" or (fmt == "auto" and not stream.isatty())
    handler.setFormatter(
        JsonFormatter() if use_json else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiohttp.access", "httpx", "httpcore", "telegram.ext"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
