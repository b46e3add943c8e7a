"""`python -m bot line richmenu`: the hospital's rich menu (survey, complaint, track) under the chat.

The menu is created through the Messaging API, its picture (three labelled panels, drawn here with a Thai
font) uploaded through the data API, and it is made the default for every user. Each panel sends the
same postback payload as the main menu's buttons, so the handlers see an ordinary button press.
"""

from __future__ import annotations

import argparse
import asyncio
import io
from typing import TYPE_CHECKING

from linebot.v3.messaging import (
    PostbackAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
)

from bot.line.client import LineClient
from bot.settings import Settings
from handlers.hospital import hospital_for

if TYPE_CHECKING:
    from bot.cli import Runner

WIDTH, HEIGHT = 2500, 843  # LINE's "compact" full-width size
ENTRIES = (("survey", "survey"), ("complaint", "complaint"), ("track", "track"))
COLOURS = ("#2e7d32", "#c62828", "#1565c0")


def menu_request(labels: list[str], bar: str = "เมนู") -> RichMenuRequest:
    width = WIDTH // len(labels)
    areas = []
    for i, (label, (_, payload)) in enumerate(zip(labels, ENTRIES, strict=True)):
        bounds = RichMenuBounds(x=i * width, y=0, width=width if i < len(labels) - 1 else WIDTH - i * width,
                                height=HEIGHT)
        areas.append(RichMenuArea(bounds=bounds, action=PostbackAction(label=label[:20], data=payload,
                                                                      displayText=label)))
    return RichMenuRequest(size=RichMenuSize(width=WIDTH, height=HEIGHT), selected=True,
                           name="patient-voice", chatBarText=bar[:14], areas=areas)


def menu_image(labels: list[str]) -> bytes:
    """A 2500×843 PNG: one coloured panel per entry with its Thai label."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from bot.charts import thai_font

    font = thai_font()
    figure = Figure(figsize=(WIDTH / 100, HEIGHT / 100), dpi=100)
    FigureCanvasAgg(figure)
    for i, label in enumerate(labels):
        ax = figure.add_axes((i / len(labels), 0, 1 / len(labels), 1))
        ax.set_facecolor(COLOURS[i % len(COLOURS)])
        ax.set_xticks([])
        ax.set_yticks([])
        ax.text(0.5, 0.5, label, ha="center", va="center", color="white", fontproperties=font.props(size=64))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


async def install_rich_menu(settings: Settings) -> str:
    """Create, illustrate and set the default rich menu; returns its id."""
    catalogue = hospital_for(settings).catalogue
    labels = [catalogue(f"button.{key}") for key, _ in ENTRIES]
    image = await asyncio.to_thread(menu_image, labels)
    async with LineClient(settings) as client:
        request = menu_request(labels, catalogue("line.rich_menu_bar"))
        created = await client.api.create_rich_menu(request, _request_timeout=client.timeout)
        menu_id = created.rich_menu_id
        await client.blob.set_rich_menu_image(menu_id, image, _headers={"Content-Type": "image/png"},
                                              _request_timeout=client.timeout)
        await client.api.set_default_rich_menu(menu_id, _request_timeout=client.timeout)
    return menu_id


def line_command(parser: argparse.ArgumentParser) -> Runner:
    sub = parser.add_subparsers(dest="line_command", required=True)
    sub.add_parser("richmenu", help="create the hospital's rich menu (survey, complaint, track) and set it as default")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        if not settings.line_enabled:
            print("LINE is off: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN first")
            return 2
        menu_id = asyncio.run(install_rich_menu(settings))
        print(f"rich menu {menu_id} created and set as default")
        return 0

    return run
