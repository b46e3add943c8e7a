"""What the patient hears when the committee says no, when a closed case is opened again, and who hears a
poor handling rating (issue 20, item 6), through the LINE and Telegram fakes."""

from __future__ import annotations

import pytest

from tests.committee.test_through_fakes import Person, no_telegram_pacing, open_patient_case  # noqa: F401  # fixture
from tests.fakes.harness import Service

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_rejection_and_merge_carry_the_reason(service: Service) -> None:
    """/reject's reason reaches the patient; /duplicate's reason does too, without the other case's number."""
    seen: dict[str, int] = {}
    nurse = Person(service, "telegram", "5001", None, seen)
    await nurse.register("committee")
    first_patient = Person(service, "line", "U-pat", None, seen)
    second_patient = Person(service, "line", "U-pat2", None, seen)
    first = await open_patient_case(service, first_patient)
    second = await open_patient_case(service, second_patient)
    await first_patient.news()
    await second_patient.news()

    await nurse.say(f"/reject {first} เป็นคำถามเรื่องสิทธิการรักษา ส่งต่อศูนย์สิทธิ โทร 1330 แล้วครับ")
    told = await first_patient.news()
    assert first in told and "เหตุผลจากคณะกรรมการ: เป็นคำถามเรื่องสิทธิการรักษา ส่งต่อศูนย์สิทธิ โทร 1330" in told

    third = await open_patient_case(service, Person(service, "line", "U-pat3", None, seen))
    await second_patient.news()
    await nurse.say(f"/duplicate {second} {third} มีผู้แจ้งเรื่องเดียวกันไว้แล้ว ทีมเภสัชกำลังแก้ไขอยู่")
    told = await second_patient.news()
    assert "ทีมเภสัชกำลังแก้ไขอยู่" in told and third not in told


@pytest.mark.slow  # 6–30 s (chat pacing, training, long flows): runs in make test, not make check
async def test_low_rating_is_heard_and_a_reopened_case_is_told(service: Service) -> None:
    """A patient rates the handling 2/5: the committee and the pharmacy head are pinged; the committee
    reopens, the patient is told, and when it closes again the patient hears the new outcome."""
    seen: dict[str, int] = {}
    nurse = Person(service, "telegram", "5001", "-1001", seen)
    head = Person(service, "line", "U-head", None, seen)
    patient = Person(service, "line", "U-pat", None, seen)
    await nurse.register("committee")
    await head.register("unit_head", "pharmacy")
    number = await open_patient_case(service, patient)
    await nurse.say(f"/triage {number} C pharmacy")
    await head.say(f"/ack {number}")
    await head.say(f"/resolve {number} คนไม่พอ | เพิ่มช่องจ่ายยา | ทบทวนทุกเดือน")
    await nurse.say(f"/review {number}")
    await nurse.say(f"/close {number} เพิ่มช่องจ่ายยาแล้วค่ะ")
    await patient.press(f"fix:{number}:ok")  # the patient confirms the fix; then the rating is asked
    rate = next(p for m in await patient.fake.messages_to(patient.chat) for p in m.payloads if p == f"rate:{number}:2")
    await head.news()
    await nurse.news()

    own_chat = Person(service, "telegram", "5001", None, seen)  # pings go to the nurse's own chat, not the group
    before = {p.chat: len(await p.fake.messages_to(p.chat)) for p in (head, own_chat)}
    await patient.press(rate)
    for person in (head, own_chat):  # pushed to other chats: wait for them rather than for this chat's reply
        await person.fake.messages_to(person.chat, wait_for=before[person.chat] + 1)
        assert f"การจัดการเรื่อง {number} เพียง 2/5" in await person.news()

    await nurse.say(f"/reopen {number}")
    assert "เปิดพิจารณาอีกครั้งแล้ว" in await patient.news()
    await head.say(f"/resolve {number} สื่อสารไม่ชัด | โทรขอโทษและอธิบาย | อบรมการสื่อสาร")
    await nurse.say(f"/review {number}")
    await nurse.say(f"/close {number} หัวหน้าเภสัชโทรอธิบายและขออภัยแล้วค่ะ")
    assert "หัวหน้าเภสัชโทรอธิบายและขออภัยแล้วค่ะ" in await patient.news()
