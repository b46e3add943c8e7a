"""The severity policy (seed 004's table, SPEC §5) as hospital data: `config/severity_policy.toml`.

Loaded and validated at start; code reads the policy, never copies the table. Durations are ISO 8601
(`PT0S` immediately, `PT24H`, `P7D`, `P2W`, `P1M`); months are calendar months in Bangkok time, so
"1 month" from 31 Jan is 28/29 Feb, as a person counts it.
"""

from __future__ import annotations

import re
import tomllib
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from store.config_files import hospital_file
from store.periods import BANGKOK

FILE_NAME = "severity_policy.toml"
SEVERITIES = ("A", "B", "C", "D", "E", "F", "G", "H", "I", "SE")
REVIEWS = ("none", "review", "rca")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ROLES = ("assignee", "unit_head", "committee", "director")
_ISO = re.compile(
    r"^P(?!$)(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+)S)?)?$"
)


class PolicyError(ValueError):
    """The hospital's policy file cannot be used; the message names the file, the key and why."""


@dataclass(frozen=True, order=True)
class Duration:
    """A calendar duration: whole months plus a fixed part (days, hours…)."""

    months: int = 0
    days: int = 0
    seconds: int = 0  # kept apart from days so PT24H prints as written, not as P1D

    @property
    def fixed(self) -> timedelta:
        return timedelta(days=self.days, seconds=self.seconds)

    @classmethod
    def parse(cls, text: str) -> Duration:
        m = _ISO.match(text.strip().upper()) if isinstance(text, str) else None
        if not m:
            raise ValueError(f"{text!r} is not an ISO 8601 duration such as PT0S, PT24H, P7D, P2W or P1M")
        n = {k: int(v) if v else 0 for k, v in m.groupdict().items()}
        return cls(
            months=n["y"] * 12 + n["mo"],
            days=n["w"] * 7 + n["d"],
            seconds=n["h"] * 3600 + n["mi"] * 60 + n["s"],
        )

    def iso(self) -> str:
        years, months = divmod(self.months, 12)
        days = self.days
        hours, rest = divmod(self.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        date_part = "".join(f"{v}{u}" for v, u in ((years, "Y"), (months, "M"), (days, "D")) if v)
        time_part = "".join(f"{v}{u}" for v, u in ((hours, "H"), (minutes, "M"), (seconds, "S")) if v)
        if not date_part and not time_part:
            return "PT0S"
        return "P" + date_part + (f"T{time_part}" if time_part else "")

    @property
    def is_zero(self) -> bool:
        return self.months == 0 and self.days == 0 and self.seconds == 0

    def after(self, at: datetime) -> datetime:
        """`at` + this duration; months move the Bangkok calendar date (day clamped to the month's end)."""
        if self.months:
            local = at.astimezone(BANGKOK)
            month_index = local.month - 1 + self.months
            year, month = local.year + month_index // 12, month_index % 12 + 1
            day = min(local.day, monthrange(year, month)[1])
            at = local.replace(year=year, month=month, day=day).astimezone(UTC)
        return at + self.fixed

    def before(self, at: datetime) -> datetime:
        """`at` − this duration (months counted back on the Bangkok calendar)."""
        if self.months:
            local = at.astimezone(BANGKOK)
            month_index = local.month - 1 - self.months
            year, month = local.year + month_index // 12, month_index % 12 + 1
            day = min(local.day, monthrange(year, month)[1])
            at = local.replace(year=year, month=month, day=day).astimezone(UTC)
        return at - self.fixed


@dataclass(frozen=True)
class SeverityRule:
    code: str
    report_within: Duration
    resolve_within: Duration
    notify_unit_head: bool
    notify_director: bool
    review: str
    risk_level: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "report_within": self.report_within.iso(),
            "resolve_within": self.resolve_within.iso(),
            "notify_director": self.notify_director,
            "review": self.review,
            "risk_level": self.risk_level,
        }


@dataclass(frozen=True)
class Recurrence:
    """More than `max_count` cases of the same topic and unit within `window` → `review` (RCA)."""

    max_count: int
    window: Duration
    review: str


@dataclass(frozen=True)
class ReminderRules:
    untriaged_after: Duration
    before: Duration
    before_fraction: float
    escalate_every: Duration
    repeat_every: Duration
    escalation: tuple[str, ...]
    # Seed 004's "ทันที" (PT0S) report deadline counts as this long, so a case is not overdue the moment it
    # is triaged; the director's notice still goes at once.
    immediate_within: Duration = Duration(seconds=3600)
    # Reminders wait for office hours (Bangkok time) unless the case's severity is around the clock.
    office_start: time = time(8, 30)
    office_end: time = time(16, 30)
    office_days: frozenset[int] = frozenset(range(5))  # Monday = 0
    around_the_clock: frozenset[str] = frozenset({"G", "H", "I", "SE"})

    def in_office(self, at: datetime) -> bool:
        local = at.astimezone(BANGKOK)
        return local.weekday() in self.office_days and self.office_start <= local.time() < self.office_end

    def next_office(self, at: datetime) -> datetime:
        """`at` when it falls in office hours, else the next opening (Bangkok time), in `at`'s zone."""
        if self.in_office(at) or not self.office_days:
            return at
        local = at.astimezone(BANGKOK)
        day = local.date() if local.time() < self.office_start else local.date() + timedelta(days=1)
        while day.weekday() not in self.office_days:
            day += timedelta(days=1)
        return datetime.combine(day, self.office_start, tzinfo=BANGKOK).astimezone(at.tzinfo)

    def report_window(self, rule: SeverityRule) -> Duration:
        return self.immediate_within if rule.report_within.is_zero else rule.report_within

    def lead(self, start: datetime, deadline: datetime) -> timedelta | None:
        """How long before `deadline` the early reminder goes; None when the window is too short for one."""
        window = deadline - start
        if window <= timedelta(0) or self.before.is_zero:
            return None
        lead = min(self.before.after(start) - start, window * self.before_fraction)
        return lead if lead > timedelta(0) else None


@dataclass(frozen=True)
class Policy:
    severities: dict[str, SeverityRule]
    recurrence: Recurrence
    reminders: ReminderRules
    source: Path | None = None

    def rule(self, severity: str) -> SeverityRule:
        try:
            return self.severities[severity]
        except KeyError:
            raise KeyError(f"unknown severity {severity!r}; expected one of {', '.join(self.severities)}") from None

    def to_dict(self) -> dict[str, Any]:
        """`{"A": {"report_within": "P7D", …}, …, "SE": {…}}` — what `python -m bot policy --json` prints."""
        return {code: rule.to_dict() for code, rule in self.severities.items()}

    def rules_dict(self) -> dict[str, Any]:
        """The rules around the table: recurrence and reminders, ISO durations."""
        r, rem = self.recurrence, self.reminders
        return {
            "recurrence": {"max_count": r.max_count, "window": r.window.iso(), "review": r.review},
            "reminders": {
                "untriaged_after": rem.untriaged_after.iso(), "before": rem.before.iso(),
                "before_fraction": rem.before_fraction, "escalate_every": rem.escalate_every.iso(),
                "repeat_every": rem.repeat_every.iso(), "escalation": list(rem.escalation),
                "immediate_within": rem.immediate_within.iso(),
                "office_hours": f"{rem.office_start:%H:%M}-{rem.office_end:%H:%M}",
                "office_days": [DAYS[d] for d in sorted(rem.office_days)],
                "around_the_clock": sorted(rem.around_the_clock, key=SEVERITIES.index),
            },
        }


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise PolicyError(f"{where}: missing table [{key}]")
    return value


def _get(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in table:
        raise PolicyError(f"{where}: missing {key}")
    value = table[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PolicyError(f"{where}: {key} = {value!r} has the wrong type")
    return value


def _duration(table: dict[str, Any], key: str, where: str) -> Duration:
    try:
        return Duration.parse(_get(table, key, str, where))
    except ValueError as exc:
        if isinstance(exc, PolicyError):
            raise
        raise PolicyError(f"{where}: {key}: {exc}") from None


def _known(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise PolicyError(f"{where}: unknown key(s) {', '.join(unknown)}")


def parse_policy(data: dict[str, Any], source: Path | None = None) -> Policy:
    """Validate the parsed TOML; every problem is a PolicyError naming the key."""
    name = str(source or FILE_NAME)
    _known(data, {"severity", "recurrence", "reminders"}, name)
    table = _table(data, "severity", name)
    missing = [c for c in SEVERITIES if c not in table]
    extra = [c for c in table if c not in SEVERITIES]
    if missing or extra:
        raise PolicyError(f"{name}: [severity] must define exactly {', '.join(SEVERITIES)}"
                          + (f"; missing {', '.join(missing)}" if missing else "")
                          + (f"; unknown {', '.join(extra)}" if extra else ""))
    reference = datetime(2026, 1, 31, tzinfo=UTC)
    severities: dict[str, SeverityRule] = {}
    for code in SEVERITIES:
        where = f"{name}: [severity.{code}]"
        row = _table(table, code, name)
        _known(row, {"report_within", "resolve_within", "notify_unit_head", "notify_director", "review",
                     "risk_level"}, where)
        review = _get(row, "review", str, where)
        if review not in REVIEWS:
            raise PolicyError(f"{where}: review = {review!r}; expected one of {', '.join(REVIEWS)}")
        risk = _get(row, "risk_level", int, where)
        if not 1 <= risk <= 4:
            raise PolicyError(f"{where}: risk_level = {risk}; expected 1 (ต่ำ) to 4 (สูงมาก)")
        rule = SeverityRule(
            code=code, report_within=_duration(row, "report_within", where),
            resolve_within=_duration(row, "resolve_within", where),
            notify_unit_head=_get(row, "notify_unit_head", bool, where) if "notify_unit_head" in row else True,
            notify_director=_get(row, "notify_director", bool, where), review=review, risk_level=risk,
        )
        if rule.resolve_within.after(reference) < rule.report_within.after(reference):
            raise PolicyError(f"{where}: resolve_within is shorter than report_within")
        severities[code] = rule

    where = f"{name}: [recurrence]"
    rec = _table(data, "recurrence", name)
    _known(rec, {"max_count", "window", "review"}, where)
    max_count = _get(rec, "max_count", int, where)
    if max_count < 1:
        raise PolicyError(f"{where}: max_count must be at least 1")
    rec_review = _get(rec, "review", str, where)
    if rec_review not in ("review", "rca"):
        raise PolicyError(f"{where}: review = {rec_review!r}; expected review or rca")
    window = _duration(rec, "window", where)
    if window.is_zero:
        raise PolicyError(f"{where}: window must be longer than zero")
    recurrence = Recurrence(max_count=max_count, window=window, review=rec_review)

    where = f"{name}: [reminders]"
    rem = _table(data, "reminders", name)
    _known(rem, {"untriaged_after", "before", "before_fraction", "escalate_every", "repeat_every", "escalation",
                 "immediate_within", "office_hours", "office_days", "around_the_clock"}, where)
    fraction = _get(rem, "before_fraction", (int, float), where)
    if not 0 < fraction <= 1:
        raise PolicyError(f"{where}: before_fraction must be above 0 and at most 1")
    escalation = _get(rem, "escalation", list, where)
    if not escalation or any(r not in ROLES for r in escalation) or len(set(escalation)) != len(escalation):
        raise PolicyError(f"{where}: escalation must list distinct roles from {', '.join(ROLES)}")
    rules = ReminderRules(
        untriaged_after=_duration(rem, "untriaged_after", where), before=_duration(rem, "before", where),
        before_fraction=float(fraction), escalate_every=_duration(rem, "escalate_every", where),
        repeat_every=_duration(rem, "repeat_every", where), escalation=tuple(escalation),
        **_office(rem, where),
    )
    if rules.immediate_within.is_zero:
        raise PolicyError(f"{where}: immediate_within must be longer than zero")
    for key in ("untriaged_after", "escalate_every", "repeat_every"):
        if getattr(rules, key).is_zero:
            raise PolicyError(f"{where}: {key} must be longer than zero")
    return Policy(severities=severities, recurrence=recurrence, reminders=rules, source=source)


_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def _office(rem: dict[str, Any], where: str) -> dict[str, Any]:
    """The optional office-hours keys; a file without them keeps the defaults (08:30–16:30, Mon–Fri)."""
    out: dict[str, Any] = {}
    if "immediate_within" in rem:
        out["immediate_within"] = _duration(rem, "immediate_within", where)
    if "office_hours" in rem:
        m = _HOURS.match(_get(rem, "office_hours", str, where).strip())
        try:
            start, end = (time(int(m[1]), int(m[2])), time(int(m[3]), int(m[4]))) if m else (None, None)
        except ValueError:
            start = end = None
        if start is None or end is None or start >= end:
            raise PolicyError(f"{where}: office_hours = {rem['office_hours']!r}; expected e.g. \"08:30-16:30\"")
        out["office_start"], out["office_end"] = start, end
    if "office_days" in rem:
        days = _get(rem, "office_days", list, where)
        if not days or any(not isinstance(d, str) or d.lower() not in DAYS for d in days):
            raise PolicyError(f"{where}: office_days must list days from {', '.join(DAYS)}")
        out["office_days"] = frozenset(DAYS.index(d.lower()) for d in days)
    if "around_the_clock" in rem:
        codes = _get(rem, "around_the_clock", list, where)
        if any(c not in SEVERITIES for c in codes):
            raise PolicyError(f"{where}: around_the_clock must list severities from {', '.join(SEVERITIES)}")
        out["around_the_clock"] = frozenset(codes)
    return out


def load_policy(config_dir: Path | None = None) -> Policy:
    """The policy file in `config_dir` (CONFIG_DIR) or the shipped default; PolicyError when it is broken."""
    path = hospital_file(config_dir, FILE_NAME)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from None
    return parse_policy(data, path)

