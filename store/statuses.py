"""The case statuses (SPEC §5) and the named sets of them that every layer uses: one definition, so the
committee's queue, the lifecycle checks, the indicator, the "needs a look" list, the reminders and the
privacy purge can no longer disagree on what "open" means.

    new → triaged → acknowledged → resolved → reviewed → closed;   rejected / duplicate from new…acknowledged

Two different questions get two different names:
- OPEN / FINISHED: is anything still to be done on the case at all? (closed, rejected and duplicate are
  finished; a resolved case still waits for its review or its closing, so it is open.)
- UNRESOLVED: is the unit's corrective action still owed? (new, triaged, acknowledged.)

A leaf module (imports nothing of the project) so store/, handlers/ and bot/ can all import it.
"""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    REVIEWED = "reviewed"
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
# Graded and not yet resolved: the resolve deadline runs; /resolve accepts it.
RESOLVABLE: frozenset[str] = frozenset({CaseStatus.TRIAGED, CaseStatus.ACKNOWLEDGED})
# Resolved (reviewed or not) and not yet closed: /close accepts it.
CLOSABLE: frozenset[str] = frozenset({CaseStatus.RESOLVED, CaseStatus.REVIEWED})
# Anything past the corrective action: /reopen accepts it.
REOPENABLE: frozenset[str] = ALL - UNRESOLVED
