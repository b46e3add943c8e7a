"""Satisfaction survey (indicator 6: process, staff, facilities) with the four engagement levels.

Questions come from `config/survey.toml` (items marked `only = "opd"` / `"ipd"` are asked of that service
type only); the department / ward list from `config/units.toml`. Out-patients give the visit date, in-patients
the discharge date (kept in `visit_date`: the date the response counts for in the indicator). Answers
live in the conversation until the last step, so ยกเลิก or an idle time-out saves nothing and a restart
loses nothing. With consent the response carries the patient id; without it, it is anonymous.

```mermaid
stateDiagram-v2
    [*] --> consent_ask: consent never answered
    [*] --> survey_type
    consent_ask --> survey_type
    survey_type --> survey_dept: OPD / IPD
    survey_dept --> survey_dept: ถัดไป (paging)
    survey_dept --> survey_date: department or ward
    survey_date --> survey_item: วันนี้ / date picker / typed date (IPD: the discharge date)
    survey_item --> survey_item: score 1–5 (re-prompt on letters, 0, 9, stickers)
    survey_item --> survey_comment: last item
    survey_comment --> saved: comment / ข้าม
    saved --> offer_complaint: low scores or NLP complaint
    saved --> [*]
```
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from statistics import fmean
from typing import Any

from handlers import consent
from handlers.catalogue import LINE_LABEL_MAX
from handlers.flowkit import (
    bangkok_today,
    bare,
    is_skip,
    match_unit,
    numbered_list,
    page_buttons,
    parse_score,
    parse_visit_date,
    show_menu,
    tag_columns,
)
from handlers.messages import Button, Channel
from handlers.payloads import extend, pack
from handlers.router import Router
from handlers.states import MenuState, SurveyState
from handlers.turn import PAUSED_KEYS, Turn
from store.config_files import read_hospital_toml
from store.models import Feedback
from store.periods import BE_OFFSET
from store.surveys import add_response
from store.units import UnitSpec

log = logging.getLogger(__name__)
router = Router("survey")

MEAN_DIMENSIONS = ("process", "staff", "facility")
ENGAGEMENT = ("confidence", "integrity", "pride", "passion")
SINGLE = ("overall", "would_return", "would_recommend")
DIMENSIONS = frozenset((*MEAN_DIMENSIONS, *ENGAGEMENT, *SINGLE))
SECTION_OF = {**{d: d for d in MEAN_DIMENSIONS}, "overall": "overall",
              **{d: "engagement" for d in (*ENGAGEMENT, "would_return", "would_recommend")}}
PAUSED = "paused_survey"  # the answers and step of a survey left idle, kept to resume (Turn.end keeps it)
NOTE_MIN_CHARS = 6  # typed text this long at a score question is a comment, kept (not "not a number")


class SurveyConfigError(ValueError):
    """config/survey.toml cannot be used; the message names the entry and the reason."""


@dataclass(frozen=True)
class Item:
    code: str
    dimension: str
    text: str
    only: str | None = None


@dataclass(frozen=True)
class ServiceType:
    code: str
    label: str
    units: str
    place: str


@dataclass(frozen=True)
class SurveyConfig:
    version: str
    service_types: tuple[ServiceType, ...]
    items: tuple[Item, ...]
    sections: dict[str, str] = field(default_factory=dict)
    max_visit_age_days: int = 90
    low_item_score: int = 2
    low_mean_score: float = 3.0

    def items_for(self, service_type: str) -> tuple[Item, ...]:
        """The questions of a service type, in order: worked out once per survey file, not at every answer."""
        found = self._items_by_type.get(service_type)
        if found is None:
            found = self._items_by_type[service_type] = tuple(i for i in self.items if i.only in (None, service_type))
        return found

    @cached_property
    def _items_by_type(self) -> dict[str, tuple[Item, ...]]:
        return {}

    def service_type(self, code: str) -> ServiceType | None:
        return next((s for s in self.service_types if s.code == code), None)


def load_survey(config_dir: Path | None = None) -> SurveyConfig:
    """Read and check the survey file: the hospital's copy in CONFIG_DIR, else the shipped default."""
    path, raw = read_hospital_toml(config_dir, "survey.toml", SurveyConfigError)
    types = []
    for i, entry in enumerate(raw.get("service_type", []), 1):
        code, label = entry.get("code"), entry.get("label", "")
        if code not in ("opd", "ipd"):
            raise SurveyConfigError(f"{path}: service_type {i}: code must be opd or ipd")
        if not label or len(label) > LINE_LABEL_MAX:
            raise SurveyConfigError(f"{path}: service_type {code}: label must be 1–{LINE_LABEL_MAX} characters")
        types.append(ServiceType(code, label, entry.get("units", code), entry.get("place", "แผนก")))
    if not types:
        raise SurveyConfigError(f"{path}: at least one [[service_type]] is needed")
    items: list[Item] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw.get("item", []), 1):
        code, dimension, text = entry.get("code", ""), entry.get("dimension", ""), entry.get("text", "").strip()
        if not code or len(code) > 32 or code in seen:
            raise SurveyConfigError(f"{path}: item {i}: code {code!r} must be unique and at most 32 characters")
        if dimension not in DIMENSIONS:
            raise SurveyConfigError(f"{path}: item {code}: dimension {dimension!r} is not one of {sorted(DIMENSIONS)}")
        if not text:
            raise SurveyConfigError(f"{path}: item {code}: text is empty")
        only = entry.get("only")
        if only not in (None, "opd", "ipd"):
            raise SurveyConfigError(f"{path}: item {code}: only must be opd or ipd")
        seen.add(code)
        items.append(Item(code, dimension, text, only))
    for dimension in (*MEAN_DIMENSIONS, *ENGAGEMENT, *SINGLE):
        count = sum(1 for item in items if item.dimension == dimension)
        if dimension in SINGLE and count != 1:
            raise SurveyConfigError(f"{path}: exactly one item with dimension {dimension!r} is needed ({count} found)")
        if count == 0:
            raise SurveyConfigError(f"{path}: at least one item with dimension {dimension!r} is needed")
    try:
        config = SurveyConfig(
            version=str(raw.get("version", "1")), service_types=tuple(types), items=tuple(items),
            sections={k: str(v) for k, v in raw.get("sections", {}).items()},
            max_visit_age_days=int(raw.get("max_visit_age_days", 90)),
            low_item_score=int(raw.get("low_item_score", 2)), low_mean_score=float(raw.get("low_mean_score", 3.0)),
        )
    except (TypeError, ValueError) as exc:
        raise SurveyConfigError(f"{path}: {exc}") from exc
    return config


def _config(turn: Turn) -> SurveyConfig:
    return turn.hospital.survey


# score buttons by (catalogue, hospital name, payload prefix): the catalogue kept with them, so its id is never reused
_SCORE_BUTTONS: dict[tuple[int, str, str], tuple[object, tuple[Button, ...]]] = {}


def score_buttons(turn: Turn, payload_prefix: str) -> list[Button]:
    """1 … 5 in order, so typing the number on the terminal presses the same score. Built once per catalogue and
    question (five catalogue texts and five payloads each time were 1–2 % of an inbox worker's CPU in the burst
    benchmark): the labels depend only on the catalogue, the payloads only on the prefix."""
    services = turn.services
    catalogue = services.catalogue
    key = (id(catalogue), services.settings.hospital_name, payload_prefix)
    kept = _SCORE_BUTTONS.get(key)
    if kept is None or kept[0] is not catalogue:
        if len(_SCORE_BUTTONS) >= 4096:  # many catalogues over a process's life (tests): start again
            _SCORE_BUTTONS.clear()
        kept = (catalogue, tuple(Button(turn.t(f"button.flow.score_{n}"), extend(payload_prefix, str(n)))
                                 for n in range(1, 6)))
        _SCORE_BUTTONS[key] = kept
    return list(kept[1])


# --- entry ----------------------------------------------------------------------------------------


@router.payload("survey", private=True)
async def on_survey_payload(turn: Turn) -> None:
    """survey | survey:type:X | survey:dept:X | survey:page:N | survey:date:X | survey:s:I:N | survey:skip."""
    payload = turn.payload
    action = payload.action
    if not action:
        await on_start(turn)
        return
    if not (turn.state or "").startswith("survey."):
        if not _restore(turn):
            await on_start(turn)  # an old button from a finished survey: start again rather than guess
            return
        if action == "resume":
            _resumed(turn)
            return
    if action == "restart":
        await begin(turn)
    elif action == "resume":
        reprompt(turn)
    elif action == "type" and len(payload.args) == 1:
        await _choose_type(turn, payload.args[0])
    elif action == "dept" and len(payload.args) == 1 and turn.state == SurveyState.DEPT:
        await _choose_dept(turn, payload.args[0])
    elif action == "page" and len(payload.args) == 1 and turn.state == SurveyState.DEPT:
        _ask_dept(turn, page=int(payload.args[0]) if payload.args[0].isdigit() else 0)
    elif action == "date" and len(payload.args) == 1 and turn.state == SurveyState.DATE:
        await _choose_date(turn, payload.args[0])
    elif action == "s" and len(payload.args) == 2 and turn.state == SurveyState.ITEM:
        await _answer_button(turn, payload.args[0], payload.args[1])
    elif action == "skip" and turn.state == SurveyState.COMMENT:
        await _finish(turn, comment=None)
    else:
        turn.say("survey.stale_button")
        reprompt(turn)


async def on_start(turn: Turn) -> None:
    if _restore(turn):  # a survey left half-done: carry on where the patient stopped
        _resumed(turn)
        return
    if not await consent.asked_first(turn, "survey"):
        await begin(turn)


@router.entry("survey")
async def begin(turn: Turn) -> None:
    _end(turn)
    turn.goto(SurveyState.TYPE, answers={}, i=0)
    turn.say("survey.intro")
    _ask_type(turn)


@router.idle("survey")
async def on_idle(turn: Turn) -> None:
    """Idle mid-survey: keep the answers and the step; an old button or ประเมินความพึงพอใจ resumes there."""
    snapshot = {k: v for k, v in turn.data.items() if k not in PAUSED_KEYS} | {"state": turn.state}
    turn.end()  # an unsent complaint draft paused earlier stays too
    turn.conversation.data = {**turn.conversation.data, PAUSED: snapshot}
    if (turn.inbound.payload or "").startswith("survey:"):
        return  # the patient is answering with an old button: it simply carries on
    turn.say("survey.paused", n=_step_number(snapshot, turn), buttons=[
        turn.button("flow.resume", "survey:resume"), turn.button("menu", "menu"),
    ])


def _end(turn: Turn) -> None:
    """Leave the survey and drop its paused copy; what another flow keeps (an unsent draft) stays."""
    turn.end()
    turn.conversation.data = {k: v for k, v in turn.conversation.data.items() if k != PAUSED}


def _restore(turn: Turn) -> bool:
    snapshot = dict(turn.data.get(PAUSED) or {})
    state = snapshot.pop("state", None)
    if not state or not str(state).startswith("survey."):
        return False
    _end(turn)
    turn.goto(state, **snapshot)
    return True


def _resumed(turn: Turn) -> None:
    turn.say("survey.resumed", buttons=[turn.button("flow.restart", "survey:restart")])
    reprompt(turn)


def _step_number(data: dict[str, Any], turn: Turn) -> int:
    """The question the patient stopped at, counted as they saw it (1 before the questions start)."""
    if data.get("state") == SurveyState.ITEM:
        return int(data.get("i", 0)) + 1
    if data.get("state") == SurveyState.COMMENT:
        return len(_config(turn).items_for(data.get("service_type", "opd"))) + 1
    return 1


def _ask_type(turn: Turn) -> None:
    buttons = [Button(s.label, pack("survey", "type", s.code)) for s in _config(turn).service_types]
    turn.say("survey.ask_type", buttons=buttons)


async def _choose_type(turn: Turn, code: str) -> None:
    service = _config(turn).service_type(code)
    if service is None:
        _ask_type(turn)
        return
    turn.goto(SurveyState.DEPT, service_type=service.code, answers={}, i=0)
    _ask_dept(turn, page=0)


def _dept_choices(turn: Turn) -> list[UnitSpec]:
    service = _config(turn).service_type(turn.data.get("service_type", "opd"))
    kind = service.units if service else "opd"
    return [u for u in turn.hospital.patient_units if u.kind == kind]


def _place(turn: Turn) -> str:
    service = _config(turn).service_type(turn.data.get("service_type", "opd"))
    return service.place if service else "แผนก"


def _ask_dept(turn: Turn, *, page: int) -> None:
    choices = _dept_choices(turn)
    buttons = page_buttons(turn, [(u.label, pack("survey", "dept", u.code)) for u in choices], page=page,
                           page_payload="survey:page")
    turn.say("survey.ask_dept", place=_place(turn), choices=numbered_list([u.label for u in choices]),
             buttons=buttons, shared=True)  # the hospital's own units and services


async def _choose_dept(turn: Turn, code: str) -> None:
    unit = next((u for u in _dept_choices(turn) if u.code == code), None)
    if unit is None:
        turn.say("survey.dept_unknown", place=_place(turn), shared=True)
        _ask_dept(turn, page=0)
        return
    turn.goto(SurveyState.DATE, department=unit.code)
    _ask_date(turn)


def _date_example(turn: Turn) -> str:
    today = bangkok_today(turn.services.clock())
    return f"{today.day}/{today.month}/{today.year + BE_OFFSET}"


def _date_key(turn: Turn, key: str) -> str:
    """In-patients are asked the discharge date (the date their stay counts in the indicator), out-patients
    the visit date: `survey.ask_date_ipd` and its siblings, where the catalogue has them."""
    typed = f"{key}_{turn.data.get('service_type', 'opd')}"
    return typed if turn.services.catalogue.has(typed) else key


def _ask_date(turn: Turn, key: str = "survey.ask_date") -> None:
    key = _date_key(turn, key)
    buttons = [turn.button("flow.today", "survey:date:today"), turn.button("flow.yesterday", "survey:date:yesterday")]
    if turn.inbound.channel == Channel.LINE:  # LINE's date picker (mode "date" → params["date"]); others type it
        buttons.append(Button(turn.t("button.flow.pick_date"), "survey:date:pick", kind="date"))
    turn.say(key, example=_date_example(turn), buttons=buttons, shared=True)  # an example date, no one's


async def _choose_date(turn: Turn, choice: str) -> None:
    today = bangkok_today(turn.services.clock())
    if choice == "pick":
        params = turn.inbound.params
        picked = (params.get("date") or params.get("datetime") or "")[:10]  # "2026-11-20" or "2026-11-20T08:00"
        await _set_date(turn, parse_visit_date(picked, today=today) if picked else None)
    else:
        await _set_date(turn, today - timedelta(days=1) if choice == "yesterday" else today)


async def _set_date(turn: Turn, visit: date | None) -> None:
    today = bangkok_today(turn.services.clock())
    if visit is None:
        _ask_date(turn, "survey.bad_date")
        return
    if visit > today:
        turn.say(_date_key(turn, "survey.future_date"))
        _ask_date(turn)
        return
    max_age = _config(turn).max_visit_age_days
    if visit < today - timedelta(days=max_age):
        turn.say(_date_key(turn, "survey.too_old"), days=max_age)
        _ask_date(turn)
        return
    turn.goto(SurveyState.ITEM, visit_date=visit.isoformat(), i=0, answers={})
    _ask_item(turn)


# --- questions ------------------------------------------------------------------------------------


def _items(turn: Turn) -> tuple[Item, ...]:
    return _config(turn).items_for(turn.data.get("service_type", "opd"))


def _ask_item(turn: Turn, *, with_section: bool = True) -> None:
    items = _items(turn)
    i = int(turn.data.get("i", 0))
    if i >= len(items):
        _ask_comment(turn)
        return
    item = items[i]
    section = SECTION_OF[item.dimension]
    if with_section and (i == 0 or SECTION_OF[items[i - 1].dimension] != section):
        title = _config(turn).sections.get(section)
        if title:
            turn.say("survey.section", title=title, shared=True)  # survey.toml's section titles
    turn.say("survey.question", n=i + 1, total=len(items) + 1, text=item.text,  # survey.toml's own question
             buttons=score_buttons(turn, pack("survey", "s", str(i))), shared=True)


@router.entry("survey:reprompt")
async def reprompt_entry(turn: Turn) -> None:
    reprompt(turn)


def reprompt(turn: Turn) -> None:
    """Ask the current step again, with its buttons (nothing already answered is lost)."""
    state = turn.state
    if state == SurveyState.TYPE:
        _ask_type(turn)
    elif state == SurveyState.DEPT:
        _ask_dept(turn, page=0)
    elif state == SurveyState.DATE:
        _ask_date(turn)
    elif state == SurveyState.ITEM:
        _ask_item(turn, with_section=False)
    elif state == SurveyState.COMMENT:
        _ask_comment(turn)


async def _answer_button(turn: Turn, index: str, score: str) -> None:
    if not index.isdigit() or int(index) != int(turn.data.get("i", 0)):
        turn.say("survey.stale_button")
        _ask_item(turn, with_section=False)
        return
    await _record_score(turn, score)


async def _record_score(turn: Turn, text: str | None) -> None:
    answer = parse_score(text, has_attachment=bool(turn.inbound.attachments))
    if answer.score is None and answer.problem == "not_number" and _keep_note(turn, text):
        turn.say("survey.note_kept")
        _ask_item(turn, with_section=False)
        return
    if answer.score is None:
        turn.say(f"survey.{answer.problem}")
        _ask_item(turn, with_section=False)
        return
    items = _items(turn)
    i = int(turn.data.get("i", 0))
    if i >= len(items):  # the survey file lost items mid-survey: on to the comment
        turn.goto(SurveyState.COMMENT)
        _ask_comment(turn)
        return
    answers = {**turn.data.get("answers", {}), items[i].code: answer.score}
    turn.goto(SurveyState.ITEM, answers=answers, i=i + 1)
    if i + 1 >= len(items):
        turn.goto(SurveyState.COMMENT)
    _ask_item(turn)


def _ask_comment(turn: Turn) -> None:
    key = "survey.ask_comment_after_notes" if turn.data.get("notes") else "survey.ask_comment"
    turn.say(key, buttons=[turn.button("flow.skip", "survey:skip")])


def _keep_note(turn: Turn, text: str | None) -> bool:
    """A sentence typed where a score or choice was asked is the patient's comment: keep it for the end."""
    if not text or len(bare(text)) < NOTE_MIN_CHARS or not any("\u0e00" <= c <= "\u0e7f" or c.isalpha() for c in text):
        return False
    turn.goto(turn.state or SurveyState.ITEM, notes=[*turn.data.get("notes", []), text.strip()])
    return True


@router.state(SurveyState.TYPE, SurveyState.DEPT, SurveyState.DATE, SurveyState.ITEM, SurveyState.COMMENT,
              privacy=lambda turn: reprompt(turn))
async def on_typed(turn: Turn) -> None:
    """Typed answers: a number or name for lists, a date, a score, or the comment."""
    text = (turn.inbound.text or "").strip()
    state = turn.state
    if state == SurveyState.ITEM:
        await _record_score(turn, text)
        return
    if not text:
        turn.say("survey.comment_not_text" if state == SurveyState.COMMENT else "survey.not_text")
        reprompt(turn)
        return
    if state == SurveyState.TYPE:
        lowered = bare(text)
        found = next((s for s in _config(turn).service_types if lowered in (s.code, s.label.lower())
                      or lowered in s.label.lower()), None)
        if found is None and text.isdigit() and 1 <= int(text) <= len(_config(turn).service_types):
            found = _config(turn).service_types[int(text) - 1]
        if found is None:
            if _keep_note(turn, text):
                turn.say("survey.note_kept")
            _ask_type(turn)
        else:
            await _choose_type(turn, found.code)
    elif state == SurveyState.DEPT:
        unit = match_unit(text, _dept_choices(turn))
        if unit is None and len(bare(text)) >= NOTE_MIN_CHARS * 2 and _keep_note(turn, text):
            turn.say("survey.note_kept")
            _ask_dept(turn, page=0)
        elif unit is None:
            turn.say("survey.dept_unknown", place=_place(turn), shared=True)
            _ask_dept(turn, page=0)
        else:
            await _choose_dept(turn, unit.code)
    elif state == SurveyState.DATE:
        visit = parse_visit_date(text, today=bangkok_today(turn.services.clock()))
        if visit is None and len(bare(text)) >= NOTE_MIN_CHARS * 2 and _keep_note(turn, text):
            turn.say("survey.note_kept")
            _ask_date(turn)
        else:
            await _set_date(turn, visit)
    elif state == SurveyState.COMMENT:
        await _finish(turn, comment=None if is_skip(text) else text)


# --- saving ---------------------------------------------------------------------------------------


def _mean(values: list[int]) -> float | None:
    return round(fmean(values), 4) if values else None


async def _finish(turn: Turn, *, comment: str | None) -> None:
    notes = [str(n) for n in turn.data.get("notes", [])]
    comment = "\n".join([*notes, comment] if comment else notes) or None  # nothing typed mid-survey is lost
    config = _config(turn)
    items = _items(turn)
    answers: dict[str, int] = {k: int(v) for k, v in turn.data.get("answers", {}).items()}
    if any(item.code not in answers for item in items):  # the file changed mid-survey: ask what is missing
        turn.goto(SurveyState.ITEM, i=next(n for n, item in enumerate(items) if item.code not in answers))
        _ask_item(turn)
        return
    by_dimension: dict[str, list[int]] = {}
    for item in items:
        by_dimension.setdefault(item.dimension, []).append(answers[item.code])
    dimension_scores = [s for d in MEAN_DIMENSIONS for s in by_dimension.get(d, [])]
    mean_score = _mean(dimension_scores) or 0.0
    identified = await consent.has_consent(turn)
    patient_id = turn.identity.patient_id if identified else None
    analysis: Any = None
    if comment:
        try:
            # The survey's closing free text is a message to the hospital unless the flow asked one of the
            # form's other free-text questions (expectation, dissatisfaction, improvement).
            question = turn.data.get("comment_question", "message")
            analysis = await turn.services.analyse(comment, list(answers.values()), question=question)
        except Exception:  # tags are a bonus; the answers must be saved regardless
            log.exception("NLP failed on a survey comment")
    now = turn.services.clock()
    department = turn.data.get("department")
    response_id = await add_response(turn.session, {
        "patient_id": patient_id, "channel": turn.inbound.channel, "service_type": turn.data.get("service_type", "opd"),
        "department_code": department, "visit_date": date.fromisoformat(turn.data["visit_date"]),
        "submitted_at": now, "overall": by_dimension["overall"][0], "mean_score": mean_score,
        "process_mean": _mean(by_dimension.get("process", [])), "staff_mean": _mean(by_dimension.get("staff", [])),
        "facility_mean": _mean(by_dimension.get("facility", [])),
        "would_return": by_dimension["would_return"][0], "would_recommend": by_dimension["would_recommend"][0],
        "comment": comment, "sentiment": analysis.sentiment.label if analysis is not None else None,
    }, [(item.code, item.dimension, answers[item.code]) for item in items if item.dimension not in SINGLE])
    if comment:
        turn.session.add(_comment_feedback(turn, comment, analysis, response_id, department, patient_id))
    _end(turn)
    turn.say("survey.thanks" if identified else "survey.thanks_anonymous")
    low = min(answers.values()) <= config.low_item_score or mean_score < config.low_mean_score
    complaint_like = analysis is not None and analysis.complaint
    if complaint_like or low:
        turn.goto(MenuState.OFFER, offer_text=comment or "",
                  offer_dept=department, offer_response_id=response_id)
        turn.say("survey.offer_comment" if complaint_like else "survey.offer_low", buttons=[
            turn.button("flow.complain_this", "complaint:offer"), turn.button("flow.no_thanks", "menu"),
        ])
    else:
        await show_menu(turn)


def _comment_feedback(turn: Turn, comment: str, analysis: Any, response_id: int, department: str | None,
                      patient_id: int | None) -> Feedback:
    return Feedback(
        kind="comment", patient_id=patient_id, channel=turn.inbound.channel, text=comment,
        department_code=department, anonymous=patient_id is None, survey_response_id=response_id,
        created_at=turn.services.clock(), **tag_columns(analysis),
    )
