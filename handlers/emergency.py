"""Emergencies first: a patient's message that reads as a medical emergency or a threat to life gets the
emergency reply (1669 and the hospital's ER number, from the catalogue) before anything else; then the
step the patient was on carries on with the same text, so nothing typed is lost.

The signs are data (`config/emergency.toml`, a hospital copy in CONFIG_DIR wins): phrases matched with
spaces and zero-width characters removed. A sign in a message that speaks of the past ("เมื่อวาน…",
"ครั้งก่อน…") and not of now is a complaint about what happened: it gets a one-line "if it is still
happening, call 1669" instead of the full alarm. Self-harm gets the full reply whatever the tense.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from store.config_files import read_hospital_toml

FILE_NAME = "emergency.toml"
IGNORED = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")


class EmergencyConfigError(ValueError):
    """config/emergency.toml cannot be used; the message names the entry and the reason."""


@dataclass(frozen=True)
class Sign:
    code: str
    phrases: tuple[str, ...]
    exceptions: tuple[str, ...] = ()
    message: str | None = None  # an extra catalogue key, emergency.<message>
    even_past: bool = False


@dataclass(frozen=True)
class Signs:
    signs: tuple[Sign, ...]
    past_markers: tuple[str, ...]
    present_markers: tuple[str, ...]


@dataclass(frozen=True)
class Alarm:
    """What a message showed: the signs found, and whether it speaks only of the past."""

    codes: tuple[str, ...]
    messages: tuple[str, ...]
    past: bool


def _squash(text: str) -> str:
    return IGNORED.sub("", text).lower()


def load_signs(config_dir: Path | None = None) -> Signs:
    path, raw = read_hospital_toml(config_dir, FILE_NAME, EmergencyConfigError)
    signs = []
    for i, entry in enumerate(raw.get("sign", []), 1):
        code = entry.get("code")
        phrases = entry.get("phrases", [])
        if not code or not isinstance(phrases, list) or not phrases:
            raise EmergencyConfigError(f"{path}: sign {i}: needs a code and at least one phrase")
        if not all(isinstance(p, str) and _squash(p) for p in phrases):
            raise EmergencyConfigError(f"{path}: sign {code}: every phrase must be non-empty text")
        signs.append(Sign(code, tuple(_squash(p) for p in phrases),
                          tuple(_squash(p) for p in entry.get("except", [])), entry.get("message"),
                          bool(entry.get("even_past", False))))
    if not signs:
        raise EmergencyConfigError(f"{path}: at least one [[sign]] is needed")
    return Signs(tuple(signs), tuple(_squash(m) for m in raw.get("past_markers", [])),
                 tuple(_squash(m) for m in raw.get("present_markers", [])))


def check_messages(signs: Signs, has: Callable[[str], bool]) -> None:
    """Every extra message a sign names must be in the catalogue (checked at start)."""
    for sign in signs.signs:
        if sign.message and not has(f"emergency.{sign.message}"):
            raise EmergencyConfigError(f"sign {sign.code}: no message emergency.{sign.message} in the catalogue")


def detect(text: str | None, signs: Signs) -> Alarm | None:
    """The emergency signs in a text, or None."""
    if not text:
        return None
    squashed = _squash(text)
    found = [s for s in signs.signs if _has_sign(squashed, s)]
    if not found:
        return None
    past = (any(m in squashed for m in signs.past_markers)
            and not any(m in squashed for m in signs.present_markers)
            and not any(s.even_past for s in found))
    messages = tuple(dict.fromkeys(s.message for s in found if s.message))
    return Alarm(tuple(s.code for s in found), messages, past)


def _has_sign(squashed: str, sign: Sign) -> bool:
    cleaned = squashed
    for phrase in sign.exceptions:
        cleaned = cleaned.replace(phrase, " ")
    return any(p in cleaned for p in sign.phrases)
