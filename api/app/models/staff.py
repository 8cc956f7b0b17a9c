from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.models.enums import Role
from app.models.gemeente import Gemeente
from app.models.types import UTCDateTime, str_enum, utcnow


class StaffUser(Base):
    """A consultant, cultuurvertaler or admin. An admin without gemeente manages the whole region."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeenten.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Absence cover: while away, hand-offs for this consultant's clients go to the named colleague.
    away: Mapped[bool] = mapped_column(Boolean, default=False)
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    gemeente: Mapped[Gemeente | None] = relationship()
    cover: Mapped["StaffUser | None"] = relationship(remote_side="StaffUser.id", foreign_keys=[cover_id])


class StaffSession(Base):
    """A login; only the SHA-256 of the bearer token is stored."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[StaffUser] = relationship()
