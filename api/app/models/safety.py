"""Reviewers' changes to the safety lexicons (bot/safety_lexicons): phrases added or taken out on the
review pages. The files stay the base; the running detector lays these rows over them (bot.safety.Change)."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models.staff import StaffUser
from app.models.types import UTCDateTime, utcnow


class SafetyPhrase(Base):
    __tablename__ = "safety_phrases"

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(16), index=True)
    level: Mapped[str] = mapped_column(String(8))  # "sure" (a person takes over) or "ask" (asked first)
    safety_class: Mapped[str] = mapped_column(String(32))
    phrase: Mapped[str] = mapped_column(String(200))
    removed: Mapped[bool] = mapped_column(Boolean, default=False)  # taken out instead of added
    note: Mapped[str] = mapped_column(Text, default="")  # why: where it was missed, or why it misfired
    # Undoing a change keeps the row (history) and stops it from counting.
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))

    created_by: Mapped[StaffUser | None] = relationship(foreign_keys=[created_by_id])
    undone_by: Mapped[StaffUser | None] = relationship(foreign_keys=[undone_by_id])
