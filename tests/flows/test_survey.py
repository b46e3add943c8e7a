"""The satisfaction survey end to end: answers, indicator means, engagement items, re-prompts, cancel,
idle time-out, restart, dates, and the low-score complaint offer."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import select

from handlers import build_router
from handlers.dispatch import Dispatcher
from handlers.services import Services
from handlers.survey import SurveyConfigError, load_survey
from store.models import Case, Conversation, Feedback, SurveyItemScore, SurveyResponse
from tests.flows.chat import Chat
from tests.support import MovableClock


async def start_survey(chat: Chat, *, consent: bool = True, kind: str = "opd", dept: str = "pharmacy") -> None:
    await chat.follow()
    await chat.press("ยินยอม" if consent else "ไม่ยินยอม")
    await chat.press("survey")
    await chat.press(f"survey:type:{kind}")
    await chat.press(f"survey:dept:{dept}")
    await chat.press("survey:date:today")


async def answer_all(chat: Chat, score: int | list[int] = 4) -> int:
    """Press a score for every question; returns how many were asked."""
    asked = 0
    while any(b.payload.startswith("survey:s:") for b in chat.buttons):
        value = score if isinstance(score, int) else score[asked % len(score)]
        await chat.press(f"{value} ")
        asked += 1
    return asked


async def responses(chat: Chat) -> list[SurveyResponse]:
    async with chat.db() as session:
        return list((await session.exec(select(SurveyResponse))).all())


async def state(chat: Chat) -> str | None:
    async with chat.db() as session:
        return (await session.exec(select(Conversation))).one().state


async def test_opd_survey_is_stored_with_dimension_means_and_engagement(chat: Chat) -> None:
    """OPD → department → today → every item → comment: one response with the three dimension means,
    mean_score over them only, overall, return/recommend, and engagement items on their four levels."""
    await start_survey(chat)
    assert chat.said.startswith("📋")  # the first section's title, then question 1
    scores = [5, 4, 3, 5, 4, 3, 5, 5, 5, 3, 4, 4, 4, 4, 5, 5]  # 9 dimension items, overall, 4 engagement, 2
    asked = await answer_all(chat, scores)
    assert asked == 16
    assert "ข้อสุดท้าย" in chat.said
    await chat.text("บริการดีมาก ห้องน้ำสะอาด")
    assert "บันทึกผลการประเมินเรียบร้อย" in chat.texts[0]
    (response,) = await responses(chat)
    assert (response.service_type, response.department_code) == ("opd", "pharmacy")
    assert response.visit_date == date(2026, 11, 26)  # 09:00 in Bangkok on the test clock
    assert response.process_mean == 4.0 and response.staff_mean == 4.0 and response.facility_mean == 5.0
    assert response.mean_score == pytest.approx(39 / 9, abs=1e-4)
    assert (response.overall, response.would_return, response.would_recommend) == (3, 5, 5)
    assert response.patient_id is not None and response.comment == "บริการดีมาก ห้องน้ำสะอาด"
    async with chat.db() as session:
        items = (await session.exec(select(SurveyItemScore))).all()
        comment = (await session.exec(select(Feedback))).one()
    dims = {i.dimension for i in items}
    assert {"process", "staff", "facility", "confidence", "integrity", "pride", "passion"} <= dims
    assert len(items) == 13
    assert comment.kind == "comment" and comment.survey_response_id == response.id
    assert comment.sentiment == response.sentiment == "pos"
    assert await state(chat) is None


async def test_item_scores_are_one_statement(chat: Chat) -> None:
    """The comment that ends a survey stores its 13 item scores with one INSERT (an executemany), not one
    statement per row (the ORM's row-by-row INSERT … RETURNING on SQLite), and all 13 are there."""
    await start_survey(chat)
    await answer_all(chat, 4)
    inserts: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.startswith("INSERT INTO survey_item_scores"):
            inserts.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        await chat.text("บริการดีมาก")
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    assert "บันทึกผลการประเมินเรียบร้อย" in chat.texts[0]
    assert len(inserts) == 1
    async with chat.db() as session:
        items = (await session.exec(select(SurveyItemScore))).all()
    assert len(items) == 13 and {i.score for i in items} == {4}


async def test_score_reprompts_lose_nothing(chat: Chat) -> None:
    """Letters, 0, 9, a sticker and a photo where a score is expected get a clear Thai re-prompt;
    Thai digits and words count; earlier answers are kept."""
    await start_survey(chat)
    await chat.press("5 ")
    await chat.text("ดีมาก")
    assert "ตัวเลข 1–5" in chat.texts[0] and "ข้อ 2/" in chat.texts[-1]
    await chat.text("0")
    assert "ให้คะแนนได้ 1–5" in chat.texts[0]
    await chat.text("9")
    assert "ให้คะแนนได้ 1–5" in chat.texts[0]
    await chat.sticker()
    assert "คะแนน 1–5" in chat.texts[0] and len(chat.buttons) == 5
    await chat.photo()
    assert "คะแนน 1–5" in chat.texts[0] and "ข้อ 2/" in chat.texts[-1]
    await chat.text("๔")
    assert "ข้อ 3/" in chat.said
    await chat.text("สาม")
    assert "ข้อ 4/" in chat.said
    await chat.payload("survey:s:1:1")  # a double tap on question 2's button: ignored, question 4 again
    assert "ข้อก่อนหน้า" in chat.texts[0] and "ข้อ 4/" in chat.texts[-1]
    async with chat.db() as session:
        conversation = (await session.exec(select(Conversation))).one()
    assert conversation.data["answers"] == {"process_steps": 5, "process_waiting": 4, "process_explain": 3}


async def test_cancel_mid_survey_saves_nothing(chat: Chat) -> None:
    """ยกเลิก in the middle ends the survey politely, shows the menu and stores no response."""
    await start_survey(chat)
    await chat.press("4 ")
    await chat.text("ยกเลิก")
    assert chat.texts[0].startswith("ยกเลิกเรียบร้อย") and chat.buttons[0].payload == "survey"
    assert await responses(chat) == [] and await state(chat) is None


async def test_idle_timeout_mid_survey(chat: Chat, services: Services, clock: MovableClock) -> None:
    """After the idle time the survey is closed politely; a late '5' is not taken as an answer."""
    await start_survey(chat)
    await chat.press("4 ")
    clock.advance(minutes=services.settings.conversation_idle_minutes + 1)
    await chat.text("5")
    assert chat.texts[0].startswith("ไม่ได้รับคำตอบมาสักพัก")
    assert await state(chat) is None and await responses(chat) == []


async def test_restart_mid_survey_continues(chat: Chat, services: Services) -> None:
    """A new Dispatcher on the same database (a restart) carries on at the same question."""
    await start_survey(chat)
    await chat.press("5 ")
    await chat.press("4 ")
    chat.dispatcher = Dispatcher(build_router(), services)
    await chat.text("3")
    assert "ข้อ 4/" in chat.said
    await answer_all(chat, 4)
    await chat.press("ข้าม")
    (response,) = await responses(chat)
    assert response.process_mean == 4.0 and response.comment is None


async def test_dates_typed_picked_and_refused(chat: Chat) -> None:
    """The LINE date picker's date, a typed B.E. date and เมื่อวาน work; a future or garbled date is re-asked."""
    await chat.follow()
    await chat.press("ไม่ยินยอม")
    await chat.press("survey")
    await chat.text("ผู้ป่วยใน")
    assert "หอผู้ป่วย" in chat.texts[0]
    await chat.text("2")  # the second ward in the list
    await chat.text("32/13/2569")
    assert "อ่านวันที่ไม่ออก" in chat.texts[0]
    await chat.text("1/1/2570")
    assert "ไม่เกินวันนี้" in chat.texts[0]
    picker = chat.find("survey:date:pick")
    assert picker.kind == "date"
    await chat.payload("survey:date:pick", date="2026-11-20")
    assert "ข้อ 1/17" in chat.said  # IPD: food, ward and discharge advice instead of parking, signs, waiting
    await answer_all(chat, 5)
    await chat.press("ข้าม")
    (response,) = await responses(chat)
    assert (response.service_type, response.department_code) == ("ipd", "ward_med")
    assert response.visit_date == date(2026, 11, 20)
    assert response.patient_id is None  # declined consent: kept anonymously
    assert "ไม่ระบุตัวตน" in chat.texts[0]


async def test_typed_thai_date(chat: Chat) -> None:
    """'25/11/2569' (B.E.) is 25 November 2026."""
    await chat.follow()
    await chat.press("ยินยอม")
    await chat.press("survey")
    await chat.press("survey:type:opd")
    await chat.text("เภสัช")
    await chat.text("25/11/2569")
    await answer_all(chat, 3)
    await chat.press("ข้าม")
    (response,) = await responses(chat)
    assert response.visit_date == date(2026, 11, 25) and response.department_code == "pharmacy"


async def test_low_scores_offer_a_complaint_with_the_comment(chat: Chat) -> None:
    """Low scores → the complaint offer; accepting carries the comment and department into a case."""
    await start_survey(chat, dept="opd")
    await answer_all(chat, 1)
    await chat.text("ห้องน้ำสกปรกมาก ไม่มีใครมาทำความสะอาด")
    assert "เรื่องร้องเรียน" in chat.said
    await chat.press("ร้องเรียนเรื่องนี้")
    assert "ห้องน้ำสกปรกมาก" in chat.texts[0]
    await chat.press("ส่งเรื่อง")
    assert "ติดต่อกลับ" in chat.texts[0]  # department known from the survey: straight to contact
    await chat.press("ไม่ประสงค์ออกนาม")
    assert "เลขที่เรื่อง: 2570-0001" in chat.said
    async with chat.db() as session:
        case = (await session.exec(select(Case))).one()
        feedback = await session.get(Feedback, case.feedback_id)
    assert feedback is not None and feedback.survey_response_id == (await responses(chat))[0].id
    assert feedback.department_code == "opd" and feedback.anonymous


async def test_low_scores_without_comment_still_offer(chat: Chat) -> None:
    """All 2s and no comment: the offer comes and starts an empty complaint for this department."""
    await start_survey(chat)
    await answer_all(chat, 2)
    await chat.press("ข้าม")
    await chat.press("ร้องเรียนเรื่องนี้")
    assert "เล่ารายละเอียด" in chat.texts[0]


def test_survey_file_is_checked(tmp_path) -> None:
    """A broken survey file is refused with the reason; the shipped one has several items per dimension."""
    config = load_survey()
    for dimension in ("process", "staff", "facility"):
        assert sum(1 for i in config.items if i.dimension == dimension) >= 3
    (tmp_path / "survey.toml").write_text(
        '[[service_type]]\ncode = "opd"\nlabel = "OPD"\n[[item]]\ncode = "a"\ndimension = "process"\ntext = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(SurveyConfigError, match="staff"):
        load_survey(tmp_path)


async def test_typed_skip_is_not_a_comment(chat: Chat) -> None:
    """Typing ไม่มี at the comment step skips it instead of saving 'ไม่มี' as feedback."""
    await start_survey(chat)
    await answer_all(chat, 5)
    await chat.text("ไม่มีครับ")
    (response,) = await responses(chat)
    assert response.comment is None
