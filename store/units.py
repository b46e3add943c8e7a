"""Units are hospital data (`config/units.toml`), loaded and validated at start, mirrored into the table."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.config_files import hospital_file
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

    @property
    def label(self) -> str:
        """The name a patient sees."""
        return self.patient_name or self.name_th




def load_units(config_dir: Path | None = None) -> list[UnitSpec]:
    """The hospital's units.toml in CONFIG_DIR, else the shipped default; validated."""
    path = hospital_file(config_dir, "units.toml")
    with path.open("rb") as fh:
        raw = tomllib.load(fh).get("unit", [])
    units: list[UnitSpec] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, 1):
        code, name, kind = item.get("code", ""), item.get("name_th", ""), item.get("kind", "unit")
        patient_name, patients = item.get("patient_name"), item.get("patients", True)
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
        units.append(UnitSpec(code, name, kind, patient_name, patients))
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
    for spec in wanted.values():
        session.add(Unit(code=spec.code, name_th=spec.name_th, kind=spec.kind))
    await session.flush()


# Words a nurse leaves out when naming a unit: "เภสัช" for "งานเภสัชกรรม", "ศัลยกรรม" for "หอผู้ป่วยศัลยกรรม".
_UNIT_WORDS = re.compile(r"งาน|กลุ่มงาน|กลุ่ม|หน่วย|ฝ่าย|แผนก|หอผู้ป่วย|ห้อง|ตึก|[\s().\-]")


def _plain(text: str) -> str:
    return _UNIT_WORDS.sub("", text.strip().lower())


def match_units(units: list[Unit], text: str) -> list[Unit]:
    """The active units that `text` names: its code, its Thai name, or an unambiguous part of the name typed
    without the "งาน/หอผู้ป่วย…" words and spaces ("เภสัช", "ศัลยกรรม"). An exact match wins over parts."""
    wanted, plain = text.strip().lower(), _plain(text)
    active = [u for u in units if u.active]
    exact = [u for u in active if wanted in (u.code, u.name_th.lower()) or (plain and plain == _plain(u.name_th))]
    if exact or len(plain) < 2:
        return exact
    return [u for u in active if plain in _plain(u.name_th) or plain in u.code]


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


def units_named_in(units: Sequence[Named], text: str) -> list[Named]:
    """The units whose Thai name (or a form of it, see `_name_forms`) appears in a patient's sentence:
    "ขอบคุณพยาบาลห้องคลอดมากค่ะ" names the delivery ward. Several or none: the caller asks."""
    squeezed = re.sub(r"\s+", "", text)
    return [u for u in units if any(form in squeezed for form in _name_forms(u.name_th))]
