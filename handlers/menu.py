"""Greeting and the main menu: where every patient starts and every flow returns.

```mermaid
stateDiagram-v2
    [*] --> menu: follow / first message / free text
    menu --> survey: ประเมินความพึงพอใจ
    menu --> complaint: ร้องเรียน/เสนอแนะ
    menu --> compliment: ชมเชย
    menu --> track: ติดตามเรื่อง
    survey --> menu: done / ยกเลิก / idle
```
"""

from __future__ import annotations

from handlers.messages import Button, EventKind
from handlers.router import Router
from handlers.turn import Turn

router = Router("menu")

MENU_ENTRIES = (("survey", "survey"), ("complaint", "complaint"), ("compliment", "compliment"), ("track", "track"))


def menu_buttons(turn: Turn) -> list[Button]:
    return [turn.button(key, payload) for key, payload in MENU_ENTRIES]


def show_menu(turn: Turn, key: str = "menu.prompt") -> None:
    turn.say(key, buttons=menu_buttons(turn))


@router.event(EventKind.FOLLOW)
async def on_follow(turn: Turn) -> None:
    turn.identity.followed = True
    greet(turn)


@router.event(EventKind.UNFOLLOW)
async def on_unfollow(turn: Turn) -> None:
    turn.identity.followed = False
    turn.end()


@router.event(EventKind.JOIN)
async def on_join(turn: Turn) -> None:
    turn.say("common.group_hello")


def greet(turn: Turn) -> None:
    turn.say("welcome.greeting")
    turn.say("welcome.about")
    show_menu(turn)


@router.payload("menu")
async def on_menu(turn: Turn) -> None:
    turn.end()
    show_menu(turn, "menu.again")


@router.fallback
async def on_free_text(turn: Turn) -> None:
    """Outside any flow: a sticker or file gets a polite word, anything else the greeting and menu."""
    kinds = {a.kind for a in turn.inbound.attachments}
    if "sticker" in kinds:
        turn.say("common.sticker")
        show_menu(turn, "menu.again")
    elif "location" in kinds:
        turn.say("common.location")
    elif kinds:
        turn.say("common.media_outside_flow")
    elif turn.inbound.payload:  # a button of a flow this hospital has not switched on
        show_menu(turn, "menu.not_ready")
    else:
        greet(turn)
