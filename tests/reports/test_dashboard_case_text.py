"""The patient's whole text on the dashboard: a committee member reads it behind a "show the whole text" button,
each reading audited (who, when, which case); a unit head, a stranger without a session, an expired session and
another site do not get it; an erased text shows as erased; the case export never carries it (issue 20 item 3).
A patient complains through the LINE fake; staff sign in with the link the bot sends them in chat."""

from __future__ import annotations

import html
import re
from pathlib import Path

import aiohttp
from sqlmodel import col, select

from bot.dashboard.auth import COOKIE, SESSION_HOURS
from store.exports import export_table
from store.models import AuditLog, Case, ChannelIdentity
from store.privacy import erase_patient, find_patient
from tests.committee.test_through_fakes import Person, latest_case
from tests.fakes.harness import Service
from tests.reports.test_dashboard_session import sign_in, sign_in_link

# a mother's complaint typed on a phone, well past the 600 characters the chat's case card shows
STORY = (
    "สวัสดีค่ะ ขอร้องเรียนเรื่องห้องยานะคะ วันที่ 3 แม่อายุ 78 มาตรวจตามนัดที่คลินิกเบาหวาน "
    "ได้บัตรคิวรับยาตอนเก้าโมงครึ่ง รอจนบ่ายสองโมงกว่าถึงได้ยา แม่นั่งรถเข็นมาไม่ได้กินข้าวเลยเพราะกลัวเรียกคิวแล้วไม่อยู่ "
    "ไปถามที่ช่องสามว่าอีกนานไหม เจ้าหน้าที่ผู้หญิงใส่แว่นตอบว่าไม่รู้ รอไปเถอะ ไม่มองหน้าด้วยซ้ำค่ะ "
    "พอได้ยาก็ไม่อธิบายว่ายาอินซูลินต้องเก็บในตู้เย็น แม่เอากลับบ้านวางไว้ในกระเป๋าทั้งวัน "
    "ลูกสาวมาอ่านฉลากเองตอนค่ำถึงรู้ ไม่ทราบว่ายายังใช้ได้อยู่ไหมคะ โทรไปถามเบอร์โรงพยาบาลก็ไม่มีคนรับสาย "
    "เข้าใจว่าคนไข้เยอะ เจ้าหน้าที่เหนื่อย แต่อยากให้มีป้ายบอกเวลารอโดยประมาณ มีเก้าอี้ให้ผู้สูงอายุนั่งใกล้ช่องจ่ายยา "
    "และช่วยอธิบายวิธีเก็บยาทุกครั้งโดยเฉพาะยาฉีด คนแก่จำไม่ได้ค่ะ ถ้าให้เอกสารสั้น ๆ ตัวใหญ่ ๆ จะดีมาก "
    "ครั้งก่อนเดือนที่แล้วก็รอนานแบบนี้เหมือนกันแต่ไม่ได้แจ้ง คราวนี้เลยอยากให้ทางโรงพยาบาลรับทราบและปรับปรุงค่ะ "
    "ขอบคุณพยาบาลหน้าห้องตรวจที่ช่วยเข็นรถให้แม่ไปเข้าห้องน้ำนะคะ คนนั้นน่ารักมาก "
    "ท้ายนี้ขอให้ปรับปรุงระบบคิวห้องยาให้เร็วขึ้นด้วยนะคะ ขอบคุณค่ะ"
)
LAST_WORDS = "ท้ายนี้ขอให้ปรับปรุงระบบคิวห้องยาให้เร็วขึ้นด้วยนะคะ ขอบคุณค่ะ"


async def _complain(svc: Service, patient: Person) -> str:
    await patient.press("complaint")
    await patient.press("consent:yes")
    await patient.say(STORY)
    await patient.press("complaint:done")
    await patient.press("complaint:dept:pharmacy")
    await patient.press("complaint:contact")
    await patient.press("complaint:skipphone")
    return (await latest_case(svc)).number


async def _get(svc: Service, path: str, cookie: str | None) -> tuple[int, str]:
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    async with aiohttp.ClientSession() as fresh, fresh.get(f"{svc.url}{path}", headers=headers) as resp:
        return resp.status, await resp.text()


async def _show_text(svc: Service, number: str, cookie: str | None, origin: str | None = None) -> tuple[int, str]:
    """Press "show the whole text" on the case page (a POST from the dashboard's own page)."""
    headers = {"Origin": origin or svc.url, **({"Cookie": f"{COOKIE}={cookie}"} if cookie else {})}
    async with aiohttp.ClientSession() as fresh, fresh.post(f"{svc.url}/dashboard/case/{number}/text",
                                                            headers=headers, allow_redirects=False) as resp:
        assert resp.headers.get("Cache-Control") == "no-store"
        return resp.status, await resp.text()


def _full_text(page: str) -> str | None:
    found = re.search(r'<div id="full-text" class="full-text">(.*?)</div>', page, re.S)
    return html.unescape(found.group(1)) if found else None


async def _staff_id(svc: Service, person: Person) -> int | None:
    async with svc.sessions() as s:
        identity = (await s.exec(select(ChannelIdentity).where(ChannelIdentity.external_id == person.user))).first()
    assert identity is not None
    return identity.staff_id


async def _text_audits(svc: Service) -> list[AuditLog]:
    async with svc.sessions() as s:
        return list((await s.exec(select(AuditLog).where(AuditLog.action == "dashboard.case_text")
                                  .order_by(col(AuditLog.id)))).all())


async def test_committee_reads_every_word_on_the_dashboard_and_it_is_audited(any_service: Service,
                                                                             tmp_path: Path) -> None:
    """LINE complaint of 900+ characters → the committee member opens the case from the dashboard queue, presses
    the button and reads every word; the page itself, the queue and the export never carry it."""
    svc = any_service
    seen: dict[str, int] = {}
    nurse = Person(svc, "line", "U-risk-nurse", None, seen)
    await nurse.register("committee")
    number = await _complain(svc, Person(svc, "line", "U-daughter", None, seen))
    assert len(STORY) > 900

    cookie, _ = await sign_in(svc, await sign_in_link(nurse))
    status, board = await _get(svc, "/dashboard", cookie)
    assert status == 200 and f'href="/dashboard/case/{number}"' in board and "อินซูลิน" not in board
    status, page = await _get(svc, f"/dashboard/case/{number}", cookie)
    assert status == 200 and 'id="show-text"' in page
    assert "อินซูลิน" not in page and LAST_WORDS not in page  # hidden until asked for
    assert f"ข้อความยาว {len(STORY):,} ตัวอักษร" in page
    assert re.search(r'id="chosen">งานเภสัชกรรม<', page)  # the patient's choice, beside the topic's suggestion

    pressed_at = svc.clock()
    status, page = await _show_text(svc, number, cookie)
    assert status == 200 and _full_text(page) == STORY  # every word, in order
    [audit] = await _text_audits(svc)
    assert (audit.allowed, audit.target, audit.channel, audit.at) == (True, f"case:{number}", "web", pressed_at)
    assert audit.actor_staff_id == await _staff_id(svc, nurse) and audit.detail["chars"] == len(STORY)
    assert "อินซูลิน" not in str(audit.detail)  # the audit says who read what, not the words

    async with svc.sessions() as s:
        out = tmp_path / "cases.csv"
        assert await export_table(s, what="cases", out=out) == 1
    exported = out.read_text(encoding="utf-8-sig")
    assert number in exported and "อินซูลิน" not in exported and LAST_WORDS not in exported


async def test_no_text_for_a_unit_head_a_stranger_an_expired_session_or_another_site(service: Service) -> None:
    """The pharmacy head sees their unit's case page but not the words (403, audited as refused); without a
    session, after SESSION_HOURS, or from another site's form, nothing; a case outside the head's unit is 404."""
    svc = service
    seen: dict[str, int] = {}
    nurse = Person(svc, "line", "U-risk-nurse", None, seen)
    head = Person(svc, "line", "U-pharm-head", None, seen)
    lab = Person(svc, "line", "U-lab-head", None, seen)
    await nurse.register("committee")
    await head.register("unit_head", "pharmacy")
    await lab.register("unit_head", "lab")
    number = await _complain(svc, Person(svc, "line", "U-daughter", None, seen))

    head_cookie, _ = await sign_in(svc, await sign_in_link(head))
    status, page = await _get(svc, f"/dashboard/case/{number}", head_cookie)
    assert status == 200 and 'id="text-hidden"' in page and 'id="show-text"' not in page
    status, page = await _show_text(svc, number, head_cookie)
    assert status == 403 and "อินซูลิน" not in page
    lab_cookie, _ = await sign_in(svc, await sign_in_link(lab))
    assert (await _get(svc, f"/dashboard/case/{number}", lab_cookie))[0] == 404
    assert (await _show_text(svc, number, lab_cookie))[0] == 404

    status, page = await _show_text(svc, number, None)
    assert status == 401 and "อินซูลิน" not in page
    nurse_cookie, _ = await sign_in(svc, await sign_in_link(nurse))
    status, page = await _show_text(svc, number, nurse_cookie, origin="https://evil.example")
    assert status == 403 and "อินซูลิน" not in page
    svc.clock.advance(hours=SESSION_HOURS, minutes=1)  # type: ignore[attr-defined]
    status, page = await _show_text(svc, number, nurse_cookie)
    assert status == 401 and "อินซูลิน" not in page

    audits = await _text_audits(svc)
    assert [(a.allowed, a.actor_staff_id, a.detail.get("reason")) for a in audits] == [
        (False, await _staff_id(svc, head), "role"),
        (False, await _staff_id(svc, lab), "not_your_unit"),
        (False, None, "not_signed_in"),
        (False, None, "not_signed_in"),
    ]
    assert all(a.target == f"case:{number}" for a in audits)


async def test_an_erased_text_shows_as_erased(any_service: Service) -> None:
    """After the patient's data is erased (PDPA) the case page says so, offers no button, and a press of an old
    button shows no words; the reading is still audited."""
    svc = any_service
    seen: dict[str, int] = {}
    nurse = Person(svc, "line", "U-risk-nurse", None, seen)
    await nurse.register("committee")
    number = await _complain(svc, Person(svc, "line", "U-daughter", None, seen))
    async with svc.sessions() as s:
        patient = await find_patient(s, ref="line:U-daughter")
        assert patient is not None
        await erase_patient(s, patient=patient, now=svc.clock())
        await s.commit()
        case = (await s.exec(select(Case).where(Case.number == number))).one()
    assert case.patient_id is None

    cookie, _ = await sign_in(svc, await sign_in_link(nurse))
    status, page = await _get(svc, f"/dashboard/case/{number}", cookie)
    assert status == 200 and 'id="erased"' in page and 'id="show-text"' not in page
    status, page = await _show_text(svc, number, cookie)
    assert status == 200 and 'id="erased"' in page and _full_text(page) is None and "อินซูลิน" not in page
    [audit] = await _text_audits(svc)
    assert audit.allowed and audit.detail["erased"] is True
