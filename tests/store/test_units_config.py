"""units.toml as a hospital edits it: patient-facing names and admin teams hidden from patients, and clear
errors for a bad edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.units import UnitsConfigError, load_units


def test_shipped_units_name_departments_as_patients_do() -> None:
    """The pharmacy is 'ห้องยา' to patients and 'งานเภสัชกรรม' to the committee; admin teams are not offered."""
    units = {u.code: u for u in load_units()}
    assert (units["pharmacy"].label, units["pharmacy"].name_th) == ("ห้องยา", "งานเภสัชกรรม")
    assert units["finance"].label == units["finance"].name_th  # no patient_name: the official name
    assert {c for c, u in units.items() if not u.patients} == {"admin", "nursing", "medical", "quality"}


@pytest.mark.parametrize(("extra", "message"), [
    ('patient_name = ""', "patient_name"),
    ('patients = "no"', "patients must be true or false"),
])
def test_bad_patient_fields_are_refused(tmp_path: Path, extra: str, message: str) -> None:
    """An empty patient_name or a patients flag that is not true/false stops the service with the unit named."""
    (tmp_path / "units.toml").write_text(f'[[unit]]\ncode = "opd"\nname_th = "งานผู้ป่วยนอก"\n{extra}\n',
                                         encoding="utf-8")
    with pytest.raises(UnitsConfigError, match=message) as err:
        load_units(tmp_path)
    assert "'opd'" in str(err.value)
