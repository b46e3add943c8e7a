"""The flows' own queries (cases by patient, unit heads, media links, consent records) on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlmodel import select

from bot.settings import Settings
from handlers import build_router
from handlers.dispatch import Dispatcher
from handlers.hospital import hospital_for
from handlers.services import Services
from store.models import Case, ChannelIdentity, MediaFile, Staff, SurveyResponse
from store.units import load_units, sync_units
from tests.flows.chat import Chat
from tests.support import MovableClock, Store


async def test_flows_on_both_databases(store: Store, settings: Settings, clock: MovableClock) -> None:
    """Consent, a survey, a complaint with a photo, a compliment ping and tracking work on either database."""
    services = Services(settings, store.sessions, hospital_for(settings), clock)
    async with store.sessions() as session:
        await sync_units(session, units=load_units(settings.config_dir))
        head = Staff(display_name="หัวหน้า", role="unit_head", unit_code="dental")
        session.add(head)
        await session.flush()
        session.add(ChannelIdentity(channel="line", external_id="U-head", staff_id=head.id))
        photo = MediaFile(channel="line", platform_ref="p1", kind="image", status="stored")
        session.add(photo)
        await session.commit()
        photo_id = photo.id
    chat = Chat(Dispatcher(build_router(), services), "U-db")
    await chat.follow()
    await chat.press("ยินยอม")
    await chat.press("survey")
    await chat.press("survey:type:opd")
    await chat.press("survey:dept:dental")
    await chat.press("survey:date:today")
    while any(b.payload.startswith("survey:s:") for b in chat.buttons):
        await chat.press("5 ")
    await chat.press("ข้าม")
    await chat.press("complaint")
    await chat.text("ห้องน้ำสกปรก")
    await chat.photo(media_id=photo_id)
    await chat.press("ส่งเรื่อง")
    await chat.press("ข้าม")
    await chat.press("ไม่ประสงค์ออกนาม")
    await chat.press("compliment")
    await chat.text("หมอฟันใจดีมาก")  # "หมอฟัน" names the dental unit: saved at once, not asked
    assert [p.chat_id for p in chat.last.pushes] == ["U-head"]
    await chat.press("track")
    assert "2570-0001" in chat.texts[0]
    async with store.sessions() as session:
        assert (await session.exec(select(SurveyResponse))).one().mean_score == 5.0
        case = (await session.exec(select(Case))).one()
        assert (await session.get(MediaFile, photo_id)).case_id == case.id  # type: ignore[union-attr]
