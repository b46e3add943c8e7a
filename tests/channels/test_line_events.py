"""One test per LINE event type: the fixture beside the adapter (bot/line/fixtures/) → the exact Inbound."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.line.adapter import chat_key, to_inbound
from bot.line.webhook import items_of
from handlers.messages import Attachment, Channel, EventKind, Inbound

FIXTURES = Path(__file__).resolve().parents[2] / "bot" / "line" / "fixtures"
U = "U4af4980629a7f3c0b6d4c2e1f7a8b9c0"
G = "C1a2b3c4d5e6f708192a3b4c5d6e7f809"
AT = datetime(2025, 11, 26, 2, 0, tzinfo=UTC)


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def inbound(name: str) -> Inbound | None:
    event = load(name)
    return to_inbound(event, event_id=event["webhookEventId"])


def expected(name: str, **fields: Any) -> Inbound:
    base: dict[str, Any] = {"channel": Channel.LINE, "user_id": U, "chat_id": U, "at": AT,
                            "event_id": load(name)["webhookEventId"]}
    return Inbound(**{**base, **fields})


def test_text() -> None:
    """A 1:1 text message becomes a MESSAGE with the text, from and to the user."""
    assert inbound("text") == expected("text", text="อยากร้องเรียนเรื่องรอคิวนานมากครับ")


def test_text_in_group() -> None:
    """A group text: chat is the group, user the sender, is_group set, /cmd@bot parsed as a command."""
    got = inbound("text_group")
    assert got == expected("text_group", chat_id=G, is_group=True, text="/queue@HospitalBot")
    assert got.command == ("queue", "")
    assert chat_key(load("text_group")) == f"line:{G}"


def test_postback() -> None:
    """A button press becomes a POSTBACK carrying the button's data."""
    assert inbound("postback") == expected("postback", kind=EventKind.POSTBACK, payload="survey")


def test_postback_with_date_picker() -> None:
    """A datetime-picker answer arrives in Inbound.params."""
    got = inbound("postback_date")
    assert got == expected("postback_date", kind=EventKind.POSTBACK, payload="survey:visit",
                           params={"date": "2026-11-20"})


def test_follow() -> None:
    """Adding the official account as a friend is FOLLOW."""
    assert inbound("follow") == expected("follow", kind=EventKind.FOLLOW)


def test_unfollow() -> None:
    """Blocking the account is UNFOLLOW."""
    assert inbound("unfollow") == expected("unfollow", kind=EventKind.UNFOLLOW)


def test_join() -> None:
    """The bot added to a group is JOIN in that group (no user: the group stands in)."""
    assert inbound("join") == expected("join", kind=EventKind.JOIN, user_id=G, chat_id=G, is_group=True,
                                        individual=False)


def test_leave() -> None:
    """The bot removed from a group is LEAVE."""
    assert inbound("leave") == expected("leave", kind=EventKind.LEAVE, user_id=G, chat_id=G, is_group=True,
                                        individual=False)


def test_member_joined() -> None:
    """Someone joining a group the bot is in is MEMBER_JOINED, user = the member."""
    assert inbound("member_joined") == expected("member_joined", kind=EventKind.MEMBER_JOINED, chat_id=G,
                                                is_group=True)


def test_member_left() -> None:
    """Someone leaving is MEMBER_LEFT."""
    assert inbound("member_left") == expected("member_left", kind=EventKind.MEMBER_LEFT, chat_id=G, is_group=True)


def test_image() -> None:
    """An image is an attachment referencing its message id (content fetched by the worker)."""
    assert inbound("image") == expected("image", attachments=(Attachment(kind="image", ref="530011"),))


def test_video() -> None:
    """A video is a video attachment."""
    assert inbound("video") == expected("video", attachments=(Attachment(kind="video", ref="530012"),))


def test_audio() -> None:
    """A voice message is an audio attachment."""
    assert inbound("audio") == expected("audio", attachments=(Attachment(kind="audio", ref="530013"),))


def test_file() -> None:
    """A file keeps its name and size."""
    assert inbound("file") == expected(
        "file", attachments=(Attachment(kind="file", ref="530014", size=20480, name="ใบเสร็จ.pdf"),))


def test_sticker() -> None:
    """A sticker is an attachment of kind sticker (package/sticker id)."""
    assert inbound("sticker") == expected("sticker", attachments=(Attachment(kind="sticker", ref="446/1988"),))


def test_location() -> None:
    """A location is an attachment of kind location with lat,lon and the address."""
    assert inbound("location") == expected("location", attachments=(
        Attachment(kind="location", ref="13.7649,100.5383", name="ถนนพระรามที่ 6 กรุงเทพฯ"),))


def test_unknown_type_is_ignored() -> None:
    """An event type the hospital does not use (beacon) translates to nothing."""
    assert inbound("beacon") is None


def test_standby_is_stored_as_skipped() -> None:
    """A standby-mode event is kept for deduplication but marked skipped: nothing will be sent."""
    (item,) = items_of({"events": [load("standby")]})
    assert item.status == "skipped"
    (active,) = items_of({"events": [load("text")]})
    assert active.status == "pending"
