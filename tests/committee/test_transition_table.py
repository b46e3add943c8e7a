"""The case service's one transition table (store.statuses.VERBS: status → verb → roles) is what the commands'
permissions, the cards' buttons and the store's status checks all follow: a case is walked through every status
by the real commands (and the patient's own answer), and at each one every role's card offers exactly the steps
the table allows them, each of which the store then accepts."""

from __future__ import annotations

from handlers.committee import PERMISSIONS
from handlers.committee.buttons import PAYLOAD_COMMAND
from store import statuses
from store.statuses import TABLE, VERBS, CaseStatus, may, offered
from tests.committee.desk import Desk, payloads, text
from tests.committee.test_commands import team

PEOPLE = {"U-com": ("committee", True), "U-dir": ("director", True), "U-head": ("unit_head", True),
          "U-staff": ("staff", True), "U-lab": ("unit_head", False)}  # False: another unit's head


def test_the_table_is_consistent() -> None:
    """A button is only offered where the step is accepted; the commands' roles and the named sets are the
    table's; every offered step has a button label and a handler; awaiting_patient has its patient's steps."""
    for verb in VERBS.values():
        assert verb.offered <= verb.accepts, verb.name
        assert set(verb.leads_to) <= statuses.ALL, verb.name
        if verb.name in PERMISSIONS:
            assert PERMISSIONS[verb.name] == verb.roles
        if verb.offered:
            assert PAYLOAD_COMMAND[verb.name] == verb.name
    assert statuses.RESOLVABLE == VERBS["resolve"].accepts and statuses.CLOSABLE == VERBS["close"].accepts
    assert statuses.REOPENABLE == VERBS["reopen"].accepts
    assert TABLE[CaseStatus.AWAITING_PATIENT] == {
        "note": statuses.ALL_STAFF, "reopen": statuses.REVIEWERS, "confirm": statuses.PATIENT,
        "not_fixed": statuses.PATIENT, "auto_close": statuses.SYSTEM}
    for status in statuses.FINISHED:  # finished: only a note, a reopen (or the patient's "not fixed")
        assert set(TABLE[status]) <= {"note", "reopen", "not_fixed"}, status
    assert all(TABLE[s] for s in CaseStatus)  # no status is a dead end for everyone


async def _card_steps(desk: Desk, user: str, number: str) -> list[str]:
    """The step buttons (not view or page) on the case card this person gets from /case N."""
    steps = [p for p in payloads(await desk.send(user, f"/case {number}")) if p.startswith("case:")]
    return [p.split(":")[1] for p in steps if p.split(":")[1] not in ("view", "page")]


async def _check(desk: Desk, number: str, status: str) -> None:
    case = await desk.case(number)
    assert case.status == status
    for user, (role, own_unit) in PEOPLE.items():
        expected = offered(status, role) if own_unit else []
        assert await _card_steps(desk, user, number) == expected, (status, user)
        assert all(may(step, status, role) for step in expected)


async def test_every_card_offers_what_the_table_allows(desk: Desk) -> None:
    await team(desk)
    seen = set()
    number = await desk.patient_case()
    await _check(desk, number, "new")
    for user, command, status in (
        ("U-com", f"/triage {number} B pharmacy", "triaged"),
        ("U-head", f"/ack {number}", "acknowledged"),
        ("U-head", f"/resolve {number} คนไข้เยอะค่ะ | เพิ่มช่องจ่ายยา | ทบทวนอัตรากำลังทุกเดือน", "resolved"),
        ("U-com", f"/review {number}", "reviewed"),
        ("U-com", f"/close {number} เพิ่มช่องจ่ายยาแล้วค่ะ ขออภัยในความไม่สะดวก", "awaiting_patient"),
    ):
        reply = await desk.send(user, command)
        assert (await desk.case(number)).status == status, text(reply)
        await _check(desk, number, status)
        seen.add(status)
    await desk.send("U-patient", payload=f"fix:{number}:ok")  # the patient confirms the fix
    await _check(desk, number, "closed")
    other = await desk.patient_case("U-patient2", "หมอพูดไม่ดีเลยค่ะ")
    await desk.send("U-com", f"/reject {other} ไม่ใช่เรื่องร้องเรียนของโรงพยาบาล")
    await _check(desk, other, "rejected")
    third = await desk.patient_case("U-patient3", "รอยานานมากค่ะ")
    await desk.send("U-com", f"/duplicate {third} {number}")
    await _check(desk, third, "duplicate")
    assert seen | {"new", "closed", "rejected", "duplicate"} == statuses.ALL
