"""All tables, imported here so metadata (and Alembic) sees every one."""

from app.models.appointment import Appointment, AppointmentRequest
from app.models.client import Client
from app.models.consent import Consent
from app.models.gemeente import Gemeente
from app.models.handoff import Handoff, HandoffEvent
from app.models.message import WhatsAppMessage
from app.models.ontzorgen import OntzorgenArrangement, OntzorgenItem, OntzorgenPayment
from app.models.records import AbsenceReport, AuditEntry, PairingCode, PairingFailure
from app.models.safety import SafetyPhrase
from app.models.schedule import Group, GroupMember, Lesson
from app.models.staff import StaffSession, StaffUser
from app.models.translation import GlossaryTerm, ReviewState, TranslationEvent, TranslationUnit

__all__ = [
    "AbsenceReport",
    "Appointment",
    "AppointmentRequest",
    "AuditEntry",
    "Client",
    "Consent",
    "Gemeente",
    "GlossaryTerm",
    "Group",
    "GroupMember",
    "Handoff",
    "HandoffEvent",
    "Lesson",
    "OntzorgenArrangement",
    "OntzorgenItem",
    "OntzorgenPayment",
    "PairingCode",
    "PairingFailure",
    "ReviewState",
    "SafetyPhrase",
    "StaffSession",
    "StaffUser",
    "TranslationEvent",
    "TranslationUnit",
    "WhatsAppMessage",
]
