"""Topic lexicon: loading and validating config/topics.toml, and tagging tokens with topics."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOPIC_CODES: tuple[str, ...] = (
    "waiting",
    "staff_behavior",
    "communication",
    "clinical_care",
    "medication",
    "environment",
    "cost_rights",
    "process",
    "food",
    "parking_access",
    "safety_privacy",
    "staffing",
)
DIMENSIONS: tuple[str, ...] = ("process", "staff", "facility")
UNIT_CODES: tuple[str, ...] = (
    "opd", "ipd", "er", "pharmacy", "lab", "xray", "dental", "finance", "admin", "nutrition", "nursing",
    "medical", "quality",
)  # fmt: skip
WORD_LISTS: tuple[str, ...] = (
    "negative",
    "positive",
    "aspect",
    "context",
    "targets",
    "secondary",
    "secondary_positive",
)
DEFAULT_CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"


class TopicConfigError(ValueError):
    """config/topics.toml is missing, malformed or names an unknown code/dimension."""


@dataclass(frozen=True, slots=True)
class TopicInfo:
    code: str
    label_th: str
    dimension: str
    unit: str


@dataclass(frozen=True, slots=True)
class TopicLexicon:
    info: TopicInfo
    negative: tuple[str, ...] = ()
    positive: tuple[str, ...] = ()
    aspect: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    secondary: tuple[str, ...] = ()
    secondary_positive: tuple[str, ...] = ()
    words: frozenset[str] = field(default_factory=frozenset)


UNIT_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")  # the unit-code rule of store/units.py


def _unit_codes(config_dir: Path) -> frozenset[str]:
    """Unit codes from ``config/units.toml`` (``[[unit]]`` tables; the whole file is validated by
    ``store.units.load_units`` at start — the NLP layer reads only the codes and does not import the store).

    A config dir without units.toml (a bare topics-only directory) falls back to the default codes.
    """
    path = config_dir / "units.toml"
    if not path.exists():
        return frozenset(UNIT_CODES)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")).get("unit", [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TopicConfigError(f"{path}: cannot read the units the topics point to: {exc}") from exc
    codes = [item.get("code", "") if isinstance(item, dict) else "" for item in raw]
    bad = [c for c in codes if not isinstance(c, str) or not UNIT_CODE.match(c)]
    if bad:
        raise TopicConfigError(f"{path}: cannot read the units the topics point to: unit code {bad[0]!r} must be "
                               "lowercase letters, digits or _")
    return frozenset(codes)


def _str_list(code: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TopicConfigError(f"topics.toml [{code}] {key} must be a list of strings")
    return tuple(v for v in value if v.strip())


def load_lexicon(config_dir: Path | None = None) -> dict[str, TopicLexicon]:
    """Read and validate ``topics.toml``; raises TopicConfigError with a message a hospital admin can act on."""
    config_dir = Path(config_dir) if config_dir is not None else DEFAULT_CONFIG_DIR
    path = config_dir / "topics.toml"
    if not path.exists():  # like every hospital file: no copy in CONFIG_DIR means the shipped default
        path = DEFAULT_CONFIG_DIR / "topics.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TopicConfigError(f"topic lexicon not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise TopicConfigError(f"{path}: not valid TOML: {exc}") from exc
    units = _unit_codes(config_dir)
    unknown = sorted(set(data) - set(TOPIC_CODES))
    if unknown:
        raise TopicConfigError(f"{path}: unknown topic code(s) {', '.join(unknown)}; allowed: {', '.join(TOPIC_CODES)}")
    missing = [c for c in TOPIC_CODES if c not in data]
    if missing:
        raise TopicConfigError(f"{path}: missing topic(s) {', '.join(missing)}")
    out: dict[str, TopicLexicon] = {}
    for code in TOPIC_CODES:
        entry = data[code]
        if not isinstance(entry, dict):
            raise TopicConfigError(f"{path}: [{code}] must be a table")
        extra = sorted(set(entry) - {"label_th", "dimension", "unit", *WORD_LISTS})
        if extra:
            raise TopicConfigError(f"{path}: [{code}] unknown key(s) {', '.join(extra)}")
        label = entry.get("label_th")
        if not isinstance(label, str) or not label.strip():
            raise TopicConfigError(f"{path}: [{code}] label_th is required")
        dimension = entry.get("dimension")
        if dimension not in DIMENSIONS:
            raise TopicConfigError(f"{path}: [{code}] dimension {dimension!r} is not one of {', '.join(DIMENSIONS)}")
        unit = entry.get("unit")
        if not isinstance(unit, str) or unit not in units:
            known = ", ".join(sorted(units))
            raise TopicConfigError(f"{path}: [{code}] unit {unit!r} is not a known unit code ({known})")
        lists = {key: _str_list(code, key, entry.get(key, [])) for key in WORD_LISTS}
        if not (lists["negative"] or lists["positive"] or lists["aspect"]):
            raise TopicConfigError(f"{path}: [{code}] has no words (negative/positive/aspect)")
        words = frozenset(w for key in WORD_LISTS for w in lists[key])
        out[code] = TopicLexicon(TopicInfo(code, label.strip(), dimension, unit), words=words, **lists)
    return out


def load_topics(config_dir: Path | None = None) -> dict[str, TopicInfo]:
    """Topic code → TopicInfo(code, label_th, dimension, unit), validated."""
    return {code: lex.info for code, lex in load_lexicon(config_dir).items()}
