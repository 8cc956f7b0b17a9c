from datetime import date, datetime

from pydantic import Field, model_validator

from app.models.enums import AbsenceReason, Channel
from app.schemas.common import Day, DbId, Phone, Read, Strict, Text


class AbsenceCreate(Strict):
    for_date: Day
    reason: AbsenceReason
    note: Text(500) | None = None
    lesson_id: DbId | None = None
    appointment_id: DbId | None = None

    @model_validator(mode="after")
    def _one_target(self) -> "AbsenceCreate":
        if self.lesson_id is not None and self.appointment_id is not None:
            raise ValueError("report an absence for a lesson or an appointment, not both")
        return self


class AbsenceRead(Read):
    id: int
    client_id: int
    lesson_id: int | None
    appointment_id: int | None
    for_date: date
    reason: AbsenceReason
    note: str | None
    via: Channel
    created_at: datetime


class PairingCodeIssued(Read):
    code: str = Field(description="shown once; give it to the client")
    expires_at: datetime


class PairingVerify(Strict):
    phone: Phone
    code: str = Field(min_length=1, max_length=32)


class PairingResult(Read):
    client_id: int
    first_name: str
    preferred_language: str
    bilingual: bool


class AuditRead(Read):
    id: int
    at: datetime
    actor_kind: Channel
    actor: str
    client_id: int | None
    action: str
    detail: str | None
