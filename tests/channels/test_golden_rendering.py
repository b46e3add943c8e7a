"""The rendering side pinned by golden files: an `Outbound` goes through the outbox and the real sender, and
what the line-bot-sdk and python-telegram-bot send the fake servers (the request bodies, as JSON) must equal
`tests/golden/<case>.<line|telegram>.json`. A change in the adapters, the SDK models or the split rules shows up
as a diff of those files.

Regenerate after a deliberate change, then read the diff before committing it:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/channels/test_golden_rendering.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from handlers.messages import Button, Outbound
from tests.channels.helpers import wait_until
from tests.channels.test_delivery import queue, status_is
from tests.fakes.base import Recorded
from tests.fakes.harness import Service

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

UNITS = ["ห้องยา", "แล็บ", "เอกซเรย์", "ห้องฉุกเฉิน", "ผู้ป่วยนอก", "ทันตกรรม", "กายภาพบำบัด", "แผนไทย",
         "ห้องคลอด", "ผู้ป่วยใน ชาย", "ผู้ป่วยใน หญิง", "การเงิน", "เวชระเบียน", "โภชนาการ"]
# A long complaint as a patient types it: sentences with spaces, no full stops, ~6,000 characters.
LONG = " ".join(f"ข้อ{i} รอรับยานานมากค่ะ เจ้าหน้าที่พูดจาไม่ค่อยดี อยากให้ปรับปรุงเรื่องคิวด้วยนะคะ" for i in range(1, 80))[:6000]

CASES: dict[str, list[Outbound]] = {
    # 14 choices: LINE shows 13 quick replies (the 14th dropped), Telegram a keyboard of 14 rows
    "fourteen_buttons": [Outbound("เลือกหน่วยงานที่เกี่ยวข้องค่ะ",
                                  tuple(Button(u, f"unit:{i:02d}") for i, u in enumerate(UNITS)))],
    # LINE's date picker; Telegram has none, so the button is a plain callback and the date is typed
    "date_picker": [Outbound("มารับบริการวันไหนคะ", (Button("เลือกวันที่", "survey:date:pick", kind="date"),
                                                   Button("วันนี้", "survey:date:today")))],
    # over Telegram's 4096 and LINE's 5000 characters: split at a space, buttons under the last piece
    "long_text": [Outbound(LONG, (Button("เมนู", "menu"),))],
    # a chart: the image first, then its caption text with the buttons
    "image_and_text": [Outbound("ผลคะแนนความพึงพอใจเดือนนี้ค่ะ", (Button("ดูเพิ่มเติม", "report:more"),),
                                image_url="https://hospital.example/charts/abc123.png")],
}


def _line_calls(calls: list[Recorded]) -> list[dict[str, Any]]:
    """The reply/push bodies as the SDK serialised them (the reply token varies, so it is named, not kept)."""
    out = []
    for call in calls:
        body = dict(call.body)
        if "replyToken" in body:
            body["replyToken"] = "<token>"
        out.append({"path": call.path, "body": body})
    return out


def _telegram_calls(calls: list[Recorded], token: str) -> list[dict[str, Any]]:
    return [{"method": call.path.replace(f"/bot{token}", ""), "params": call.body} for call in calls]


def _check(name: str, got: list[dict[str, Any]]) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(got, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if UPDATE or not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path.name} was missing and has been written: read it, then run again")
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8")), \
        f"{path.name} differs (UPDATE_GOLDEN=1 rewrites it after a deliberate change)"


@pytest.mark.parametrize("case", sorted(CASES))
async def test_line_rendering_matches_golden(service: Service, case: str) -> None:
    token = service.line.reply_token_for("U-golden")
    reply_id = await queue(service, "line", "U-golden", CASES[case], reply_token=token)
    await wait_until(lambda: status_is(service, reply_id, "sent"))
    calls = [c for c in service.line.requests if c.path.startswith("/v2/bot/message/")]
    _check(f"{case}.line", _line_calls(calls))


@pytest.mark.parametrize("case", sorted(CASES))
async def test_telegram_rendering_matches_golden(service: Service, case: str) -> None:
    row_id = await queue(service, "telegram", "4242", CASES[case])
    await wait_until(lambda: status_is(service, row_id, "sent"))
    calls = [c for c in service.telegram.requests if c.path.rsplit("/", 1)[-1].startswith("send")]
    _check(f"{case}.telegram", _telegram_calls(calls, service.telegram.token))


def test_the_cases_cover_the_limits() -> None:
    """The golden cases stay at the platform limits they are meant to pin."""
    assert len(CASES["fourteen_buttons"][0].buttons) == 14
    assert len(LONG) == 6000  # two LINE messages (5000), two Telegram ones (4096)
