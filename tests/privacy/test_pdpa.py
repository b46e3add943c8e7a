"""PDPA data-subject rights and retention, through the real pipeline: patients and staff talk through the
fake LINE and Telegram platforms, the admin runs `python -m bot patient …`, and the service purges nightly;
every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from bot.purge import ACTOR, PURGE, slot_of
from store.models import (
    AuditLog,
    Case,
    ChannelIdentity,
    Feedback,
    InboundEvent,
    MediaFile,
    OutboundMessage,
    SeenEvent,
)
from store.privacy import ERASED_ACTOR, ERASED_TEXT
from store.staff import create_invite
from store.types import utcnow
from tests.fakes.harness import Service
from tests.privacy.conftest import admin
from tests.support import MovableClock

PATIENT = "U" + "5f3a" * 8  # LINE user ids: U and 32 hex digits
OTHER = "U" + "77c1" * 8
HEAD = "U" + "0d0e" * 8
COMMITTEE = "U" + "c0c0" * 8
DIRECTOR = "U" + "d1d1" * 8


async def press(svc: Service, user: str, payload: str) -> None:
    await svc.line_postback(user, payload)
    await svc.settle()


async def say(svc: Service, user: str, words: str) -> None:
    await svc.line_text(user, words)
    await svc.settle()


async def greet(svc: Service, user: str, *, consent: bool = True) -> None:
    """A patient adds the hospital's account and answers the PDPA notice."""
    await svc.line_follow(user)
    await svc.settle()
    await press(svc, user, "consent:yes" if consent else "consent:no")


async def complain(svc: Service, user: str, words: str, *, anonymous: bool = False, photo: bool = False) -> str:
    """The complaint flow from the menu to the case number; returns the number."""
    await press(svc, user, "complaint")
    await say(svc, user, words)
    if photo:
        await svc.line_media(user, "image")
        await svc.settle()
    await press(svc, user, "complaint:done")
    await press(svc, user, "complaint:dept:pharmacy")
    if anonymous:
        await press(svc, user, "complaint:anon")
    else:
        await press(svc, user, "complaint:contact")
        await press(svc, user, "complaint:skipphone")
    case = await latest_case(svc)
    assert any(case.number in m.text for m in (await svc.line.messages_to(user))[-3:])
    return case.number


async def register(svc: Service, user: str, role: str, unit: str | None = None) -> None:
    async with svc.sessions() as session:
        made = await create_invite(session, now=svc.clock(), role=role, unit_code=unit, display_name=role)
        await session.commit()
    await say(svc, user, f"/register {made.code}")
    assert "ลงทะเบียนเรียบร้อย" in (await svc.line.messages_to(user))[-1].text


async def latest_case(svc: Service) -> Case:
    async with svc.sessions() as session:
        case = (await session.exec(select(Case).order_by(col(Case.id).desc()))).first()
    assert case is not None
    return case


async def patient_id(svc: Service, user: str) -> int:
    async with svc.sessions() as session:
        identity = (await session.exec(select(ChannelIdentity).where(ChannelIdentity.external_id == user))).one()
    assert identity.patient_id is not None
    return identity.patient_id


async def rows(svc: Service, model: type) -> list:  # type: ignore[type-arg]
    async with svc.sessions() as session:
        return list((await session.exec(select(model))).all())


async def nightly(svc: Service, clock: MovableClock, *, days: int) -> None:
    """Move the clock `days` ahead to just after that night's purge hour and wait for the service's own purge."""
    target = slot_of(clock.now + timedelta(days=days)) + timedelta(minutes=5)
    clock.now = target
    for _ in range(400):
        async with svc.sessions() as session:
            done = (await session.exec(select(AuditLog).where(AuditLog.actor == ACTOR,
                                                              col(AuditLog.at) >= slot_of(target)))).first()
        if done is not None:
            return
        await svc.app[PURGE].run_once()  # the background loop may be asleep between polls; this is its step
    raise AssertionError("the nightly purge did not run")


# --- 1. delete rules --------------------------------------------------------------------------------------


async def test_erase_works_for_someone_whose_compliment_pinged_a_unit_head(svc: Service) -> None:
    """`patient erase` succeeds for a patient whose compliment sent the unit head a ping (that ping's outbox row
    points at their webhook event), and the event is gone."""
    await register(svc, HEAD, "unit_head", "dental")
    await greet(svc, PATIENT)
    await press(svc, PATIENT, "compliment")
    await say(svc, PATIENT, "หมอฟันใจดีมากๆเลยค่ะ อธิบายละเอียด ไม่เจ็บเลย")  # names the dental unit: sent at once
    assert "หมอฟันใจดี" in (await svc.line.messages_to(HEAD))[-1].text
    code, out, err = await admin("patient", "erase", f"line:{PATIENT}", "--yes")
    assert code == 0, err
    assert json.loads(out)["identities"] == 1
    assert not [e for e in await rows(svc, InboundEvent) if PATIENT in e.payload]


async def test_patient_purge_deletes_old_events_that_caused_replies(svc: Service, clock: MovableClock) -> None:
    """`patient purge` deletes webhook events older than 30 days although messages answering them remain."""
    clock.now = utcnow() - timedelta(days=45)  # the command runs at the real time
    await greet(svc, PATIENT)
    await say(svc, PATIENT, "สวัสดีค่ะ")
    assert any(o.inbound_event_id for o in await rows(svc, OutboundMessage))
    code, out, err = await admin("patient", "purge")
    assert code == 0, err
    assert json.loads(out)["inbound_events"] >= 2
    assert await rows(svc, InboundEvent) == []


# --- 2. media files ----------------------------------------------------------------------------------------


async def test_erase_removes_the_photo_files_from_media_dir(svc: Service) -> None:
    """The photos of an erased patient's complaint are removed from MEDIA_DIR (paths are relative to it), not
    only their rows; another patient's photo stays."""
    await greet(svc, PATIENT)
    await greet(svc, OTHER)
    await complain(svc, PATIENT, "ห้องน้ำชั้น2สกปรกมากค่ะ กลิ่นแรงมาก", photo=True)
    await complain(svc, OTHER, "ที่จอดรถเต็มตลอดเลยครับ วนหาครึ่งชม", photo=True)
    media_dir = svc.settings.media_dir
    stored = [m for m in await rows(svc, MediaFile) if m.status == "stored"]
    assert len(stored) == 2 and all((media_dir / str(m.path)).is_file() for m in stored)
    code, _, err = await admin("patient", "erase", f"line:{PATIENT}", "--yes")
    assert code == 0, err
    left = await rows(svc, MediaFile)
    assert len(left) == 1 and (media_dir / str(left[0].path)).is_file()
    assert [p for p in media_dir.rglob("*") if p.is_file()] == [media_dir / str(left[0].path)]


async def test_erase_works_in_a_container_that_has_no_user_name(svc: Service,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A hospital's container often has no passwd entry and no LOGNAME: getpass.getuser() raises there. The
    DPO's erase must still run, audited as plain "cli" (one cli_actor serves every command line)."""
    import getpass

    def no_user() -> str:
        raise OSError("No username set in the environment")

    await greet(svc, PATIENT)
    await complain(svc, PATIENT, "พยาบาลพูดจาไม่ดีค่ะ  ตะคอกใส่แม่ด้วย")
    monkeypatch.setattr(getpass, "getuser", no_user)
    code, _, err = await admin("patient", "erase", f"line:{PATIENT}", "--yes")
    assert code == 0, err
    actors = {a.actor for a in await rows(svc, AuditLog) if a.channel == "cli"}
    assert actors == {"cli"}


# --- 3. anonymous complaints ------------------------------------------------------------------------------


async def test_anonymous_complaint_is_exported_and_erased(svc: Service) -> None:
    """A complaint sent anonymously (its feedback row has no patient id, its case does) is in the patient's
    export, and erasing the patient erases its text; the case stays in the register."""
    await greet(svc, PATIENT)
    number = await complain(svc, PATIENT, "เจ้าหน้าที่ห้องบัตรพูดจาไม่ดีเลยค่ะ ถามแล้วตวาดใส่", anonymous=True)
    code, out, err = await admin("patient", "export", f"line:{PATIENT}")
    assert code == 0, err
    exported = json.loads(out)
    assert [f["text"] for f in exported["feedback"]] == ["เจ้าหน้าที่ห้องบัตรพูดจาไม่ดีเลยค่ะ ถามแล้วตวาดใส่"]
    assert [c["number"] for c in exported["cases"]] == [number]
    assert (await admin("patient", "erase", f"line:{PATIENT}"))[0] == 2  # not without --yes
    assert [f.anonymous for f in await rows(svc, Feedback)] == [True]
    code, _, err = await admin("patient", "erase", f"line:{PATIENT}", "--yes")
    assert code == 0, err
    assert [f.text for f in await rows(svc, Feedback)] == [ERASED_TEXT]
    assert [(c.number, c.patient_id) for c in await rows(svc, Case)] == [(number, None)]


async def test_anonymous_complaint_on_telegram_is_erased(svc: Service) -> None:
    """The same on Telegram: an anonymous complaint is erased with its sender."""
    await svc.telegram_text(5551234, "สวัสดีครับ")
    await svc.settle()
    await svc.telegram_callback(5551234, "consent:yes")
    await svc.settle()
    for payload in ("complaint",):
        await svc.telegram_callback(5551234, payload)
        await svc.settle()
    await svc.telegram_text(5551234, "รอหมอนานมากกว่า4ชม ไม่มีใครบอกอะไรเลยครับ")
    await svc.settle()
    for payload in ("complaint:done", "complaint:dept:pharmacy", "complaint:anon"):
        await svc.telegram_callback(5551234, payload)
        await svc.settle()
    assert [f.anonymous for f in await rows(svc, Feedback)] == [True]
    code, _, err = await admin("patient", "erase", "telegram:5551234", "--yes")
    assert code == 0, err
    assert [f.text for f in await rows(svc, Feedback)] == [ERASED_TEXT]


# --- 4. retention -----------------------------------------------------------------------------------------


@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_retention_counts_from_last_contact_and_spares_open_cases(
    svc: Service, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past RETENTION_DAYS (365) the nightly purge erases the patients not heard from since (one per transaction
    here), in one audited run; it spares one whose case is still open and one who came back within the period."""
    monkeypatch.setattr("bot.purge.BATCH", 1)
    quiet, quieter, waiting, back = "U" + "a1" * 16, "U" + "a2" * 16, "U" + "b2" * 16, "U" + "c3" * 16
    for user in (quiet, quieter, waiting, back):
        await greet(svc, user)
    await complain(svc, waiting, "ยาที่ได้ไม่ครบค่ะ ขาดไป1ตัว โทรไปก็ไม่มีใครรับ")
    clock.advance(days=300)
    await press(svc, back, "track")
    await nightly(svc, clock, days=100)
    async with svc.sessions() as session:
        identities = {i.external_id for i in (await session.exec(select(ChannelIdentity))).all()}
    assert identities == {waiting, back}
    runs = [a.detail for a in await rows(svc, AuditLog) if a.actor == ACTOR]
    assert runs[-1]["patients"] == 2  # tonight's run, in one audit row


async def test_purge_ages_out_anonymous_texts_reports_and_unlinked_media(svc: Service, clock: MovableClock) -> None:
    """Past the retention period the nightly purge erases texts that belong to no patient (an anonymous
    compliment, a staff incident report whose case is finished) and deletes a photo linked to nothing."""
    await register(svc, COMMITTEE, "committee")
    await greet(svc, PATIENT, consent=False)
    await press(svc, PATIENT, "compliment")
    await say(svc, PATIENT, "พยาบาลวอร์ด5ดูแลแม่ดีมากค่ะ ขอบคุณน้องแนนมากๆ")
    await press(svc, PATIENT, "compliment:skip")
    await press(svc, PATIENT, "complaint")
    await svc.line_media(PATIENT, "image")
    await svc.settle()
    await say(svc, PATIENT, "ยกเลิก")
    await say(svc, COMMITTEE, "/report ผู้ป่วยเตียง12ลื่นล้มในห้องน้ำ ไม่มีแผล")
    number = (await latest_case(svc)).number
    await say(svc, COMMITTEE, f"/reject {number} ไม่ใช่อุบัติการณ์")
    media_dir = svc.settings.media_dir
    photo = [m for m in await rows(svc, MediaFile)]
    assert len(photo) == 1 and photo[0].feedback_id is None and (media_dir / str(photo[0].path)).is_file()
    report = next(f for f in await rows(svc, Feedback) if f.kind == "report")
    assert any(r.get("evidence") for r in (report.nlp or {}).get("risk_codes", []))  # the NLP quotes the report
    assert await rows(svc, SeenEvent)
    await nightly(svc, clock, days=400)
    assert {f.text for f in await rows(svc, Feedback)} == {ERASED_TEXT}
    assert not any(r.get("evidence") for f in await rows(svc, Feedback) for r in (f.nlp or {}).get("risk_codes", []))
    assert [c.summary for c in await rows(svc, Case)] == [ERASED_TEXT]
    assert await rows(svc, MediaFile) == []
    assert not (media_dir / str(photo[0].path)).exists()
    assert await rows(svc, SeenEvent) == []  # replay hashes are kept 90 days, not for ever


# --- 5. remnants --------------------------------------------------------------------------------------------


async def test_erase_leaves_no_quotes_actor_ids_or_staff_copies(svc: Service) -> None:
    """After erase no NLP evidence quotes the patient, no audit row names their chat id, no message sent to
    staff still holds their words, and the corrections export leaves their text and labels out (and is audited)."""
    words = "รอรับยานานมากเกือบ3ชม เภสัชพูดจาไม่สุภาพด้วยค่ะ"
    await register(svc, COMMITTEE, "committee")
    await greet(svc, PATIENT)
    number = await complain(svc, PATIENT, words)
    await say(svc, PATIENT, "/queue")  # a patient trying a staff command is refused and audited
    await say(svc, COMMITTEE, f"/case {number}")
    assert "เภสัชพูดจาไม่สุภาพ" in (await svc.line.messages_to(COMMITTEE))[-1].text
    await say(svc, COMMITTEE, f"/tags {number} waiting staff_behavior neg")
    feedback = (await rows(svc, Feedback))[0]
    assert any(t.get("evidence") for t in feedback.topics)
    assert f"line:{PATIENT}" in {a.actor for a in await rows(svc, AuditLog)}
    code, _, err = await admin("patient", "erase", f"line:{PATIENT}", "--yes")
    assert code == 0, err
    feedback = (await rows(svc, Feedback))[0]
    assert feedback.topics and not any(t.get("evidence") for t in feedback.topics)
    actors = {a.actor for a in await rows(svc, AuditLog)}
    assert f"line:{PATIENT}" not in actors and ERASED_ACTOR in actors
    sent = json.dumps([o.payload for o in await rows(svc, OutboundMessage)], ensure_ascii=False)
    assert "เภสัชพูดจาไม่สุภาพ" not in sent and ERASED_TEXT in sent
    code, out, err = await admin("corrections")
    assert code == 0, err
    assert out == ""
    assert "export.corrections" in {a.action for a in await rows(svc, AuditLog)}


async def test_dashboard_link_is_not_kept_once_sent(svc: Service) -> None:
    """The one-time dashboard sign-in link reaches the committee member, but the outbox keeps no copy of it."""
    await register(svc, COMMITTEE, "committee")
    await say(svc, COMMITTEE, "/dashboard")
    delivered = (await svc.line.messages_to(COMMITTEE))[-1].text
    assert "/dashboard/login/" in delivered
    token = delivered.split("/dashboard/login/")[1].split()[0]
    stored = json.dumps([o.payload for o in await rows(svc, OutboundMessage)], ensure_ascii=False)
    assert token not in stored


# --- the nightly job ----------------------------------------------------------------------------------------


FAIL_SQLITE = ("CREATE TRIGGER purge_fails BEFORE INSERT ON audit_log WHEN NEW.action = 'patient.purge' "
               "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
FAIL_PG = [
    "CREATE FUNCTION purge_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF NEW.action = 'patient.purge' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$",
    "CREATE TRIGGER purge_fails BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION purge_fails()",
]


async def test_nightly_purge_failure_is_counted_and_pinged_to_the_director(svc: Service, clock: MovableClock) -> None:
    """The service purges by itself once a night (audited); a failed night is counted in /metrics, pinged once
    to the director, and retried an hour later."""
    await register(svc, DIRECTOR, "director")
    await nightly(svc, clock, days=1)
    async with svc.sessions() as session:
        runs = (await session.exec(select(AuditLog).where(AuditLog.actor == ACTOR))).all()
        assert len(runs) == 1
        dialect = (await session.connection()).dialect.name
        for statement in FAIL_PG if dialect == "postgresql" else [FAIL_SQLITE]:
            await session.execute(text(statement))
        await session.commit()
    before = len(await svc.line.messages_to(DIRECTOR))
    clock.now = slot_of(clock.now + timedelta(days=1)) + timedelta(minutes=1)
    assert await svc.app[PURGE].run_once() is None
    assert await svc.app[PURGE].run_once() is None  # waits an hour before trying again
    await svc.settle()
    pings = (await svc.line.messages_to(DIRECTOR))[before:]
    assert len(pings) == 1 and "PDPA" in pings[0].text
    async with svc.http.get(f"{svc.url}/metrics") as resp:
        metrics = await resp.text()
    assert 'pv_purge_runs_total{result="failed"} 1.0' in metrics
    async with svc.sessions() as session:
        await session.execute(text("DROP TRIGGER purge_fails" + (" ON audit_log" if dialect == "postgresql" else "")))
        await session.commit()
    clock.advance(hours=1, minutes=1)
    assert await svc.app[PURGE].run_once() is not None
    async with svc.http.get(f"{svc.url}/metrics") as resp:
        assert 'pv_purge_runs_total{result="ok"} 2.0' in await resp.text()



async def test_erasing_a_staff_member_as_patient_keeps_their_staff_role_and_audit(svc: Service) -> None:
    """A unit head who also complained as a patient from the same chat: erasing them as a patient erases the
    complaint but keeps their staff registration and the attribution of their staff actions."""
    await register(svc, HEAD, "unit_head", "pharmacy")
    await say(svc, HEAD, "/mine")
    await press(svc, HEAD, "consent:yes")
    await complain(svc, HEAD, "ลูกรอคิวเอ็กซเรย์นานมากค่ะ เกือบ2ชม")
    code, _, err = await admin("patient", "erase", f"line:{HEAD}", "--yes")
    assert code == 0, err
    assert [f.text for f in await rows(svc, Feedback)] == [ERASED_TEXT]
    staff_actions = {(a.actor, a.action) for a in await rows(svc, AuditLog) if a.actor_staff_id}
    assert (f"line:{HEAD}", "staff.register") in staff_actions
    before = len(await svc.line.messages_to(HEAD))
    await say(svc, HEAD, "/mine")
    assert "ใช้ได้เฉพาะเจ้าหน้าที่" not in (await svc.line.messages_to(HEAD))[before].text


async def test_erase_redacts_every_page_of_a_long_complaint_shown_to_staff(svc: Service) -> None:
    """A long complaint read page by page (/case N 2 starts in the middle of a line) leaves no page of it in the
    messages sent to the committee once the patient is erased."""
    story = " ".join(f"วันที่{i}ไปรอรับยาที่ห้องยาตั้งแต่เช้า รอนานมากๆ ถามเจ้าหน้าที่ก็บอกให้รอไปก่อน "
                     f"พอถามครั้งที่{i + 1} เจ้าหน้าที่พูดเสียงดังใส่ แม่ผมอายุเยอะแล้วนั่งรอไม่ไหว" for i in range(30))
    await register(svc, COMMITTEE, "committee")
    await greet(svc, PATIENT)
    number = await complain(svc, PATIENT, story)
    await say(svc, COMMITTEE, f"/case {number} 2")
    second_page = (await svc.line.messages_to(COMMITTEE))[-1].text
    assert "วันที่29" in second_page and "วันที่0ไป" not in second_page
    code, _, err = await admin("patient", "erase", f"line:{PATIENT}", "--yes")
    assert code == 0, err
    sent = json.dumps([o.payload for o in await rows(svc, OutboundMessage)], ensure_ascii=False)
    assert "วันที่29" not in sent and "แม่ผมอายุเยอะ" not in sent


async def test_erase_takes_the_photos_a_patient_sent_but_never_filed(svc: Service) -> None:
    """A patient sends a photo while telling a complaint, then cancels: the photo is linked to no case, yet
    erasing the patient deletes its row and its file (media rows remember who sent them)."""
    await greet(svc, PATIENT)
    await press(svc, PATIENT, "complaint")
    await svc.line_media(PATIENT, "image")
    await svc.settle()
    await say(svc, PATIENT, "ยกเลิกค่ะ")
    photo = (await rows(svc, MediaFile))[0]
    path = svc.settings.media_dir / str(photo.path)
    assert photo.feedback_id is None and photo.case_id is None and path.is_file()
    code, _, err = await admin("patient", "erase", f"line:{PATIENT}", "--yes")
    assert code == 0, err
    assert await rows(svc, MediaFile) == [] and not path.exists()
