"""Dashboard sessions end on the server at sign-out, cookies are Secure where they must be, POSTs from
another site are refused, and a unit head's queue is their unit's — signed in through a link sent in chat."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import aiohttp
import pytest
from sqlmodel import select

from bot.dashboard.auth import COOKIE
from bot.settings import Settings
from store.models import AuditLog
from tests.committee.test_through_fakes import Person
from tests.fakes.harness import Service, running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock

LINK = re.compile(r"https?://\S+/dashboard/login/\S+")


async def sign_in_link(person: Person) -> str:
    found = LINK.search(await person.say("/dashboard"))
    assert found, "no sign-in link in chat"
    return found.group(0).replace(person.svc.settings.public_base_url.rstrip("/"), person.svc.url)


async def sign_in(svc: Service, link: str) -> tuple[str, aiohttp.ClientResponse]:
    """POST the link's button from the dashboard's own page; the session cookie value and the response."""
    async with svc.http.post(link, headers={"Origin": svc.url}, allow_redirects=False) as resp:
        assert resp.status == 303, await resp.text()
        return resp.cookies[COOKIE].value, resp


async def page(svc: Service, cookie: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as fresh:  # a separate browser: only the copied cookie
        async with fresh.get(f"{svc.url}/dashboard", headers={"Cookie": f"{COOKIE}={cookie}"}) as resp:
            return resp.status, await resp.text()


async def test_sign_out_ends_the_session_on_the_server(any_service: Service) -> None:
    """After sign-out a copy of the session cookie no longer opens the dashboard, and sign-out is audited."""
    svc = any_service
    member = Person(svc, "line", "U-dash-c")
    await member.register("committee")
    cookie, _ = await sign_in(svc, await sign_in_link(member))
    assert (await page(svc, cookie))[0] == 200
    async with svc.http.post(f"{svc.url}/dashboard/logout", headers={"Origin": svc.url,
                             "Cookie": f"{COOKIE}={cookie}"}, allow_redirects=False) as resp:
        assert resp.status == 303
    assert (await page(svc, cookie))[0] == 401
    async with svc.sessions() as s:
        actions = [a.action for a in (await s.exec(select(AuditLog).where(AuditLog.channel == "web"))).all()]
    assert actions == ["dashboard.login", "dashboard.view", "dashboard.logout"]


async def test_posts_from_another_site_are_refused(service: Service) -> None:
    """A sign-in or sign-out POST with a foreign Origin or Referer is 403: the link stays unspent, the session on."""
    member = Person(service, "line", "U-dash-o")
    await member.register("committee")
    link = await sign_in_link(member)
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                    {"Referer": "https://evil.example/page"}):
        async with service.http.post(link, headers=headers, allow_redirects=False) as resp:
            assert resp.status == 403 and COOKIE not in resp.cookies
    cookie, _ = await sign_in(service, link)  # still unspent
    async with service.http.post(f"{service.url}/dashboard/logout", allow_redirects=False, headers={
            "Origin": "https://evil.example", "Cookie": f"{COOKIE}={cookie}"}) as resp:
        assert resp.status == 403
    assert (await page(service, cookie))[0] == 200


@pytest.mark.parametrize(("update", "secure"), [
    ({}, False),
    ({"environment": "production"}, True),
    ({"public_base_url": "https://pv.example-hospital.go.th"}, True),
])
async def test_session_cookie_flags(settings: Settings, clock: MovableClock, fake_line: FakeLine,
                                    fake_telegram: FakeTelegram, update: dict[str, str], secure: bool) -> None:
    """The session cookie is HttpOnly and SameSite=Lax; Secure when the address is https or in production."""
    async with running_service(settings, clock, line=fake_line, telegram=fake_telegram) as svc:
        for name, value in update.items():  # after start: the harness points PUBLIC_BASE_URL at its own port
            setattr(svc.settings, name, value)
        member = Person(svc, "line", "U-dash-s")
        await member.register("committee")
        link = LINK.search(await member.say("/dashboard"))
        assert link
        token = link.group(0).rsplit("/", 1)[1]
        async with svc.http.post(f"{svc.url}/dashboard/login/{token}", headers={"Origin": svc.url},
                                 allow_redirects=False) as resp:
            raw = resp.headers.getall("Set-Cookie")
    [header] = [h for h in raw if h.startswith(f"{COOKIE}=")]
    morsel = SimpleCookie(header)[COOKIE]
    assert morsel["httponly"] and morsel["samesite"] == "Lax" and morsel["path"] == "/"
    assert bool(morsel["secure"]) is secure


async def test_unit_head_dashboard_queue_is_their_unit(any_service: Service) -> None:
    """A unit head's dashboard queue lists their unit's open cases only; the committee's lists all."""
    svc = any_service
    pharmacy = Person(svc, "line", "U-dash-ph")
    lab = Person(svc, "line", "U-dash-lab")
    committee = Person(svc, "line", "U-dash-cm")
    await pharmacy.register("unit_head", "pharmacy")
    await lab.register("unit_head", "lab")
    await committee.register("committee")
    mine = re.search(r"\d{4}-\d{4}", await pharmacy.say("/report ตู้เย็นเก็บยาอุณหภูมิสูงเกินกำหนด"))
    theirs = re.search(r"\d{4}-\d{4}", await lab.say("/report เครื่องปั่นเลือดเสียงดังผิดปกติ"))
    assert mine and theirs
    cookie, _ = await sign_in(svc, await sign_in_link(pharmacy))
    status, html = await page(svc, cookie)
    assert status == 200 and mine.group(0) in html and theirs.group(0) not in html
    cookie, _ = await sign_in(svc, await sign_in_link(committee))
    status, html = await page(svc, cookie)
    assert status == 200 and mine.group(0) in html and theirs.group(0) in html
