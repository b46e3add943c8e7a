"""Complaint intake (several messages, photos kept, department, anonymous or contact), compliments with
a ping to the unit's heads, and tracking — where a patient never sees another patient's case."""

from __future__ import annotations

from sqlmodel import select

from handlers.dispatch import Dispatcher
from handlers.messages import Attachment, Channel, EventKind
from store.models import Case, ChannelIdentity, ConsentRecord, Feedback, MediaFile, Patient, Staff
from tests.flows.chat import Chat


async def _media(chat: Chat, ref: str) -> int:
    async with chat.db() as session:
        row = MediaFile(channel="line", platform_ref=ref, kind="image", status="stored")
        session.add(row)
        await session.commit()
        assert row.id is not None
        return row.id


async def file_complaint(chat: Chat, text: str, *, consent: bool = False) -> str:
    """A short anonymous complaint; returns its case number."""
    await chat.follow()
    await chat.press("ยินยอม" if consent else "ไม่ยินยอม")
    await chat.press("complaint")
    await chat.text(text)
    await chat.press("ส่งเรื่อง")
    await chat.press("ข้าม")
    await chat.press("ไม่ประสงค์ออกนาม")
    async with chat.db() as session:
        case = (await session.exec(select(Case).order_by(Case.id.desc()))).first()  # type: ignore[union-attr]
        assert case is not None
        return case.number


async def test_complaint_over_several_messages_with_photos_and_contact(chat: Chat) -> None:
    """Text and photos over several messages, a stray sticker, a department from page 2, a phone number:
    one Feedback with NLP tags, a case with topic, unit and severity hint, the photos linked, the number told."""
    await chat.follow()
    await chat.press("ยินยอม")
    await chat.press("complaint")
    assert "เล่ารายละเอียด" in chat.texts[0]
    first = await _media(chat, "line-msg-1")
    await chat.text("วันนี้รอตรวจนานมาก ตั้งแต่เช้าจนบ่าย")
    assert "รับไว้แล้ว" in chat.texts[0]
    await chat.photo(media_id=first)
    assert "รวม 1 ไฟล์" in chat.texts[0]
    await chat.sticker()
    assert "ข้อความหรือรูปภาพ" in chat.texts[0]
    await _media(chat, "line-msg-2")
    await chat.send(attachments=(Attachment("image", ref="line-msg-2"),))  # not yet fetched: linked by ref
    await chat.text("เจ้าหน้าที่พูดจาไม่สุภาพด้วยครับ")
    await chat.press("ส่งเรื่อง")
    assert len(chat.buttons) <= 13 and "complaint:skipdept" in [b.payload for b in chat.buttons]
    await chat.press("อาหารผู้ป่วย")  # the kitchen, as patients call it (units.toml patient_name)
    await chat.press("ให้ติดต่อกลับได้")
    await chat.text("ไม่ให้")
    assert "ไม่ถูกต้อง" in chat.texts[0]
    await chat.text("081-234-5678")
    assert "เลขที่เรื่อง: 2570-0001" in chat.texts[0] and "ขั้นตอนต่อไป" in chat.texts[0]
    async with chat.db() as session:
        case = (await session.exec(select(Case))).one()
        feedback = await session.get(Feedback, case.feedback_id)
        media = (await session.exec(select(MediaFile))).all()
        patient = (await session.exec(select(Patient))).one()
        contact = (await session.exec(select(ConsentRecord).where(ConsentRecord.purpose == "contact"))).one()
    assert feedback is not None and feedback.kind == "complaint"
    assert feedback.text == "วันนี้รอตรวจนานมาก ตั้งแต่เช้าจนบ่าย\nเจ้าหน้าที่พูดจาไม่สุภาพด้วยครับ"
    assert feedback.department_code == "nutrition" and feedback.contact_consent and not feedback.anonymous
    assert {t["code"] for t in feedback.topics} >= {"waiting"} or feedback.topics == []  # NLP may be absent
    assert case.source == "patient" and case.patient_id == patient.id and case.status == "new"
    if feedback.topics:
        assert case.primary_topic == feedback.topics[0]["code"] and case.unit_code is not None
    assert all(m.feedback_id == feedback.id and m.case_id == case.id for m in media) and len(media) == 2
    assert patient.phone == "0812345678" and contact.granted


async def test_anonymous_complaint_without_consent(chat: Chat) -> None:
    """Declined consent: the complaint still goes in, anonymous, with no patient on the Feedback row."""
    number = await file_complaint(chat, "ห้องน้ำชั้น 2 สกปรกมาก")
    assert "ไม่ประสงค์ออกนาม" in chat.said and number in chat.said
    async with chat.db() as session:
        feedback = (await session.exec(select(Feedback))).one()
    assert feedback.anonymous and feedback.patient_id is None and not feedback.contact_consent


async def test_submit_needs_some_text(chat: Chat) -> None:
    """A photo alone is not enough: ส่งเรื่อง asks for a line of text first; nothing is lost."""
    await chat.follow()
    await chat.press("ไม่ยินยอม")
    await chat.press("complaint")
    await chat.photo()
    await chat.press("ส่งเรื่อง")
    assert "อย่างน้อยหนึ่งข้อความ" in chat.texts[0]
    await chat.text("ที่จอดรถไม่พอ")
    await chat.press("ส่งเรื่อง")
    assert "หน่วยงานใด" in chat.texts[0]


async def test_compliment_pings_the_unit_heads(chat: Chat) -> None:
    """A compliment is stored and tagged, and its unit's heads get a good-news ping (once)."""
    async with chat.db() as session:
        head = Staff(display_name="หัวหน้าเภสัช", role="unit_head", unit_code="pharmacy")
        session.add(head)
        await session.flush()
        session.add(ChannelIdentity(channel="telegram", external_id="777", staff_id=head.id))
        session.add(Staff(display_name="กรรมการ", role="committee"))
        await session.commit()
    await chat.follow()
    await chat.press("ยินยอม")
    await chat.press("compliment")
    await chat.sticker()
    assert "ขอเป็นข้อความ" in chat.texts[0]
    await chat.text("คุณสมศรีอธิบายยาละเอียดมาก ใจดีสุด ๆ")  # names no unit: asked, and typed
    await chat.text("เภสัช")
    assert "ห้องยา" in chat.texts[0] and "งานเภสัชกรรม" not in chat.texts[0]  # the name patients use
    (ping,) = chat.last.pushes
    assert (ping.channel, ping.chat_id) == (Channel.TELEGRAM, "777") and ping.dedupe_key
    assert "ข่าวดี" in ping.messages[0].text and "ใจดีสุด" in ping.messages[0].text
    assert "งานเภสัชกรรม" in ping.messages[0].text  # staff read the official name
    async with chat.db() as session:
        feedback = (await session.exec(select(Feedback))).one()
    assert feedback.kind == "compliment" and feedback.department_code == "pharmacy" and feedback.patient_id


async def test_track_shows_own_cases_only(chat: Chat, other: Chat) -> None:
    """A patient sees their own cases; another patient's number — typed, forged as a button or a rating —
    answers exactly like a number that does not exist."""
    mine = await file_complaint(chat, "รอคิวนานมาก")
    theirs = await file_complaint(other, "พยาบาลพูดจาไม่สุภาพ")
    await chat.press("track")
    assert mine in chat.texts[0] and theirs not in chat.said
    assert [b.payload for b in chat.buttons] == [f"track:{mine}", "menu"]
    await chat.press(mine)
    assert "สถานะ: รอคณะกรรมการพิจารณา" in chat.texts[0]
    not_found = None
    for attempt in (theirs, f"เรื่อง {theirs}", theirs.replace("-", "/"), "2570-9999"):
        await chat.text(attempt)
        assert theirs not in chat.said and "ไม่พบเรื่อง" in chat.texts[0]
        not_found = not_found or chat.texts[0]
        assert chat.texts[0] == not_found
    for payload in (f"track:{theirs}", f"track:{theirs}' OR 1=1", f"rate:{theirs}:5", "track:../../"):
        await chat.payload(payload)
        assert theirs not in chat.said and chat.texts[0] == not_found
    async with chat.db() as session:
        case = (await session.exec(select(Case).where(Case.number == theirs))).one()
    assert case.handling_rating is None


async def test_track_with_no_cases(chat: Chat) -> None:
    """No cases yet: a friendly note and a way to file one; no patient row is needed to ask."""
    await chat.payload("track")
    assert "ยังไม่มีเรื่อง" in chat.texts[0]


async def test_a_complaint_typed_as_a_compliment_is_not_sent_as_good_news(chat: Chat) -> None:
    """A problem typed under ชมเชย is not pinged as praise: the patient may send it as a complaint instead."""
    await chat.follow()
    await chat.press("ไม่ยินยอม")
    await chat.press("compliment")
    await chat.text("รอนานมาก พยาบาลพูดจาไม่สุภาพ")
    assert [b.payload for b in chat.buttons] == ["complaint:offer", "compliment:offer"]
    await chat.press("ร้องเรียนเรื่องนี้")
    assert "พยาบาลพูดจาไม่สุภาพ" in chat.texts[0]
    async with chat.db() as session:
        assert (await session.exec(select(Feedback))).all() == []


def test_unit_labels_fit_line() -> None:
    """Long unit names become LINE-sized labels without cutting the meaningful part first."""
    from handlers.flowkit import short_label

    assert short_label("งานชันสูตร (ห้องปฏิบัติการ)") == "งานชันสูตร"
    assert short_label("งานอุบัติเหตุและฉุกเฉิน") == "อุบัติเหตุและฉุกเฉิน"
    assert short_label("งานพัฒนาคุณภาพและบริหารความเสี่ยง") == "พัฒนาคุณภาพและ…"  # whole words only


async def test_patient_flows_stay_out_of_group_chats(dispatcher: Dispatcher) -> None:
    """In a group, the patient flows answer only that they are for private chats; free text gets nothing."""
    member = Chat(dispatcher, "U-member")
    await member.send(text="รอนานมาก แย่มาก", is_group=True, chat_id="C-committee")
    assert member.texts == []
    for payload in ("survey", "complaint", "compliment", "track", "track:2570-0001", "rate:2570-0001:5"):
        await member.send(kind=EventKind.POSTBACK, payload=payload,
                          is_group=True, chat_id="C-committee")
        assert member.texts == ["เพื่อความเป็นส่วนตัวของท่าน บริการนี้ใช้ได้ในแชตส่วนตัวกับบอทเท่านั้นค่ะ"]


async def test_typed_send_word_submits(chat: Chat) -> None:
    """Typing ส่งเรื่อง instead of pressing it moves on; it is not added to the complaint text."""
    await chat.follow()
    await chat.press("ไม่ยินยอม")
    await chat.press("complaint")
    await chat.text("ที่จอดรถไม่พอ")
    await chat.text("ส่งเรื่อง")
    assert "หน่วยงานใด" in chat.texts[0]


async def test_a_file_over_the_size_limit_is_not_attached_and_the_patient_is_told(chat: Chat) -> None:
    """A photo the service did not keep (over MEDIA_MAX_BYTES) is not linked to the case; the patient is asked
    for a smaller one, and the complaint goes on with what was kept."""
    await chat.follow()
    await chat.press("ยินยอม")
    await chat.press("complaint")
    kept = await _media(chat, "line-ok")
    async with chat.db() as session:
        big = MediaFile(channel="line", platform_ref="line-big", kind="video", status="too_large", size=90_000_000)
        session.add(big)
        await session.commit()
    await chat.text("เตียงข้างๆ ส่งเสียงดังทั้งคืน พยาบาลไม่มาดูเลย")
    await chat.send(attachments=(Attachment("video", "line-big", media_id=big.id, too_large=True),))
    assert "ใหญ่เกิน 20 MB" in chat.texts[0] and "ส่งเรื่อง" in [b.label for b in chat.buttons]
    await chat.photo(media_id=kept)
    assert "รวม 1 ไฟล์" in chat.texts[0]
    await chat.press("ส่งเรื่อง")
    await chat.press("ข้าม")
    await chat.press("ไม่ประสงค์ออกนาม")
    async with chat.db() as session:
        case = (await session.exec(select(Case))).one()
        linked = (await session.exec(select(MediaFile).where(MediaFile.case_id == case.id))).all()
    assert [m.id for m in linked] == [kept]
