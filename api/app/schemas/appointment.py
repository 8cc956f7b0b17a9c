from datetime import datetime

from pydantic import model_validator

from app.models.enums import AppointmentStatus, ChangeKind, Channel, Counterpart, MeetingMode, RequestStatus
from app.schemas.common import AwareDatetime, DbId, Read, Strict, Text


class AppointmentCreate(Strict):
    client_id: DbId
    counterpart: Counterpart
    with_name: Text(120)
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None
    mode: MeetingMode = MeetingMode.in_person
    location: Text(200) | None = None
    purpose: Text(300)
    bring: Text(300) | None = None
    status: AppointmentStatus = AppointmentStatus.planned

    @model_validator(mode="after")
    def _ends_after_start(self) -> "AppointmentCreate":
        if self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class AppointmentUpdate(Strict):
    counterpart: Counterpart | None = None
    with_name: Text(120) | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    mode: MeetingMode | None = None
    location: Text(200) | None = None
    purpose: Text(300) | None = None
    bring: Text(300) | None = None
    status: AppointmentStatus | None = None


class AppointmentRead(Read):
    id: int
    client_id: int
    counterpart: Counterpart
    with_name: str
    starts_at: datetime
    ends_at: datetime | None
    mode: MeetingMode
    location: str | None
    purpose: str
    bring: str | None
    status: AppointmentStatus


class AppointmentList(Read):
    data: list[AppointmentRead]
    count: int
    source: str = "afspraken"


class ChangeRequestCreate(Strict):
    kind: ChangeKind
    reason: Text(500) | None = None


class ChangeRequestRead(Read):
    id: int
    appointment_id: int
    kind: ChangeKind
    reason: str | None
    via: Channel
    status: RequestStatus
    created_at: datetime
