"""A Thai greeting through each channel gets the Thai menu."""

from __future__ import annotations

from tests.fakes.harness import Service

MENU = ["survey", "complaint", "compliment", "track"]


async def test_line_thai_text_gets_thai_menu(service: Service) -> None:
    """A Thai text on LINE is answered with the greeting and the four-button menu."""
    await service.line_text("U1", "สวัสดีครับ")
    msgs = await service.line.messages_to("U1", wait_for=3)
    assert "สวัสดีค่ะ" in msgs[0].text
    assert msgs[-1].payloads == MENU
    assert msgs[0].via == "reply"


async def test_telegram_thai_text_gets_thai_menu(service: Service) -> None:
    """A Thai text on Telegram is answered with the greeting and the four-button inline keyboard."""
    await service.telegram_text(1, "สวัสดีครับ")
    msgs = await service.telegram.messages_to(1, wait_for=3)
    assert "สวัสดีค่ะ" in msgs[0].text
    assert msgs[-1].payloads == MENU
