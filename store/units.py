"""Units are hospital data (`config/units.toml`), loaded and validated at start, mirrored into the table."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.config_files import hospital_file
from store.db import insert_missing
from store.models import Unit

CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
KINDS = frozenset({"unit", "opd", "ipd"})


class UnitsConfigError(ValueError):
    """config/units.toml cannot be used; the message says which unit and why."""


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name_th: str
    kind: str = "unit"
    patient_name: str | None = None  # what patients call it ("ห้องยา"), on their buttons
    patients: bool = True  # offered to patients as a department (False: admin teams such as quality)
    aliases: tuple[str, ...] = ()  # everyday words for it ("หมอฟัน", "แล็บ", "ER"), matched in what people type

    @property
    def label(self) -> str:
        """The name a patient sees."""
        return self.patient_name or self.name_th

    @property
    def everyday(self) -> tuple[str, ...]:
        """The words people use besides the official name: the patient-facing name and the aliases."""
        return (self.patient_name, *self.aliases) if self.patient_name else self.aliases




def load_units(config_dir: Path | None = None) -> list[UnitSpec]:
    """The hospital's units.toml in CONFIG_DIR, else the shipped default; validated."""
    path = hospital_file(config_dir, "units.toml")
    with path.open("rb") as fh:
        raw = tomllib.load(fh).get("unit", [])
    units: list[UnitSpec] = []
    seen: set[str] = set()
    said: dict[str, str] = {}  # alias as matched → the unit it names
    for i, item in enumerate(raw, 1):
        code, name, kind = item.get("code", ""), item.get("name_th", ""), item.get("kind", "unit")
        patient_name, patients = item.get("patient_name"), item.get("patients", True)
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and len(_loose(a)) >= 2 for a in aliases):
            raise UnitsConfigError(f"{path}: unit {code!r}: aliases must be a list of words of 2 letters or more")
        for alias in aliases:
            other = said.setdefault(_loose(alias), code)
            if other != code:
                raise UnitsConfigError(f"{path}: unit {code!r}: alias {alias!r} already names unit {other!r}")
        if patient_name is not None and (not isinstance(patient_name, str) or not patient_name.strip()):
            raise UnitsConfigError(f"{path}: unit {code!r}: patient_name must be a non-empty text")
        if not isinstance(patients, bool):
            raise UnitsConfigError(f"{path}: unit {code!r}: patients must be true or false")
        if not CODE.match(code):
            raise UnitsConfigError(f"{path}: unit {i}: code {code!r} must be lowercase letters, digits or _")
        if code in seen:
            raise UnitsConfigError(f"{path}: unit code {code!r} appears twice")
        if not name:
            raise UnitsConfigError(f"{path}: unit {code!r} has no name_th")
        if kind not in KINDS:
            raise UnitsConfigError(f"{path}: unit {code!r}: kind must be one of {sorted(KINDS)}")
        seen.add(code)
        units.append(UnitSpec(code, name, kind, patient_name, patients, tuple(aliases)))
    return units


async def sync_units(session: AsyncSession, *, units: list[UnitSpec]) -> None:
    """Upsert the configured units; units removed from the file are kept but marked inactive (cases keep them)."""
    wanted = {u.code: u for u in units}
    for row in (await session.exec(select(Unit))).all():
        spec = wanted.pop(row.code, None)
        row.active = spec is not None
        if spec is not None:
            row.name_th, row.kind = spec.name_th, spec.kind
        session.add(row)
    await session.flush()
    # New units: another instance starting at the same moment (web and worker) may insert them first.
    await insert_missing(session, Unit, [{"code": s.code, "name_th": s.name_th, "kind": s.kind, "active": True}
                                         for s in wanted.values()])  # fmt: skip


# Words a nurse leaves out when naming a unit: "เภสัช" for "งานเภสัชกรรม", "ศัลยกรรม" for "หอผู้ป่วยศัลยกรรม".
_UNIT_WORDS = re.compile(r"งาน|กลุ่มงาน|กลุ่ม|หน่วย|ฝ่าย|แผนก|หอผู้ป่วย|ห้อง|ตึก|[\s().\-]")


def _plain(text: str) -> str:
    return _UNIT_WORDS.sub("", text.strip().lower())


# Thai marks people add, drop or swap when typing fast (็ ่ ้ ๊ ๋ ์ ํ ๎): "แล็บ" = "แลบ", "เอ็กซ์เรย์" = "เอกซเรย์"
_MARKS = "\u0e47-\u0e4e"
_LOOSE = re.compile(rf"[\s\-.{_MARKS}]")


def _loose(text: str) -> str:
    """A word as compared: lower case, without spaces, hyphens, dots and Thai tone/silent marks."""
    return _LOOSE.sub("", text.lower())


@functools.cache
def _pattern(form: str) -> re.Pattern[str]:
    """Finds `form` inside a sentence however it is typed: spaces, hyphens and marks may come between its
    letters ("หมอ ฟัน", "x-ray", "เอ็กซ์เรย์"); a Latin word must stand alone ("ER" in "ไป ER มา", not in "order")."""
    core = _loose(form)
    body = f"[\\s\\-.{_MARKS}]*".join(re.escape(c) for c in core)
    head = "(?<![a-z])" if core[:1].isascii() and core[:1].isalpha() else ""
    tail = "(?![a-z])" if core[-1:].isascii() and core[-1:].isalpha() else ""
    return re.compile(f"{head}{body}{tail}")


def match_units(units: list[Unit], text: str, aliases: Mapping[str, Sequence[str]] | None = None) -> list[Unit]:
    """The active units that `text` names: its code, its Thai name, one of its everyday words (`aliases`:
    unit code → words, from units.toml: "แล็บ", "หมอฟัน", "x-ray"), or an unambiguous part of the name typed
    without the "งาน/หอผู้ป่วย…" words and spaces ("เภสัช", "ศัลยกรรม"). An exact match wins over parts; an
    everyday word inside a longer answer ("ห้องยาค่ะ") counts when nothing else does."""
    wanted, plain, loose = text.strip().lower(), _plain(text), _loose(text)
    words = aliases or {}
    active = [u for u in units if u.active]
    exact = [u for u in active if wanted in (u.code, u.name_th.lower()) or (plain and plain == _plain(u.name_th))
             or any(_loose(a) == loose for a in words.get(u.code, ()))]
    if exact or len(plain) < 2:
        return exact
    parts = [u for u in active if plain in _plain(u.name_th) or plain in u.code]
    if parts:
        return parts
    return [u for u in active if any(_pattern(a).search(wanted) for a in words.get(u.code, ()))]


class _Named(Protocol):
    @property
    def name_th(self) -> str: ...


Named = TypeVar("Named", bound=_Named)
_PARENTHESIS = re.compile(r"\(([^)]*)\)")


def _name_forms(name: str) -> set[str]:
    """How a patient may write a unit's Thai name inside a sentence: the name itself, without "(…)" and the
    "งาน/หอผู้ป่วย…" words, each side of "และ" ("ห้องคลอดและหลังคลอด" → "หลังคลอด"), the bracketed name
    ("ห้องปฏิบัติการ"), and a "-กรรม" name's stem ("เภสัชกรรม" → "เภสัช", as in "เภสัชกร")."""
    outer = _PARENTHESIS.sub(" ", name)
    forms = {name, outer.strip(), _plain(outer), *(m.strip() for m in _PARENTHESIS.findall(name))}
    for part in _plain(outer).split("และ"):
        forms.add(part)
        if part.endswith("กรรม"):
            forms.add(part[: -len("กรรม")])
    return {f.replace(" ", "") for f in forms if len(f.replace(" ", "")) >= 4}


@functools.cache
def _patterns(name: str, everyday: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    forms = _name_forms(name) | {f for word in everyday for f in _name_forms(word)} | set(everyday)
    return tuple(_pattern(f) for f in sorted(forms) if _loose(f))


def units_named_in(units: Sequence[Named], text: str) -> list[Named]:
    """The units whose Thai name (or a form of it, see `_name_forms`) or everyday word (`UnitSpec.everyday`:
    "หมอฟัน", "แล็บ", "ER") appears in a patient's sentence, however it is spaced or marked: "ขอบคุณพยาบาล
    ห้องคลอดมากค่ะ" names the delivery ward, "หมอ ฟันใจดีค่ะ" the dental unit. Several or none: the caller asks."""
    lowered = text.lower()
    return [u for u in units
            if any(p.search(lowered) for p in _patterns(u.name_th, tuple(getattr(u, "everyday", ()))))]
