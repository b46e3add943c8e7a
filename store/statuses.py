"""The case statuses (SPEC §5) and the named sets of them that every layer uses: one definition, so the
committee's queue, the lifecycle checks, the indicator, the "needs a look" list, the reminders and the
privacy purge can no longer disagree on what "open" means.

    new → triaged → acknowledged → resolved → reviewed → closed;   rejected / duplicate from new…acknowledged
    a complaint whose patient can be reached: resolved/reviewed → awaiting_patient → closed (the patient confirms
    the fix or is silent for the policy's patient_confirm_within), or → triaged ("not fixed", once)

Two different questions get two different names:
- OPEN / FINISHED: is anything still to be done on the case at all? (closed, rejected and duplicate are
  finished; a resolved case still waits for its review or its closing, so it is open.)
- UNRESOLVED: is the unit's corrective action still owed? (new, triaged, acknowledged.)

The transition table (`VERBS`, read as `TABLE`: status → verb → roles) is the one statement of which step
each role may take in which status: the staff commands' permissions, the case cards' buttons, store.cases'
status checks and RESOLVABLE / CLOSABLE / REOPENABLE are read from it.

A leaf module (imports nothing of the project) so store/, handlers/ and bot/ can all import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CaseStatus(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    REVIEWED = "reviewed"
    AWAITING_PATIENT = "awaiting_patient"  # closed by the committee; closed for good when the patient confirms
    CLOSED = "closed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


ALL: frozenset[str] = frozenset(CaseStatus)
# Nothing more to do: the queue, the reminders and the "needs a look" list leave these out.
FINISHED: frozenset[str] = frozenset({CaseStatus.CLOSED, CaseStatus.REJECTED, CaseStatus.DUPLICATE})
OPEN: frozenset[str] = ALL - FINISHED
# Not a case at all (recurrence counts leave them out).
VOID: frozenset[str] = frozenset({CaseStatus.REJECTED, CaseStatus.DUPLICATE})
# The corrective action is still owed: may be triaged, assigned or rejected; counts as "not resolved".
UNRESOLVED: frozenset[str] = frozenset({CaseStatus.NEW, CaseStatus.TRIAGED, CaseStatus.ACKNOWLEDGED})

# --- the transition table: status → verb → roles -------------------------------------------------------------
# Every step on a case is a verb with the roles that may take it, the statuses it is accepted in (store.cases
# refuses any other) and the statuses whose card offers it as the next step (a button; the others are typed or
# come from elsewhere). The staff commands' permissions, the cards' buttons, store.cases' status checks and the
# named sets below are all read from here.

COMMITTEE = frozenset({"committee"})
REVIEWERS = frozenset({"committee", "director"})  # the committee and the director see and decide every case
UNIT_WORK = frozenset({"committee", "unit_head", "staff"})  # the unit's own steps (and the committee's)
ALL_STAFF = frozenset({"committee", "director", "unit_head", "staff"})
PATIENT = frozenset({"patient"})  # the complainant, in their own chat
SYSTEM = frozenset({"system"})  # the sweeper


@dataclass(frozen=True, slots=True)
class Verb:
    name: str  # the staff command and the case button's action (case:NAME:N), where there is one
    roles: frozenset[str]
    accepts: frozenset[str]  # the statuses the step may be taken in
    offered: frozenset[str] = frozenset()  # the statuses whose card shows it as a button (a subset of accepts)
    leads_to: frozenset[str] = frozenset()  # where it may leave the case (empty: the status is unchanged)


_S = CaseStatus
VERBS: dict[str, Verb] = {v.name: v for v in (
    # regrading a triaged or acknowledged case is typed (/triage N SEV); the button is for new cases only
    Verb("triage", COMMITTEE, UNRESOLVED, frozenset({_S.NEW}), frozenset({_S.TRIAGED})),
    Verb("assign", COMMITTEE, UNRESOLVED),
    Verb("ack", UNIT_WORK, frozenset({_S.TRIAGED}), frozenset({_S.TRIAGED}), frozenset({_S.ACKNOWLEDGED})),
    Verb("note", ALL_STAFF, ALL),
    Verb("resolve", UNIT_WORK, frozenset({_S.TRIAGED, _S.ACKNOWLEDGED}), frozenset({_S.ACKNOWLEDGED}),
         frozenset({_S.RESOLVED})),
    Verb("review", REVIEWERS, frozenset({_S.RESOLVED}), frozenset({_S.RESOLVED}), frozenset({_S.REVIEWED})),
    # a resolved case needing a review (or RCA) is refused closing until reviewed (store.cases.close);
    # a complaint whose patient can be reached goes to awaiting_patient instead of closed
    Verb("close", REVIEWERS, frozenset({_S.RESOLVED, _S.REVIEWED}), frozenset({_S.RESOLVED, _S.REVIEWED}),
         frozenset({_S.CLOSED, _S.AWAITING_PATIENT})),
    Verb("reopen", REVIEWERS, ALL - UNRESOLVED, FINISHED | {_S.AWAITING_PATIENT}, frozenset({_S.NEW, _S.TRIAGED})),
    Verb("reject", COMMITTEE, UNRESOLVED, leads_to=frozenset({_S.REJECTED})),
    Verb("duplicate", COMMITTEE, UNRESOLVED, leads_to=frozenset({_S.DUPLICATE})),
    # the patient answers the fix summary (fix:N:ok / fix:N:no); "not fixed" reopens once, later only notes it
    Verb("confirm", PATIENT, frozenset({_S.AWAITING_PATIENT}), leads_to=frozenset({_S.CLOSED})),
    Verb("not_fixed", PATIENT, frozenset({_S.AWAITING_PATIENT, _S.CLOSED}), leads_to=frozenset({_S.NEW, _S.TRIAGED})),
    # no answer by confirm_due_at: the sweeper closes it
    Verb("auto_close", SYSTEM, frozenset({_S.AWAITING_PATIENT}), leads_to=frozenset({_S.CLOSED})),
)}
del _S

# status → verb → roles: what each status allows whom.
TABLE: dict[str, dict[str, frozenset[str]]] = {
    status: {v.name: v.roles for v in VERBS.values() if status in v.accepts} for status in CaseStatus
}


def may(verb: str, status: str, role: str | None) -> bool:
    """May `role` take step `verb` on a case in `status`? (The unit scoping — whose case it is — comes on top.)"""
    step = VERBS[verb]
    return role in step.roles and status in step.accepts


def offered(status: str, role: str | None) -> list[str]:
    """The next steps a case card in `status` offers `role`, in the table's order."""
    return [v.name for v in VERBS.values() if status in v.offered and role in v.roles]


# Graded and not yet resolved: the resolve deadline runs; /resolve accepts it.
RESOLVABLE: frozenset[str] = VERBS["resolve"].accepts
# Resolved (reviewed or not) and not yet closed: /close accepts it.
CLOSABLE: frozenset[str] = VERBS["close"].accepts
# Anything past the corrective action: /reopen accepts it.
REOPENABLE: frozenset[str] = VERBS["reopen"].accepts
