from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

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
from app.schemas.common import AwareDatetime, DbId, Read, Strict, Text

# A client reads what the appointment is for: from its kind, or from the free text when the kind is "other".
NEEDS_PURPOSE = "purpose is required when kind is 'other'"
BringItems = Annotated[list[BringItem], Field(max_length=len(BringItem)),
                       AfterValidator(lambda items: list(dict.fromkeys(items)))]


class AppointmentCreate(Strict):
    client_id: DbId
    counterpart: Counterpart
    with_name: Text(120)
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None
    mode: MeetingMode = MeetingMode.in_person
    location: Text(200) | None = None
    kind: AppointmentKind = AppointmentKind.other
    purpose: Text(300) | None = None
    bring_items: BringItems = []
    bring: Text(300) | None = None
    status: AppointmentStatus = AppointmentStatus.planned

    @model_validator(mode="after")
    def _ends_after_start(self) -> "AppointmentCreate":
        if self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.kind == AppointmentKind.other and not self.purpose:
            raise ValueError(NEEDS_PURPOSE)
        return self


class AppointmentUpdate(Strict):
    counterpart: Counterpart | None = None
    with_name: Text(120) | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    mode: MeetingMode | None = None
    location: Text(200) | None = None
    kind: AppointmentKind | None = None
    purpose: Text(300) | None = None
    bring_items: BringItems | None = None
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
    kind: AppointmentKind
    purpose: str | None
    bring_items: list[BringItem]
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
