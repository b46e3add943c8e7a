"""The survey's questions and score buttons are worked out once per survey file and catalogue, not at every answer
(handlers/survey.py `items_for`, `score_buttons`: 1–2 % of an inbox worker's CPU in the burst benchmark)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from handlers.hospital import load_hospital
from handlers.survey import score_buttons


def test_a_service_types_questions_are_worked_out_once() -> None:
    survey = load_hospital().survey
    opd, ipd = survey.items_for("opd"), survey.items_for("ipd")
    assert survey.items_for("opd") is opd and survey.items_for("ipd") is ipd
    assert opd == tuple(i for i in survey.items if i.only in (None, "opd"))
    assert ipd == tuple(i for i in survey.items if i.only in (None, "ipd"))


def fake_turn(catalogue: Any, hospital: str = "โรงพยาบาลทดสอบ") -> Any:
    services = SimpleNamespace(catalogue=catalogue, settings=SimpleNamespace(hospital_name=hospital))
    return SimpleNamespace(services=services, t=lambda key, **values: catalogue(key, hospital=hospital, **values))


def test_score_buttons_read_the_catalogue_once_per_question() -> None:
    catalogue = load_hospital().catalogue
    asked: list[str] = []

    def counting(key: str, **values: object) -> str:
        asked.append(key)
        return catalogue(key, **values)

    turn = fake_turn(counting)
    first = score_buttons(turn, "survey:s:3")
    again = score_buttons(turn, "survey:s:3")
    other = score_buttons(turn, "survey:s:4")
    assert first == again and first is not again  # a list of its own each time (a handler may change it)
    assert [b.payload for b in first] == [f"survey:s:3:{n}" for n in range(1, 6)]
    assert [b.payload for b in other] == [f"survey:s:4:{n}" for n in range(1, 6)]
    assert [b.label for b in first] == [catalogue(f"button.flow.score_{n}") for n in range(1, 6)]
    assert len(asked) == 10  # five labels for each of the two questions, none for the repeat
    renamed = score_buttons(fake_turn(lambda key, **_: f"{key}!"), "survey:s:3")  # another catalogue
    assert [b.label for b in renamed] == [f"button.flow.score_{n}!" for n in range(1, 6)]
