"""Absence reports: a client says they cannot come to a lesson or appointment."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.models import AbsenceReport, Appointment, Client, GroupMember, Lesson
from app.schemas.records import AbsenceCreate
from app.services import audit
from app.services.access import Actor


def report(*, session: Session, actor: Actor, client: Client, data: AbsenceCreate) -> AbsenceReport:
    if data.lesson_id is not None:
        lesson = session.get(Lesson, data.lesson_id)
        member = lesson and session.get(GroupMember, (lesson.group_id, client.id))
        if not member:
            raise NotFound("lesson not found in your lesrooster")
    if data.appointment_id is not None:
        appointment = session.get(Appointment, data.appointment_id)
        if appointment is None or appointment.client_id != client.id:
            raise NotFound("appointment not found")
    duplicate = session.scalar(select(AbsenceReport).where(
        AbsenceReport.client_id == client.id, AbsenceReport.for_date == data.for_date,
        AbsenceReport.lesson_id.is_(data.lesson_id) if data.lesson_id is None
        else AbsenceReport.lesson_id == data.lesson_id,
        AbsenceReport.appointment_id.is_(data.appointment_id) if data.appointment_id is None
        else AbsenceReport.appointment_id == data.appointment_id,
    ))
    if duplicate is not None:
        return duplicate  # reporting twice is one report
    absence = AbsenceReport(client_id=client.id, via=actor.kind, **data.model_dump())
    session.add(absence)
    audit.record(session, actor=actor, action="create:absence", client_id=client.id)
    session.commit()
    return absence


def list_absences(*, session: Session, actor: Actor, client: Client) -> list[AbsenceReport]:
    rows = list(session.scalars(select(AbsenceReport).where(AbsenceReport.client_id == client.id)
                                .order_by(AbsenceReport.for_date.desc(), AbsenceReport.id.desc())))
    audit.record(session, actor=actor, action="read:absences", client_id=client.id)
    session.commit()
    return rows
