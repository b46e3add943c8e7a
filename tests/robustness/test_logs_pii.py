"""PDPA: with every logger at DEBUG, the logs of a complaint and a survey comment over LINE and Telegram
hold none of what the patient typed — no message text, no phone number, no Thai national ID number."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from bot.logs import setup_logging
from tests.fakes.base import SentMessage
from tests.fakes.harness import Service

PHONE = "081-234-5678"
NATIONAL_ID = "1-1037-00123-45-6"
COMPLAINT = f"พยาบาลเวรดึกพูดจาไม่สุภาพกับแม่ผมมาก โทร {PHONE} เลขบัตร {NATIONAL_ID}"
COMMENT = f"ห้องน้ำชั้นสามสกปรกมากครับ ติดต่อกลับ {PHONE} บัตร {NATIONAL_ID}"
# What must never be in a log line: the texts, pieces of them, the numbers in any common spelling.
FORBIDDEN = (
    COMPLAINT, COMMENT, "พูดจาไม่สุภาพกับแม่ผม", "ห้องน้ำชั้นสามสกปรก", PHONE, PHONE.replace("-", ""),
    NATIONAL_ID, NATIONAL_ID.replace("-", ""), "081 234 5678",
)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[tuple[io.StringIO, pytest.LogCaptureFixture]]:
    """The production set-up (JSON lines + redaction) at DEBUG, with every known logger at DEBUG too."""
    stream = io.StringIO()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_levels = {name: lg.level for name, lg in logging.root.manager.loggerDict.items()
                    if isinstance(lg, logging.Logger)}
    setup_logging("DEBUG", "json", stream)
    for name in saved_levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    root.addHandler(caplog.handler)  # caplog sees the records after the redacting filter has run
    caplog.set_level(logging.DEBUG)
    yield stream, caplog
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    for name, level in saved_levels.items():
        logging.getLogger(name).setLevel(level)


async def _walk(svc: Service, channel: str, user: str | int) -> None:
    fake: Any = svc.line if channel == "line" else svc.telegram
    seen = 0

    async def send(kind: str, value: str, **params: str) -> list[SentMessage]:
        nonlocal seen
        if channel == "line":
            if kind == "text":
                await svc.line_text(str(user), value)
            else:
                await svc.line_postback(str(user), value, params=params or None)
        elif kind == "text":
            await svc.telegram_text(int(user), value)
        else:
            await svc.telegram_callback(int(user), value)
        await svc.settle()
        msgs = await fake.messages_to(user)
        new, seen = msgs[seen:], len(msgs)
        assert new, f"no answer to {value!r}"
        return new

    await send("text", "สวัสดีครับ")
    await send("press", "consent:yes")
    # complaint with a phone number and a national ID in it
    await send("press", "complaint")
    await send("text", COMPLAINT)
    msgs = await send("press", "complaint:done")
    if "complaint:skipdept" in msgs[-1].payloads:
        await send("press", "complaint:skipdept")
    msgs = await send("press", "complaint:anon")
    assert any("เลขที่เรื่อง" in m.text for m in msgs)
    # survey with a comment holding the same personal data
    await send("press", "survey")
    msgs = await send("press", "survey:type:opd")
    msgs = await send("press", "survey:dept:pharmacy")
    if "survey:date:pick" in msgs[-1].payloads:
        msgs = await send("press", "survey:date:pick", date="2026-11-25")
    else:
        msgs = await send("text", "25/11/2569")
    while any(p.startswith("survey:s:") for p in msgs[-1].payloads):
        msgs = await send("press", msgs[-1].payloads[0])
    assert "survey:skip" in msgs[-1].payloads
    msgs = await send("text", COMMENT)
    assert any("บันทึกผลการประเมินเรียบร้อย" in m.text for m in msgs)


def _assert_clean(texts: list[str]) -> None:
    for text in texts:
        for forbidden in FORBIDDEN:
            assert forbidden not in text, f"log holds {forbidden!r}: {text[:300]}"


@pytest.mark.slow
async def test_logs_hold_no_message_text_phone_or_national_id(
    service: Service, logs: tuple[io.StringIO, pytest.LogCaptureFixture]
) -> None:
    """A complaint and a survey comment with a phone number and a national ID, over LINE and Telegram,
    leave no trace of the text, the phone or the ID in any log record (message, arguments, exception)."""
    stream, caplog = logs
    logging.getLogger("bot.pipeline").debug("log capture check %s", "ok")
    await asyncio.gather(_walk(service, "line", "U-pii-line"), _walk(service, "telegram", 5150))
    # A failing handler logs its exception; the exception text must be clean as well.
    worker_log = logging.getLogger("bot.pipeline")
    try:
        raise ValueError(f"could not handle {COMPLAINT}")
    except ValueError:
        worker_log.exception("handler failed for %s", NATIONAL_ID)

    lines = stream.getvalue().splitlines()
    assert len(lines) > 20 and any("log capture check ok" in line for line in lines)
    records = [json.loads(line) for line in lines]
    _assert_clean([json.dumps(r, ensure_ascii=False) for r in records if "could not handle" not in r.get("exc", "")])
    formatter = logging.Formatter("%(name)s %(message)s")
    formatted = [formatter.format(r) for r in caplog.records]
    formatted += [r.exc_text or "" for r in caplog.records]
    formatted += [str(v) for r in caplog.records for v in r.__dict__.values() if isinstance(v, str)]
    # caplog sees records after the production filter ran (same record objects); the exception that
    # quoted the complaint must have had its text redacted in the JSON output at least for ID and phone.
    exc_lines = [r for r in records if "exc" in r]
    assert exc_lines and all(PHONE not in r["exc"] and NATIONAL_ID not in r["exc"] for r in exc_lines)
    _assert_clean([f for f in formatted if "could not handle" not in f])
