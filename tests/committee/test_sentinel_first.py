"""Sentinel events in real chats (issue 20, item 5): SE first in the queue with 🚨, not overdue the moment it
is triaged, a triage answer that says who the director's notice reached (or that nobody could), warnings
while the director or a unit head is missing, and reminders that wait for office hours unless the case is
SE or G–I. Nurses type on LINE and Telegram through the fake platforms; the app's own sweeper sends."""

from __future__ import annotations

import pytest

from bot.reminders import SWEEPER
from tests.committee.test_through_fakes import Person, latest_case, open_patient_case
from tests.fakes.harness import Service
from tests.support import MovableClock

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


async def sweep(service: Service) -> None:
    """Let the app's sweeper send what is due now (the test clock moved), then deliver it."""
    await service.app[SWEEPER].run_once()
    await service.settle()


@pytest.mark.slow  # 6–30 s (chat pacing, training, long flows): runs in make test, not make check
async def test_se_case_leads_the_queue_and_says_who_was_told(service: Service) -> None:
    """An SE case triaged after an E case is listed first with 🚨 and is not overdue yet; with no director on
    chat the triage answer and /help say so; once one registers, the next SE answer names them and the
    director's Telegram chat gets the notice."""
    seen: dict[str, int] = {}
    nurse = Person(service, "line", "U-nurse", None, seen)
    patient = Person(service, "line", "U-pat", None, seen)
    await nurse.register("committee")
    first = await open_patient_case(service, patient)
    second = await open_patient_case(service, Person(service, "line", "U-pat2", None, seen))

    assert "คัดกรองเรื่อง" in await nurse.say(f"/triage {first} E pharmacy")
    answer = await nurse.say(f"/triage {second} SE pharmacy")
    assert "ยังไม่มีผู้อำนวยการลงทะเบียน" in answer and "โทรแจ้งผู้อำนวยการ" in answer

    queue = await nurse.say("/queue")
    lines = [line for line in queue.splitlines() if line.startswith("•")]
    assert lines[0].startswith(f"• 🚨 {second}") and first in lines[1] and "🚨" not in lines[1]
    assert "เกินกำหนด" not in queue  # "report at once" is not overdue the second it is triaged
    assert "ยังไม่มีผู้อำนวยการลงทะเบียนในแชต" in queue
    assert "ยังไม่มีผู้อำนวยการลงทะเบียนในแชต" in await nurse.say("/help")

    director = Person(service, "telegram", "7001", None, seen)
    await director.register("director")
    assert "ยังไม่มีผู้อำนวยการ" not in await nurse.say("/help")
    third = await open_patient_case(service, Person(service, "line", "U-pat3", None, seen))
    answer = await nurse.say(f"/triage {third} SE pharmacy")
    assert "แจ้งผู้อำนวยการแล้ว: director" in answer
    await sweep(service)
    notice = await director.news()
    assert third in notice and "Sentinel" in notice


async def test_unit_head_gap_is_named(service: Service) -> None:
    """Open cases in a unit with no unit head on chat: /queue tells the committee which unit, by its Thai
    name, until a head registers."""
    seen: dict[str, int] = {}
    nurse = Person(service, "telegram", "5001", "-1001", seen)
    await nurse.register("committee")
    await Person(service, "telegram", "7001", None, seen).register("director")
    number = await open_patient_case(service, Person(service, "line", "U-pat", None, seen))
    await nurse.say(f"/triage {number} C pharmacy")
    queue = await nurse.say("/queue")
    assert "ยังไม่มีหัวหน้าหน่วยงานในแชต" in queue and "เภสัชกรรม" in queue
    await Person(service, "line", "U-head", None, seen).register("unit_head", "pharmacy")
    assert "หัวหน้าหน่วยงาน" not in await nurse.say("/queue")


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_reminders_wait_for_office_hours_unless_severe(service: Service, clock: MovableClock) -> None:
    """An E case triaged at 09:20 has its "report due soon" reminder at 03:20 the next night: the unit head is
    not woken then but reminded at 08:30; a G case triaged at the same time is reminded at 03:20."""
    seen: dict[str, int] = {}
    nurse = Person(service, "line", "U-nurse", None, seen)
    head = Person(service, "line", "U-head", None, seen)
    await nurse.register("committee")
    await Person(service, "line", "U-dir", None, seen).register("director")
    await head.register("unit_head", "pharmacy")
    clock.advance(minutes=20)  # Thu 26 Nov, 09:20 Bangkok
    mild = await open_patient_case(service, Person(service, "line", "U-pat", None, seen))
    await nurse.say(f"/triage {mild} E pharmacy")
    severe = await open_patient_case(service, Person(service, "line", "U-pat2", None, seen))
    await nurse.say(f"/triage {severe} G pharmacy")
    await head.news()  # the "assigned to your unit" pings

    clock.advance(hours=18)  # Fri 27 Nov, 03:20 Bangkok: both "report due soon" reminders fall now
    await sweep(service)
    night = await head.news()
    assert severe in night and mild not in night

    clock.advance(hours=5, minutes=10)  # 08:30: office hours open
    await sweep(service)
    morning = await head.news()
    assert mild in morning and severe not in morning
    assert (await latest_case(service)).number == severe
