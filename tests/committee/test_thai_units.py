"""Nurses name units the way they say them (issue 20, item 3): Thai names and parts of them in /triage,
/assign and /queue, a clear question when a word fits several units, and a timeline in Thai words."""

from __future__ import annotations

import pytest

from tests.committee.test_through_fakes import Person, latest_case, open_patient_case
from tests.fakes.harness import Service

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
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


async def test_committee_sees_the_patients_unit_and_the_whole_text(service: Service) -> None:
    """A patient picks the pharmacy for a waiting complaint 1,500 characters long (the topic suggests OPD):
    the case stays with the pharmacy, /case
    shows the patient's choice beside the topic's suggestion, and the whole text is one button away."""
    seen: dict[str, int] = {}
    nurse = Person(service, "line", "U-nurse", None, seen)
    patient = Person(service, "line", "U-pat", None, seen)
    await nurse.register("committee")
    story = "รอรับยานานมากค่ะ เภสัชกรพูดไม่สุภาพ " + " ".join(f"วันที่{i} แม่ต้องมารอยาอีก" for i in range(60))
    story += " สุดท้ายขอให้ปรับปรุงด้วยค่ะ"
    assert len(story) > 1400
    await patient.press("complaint")
    await patient.press("consent:yes")
    await patient.say(story)
    await patient.press("complaint:done")
    await patient.press("complaint:dept:pharmacy")
    await patient.press("complaint:contact")
    await patient.press("complaint:skipphone")
    number = (await latest_case(service)).number
    assert (await latest_case(service)).unit_code == "pharmacy"

    card = (await nurse.say(f"/case {number}"))
    assert "หน่วยงานที่ผู้แจ้งเลือก: งานเภสัชกรรม · ระบบเสนอตามประเด็น: งานผู้ป่วยนอก" in card
    assert f"ข้อความยาว {len(story)} ตัวอักษร" in card and "สุดท้ายขอให้ปรับปรุง" not in card
    button = next(p for m in (await nurse.fake.messages_to(nurse.chat))[-1:] for p in m.payloads
                  if p.startswith("case:page:"))
    page = await nurse.press(button)
    assert "หน้า 1/1" in page and story in page


def test_units_named_inside_a_patients_sentence() -> None:
    """Compliments name units the way patients write them; two units or none leave the choice to the patient."""
    from store.units import load_units, units_named_in

    units = load_units()

    def named(text: str) -> list[str]:
        return [u.code for u in units_named_in(units, text)]

    assert named("ขอบคุณพยาบาลห้องคลอดมากๆเลยค่ะ") == ["ward_ob"]
    assert named("เภสัชกรอธิบายยาละเอียดมากครับ") == ["pharmacy"]
    assert named("พยาบาลตึกอายุรกรรมดูแลดีมาก") == ["ward_med"]
    assert named("ห้องฉุกเฉินช่วยแม่ไว้ทัน ขอบคุณค่ะ") == ["er"]
    assert named("คุณหมอใจดีมากค่ะ") == []
    assert sorted(named("เภสัชกรกับห้องฉุกเฉินบริการดีทั้งคู่")) == ["er", "pharmacy"]
