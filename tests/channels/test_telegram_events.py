"""One test per Telegram update type: the fixture beside the adapter (bot/telegram/fixtures/) → the Inbound."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot

from bot.telegram.adapter import chat_key, to_inbound
from handlers.messages import Attachment, Channel, EventKind, Inbound

FIXTURES = Path(__file__).resolve().parents[2] / "bot" / "telegram" / "fixtures"
USER = "51234567"
GROUP = "-1001987654321"
AT = datetime(2025, 11, 26, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def bot() -> Bot:
    return Bot("123456:TEST-token")


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def translate(bot: Bot, name: str) -> Inbound | None:
    return to_inbound(load(name), bot_username="HospitalBot").inbound


def expected(name: str, **fields: Any) -> Inbound:
    base: dict[str, Any] = {"channel": Channel.TELEGRAM, "user_id": USER, "chat_id": USER, "at": AT,
                            "event_id": str(load(name)["update_id"]), "display_name": "สมชาย ใจดี"}
    return Inbound(**{**base, **fields})


def test_text(bot: Bot) -> None:
    """A private text is a MESSAGE from and to the user."""
    assert translate(bot, "text") == expected("text", text="ห้องน้ำชั้น 2 สกปรกมากครับ")


def test_start_is_follow(bot: Bot) -> None:
    """/start in a private chat is FOLLOW (the Telegram way of adding a bot)."""
    assert translate(bot, "start") == expected("start", kind=EventKind.FOLLOW, text="/start")


def test_command_in_group(bot: Bot) -> None:
    """/cmd@OurBot in a group: chat is the group, user the sender, the command parsed."""
    got = translate(bot, "command_group")
    assert got == expected("command_group", chat_id=GROUP, is_group=True, text="/queue@HospitalBot opd")
    assert got.command == ("queue", "opd")
    assert chat_key(load("command_group")) == f"telegram:{GROUP}"


def test_command_for_another_bot_is_ignored(bot: Bot) -> None:
    """/cmd@OtherBot in a shared group is not ours."""
    assert translate(bot, "command_other_bot") is None


def test_callback_query(bot: Bot) -> None:
    """An inline keyboard press is a POSTBACK with the callback data; its id is kept for answering."""
    translated = to_inbound(load("callback_query"), bot_username="HospitalBot")
    assert translated.callback_query_id == "4382bfdwdsb323b2d9"
    got = translated.inbound
    assert got is not None
    assert (got.kind, got.payload, got.user_id, got.chat_id, got.is_group) == (
        EventKind.POSTBACK, "survey", USER, USER, False)


def test_photo(bot: Bot) -> None:
    """A photo: the largest size is the attachment, the caption the text."""
    assert translate(bot, "photo") == expected("photo", text="ภาพห้องน้ำครับ", attachments=(
        Attachment(kind="image", ref="AgACAgUAAxkBAAIBbig", size=98000, content_type="image/jpeg"),))


def test_document(bot: Bot) -> None:
    """A document is a file attachment with name and type."""
    assert translate(bot, "document") == expected("document", attachments=(
        Attachment(kind="file", ref="BQACAgUAAxkBAAIBdoc", size=20480, name="ใบเสร็จ.pdf",
                   content_type="application/pdf"),))


def test_video(bot: Bot) -> None:
    """A video is a video attachment."""
    assert translate(bot, "video") == expected("video", attachments=(
        Attachment(kind="video", ref="BAACAgUAAxkBAAIBvid", size=300000, content_type="video/mp4"),))


def test_voice(bot: Bot) -> None:
    """A voice note is an audio attachment."""
    assert translate(bot, "voice") == expected("voice", attachments=(
        Attachment(kind="audio", ref="AwACAgUAAxkBAAIBvoi", size=9000, content_type="audio/ogg"),))


def test_sticker(bot: Bot) -> None:
    """A sticker is a sticker attachment."""
    assert translate(bot, "sticker") == expected("sticker", attachments=(Attachment(kind="sticker", ref="AgADst"),))


def test_location(bot: Bot) -> None:
    """A location is a location attachment (lat,lon)."""
    assert translate(bot, "location") == expected("location", attachments=(
        Attachment(kind="location", ref="13.7649,100.5383"),))


def test_new_chat_member(bot: Bot) -> None:
    """A person added to the group is MEMBER_JOINED with that person as user."""
    got = translate(bot, "new_chat_members")
    assert got == expected("new_chat_members", kind=EventKind.MEMBER_JOINED, user_id="52000001", chat_id=GROUP,
                           is_group=True)


def test_left_chat_member(bot: Bot) -> None:
    """A person leaving the group is MEMBER_LEFT."""
    got = translate(bot, "left_chat_member")
    assert got == expected("left_chat_member", kind=EventKind.MEMBER_LEFT, user_id="52000001", chat_id=GROUP,
                           is_group=True)


def test_bot_added_to_group_is_join(bot: Bot) -> None:
    """The bot added to a group (my_chat_member) is JOIN."""
    got = translate(bot, "bot_added_to_group")
    assert got is not None
    assert (got.kind, got.chat_id, got.is_group) == (EventKind.JOIN, GROUP, True)


def test_bot_blocked_is_unfollow(bot: Bot) -> None:
    """A person blocking the bot in private is UNFOLLOW."""
    got = translate(bot, "bot_blocked")
    assert got is not None
    assert (got.kind, got.user_id, got.chat_id) == (EventKind.UNFOLLOW, USER, USER)


def test_edited_message_is_ignored(bot: Bot) -> None:
    """Edits of earlier messages are not handled again."""
    assert translate(bot, "edited_message") is None
