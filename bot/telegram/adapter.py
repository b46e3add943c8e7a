"""Telegram ↔ the channel-neutral model. Translation only: no database, no handler logic."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup

from bot.line.adapter import split_text
from handlers.messages import Attachment, Button, Channel, EventKind, Inbound, Outbound

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
GROUP_TYPES = frozenset({"group", "supergroup"})
IN = frozenset({ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED})
# Accounts many people share: GroupAnonymousBot (every anonymous group admin, in every group), Channel_Bot
# (posts in a channel's name) and Telegram's own account (channel posts forwarded to a linked group).
SHARED_ACCOUNTS = frozenset({1087968824, 136817688, 777000})
# /start case-2570-0042: the deep link of a case shown only in private ("open in a private chat")
CASE_START = re.compile(r"^case-(\d{4}-\d{1,6})$")


def is_individual(user: dict[str, Any] | None, *, sender_chat: object = None) -> bool:
    """Is this sender one known person (not an anonymous admin, a chat posting in its own name, or a bot)?"""
    return (user is not None and sender_chat is None and not user.get("is_bot")
            and int(user["id"]) not in SHARED_ACCOUNTS)


def full_name(user: dict[str, Any]) -> str:
    """First and last name, as Telegram apps show them (PTB's `User.full_name`)."""
    last = user.get("last_name")
    return f"{user['first_name']} {last}" if last else str(user["first_name"])


def _date(value: int) -> datetime:
    return datetime.fromtimestamp(int(value), UTC)


def chat_key(update: dict[str, object]) -> str:
    """Events of one chat run in order; the chat is found without building PTB objects."""
    for field in ("message", "edited_message", "callback_query", "my_chat_member", "chat_member"):
        part = update.get(field)
        if isinstance(part, dict):
            chat = part.get("chat") or (part.get("message") or {}).get("chat") or {}
            if isinstance(chat, dict) and "id" in chat:
                return f"telegram:{chat['id']}"
            sender = part.get("from") or {}
            if isinstance(sender, dict) and "id" in sender:
                return f"telegram:{sender['id']}"
    return f"telegram:update:{update.get('update_id')}"


@dataclass(frozen=True, slots=True)
class Translated:
    inbound: Inbound | None
    callback_query_id: str | None = None


def to_inbound(update: dict[str, Any], *, bot_username: str = "") -> Translated:
    """The `Inbound` for one update (the Bot API's JSON, as stored by the webhook), or None for updates the
    hospital does not use. Read from the JSON as it is: building PTB's `Update` objects (every nested user, chat
    and message, with their API kwargs) for the few fields used here cost the inbox worker more than the rest of
    the translation. An update missing a field Telegram always sends raises (the worker marks it failed)."""
    event_id = str(update["update_id"])
    query = update.get("callback_query")
    if query is not None:
        sender = query["from"]
        chat = (query.get("message") or {}).get("chat")
        chat_id = str(chat["id"]) if chat is not None else str(sender["id"])
        inbound = Inbound(
            channel=Channel.TELEGRAM, user_id=str(sender["id"]), chat_id=chat_id,
            at=datetime.now(UTC), kind=EventKind.POSTBACK, is_group=chat is not None and chat["type"] in GROUP_TYPES,
            payload=query.get("data") or "", event_id=event_id, display_name=full_name(sender),
            individual=is_individual(sender),
        )
        return Translated(inbound, callback_query_id=str(query["id"]))
    if update.get("my_chat_member") is not None:
        return Translated(_membership(update["my_chat_member"], event_id))
    if update.get("message") is not None:
        return Translated(_message(update["message"], event_id, bot_username))
    log.info("Telegram update without a message or button press ignored")
    return Translated(None)


def _membership(change: dict[str, Any], event_id: str) -> Inbound | None:
    chat = change["chat"]
    now_in = change["new_chat_member"]["status"] in IN
    was_in = change["old_chat_member"]["status"] in IN
    group = chat["type"] in GROUP_TYPES
    if now_in == was_in:
        return None
    if group:
        kind = EventKind.JOIN if now_in else EventKind.LEAVE
    elif not now_in:
        kind = EventKind.UNFOLLOW  # the person blocked the bot
    else:
        return None  # unblocking: the person's next /start greets them
    return Inbound(channel=Channel.TELEGRAM, user_id=str(change["from"]["id"]), chat_id=str(chat["id"]),
                   at=_date(change["date"]), kind=kind, is_group=group, event_id=event_id)


def _message(message: dict[str, Any], event_id: str, bot_username: str) -> Inbound | None:
    chat = message["chat"]
    group = chat["type"] in GROUP_TYPES
    sender = message.get("from")
    common: dict[str, Any] = {
        "channel": Channel.TELEGRAM,
        "user_id": str(sender["id"] if sender else chat["id"]),
        "chat_id": str(chat["id"]),
        "at": _date(message["date"]),
        "is_group": group,
        "event_id": event_id,
        "display_name": full_name(sender) if sender else None,
        "individual": is_individual(sender, sender_chat=message.get("sender_chat")),
    }
    if message.get("new_chat_members"):
        others = [m for m in message["new_chat_members"] if not (m.get("is_bot") and m.get("username") == bot_username)]
        if not others:
            return None  # the bot itself joined: my_chat_member says so
        return Inbound(kind=EventKind.MEMBER_JOINED, **{**common, "user_id": str(others[0]["id"])})
    if message.get("left_chat_member") is not None:
        return Inbound(kind=EventKind.MEMBER_LEFT, **{**common, "user_id": str(message["left_chat_member"]["id"])})
    typed = message.get("text")
    text = typed or message.get("caption")
    attachments = _attachments(message)
    if typed and typed.startswith("/"):
        head = typed[1:].split(" ", 1)[0]
        name, _, addressee = head.partition("@")
        if addressee and bot_username and addressee.lower() != bot_username.lower():
            return None  # a command for another bot in the same group
        if name.lower() == "start" and not group:
            opened = CASE_START.match(typed[1:].partition(" ")[2].strip())
            if opened:  # the "open in a private chat" link of a case: the same as typing /case N here
                return Inbound(kind=EventKind.MESSAGE, text=f"/case {opened.group(1)}", **common)
            return Inbound(kind=EventKind.FOLLOW, text=text, **common)
    if text is None and not attachments:
        log.info("Telegram message of an unused type ignored")
        return None
    return Inbound(kind=EventKind.MESSAGE, text=text, attachments=attachments, **common)


def _attachments(message: dict[str, Any]) -> tuple[Attachment, ...]:
    if message.get("photo"):
        biggest = max(message["photo"], key=lambda p: p["width"] * p["height"])
        return (Attachment(kind="image", ref=biggest["file_id"], size=biggest.get("file_size"),
                           content_type="image/jpeg"),)
    if (d := message.get("document")) is not None:
        return (Attachment(kind="file", ref=d["file_id"], size=d.get("file_size"), name=d.get("file_name"),
                           content_type=d.get("mime_type")),)
    if (v := message.get("video")) is not None:
        return (Attachment(kind="video", ref=v["file_id"], size=v.get("file_size"), content_type=v.get("mime_type")),)
    audio = message.get("voice") or message.get("audio")
    if audio is not None:
        return (Attachment(kind="audio", ref=audio["file_id"], size=audio.get("file_size"),
                           content_type=audio.get("mime_type")),)
    if (sticker := message.get("sticker")) is not None:
        return (Attachment(kind="sticker", ref=sticker["file_unique_id"]),)
    if (location := message.get("location")) is not None:
        return (Attachment(kind="location", ref=f"{location['latitude']},{location['longitude']}"),)
    return ()


# --- rendering ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part:
    """One Bot API call: a text (≤ 4096 characters) or a photo, with an optional inline keyboard (`keyboard` as
    PTB's object, `markup` as the JSON text the Bot API gets; shared between parts: never change either)."""

    text: str = ""
    photo_path: str | None = None
    photo_url: str | None = None
    keyboard: InlineKeyboardMarkup | None = None
    markup: str | None = None


@lru_cache(maxsize=1024)
def keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """One button per row: Thai labels are long and read best stacked. Built (and checked by PTB) once per set
    of buttons: the survey asks the same questions of everyone."""
    if not buttons:
        return None
    rows = []
    for b in buttons:
        if b.kind == "url":
            rows.append([InlineKeyboardButton(b.label, url=b.payload)])
        else:
            data = b.payload.encode()[:MAX_CALLBACK_DATA].decode(errors="ignore")
            rows.append([InlineKeyboardButton(b.label, callback_data=data)])
    return InlineKeyboardMarkup(rows)


@lru_cache(maxsize=1024)
def markup(buttons: tuple[Button, ...]) -> str | None:
    """The keyboard as PTB puts it on the wire (`to_dict`, as JSON), once per set of buttons."""
    built = keyboard(buttons)
    return None if built is None else json.dumps(built.to_dict(), ensure_ascii=False, separators=(",", ":"))


def render(messages: list[Outbound]) -> list[Part]:
    parts: list[Part] = []
    for outbound in messages:
        kb, wire = keyboard(outbound.buttons), markup(outbound.buttons)
        pieces = split_text(outbound.text, MAX_TEXT) if outbound.text else []
        if outbound.image_path or outbound.image_url:
            url = None if outbound.image_path else outbound.image_url
            parts.append(Part(photo_path=outbound.image_path, photo_url=url, keyboard=None if pieces else kb,
                              markup=None if pieces else wire))
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            parts.append(Part(text=piece, keyboard=kb if last else None, markup=wire if last else None))
    return parts
