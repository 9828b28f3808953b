"""ORM models of the beheerdeel domain (DESIGN.md §4)."""

from __future__ import annotations

import functools
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLE_PUPIL = "pupil"
ROLE_TEACHER = "teacher"
ROLE_COORDINATOR = "coordinator"

MODEL_GROUP = "group"
MODEL_CHILD = "child"

LINK_AUTO = "auto"
LINK_MANUAL = "manual"

STATUS_ACTIVE = "active"
STATUS_LEFT = "left"

# A sync run per school and delivery: applied, unchanged (the same content again) or rejected.
RUN_APPLIED = "applied"
RUN_UNCHANGED = "unchanged"
RUN_REJECTED = "rejected"

# A helpdesk ticket: open until an agent executes or rejects it, once.
TICKET_OPEN = "open"
TICKET_EXECUTED = "executed"
TICKET_REJECTED = "rejected"

# The outbox: pending → sending (claimed, before the POST) → sent; or failed / stale.
OUTBOX_PENDING = "pending"
OUTBOX_SENDING = "sending"
OUTBOX_SENT = "sent"
OUTBOX_FAILED = "failed"
OUTBOX_STALE = "stale"


class Base(AsyncAttrs, DeclarativeBase):
    pass


@functools.lru_cache(maxsize=256)
def parse_levels(text: str) -> tuple[int, ...]:
    """'6/7' -> (6, 7); '5' -> (5,). Kept for the few texts there are: a licence list parses
    the levels of every licence and group it shows, at every turn."""
    return tuple(int(part) for part in text.split("/") if part.strip())


class School(Base):
    __tablename__ = "schools"
    __table_args__ = (UniqueConstraint("brin", "vestiging"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brin: Mapped[str] = mapped_column(String(4))
    vestiging: Mapped[str] = mapped_column(String(2), default="00")
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100), default="")
    # The Entra tenant the school's staff sign in with. People of the school are linked to a
    # Teams user by roster e-mail only when that user writes from this tenant.
    entra_tenant_id: Mapped[str | None] = mapped_column(String(64), nullable=True)

    groups: Mapped[list[Group]] = relationship(back_populates="school", lazy="raise")


def full_name(first_name: str, tussenvoegsel: str, last_name: str) -> str:
    """'Sanne de Vries': the parts that are there, in Dutch order."""
    return " ".join(part for part in (first_name, tussenvoegsel, last_name) if part)


class Person(Base):
    __tablename__ = "people"
    # An Entra object id is only unique within its tenant: identity is the pair.
    __table_args__ = (UniqueConstraint("aad_tenant_id", "aad_object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    basispoort_key: Mapped[str] = mapped_column(String(64), unique=True)
    eck_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    first_name: Mapped[str] = mapped_column(String(100))
    tussenvoegsel: Mapped[str] = mapped_column(String(30), default="")
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254), nullable=True, index=True)
    aad_tenant_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    aad_object_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(10), default=STATUS_ACTIVE)
    language: Mapped[str | None] = mapped_column(String(5), nullable=True)
    # The name as a name search matches it (services.shared.predicates.name_contains): written
    # by the database with every name, so that a search folds no names as it reads them. A
    # typed word has no spaces, so it is part of this text exactly when it is part of one of
    # the three names. Left out of ORM reads: no card shows it.
    search_name: Mapped[str] = mapped_column(
        String(240), Computed("lower(first_name || ' ' || tussenvoegsel || ' ' || last_name)",
                              persisted=True), deferred=True)

    roles: Mapped[list[Role]] = relationship(back_populates="person", lazy="raise")

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.tussenvoegsel, self.last_name)

    @hybrid_property
    def is_active(self) -> bool:
        """Still at school: a person who left keeps their row for the audit trail."""
        return self.status == STATUS_ACTIVE

    @property
    def sort_name(self) -> str:
        """Dutch sorting: by last name without the tussenvoegsel."""
        return f"{self.last_name} {self.first_name} {self.tussenvoegsel}".lower()


class Role(Base):
    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("person_id", "school_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    person: Mapped[Person] = relationship(back_populates="roles", lazy="raise")
    school: Mapped[School] = relationship(lazy="raise")


class Group(Base):
    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("school_id", "basispoort_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    basispoort_key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    year_levels: Mapped[str] = mapped_column(String(20))
    login_mode: Mapped[str] = mapped_column(String(10), default="pictures")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    school: Mapped[School] = relationship(back_populates="groups", lazy="raise")
    members: Mapped[list[GroupMember]] = relationship(back_populates="group", lazy="raise")

    @property
    def levels(self) -> tuple[int, ...]:
        return parse_levels(self.year_levels)

    @hybrid_property
    def is_live(self) -> bool:
        """Still delivered by Basispoort: a removed group keeps its row, marked deleted."""
        return self.deleted_at is None

    @is_live.inplace.expression
    @classmethod
    def _is_live_expression(cls):
        return cls.deleted_at.is_(None)


class GroupMember(Base):
    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    group: Mapped[Group] = relationship(back_populates="members", lazy="raise")
    person: Mapped[Person] = relationship(lazy="raise")


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    min_level: Mapped[int] = mapped_column(Integer)
    max_level: Mapped[int] = mapped_column(Integer)
    # 'digitaal' | 'papier' | 'oefensoftware': decides what a teacher must start for a new child.
    kind: Mapped[str] = mapped_column(String(20), default="digitaal")
    offers_group: Mapped[bool] = mapped_column(Boolean, default=True)
    offers_child: Mapped[bool] = mapped_column(Boolean, default=False)


class Licence(Base):
    __tablename__ = "licences"
    __table_args__ = (Index("ix_licences_school_year", "school_id", "school_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    year_levels: Mapped[str] = mapped_column(String(20))
    school_year: Mapped[str] = mapped_column(String(9))
    model: Mapped[str] = mapped_column(String(10), default=MODEL_GROUP)
    seats: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Kept in step with child_assignments by a conditional UPDATE, so seats cannot be oversold.
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(lazy="raise")
    school: Mapped[School] = relationship(lazy="raise")
    group_links: Mapped[list[LicenceGroup]] = relationship(back_populates="licence", lazy="raise")

    @property
    def levels(self) -> tuple[int, ...]:
        return parse_levels(self.year_levels)


class LicenceGroup(Base):
    __tablename__ = "licence_groups"
    __table_args__ = (UniqueConstraint("licence_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(10), default=LINK_MANUAL)
    linked_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    licence: Mapped[Licence] = relationship(back_populates="group_links", lazy="raise")
    group: Mapped[Group] = relationship(lazy="raise")


class LicenceExtraChild(Base):
    """A child of another group added to a group licence (rule 6)."""

    __tablename__ = "licence_extra_children"
    __table_args__ = (UniqueConstraint("licence_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    added_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ChildAssignment(Base):
    """A per-child licence seat given to one pupil (rule 8); only the helpdesk can undo it."""

    __tablename__ = "child_assignments"
    __table_args__ = (UniqueConstraint("licence_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PupilCredential(Base):
    """A pupil's Basispoort login code, encrypted at rest."""

    __tablename__ = "pupil_credentials"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class LvsCoupling(Base):
    """Result exchange with the school's pupil monitoring system (rule 11)."""

    __tablename__ = "lvs_couplings"
    __table_args__ = (UniqueConstraint("school_id", "system"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    system: Mapped[str] = mapped_column(String(20))
    key_secret: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    status_detail: Mapped[str] = mapped_column(String(200), default="")
    forward_grades: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Set while one worker checks the coupling with its LVS, so another leaves it alone; a
    # claim older than the lease (a crashed worker) may be taken over.
    checking_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                            nullable=True)
    # What the real exchange of results did (services/results): since when the LVS accepts our
    # messages, the last exchange and how many results it took.
    active_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_exchange_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True)
    results_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # One sender at a time per coupling: a worker owns it until `claimed_until` (a lease).
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    claim_token: Mapped[str] = mapped_column(String(40), default="", server_default="")


# A result for the LVS: queued → sent; or set aside (the LVS or the schema refused the record).
RESULT_QUEUED = "queued"
RESULT_SENT = "sent"
RESULT_SET_ASIDE = "set_aside"


class LvsResult(Base):
    """One test or observation result of the Resultatenmonitor for one school's LVS, keyed by
    the result's own key: the same key again is recognised, never sent twice."""

    __tablename__ = "lvs_results"
    __table_args__ = (
        UniqueConstraint("school_id", "system", "result_key"),
        Index("ix_lvs_results_due", "school_id", "system", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    system: Mapped[str] = mapped_column(String(20))
    result_key: Mapped[str] = mapped_column(String(256))
    pupil_key: Mapped[str] = mapped_column(String(256))  # UWLR leerlingid (the LAS key)
    eck_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    test_code: Mapped[str] = mapped_column(String(256))
    test_name: Mapped[str] = mapped_column(String(128), default="")
    taken_on: Mapped[date] = mapped_column(Date)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ability: Mapped[str | None] = mapped_column(String(40), nullable=True)  # a decimal, as sent
    norm: Mapped[str] = mapped_column(Text, default="[]")  # JSON: the norm's boundaries
    practice: Mapped[bool] = mapped_column(Boolean, default=False)  # a Bingel practice result
    digest: Mapped[str] = mapped_column(String(64))  # of the content: a changed resend is new
    status: Mapped[str] = mapped_column(String(12), default=RESULT_QUEUED)
    reason: Mapped[str] = mapped_column(String(60), default="")  # a fault code, never LVS text
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEvent(Base):
    """Who did what, when, from which conversation. Never holds a secret."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")
    conversation_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    outcome: Mapped[str] = mapped_column(String(20), default="ok")


class StepClaim(Base):
    """A prompt of a dialog that was answered: claimed before its step changes anything, so a
    double click or a replayed submit finds it taken and changes nothing."""

    __tablename__ = "step_claims"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class StateItem(Base):
    """Bot dialog/user state, one JSON document per storage key, with an e-tag."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    etag: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class SyncRun(Base):
    """One school's delivery, applied or not, with what it changed (DESIGN.md §6)."""

    __tablename__ = "sync_runs"
    __table_args__ = (Index("ix_sync_runs_school", "school_id", "id"),
                      Index("ix_sync_runs_raw_digest", "raw_digest"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), nullable=True)
    brin: Mapped[str] = mapped_column(String(4))
    vestiging: Mapped[str] = mapped_column(String(2))
    source: Mapped[str] = mapped_column(String(300))
    format: Mapped[str] = mapped_column(String(10))
    # SHA-256 of the normalised snapshot: the same content twice is recognised at once.
    digest: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the file's bytes as read in one school year by one version of the reading
    # (services.sync.service.raw_digest): the same file again is recognised without parsing.
    raw_digest: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(10))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Counts per kind of change (JSON), and for a rejected delivery the readable report.
    summary: Mapped[str] = mapped_column(Text, default="{}")
    report: Mapped[str] = mapped_column(Text, default="")


class SyncChange(Base):
    """One change a run made: a group added, a pupil moved, a link ended, a reminder, ..."""

    __tablename__ = "sync_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_runs.id", ondelete="CASCADE"),
                                        index=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="{}")


class ConversationRef(Base):
    """Where the bot can reach someone on its own initiative: the Teams conversation
    reference, stored when the bot is installed or spoken to and refreshed every turn."""

    __tablename__ = "conversation_refs"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(400), unique=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=True, index=True)
    tenant_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # 'personal' (a chat with one person) or 'channel' (a team's channel).
    scope: Mapped[str] = mapped_column(String(10), default="personal")
    service_url: Mapped[str] = mapped_column(String(400))
    reference: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set when Teams answered 403/404 (the bot was removed, the user is gone).
    stale_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class OutboxMessage(Base):
    """A proactive message to send, written in the same transaction as what it reports.

    The card is rendered when it is sent (in the recipient's language, from `kind` and
    `payload`). Claimed as 'sending' in its own commit before the POST: a crash after the POST
    leaves it 'sending', never sent twice (see docs/sync.md)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=True, index=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), nullable=True)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("sync_runs.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[str] = mapped_column(String(30))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=OUTBOX_PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str] = mapped_column(String(300), default="")


class HelpdeskTicket(Base):
    """A wrongly assigned kindlicentie seat that only the Malmberg helpdesk may correct."""

    __tablename__ = "helpdesk_tickets"
    __table_args__ = (Index("ix_helpdesk_tickets_school", "school_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"))
    wrong_child_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    intended_child_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"),
                                                          nullable=True)
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default=TICKET_OPEN)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The agent's Entra object id and name, the outcome and, for a refusal, its reason.
    resolved_by: Mapped[str] = mapped_column(String(64), default="")
    resolved_by_name: Mapped[str] = mapped_column(String(200), default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    outcome: Mapped[str] = mapped_column(String(500), default="")


class NightlyRun(Base):
    """The claim on one night's sync: the process that inserts the row runs it, every other
    process that wakes at the same time finds it taken and sleeps on."""

    __tablename__ = "nightly_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    night: Mapped[str] = mapped_column(String(10), unique=True)  # the local date, 2026-11-29
    worker: Mapped[str] = mapped_column(String(100))  # host and process id
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    deliveries: Mapped[int] = mapped_column(Integer, default=0)


class ShownCodes(Base):
    """A message in a chat that shows pincodes right now, and the card without them that
    replaces it: when the coördinator moves on, or at `hide_at` by the background sweep of
    `serve` (also after a restart). The stored card holds no code."""

    __tablename__ = "shown_codes"
    __table_args__ = (UniqueConstraint("conversation_id", "activity_id"),
                      Index("ix_shown_codes_due", "hide_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(String(400))
    activity_id: Mapped[str] = mapped_column(String(200))
    service_url: Mapped[str] = mapped_column(String(500))
    tenant_id: Mapped[str] = mapped_column(String(64), default="")
    hidden_card: Mapped[str] = mapped_column(Text)
    shown_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    hide_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
