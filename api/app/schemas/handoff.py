from datetime import datetime

from app.models.enums import HandoffStatus, HandoffTrigger, Urgency
from app.schemas.common import Language, Phone, Read, Strict, Text


class HandoffCreate(Strict):
    phone: Phone
    trigger: HandoffTrigger
    topic: Text(64)
    urgency: Urgency
    language: Language
    summary: Text(1000)


class HandoffRead(Read):
    id: int
    client_id: int | None
    phone: str
    gemeente_id: int | None
    trigger: HandoffTrigger
    topic: str
    urgency: Urgency
    language: str
    summary: str
    interpreter_needed: bool
    status: HandoffStatus
    created_at: datetime
    assigned_to_id: int | None = None
    answer_by: datetime | None = None


class HandoffOpened(HandoffRead):
    """What the assistant tells the person: when someone answers, and the emergency contact if needed."""

    outside_hours: bool
    emergency_contact: str | None
