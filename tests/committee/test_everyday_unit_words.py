"""Units named the way people say them (issue 20): "หมอฟัน", "แล็บ", "เจาะเลือด", "ห้องยา", "เอ็กซ์เรย์",
"ER", "ตึกคลอด", "OPD", "คลินิกเบาหวาน" — the `aliases` in units.toml — found in a patient's compliment, in a
typed answer to "which unit?" of a complaint, and in the committee's /queue, /triage and /assign; typed with
spaces, particles, dropped or added marks, through the LINE and Telegram fakes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from store.models import Feedback
from store.units import UnitsConfigError, load_units, units_named_in
from tests.committee.test_through_fakes import (  # noqa: F401  # no_telegram_pacing: fixture
    Person,
    latest_case,
    no_telegram_pacing,
    open_patient_case,
)
from tests.fakes.harness import Service

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.mark.parametrize(("text", "codes"), [
    ("ขอบคุณหมอฟันมากค่ะ ถอนฟันไม่เจ็บเลย", ["dental"]),
    ("ไปทำฟันมา คุณหมอ ใจดีค่ะ", ["dental"]),
    ("หมอ ฟัน อธิบายดีครับ", ["dental"]),
    ("น้องที่ห้องแลปเจาะเลือดเก่งมากค่ะ", ["lab"]),
    ("แล็บ ออกผลเร็วดีคะ", ["lab"]),
    ("รอผลแลบนานมากกก", ["lab"]),
    ("ห้องยาคนเยอะ แต่พี่ๆใจเย็นค่ะ", ["pharmacy"]),
    ("เภสัชอธิบายยาดีมากค่ะ", ["pharmacy"]),
    ("รอเอ็กซ์เรย์ 2 ชั่วโมงค่ะ", ["xray"]),
    ("รอเอ็กซเรย์นานมาก", ["xray"]),
    ("ไปทำ x-ray ปอดมาค่ะ", ["xray"]),
    ("ห้อง X ray ปิดไว", ["xray"]),
    ("ห้อง ER ช่วยพ่อไว้ทันค่ะ", ["er"]),
    ("พี่ๆอีอาร์ทำงานเร็วมาก", ["er"]),
    ("ตึกคลอดพยาบาลน่ารักทุกคนเลยค่ะ", ["ward_ob"]),
    ("OPD คนเยอะมาก", ["opd"]),
    ("โอพีดี ชั้น1 ร้อนค่ะ", ["opd"]),
    ("คลินิกเบาหวานรอนานมากค่ะ", ["opd"]),
    ("ขอบคุณคุณหมอใจดีมากค่ะ", []),  # no unit: the patient is asked
    ("สั่ง order ไว้แล้ว", []),  # "er" inside an English word is not the ER
    ("หมอฟันกับห้องยาบริการดีทั้งคู่", ["dental", "pharmacy"]),  # two units: the patient chooses
])
def test_everyday_words_in_a_sentence(text: str, codes: list[str]) -> None:
    assert sorted(u.code for u in units_named_in(load_units(), text)) == codes


@pytest.mark.parametrize(("channel", "user"), [("line", "U-praise-dent"), ("telegram", "4411")])
@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_compliment_naming_a_unit_in_everyday_words(service: Service, channel: str, user: str) -> None:
    """Praise for "หมอฟัน" goes to the dental unit at once; praise for the nurse who drew blood at "ห้องแลป"
    goes to the lab; neither patient is asked which unit."""
    patient = Person(service, channel, user)
    for text in ("ขอบคุณหมอ ฟันมากๆเลยค่ะ ถอนฟันไม่เจ็บเลย 🙏", "น้องที่ห้องแลปเจาะเลือดเก่งมากค่ะ ไม่เจ็บเลย"):
        await patient.press("compliment")
        if "consent:yes" in [p for m in (await patient.fake.messages_to(patient.chat))[-1:] for p in m.payloads]:
            await patient.press("consent:yes")  # the first time: the privacy notice, then the compliment
        thanked = await patient.say(text)
        assert "หน่วยงานใด" not in thanked, thanked
    async with service.sessions() as session:
        saved = (await session.exec(select(Feedback).where(Feedback.kind == "compliment")
                                    .order_by(col(Feedback.id)))).all()
    assert [f.department_code for f in saved] == ["dental", "lab"]


@pytest.mark.parametrize(("answer", "code"), [("ห้อง x-ray ค่ะ", "xray"), ("หมอฟันค่ะ", "dental"),
                                              ("แล็บ เจาะเลือด", "lab"), ("ตึกคลอดค่ะ", "ward_ob")])
async def test_complaint_unit_typed_in_everyday_words(service: Service, answer: str, code: str) -> None:
    """Asked which unit, the patient types the word they use instead of pressing a button: the case goes there."""
    patient = Person(service, "line", "U-typed-unit")
    await patient.press("complaint")
    await patient.press("consent:yes")
    await patient.say("รอนานมากค่ะ เจ้าหน้าที่ไม่บอกอะไรเลย")
    asked = await patient.press("complaint:done")
    assert "หน่วยงาน" in asked
    reply = await patient.say(answer)
    assert "ไม่พบหน่วยงาน" not in reply and "ติดต่อกลับไหม" in reply
    await patient.press("complaint:contact")
    await patient.press("complaint:skipphone")
    assert (await latest_case(service)).unit_code == code


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_committee_names_units_in_everyday_words(service: Service) -> None:
    """`/triage N C หมอฟัน`, `/assign N เอ็กซ์เรย์`, `/queue x-ray`, `/queue แลป` and `/queue ER` work as the
    official names do."""
    seen: dict[str, int] = {}
    nurse = Person(service, "telegram", "5001", None, seen)
    await nurse.register("committee")
    number = await open_patient_case(service, Person(service, "line", "U-pat", None, seen))
    assert "หน่วยงาน งานทันตกรรม" in await nurse.say(f"/triage {number} C หมอฟัน")
    assert "งานรังสีวิทยา" in await nurse.say(f"/assign {number} เอ็กซ์เรย์")
    assert number in await nurse.say("/queue x-ray")
    assert number in await nurse.say("/queue เอกซเรย์")
    for other in ("แลป", "ER", "ห้องยา"):
        listed = await nurse.say(f"/queue {other}")
        assert number not in listed and "ไม่รู้จักหน่วยงาน" not in listed and "หลายหน่วยงาน" not in listed


@pytest.mark.parametrize(("aliases", "message"), [
    ('"หมอฟัน"', "aliases must be a list"),
    ('["ก"]', "aliases must be a list"),
    ('["แล็บ"]\n[[unit]]\ncode = "xray"\nname_th = "งานรังสีวิทยา"\naliases = ["แลบ"]',
     "alias 'แลบ' already names unit 'lab'"),
])
def test_bad_aliases_are_refused(tmp_path: Path, aliases: str, message: str) -> None:
    """An alias that is not a list of words, or one word for two units (marks ignored), stops the service."""
    (tmp_path / "units.toml").write_text(f'[[unit]]\ncode = "lab"\nname_th = "งานชันสูตร"\naliases = {aliases}\n',
                                         encoding="utf-8")
    with pytest.raises(UnitsConfigError, match=message):
        load_units(tmp_path)
