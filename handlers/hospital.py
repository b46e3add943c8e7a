"""The hospital's data files as one object: `HospitalConfig`, loaded and validated once at start by
`load_hospital` and carried on `Services` (`turn.services.hospital`) — no module keeps its own copy, cache
or global of any of them.

One rule for every file: a file of the same name in CONFIG_DIR replaces the shipped default in config/;
the message catalogue alone merges by key (a hospital overrides the texts it wants). A file that cannot be
used raises `HospitalConfigError` naming the file, the key (when one is at fault) and the reason.

    file                   what                                          read by
    messages.th.toml       every text the bot says                       handlers.catalogue
    units.toml             departments and teams                         store.units
    survey.toml            the satisfaction survey                       handlers.survey
    topics.toml            complaint topics and their units              nlp.topics
    severity_policy.toml   deadlines, review, reminders                  store.policy
    indicator.toml         indicator 6 band and level thresholds         store.indicator
    emergency.toml         emergency signs                               handlers.emergency
    faq.toml               frequent questions                            handlers.faq
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from handlers.catalogue import DEFAULT_PARTICLE, Catalogue, CatalogueError
from handlers.emergency import EmergencyConfigError, Signs, check_messages, load_signs
from handlers.faq import Faq, FaqConfigError, load_faq
from handlers.survey import SurveyConfig, SurveyConfigError, load_survey
from nlp.topics import TopicConfigError, TopicInfo, load_topics
from store.config_files import DEFAULT_DIR, hospital_file
from store.indicator import IndicatorConfig, IndicatorConfigError, load_indicator_config
from store.policy import Policy, PolicyError, load_policy
from store.units import UnitsConfigError, UnitSpec, load_units

if TYPE_CHECKING:
    from handlers.services import HandlerSettings

FILES = ("messages.th.toml", "units.toml", "survey.toml", "topics.toml", "severity_policy.toml", "indicator.toml",
         "emergency.toml", "faq.toml")
CONFIG_ERRORS = (CatalogueError, UnitsConfigError, SurveyConfigError, TopicConfigError, PolicyError,
                 IndicatorConfigError, EmergencyConfigError, FaqConfigError, tomllib.TOMLDecodeError, OSError)


class HospitalConfigError(ValueError):
    """A hospital data file that cannot be used: which file, which key (None: the file as a whole), why."""

    def __init__(self, file: Path, key: str | None, reason: str) -> None:
        self.file, self.key, self.reason = file, key, reason
        where = f"{file}: {key}" if key and key not in reason else str(file)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class HospitalConfig:
    """Everything a hospital configures in files, validated; one per service instance."""

    config_dir: Path
    catalogue: Catalogue
    units: tuple[UnitSpec, ...]
    survey: SurveyConfig
    topics: Mapping[str, TopicInfo]
    policy: Policy
    indicator: IndicatorConfig
    emergency: Signs
    faq: Faq

    @property
    def patient_units(self) -> tuple[UnitSpec, ...]:
        """The units a patient may pick (admin teams such as quality are left out)."""
        return tuple(u for u in self.units if u.patients)

    def unit_name(self, code: str | None) -> str | None:
        """A unit's official Thai name (None when the code is unknown)."""
        return next((u.name_th for u in self.units if u.code == code), None) if code else None

    def patient_unit_name(self, code: str | None) -> str | None:
        """The name patients use (ห้องยา, `patient_name` in units.toml): wherever a patient reads a unit's name."""
        return next((u.label for u in self.units if u.code == code), None) if code else None

    def topic_label(self, code: str) -> str:
        """A topic's Thai name; the code itself when the topics file has none for it."""
        info = self.topics.get(code)
        return info.label_th if info else code

    def topic_unit(self, code: str | None) -> str | None:
        """The unit a topic's complaints usually go to (topics.toml `unit`), if any."""
        info = self.topics.get(code or "")
        return info.unit if info and info.unit else None


def load_hospital(config_dir: Path | None = None, *, particle: str = DEFAULT_PARTICLE,
                  hospital_name: str | None = None) -> HospitalConfig:
    """Read and check every hospital file once (see the module's table); HospitalConfigError when one is broken."""
    folder = Path(config_dir) if config_dir is not None else DEFAULT_DIR
    name = "messages.th.toml"
    try:
        catalogue = Catalogue.load(folder, particle=particle, hospital=hospital_name)
        name = "units.toml"
        units = tuple(load_units(folder))
        name = "survey.toml"
        survey = load_survey(folder)
        name = "topics.toml"
        topics = MappingProxyType(dict(load_topics(folder)))
        name = "severity_policy.toml"
        policy = load_policy(folder)
        name = "indicator.toml"
        indicator = load_indicator_config(folder)
        name = "emergency.toml"
        emergency = load_signs(folder)
        check_messages(emergency, catalogue.has)
        name = "faq.toml"
        faq = load_faq(folder, particle=particle, hospital=hospital_name)
    except CONFIG_ERRORS as exc:
        raise _named(hospital_file(folder, name), exc) from exc
    return HospitalConfig(config_dir=folder, catalogue=catalogue, units=units, survey=survey, topics=topics,
                          policy=policy, indicator=indicator, emergency=emergency, faq=faq)


def hospital_for(settings: HandlerSettings) -> HospitalConfig:
    """The hospital files of CONFIG_DIR, in the voice and name the settings give (BOT_PARTICLE, HOSPITAL_NAME)."""
    return load_hospital(settings.config_dir, particle=settings.bot_particle, hospital_name=settings.hospital_name)


def _named(file: Path, exc: Exception) -> HospitalConfigError:
    """The loaders' own messages start with the file's path; keep the rest as the reason, and the first
    key-like word of it ('unit 'opd'', '[A]', 'code 'x'') as the key."""
    reason = str(exc)
    for prefix in (str(file), file.name):
        if reason.startswith(prefix):
            reason = reason[len(prefix):].lstrip(": ")
            break
    if isinstance(exc, tomllib.TOMLDecodeError):
        return HospitalConfigError(file, None, f"not valid TOML: {reason}")
    quoted = re.search(r"""['"\[]([^'"\]\s]{1,64})['"\]]""", reason)
    return HospitalConfigError(file, quoted.group(1) if quoted else None, reason)
