"""The outbox sender through the fakes: retries, platform back-off, exactly-once delivery, final failure."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp
import pytest

import bot.channels
from bot.settings import Settings
from handlers.messages import Button, Outbound
from store.models import OutboundMessage
from store.outbox import enqueue
from tests.channels.helpers import wait_until
from tests.fakes.harness import Service, running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock


async def queue(svc: Service, channel: str, chat_id: str, messages: list[Outbound], *,
                reply_token: str | None = None, minutes_ago: float = 0) -> int:
    async with svc.sessions() as session:
        now = svc.clock() - timedelta(minutes=minutes_ago)
        row = await enqueue(session, channel=channel, chat_id=chat_id, messages=messages, now=now,
                            reply_token=reply_token)
        await session.commit()
        assert row is not None and row.id is not None
    svc.kick()
    return row.id


async def row_of(svc: Service, row_id: int) -> OutboundMessage:
    async with svc.sessions() as session:
        row = await session.get(OutboundMessage, row_id)
        assert row is not None
        return row


async def status_is(svc: Service, row_id: int, status: str, attempts: int = 1) -> OutboundMessage | None:
    """The row once it has `status` after at least `attempts` attempts."""
    row = await row_of(svc, row_id)
    return row if row.status == status and row.attempts >= attempts else None


async def test_line_failing_then_recovering_delivers_exactly_once(service: Service, clock: MovableClock) -> None:
    """LINE answering 500 twice: the reply is retried with backoff and arrives exactly once."""
    service.line.fail(2, 500, path="/reply")
    row_id = await queue(service, "line", "U1", [Outbound("ทดสอบ")], reply_token=service.line.reply_token_for("U1"))
    for attempt in (1, 2):
        row = await wait_until(lambda n=attempt: status_is(service, row_id, "pending", n))
        assert row.attempts == attempt and row.last_error == "LINE 500"
        clock.advance(seconds=10)  # past the backoff (2 s, then 4 s), reply token still fresh
        service.kick()
    await wait_until(lambda: status_is(service, row_id, "sent"))
    msgs = await service.line.messages_to("U1", wait_for=1)
    assert [m.text for m in msgs] == ["ทดสอบ"]


async def test_a_malformed_answer_drops_the_connection_and_is_retried(service: Service, clock: MovableClock) -> None:
    """An answer the HTTP parser refuses (LINE's push, Telegram's sendMessage) fails the attempt as aiohttp's
    ClientPayloadError, a transient failure: the row is retried on a new connection and arrives once."""
    service.line.fail(1, "malformed", path="/push")
    service.telegram.fail(1, "malformed", path="/sendMessage")
    line_row = await queue(service, "line", "U1", [Outbound("ก")])
    tg_row = await queue(service, "telegram", "42", [Outbound("ข")])
    line_failed = await wait_until(lambda: status_is(service, line_row, "pending"))
    tg_failed = await wait_until(lambda: status_is(service, tg_row, "pending"))
    assert line_failed.last_error == "LINE push: ClientPayloadError"
    assert tg_failed.last_error == "Telegram NetworkError"  # PTB's, raised for aiohttp.ClientPayloadError
    clock.advance(seconds=10)
    service.kick()
    await wait_until(lambda: status_is(service, line_row, "sent", 2))
    await wait_until(lambda: status_is(service, tg_row, "sent", 2))
    assert [m.text for m in service.line.sent] == ["ก"]
    assert [m.text for m in service.telegram.sent] == ["ข"]


async def test_line_lost_answer_is_not_sent_twice(service: Service, clock: MovableClock) -> None:
    """A push LINE accepted but whose answer was lost is retried with the same X-Line-Retry-Key; LINE's
    409 counts as sent, so the person gets it once."""
    service.line.fail(1, 503, path="/push", accepted=True)
    row_id = await queue(service, "line", "U1", [Outbound("แจ้งเตือน")])
    await wait_until(lambda: status_is(service, row_id, "pending"))
    clock.advance(seconds=10)
    service.kick()
    await wait_until(lambda: status_is(service, row_id, "sent"))
    keys = [r.headers.get("X-Line-Retry-Key") for r in service.line.calls("/push")]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert len(service.line.sent) == 1


async def test_line_429_waits_as_asked(service: Service, clock: MovableClock) -> None:
    """LINE 429 with Retry-After: the next attempt is scheduled that far ahead."""
    service.line.fail(1, 429, path="/push", retry_after=30)
    row_id = await queue(service, "line", "U1", [Outbound("ทดสอบ")])
    row = await wait_until(lambda: status_is(service, row_id, "pending"))
    assert row.next_attempt_at == clock() + timedelta(seconds=30)
    clock.advance(seconds=31)
    service.kick()
    await wait_until(lambda: status_is(service, row_id, "sent"))
    assert len(service.line.sent) == 1


async def test_telegram_retry_after_is_honoured(service: Service, clock: MovableClock) -> None:
    """Telegram flood control (RetryAfter 7 s) postpones the row by 7 s; it is then sent once."""
    service.telegram.fail(1, 429, path="/sendMessage", retry_after=7)
    row_id = await queue(service, "telegram", "42", [Outbound("สวัสดีครับ")])
    row = await wait_until(lambda: status_is(service, row_id, "pending"))
    assert row.next_attempt_at == clock() + timedelta(seconds=7)
    clock.advance(seconds=8)
    service.kick()
    await wait_until(lambda: status_is(service, row_id, "sent"))
    assert [m.text for m in await service.telegram.messages_to(42, wait_for=1)] == ["สวัสดีครับ"]


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_timeouts_are_retried(settings: Settings, clock: MovableClock, fake_line: FakeLine,
                                    fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch) -> None:
    """A platform that does not answer in time counts as a transient failure, and the row is retried."""
    monkeypatch.setattr(bot.channels, "SEND_TIMEOUT", 0.3)
    async with running_service(settings, clock, line=fake_line, telegram=fake_telegram) as svc:
        svc.line.fail(1, "timeout", path="/push", delay=1.0)
        svc.telegram.fail(1, "timeout", path="/sendMessage", delay=1.0)
        line_row = await queue(svc, "line", "U1", [Outbound("ก")])
        tg_row = await queue(svc, "telegram", "42", [Outbound("ข")])
        await wait_until(lambda: status_is(svc, line_row, "pending"))
        await wait_until(lambda: status_is(svc, tg_row, "pending"))
        clock.advance(seconds=10)
        svc.kick()
        await wait_until(lambda: status_is(svc, line_row, "sent"))
        await wait_until(lambda: status_is(svc, tg_row, "sent"))
        assert [m.text for m in svc.line.sent] == ["ก"]
        assert [m.text for m in svc.telegram.sent] == ["ข"]


async def test_final_failure_is_marked_and_counted(settings: Settings, clock: MovableClock, fake_line: FakeLine,
                                                   fake_telegram: FakeTelegram) -> None:
    """After OUTBOX_MAX_ATTEMPTS the row is failed with last_error and counted in /metrics — not dropped."""
    async with running_service(settings.model_copy(update={"outbox_max_attempts": 2}), clock, line=fake_line,
                               telegram=fake_telegram) as svc:
        svc.line.fail(5, 500, path="/push")
        row_id = await queue(svc, "line", "U1", [Outbound("ทดสอบ")])
        await wait_until(lambda: status_is(svc, row_id, "pending"))
        clock.advance(seconds=10)
        svc.kick()
        row = await wait_until(lambda: status_is(svc, row_id, "failed"))
        assert row.last_error is not None and "LINE 500" in row.last_error
        async with svc.http.get(f"{svc.url}/metrics") as resp:
            body = await resp.text()
        assert 'pv_outbound_messages_total{channel="line",result="failed"} 1.0' in body


async def test_client_error_fails_at_once(service: Service) -> None:
    """A 400 from the platform (bad request) is not retried: failed at once with the reason."""
    service.telegram.fail(1, 400, path="/sendMessage")
    row_id = await queue(service, "telegram", "42", [Outbound("ทดสอบ")])
    row = await wait_until(lambda: status_is(service, row_id, "failed"))
    assert row.attempts == 1 and "BadRequest" in str(row.last_error)


async def test_stale_reply_token_falls_back_to_push(service: Service) -> None:
    """A reply token older than its lifetime is not used: the message is pushed with a retry key."""
    token = service.line.reply_token_for("U1")
    row_id = await queue(service, "line", "U1", [Outbound("ตอบช้า")], reply_token=token, minutes_ago=5)
    await wait_until(lambda: status_is(service, row_id, "sent"))
    (call,) = service.line.calls("/v2/bot/message/")
    assert call.path.endswith("/push") and call.headers.get("X-Line-Retry-Key")


async def test_line_sends_at_most_five_messages_per_call(service: Service) -> None:
    """Seven messages go as a reply of five, then a push of two, in order."""
    texts = [f"ข้อความ {i}" for i in range(7)]
    row_id = await queue(service, "line", "U1", [Outbound(t) for t in texts],
                         reply_token=service.line.reply_token_for("U1"))
    await wait_until(lambda: status_is(service, row_id, "sent"))
    calls = service.line.calls("/v2/bot/message/")
    assert [(c.path.rsplit("/", 1)[-1], len(c.body["messages"])) for c in calls] == [("reply", 5), ("push", 2)]
    assert [m.text for m in service.line.sent] == texts


async def test_a_chat_gets_its_messages_in_order(service: Service, clock: MovableClock) -> None:
    """A later message for a chat waits while an earlier one is being retried."""
    service.line.fail(1, 500, path="/push")
    first = await queue(service, "line", "U1", [Outbound("หนึ่ง")])
    second = await queue(service, "line", "U1", [Outbound("สอง")])
    await wait_until(lambda: status_is(service, first, "pending"))
    assert (await row_of(service, second)).attempts == 0
    clock.advance(seconds=10)
    service.kick()
    await wait_until(lambda: status_is(service, second, "sent"))
    assert [m.text for m in service.line.sent] == ["หนึ่ง", "สอง"]


async def test_line_rendering_through_the_sdk(service: Service) -> None:
    """Buttons become quick replies (postback with display text; date picker for kind=date); images are
    image messages at the given URL."""
    buttons = (Button("ประเมิน", "survey"), Button("วันที่รับบริการ", "visit", "date"))
    chart = f"{service.settings.public_base_url}/charts/abc.png"
    await queue(service, "line", "U1", [Outbound("เลือกได้เลยครับ", buttons), Outbound(image_url=chart)])
    text, image = await service.line.messages_to("U1", wait_for=2)
    assert text.labels == ["ประเมิน", "วันที่รับบริการ"] and text.payloads == ["survey", "visit"]
    actions = [i["action"] for i in text.raw["quickReply"]["items"]]
    assert actions[0]["type"] == "postback" and actions[0]["displayText"] == "ประเมิน"
    assert actions[1] == {"type": "datetimepicker", "label": "วันที่รับบริการ", "data": "visit", "mode": "date"}
    assert (image.type, image.image_url) == ("image", chart)


async def test_line_builds_a_message_once_for_every_chat_it_goes_to(service: Service, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The same question to three chats (a reply, two pushes): each gets the same quick replies, and the SDK's
    models are built and turned into JSON once, not per send (the survey asks everyone the same questions)."""
    from linebot.v3.messaging import TextMessage

    built: list[str] = []
    to_dict = TextMessage.to_dict
    monkeypatch.setattr(TextMessage, "to_dict", lambda self: built.append(self.text) or to_dict(self))
    question = Outbound("ข้อ 3 ความสะอาด พึงพอใจระดับใดคะ", (Button("5 มากที่สุด", "q3:5"), Button("4 มาก", "q3:4")),
                        shared=True)
    rows = [await queue(service, "line", "U1", [question], reply_token=service.line.reply_token_for("U1")),
            await queue(service, "line", "U2", [question]), await queue(service, "line", "U3", [question])]
    for row_id in rows:
        await wait_until(lambda r=row_id: status_is(service, r, "sent"))
    got = [(await service.line.messages_to(chat, wait_for=1))[0] for chat in ("U1", "U2", "U3")]
    expected = (question.text, ["5 มากที่สุด", "4 มาก"], ["q3:5", "q3:4"])
    assert [(m.text, m.labels, m.payloads) for m in got] == [expected] * 3
    assert [m.via for m in got] == ["reply", "push", "push"]
    assert built == [question.text]


async def test_line_encodes_a_message_once_for_every_chat_it_goes_to(service: Service,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The same question to three chats: its JSON text is made once and spliced into each call's body (encoding it
    with its quick replies was ≈ 50 µs of each send), and each call's body is the JSON LINE gets."""
    import json

    encoded: list[Any] = []
    dumps = json.dumps

    def counted(obj: Any, *args: Any, **kwargs: Any) -> str:
        text = dumps(obj, *args, **kwargs)
        if "ข้อ 4 ความสุภาพ" in text:
            encoded.append(obj)
        return text

    monkeypatch.setattr(json, "dumps", counted)
    question = Outbound("ข้อ 4 ความสุภาพ พึงพอใจระดับใดคะ", (Button("5 มากที่สุด", "q4:5"), Button("4 มาก", "q4:4")),
                        shared=True)
    rows = [await queue(service, "line", "U1", [question], reply_token=service.line.reply_token_for("U1")),
            await queue(service, "line", "U2", [question, Outbound("ขอบคุณค่ะ")])]
    for row_id in rows:
        await wait_until(lambda r=row_id: status_is(service, r, "sent"))
    assert len(encoded) == 1 and encoded[0]["text"] == question.text
    # the two rows are sent at once: either call may reach LINE first (on uvloop the push often does)
    (reply,), (push,) = service.line.calls("/v2/bot/message/reply"), service.line.calls("/v2/bot/message/push")
    assert reply.body["replyToken"] and reply.body["notificationDisabled"] is False
    assert [m["text"] for m in reply.body["messages"]] == [question.text]
    assert (push.body["to"], [m["text"] for m in push.body["messages"]]) == ("U2", [question.text, "ขอบคุณค่ะ"])
    assert [i["action"]["data"] for i in push.body["messages"][0]["quickReply"]["items"]] == ["q4:5", "q4:4"]


async def test_a_message_quoting_a_patient_is_never_kept_in_the_encoders_caches(service: Service) -> None:
    """The review of round 8: the encoders' in-memory caches (the outbox payload's JSON, LINE's wire JSON) kept
    every answer, also a draft's preview of a patient's own words or a phone on the committee's card, where an
    erasure cannot reach them. Only `shared` messages (no person's words: the survey's questions) are kept now; a
    quoting one is built for each send and delivered the same, and leaves no entry behind."""
    import json

    from bot.line.adapter import _wire_text
    from store.outbox import _shared_payload_json, payload_json

    quote = Outbound("ร่างเรื่องเดิมของคุณ: หมอพูดไม่ดี ติดต่อ 081-234-5678 จะส่งต่อไหมคะ",
                     (Button("ส่งต่อ", "draft:resume"), Button("เริ่มใหม่", "draft:discard")))
    assert not quote.shared and not Outbound.from_dict(quote.to_dict()).shared
    kept, kept_payloads = _wire_text.cache_info().currsize, _shared_payload_json.cache_info().currsize
    assert json.loads(payload_json((quote,)))["messages"][0]["text"] == quote.text
    rows = [await queue(service, "line", "U1", [quote], reply_token=service.line.reply_token_for("U1")),
            await queue(service, "line", "U2", [quote])]
    for row_id in rows:
        await wait_until(lambda r=row_id: status_is(service, r, "sent"))
    got = [(await service.line.messages_to(chat, wait_for=1))[0] for chat in ("U1", "U2")]
    assert [(m.text, m.payloads) for m in got] == [(quote.text, ["draft:resume", "draft:discard"])] * 2
    assert (_wire_text.cache_info().currsize, _shared_payload_json.cache_info().currsize) == (kept, kept_payloads)
    shared = Outbound("ข้อ 1 ความสะดวก พึงพอใจระดับใดคะ", shared=True)
    assert Outbound.from_dict(shared.to_dict()).shared
    payload_json((shared,))
    assert _shared_payload_json.cache_info().currsize == kept_payloads + 1


async def test_a_patients_own_words_quoted_back_never_enter_the_encoders_caches(
        service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the real pipeline (the LINE SDK to the fake LINE, the webhook, the worker, the sender): a patient
    types a complaint with a phone number as on a phone, taps "ร้องเรียนเรื่องนี้" and gives consent, and the bot
    quotes the text back (complaint.prefilled). That answer is delivered, but neither the outbox payload's cache nor
    LINE's wire cache ever receives it, while the consent notice (the hospital's own text) goes through both."""
    import bot.line.adapter
    import store.outbox
    from tests.channels.test_lay_sentinel_chat import press

    cached: list[str] = []

    def recording(name: str, module: Any) -> None:
        original = getattr(module, name)

        def record(messages: Any) -> Any:
            cached.append(repr(messages))
            return original(messages)

        monkeypatch.setattr(module, name, record)

    recording("_shared_payload_json", store.outbox)
    recording("_wire_text", bot.line.adapter)
    user, said = "U-quote", "หมอตรวจไม่ละเอียดเลยค่ะ  โทรกลับ 081-234-5678 นะคะะ"
    await service.line_text(user, said)
    await service.settle()
    await press(service, user, "ร้องเรียนเรื่องนี้")
    await press(service, user, "ยินยอม")
    told = [m.text for m in await service.line.messages_to(user)]
    assert any("081-234-5678" in t for t in told)  # the prefilled complaint quoted the patient's words back
    assert any("ข้อมูลส่วนบุคคล" in entry for entry in cached)  # the consent notice was cached
    assert not any("081-234-5678" in entry or "ไม่ละเอียด" in entry for entry in cached)


def test_a_message_built_with_a_list_of_buttons_is_hashable_and_encodes() -> None:
    """`buttons` is typed a tuple; a caller's list made the message unhashable and the cached encoders raised after
    the handlers ran, failing the whole batch (the review of round 8)."""
    from store.outbox import payload_json

    message = Outbound("ข้อ 2 พึงพอใจระดับใดคะ", [Button("5 มากที่สุด", "q2:5")], shared=True)  # type: ignore[arg-type]
    assert isinstance(message.buttons, tuple) and hash(message) == hash(Outbound(message.text, message.buttons))
    assert '"q2:5"' in payload_json((message,))


async def test_telegram_rendering_through_ptb(service: Service, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Long text is split at 4096 with the keyboard on the last part; image_path is uploaded with sendPhoto."""
    png = tmp_path / "chart.png"
    from tests.fakes.line import PNG

    png.write_bytes(PNG)
    long_text = ("ก" * 4000 + "\n") * 2
    await queue(service, "telegram", "42", [Outbound(long_text, (Button("เมนูหลัก", "menu"),)),
                                            Outbound("กราฟ", image_path=str(png))])
    first, second, photo, caption = await service.telegram.messages_to(42, wait_for=4)
    assert len(first.text) <= 4096 and len(second.text) <= 4096
    assert (first.payloads, second.payloads, second.labels) == ([], ["menu"], ["เมนูหลัก"])
    assert photo.via == "sendPhoto" and caption.text == "กราฟ"


async def test_telegram_messages_go_as_json_and_any_answer_counts(service: Service) -> None:
    """sendMessage goes through PTB's request layer as a JSON body (Thai text, the keyboard as an object), and
    the sender reads only whether the Bot API accepted it: an answer PTB could not turn into a `Message` (here
    without the `chat` and `date` every Message has) still counts as sent, once."""
    original = service.telegram._message
    service.telegram._message = lambda chat_id, **extra: {"message_id": 1}  # type: ignore[method-assign]
    try:
        row_id = await queue(service, "telegram", "42", [Outbound("สวัสดีค่ะ", (Button("เมนูหลัก", "menu"),))])
        await wait_until(lambda: status_is(service, row_id, "sent"))
    finally:
        service.telegram._message = original  # type: ignore[method-assign]
    (call,) = service.telegram.calls("/sendMessage")
    assert call.headers["Content-Type"].startswith("application/json")
    assert call.body == {"chat_id": "42", "text": "สวัสดีค่ะ",
                         "reply_markup": {"inline_keyboard": [[{"text": "เมนูหลัก", "callback_data": "menu"}]]}}
    assert [m.text for m in service.telegram.sent] == ["สวัสดีค่ะ"]


async def test_a_delivery_the_database_could_not_record_is_not_sent_again(
    service: Service, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The message went out but the database was gone when the sender went to mark it sent (a PostgreSQL
    restart): the sender keeps what it delivered and records it on its next step, so when the lease runs
    out nobody sends it again."""
    sender = service.app[bot.channels.WORKERS].sender
    real = sender._mark_sent
    failures: list[int] = []

    async def database_gone_once(sent: list[tuple[int, int, str]]) -> None:
        if sent and not failures:
            failures.append(len(sent))
            raise ConnectionResetError("database restarting")
        await real(sent)

    monkeypatch.setattr(sender, "_mark_sent", database_gone_once)
    row_id = await queue(service, "line", "U1", [Outbound("รับเรื่องแล้วค่ะ")])
    assert [m.text for m in await service.line.messages_to("U1", wait_for=1)] == ["รับเรื่องแล้วค่ะ"]
    async def failed_once() -> bool:
        return bool(failures)

    await wait_until(failed_once)
    assert (await row_of(service, row_id)).status == "sending"  # delivered, not yet recorded
    service.kick()  # the database is back: the next step records it first
    await wait_until(lambda: status_is(service, row_id, "sent"))
    clock.advance(minutes=10)  # far past the lease
    service.kick()
    await service.settle()
    assert len(service.line.sent) == 1 and (await row_of(service, row_id)).status == "sent"


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Proxy variables pointing at a closed port and a .netrc for the fakes' host, set before the service starts."""
    closed = "http://127.0.0.1:9"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, closed)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password not-for-the-bot\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))


async def test_senders_ignore_proxy_and_netrc_settings(proxy_env: None, service: Service) -> None:
    """The platform clients take nothing from the environment (no proxy, no .netrc; aiohttp would otherwise
    read them on every request): with both pointing elsewhere, LINE and Telegram sends still arrive, with the
    bot's own credentials."""
    await queue(service, "line", "U1", [Outbound("ผ่านตรง")], reply_token=service.line.reply_token_for("U1"))
    await queue(service, "telegram", "42", [Outbound("ผ่านตรงเหมือนกัน")])
    assert [m.text for m in await service.line.messages_to("U1", wait_for=1)] == ["ผ่านตรง"]
    assert [m.text for m in await service.telegram.messages_to(42, wait_for=1)] == ["ผ่านตรงเหมือนกัน"]
    (call,) = service.line.calls("/v2/bot/message/")
    assert call.headers.get("Authorization", "").startswith("Bearer ")


async def test_the_senders_message_calls_do_not_go_through_aiohttp(service: Service,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """LINE's reply/push and Telegram's sendMessage are posted by bot/http1.py: no aiohttp client request per
    call (its per-request objects were a sixth of a worker's CPU in the burst benchmark)."""
    calls: list[str] = []
    original = aiohttp.ClientSession._request

    async def counted(self: aiohttp.ClientSession, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(str(url))
        return await original(self, method, url, *args, **kwargs)

    monkeypatch.setattr(aiohttp.ClientSession, "_request", counted)
    svc = service
    async with svc.sessions() as session:
        for channel, chat in (("line", "U-http1"), ("telegram", "8101")):
            await enqueue(session, channel=channel, chat_id=chat, now=svc.clock(),
                          messages=[Outbound("สวัสดีค่ะ"), Outbound("ข้อถัดไป", buttons=(Button("ดี", "rate:5"),))])
        await session.commit()
    svc.kick()
    await svc.settle()
    assert [m.text for m in await svc.line.messages_to("U-http1", wait_for=2)] == ["สวัสดีค่ะ", "ข้อถัดไป"]
    assert [m.text for m in await svc.telegram.messages_to("8101", wait_for=2)] == ["สวัสดีค่ะ", "ข้อถัดไป"]
    assert not [url for url in calls if "/message/" in url or "sendMessage" in url], calls



async def test_a_telegram_message_is_encoded_once_without_ptbs_parameter_objects(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sendMessage's JSON body is built in one step (the keyboard's JSON once per set of buttons), not through
    PTB's `RequestParameter` per parameter, and the accepted call's answer is not parsed (the sender reads only the
    status); PTB's mapping of a refused call still applies: a 400 fails the row at once."""
    from telegram.request import BaseRequest
    from telegram.request._requestparameter import RequestParameter

    wrapped: list[str] = []
    parsed: list[bytes] = []
    from_input = RequestParameter.from_input.__func__  # type: ignore[attr-defined]
    parse = BaseRequest.parse_json_payload

    def counted_input(cls: Any, key: str, value: Any) -> Any:
        wrapped.append(key)
        return from_input(cls, key, value)

    def counted_parse(payload: bytes) -> Any:
        parsed.append(payload)
        return parse(payload)

    monkeypatch.setattr(RequestParameter, "from_input", classmethod(counted_input))
    monkeypatch.setattr(BaseRequest, "parse_json_payload", staticmethod(counted_parse))
    question = Outbound("ข้อ 3 ความสะอาด พึงพอใจระดับใดคะ", (Button("5 มากที่สุด", "q3:5"), Button("4 มาก", "q3:4")),
                        shared=True)
    rows = [await queue(service, "telegram", chat, [question]) for chat in ("8201", "8202")]
    for row_id in rows:
        await wait_until(lambda r=row_id: status_is(service, r, "sent"))
    calls = service.telegram.calls("/sendMessage")
    assert [c.body for c in calls] == [
        {"chat_id": chat, "text": question.text, "reply_markup": {"inline_keyboard": [
            [{"text": "5 มากที่สุด", "callback_data": "q3:5"}], [{"text": "4 มาก", "callback_data": "q3:4"}]]}}
        for chat in ("8201", "8202")]
    assert (wrapped, parsed) == ([], [])
    service.telegram.fail(1, 400, path="/sendMessage")
    refused = await queue(service, "telegram", "8203", [Outbound("สวัสดีค่ะ")])
    row = await wait_until(lambda: status_is(service, refused, "failed"))
    assert row is not None and "BadRequest" in (row.last_error or "")
