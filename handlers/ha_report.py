"""The HA report in chat (issue 19): `/report-ha PERIOD` for the committee and the director, and the
committee's annotations of the indicator 6 run chart (`/note [date] text`, `/notes`, `/notes ลบ N`).

`/report-ha` answers with the risk matrix heat map + top codes as an image, a short Thai summary (incidents,
the E–I/3–5 still without review or prevention, complaint handling, indicator 6) and the run chart of
indicator 6 over three fiscal years with the annotations as numbered markers: three messages, inside LINE's
five per reply; the text stays far below Telegram's 4096 characters. Case numbers, codes and units only —
never a patient's words. Every use is audited (`report.ha`), as is every annotation added or deleted
(`indicator.note`, `indicator.note_delete`) and every refusal.

PERIOD: anything `/kpi` reads (store/indicator.py `parse_period`): 2026-11, พ.ย. 69, พฤศจิกายน 2569,
ปีงบ 2570, ไตรมาส 1 ปีงบ 2570, FY2570-Q1 …; nothing = the current fiscal year.

`/note` is shared with the case note (`/note N text`, handlers/committee/lifecycle.py): a first word that is a case
number keeps meaning the case; otherwise the committee or the director is annotating indicator 6, dated
today or by a leading date (`2026-11-15`, `2569-11-15`, `15/11/2569`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import date
from typing import Any

from sqlmodel import select

from handlers.committee.access import Refused, audit, command, usage
from handlers.messages import Outbound
from handlers.router import Router
from handlers.turn import Turn
from store.ha_report import (
    NOTE_MAX,
    HandlingRow,
    HaReport,
    add_note,
    all_notes,
    build_ha_report,
)
from store.indicator import PeriodError, parse_period
from store.models import IndicatorNote, Staff
from store.periods import BE_OFFSET, local, thai_date

log = logging.getLogger(__name__)
router = Router("ha_report")

NOTE_ROLES = frozenset({"committee", "director"})  # who annotates indicator 6 (others' /note is the case note)
BACKLOG_SHOWN = 5
NOTES_SHOWN = 20
DELETE_WORDS = ("ลบ", "del", "delete", "rm")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$|^(\d{1,2})/(\d{1,2})/(\d{4})$")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


# --- the text ------------------------------------------------------------------------------------------


def duration(t: Any, hours: float | None) -> str:
    if hours is None:
        return "–"
    if hours < 48:
        return str(t("committee.ha_hours", n=f"{hours:.1f}"))
    return str(t("committee.ha_days", n=f"{hours / 24:.1f}"))


def handling_line(t: Any, row: HandlingRow) -> str:
    severity = t("committee.ha_all") if row.severity == "all" else (
        t("committee.ha_untriaged") if row.severity == "untriaged" else row.severity)
    pct = "–" if row.within_pct is None else f"{row.within_pct:.0f}%"
    return str(t("committee.ha_handling_line", severity=severity, count=row.complaints,
                 first=duration(t, row.response_median), first90=duration(t, row.response_p90),
                 close=duration(t, row.close_median), close90=duration(t, row.close_p90), pct=pct,
                 within=row.within, judged=row.judged))


def report_text(t: Any, report: HaReport) -> str:
    """The short Thai summary sent with the chart (also what the tests read)."""
    r, h, run = report.risk, report.handling, report.run
    lines = [t("committee.ha_title", period=report.period.thai),
             t("committee.ha_counts", total=r.total, uncoded=r.uncoded, sentinel=r.sentinel)]
    if r.top:
        lines.append(t("committee.ha_top", codes=", ".join(f"{code} ({n})" for code, _, n, _ in r.top[:3])))
    if r.backlog:
        lines.append(t("committee.ha_backlog_title", count=len(r.backlog)))
        for item in r.backlog[:BACKLOG_SHOWN]:
            lines.append(t("committee.ha_backlog_line", number=item.receipt or item.number, code=item.code,
                           severity=item.severity, unit=item.unit, missing=", ".join(item.missing), days=item.days))
        if len(r.backlog) > BACKLOG_SHOWN:
            lines.append(t("committee.ha_backlog_more", count=len(r.backlog) - BACKLOG_SHOWN))
    else:
        lines.append(t("committee.ha_backlog_none"))
    if h.total.complaints:
        lines.append(t("committee.ha_handling_title", count=h.total.complaints))
        lines.extend(handling_line(t, row) for row in [*h.rows, h.total])
        lines.append(t("committee.ha_repeat", patients=h.repeat_patients, complaints=h.repeat_patient_complaints,
                       groups=len(h.repeat_groups)))
    else:
        lines.append(t("committee.ha_handling_none"))
    last = next((p for p in reversed(run.points) if p.pct is not None), None)
    if last is not None and run.median is not None:
        lines.append(t("committee.ha_indicator", month=last.label, pct=f"{last.pct:.1f}", median=f"{run.median:.1f}",
                       years=f"{run.fiscal_years[0]}–{run.fiscal_years[-1]}", notes=len(run.notes),
                       shifts=len(run.shifts)))
    else:
        lines.append(t("committee.ha_indicator_none"))
    lines.append(t("committee.ha_more"))
    return "\n".join(lines)


# --- /report-ha ------------------------------------------------------------------------------------------


@command("report-ha", router)
async def on_report_ha(turn: Turn) -> None:
    """/report-ha PERIOD: the HA report for a period, as two charts and a short text."""
    try:
        period = parse_period(turn.args.strip(), today=local(turn.services.clock()).date())
    except PeriodError:
        raise Refused("report.bad_period", "bad_period", text=turn.args[:40]) from None
    settings = turn.services.settings
    report = await build_ha_report(turn.session, period=period, now=turn.services.clock(),
                                   config=turn.hospital.indicator)
    audit(turn, "report.ha", allowed=True, period=period.label, incidents=report.risk.total,
          backlog=len(report.risk.backlog), complaints=report.handling.total.complaints)
    body = report_text(turn.t, report)
    charts = turn.services.charts
    if charts is None or charts.ha_risk is None or charts.ha_run is None:
        turn.say_text(body + "\n" + turn.t("report.chart_missing"))
        return
    try:
        pngs = [await asyncio.to_thread(draw, turn.t, report) for draw in (charts.ha_risk, charts.ha_run)]
    except charts.unavailable as exc:
        log.error("HA report charts not drawn: %s", exc)
        turn.say_text(body + "\n" + turn.t("report.chart_missing"))
        return
    base = settings.public_base_url.rstrip("/")
    for i, png in enumerate(pngs):
        path = await asyncio.to_thread(charts.save, settings.media_dir, png)
        turn.replies.append(Outbound(body if i == 0 else "", image_url=f"{base}/charts/{path.name}",
                                     image_path=str(path)))


# --- annotations -----------------------------------------------------------------------------------------


def _note_date(word: str, today: date) -> date | None:
    m = _DATE.match(word.translate(_THAI_DIGITS))
    if not m:
        return None
    year, month, day = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(5), m.group(4))
    y = int(year)
    try:
        return date(y - BE_OFFSET if y > 2400 else y, int(month), int(day))
    except ValueError:
        raise Refused("committee.note_bad_date", "bad_date", text=word[:20]) from None


@router.entry("note:indicator")
async def annotate(turn: Turn) -> None:
    """/note [date] text from the committee or the director: an annotation of indicator 6 (called by the case
    note's handler when the first word is not a case number). Others get the case note's usage."""
    assert turn.staff is not None
    if turn.staff.role not in NOTE_ROLES:
        raise usage("note")
    first, _, rest = turn.args.strip().partition(" ")
    today = local(turn.services.clock()).date()
    day = _note_date(first, today)
    text = (rest if day else turn.args).strip()
    day = day or today
    if not text:
        raise usage("note")
    if len(text) > NOTE_MAX:
        raise Refused("committee.note_too_long", "too_long", max=NOTE_MAX, chars=len(text))
    note = await add_note(turn.session, day=day, text=text, author=turn.staff, now=turn.services.clock())
    audit(turn, "indicator.note", allowed=True, target=f"indicator_note:{note.id}", day=day.isoformat(), text=text)
    turn.say("committee.note_saved", id=note.id, day=thai_date(day))


@command("notes", router)
async def on_notes(turn: Turn) -> None:
    """/notes: the annotations of indicator 6; /notes ลบ N deletes one (its author or the committee)."""
    assert turn.staff is not None
    words = turn.args.split()
    if words and words[0].lower() in DELETE_WORDS:
        await _delete(turn, words[1] if len(words) > 1 else "")
        return
    if words:
        raise usage("notes")
    notes = await all_notes(turn.session)
    audit(turn, "command.notes", allowed=True, count=len(notes))
    if not notes:
        turn.say("committee.notes_empty")
        return
    authors = {s.id: s.display_name for s in (await turn.session.exec(select(Staff))).all()}
    shown_notes = notes[-NOTES_SHOWN:]
    lines = [turn.t("committee.notes_title", count=len(notes))]
    lines += [turn.t("committee.notes_line", id=n.id, day=thai_date(n.day), text=n.text,
                     author=authors.get(n.author_staff_id, "-")) for n in shown_notes]
    turn.say_text("\n".join(lines))


async def _delete(turn: Turn, word: str) -> None:
    assert turn.staff is not None
    number = word.lstrip("#").translate(_THAI_DIGITS)
    if not number.isdigit():
        raise usage("notes")
    note = await turn.session.get(IndicatorNote, int(number))
    if note is None:
        raise Refused("committee.note_not_found", "not_found", id=number)
    if turn.staff.role != "committee" and note.author_staff_id != turn.staff.id:
        raise Refused("committee.note_not_yours", "not_author", id=number)
    audit(turn, "indicator.note_delete", allowed=True, target=f"indicator_note:{note.id}", day=note.day.isoformat(),
          text=note.text, author_staff_id=note.author_staff_id)
    await turn.session.delete(note)
    turn.say("committee.note_deleted", id=number)
