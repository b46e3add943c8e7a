"""The case card (/case N and the view button): the details, the text in pages, photos, contact, timeline."""

from __future__ import annotations

from urllib.parse import quote

from sqlmodel import col, select

from handlers.committee.access import SEES_ALL, audit
from handlers.committee.views import (
    next_buttons,
    nlp_lines,
    overdue,
    severity_text,
    staff_names,
    topic_label,
    topic_unit,
    unit_names,
    view_button,
)
from handlers.messages import Button, Channel
from handlers.payloads import pack
from handlers.turn import Turn
from store.models import Case, CaseEvent, Feedback, MediaFile, Patient, TagCorrection
from store.periods import thai_date
from store.staff import committee_group
from store.statuses import CaseStatus

VIEW_BUTTONS = 5
TEXT_LIMIT = 600  # of the case card; the whole text follows in pages (/case N 2, 3 …)
PAGE_CHARS = 3000  # one page of a long text: well inside Telegram's 4096 and LINE's 5000 characters


async def case_text_allowed(turn: Turn) -> bool:
    """Case details (the complaint's words, tags, timeline) go to a 1:1 chat or a registered committee group
    only: in any other group everyone present would read them."""
    if not turn.inbound.is_group:
        return True
    found = await committee_group(turn.session, channel=str(turn.inbound.channel), chat_id=turn.inbound.chat_id)
    return found is not None


def private_chat_button(turn: Turn, case: Case) -> list[Button]:
    """A button opening the case in the staff member's 1:1 chat with the bot, where the platform allows it."""
    label = turn.t("button.open_private")
    settings = turn.services.settings
    if turn.inbound.channel == Channel.LINE and settings.line_bot_basic_id:
        text = quote(f"/case {case.number}")
        return [Button(label, f"https://line.me/R/oaMessage/{quote(settings.line_bot_basic_id)}/?{text}", "url")]
    if turn.inbound.channel == Channel.TELEGRAM and settings.telegram_bot_username:
        return [Button(label, f"https://t.me/{settings.telegram_bot_username}?start=case-{case.number}", "url")]
    return []


async def view_case(turn: Turn, case: Case, page: int = 0, **detail: object) -> None:
    """/case N [page] and the view and page buttons: the case where it may be read, else the way to a private
    chat."""
    if not await case_text_allowed(turn):
        audit(turn, "command.case", allowed=False, target=f"case:{case.number}", reason="not_committee_group",
              **detail)
        turn.say("committee.case_private", number=case.number, buttons=private_chat_button(turn, case))
        return
    audit(turn, "command.case", allowed=True, target=f"case:{case.number}", page=page, **detail)
    await show_case(turn, case, page)


def text_pages(text: str) -> list[str]:
    """A long text in pages of at most PAGE_CHARS, cut at a space or line break where there is one."""
    pages = []
    while len(text) > PAGE_CHARS:
        cut = max(text.rfind(" ", PAGE_CHARS // 2, PAGE_CHARS), text.rfind("\n", PAGE_CHARS // 2, PAGE_CHARS))
        cut = cut if cut > 0 else PAGE_CHARS
        pages.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pages, text]


def page_button(turn: Turn, case: Case, page: int) -> Button:
    return Button(turn.t("committee.button_page", page=page), pack("case", "page", case.number, str(page)))


async def show_case(turn: Turn, case: Case, page: int = 0) -> None:
    """The case card; with `page` ≥ 1 only that page of the complainant's whole text. Callers have checked
    `case_text_allowed`."""
    units = await unit_names(turn)
    feedback = await turn.session.get(Feedback, case.feedback_id) if case.feedback_id else None
    whole = feedback.text if feedback is not None else (case.summary or "")
    if page >= 1:
        pages = text_pages(whole or "-")
        page = min(page, len(pages))
        more = [page_button(turn, case, page + 1)] if page < len(pages) else []
        turn.say_text(turn.t("committee.case_page", number=case.number, page=page, pages=len(pages)) + "\n"
                      + pages[page - 1], buttons=[*more, view_button(turn, case)])
        return
    events = (await turn.session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(col(CaseEvent.at), col(CaseEvent.id))
    )).all()
    names = await staff_names(turn, {e.actor_staff_id for e in events} | {case.assignee_staff_id})
    lines = [
        turn.t("committee.case_title", number=case.number, kind=turn.t(f"committee.kind.{case.kind}"),
               source=turn.t(f"committee.source.{case.source}")),
        turn.t("committee.case_status", status=turn.t(f"committee.status.{case.status}"),
               severity=severity_text(turn, case), unit=units.get(case.unit_code or "", turn.t("committee.no_unit")),
               overdue=turn.t("committee.overdue_mark") if overdue(turn, case) else ""),
    ]
    if feedback is not None and (feedback.department_code or case.primary_topic):
        suggested = topic_unit(turn, case.primary_topic)
        if feedback.department_code and suggested and suggested != feedback.department_code:
            lines.append(turn.t("committee.case_units", chosen=units.get(feedback.department_code, "-"),
                                suggested=units.get(suggested, "-")))
        elif feedback.department_code:
            lines.append(turn.t("committee.case_unit_chosen", chosen=units.get(feedback.department_code, "-")))
    paged = len(whole) > TEXT_LIMIT
    if whole:
        cut = whole[:TEXT_LIMIT] + "…" if paged else whole
        lines.append(turn.t("committee.case_text", text=cut))
        if paged:
            lines.append(turn.t("committee.case_text_more", chars=len(whole), number=case.number,
                                pages=len(text_pages(whole))))
    if feedback is not None and feedback.topics:
        tags = []
        for tag in feedback.topics:
            evidence = tag.get("evidence") or []
            if isinstance(evidence, str):
                evidence = [evidence]
            tags.append(turn.t("committee.case_tag", topic=topic_label(turn, tag.get("code")),
                               evidence=", ".join(f"“{e}”" for e in evidence[:3]) or "-"))
        lines.append(turn.t("committee.case_tags", tags="; ".join(tags)))
    correction = (await turn.session.exec(
        select(TagCorrection).where(TagCorrection.feedback_id == feedback.id).order_by(col(TagCorrection.id).desc())
    )).first() if feedback is not None else None
    if correction is not None:
        lines.append(turn.t("committee.case_tags_corrected",
                            topics=", ".join(topic_label(turn, c) for c in correction.topics) or "-"))
    lines.extend(nlp_lines(turn, case, feedback))
    if feedback is not None and feedback.sentiment:
        lines.append(turn.t("committee.case_sentiment", sentiment=turn.t(f"committee.sentiment.{feedback.sentiment}")))
    if feedback is not None and feedback.contact_consent and turn.staff is not None and turn.staff.role in SEES_ALL:
        lines.append(await _contact_line(turn, case))
    media = (await turn.session.exec(select(MediaFile).where(MediaFile.case_id == case.id))).all()
    if media:
        lines.append(turn.t("committee.case_media", count=len(media)))
    if case.report_due_at or case.resolve_due_at:
        lines.append(turn.t("committee.case_deadlines",
                            report=thai_date(case.report_due_at) if case.report_due_at else "-",
                            resolve=thai_date(case.resolve_due_at) if case.resolve_due_at else "-"))
    if case.status == CaseStatus.AWAITING_PATIENT and case.confirm_due_at is not None:
        lines.append(turn.t("committee.case_awaiting", due=thai_date(case.confirm_due_at)))
    if case.review_required and case.review_required != "none":
        lines.append(turn.t(f"committee.review_required.{case.review_required}"))
    if case.cause or case.action or case.prevention:
        lines.append(turn.t("committee.case_fix", cause=case.cause or "-", action=case.action or "-",
                            prevention=case.prevention or "-"))
    if case.approved_summary:
        lines.append(turn.t("committee.case_summary", summary=case.approved_summary))
    if case.handling_rating:
        lines.append(turn.t("committee.case_rating", rating=case.handling_rating))
    lines.append(turn.t("committee.case_timeline"))
    for event in events:
        who = names.get(event.actor_staff_id or -1) or turn.t(f"committee.actor.{event.actor_kind}")
        action_key = f"committee.action.{event.action}"
        action = turn.t(action_key) if turn.services.catalogue.has(action_key) else event.action
        severity, unit = event.detail.get("severity"), event.detail.get("unit")
        extra = (turn.t("committee.event_severity", severity=severity) if severity else "") \
            + (turn.t("committee.event_unit", unit=units.get(str(unit), str(unit))) if unit else "") \
            or event.detail.get("text") or event.detail.get("code") or ""
        lines.append(turn.t("committee.case_event", at=thai_date(event.at), action=action, who=who,
                            extra=f" {str(extra)[:80]}" if extra else ""))
    buttons = next_buttons(turn, case)
    turn.say_text("\n".join(lines), buttons=[page_button(turn, case, 1), *buttons] if paged else buttons)


async def _contact_line(turn: Turn, case: Case) -> str:
    """The complainant agreed to be called back: the committee and director see the phone number, but only in
    their 1:1 chat — never in a group, where others read along."""
    if turn.inbound.is_group:
        return turn.t("committee.contact_in_private")
    patient = await turn.session.get(Patient, case.patient_id) if case.patient_id else None
    return turn.t("committee.contact", phone=(patient.phone if patient and patient.phone else "-"))
