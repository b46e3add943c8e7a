"""`python -m bot line richmenu` and `telegram set-webhook` against the fake platforms."""

from __future__ import annotations

from bot.line.richmenu import install_rich_menu
from bot.settings import Settings
from bot.telegram.setup import set_webhook
from tests.fakes.harness import TELEGRAM_SECRET, service_settings
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram


async def test_rich_menu_is_created_illustrated_and_set(settings: Settings, fake_line: FakeLine,
                                                        fake_telegram: FakeTelegram) -> None:
    """The rich menu has three panels sending the menu payloads, a 2500×843 PNG, and becomes the default."""
    menu_id = await install_rich_menu(service_settings(settings, fake_line, fake_telegram, 8080))
    menu = fake_line.rich_menus[menu_id]
    assert menu["size"] == {"width": 2500, "height": 843}
    assert menu["chatBarText"] == "เมนูบริการ"
    assert [a["action"]["data"] for a in menu["areas"]] == ["survey", "complaint", "track"]
    assert sum(a["bounds"]["width"] for a in menu["areas"]) == 2500
    image = fake_line.rich_menu_images[menu_id]
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(image[16:20], "big") == 2500 and int.from_bytes(image[20:24], "big") == 843
    assert fake_line.default_rich_menu == menu_id


async def test_set_webhook_registers_url_and_secret(settings: Settings, fake_line: FakeLine,
                                                    fake_telegram: FakeTelegram) -> None:
    """set-webhook gives Telegram the URL, the secret it must echo, and the update types we handle."""
    url = "https://pv.example-hospital.go.th/webhook/telegram"
    await set_webhook(service_settings(settings, fake_line, fake_telegram, 8080), url)
    assert fake_telegram.webhook["url"] == url
    assert fake_telegram.webhook["secret_token"] == TELEGRAM_SECRET
    assert set(fake_telegram.webhook["allowed_updates"]) == {"message", "callback_query", "my_chat_member"}


def test_commands_are_listed() -> None:
    """`python -m bot --help` lists the line and telegram commands."""
    from bot.cli import COMMANDS

    assert {"line", "telegram"} <= set(COMMANDS)
