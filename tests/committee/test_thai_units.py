"""Nurses name units the way they say them (issue 20, item 3): Thai names and parts of them in /triage,
/assign and /queue, a clear question when a word fits several units, and a timeline in Thai words."""

from __future__ import annotations

import pytest

from tests.committee.test_through_fakes import Person, open_patient_case
from tests.fakes.harness import Service

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


async def test_thai_unit_names_everywhere(service: Service) -> None:
    """`/triage N C งานเภสัชกรรม`, `/queue เภสัช` and `/assign N หอผู้ป่วย ศัลยกรรม` work; "ผู้ป่วย" asks which
    unit; the timeline says "ระดับ C" and "หอผู้ป่วยศัลยกรรม", never `ward_surg`."""
    seen: dict[str, int] = {}
    nurse = Person(service, "telegram", "5001", None, seen)
    await nurse.register("committee")
    number = await open_patient_case(service, Person(service, "line", "U-pat", None, seen))

    assert "หน่วยงาน งานเภสัชกรรม" in await nurse.say(f"/triage {number} C งานเภสัชกรรม")
    assert number in await nurse.say("/queue เภสัช")
    unclear = await nurse.say(f"/assign {number} ผู้ป่วย")
    assert "ตรงกับหลายหน่วยงาน" in unclear and "งานผู้ป่วยนอก (opd)" in unclear
    assert "หอผู้ป่วยศัลยกรรม" in await nurse.say(f"/assign {number} หอผู้ป่วย ศัลยกรรม")
    unknown = await nurse.say(f"/assign {number} ห้องเก็บของ")
    assert "ไม่รู้จักหน่วยงาน" in unknown and "งานเภสัชกรรม (pharmacy)" in unknown
    case = await nurse.say(f"/case {number}")
    timeline = case.split("ลำดับเหตุการณ์:")[1]
    assert "ระดับ C" in timeline and "→ หอผู้ป่วยศัลยกรรม" in timeline
    assert "ward_surg" not in timeline and "pharmacy" not in timeline
