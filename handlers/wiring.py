"""The wiring: every flow's router included in the one root router, in the order they are tried. A new flow is a
new module with its own `router` and one line here."""

from __future__ import annotations

from handlers import (
    case_updates,
    committee,
    complaint,
    compliment,
    consent,
    drafts,
    ha_report,
    menu,
    reports,
    staff,
    survey,
    track,
)
from handlers.router import Router

PATIENT_FLOWS = (consent, survey, complaint, compliment, track, drafts)


def build_router() -> Router:
    """Every flow's registrations, in one place."""
    root = Router("root")
    for module in (menu, case_updates, reports, staff, committee, ha_report, *PATIENT_FLOWS):
        root.include(module.router)
    return root
