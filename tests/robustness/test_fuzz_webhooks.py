"""Bad input at both webhook endpoints, property-based (hypothesis, fixed seed): never a 5xx, nothing stored
for anything refused; then the hard-but-valid inputs, processed and answered: oversize bodies (413),
deeply nested JSON, unknown event types, 10,000-character texts, zero-width and mixed-script text,
SQL-looking text."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Coroutine, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, text
from sqlmodel import select

from bot.settings import Settings
from store.models import InboundEvent
from tests.fakes.harness import TELEGRAM_SECRET, Service, running_service, sign

T = TypeVar("T")
FUZZ = settings(max_examples=100, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
CONTENT_TYPES = ("application/json", "application/json; charset=utf-8", "text/plain", "application/xml",
                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "",
                 "application/octet-stream")


class Background:
    """The service (workers off: only the webhooks) in a thread with its own loop, for sync hypothesis tests."""

    def __init__(self, settings: Settings) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._stop: asyncio.Event | None = None
        started: Future[Service] = Future()

        async def main() -> None:
            self._stop = asyncio.Event()
            try:
                async with running_service(settings, workers=False) as svc:
                    started.set_result(svc)
                    await self._stop.wait()
            except BaseException as exc:
                if not started.done():
                    started.set_exception(exc)
                raise

        self._main = asyncio.run_coroutine_threadsafe(main(), self.loop)
        self.svc = started.result(60)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    def close(self) -> None:
        assert self._stop is not None
        self.loop.call_soon_threadsafe(self._stop.set)
        self._main.result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    async def stored(self) -> int:
        async with self.svc.sessions() as session:
            return int((await session.exec(select(func.count()).select_from(InboundEvent))).one())

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        async with self.svc.http.post(f"{self.svc.url}{path}", data=body, headers=headers) as resp:
            await resp.read()
            return resp.status


@pytest.fixture(scope="module")
def background(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Background]:
    import shutil

    path = tmp_path_factory.mktemp("fuzz") / "pv.db"
    shutil.copy(sqlite_template, path)
    bg = Background(Settings(_env_file=None, environment="development",  # type: ignore[call-arg]
                             database_url=f"sqlite+aiosqlite:///{path}", media_dir=path.parent / "media"))
    yield bg
    bg.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
bodies = st.one_of(
    st.binary(max_size=600),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.text(max_size=300).map(str.encode),
)
line_events = st.dictionaries(
    st.sampled_from(["type", "mode", "timestamp", "source", "message", "postback", "replyToken", "x"]),
    json_values, max_size=6,
).map(lambda e: {**e, "webhookEventId": "F" + json.dumps(e, sort_keys=True)[:20]})
telegram_updates = st.builds(
    lambda uid, extra: {"update_id": uid, **extra},
    st.integers(min_value=-(2**70), max_value=2**70),
    st.dictionaries(st.sampled_from(["message", "edited_message", "callback_query", "my_chat_member",
                                     "poll", "something_new"]), json_values, max_size=2),
)


@pytest.mark.fuzz
@FUZZ
@given(body=bodies, mode=st.sampled_from(["missing", "wrong", "valid"]), content_type=st.sampled_from(CONTENT_TYPES))
def test_line_webhook_fuzz(background: Background, body: bytes, mode: str, content_type: str) -> None:
    """LINE: random bodies, signatures and content types never get a 5xx; anything refused stores nothing."""
    headers = {"Content-Type": content_type} if content_type else {}
    if mode == "valid":
        headers["X-Line-Signature"] = sign(body)
    elif mode == "wrong":
        headers["X-Line-Signature"] = sign(body, "not-the-channel-secret")
    before = background.run(background.stored())
    status = background.run(background.post("/webhook/line", body, headers))
    after = background.run(background.stored())
    assert status < 500
    if mode != "valid":
        assert status in (400, 401)
    if status != 200:
        assert after == before


@pytest.mark.fuzz
@FUZZ
@given(events=st.lists(line_events, max_size=3))
def test_line_signed_events_fuzz(background: Background, events: list[dict[str, Any]]) -> None:
    """LINE: signed bodies with odd events are accepted (200, unknown types stored to be ignored) or refused
    as malformed (400, nothing stored) — never a 5xx."""
    body = json.dumps({"destination": "U1", "events": events}).encode()
    before = background.run(background.stored())
    status = background.run(background.post("/webhook/line", body, {"Content-Type": "application/json",
                                                                     "X-Line-Signature": sign(body)}))
    after = background.run(background.stored())
    assert status in (200, 400)
    if status != 200:
        assert after == before


@pytest.mark.fuzz
@FUZZ
@given(body=bodies, mode=st.sampled_from(["missing", "wrong", "valid"]), content_type=st.sampled_from(CONTENT_TYPES))
def test_telegram_webhook_fuzz(background: Background, body: bytes, mode: str, content_type: str) -> None:
    """Telegram: random bodies, secrets and content types never get a 5xx; anything refused stores nothing."""
    headers = {"Content-Type": content_type} if content_type else {}
    if mode == "valid":
        headers["X-Telegram-Bot-Api-Secret-Token"] = TELEGRAM_SECRET
    elif mode == "wrong":
        headers["X-Telegram-Bot-Api-Secret-Token"] = TELEGRAM_SECRET + "x"
    before = background.run(background.stored())
    status = background.run(background.post("/webhook/telegram", body, headers))
    after = background.run(background.stored())
    assert status < 500
    if mode != "valid":
        assert status == 403
    if status != 200:
        assert after == before


@pytest.mark.fuzz
@FUZZ
@given(update=telegram_updates)
def test_telegram_updates_fuzz(background: Background, update: dict[str, Any]) -> None:
    """Telegram: updates of unknown or malformed kinds are accepted (200) or refused (400) — never a 5xx."""
    before = background.run(background.stored())
    status = background.run(background.post("/webhook/telegram", json.dumps(update).encode(),
                                            {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET,
                                             "Content-Type": "application/json"}))
    after = background.run(background.stored())
    assert status in (200, 400)
    if status != 200:
        assert after == before


# --- hard but valid input, with the workers on ---------------------------------------------------

async def _count(svc: Service) -> int:
    async with svc.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(InboundEvent))).one())


async def test_oversize_bodies_are_413_and_not_stored(service: Service) -> None:
    """A body over MAX_BODY_BYTES gets 413 on both endpoints (signed or not) and nothing is stored."""
    big = json.dumps({"events": [], "pad": "x" * service.settings.max_body_bytes}).encode()
    assert (await service.line_post(big, sign(big)))[0] == 413
    assert (await service.line_post(big, None))[0] in (400, 413)
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "Content-Type": "application/json"}
    async with service.http.post(f"{service.url}/webhook/telegram", data=big, headers=headers) as resp:
        assert resp.status == 413
    assert await _count(service) == 0


async def test_deeply_nested_json_is_refused_not_crashed(service: Service) -> None:
    """JSON nested 100,000 deep (within the size limit) is a 400, not a 5xx, on both endpoints."""
    deep = b"[" * 100_000 + b"]" * 100_000
    status, _ = await service.line_post(deep, sign(deep))
    assert status == 400
    status, _ = await service.telegram_post({"update_id": 1, "message": json.loads("[" * 50 + "]" * 50)})
    assert status in (200, 400)
    async with service.http.post(f"{service.url}/webhook/telegram", data=deep,
                                 headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}) as resp:
        assert resp.status == 400


async def test_empty_events_and_unknown_types_are_accepted_and_ignored(service: Service) -> None:
    """An empty events array is 200; an event type nobody knows is stored, handled as skipped, and answered
    with nothing; an unknown Telegram update kind likewise."""
    body = json.dumps({"destination": "U1", "events": []}).encode()
    assert (await service.line_post(body, sign(body)))[0] == 200
    event = service.line_event("hologram", "U-odd", reply=False, hologram={"shape": "cube"})
    await service.line_events(event)
    status, _ = await service.telegram_post({"update_id": 987654, "business_hologram": {"id": 1}})
    assert status == 200
    await service.settle()
    async with service.sessions() as session:
        rows = (await session.exec(select(InboundEvent))).all()
    assert sorted(r.status for r in rows) == ["skipped", "skipped"]
    assert service.line.sent == [] and service.telegram.sent == []


HARD_TEXTS = {
    "long": ("ร้องเรียนเรื่องรอนานมาก " * 500)[:10_000],
    "zero_width": "ร้อง\u200bเรียน\u200c พยาบาล\u200dพูด\ufeffไม่ดี\u2060",
    "mixed_script": "OPD ห้อง 3 รอ 2 ชม. 😡 Ｆｕｌｌwidth عربى 中文 Ελληνικά ພາສາລາວ ភាសាខ្មែរ",
    "sql": "'; DROP TABLE cases; -- ร้องเรียน\" OR 1=1; SELECT * FROM patients WHERE '1'='1",
    "control": "แจ้ง\x00เรื่อง\x07 \r\n\t ท้ายบรรทัด \u202eกลับด้าน",
}


@pytest.mark.parametrize("kind", sorted(HARD_TEXTS))
async def test_hard_texts_are_answered_and_stored_verbatim(service: Service, kind: str) -> None:
    """Very long, zero-width, mixed-script, control-character and SQL-looking texts are handled without
    error on both channels, answered, and stored exactly as sent."""
    text_in = HARD_TEXTS[kind]
    await service.line_text("U-hard", text_in)
    await service.telegram_text(4040, text_in)
    await service.line.messages_to("U-hard", wait_for=1)
    await service.telegram.messages_to(4040, wait_for=1)
    await service.settle()
    async with service.sessions() as session:
        rows = (await session.exec(select(InboundEvent).order_by(InboundEvent.id))).all()  # type: ignore[arg-type]
        assert (await session.execute(text("SELECT count(*) FROM cases"))).scalar_one() >= 0
    assert [r.status for r in rows] == ["done", "done"]
    line_payload, tg_payload = (json.loads(r.payload) for r in rows)
    assert line_payload["message"]["text"] == text_in
    assert tg_payload["message"]["text"] == text_in
