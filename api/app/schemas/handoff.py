from datetime import datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator

from app.models.enums import HandoffStatus, HandoffTrigger, Urgency
from app.rules import EmergencyNumber
from app.schemas.common import Language, Phone, Read, Strict, Text

# The safety layer's classes (bot/safety.py CLASSES), and a consultant's verdict on one.
SafetyClass = Literal["distress", "money", "legal", "violence"]
SafetyVerdict = Literal["not_safety", "distress", "money", "legal", "violence"]


def _blank_is_none(value: object) -> object:
    # No words must not cost the hand-off (a 422 would leave the person without anyone).
    return None if isinstance(value, str) and not value.strip() else value


SafetyWords = Annotated[Text(200) | None, BeforeValidator(_blank_is_none)]


class HandoffCreate(Strict):
    phone: Phone
    trigger: HandoffTrigger
    topic: Text(64)
    urgency: Urgency
    language: Language
    summary: Text(1000)
    # Set when the safety layer fired: the class and the words that triggered it, shown to the consultant.
    safety_class: SafetyClass | None = None
    safety_words: SafetyWords = None


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
    safety_class: str | None = None
    safety_words: str | None = None
    safety_feedback: str | None = None


class HandoffOpened(HandoffRead):
    """What the assistant tells the person: when someone answers, and the gemeente's emergency numbers if needed."""

    outside_hours: bool
    emergency_numbers: list[EmergencyNumber] | None
    # Whether the assistant pauses for this person until a consultant closes the hand-off (the API's rule,
    # handoffs.pauses_assistant; the action pauses only when told so).
    pauses_assistant: bool


class SafetyCandidate(Read):
    """A hand-off a consultant judged the safety layer on: material for people reviewing the lexicons."""

    id: int
    created_at: datetime
    language: str
    safety_class: str | None
    safety_words: str | None
    safety_feedback: str
    summary: str  # what the client wrote when it was handed off (later additions follow " | ")
