"""The dashboard page carries its own Thai font: the charts' Sarabun, served by the service itself."""

from __future__ import annotations

from typing import Any

from bot.app import create_app
from bot.charts import FONT_FILES
from bot.settings import Settings


async def test_stylesheet_uses_the_shipped_sarabun(aiohttp_client: Any, settings: Settings) -> None:
    """dashboard.css declares Sarabun from the service, and both font files are served as TrueType."""
    client = await aiohttp_client(create_app(settings))
    css = await (await client.get("/dashboard/static/dashboard.css")).text()
    assert 'url("Sarabun-Regular.ttf")' in css and 'url("Sarabun-Bold.ttf")' in css
    for weight, path in FONT_FILES.items():
        resp = await client.get(f"/dashboard/static/{path.name}")
        assert resp.status == 200 and resp.content_type == "font/ttf", weight
        assert await resp.read() == path.read_bytes()
    assert (await client.get("/dashboard/static/OFL.ttf")).status == 404
    assert (await client.get("/dashboard/static/..%2Fcharts.py")).status == 404
