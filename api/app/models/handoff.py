from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models.client import Client
from app.models.enums import HandoffOutcome, HandoffStatus, HandoffTrigger, Urgency
from app.models.staff import StaffUser
from app.models.types import UTCDateTime, str_enum, utcnow


class Handoff(Base):
    """A conversation handed to a person. Unverified numbers can be handed off too (no client then)."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeenten.id"), index=True)
    # E.164, needed to answer the person; never logged.
    phone: Mapped[str] = mapped_column(String(20), index=True)
    trigger: Mapped[HandoffTrigger] = mapped_column(str_enum(HandoffTrigger))
    topic: Mapped[str] = mapped_column(String(64))
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency))
    language: Mapped[str] = mapped_column(String(8))
    summary: Mapped[str] = mapped_column(String(1000))
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[HandoffStatus] = mapped_column(str_enum(HandoffStatus), default=HandoffStatus.open)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Inbox tab "mine": who handles it (the client's consultant, their cover, or whoever claimed it).
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"),
                                                       index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    outcome: Mapped[HandoffOutcome | None] = mapped_column(str_enum(HandoffOutcome))
    # When the assignee last opened it: client messages after this are unread.
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_client_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the client was told a person would answer (office hours and the queue).
    answer_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The safety layer (bot/safety.py): which class fired and on which words, for the consultant; and the
    # consultant's verdict on it ("not_safety" or the class it really was), reviewed by people for the lexicons.
    safety_class: Mapped[str | None] = mapped_column(String(32))
    safety_words: Mapped[str | None] = mapped_column(String(200))
    safety_feedback: Mapped[str | None] = mapped_column(String(32))

    assigned_to: Mapped[StaffUser | None] = relationship(foreign_keys=[assigned_to_id])
    client: Mapped[Client | None] = relationship()


class HandoffEvent(Base):
    """Append-only history of a hand-off: opened, assigned, claimed, note, reply, notified, closed."""

    __tablename__ = "handoff_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[StaffUser | None] = relationship(foreign_keys=[actor_id])
    to: Mapped[StaffUser | None] = relationship(foreign_keys=[to_id])
