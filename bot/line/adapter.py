"""LINE ↔ the channel-neutral model. Translation only: no database, no handler logic.

`to_inbound` turns one stored webhook event (the JSON LINE sent) into an `Inbound`; `render` turns
`Outbound` messages into LINE message objects (quick replies for buttons).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeVar

from linebot.v3.messaging import (
    DatetimePickerAction,
    ImageMessage,
    Message,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
    URIAction,
)

from handlers.messages import Attachment, Button, Channel, EventKind, Inbound, Outbound

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_MESSAGES_PER_CALL = 5
MAX_QUICK_REPLY_ITEMS = 13
MAX_LABEL = 20
MAX_POSTBACK_DATA = 300
MAX_TEXT = 5000
MEDIA_KINDS = frozenset({"image", "video", "audio", "file"})
DATETIME_MODES = {"date": "date", "time": "time", "datetime": "datetime"}

SIMPLE_EVENTS = {
    "follow": EventKind.FOLLOW,
    "unfollow": EventKind.UNFOLLOW,
    "join": EventKind.JOIN,
    "leave": EventKind.LEAVE,
}


def chat_id_of(event: dict[str, Any]) -> str:
    """Where answers go: the group or room for group chats, else the user."""
    source = event.get("source") or {}
    return str(source.get("groupId") or source.get("roomId") or source.get("userId") or "")


def chat_key(event: dict[str, Any]) -> str:
    return f"line:{chat_id_of(event)}"


def is_group(event: dict[str, Any]) -> bool:
    return (event.get("source") or {}).get("type") in ("group", "room")


def to_inbound(event: dict[str, Any], *, event_id: str) -> Inbound | None:
    """The `Inbound` for one LINE event, or None for event types the hospital does not use."""
    kind_name = event.get("type")
    source = event.get("source") or {}
    chat = chat_id_of(event)
    user = str(source.get("userId") or chat)
    common: dict[str, Any] = {
        "channel": Channel.LINE,
        "user_id": user,
        "chat_id": chat,
        "at": datetime.fromtimestamp(int(event.get("timestamp", 0)) / 1000, UTC),
        "is_group": is_group(event),
        "event_id": event_id,
        "individual": bool(source.get("userId")),  # no userId (desktop users in groups): the group, not a person
    }
    if kind_name in SIMPLE_EVENTS:
        return Inbound(kind=SIMPLE_EVENTS[kind_name], **common)
    if kind_name in ("memberJoined", "memberLeft"):
        members = (event.get("joined") or event.get("left") or {}).get("members") or []
        if members and members[0].get("userId"):
            common["user_id"] = str(members[0]["userId"])
            common["individual"] = True
        kind = EventKind.MEMBER_JOINED if kind_name == "memberJoined" else EventKind.MEMBER_LEFT
        return Inbound(kind=kind, **common)
    if kind_name == "postback":
        postback = event.get("postback") or {}
        params = {str(k): str(v) for k, v in (postback.get("params") or {}).items()}
        return Inbound(kind=EventKind.POSTBACK, payload=str(postback.get("data", "")), params=params, **common)
    if kind_name == "message":
        return _message(event.get("message") or {}, common)
    log.info("LINE event type %s ignored", kind_name)
    return None


def _message(message: dict[str, Any], common: dict[str, Any]) -> Inbound | None:
    mtype = message.get("type")
    ref = str(message.get("id", ""))
    if mtype == "text":
        return Inbound(text=str(message.get("text", "")), **common)
    if mtype in MEDIA_KINDS:
        attachment = Attachment(
            kind=mtype, ref=ref, size=message.get("fileSize"), name=message.get("fileName"),
            content_type=None,
        )
        return Inbound(attachments=(attachment,), **common)
    if mtype == "sticker":
        sticker = f"{message.get('packageId', '')}/{message.get('stickerId', '')}"
        return Inbound(attachments=(Attachment(kind="sticker", ref=sticker),), **common)
    if mtype == "location":
        where = f"{message.get('latitude')},{message.get('longitude')}"
        return Inbound(attachments=(Attachment(kind="location", ref=where, name=message.get("address")),), **common)
    log.info("LINE message type %s ignored", mtype)
    return None


def is_external_content(event: dict[str, Any]) -> bool:
    """Media the user shared by URL (contentProvider external) has no content for us to fetch."""
    provider = ((event.get("message") or {}).get("contentProvider") or {}).get("type")
    return provider == "external"


# --- rendering ------------------------------------------------------------------------------------


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _action(button: Button) -> Any:
    label = _label(button.label)
    if button.kind == "url":
        return URIAction(label=label, uri=button.payload)
    data = button.payload[:MAX_POSTBACK_DATA]
    if button.kind in DATETIME_MODES:
        return DatetimePickerAction(label=label, data=data, mode=DATETIME_MODES[button.kind])
    return PostbackAction(label=label, data=data, displayText=button.label)


def quick_reply(buttons: tuple[Button, ...]) -> QuickReply | None:
    if not buttons:
        return None
    if len(buttons) > MAX_QUICK_REPLY_ITEMS:
        log.warning("LINE shows at most %d quick replies; %d dropped", MAX_QUICK_REPLY_ITEMS,
                    len(buttons) - MAX_QUICK_REPLY_ITEMS)
    items = [QuickReplyItem(action=_action(b)) for b in buttons[:MAX_QUICK_REPLY_ITEMS]]
    return QuickReply(items=items)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at a line break or space where one is near."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        if cut < limit // 2:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n ")
    if text:
        pieces.append(text)
    return pieces


def render(messages: list[Outbound]) -> list[Message]:
    """LINE messages for a list of `Outbound`; buttons become the quick reply of the last part."""
    return [message for outbound in messages for message in _models(outbound)]


def _models(outbound: Outbound) -> list[Message]:
    """One `Outbound` as the SDK's models (checked by them: lengths, URLs, actions)."""
    parts: list[Message] = []
    image_url = outbound.image_url
    if image_url:
        parts.append(ImageMessage(originalContentUrl=image_url, previewImageUrl=image_url))
    elif outbound.image_path:
        log.warning("LINE needs an image URL; image_path without image_url not sent")
    for piece in split_text(outbound.text, MAX_TEXT) if outbound.text else []:
        parts.append(TextMessage(text=piece))
    if not parts and outbound.buttons:
        parts.append(TextMessage(text="…"))
    reply = quick_reply(outbound.buttons)
    if reply is not None and parts:
        parts[-1].quick_reply = reply
    return parts


def _encode(outbound: Outbound) -> tuple[str, ...]:
    """One `Outbound`'s messages as the SDK sends them (its models' `to_dict`: aliases, no unset fields), each as
    its JSON text."""
    return tuple(json.dumps(m.to_dict(), ensure_ascii=False) for m in _models(outbound))


# Built, validated as models and encoded once per distinct `shared` message: the survey sends the same questions
# to everyone; the models (pydantic) were a third of a LINE send's CPU and the encoding of a question with its quick
# replies ≈ 50 µs more on the bench VM, made again for every chat it went to.
_wire_text = lru_cache(maxsize=1024)(_encode)


def wire_text(messages: list[Outbound]) -> list[str]:
    """The `messages` of LINE's reply/push calls for a list of `Outbound` (`render`, as the SDK's JSON), each
    message as its JSON text (bot/line/client.py `send` splices them into the call's body). Only `shared` messages
    go through the caches; one that quotes a person is built each time and not kept (an erasure cannot reach it)."""
    return [message for outbound in messages
            for message in (_wire_text(outbound) if outbound.shared else _encode(outbound))]


def batches(messages: list[T]) -> list[list[T]]:
    """At most five messages per API call."""
    return [messages[i : i + MAX_MESSAGES_PER_CALL] for i in range(0, len(messages), MAX_MESSAGES_PER_CALL)]
