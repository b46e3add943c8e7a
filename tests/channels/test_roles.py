"""`serve --role web` and `serve --role worker`: acks in one process, the workers in another, one database."""

from __future__ import annotations

from bot.cli import COMMANDS
from bot.settings import Settings
from tests.channels.helpers import inbox
from tests.fakes.harness import running_service
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram
from tests.support import MovableClock


def test_serve_role_option() -> None:
    """`serve` takes --role all|web|worker, all by default."""
    import argparse

    parser = argparse.ArgumentParser()
    COMMANDS["serve"][1](parser)
    assert parser.parse_args([]).role == "all"
    assert parser.parse_args(["--role", "web"]).role == "web"


async def test_web_and_worker_instances_share_the_inbox(
    settings: Settings, clock: MovableClock, fake_line: FakeLine, fake_telegram: FakeTelegram
) -> None:
    """Events acknowledged by a web-only instance are answered once by a worker instance on the same database."""
    async with (
        running_service(settings, clock, workers=False, line=fake_line, telegram=fake_telegram) as web,
        running_service(settings, clock, line=fake_line, telegram=fake_telegram) as worker,
    ):
        await web.line_text("U1", "สวัสดีครับ")
        await web.telegram_text(1, "สวัสดีครับ")
        worker.kick()
        assert "สวัสดีค่ะ" in (await fake_line.messages_to("U1", wait_for=3))[0].text
        assert "สวัสดีค่ะ" in (await fake_telegram.messages_to(1, wait_for=3))[0].text
        await worker.settle()
        assert [row.status for row in await inbox(worker)] == ["done", "done"]
        assert len(fake_line.sent) == len(await fake_line.messages_to("U1"))
