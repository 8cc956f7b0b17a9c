"""Afspraken, and the client's requests to move or cancel them (a person decides)."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, Invalid, NotFound
from app.models import Appointment, AppointmentRequest, Client
from app.models.enums import AppointmentKind, AppointmentStatus, ChangeKind, RequestStatus
from app.schemas.appointment import NEEDS_PURPOSE, AppointmentCreate, AppointmentUpdate, ChangeRequestCreate
from app.services import audit
from app.services.access import Actor, check_client
from app.services.catalog import cached_sources

# Appointments a client can still ask to change.
OPEN_STATUSES = (AppointmentStatus.planned, AppointmentStatus.confirmed, AppointmentStatus.reschedule_requested)


def title(appointment: Appointment) -> str:
    """What the appointment is for, in Dutch for staff: the label of its kind (the Dutch source of the message
    the person reads it in) and the free text."""
    label = cached_sources()[f"utter_appointment_kind_{appointment.kind}"].text \
        if appointment.kind != AppointmentKind.other else ""
    return ": ".join(part for part in (label, appointment.purpose or "") if part)


def _appointment(session: Session, actor: Actor, appointment_id: int) -> Appointment:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None:
        raise NotFound("appointment not found")
    check_client(actor, session.get(Client, appointment.client_id))
    return appointment


def create_appointment(*, session: Session, actor: Actor, data: AppointmentCreate) -> Appointment:
    check_client(actor, session.get(Client, data.client_id))
    appointment = Appointment(**data.model_dump())
    session.add(appointment)
    session.flush()
    audit.record(session, actor=actor, action="create:appointment", client_id=data.client_id)
    session.commit()
    return appointment


def update_appointment(*, session: Session, actor: Actor, appointment_id: int,
                       data: AppointmentUpdate) -> Appointment:
    appointment = _appointment(session, actor, appointment_id)
    changes = data.model_dump(exclude_unset=True)
    for key in ("counterpart", "with_name", "starts_at", "mode", "kind", "bring_items", "status"):
        if key in changes and changes[key] is None:
            raise Invalid(f"{key} cannot be empty")
    starts, ends = changes.get("starts_at", appointment.starts_at), changes.get("ends_at", appointment.ends_at)
    if ends is not None and ends <= starts:
        raise Invalid("ends_at must be after starts_at")
    if changes.get("kind", appointment.kind) == AppointmentKind.other and \
            not changes.get("purpose", appointment.purpose):
        raise Invalid(NEEDS_PURPOSE)
    for key, value in changes.items():
        setattr(appointment, key, value)
    audit.record(session, actor=actor, action="update:appointment", client_id=appointment.client_id)
    session.commit()
    return appointment


def delete_appointment(*, session: Session, actor: Actor, appointment_id: int) -> None:
    appointment = _appointment(session, actor, appointment_id)
    audit.record(session, actor=actor, action="delete:appointment", client_id=appointment.client_id)
    session.delete(appointment)
    session.commit()


def upcoming(*, session: Session, actor: Actor, client: Client, now: datetime, limit: int = 10,
             include_past: bool = False) -> list[Appointment]:
    query = select(Appointment).where(Appointment.client_id == client.id)
    if not include_past:
        query = query.where(Appointment.starts_at >= now, Appointment.status.in_(OPEN_STATUSES))
    rows = list(session.scalars(query.order_by(Appointment.starts_at).limit(limit)))
    audit.record(session, actor=actor, action="read:appointments", client_id=client.id)
    session.commit()
    return rows


def request_change(*, session: Session, actor: Actor, client: Client, appointment_id: int,
                   data: ChangeRequestCreate, now: datetime) -> AppointmentRequest:
    """Record a wish to reschedule or cancel. The appointment itself is not changed, only marked."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.client_id != client.id:
        raise NotFound("appointment not found")
    if appointment.status not in OPEN_STATUSES or appointment.starts_at < now:
        raise Conflict("this appointment can no longer be changed; please contact your consultant")
    duplicate = session.scalar(select(AppointmentRequest).where(
        AppointmentRequest.appointment_id == appointment.id, AppointmentRequest.kind == data.kind,
        AppointmentRequest.status == RequestStatus.open))
    if duplicate is not None:
        return duplicate  # asking twice is one request
    request = AppointmentRequest(appointment_id=appointment.id, kind=data.kind, reason=data.reason, via=actor.kind)
    session.add(request)
    if data.kind == ChangeKind.reschedule:
        appointment.status = AppointmentStatus.reschedule_requested
    audit.record(session, actor=actor, action=f"request:{data.kind.value}", client_id=client.id)
    session.commit()
    return request


def list_requests(*, session: Session, actor: Actor, client: Client) -> list[AppointmentRequest]:
    query = (select(AppointmentRequest).join(Appointment)
             .where(Appointment.client_id == client.id).order_by(AppointmentRequest.id))
    rows = list(session.scalars(query))
    audit.record(session, actor=actor, action="read:requests", client_id=client.id)
    session.commit()
    return rows
