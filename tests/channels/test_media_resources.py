"""Photos and files cost disk, memory and privacy only where a flow keeps them: fetched only at a step that
takes a file, streamed with the size cap enforced as bytes arrive, stored owner-only under an extension the
content itself decides, and recorded with their sender (issue 15, items 12 and 13)."""

from __future__ import annotations

import stat
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import Settings
from store.db import make_engine, upgrade
from store.staff import create_invite
from tests.channels.helpers import line_complaint_step, media, telegram_complaint_step
from tests.committee.test_through_fakes import no_telegram_pacing  # noqa: F401  # fixture: these tests are not about pacing
from tests.fakes.databases import any_database, pg_template  # noqa: F401  # fixtures
from tests.fakes.harness import Service, running_service
from tests.fakes.line import PNG, FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
async def svc(any_database: Settings, clock: MovableClock, fake_line: FakeLine,  # noqa: F811  # the fixture
              fake_telegram: FakeTelegram) -> AsyncIterator[Service]:
    async with running_service(any_database, clock, line=fake_line, telegram=fake_telegram) as running:
        yield running


async def test_photos_outside_a_file_step_are_never_downloaded(svc: Service) -> None:
    """At the menu, in a group and on Telegram outside a flow, a photo is answered politely but not fetched,
    and no media row is made."""
    await svc.line_follow("U-menu")
    await svc.line_postback("U-menu", "consent:yes")
    await svc.line_media("U-menu", "image", message_id="at-menu")
    await svc.line_media("U-group", "image", message_id="in-group", group_id="C-any")
    await svc.line_media("U-menu", "file", message_id="file-at-menu", file_name="x.pdf")
    await svc.telegram_photo(41, file_id="tg-menu")
    await svc.settle()
    assert await media(svc) == []
    assert not svc.line.calls("/content")
    assert not svc.telegram.calls("getFile")
    menu = await svc.line.messages_to("U-menu")
    assert "ร้องเรียน" in menu[-1].text or "ร้องเรียน" in " ".join(menu[-1].labels)


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_media_rows_carry_their_sender_and_time(svc: Service, clock: MovableClock) -> None:
    """A photo taken at the complaint step is kept with the sender's platform id and when it came."""
    await line_complaint_step(svc, "U-sender")
    await svc.line_media("U-sender", "image", message_id="ph-sender")
    await telegram_complaint_step(svc, 42)
    await svc.telegram_photo(42, file_id="tg-sender")
    await svc.settle()
    rows = {m.platform_ref: m for m in await media(svc)}
    assert (rows["ph-sender"].sender_id, rows["ph-sender"].status) == ("U-sender", "stored")
    assert (rows["tg-sender"].sender_id, rows["tg-sender"].status) == ("42", "stored")
    assert all(m.created_at == clock() for m in rows.values())


async def test_report_photo_step_takes_files(svc: Service) -> None:
    """/report's photo step is a step that takes files: a photo sent there is fetched (and nowhere else)."""
    async with svc.sessions() as session:  # what `python -m bot staff invite` does
        made = await create_invite(session, now=svc.clock(), role="committee", unit_code=None, display_name="กรรมการ")
        await session.commit()
    await svc.line_text("U-nurse", f"/register {made.code}")
    await svc.line_media("U-nurse", "image", message_id="before-report")
    await svc.line_text("U-nurse", "/report ผู้ป่วยลื่นล้มในห้องน้ำ")
    await svc.line_media("U-nurse", "image", message_id="after-report")
    await svc.settle()
    rows = {m.platform_ref: m for m in await media(svc)}
    assert set(rows) == {"after-report"}
    assert rows["after-report"].case_id is not None and rows["after-report"].sender_id == "U-nurse"


async def test_an_endless_download_is_cut_at_the_cap(settings: Settings, clock: MovableClock,
                                                     fake_line: FakeLine, fake_telegram: FakeTelegram) -> None:
    """Content with no declared size is counted as it arrives: past MEDIA_MAX_BYTES the download stops, the
    partial file is deleted, and the patient is told in Thai that the file is too large."""
    limited = settings.model_copy(update={"media_max_bytes": 300_000})
    async with running_service(limited, clock, line=fake_line, telegram=fake_telegram) as small:
        await line_complaint_step(small, "U-video")
        small.line.endless["vid-endless"] = 0
        await small.line_media("U-video", "video", message_id="vid-endless")
        await small.settle(timeout=20)
        (row,) = await media(small)
        assert row.status == "too_large" and row.path is None and row.size is not None
        assert 300_000 < row.size <= 300_000 + 64 * 1024
        assert small.line.endless["vid-endless"] < 5_000_000  # it stopped reading, not drained the stream
        assert not [p for p in small.settings.media_dir.rglob("*") if p.is_file()]
        told = await small.line.messages_to("U-video")
        assert any("ใหญ่เกิน" in m.text or "MB" in m.text for m in told)


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_stored_extension_comes_from_the_content_not_the_name(svc: Service) -> None:
    """A file named .html or .sh, or declared text/html, is stored by what its bytes are: an image as .jpg or
    .png with its real type, anything unrecognised as .bin (application/octet-stream)."""
    await line_complaint_step(svc, "U-ext")
    svc.line.content["html"] = (b"<html><script>alert(1)</script></html>", "text/html")
    svc.line.content["sh"] = (JPEG, "application/x-sh")
    await svc.line_media("U-ext", "file", message_id="html", file_name="ผลตรวจ.html")
    await svc.line_media("U-ext", "file", message_id="sh", file_name="run.sh")
    await telegram_complaint_step(svc, 43)
    svc.telegram.files["tg-html"] = (PNG, "text/html")
    await svc.telegram_document(43, file_id="tg-html", file_name="page.html", mime_type="text/html")
    await svc.settle()
    rows = {m.platform_ref: m for m in await media(svc)}
    assert {ref: (Path(str(m.path)).suffix, m.content_type) for ref, m in rows.items()} == {
        "html": (".bin", "application/octet-stream"),
        "sh": (".jpg", "image/jpeg"),
        "tg-html": (".png", "image/png"),
    }
    assert not list(svc.settings.media_dir.rglob("*.html")) and not list(svc.settings.media_dir.rglob("*.sh"))


async def test_database_and_media_files_are_owner_only(settings: Settings, clock: MovableClock, tmp_path: Path,
                                                      fake_line: FakeLine, fake_telegram: FakeTelegram) -> None:
    """A fresh data directory, its SQLite file (and WAL), the media folders and a kept photo are created
    readable by the service's own account only (0700 directories, 0600 files)."""
    data = tmp_path / "fresh" / "data"
    url = f"sqlite+aiosqlite:///{data / 'pv.db'}"
    engine = make_engine(url)
    await upgrade(engine)
    await engine.dispose()
    fresh = settings.model_copy(update={"database_url": url, "media_dir": data / "media"})
    async with running_service(fresh, clock, line=fake_line, telegram=fake_telegram) as svc:
        await line_complaint_step(svc, "U-perm")
        await svc.line_media("U-perm", "image", message_id="perm")
        await svc.settle()
        (row,) = await media(svc)
        photo = data / "media" / str(row.path)
        assert mode(photo) == 0o600
        for directory in (data, data / "media", *[p for p in (data / "media").rglob("*") if p.is_dir()]):
            assert mode(directory) == 0o700, directory
        for name in ("pv.db", "pv.db-wal"):
            assert mode(data / name) == 0o600, name
