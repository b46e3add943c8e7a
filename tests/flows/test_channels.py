"""The survey and a complaint through each channel's fake server, checking what the platforms accept:
LINE ≤ 5 messages per call, ≤ 13 quick replies, labels ≤ 20 characters; Telegram callback_data ≤ 64 bytes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from bot.sender import Limits, RateLimiter
from store.models import Case, MediaFile, SurveyResponse
from tests.fakes.base import SentMessage
from tests.fakes.harness import Service


@pytest.fixture(autouse=True)
def no_telegram_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Telegram's one-message-a-second per chat pacing runs on real time; these tests are about content."""
    fast = RateLimiter(10_000, 10_000)
    monkeypatch.setattr("bot.telegram.channel.telegram_limits", lambda: Limits(fast, fast, fast))


class Patient:
    """One user on one channel: send something, wait until the service is idle, read what came back."""

    def __init__(self, svc: Service, channel: str, user: str | int) -> None:
        self.svc, self.channel, self.user = svc, channel, user
        self.seen = 0

    @property
    def fake(self) -> Any:
        return self.svc.line if self.channel == "line" else self.svc.telegram

    async def _new(self) -> list[SentMessage]:
        await self.svc.settle()
        msgs = await self.fake.messages_to(self.user)
        new, self.seen = msgs[self.seen :], len(msgs)
        assert new, "the service answered nothing"
        return new

    async def text(self, text: str) -> list[SentMessage]:
        if self.channel == "line":
            await self.svc.line_text(str(self.user), text)
        else:
            await self.svc.telegram_text(int(self.user), text)
        return await self._new()

    async def press(self, payload: str, **params: str) -> list[SentMessage]:
        if self.channel == "line":
            await self.svc.line_postback(str(self.user), payload, params=params or None)
        else:
            await self.svc.telegram_callback(int(self.user), payload)
        return await self._new()

    async def photo(self) -> list[SentMessage]:
        if self.channel == "line":
            await self.svc.line_media(str(self.user), "image")
        else:
            await self.svc.telegram_photo(int(self.user))
        return await self._new()


def check_line_limits(svc: Service) -> None:
    for call in svc.line.calls("/message/"):
        body = call.body if isinstance(call.body, dict) else {}
        messages = body.get("messages", [])
        assert len(messages) <= 5, f"{call.path}: {len(messages)} messages"
        for message in messages:
            items = (message.get("quickReply") or {}).get("items", [])
            assert len(items) <= 13
            assert all(len(i["action"]["label"]) <= 20 for i in items)


def check_telegram_limits(svc: Service) -> None:
    for call in svc.telegram.requests:
        body = call.body if isinstance(call.body, dict) else {}
        markup = body.get("reply_markup")
        if isinstance(markup, str):
            import json

            markup = json.loads(markup)
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                assert len(button.get("callback_data", "").encode()) <= 64


async def walk_survey(p: Patient) -> None:
    msgs = await p.press("consent:yes")
    assert "survey" in msgs[-1].payloads
    await p.press("survey")
    msgs = await p.press("survey:type:opd")
    assert "survey:dept:pharmacy" in msgs[-1].payloads
    msgs = await p.press("survey:dept:pharmacy")
    if p.channel == "line":
        assert "survey:date:pick" in msgs[-1].payloads
        msgs = await p.press("survey:date:pick", date="2026-11-25")
    else:
        assert "survey:date:pick" not in msgs[-1].payloads  # no picker on Telegram: typed instead
        msgs = await p.text("25/11/2569")
    answered = 0
    while any(x.startswith("survey:s:") for x in msgs[-1].payloads):
        score = msgs[-1].payloads[3]  # "4 มาก"
        msgs = await (p.text("ห้า") if answered == 0 else p.press(score))
        answered += 1
    assert answered == 16 and "survey:skip" in msgs[-1].payloads
    msgs = await p.text("ห้องน้ำสะอาด เจ้าหน้าที่ใจดี")
    assert any("บันทึกผลการประเมินเรียบร้อย" in m.text for m in msgs)
    async with p.svc.sessions() as session:
        response = (await session.exec(select(SurveyResponse))).one()
    assert response.channel == p.channel and response.visit_date.isoformat() == "2026-11-25"


async def walk_complaint(p: Patient) -> str:
    await p.press("complaint")
    await p.text("รอรับยานานมาก 3 ชั่วโมง")
    msgs = await p.photo()
    assert any("ไฟล์" in m.text for m in msgs)
    msgs = await p.press("complaint:done")
    assert "complaint:skipdept" in msgs[-1].payloads and len(msgs[-1].payloads) <= 13
    await p.press("complaint:skipdept")
    msgs = await p.press("complaint:anon")
    text = "\n".join(m.text for m in msgs)
    assert "เลขที่เรื่อง: 2570-0001" in text
    await p.svc.settle()
    async with p.svc.sessions() as session:
        case = (await session.exec(select(Case))).one()
        media = (await session.exec(select(MediaFile))).all()
    assert case.feedback_id is not None and case.primary_topic in ("waiting", "medication")
    assert media and all(m.case_id == case.id for m in media)
    return case.number


@pytest.mark.slow
async def test_line_survey_and_complaint(service: Service) -> None:
    """On LINE: follow → consent → survey with the date picker → complaint with a photo; limits respected."""
    p = Patient(service, "line", "U-line-1")
    await service.line_follow("U-line-1")
    p.seen = len(await service.line.messages_to("U-line-1", wait_for=3))
    await walk_survey(p)
    number = await walk_complaint(p)
    msgs = await p.press(f"track:{number}")
    assert number in msgs[0].text
    check_line_limits(service)


@pytest.mark.slow
async def test_telegram_survey_and_complaint(service: Service) -> None:
    """On Telegram: /start → consent → survey with a typed date → complaint with a photo; callback data fits."""
    p = Patient(service, "telegram", 4242)
    msgs = await p.text("/start")
    assert "consent:yes" in msgs[-1].payloads
    await walk_survey(p)
    await walk_complaint(p)
    check_telegram_limits(service)
