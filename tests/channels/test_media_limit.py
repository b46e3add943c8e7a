"""MEDIA_MAX_BYTES: a photo or file over the limit is recorded but never stored, on both platforms; one the
platform already says is too big is not even downloaded."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings
from tests.channels.helpers import capture_inbound, line_complaint_step, media, telegram_complaint_step
from tests.fakes.harness import Service, running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock

LIMIT = 1_000


@pytest.fixture
async def small(settings: Settings, clock: MovableClock, fake_line: FakeLine,
                fake_telegram: FakeTelegram) -> AsyncIterator[Service]:
    limited = settings.model_copy(update={"media_max_bytes": LIMIT})
    async with running_service(limited, clock, line=fake_line, telegram=fake_telegram) as svc:
        yield svc


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_a_file_the_platform_says_is_too_big_is_not_downloaded(small: Service) -> None:
    """Telegram tells the size in the update: over the limit, getFile is never called and nothing is written."""
    await telegram_complaint_step(small, 7)
    seen = capture_inbound(small)
    document = {"file_id": "big-doc", "file_unique_id": "b", "file_name": "ฟิล์ม.zip",
                "mime_type": "application/zip", "file_size": 50_000_000}
    await small.telegram_update(small.telegram_message(7, document=document))
    await small.telegram_document(7, file_id="small-doc")  # 100 bytes: kept as before
    await small.settle()
    rows = {m.platform_ref: m for m in await media(small)}
    assert (rows["big-doc"].status, rows["big-doc"].size, rows["big-doc"].path) == ("too_large", 50_000_000, None)
    assert rows["small-doc"].status == "stored"
    asked = [c.body.get("file_id") for c in small.telegram.calls("getFile") if isinstance(c.body, dict)]
    assert "big-doc" not in asked and "small-doc" in asked
    (big,) = [a for i in seen for a in i.attachments if a.ref == "big-doc"]
    assert big.too_large and big.media_id == rows["big-doc"].id
    assert not any(p.is_file() for p in small.settings.media_dir.rglob("*.zip"))


async def test_content_over_the_limit_is_fetched_but_not_kept(small: Service) -> None:
    """LINE does not tell an image's size: the content is checked once fetched, and not written to disk."""
    await line_complaint_step(small, "U-big")
    small.line.content["img-big"] = (b"\xff\xd8" + b"0" * (LIMIT * 3), "image/jpeg")
    await small.line_media("U-big", "image", message_id="img-big")
    await small.settle()
    (row,) = await media(small)
    assert (row.status, row.size, row.path) == ("too_large", LIMIT * 3 + 2, None)
    assert not any(p.is_file() for p in small.settings.media_dir.rglob("*"))
