"""Tables of the whole product, in the hospital's words.

Every timestamp is timezone-aware UTC (`UTCDateTime`); Asia/Bangkok is only for display.
Indexes follow the queries the service makes: the webhook inbox by status, the outbox by due time,
cases by status and deadline, reminders by due time, survey responses by service type and date.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from store.types import UTCDateTime, utcnow


def _ts(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_type=UTCDateTime, index=index, nullable=nullable)


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


# --- people -------------------------------------------------------------------------------------


class Unit(SQLModel, table=True):
    """A department, ward or team that owns cases (งาน / หน่วยงาน / หอผู้ป่วย)."""

    __tablename__ = "units"

    code: str = Field(primary_key=True, max_length=32)
    name_th: str = Field(max_length=200)
    kind: str = Field(default="unit", max_length=16)  # unit | opd | ipd (survey department lists)
    active: bool = True


class Patient(SQLModel, table=True):
    """A patient or relative who talks to the hospital; identities live in ChannelIdentity."""

    __tablename__ = "patients"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = _created()
    display_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=32)
    consent: str = Field(default="none", max_length=16)  # none | given | declined | withdrawn
    consent_at: datetime | None = _ts()
    last_seen_at: datetime | None = _ts(index=True)
    erased_at: datetime | None = _ts()


class Staff(SQLModel, table=True):
    """A registered staff member with one role; a unit head and staff belong to a unit."""

    __tablename__ = "staff"

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(default="", max_length=200)
    role: str = Field(max_length=16, index=True)  # committee | director | unit_head | staff
    unit_code: str | None = Field(default=None, foreign_key="units.code", max_length=32, index=True)
    active: bool = True
    created_at: datetime = _created()
    revoked_at: datetime | None = _ts()


class ChannelIdentity(SQLModel, table=True):
    """One user id on one channel, bound to a patient or to a staff member."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_identity_channel_external"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    external_id: str = Field(max_length=128)
    patient_id: int | None = Field(default=None, foreign_key="patients.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    followed: bool = True
    created_at: datetime = _created()


class ConsentRecord(SQLModel, table=True):
    """Every consent given, declined or withdrawn, with the notice version shown (PDPA)."""

    __tablename__ = "consent_records"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patients.id", index=True)
    purpose: str = Field(max_length=32)  # health_data | contact
    granted: bool
    notice_version: str = Field(max_length=32)
    channel: str = Field(max_length=16)
    at: datetime = _created()


class StaffInvite(SQLModel, table=True):
    """A one-time registration code; only its hash is stored."""

    __tablename__ = "staff_invites"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    role: str = Field(max_length=16)
    unit_code: str | None = Field(default=None, foreign_key="units.code", max_length=32)
    created_at: datetime = _created()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = _ts()
    staff_id: int | None = Field(default=None, foreign_key="staff.id")


class LoginToken(SQLModel, table=True):
    """A one-time dashboard sign-in link sent to a staff member in chat."""

    __tablename__ = "login_tokens"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    created_at: datetime = _created()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = _ts()


# --- conversations and transport -----------------------------------------------------------------


class Conversation(SQLModel, table=True):
    """Where one user is in a flow, per chat; survives restarts."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "chat_id", "user_id", name="uq_conversation_chat_user"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=128)
    user_id: str = Field(max_length=128)
    state: str | None = Field(default=None, max_length=64)
    data: dict[str, Any] = _json()
    updated_at: datetime = _created()
    expires_at: datetime | None = _ts(index=True)


class CoreRow:
    """A row read with Core for an inbox batch (bot/pipeline.py `_known`), not an ORM object: the handlers read
    and change the same attributes as on the ORM's class, and the batch writes the rows they changed in its one
    statement. Its `STATE` values as read are kept to tell what changed; like the ORM, it sees a change only when
    an attribute is set (a flow's `data` is replaced, never changed in place: handlers/turn.py)."""

    __slots__ = ("_read",)
    COLUMNS: tuple[str, ...] = ()  # the constructor's arguments, in this order (the batch's SELECT lists them so)
    STATE: tuple[str, ...] = ()  # what a turn may change (the columns the batch writes back): COLUMNS' last ones
    _read: tuple[Any, ...]

    def __init__(self, *values: Any) -> None:  # replaced in each subclass (`__init_subclass__`)
        raise TypeError("a CoreRow subclass")

    def __init_subclass__(cls) -> None:
        """An `__init__(self, <COLUMNS>)` written out for each kind of row, as dataclasses do: a dozen of them per
        batch, and a loop of `setattr` cost twice as much (4 % of the batch's own work in the profile)."""
        assert cls.COLUMNS[len(cls.COLUMNS) - len(cls.STATE):] == cls.STATE  # `_read` is the last arguments
        source = (f"def __init__(self, {', '.join(cls.COLUMNS)}):\n"
                  + "".join(f"    self.{name} = {name}\n" for name in cls.COLUMNS)
                  + f"    self._read = ({''.join(f'{name}, ' for name in cls.STATE)})\n")
        namespace: dict[str, Any] = {}
        exec(source, namespace)  # noqa: S102  # the class's own column names, nothing from outside
        cls.__init__ = namespace["__init__"]  # type: ignore[method-assign]

    def changes(self) -> dict[str, Any]:
        """The `STATE` columns set since the row was read, with their new values (a dict counts as changed when
        it is another object: a replaced flow's data)."""
        return {name: value for name, old in zip(self.STATE, self._read, strict=True)
                if (value := getattr(self, name)) is not old and (isinstance(value, dict) or value != old)}

    def changed(self) -> bool:
        return bool(self.changes())


class ConversationRow(CoreRow):
    """A `conversations` row of an inbox batch; the batch writes every `STATE` column of a changed one (only the
    worker holding the chat's event writes its conversation)."""

    __slots__ = ("channel", "chat_id", "data", "expires_at", "id", "state", "updated_at", "user_id")
    STATE = ("state", "data", "updated_at", "expires_at")
    COLUMNS = ("id", "channel", "chat_id", "user_id", *STATE)
    id: int
    channel: str
    chat_id: str
    user_id: str
    state: str | None
    data: dict[str, Any]
    updated_at: datetime
    expires_at: datetime | None


class IdentityRow(CoreRow):
    """A `channel_identities` row of an inbox batch. The batch writes only the columns a turn set (a follow, a new
    patient, a staff registration), so a change made meanwhile by another transaction to the others stays."""

    __slots__ = ("channel", "created_at", "external_id", "followed", "id", "patient_id", "staff_id")
    STATE = ("patient_id", "staff_id", "followed")
    COLUMNS = ("id", "channel", "external_id", "created_at", *STATE)
    id: int
    channel: str
    external_id: str
    created_at: datetime
    patient_id: int | None
    staff_id: int | None
    followed: bool


class PatientRow(CoreRow):
    """A `patients` row of an inbox batch (the sender's, `Turn.patient`). The batch writes only the columns a turn
    set (consent, a phone left with a complaint), so an erasure committed meanwhile is not written over."""

    __slots__ = ("consent", "consent_at", "created_at", "display_name", "erased_at", "id", "last_seen_at", "phone")
    STATE = ("display_name", "phone", "consent", "consent_at")
    COLUMNS = ("id", "created_at", "last_seen_at", "erased_at", *STATE)
    id: int
    created_at: datetime
    last_seen_at: datetime | None
    erased_at: datetime | None
    display_name: str | None
    phone: str | None
    consent: str
    consent_at: datetime | None


AnyConversation = Conversation | ConversationRow  # what a turn works on (the batch's rows, or the ORM's)
AnyIdentity = ChannelIdentity | IdentityRow
AnyPatient = Patient | PatientRow


def unfinished(leased: str) -> dict[str, Any]:
    """The WHERE of a queue's partial indexes: rows pending or leased (written out as literals, so that
    SQLite can match it against the claim query, store/leases.py `unfinished_status`)."""
    where = text(f"status IN ('pending', '{leased}')")
    return {"sqlite_where": where, "postgresql_where": where}


class InboundEvent(SQLModel, table=True):
    """The webhook inbox: every accepted platform event, stored before the platform gets its 200."""

    __tablename__ = "inbound_events"
    __table_args__ = (
        UniqueConstraint("channel", "event_id", name="uq_inbound_channel_event"),
        Index("ix_inbound_status_next", "status", "next_attempt_at"),
        # Unfinished rows only (partial): claims walk these in id order and probe them per chat, so their cost
        # follows the backlog, not the table's whole history (store/leases.py, migration 0003).
        Index("ix_inbound_unfinished_id", "id", **unfinished("processing")),
        Index("ix_inbound_unfinished_chat", "chat_key", "id", **unfinished("processing")),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    event_id: str = Field(max_length=128)
    chat_key: str = Field(default="", max_length=160, index=True)  # events of one chat run in order
    payload: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=16)  # pending | processing | done | failed | skipped
    attempts: int = 0
    received_at: datetime = _created()
    next_attempt_at: datetime = _created()
    locked_until: datetime | None = _ts()
    processed_at: datetime | None = _ts()
    error: str | None = Field(default=None, max_length=500)


class OutboundMessage(SQLModel, table=True):
    """The outbox: every message is a row before it is sent; a sender delivers it once."""

    __tablename__ = "outbound_messages"
    __table_args__ = (
        Index("ix_outbound_status_next", "status", "next_attempt_at"),
        Index("ix_outbound_unfinished_id", "id", **unfinished("sending")),
        Index("ix_outbound_unfinished_chat", "channel", "chat_id", "id", **unfinished("sending")),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=128, index=True)
    payload: dict[str, Any] = _json()  # channel-neutral Outbound messages, rendered at send time
    reply_token: str | None = Field(default=None, max_length=256)
    reply_token_expires_at: datetime | None = _ts()
    retry_key: str = Field(max_length=64, unique=True)  # LINE X-Line-Retry-Key / our own dedupe
    dedupe_key: str | None = Field(default=None, max_length=160, unique=True)
    # SET NULL: purge and erase delete old inbound events; the messages they caused stay until their own purge.
    inbound_event_id: int | None = Field(default=None, foreign_key="inbound_events.id", ondelete="SET NULL",
                                         index=True)
    status: str = Field(default="pending", max_length=16)  # pending | sending | sent | failed
    attempts: int = 0
    created_at: datetime = _created()
    next_attempt_at: datetime = _created()
    locked_until: datetime | None = _ts()
    sent_at: datetime | None = _ts()
    last_error: str | None = Field(default=None, max_length=500)


class SeenEvent(SQLModel, table=True):
    """A webhook event id already accepted, as a SHA-256 hash, kept longer than the inbox rows themselves:
    a captured signed request replayed after purge is refused (bot/line/webhook.py)."""

    __tablename__ = "seen_events"
    __table_args__ = (UniqueConstraint("channel", "event_hash", name="uq_seen_channel_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    event_hash: str = Field(max_length=64)
    seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)


class MediaFile(SQLModel, table=True):
    """A photo, video or file a user sent, fetched from the platform and kept on disk."""

    __tablename__ = "media_files"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    platform_ref: str = Field(max_length=256)
    kind: str = Field(max_length=16)  # image | video | audio | file
    content_type: str | None = Field(default=None, max_length=100)
    path: str | None = Field(default=None, max_length=500)
    size: int | None = None
    sha256: str | None = Field(default=None, max_length=64)
    feedback_id: int | None = Field(default=None, foreign_key="feedback.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    status: str = Field(default="pending", max_length=16)  # pending | stored | failed | too_large
    # Who sent it (the platform's user id on `channel`): erase and purge find a person's files by it, also
    # files never linked to a case.
    sender_id: str | None = Field(default=None, max_length=128, index=True)
    created_at: datetime = _created()


# --- satisfaction survey ---------------------------------------------------------------------------


class SurveyResponse(SQLModel, table=True):
    """One completed satisfaction survey (indicator 6). `mean_score` is stored so the indicator is SQL."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        Index("ix_survey_type_visit", "service_type", "visit_date"),
        # covers the indicator-6 query (store/indicator.py): grouped by day and type, counted by mean score
        Index("ix_survey_visit_type_score", "visit_date", "service_type", "mean_score"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int | None = Field(default=None, foreign_key="patients.id", index=True)
    channel: str = Field(max_length=16)
    service_type: str = Field(max_length=8)  # opd | ipd
    department_code: str | None = Field(default=None, max_length=32, index=True)
    visit_date: date
    submitted_at: datetime = _created()
    overall: int | None = None
    mean_score: float
    process_mean: float | None = None
    staff_mean: float | None = None
    facility_mean: float | None = None
    would_return: int | None = None
    would_recommend: int | None = None
    comment: str | None = Field(default=None, sa_column=Column(Text))
    sentiment: str | None = Field(default=None, max_length=8)
    source: str = Field(default="chat", max_length=16)  # chat | import


class SurveyItemScore(SQLModel, table=True):
    """One item's 1–5 score within a survey response."""

    __tablename__ = "survey_item_scores"
    __table_args__ = (UniqueConstraint("response_id", "item_code", name="uq_item_per_response"),)

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(foreign_key="survey_responses.id", index=True)
    item_code: str = Field(max_length=32)
    dimension: str = Field(max_length=16, index=True)  # process | staff | facility | confidence | …
    score: int


# --- feedback and the incident queue ----------------------------------------------------------------


class Feedback(SQLModel, table=True):
    """A complaint, suggestion, compliment, survey comment or staff report, with its NLP tags."""

    __tablename__ = "feedback"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, index=True)  # complaint | suggestion | compliment | comment | report
    patient_id: int | None = Field(default=None, foreign_key="patients.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    channel: str = Field(max_length=16)
    text: str = Field(sa_column=Column(Text, nullable=False))
    department_code: str | None = Field(default=None, max_length=32)
    anonymous: bool = False
    contact_consent: bool = False
    survey_response_id: int | None = Field(default=None, foreign_key="survey_responses.id")
    topics: list[dict[str, Any]] = _json_list()  # [{"code", "score", "evidence"}]
    sentiment: str | None = Field(default=None, max_length=8)
    sentiment_score: float | None = None
    complaint: bool = False
    severity_hint: str | None = Field(default=None, max_length=4)
    sentinel: bool = False
    # the NLP's suggestions for the committee: question, confidence, needs_review, risk_codes, severity
    nlp: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = _created()


class CaseCounter(SQLModel, table=True):
    """The last case number used in a fiscal year, so numbers are gap-free and readable (2570-0042)."""

    __tablename__ = "case_counters"

    fiscal_year: int = Field(primary_key=True)
    last_seq: int = 0


class Case(SQLModel, table=True):
    """An item in the risk committee's queue: a complaint or a staff-reported incident."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("fiscal_year", "seq", name="uq_case_year_seq"),
        Index("ix_case_status_resolve_due", "status", "resolve_due_at"),
        Index("ix_case_unit_status", "unit_code", "status"),
        Index("ix_case_topic_unit_created", "primary_topic", "unit_code", "created_at"),
        Index("ix_case_code_unit_created", "risk_code", "unit_code", "created_at"),  # recurrence by NRLS code
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=16, unique=True)
    fiscal_year: int
    seq: int
    source: str = Field(max_length=16)  # patient | staff
    kind: str = Field(max_length=16)  # complaint | suggestion | incident
    feedback_id: int | None = Field(default=None, foreign_key="feedback.id")
    patient_id: int | None = Field(default=None, foreign_key="patients.id", index=True)
    reporter_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    status: str = Field(default="new", max_length=16)
    # new | triaged | acknowledged | resolved | reviewed | awaiting_patient | closed | rejected | duplicate
    severity: str | None = Field(default=None, max_length=4)
    severity_hint: str | None = Field(default=None, max_length=4)
    sentinel_hint: bool = False
    risk_code: str | None = Field(default=None, max_length=16, index=True)  # HA NRLS code, confirmed by /code
    # An incident imported from HRMS (store/hrms.py): "hrms:<receipt number>", so a second import adds nothing;
    # when it happened, and the HRMS fields kept as the file had them (place, units, category names, severity).
    external_ref: str | None = Field(default=None, max_length=80, unique=True)
    occurred_at: datetime | None = _ts()
    hrms: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    primary_topic: str | None = Field(default=None, max_length=32)
    unit_code: str | None = Field(default=None, foreign_key="units.code", max_length=32)
    assignee_staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    review_required: str = Field(default="none", max_length=8)  # none | review | rca
    summary: str | None = Field(default=None, sa_column=Column(Text))
    cause: str | None = Field(default=None, sa_column=Column(Text))
    action: str | None = Field(default=None, sa_column=Column(Text))
    prevention: str | None = Field(default=None, sa_column=Column(Text))
    approved_summary: str | None = Field(default=None, sa_column=Column(Text))
    handling_rating: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    updated_at: datetime = _created()
    triaged_at: datetime | None = _ts()
    report_due_at: datetime | None = _ts()
    resolve_due_at: datetime | None = _ts()
    acknowledged_at: datetime | None = _ts()
    resolved_at: datetime | None = _ts()
    reviewed_at: datetime | None = _ts()
    closed_at: datetime | None = _ts()
    # awaiting_patient: closed automatically at this time unless the patient answers first (store.cases.ask_patient)
    confirm_due_at: datetime | None = _ts()


class CaseEvent(SQLModel, table=True):
    """The case's timeline and audit trail: who did what, when, from which channel."""

    __tablename__ = "case_events"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    at: datetime = _created()
    actor_kind: str = Field(max_length=16)  # patient | staff | system
    actor_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    channel: str | None = Field(default=None, max_length=16)
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    detail: dict[str, Any] = _json()


class TagCorrection(SQLModel, table=True):
    """A committee member's correction of the NLP tags; `python -m nlp.train` learns from these."""

    __tablename__ = "tag_corrections"

    id: int | None = Field(default=None, primary_key=True)
    feedback_id: int = Field(foreign_key="feedback.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    topics: list[str] = _json_list()
    sentiment: str | None = Field(default=None, max_length=8)
    complaint: bool | None = None
    sentinel: bool | None = None
    at: datetime = _created()


class Reminder(SQLModel, table=True):
    """A reminder or escalation due at a time; claimed with row locks so it is sent exactly once."""

    __tablename__ = "reminders"
    __table_args__ = (
        Index("ix_reminder_status_due", "status", "due_at"),
        UniqueConstraint("case_id", "kind", "due_at", "recipient_role", name="uq_reminder_once"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str = Field(max_length=32)  # report_before | report_due | resolve_before | overdue | untriaged | …
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    recipient_role: str = Field(max_length=16)  # assignee | unit_head | committee | director
    recipient_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    status: str = Field(default="pending", max_length=16)  # pending | sent | cancelled
    claimed_by: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = _ts()
    created_at: datetime = _created()


class AuditLog(SQLModel, table=True):
    """Every staff action and every refusal, whether or not it touched a case."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    actor_staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    actor: str = Field(max_length=160)  # channel:external id (or cli:user) of whoever acted
    channel: str = Field(max_length=16)
    action: str = Field(max_length=64)
    target: str | None = Field(default=None, max_length=64)
    allowed: bool = True
    detail: dict[str, Any] = _json()


class IndicatorNote(SQLModel, table=True):
    """A committee annotation on the indicator 6 run chart: what they changed and when (`/note [date] text`).
    Drawn on the chart as a numbered marker at `day`; listed with `/notes`, deleted by its author or the
    committee (both audited)."""

    __tablename__ = "indicator_notes"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)  # when the change took effect (Bangkok date)
    text: str = Field(max_length=300)
    author_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    created_at: datetime = _created()
