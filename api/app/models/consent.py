from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.models.types import UTCDateTime, utcnow


class Consent(Base):
    """A person's answer to the privacy notice, per phone (and client, once the number is paired): which
    version of the notice, yes or no, how it was given, when. Append-only: the newest row counts, the rest is
    the history a gemeente must be able to show."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    version: Mapped[str] = mapped_column(String(20))
    given: Mapped[bool] = mapped_column(Boolean)
    how: Mapped[str] = mapped_column(String(60))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
