from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.models.enums import HandoffStatus, HandoffTrigger, Urgency
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
