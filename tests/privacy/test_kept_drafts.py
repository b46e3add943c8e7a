"""A complaint kept unsent after the idle time-out is personal data: it is in the patient's export, erasing the
patient leaves nothing of it (text, photo, file), and the nightly purge deletes drafts past DRAFT_KEEP_DAYS,
telling the patient on their next message. Through the fake LINE and Telegram platforms, on SQLite and on
PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlmodel import SQLModel, select

from store.models import Conversation, Feedback, MediaFile
from tests.committee.test_through_fakes import Person, no_telegram_pacing  # noqa: F401  # fixture
from tests.fakes.harness import Service
from tests.privacy.conftest import admin
from tests.privacy.test_pdpa import nightly, rows
from tests.support import MovableClock

WORDS = "เข็นรถเข็นไปห้องเอกซเรย์เองค่ะ ไม่มีเปลให้คุณพ่อเลย"


async def everything(svc: Service) -> str:
    """Every row of every table, as text."""
    async with svc.sessions() as session:
        dump = []
        for table in SQLModel.metadata.sorted_tables:
            dump += [str(tuple(row)) for row in (await session.execute(select(table))).all()]
    return "\n".join(dump)


async def conversations(svc: Service) -> str:
    """What the conversations hold (webhook and sent-message copies age out on their own, after 30 days)."""
    return json.dumps([c.data for c in await rows(svc, Conversation)], ensure_ascii=False)


async def kept_draft(svc: Service, clock: MovableClock, channel: str, user: str) -> Person:
    """A patient writes a complaint with a photo, goes quiet, and comes back: the draft is offered and kept."""
    person = Person(svc, channel, user)
    await person.press("complaint")
    await person.press("consent:yes")
    await person.say(WORDS)
    await person.photo()
    clock.advance(hours=2)
    assert "ยังไม่ได้ส่ง" in await person.say("สวัสดีค่ะ")
    return person


@pytest.mark.parametrize(("channel", "user"), [("line", "U" + "a7e1" * 8), ("telegram", "880011")])
async def test_erase_after_a_kept_draft_leaves_nothing(svc: Service, clock: MovableClock, channel: str,
                                                       user: str) -> None:
    await kept_draft(svc, clock, channel, user)
    [photo] = await rows(svc, MediaFile)
    path = svc.settings.media_dir / str(photo.path)
    assert path.is_file() and await rows(svc, Feedback) == []
    code, out, err = await admin("patient", "export", f"{channel}:{user}")
    assert code == 0, err
    [conversation] = json.loads(out)["conversations"]
    assert conversation["data"]["paused_drafts"]["complaint"]["data"]["parts"] == [WORDS]
    assert [m["id"] for m in json.loads(out)["media_files"]] == [photo.id]
    code, _, err = await admin("patient", "erase", f"{channel}:{user}", "--yes")
    assert code == 0, err
    assert await rows(svc, Conversation) == [] and await rows(svc, MediaFile) == [] and not path.exists()
    assert "ไม่มีเปลให้คุณพ่อ" not in await everything(svc)


@pytest.mark.parametrize(("channel", "user"), [("line", "U" + "b8f2" * 8), ("telegram", "880022")])
async def test_nightly_purge_deletes_drafts_past_the_keep_period_and_the_patient_is_told(
        svc: Service, clock: MovableClock, channel: str, user: str) -> None:
    """One patient's kept draft, and another's complaint left mid-way without ever coming back: after the
    keep period the purge deletes both (and the photo); the first is told on her next message, nothing filed."""
    kept = await kept_draft(svc, clock, channel, user)
    quiet = Person(svc, "line", "U" + "c9a3" * 8, seen=kept.seen)
    await quiet.press("complaint")
    await quiet.press("consent:yes")
    await quiet.say("ห้องน้ำผู้ป่วยในชั้น 3 ไม่มีน้ำไหลค่ะ")
    await nightly(svc, clock, days=3)
    assert len(await rows(svc, MediaFile)) == 1 and "ไม่มีเปลให้คุณพ่อ" in await conversations(svc)
    await nightly(svc, clock, days=5)
    left = await conversations(svc)
    assert "ไม่มีเปลให้คุณพ่อ" not in left and "ไม่มีน้ำไหล" not in left
    assert await rows(svc, MediaFile) == []
    told = await kept.say("สวัสดีค่ะ")
    assert "ไม่ได้ทำต่อเกิน 7 วัน" in told and "ลบทิ้งแล้ว" in told
    assert "ยังไม่ได้ส่ง" not in await kept.press("complaint")
    assert await rows(svc, Feedback) == []


EMERGENCY = "ช่วยด้วยค่ะ คุณพ่อหายใจไม่ออก หน้าเขียวแล้ว"


@pytest.mark.parametrize(("channel", "user"), [("line", "U" + "d4e5" * 8), ("telegram", "880033")])
async def test_erase_after_an_emergency_text_kept_past_the_time_out_leaves_nothing(
        svc: Service, clock: MovableClock, channel: str, user: str) -> None:
    """The emergency reply says the text is kept; an hour later it is offered back as a draft. It is in the
    export, and erasing the patient leaves no trace of it anywhere in the database."""
    person = Person(svc, channel, user)
    await person.press("complaint")
    await person.press("consent:yes")
    await person.say("ยกเลิกค่ะ")
    assert "บันทึกข้อความของท่านไว้แล้ว" in await person.say(EMERGENCY)
    clock.advance(hours=1)
    assert EMERGENCY in await person.say("สวัสดีค่ะ")
    code, out, err = await admin("patient", "export", f"{channel}:{user}")
    assert code == 0, err
    [conversation] = json.loads(out)["conversations"]
    assert conversation["data"]["paused_drafts"]["complaint"]["data"]["parts"] == [EMERGENCY]
    code, _, err = await admin("patient", "erase", f"{channel}:{user}", "--yes")
    assert code == 0, err
    assert await rows(svc, Conversation) == [] and "หน้าเขียว" not in await everything(svc)


@pytest.mark.parametrize(("channel", "user"), [("line", "U" + "e5f6" * 8), ("telegram", "880044")])
async def test_nightly_purge_drops_an_offered_text_nobody_came_back_to(
        svc: Service, clock: MovableClock, channel: str, user: str) -> None:
    """Text offered as a complaint and never answered stays in the conversation only for the keep period: the
    purge then deletes it, and the patient's next message is told the unsent complaint was deleted."""
    person = Person(svc, channel, user)
    await person.press("complaint")
    await person.press("consent:yes")
    await person.say("ยกเลิกค่ะ")
    assert "ร้องเรียน" in await person.say("เปลนอนในหอผู้ป่วยชำรุดหลายเตียงค่ะ ไม่มีใครมาซ่อม")
    await nightly(svc, clock, days=3)
    assert "เปลนอนในหอผู้ป่วยชำรุด" in await conversations(svc)
    await nightly(svc, clock, days=5)
    assert "เปลนอนในหอผู้ป่วยชำรุด" not in await conversations(svc)
    told = await person.say("สวัสดีค่ะ")
    assert "ไม่ได้ทำต่อเกิน 7 วัน" in told and "ลบทิ้งแล้ว" in told
    assert await rows(svc, Feedback) == []
