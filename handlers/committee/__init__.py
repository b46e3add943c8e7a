"""Committee and staff commands (SPEC §6): the risk committee, the director, unit heads and staff work the
incident queue from LINE or Telegram, 1:1 or in a group, with the same slash commands and buttons.

Who may do what is the table `PERMISSIONS` below (documented for people in docs/roles.md and shown by
`/help`): the committee acts on every case; the director sees every case, adds notes, reviews, closes and
reopens; a unit head and their staff see and act on their own unit's cases (plus cases assigned to them
or reported by them). The dispatcher refuses a command whose role is missing; the unit check happens
here. Every refusal and every allowed command is written to the audit log; every change of a case also
becomes a CaseEvent through the lifecycle functions of `store.cases`.

```mermaid
stateDiagram-v2
    new --> triaged: /triage N SEV [unit] (committee)
    triaged --> triaged: /assign N unit (committee)
    triaged --> acknowledged: /ack N (unit)
    acknowledged --> resolved: /resolve N cause | action | prevention, or /resolve N and three answers (unit)
    resolved --> reviewed: /review N (committee, director)
    resolved --> closed: /close N [summary] (when no review is required)
    reviewed --> closed: /close N [summary] (committee, director)
    closed --> triaged: /reopen N (committee, director)
```

The package: `access` (permissions, scoping, refusals, audit, the router), `views` and `card` (how a
case reads), `service` (lifecycle steps, patient updates, pings), and the commands by theme: `queue`,
`lifecycle`, `reporting`, `buttons`. Importing the package registers them all on `router`.
"""

from handlers.committee import buttons, lifecycle, queue, reporting  # noqa: F401  (registers the commands)
from handlers.committee.access import PERMISSIONS, SEES_ALL, Refused, audit, router, sees, usage

__all__ = ["PERMISSIONS", "SEES_ALL", "Refused", "audit", "router", "sees", "usage"]
