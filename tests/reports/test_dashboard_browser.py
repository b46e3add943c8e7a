"""The committee dashboard in a real headless Chromium (Debian's), driven over the W3C WebDriver API."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import DISPATCHER, SERVICES, create_app
from bot.dashboard.auth import COOKIE
from bot.settings import Settings
from handlers.messages import Channel, Inbound
from tests.reports.helpers import add_case, add_many, add_staff
from tests.support import IN_CI

CHROMIUM = "/usr/bin/chromium"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,2000"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _browser_or_fail() -> tuple[str, str]:
    driver = shutil.which("chromedriver")
    if not (Path(CHROMIUM).exists() and driver):
        message = "Debian chromium / chromium-driver missing: run scripts/system-deps.sh"
        if IN_CI:
            pytest.fail(message + " (CI=true: the browser test must run)")
        pytest.skip(message)
    return CHROMIUM, driver


class WebDriver:
    """Just enough of the W3C WebDriver protocol, spoken with aiohttp."""

    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self.http, self.base, self.session = http, base, ""

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        url = f"{self.base}/session{'/' + self.session if self.session else ''}{path}"
        async with self.http.request(method, url, json=body) as resp:
            data = await resp.json()
        if resp.status >= 400:
            raise AssertionError(f"webdriver {method} {path}: {data}")
        return data["value"]

    async def start(self, binary: str, profile: Path) -> None:
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": binary, "args": [*FLAGS, f"--user-data-dir={profile}"]}}}}
        value = await self.call("POST", "", caps)
        self.session = value["sessionId"]

    async def go(self, url: str) -> None:
        await self.call("POST", "/url", {"url": url})

    async def click(self, css: str) -> None:
        element = await self.call("POST", "/element", {"using": "css selector", "value": css})
        await self.call("POST", f"/element/{element[ELEMENT]}/click", {})

    async def run(self, script: str) -> Any:
        return await self.call("POST", "/execute/sync", {"script": script, "args": []})


@pytest.fixture
async def chromedriver(tmp_path: Path) -> AsyncIterator[tuple[WebDriver, Path]]:
    binary, driver = _browser_or_fail()
    port = _free_port()
    proc = subprocess.Popen([driver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        deadline = asyncio.get_running_loop().time() + 20
        while True:  # wait for the driver to listen (readiness, not a timing assumption)
            try:
                async with http.get(f"{base}/status") as resp:
                    if (await resp.json())["value"].get("ready"):
                        break
            except aiohttp.ClientError:
                pass
            if asyncio.get_running_loop().time() > deadline:
                proc.kill()
                raise AssertionError("chromedriver did not start")
            await asyncio.sleep(0.05)
        wd = WebDriver(http, base)
        await wd.start(binary, tmp_path / "chromium-profile")
        try:
            yield wd, tmp_path
        finally:
            await wd.call("DELETE", "")
            proc.terminate()
            proc.wait(timeout=10)


@pytest.mark.browser
async def test_committee_signs_in_with_one_time_link_and_sees_dashboard(
    chromedriver: tuple[WebDriver, Path], aiohttp_server: Any, settings: Settings
) -> None:
    """/dashboard link → confirm → dashboard with figures and a loaded chart PNG; the link works once."""
    wd, tmp_path = chromedriver
    port = _free_port()
    settings = settings.model_copy(update={"public_base_url": f"http://127.0.0.1:{port}",
                                           "media_dir": tmp_path / "media"})
    app = create_app(settings)
    await aiohttp_server(app, port=port)
    services = app[SERVICES]
    async with services.sessions() as s:
        await add_staff(s, role="committee", name="กรรมการทดสอบ")
        await add_many(s, service="opd", day=date(2026, 10, 5), satisfied=17, not_satisfied=3, department="opd")
        await add_many(s, service="ipd", day=date(2026, 11, 5), satisfied=13, not_satisfied=7, department="ward_med")
        now = datetime.now(UTC)
        await add_case(s, number="2570-0001", created=now, status="triaged", severity="E", primary_topic="waiting",
                       unit_code="opd", resolve_due_at=now + timedelta(days=3), summary="นายสมชาย โทร 0812345678")
        await s.commit()
    inbound = Inbound(channel=Channel.TERMINAL, user_id="staff-1", chat_id="staff-1", at=datetime.now(UTC),
                      text="/dashboard")
    async with services.sessions() as s:
        result = await app[DISPATCHER].handle(inbound, session=s)
        await s.commit()
    link = result.replies[0].text.split("\n")[1]
    assert link.startswith(f"http://127.0.0.1:{port}/dashboard/login/")

    await wd.go(f"http://127.0.0.1:{port}/dashboard?period=FY2570")
    assert "กรุณาเข้าสู่ระบบ" in await wd.run("return document.body.innerText")  # not signed in yet
    await wd.go(link)
    await wd.click("#signin")
    state = await wd.run(
        "const i = document.getElementById('trend-chart');"
        "return {url: location.pathname, text: document.body.innerText, img: i && i.getAttribute('src'),"
        " complete: i && i.complete, width: i && i.naturalWidth,"
        " opd: document.querySelector('#kpi-opd .pct').textContent,"
        " ipd: document.querySelector('#kpi-ipd .pct').textContent,"
        " queue: document.querySelector('#queue tbody').innerText}")
    if not state["complete"]:  # the chart is drawn on request; wait for the browser to finish loading it
        state["width"] = await wd.call("POST", "/execute/async", {"script": (
            "const done = arguments[0]; const i = document.getElementById('trend-chart');"
            "if (i.complete) done(i.naturalWidth); else { i.onload = () => done(i.naturalWidth);"
            " i.onerror = () => done(0); }"), "args": []})
    assert state["url"] == "/dashboard"
    assert state["img"].startswith("/dashboard/chart.png") and state["width"] > 300  # a real PNG, decoded
    assert (state["opd"], state["ipd"]) == ("85.00", "65.00")
    assert "ผ่านระดับ 5" in state["text"] and "ผ่านระดับ 1" in state["text"]
    assert "2570-0001" in state["queue"] and "ระยะเวลารอคอย" in state["queue"]
    assert "สมชาย" not in state["text"] and "0812345678" not in state["text"]  # no patient identity
    cookies = await wd.call("GET", "/cookie")
    assert any(c["name"] == COOKIE and c["httpOnly"] for c in cookies)

    await wd.call("DELETE", "/cookie")
    await wd.go(link)  # the same link a second time
    assert "หมดอายุหรือถูกใช้ไปแล้ว" in await wd.run("return document.body.innerText")
