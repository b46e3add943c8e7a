"""The channel-neutral message model. Adapters (bot/) turn LINE/Telegram payloads into `Inbound` and render
`Outbound`; handlers never see a platform type; the outbox (store/outbox.py) keeps `Outbound`s as rows.

A leaf module, imported by every layer (store, handlers, bot), so that the store can queue messages without
importing the handlers above it. Handlers import it as `handlers.messages`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    LINE = "line"
    TELEGRAM = "telegram"
    TERMINAL = "terminal"


class EventKind(StrEnum):
    MESSAGE = "message"  # text, media, sticker or location
    POSTBACK = "postback"  # a button press (LINE postback, Telegram callback query)
    FOLLOW = "follow"  # a user added the bot (LINE follow, Telegram /start)
    UNFOLLOW = "unfollow"
    JOIN = "join"  # the bot was added to a group
    LEAVE = "leave"
    MEMBER_JOINED = "member_joined"
    MEMBER_LEFT = "member_left"


@dataclass(frozen=True, slots=True)
class Attachment:
    """Something other than text: `kind` is image, video, audio, file, sticker or location."""

    kind: str
    ref: str = ""  # platform content id (LINE message id, Telegram file_id)
    content_type: str | None = None
    size: int | None = None
    name: str | None = None
    media_id: int | None = None  # MediaFile row once the content is kept
    too_large: bool = False  # over MEDIA_MAX_BYTES: recorded, not stored


@dataclass(frozen=True, slots=True)
class Inbound:
    """One thing a person did in a chat."""

    channel: Channel
    user_id: str
    chat_id: str
    at: datetime
    kind: EventKind = EventKind.MESSAGE
    is_group: bool = False
    text: str | None = None
    payload: str | None = None  # button data
    params: dict[str, str] = field(default_factory=dict)  # e.g. the date a LINE datetime picker chose
    attachments: tuple[Attachment, ...] = ()
    event_id: str = ""
    display_name: str | None = None
    # One known person sent this. False when the platform does not say who: a LINE group message from a
    # desktop user carries no userId (user_id falls back to the group), a Telegram anonymous admin or a
    # post in a chat's name arrives as one shared account. Such a sender never acts as staff.
    individual: bool = True

    @property
    def command(self) -> tuple[str, str] | None:
        """`("queue", "opd")` for "/queue opd" or "/queue@HospitalBot opd"; None for other text."""
        if not self.text or not self.text.startswith("/"):
            return None
        head, _, rest = self.text[1:].partition(" ")
        name = head.split("@", 1)[0].lower()
        return (name, rest.strip()) if name else None


@dataclass(frozen=True, slots=True)
class Button:
    """A choice offered under a message; `payload` comes back as `Inbound.payload`.

    Payloads stay ≤ 64 bytes (Telegram callback_data; LINE postback allows 300 characters); a `url`
    button's payload is its address, which both platforms take longer.
    `kind="datetime"` asks LINE for a date picker; other channels type the date instead.
    """

    label: str
    payload: str
    kind: str = "postback"  # postback | datetime | url

    def __post_init__(self) -> None:
        if self.kind != "url" and len(self.payload.encode()) > 64:
            raise ValueError(f"button payload over 64 bytes: {self.payload!r}")


@dataclass(frozen=True, slots=True)
class Outbound:
    """One message to show: text, optional buttons, optional image (a URL the service serves)."""

    text: str = ""
    buttons: tuple[Button, ...] = ()
    image_url: str | None = None
    image_path: str | None = None  # local PNG, uploaded where the platform allows it (Telegram)
    # the catalogue key the text came from (`turn.say`), so tests can name the message instead of its Thai;
    # not part of what is sent or stored, and not compared
    key: str | None = field(default=None, compare=False)
    # True when the message holds no person's words or contact (the catalogue's text with numbers, the survey's
    # own questions): only such messages may be kept in the encoders' in-memory caches (store.outbox
    # `payload_json`, the LINE adapter's `_wire`), which an erasure cannot reach. Not compared.
    shared: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        # a list of buttons (typed a tuple, not enforced) would make the message unhashable: the encoders' caches
        # would raise after the handlers ran and fail the whole batch (the review of round 8)
        if not isinstance(self.buttons, tuple):
            object.__setattr__(self, "buttons", tuple(self.buttons))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "buttons": [{"label": b.label, "payload": b.payload, "kind": b.kind} for b in self.buttons],
            "image_url": self.image_url,
            "image_path": self.image_path,
        }
        if self.shared:
            data["shared"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outbound:
        return cls(
            text=data.get("text", ""),
            buttons=tuple(Button(b["label"], b["payload"], b.get("kind", "postback")) for b in data.get("buttons", [])),
            image_url=data.get("image_url"),
            image_path=data.get("image_path"),
            shared=bool(data.get("shared", False)),
        )


@dataclass(slots=True)
class Delivery:
    """Messages for one chat: the reply to the inbound event, or a push to someone else (a ping)."""

    channel: Channel
    chat_id: str
    messages: list[Outbound]
    is_reply: bool = False
    dedupe_key: str | None = None  # a ping that must go once (reminder id, case transition)
