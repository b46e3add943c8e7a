"""What every patient meets (issue 20 item 6): tracking tells cases apart by subject and unit, every
answer leaves something to press, long unit names on page 2 are cut after a whole word, and the IPD survey
asks the discharge date and only what fits a stay on a ward, and praise that names its unit is not asked
the unit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.sender import Limits, RateLimiter
from handlers.dispatch import Dispatcher
from handlers.messages import Attachment, Channel
from handlers.services import Services
from store.models import ChannelIdentity, Feedback, Staff, SurveyItemScore, SurveyResponse
from store.periods import local
from tests.fakes.harness import Service
from tests.flows.chat import Chat
from tests.flows.test_case_updates import _case_for, _transition
from tests.flows.test_channels import Patient as ChannelPatient

CHANNELS = pytest.mark.parametrize("channel", [Channel.LINE, Channel.TELEGRAM])


async def complain(chat: Chat, text: str) -> None:
    await chat.press("complaint")
    await chat.text(text)
    await chat.press("ส่งเรื่อง")
    await chat.press("ข้าม")
    await chat.press("ไม่ประสงค์ออกนาม")


@CHANNELS
async def test_tracking_lists_cases_by_subject_and_unit(dispatcher: Dispatcher, channel: Channel) -> None:
    """Two complaints are told apart in ติดตามเรื่อง by what was written and who handles them."""
    chat = Chat(dispatcher, f"U-{channel}-track", channel)
    await chat.follow()
    await chat.press("ยินยอม")
    await complain(chat, "รอรับยาที่ห้องยานานมากค่ะ")
    await complain(chat, "ห้องน้ำชั้นสองสกปรกค่ะ")
    await chat.press("ติดตามเรื่อง")
    assert "รอรับยาที่ห้องยานานมากค่ะ" in chat.said and "ห้องน้ำชั้นสองสกปรกค่ะ" in chat.said
    assert "หน่วยงาน" in chat.said or "งาน" in chat.said
    labels = [b.label for b in chat.buttons if b.payload.startswith("track:")]
    assert len(labels) == 2 and all(len(label) <= 20 for label in labels)
    assert any(label.startswith("2570-0001 ") for label in labels)
    await chat.press("2570-0001")
    assert "เรื่อง: “รอรับยาที่ห้องยานานมากค่ะ”" in chat.said


@pytest.mark.parametrize("channel", [Channel.TELEGRAM, Channel.LINE])
async def test_every_patient_answer_has_buttons(
        dispatcher: Dispatcher, services: Services, channel: Channel) -> None:
    """A rating thanks, a withdrawal, a location and a 'not yet' all come with buttons to press next."""
    chat = Chat(dispatcher, f"U-{channel}-buttons", channel)
    number = await _case_for(chat, services)
    await _transition(services, number, "closed", "closed", approved_summary="ปรับคิวแล้ว")
    steps = [chat.text("ยกเลิกค่ะ"), chat.text("ให้ 4 คะแนนค่ะ"), chat.payload(f"rate:{number}:5"),
             chat.send(attachments=(Attachment("location"),)), chat.payload("consent:yes"), chat.text("ถอนความยินยอม")]
    for step in steps:
        await step
        assert chat.buttons, chat.said


async def test_case_updates_carry_a_track_button(chat: Chat, services: Services) -> None:
    """'รับเรื่องแล้ว' pushed to the patient has ติดตามเรื่อง and เมนูหลัก buttons."""
    number = await _case_for(chat, services)
    [delivery] = await _transition(services, number, "triaged", "triaged")
    assert [b.payload for b in delivery.messages[0].buttons] == [f"track:{number}", "menu"]


@CHANNELS
async def test_long_unit_names_are_cut_after_a_whole_word(dispatcher: Dispatcher, channel: Channel) -> None:
    """The complaint's units show 'การเงินและประกัน…', never a word cut in half like '…ประกันสุข…'; patients
    see the names they use ('ห้องยา', 'ห้องแล็บ เจาะเลือด'), not admin teams ('กลุ่มการพยาบาล', 'องค์กรแพทย์')."""
    chat = Chat(dispatcher, f"U-{channel}-labels", channel)
    await chat.follow()
    await chat.press("ไม่ยินยอม")
    await chat.press("complaint")
    await chat.text("ค่ารักษาแพงเกินค่ะ")
    await chat.press("ส่งเรื่อง")
    labels = [b.label for b in chat.buttons]
    assert "การเงินและประกัน…" in labels and all(len(label) <= 20 for label in labels)
    assert {"ห้องยา", "ห้องแล็บ เจาะเลือด", "ห้องตรวจ OPD"} <= set(labels)
    assert not {"กลุ่มการพยาบาล", "องค์กรแพทย์", "งานบริหารทั่วไป"} & set(labels) and "ถัดไป" not in labels
    assert not any(label.endswith("สุข…") or label.endswith("บริหา…") for label in labels)


@pytest.fixture
def no_telegram_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Telegram's one-message-a-second pacing per chat runs on real time (28 s for a 17-question survey); this
    test is about what is asked. Requested before `service`, which reads the limits when it starts."""
    fast = RateLimiter(10_000, 10_000)
    monkeypatch.setattr("bot.telegram.channel.telegram_limits", lambda: Limits(fast, fast, fast))


@pytest.mark.slow  # 6–30 s (chat pacing, training, long flows): runs in make test, not make check
@pytest.mark.parametrize("channel", ["line", "telegram"])
async def test_ipd_survey_asks_the_discharge_date_and_skips_opd_items(
    no_telegram_pacing: None, service: Service, channel: str
) -> None:
    """A relative rates a stay on the medical ward through the LINE / Telegram fakes: asked when the patient
    went home (not when they came), and never about parking, signposts or waiting at service points."""
    p = ChannelPatient(service, channel, "U-ipd" if channel == "line" else 4343)
    if channel == "line":
        await service.line_follow("U-ipd")
        p.seen = len(await service.line.messages_to("U-ipd", wait_for=3))
    else:
        await p.text("/start")
    await p.press("consent:yes")
    await p.press("survey")
    await p.press("survey:type:ipd")
    asked = "\n".join(m.text for m in await p.text("อายุรกรรม"))
    assert "กลับบ้าน" in asked and "มารับบริการวันที่" not in asked
    msgs = await p.text("เมื่อวาน")
    questions = []
    while any(x.startswith("survey:s:") for x in msgs[-1].payloads):
        questions.append(msgs[-1].text)
        msgs = await p.text("5")
    asked_all = "\n".join(questions)
    assert "อาหารผู้ป่วย" in asked_all and "ก่อนกลับบ้าน" in asked_all
    assert not any(opd in asked_all for opd in ("ที่จอดรถ", "ป้ายบอกทาง", "ระยะเวลารอคอย"))
    assert len(questions) == 16 and "ข้อ 1/17" in questions[0]
    await p.text("ข้ามค่ะ")
    async with service.sessions() as session:
        response = (await session.exec(select(SurveyResponse))).one()
        items = {s.item_code for s in (await session.exec(select(SurveyItemScore))).all()}
    yesterday = local(service.clock()).date() - timedelta(days=1)
    assert (response.service_type, response.department_code, response.visit_date) == ("ipd", "ward_med", yesterday)
    assert {"process_discharge", "facility_ward", "facility_food"} <= items
    assert not items & {"process_waiting", "facility_signs", "facility_amenity"}


async def test_opd_survey_still_asks_the_visit_date(chat: Chat) -> None:
    """Out-patients keep the visit date and their waiting, signpost and parking questions."""
    await chat.follow()
    await chat.press("ยินยอม")
    await chat.press("survey")
    await chat.press("survey:type:opd")
    await chat.text("เภสัช")
    assert "มารับบริการวันที่" in chat.said


@pytest.mark.parametrize("channel", ["line", "telegram"])
@pytest.mark.slow  # over a second through the fakes: make test runs it, make check leaves it out
async def test_compliment_naming_its_unit_is_not_asked_the_unit(service: Service, channel: str) -> None:
    """A mother praises the delivery ward's nurses through the LINE / Telegram fakes: the text names the unit,
    so she is thanked at once and the ward's head hears the good news; praise naming no unit is still asked."""
    async with service.sessions() as session:
        head = Staff(display_name="หัวหน้าห้องคลอด", role="unit_head", unit_code="ward_ob")
        session.add(head)
        await session.flush()
        session.add(ChannelIdentity(channel="telegram", external_id="778", staff_id=head.id))
        await session.commit()
    p = ChannelPatient(service, channel, "U-praise" if channel == "line" else 4444)
    if channel == "line":
        await service.line_follow("U-praise")
        p.seen = len(await service.line.messages_to("U-praise", wait_for=3))
    else:
        await p.text("/start")
    await p.press("consent:yes")
    await p.press("compliment")
    thanked = "\n".join(m.text for m in await p.text("ขอบคุณพยาบาลห้องคลอดทุกคนมากๆเลยค่ะ ดูแลแม่กับลูกดีมาก 🙏"))
    assert "ส่งถึงห้องคลอด หลังคลอดแล้ว" in thanked and "หน่วยงานใด" not in thanked  # the name patients use
    assert any("ดูแลแม่กับลูกดีมาก" in m.text for m in await service.telegram.messages_to("778"))
    await p.press("compliment")
    asked = "\n".join(m.text for m in await p.text("คุณหมอใจดีมากค่ะ อธิบายละเอียด"))
    assert "หน่วยงานใด" in asked
    async with service.sessions() as session:
        units = [f.department_code for f in (await session.exec(select(Feedback).order_by(col(Feedback.id)))).all()]
    assert units[0] == "ward_ob"
