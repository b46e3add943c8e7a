"""The hospital's data files as one object (handlers/hospital.py): one rule for CONFIG_DIR, one error naming
file, key and reason, one copy carried on Services — and no handler reading a file behind its back."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from bot.app import create_app
from bot.settings import Settings
from handlers.hospital import DEFAULT_DIR, FILES, HospitalConfigError, hospital_for, load_hospital

ROOT = Path(__file__).resolve().parents[2]


def test_a_config_dir_with_only_some_files_falls_back_for_each_missing_one(tmp_path: Path) -> None:
    """A CONFIG_DIR holding only the hospital's units.toml: every other file — topics.toml included, which used
    to stop the service — comes from config/, and the hospital's units are the ones used."""
    (tmp_path / "units.toml").write_text(
        (DEFAULT_DIR / "units.toml").read_text(encoding="utf-8")
        + '\n[[unit]]\ncode = "kitchen2"\nname_th = "โรงครัวใหม่"\npatient_name = "ครัว"\n', encoding="utf-8")
    hospital = load_hospital(tmp_path)
    shipped = load_hospital()
    assert hospital.unit_name("kitchen2") == "โรงครัวใหม่" and shipped.unit_name("kitchen2") is None
    assert dict(hospital.topics) == dict(shipped.topics)
    assert hospital.survey == shipped.survey and hospital.policy.to_dict() == shipped.policy.to_dict()
    assert hospital.indicator == shipped.indicator and hospital.faq == shipped.faq
    assert hospital.emergency == shipped.emergency


def test_the_service_starts_on_a_config_dir_without_topics(settings: Settings, tmp_path: Path) -> None:
    """create_app validates the hospital files at start; an empty CONFIG_DIR is the shipped defaults."""
    app = create_app(settings.model_copy(update={"config_dir": tmp_path}), workers=False)
    assert app is not None


def test_the_catalogue_alone_merges_by_key(tmp_path: Path) -> None:
    """A messages.th.toml in CONFIG_DIR overrides the keys it has and keeps the rest."""
    (tmp_path / "messages.th.toml").write_text('[report]\nmore = "ดูเพิ่มที่แดชบอร์ด{ค่ะ}"\n', encoding="utf-8")
    hospital, shipped = load_hospital(tmp_path), load_hospital()
    assert hospital.catalogue("report.more") == "ดูเพิ่มที่แดชบอร์ดค่ะ" != shipped.catalogue("report.more")
    assert hospital.catalogue.messages.keys() == shipped.catalogue.messages.keys()
    assert hospital.catalogue("consent.given") == shipped.catalogue("consent.given")


@pytest.mark.parametrize(("name", "edit", "key", "reason"), [
    ("units.toml", lambda t: t.replace('code = "pharmacy"', 'code = "Pharmacy!"', 1), "Pharmacy!", "lowercase"),
    ("severity_policy.toml", lambda t: t.replace('report_within = "PT24H"', 'report_within = "24 ชม."', 1),
     "severity.E", "ISO 8601"),
    ("topics.toml", lambda t: t.split("[staffing]")[0], None, "missing topic"),
    ("survey.toml", lambda t: t + "\n[[service_type\n", None, "not valid TOML"),
])
def test_a_broken_file_is_one_error_naming_file_key_and_reason(
    tmp_path: Path, name: str, edit, key: str | None, reason: str,  # type: ignore[no-untyped-def]
) -> None:
    (tmp_path / name).write_text(edit((DEFAULT_DIR / name).read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(HospitalConfigError) as caught:
        load_hospital(tmp_path)
    error = caught.value
    assert error.file == tmp_path / name and reason in error.reason
    if key is not None:
        assert error.key == key
    assert str(error).startswith(str(tmp_path / name)) and reason in str(error)


def test_the_voice_and_name_come_from_the_settings(settings: Settings) -> None:
    """hospital_for: BOT_PARTICLE and HOSPITAL_NAME are rendered into the catalogue and the FAQ once."""
    male = hospital_for(settings.model_copy(update={"bot_particle": "ครับ", "hospital_name": "โรงพยาบาลบ้านสุข"}))
    assert male.catalogue("consent.given") == "ขอบคุณที่ให้ความยินยอมครับ 🙏"
    assert "ค่ะ" not in male.faq.handoff


def test_every_file_the_loader_knows_ships_a_default() -> None:
    assert all((DEFAULT_DIR / name).exists() for name in FILES)


def test_no_handler_reads_a_hospital_file_itself() -> None:
    """Handlers use `turn.hospital` / `services.hospital`: no `.config_dir` and no loader call outside the one
    loader (the NLP analyser alone is handed the directory, in Services.analyzer)."""
    loaders = {"load_units", "load_survey", "load_topics", "load_lexicon", "load_policy", "load_indicator_config",
               "load_signs", "load_faq"}
    found = []
    for path in sorted((ROOT / "handlers").glob("*.py")):
        if path.name in ("hospital.py",):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "config_dir" and path.name != "services.py":
                found.append(f"{path.name}:{node.lineno} .config_dir")
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name in loaders:
                    found.append(f"{path.name}:{node.lineno} {name}()")
    assert found == []


def test_shipped_config_copied_whole_is_the_same(tmp_path: Path) -> None:
    """A CONFIG_DIR that is a copy of config/ loads to the same configuration (the rule is by file name)."""
    shutil.copytree(DEFAULT_DIR, tmp_path / "config")
    copy, shipped = load_hospital(tmp_path / "config"), load_hospital()
    assert copy.units == shipped.units and dict(copy.topics) == dict(shipped.topics)
    assert copy.catalogue.messages == shipped.catalogue.messages
