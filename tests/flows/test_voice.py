"""The bot's voice is the hospital's choice: BOT_PARTICLE (ค่ะ by default, or ครับ) and HOSPITAL_NAME are
rendered into every catalogue text at load, so one service never mixes registers in a turn."""

from __future__ import annotations

import re

import pytest

from bot.settings import Settings
from handlers import build_router
from handlers.catalogue import Catalogue
from handlers.dispatch import Dispatcher
from handlers.hospital import hospital_for
from handlers.messages import Channel
from handlers.services import Services
from tests.flows.chat import Chat

OTHER_REGISTER = {"ค่ะ": re.compile(r"ครับ"), "ครับ": re.compile(r"ค่ะ|คะ(?!แนน)")}


@pytest.mark.parametrize("particle", ["ค่ะ", "ครับ"])
def test_every_catalogue_text_speaks_in_one_register(particle: str) -> None:
    """With BOT_PARTICLE=ค่ะ no text says ครับ, and with ครับ none says ค่ะ/คะ; no voice token is left over."""
    catalogue = Catalogue.load(particle=particle, hospital="โรงพยาบาลบ้านสุข")
    for key, text in catalogue.messages.items():
        assert not OTHER_REGISTER[particle].search(text), f"{key}: {text}"
        assert "{ค่ะ}" not in text and "{คะ}" not in text and "{hospital}" not in text, key
    assert catalogue("welcome.greeting").startswith(f"สวัสดี{particle}")
    assert "โรงพยาบาลบ้านสุข" in catalogue("welcome.greeting")


def test_the_default_voice_is_kha() -> None:
    """Most Thai hospital accounts speak with ค่ะ, so BOT_PARTICLE defaults to it (questions end in คะ)."""
    assert Settings(_env_file=None).bot_particle == "ค่ะ"  # type: ignore[call-arg]
    catalogue = Catalogue.load()
    assert catalogue("survey.ask_type").endswith("คะ") and catalogue("consent.given").startswith("ขอบคุณ")


@pytest.mark.parametrize("channel", [Channel.LINE, Channel.TELEGRAM])
async def test_a_male_voiced_hospital_speaks_khrap_throughout_a_conversation(
        services: Services, channel: Channel) -> None:
    """BOT_PARTICLE=ครับ, HOSPITAL_NAME set: greeting, consent, FAQ, emergency and complaint replies all say ครับ."""
    settings = services.settings.model_copy(update={"bot_particle": "ครับ", "hospital_name": "โรงพยาบาลบ้านสุข"})
    services.settings = settings
    services.hospital = hospital_for(settings)
    chat = Chat(Dispatcher(build_router(), services), f"U-{channel}-voice", channel)
    turns = []
    for step in (chat.follow(), chat.press("ยินยอม"), chat.text("เปิดกี่โมง"), chat.text("พ่อเจ็บหน้าอก"),
                 chat.press("ร้องเรียนเรื่องนี้"), chat.press("ส่งเรื่อง"), chat.press("ข้าม"),
                 chat.press("ไม่ประสงค์ออกนาม")):
        await step
        turns.append(chat.said)
    for said in turns:
        assert "ครับ" in said and not OTHER_REGISTER["ครับ"].search(said.replace("พ่อเจ็บหน้าอก", "")), said
    assert "โรงพยาบาลบ้านสุข" in turns[0]
