"""POST /webhook/telegram and polling end to end, through the fake Telegram Bot API."""

from __future__ import annotations

import json

import pytest

from bot.settings import Settings
from tests.channels.helpers import capture_inbound, inbox, media, outbox, telegram_complaint_step
from tests.committee.test_through_fakes import no_telegram_pacing  # noqa: F401  # fixture: these tests are not about pacing
from tests.fakes.harness import Service, running_service
from tests.fakes.line import PNG
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock


async def test_wrong_or_missing_secret_is_403_and_nothing_stored(service: Service) -> None:
    """A wrong or missing X-Telegram-Bot-Api-Secret-Token → 403; nothing stored, nothing sent."""
    update = service.telegram_message(1, text="สวัสดีครับ")
    assert (await service.telegram_post(update, secret="wrong"))[0] == 403
    assert (await service.telegram_post(update, secret=None))[0] == 403
    await service.settle()
    assert await inbox(service) == []
    assert service.telegram.sent == []


async def test_malformed_update_is_400(service: Service) -> None:
    """A body that is not an update → 400, never 500."""
    for bad in ([1, 2], {"message": {}}, {"update_id": 5, "message": {"chat": "x"}}):
        status, _ = await service.telegram_post(bad)  # type: ignore[arg-type]
        assert status == 400, bad
    assert await inbox(service) == []


async def test_update_the_sdk_cannot_read_is_failed_at_once(service: Service) -> None:
    """An update of the right shape that the adapter still cannot read (checked in the worker, not the webhook:
    here a photo without its sizes) is accepted, then marked failed on its first attempt — not retried, nothing
    sent, never a 5xx."""
    status, _ = await service.telegram_post({"update_id": 9, "message": {
        "message_id": 1, "date": 1764122400, "chat": {"id": 51234567, "type": "private"}, "photo": [{"file_id": "x"}]}})
    assert status == 200
    await service.settle()
    (row,) = await inbox(service)
    assert (row.status, row.attempts) == ("failed", 1)
    assert await outbox(service) == []


async def test_same_update_twice_is_handled_once(service: Service) -> None:
    """Telegram resending an update (same update_id) → one inbox row, one answer."""
    update = service.telegram_message(7, text="/start")
    await service.telegram_update(update)
    await service.telegram_update(update)
    await service.settle()
    assert len(await inbox(service)) == 1
    assert len(await outbox(service)) == 1


async def test_callback_query_is_answered(service: Service) -> None:
    """Every inline keyboard press is answered (the spinner stops) and handled as a postback."""
    seen = capture_inbound(service)
    await service.telegram_callback(3, "survey")
    await service.settle()
    assert len(service.telegram.callback_answers) == 1
    assert (seen[0].payload, seen[0].kind.value) == ("survey", "postback")


async def test_a_button_press_is_answered_in_the_webhooks_reply(service: Service) -> None:
    """The 200 to a button press carries answerCallbackQuery for it (Telegram runs it: the spinner stops once the
    press is stored), a resend's 200 too, and the service makes no answerCallbackQuery request of its own; the
    press is handled once."""
    seen = capture_inbound(service)
    update = {"update_id": 880001, "callback_query": {
        "id": "cbq-880001", "chat_instance": "ci", "data": "survey",
        "from": {"id": 3, "is_bot": False, "first_name": "ผู้ใช้"},
        "message": {"message_id": 1, "date": 0, "chat": {"id": 3, "type": "private"}, "text": "…"}}}
    for _ in range(2):  # the second is Telegram resending it
        status, text = await service.telegram_post(update)
        assert status == 200
        assert json.loads(text) == {"method": "answerCallbackQuery", "callback_query_id": "cbq-880001"}
    await service.settle()
    assert [(i.payload, i.kind.value) for i in seen] == [("survey", "postback")]
    assert service.telegram.calls("/answerCallbackQuery") == []
    assert await service.telegram.messages_to(3, wait_for=1)


async def test_a_polled_button_press_is_answered_by_the_worker(settings: Settings, clock: MovableClock,
                                                                 fake_telegram: FakeTelegram) -> None:
    """Polling has no webhook reply to carry the answer: the inbox worker calls answerCallbackQuery, once."""
    async with running_service(settings, clock, polling=True, telegram=fake_telegram) as svc:
        await svc.telegram_callback(12, "survey")
        assert await svc.telegram.messages_to(12, wait_for=1)
        await svc.settle()
    assert len(fake_telegram.calls("/answerCallbackQuery")) == 1 and len(fake_telegram.callback_answers) == 1


async def test_group_command_addressed_to_us(service: Service) -> None:
    """/cmd@HospitalBot in a group reaches the handlers with chat = group, user = sender."""
    seen = capture_inbound(service)
    await service.telegram_text(1, "/queue@HospitalBot", chat_id=-100, group=True)
    await service.telegram_text(1, "/queue@SomeOtherBot", chat_id=-100, group=True)
    await service.settle()
    (inbound,) = seen
    assert (inbound.chat_id, inbound.user_id, inbound.is_group, inbound.command) == ("-100", "1", True, ("queue", ""))
    statuses = sorted(row.status for row in await inbox(service))
    assert statuses == ["done", "skipped"]


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_photo_and_document_are_kept(service: Service) -> None:
    """A photo (largest size) and a document are fetched with getFile and kept as media files."""
    await telegram_complaint_step(service, 5)
    seen = capture_inbound(service)
    service.telegram.files["doc-1"] = (b"%PDF-1.4", "application/pdf")
    await service.telegram_photo(5, file_id="ph-1", caption="ภาพประกอบครับ")
    await service.telegram_document(5, file_id="doc-1", file_name="ใบเสร็จ.pdf")
    await service.settle()
    kept = {m.platform_ref: m for m in await media(service)}
    assert set(kept) == {"ph-1", "doc-1"}
    assert (service.settings.media_dir / str(kept["ph-1"].path)).read_bytes() == PNG
    assert str(kept["doc-1"].path).endswith(".pdf")
    assert {a.media_id for i in seen for a in i.attachments} == {kept["ph-1"].id, kept["doc-1"].id}
    assert seen[0].text == "ภาพประกอบครับ"


async def test_polling_mode_answers(settings: Settings, clock: MovableClock, fake_telegram: FakeTelegram) -> None:
    """With --telegram-polling, updates fetched by getUpdates are stored, handled and answered once."""
    async with running_service(settings, clock, polling=True, telegram=fake_telegram) as svc:
        await svc.telegram_text(11, "สวัสดีครับ")
        msgs = await svc.telegram.messages_to(11, wait_for=3)
        assert "สวัสดีค่ะ" in msgs[0].text
        await svc.settle()
        assert len(await inbox(svc)) == 1
    assert fake_telegram.calls("/deleteWebhook")
    offsets = [r.body.get("offset") for r in fake_telegram.calls("/getUpdates") if isinstance(r.body, dict)]
    assert any(offsets)  # the update was acknowledged by moving the offset
