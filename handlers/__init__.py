"""Patient flows and committee commands, channel-neutral. All wiring happens in `build_router`."""

from __future__ import annotations

from handlers.router import Router


def build_router() -> Router:
    """Every flow's registrations, in one place."""
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

    root = Router("root")
    patient_flows = (consent, survey, complaint, compliment, track, drafts)
    for module in (menu, case_updates, reports, staff, committee, ha_report, *patient_flows):
        root.include(module.router)
    return root
