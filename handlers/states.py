"""Every conversation state, named once. A state is stored in `Conversation.state` as its string
("survey.item"); the flow before the dot is what an idle time-out or a withdrawal looks at (`flow_of`).
A leaf module: flows import the states of other flows from here, never the other flow's module.
"""

from __future__ import annotations

from enum import StrEnum


class MenuState(StrEnum):
    OFFER = "menu.offer"  # a free text was offered as a complaint or a compliment; the text is kept


class ConsentState(StrEnum):
    ASK = "consent.ask"  # the consent notice is shown; `next` is the flow that waits for the answer


class SurveyState(StrEnum):
    TYPE = "survey.type"
    DEPT = "survey.dept"
    DATE = "survey.date"
    ITEM = "survey.item"
    COMMENT = "survey.comment"


class ComplaintState(StrEnum):
    TEXT = "complaint.text"
    DEPT = "complaint.dept"
    CONTACT = "complaint.contact"
    PHONE = "complaint.phone"


class ComplimentState(StrEnum):
    TEXT = "compliment.text"
    DEPT = "compliment.dept"


class CommitteeState(StrEnum):
    RESOLVE = "committee.resolve"  # /resolve N asks cause, fix and prevention one message each
    REPORT_PHOTOS = "committee.report_photos"  # /report: photos of the incident may follow


ALL_STATES = (MenuState, ConsentState, SurveyState, ComplaintState, ComplimentState, CommitteeState)


def flow_of(state: str | None) -> str:
    """"survey" for "survey.item"; "" outside a flow."""
    return (state or "").partition(".")[0]
