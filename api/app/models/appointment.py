from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.models.enums import (
    AppointmentKind,
    AppointmentStatus,
    BringItem,
    ChangeKind,
    Channel,
    Counterpart,
    MeetingMode,
    RequestStatus,
)
from app.models.types import UTCDateTime, str_enum, utcnow


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="appointment_ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    counterpart: Mapped[Counterpart] = mapped_column(str_enum(Counterpart))
    with_name: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mode: Mapped[MeetingMode] = mapped_column(str_enum(MeetingMode), default=MeetingMode.in_person)
    location: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[AppointmentKind] = mapped_column(str_enum(AppointmentKind), default=AppointmentKind.other)
    # Free text as the gemeente wrote it (Dutch): what the kind does not say. Reaches the person marked as Dutch.
    purpose: Mapped[str | None] = mapped_column(String(300))
    bring_items: Mapped[list[BringItem]] = mapped_column(JSON, default=list)
    bring: Mapped[str | None] = mapped_column(String(300))  # free text besides bring_items, Dutch
    status: Mapped[AppointmentStatus] = mapped_column(
        str_enum(AppointmentStatus), default=AppointmentStatus.planned
    )


class AppointmentRequest(Base):
    """A client's wish to reschedule or cancel; a person decides, nothing changes by itself."""

    __tablename__ = "appointment_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ChangeKind] = mapped_column(str_enum(ChangeKind))
    reason: Mapped[str | None] = mapped_column(String(500))
    via: Mapped[Channel] = mapped_column(str_enum(Channel))
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus), default=RequestStatus.open)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
