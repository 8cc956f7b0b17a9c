"""Readable string enums of the case data."""

from enum import StrEnum


class Role(StrEnum):
    consultant = "consultant"
    cultuurvertaler = "cultuurvertaler"
    admin = "admin"


class Doelgroep(StrEnum):
    asielstatushouder = "asielstatushouder"
    gezinsmigrant = "gezinsmigrant"
    overig = "overig"


class Leerroute(StrEnum):
    b1 = "b1"
    onderwijs = "onderwijs"
    z = "z"
    undecided = "undecided"


class Progress(StrEnum):
    """Status of the route and of each module (KNM, MAP, PVT)."""

    not_started = "not_started"
    in_progress = "in_progress"
    completed = "completed"
    exempt = "exempt"
    not_applicable = "not_applicable"


class LessonKind(StrEnum):
    taalles = "taalles"
    knm = "knm"
    map = "map"
    pvt = "pvt"
    participation = "participation"


class Counterpart(StrEnum):
    """With whom an appointment is."""

    consultant = "consultant"
    taalschool = "taalschool"
    vluchtelingenwerk = "vluchtelingenwerk"
    budget_service = "budget_service"
    exam = "exam"
    other = "other"


class AppointmentKind(StrEnum):
    """What an appointment is for. Each kind has a translated label (utter_appointment_kind_<kind>), so the
    person reads it in their language; "other" has only the free text, which stays Dutch."""

    intake = "intake"
    pip = "pip"
    progress = "progress"
    help_post = "help_post"
    money = "money"
    exam = "exam"
    other = "other"


class BringItem(StrEnum):
    """Things to bring to an appointment, each with a translated label (utter_bring_<item>)."""

    passport = "passport"
    id_document = "id_document"
    residence_permit = "residence_permit"
    duo_letters = "duo_letters"
    letters = "letters"
    bank_card = "bank_card"
    bills = "bills"
    rental_contract = "rental_contract"


class MeetingMode(StrEnum):
    in_person = "in_person"
    phone = "phone"
    video = "video"


class AppointmentStatus(StrEnum):
    planned = "planned"
    confirmed = "confirmed"
    cancelled = "cancelled"
    reschedule_requested = "reschedule_requested"
    attended = "attended"
    no_show = "no_show"


class ChangeKind(StrEnum):
    reschedule = "reschedule"
    cancel = "cancel"


class RequestStatus(StrEnum):
    open = "open"
    handled = "handled"


class OntzorgenItemKind(StrEnum):
    rent = "rent"
    energy = "energy"
    water = "water"
    health_insurance = "health_insurance"
    municipal_taxes = "municipal_taxes"
    other = "other"


class PaymentStatus(StrEnum):
    scheduled = "scheduled"
    paid = "paid"
    failed = "failed"


class AbsenceReason(StrEnum):
    sick = "sick"
    child = "child"
    appointment = "appointment"
    other = "other"


class Channel(StrEnum):
    """Who made a record: the assistant on the client's behalf, or staff."""

    assistant = "assistant"
    staff = "staff"


class HandoffTrigger(StrEnum):
    """Why the assistant handed over (domain brief, "When a human must take over")."""

    request_human = "request_human"
    legal = "legal"
    money = "money"
    distress = "distress"
    violence = "violence"  # unsafe at home, violence (the safety layer, bot/safety.py)
    not_understood = "not_understood"
    verification = "verification"
    correction = "correction"
    payment_failed = "payment_failed"
    failed_turn = "failed_turn"  # the assistant could not process a message (api/app/services/failed_turns.py)


class Urgency(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


class HandoffStatus(StrEnum):
    open = "open"
    claimed = "claimed"
    closed = "closed"


class HandoffOutcome(StrEnum):
    answered = "answered"
    appointment_made = "appointment_made"
    referred = "referred"
    no_response = "no_response"
    other = "other"


class Direction(StrEnum):
    inbound = "inbound"
    outbound = "outbound"


class MessageStatus(StrEnum):
    """Inbound: received -> processed. Outbound: queued -> sent -> delivered -> read, or failed."""

    received = "received"
    processed = "processed"
    queued = "queued"
    sending = "sending"
    sent = "sent"
    delivered = "delivered"
    read = "read"
    undelivered = "undelivered"
    failed = "failed"
