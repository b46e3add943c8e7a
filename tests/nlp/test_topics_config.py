from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nlp.topics import DEFAULT_CONFIG_DIR, DIMENSIONS, TOPIC_CODES, TopicConfigError, load_topics


def copy_config(tmp_path: Path, edit: tuple[str, str] | None = None, append: str = "") -> Path:
    shutil.copy(DEFAULT_CONFIG_DIR / "topics.toml", tmp_path / "topics.toml")
    text = (tmp_path / "topics.toml").read_text(encoding="utf-8")
    if edit:
        assert edit[0] in text
        text = text.replace(edit[0], edit[1], 1)
    (tmp_path / "topics.toml").write_text(text + append, encoding="utf-8")
    return tmp_path


def test_shipped_topics_are_valid() -> None:
    """The shipped topics.toml has the 12 codes, each with a Thai label, dimension and unit."""
    topics = load_topics()
    assert tuple(topics) == TOPIC_CODES
    for info in topics.values():
        assert info.label_th and info.dimension in DIMENSIONS and info.unit
    assert topics["food"].unit == "nutrition" and topics["food"].dimension == "facility"


def test_unknown_topic_code_rejected(tmp_path: Path) -> None:
    """An unknown topic code is a clear error naming the code."""
    cfg = copy_config(tmp_path, append='\n[noise]\nlabel_th = "เสียง"\ndimension = "facility"\nunit = "admin"\n')
    with pytest.raises(TopicConfigError, match=r"unknown topic code.*noise"):
        load_topics(cfg)


def test_bad_dimension_rejected(tmp_path: Path) -> None:
    """A dimension other than process/staff/facility is a clear error."""
    cfg = copy_config(tmp_path, edit=('dimension = "facility"', 'dimension = "building"'))
    with pytest.raises(TopicConfigError, match="dimension 'building'"):
        load_topics(cfg)


def test_unknown_unit_rejected(tmp_path: Path) -> None:
    """A unit code that does not exist is a clear error."""
    cfg = copy_config(tmp_path, edit=('unit = "nutrition"', 'unit = "kitchen"'))
    with pytest.raises(TopicConfigError, match="unit 'kitchen'"):
        load_topics(cfg)


def test_missing_topic_rejected(tmp_path: Path) -> None:
    """Removing one of the 12 topics is a clear error."""
    text = (DEFAULT_CONFIG_DIR / "topics.toml").read_text(encoding="utf-8")
    (tmp_path / "topics.toml").write_text(text.split("[staffing]")[0], encoding="utf-8")
    with pytest.raises(TopicConfigError, match=r"missing topic.*staffing"):
        load_topics(tmp_path)


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    """Broken TOML raises TopicConfigError with the path; a config dir without topics.toml uses the shipped
    one, like every other hospital file (it used to stop the service)."""
    assert load_topics(tmp_path) == load_topics()
    (tmp_path / "topics.toml").write_text("[waiting\n", encoding="utf-8")
    with pytest.raises(TopicConfigError, match="not valid TOML"):
        load_topics(tmp_path)


def test_hospital_edit_changes_tagging(tmp_path: Path) -> None:
    """A keyword the hospital adds to topics.toml is used by an analyser on that config dir."""
    from nlp import Analyzer

    cfg = copy_config(tmp_path, edit=('negative = [\n  "ไม่อร่อย",', 'negative = [\n  "ไม่อร่อย", "ข้าวกล่อง",'))
    tag = next(t for t in Analyzer(cfg).analyse("ข้าวกล่องวันนี้").topics if t.code == "food")
    assert "ข้าวกล่อง" in tag.evidence


def test_units_come_from_units_toml(tmp_path: Path) -> None:
    """Topic units are checked against config/units.toml's [[unit]] tables (store.units.load_units)."""
    cfg = copy_config(tmp_path, edit=('unit = "nutrition"', 'unit = "kitchen"'))
    units = (DEFAULT_CONFIG_DIR / "units.toml").read_text(encoding="utf-8")
    (cfg / "units.toml").write_text(units + '\n[[unit]]\ncode = "kitchen"\nname_th = "โรงครัว"\n', encoding="utf-8")
    assert load_topics(cfg)["food"].unit == "kitchen"
    # A unit dropped from units.toml that a topic still points to is a clear error.
    (cfg / "units.toml").write_text(units.replace('code = "nutrition"', 'code = "nutri2"'), encoding="utf-8")
    with pytest.raises(TopicConfigError, match="unit 'kitchen'"):
        load_topics(cfg)


def test_broken_units_toml_is_a_topic_config_error(tmp_path: Path) -> None:
    """A malformed units.toml surfaces as TopicConfigError naming units.toml, not a crash."""
    cfg = copy_config(tmp_path)
    (cfg / "units.toml").write_text('[[unit]]\ncode = "Bad Code"\nname_th = "x"\n', encoding="utf-8")
    with pytest.raises(TopicConfigError, match=r"units\.toml"):
        load_topics(cfg)
