"""The router owns routing: filters declared at registration (a patient flow's buttons are 1:1 only; a step
answers the privacy words first) are applied by the dispatcher, and button payloads have one grammar."""

from __future__ import annotations

import pytest

from handlers import build_router
from handlers.dispatch import Dispatcher
from handlers.messages import EventKind
from handlers.payloads import MAX_BYTES, Payload, pack
from handlers.router import Router
from handlers.services import Services
from handlers.turn import Turn
from tests.handlers.conftest import send


def toy_router(calls: list[str]) -> Router:
    router = build_router()
    toy = Router("toy")

    @toy.payload("toy", private=True)
    async def pressed(turn: Turn) -> None:
        calls.append(f"pressed {turn.payload.action} {list(turn.payload.args)}")
        turn.goto("toy.step")

    @toy.state("toy.step", privacy=lambda turn: calls.append("asked again"))
    async def typed(turn: Turn) -> None:
        calls.append(f"typed {turn.inbound.text}")

    router.include(toy)
    return router


async def test_a_private_flow_button_is_refused_in_a_group(services: Services) -> None:
    calls: list[str] = []
    dispatcher = Dispatcher(toy_router(calls), services)
    result = await send(dispatcher, kind=EventKind.POSTBACK, payload="toy:go:1:2", chat_id="G1", is_group=True)
    assert calls == []
    assert [r.text for r in result.replies] == [services.catalogue("menu.private_only")]
    await send(dispatcher, kind=EventKind.POSTBACK, payload="toy:go:1:2")
    assert calls == ["pressed go ['1', '2']"]


async def test_a_step_answers_the_privacy_words_then_asks_again(services: Services) -> None:
    """Typed at a step registered with `privacy=`: the privacy status, the step's question again, and the
    step's own handler never sees the words; other text reaches it."""
    calls: list[str] = []
    dispatcher = Dispatcher(toy_router(calls), services)
    await send(dispatcher, kind=EventKind.POSTBACK, payload="toy:go")
    result = await send(dispatcher, text="ข้อมูลส่วนบุคคลค่ะ")
    assert calls == ["pressed go []", "asked again"]
    assert result.replies and result.replies[0].text == services.catalogue("privacy.not_given")
    await send(dispatcher, text="สิบ")
    assert calls[-1] == "typed สิบ"


def test_every_patient_flow_is_private_and_every_typed_step_hears_the_privacy_words() -> None:
    router = build_router()
    assert {"survey", "complaint", "compliment", "track", "rate", "consent", "privacy"} <= router.private_payloads
    assert "menu" not in router.private_payloads and "case" not in router.private_payloads
    flows = ("survey.", "complaint.", "compliment.")
    assert {s for s in router.states if s.startswith(flows)} == set(router.privacy_states)


def test_the_payload_grammar() -> None:
    assert Payload.parse("case:sev:2570-0042:E") == Payload("case", "sev", ("2570-0042", "E"))
    assert Payload.parse("survey") == Payload("survey") and Payload.parse(None) == Payload("")
    assert Payload.parse("privacy:withdraw:yes").rest == "withdraw:yes"
    assert Payload.parse("rate:2570-0042:4").arg(0) == "4" and Payload.parse("rate:x").arg(3, "-") == "-"
    assert pack("survey", "s", "3", "5") == "survey:s:3:5" == Payload.parse("survey:s:3:5").pack()
    with pytest.raises(ValueError, match="64 bytes"):
        pack("case", "note", "ก" * (MAX_BYTES // 3))  # Thai is three bytes a letter in UTF-8
    with pytest.raises(ValueError, match="':'"):
        pack("case", "view", "2570:0042")


async def test_an_action_registered_on_its_own_comes_before_its_prefix(services: Services) -> None:
    """`prefix:action` takes that action's buttons ("complaint:offer"), the prefix the rest; one handler may
    serve several steps, each with the same filters."""
    calls: list[str] = []
    router = toy_router(calls)
    side = Router("side")

    @side.payload("toy:side", private=True)
    async def on_side(turn: Turn) -> None:
        calls.append(f"side {list(turn.payload.args)}")

    @side.state("toy.a", "toy.b", privacy=True)
    async def on_ab(turn: Turn) -> None:
        calls.append(f"{turn.state} {turn.inbound.text}")

    router.include(side)
    assert router.find_payload("toy:side:7") == ("toy:side", on_side)
    assert router.find_payload("toy:go:7")[0] == "toy"  # type: ignore[index]
    assert router.states["toy.a"] is router.states["toy.b"] is on_ab
    assert {"toy.a", "toy.b"} <= set(router.privacy_states)
    dispatcher = Dispatcher(router, services)
    await send(dispatcher, kind=EventKind.POSTBACK, payload="toy:side:7")
    result = await send(dispatcher, kind=EventKind.POSTBACK, payload="toy:side:7", chat_id="G1", is_group=True)
    assert calls == ["side ['7']"] and [r.key for r in result.replies] == ["menu.private_only"]
    with pytest.raises(ValueError, match="registered twice"):
        side.state("toy.b")(on_ab)
