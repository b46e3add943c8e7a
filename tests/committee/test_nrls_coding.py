"""The NLP's suggestions meet the committee (issue 14, issue 19): /case shows three NRLS risk codes and a
severity to confirm, /code N 1–3 or CODE records the choice (audited, a training label), and /check lists
what the NLP was unsure of until someone corrects it. Through the LINE and Telegram fakes."""

from __future__ import annotations

import pytest
from sqlmodel import select

from store.models import AuditLog
from tests.committee.test_through_fakes import Person, latest_case
from tests.fakes.harness import Service

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_committee_confirms_a_suggested_risk_code(service: Service) -> None:
    """A nurse reports a KCl push and an arrest in her shorthand; /case offers three NRLS codes and a
    severity; `/code N 2` records the second, a made-up code is refused, and the choice is audited."""
    seen: dict[str, int] = {}
    committee = Person(service, "telegram", "5001", None, seen)
    nurse = Person(service, "line", "U-nurse", None, seen)
    await committee.register("committee")
    await nurse.register("staff", "ward_med")
    await nurse.say("/report ward 3 เวรดึก ให้ KCl 20 mEq IV push ผิดวิธี pt arrest CPR 15 นาที ย้าย ICU")
    number = (await latest_case(service)).number

    card = await committee.say(f"/case {number}")
    assert "รหัสความเสี่ยง (NRLS) ที่ระบบเสนอ" in card and "ระดับความรุนแรงที่ระบบเสนอ:" in card
    options = [line.split()[1] for line in card.splitlines() if line.strip()[:2] in ("1)", "2)", "3)")]
    assert len(options) == 3 and all(code[:1] in "CG" for code in options)

    assert "ไม่พบรหัสความเสี่ยง" in await committee.say(f"/code {number} XYZ999")
    assert f"เป็น {options[1]}" in await committee.say(f"/code {number} 2")
    card = await committee.say(f"/case {number}")
    assert f"รหัสความเสี่ยง (NRLS): {options[1]}" in card and "ที่ระบบเสนอ —" not in card
    assert (await latest_case(service)).risk_code == options[1]
    async with service.sessions() as session:
        audits = (await session.exec(select(AuditLog).where(AuditLog.action == "command.code"))).all()
    assert [a.allowed for a in audits] == [False, True]
    from bot.corrections_cli import export

    exported = await export(service.settings)  # what `python -m nlp.train --corrections` learns from
    assert [(r["risk_code"], r["kind"], r["question"]) for r in exported] == [(options[1], "incident", "incident")]


async def test_unsure_tags_wait_on_check_until_corrected(service: Service) -> None:
    """A patient's vague complaint ("มาวันนั้นแล้วก็กลับ") is tagged without confidence: /check lists it, the
    /case card says so, and once the committee corrects the tags it leaves the list."""
    seen: dict[str, int] = {}
    committee = Person(service, "line", "U-c", None, seen)
    patient = Person(service, "line", "U-pat", None, seen)
    await committee.register("committee")
    await patient.press("complaint")
    await patient.press("consent:yes")
    await patient.say("มาวันนั้นแล้วก็กลับ")
    await patient.press("complaint:done")
    await patient.press("complaint:dept:opd")
    await patient.press("complaint:contact")
    await patient.press("complaint:skipphone")
    number = (await latest_case(service)).number

    listed = await committee.say("/check")
    assert number in listed and "ความมั่นใจ" in listed
    assert "ระบบไม่แน่ใจ" in await committee.say(f"/case {number}")
    await committee.say(f"/tags {number} waiting neg")
    assert number not in await committee.say("/check")


async def test_dashboard_shows_how_often_the_committee_changed_the_tags(service: Service) -> None:
    """Two reports tagged by the NLP, one corrected with /tags: the dashboard's learning table counts the
    change for the topics that were added or removed, and the "needs a look" count is shown."""
    import re

    from tests.reports.test_dashboard_session import page, sign_in, sign_in_link

    seen: dict[str, int] = {}
    committee = Person(service, "line", "U-c", None, seen)
    head = Person(service, "line", "U-h", None, seen)
    await committee.register("committee")
    await head.register("unit_head", "pharmacy")
    first = re.search(r"\d{4}-\d{4}", await head.say("/report จ่ายยาผิดคน ผู้ป่วยได้ยา amlodipine ของเตียงข้างๆ"))
    await head.say("/report ตู้เย็นเก็บยาอุณหภูมิสูงเกินกำหนด")
    assert first
    await committee.say(f"/tags {first.group(0)} safety_privacy")
    cookie, _ = await sign_in(service, await sign_in_link(committee))
    status, html = await page(service, cookie)
    assert status == 200
    table = html.split('id="tag-changes"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td><td>(\d+)</td>", table)
    changed = {label: int(n) for label, _, n in rows}
    assert sum(changed.values()) >= 1 and any(n == 1 for n in changed.values())
    assert 'id="unsure"' in html
