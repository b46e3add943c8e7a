"""A sentinel event a relative types into the LINE chat in lay words, through the whole pipeline: the real LINE SDK
to the fake LINE server, the webhook, the worker and the NLP. The case opens with the sentinel hint and the
committee's notice due at once, and the relative is told to call 1669; a long wait said to have "nearly killed" the
writer (a figure of speech, nlp-lay24's note) opens an ordinary complaint."""

from __future__ import annotations

import pytest
from sqlmodel import select

from store.models import Case, Reminder
from tests.channels.helpers import line_complaint_step
from tests.fakes.harness import Service


async def press(svc: Service, user: str, label: str) -> None:
    """Tap the button whose label holds `label` on the newest message that has one."""
    for message in reversed(await svc.line.messages_to(user)):
        hits = [p for shown, p in zip(message.labels, message.payloads, strict=True) if label in shown]
        if hits:
            await svc.line_postback(user, hits[0])
            await svc.settle()
            return
    raise AssertionError(f"no button {label!r} was shown to {user}")


async def file_line_complaint(svc: Service, user: str, text: str) -> Case:
    await line_complaint_step(svc, user)
    await svc.line_text(user, text)
    await svc.settle()
    await press(svc, user, "ส่งเรื่อง")
    await press(svc, user, "ข้าม")
    await press(svc, user, "ไม่ประสงค์ออกนาม")
    async with svc.sessions() as s:
        case = (await s.exec(select(Case).order_by(Case.id.desc()))).first()  # type: ignore[union-attr]
    assert case is not None
    return case


async def test_a_sentinel_event_told_in_lay_words_reaches_the_committee_at_once(service: Service) -> None:
    case = await file_line_complaint(
        service, "U-son", "เมื่อคืนพยาบานให้ยาผิดคนค่ะ แม่แพ้ยาหน้าบวม ปากเขียว ต้องปั๊มหัวใจ ย้ายไอซียู")
    assert case.sentinel_hint
    async with service.sessions() as s:
        due = (await s.exec(select(Reminder).where(Reminder.case_id == case.id))).all()
    assert any(r.kind == "sentinel_hint" and r.due_at <= case.created_at for r in due)
    told = [m.text for m in await service.line.messages_to("U-son")]
    assert any(case.number in t for t in told) and any("1669" in t for t in told)


async def test_a_long_wait_that_nearly_killed_the_writer_is_an_ordinary_complaint(service: Service) -> None:
    case = await file_line_complaint(service, "U-wait", "รอคิวจ่ายเงินนานจนเกือบตายค่ะ ช่วยเพิ่มช่องจ่ายเงินด้วย")
    assert not case.sentinel_hint
    async with service.sessions() as s:
        due = (await s.exec(select(Reminder).where(Reminder.case_id == case.id))).all()
    assert not any(r.kind == "sentinel_hint" for r in due)


@pytest.mark.parametrize(
    ("user", "text"),
    [
        # round 13: a family's thanks for care until an expected end, then an ordinary fault
        ("U-thanks", "ขอบคุณทีมพยาบาลที่ดูแลพ่อจนเสียชีวิตค่ะ แต่ห้องน้ำสกปรกมาก"),
        ("U-grandma", "ขอบคุณทีมที่ดูแลยายจนสิ้นลมค่ะ แต่อยากให้ที่จอดรถญาติเยอะกว่านี้"),
        # round 13: a bee's sting ("ผึ้งต่อย") is no blow struck on the ward (a swollen face after one is an emergency
        # the chat rightly answers with 1669; a sting on the arm is not)
        ("U-bee", "ลูกโดนผึ้งต่อยที่แขน มา ER รอ 2 ชม. กว่าหมอจะมาดูค่ะ"),
    ],
)
async def test_round_13s_look_alikes_open_an_ordinary_complaint(service: Service, user: str, text: str) -> None:
    """Texts that round 13's look-alike rules keep from alarming the committee (each was a sentinel hint before): typed
    into the LINE complaint flow, they open an ordinary case with no sentinel notice and no 1669 advice."""
    case = await file_line_complaint(service, user, text)
    assert not case.sentinel_hint
    async with service.sessions() as s:
        due = (await s.exec(select(Reminder).where(Reminder.case_id == case.id))).all()
    assert not any(r.kind == "sentinel_hint" for r in due)
    assert not any("1669" in m.text for m in await service.line.messages_to(user))
