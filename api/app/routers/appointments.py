from fastapi import APIRouter, Response

from app.deps import SessionDep, StaffDep
from app.schemas.appointment import AppointmentCreate, AppointmentRead, AppointmentUpdate
from app.schemas.common import DbId
from app.services import appointments

router = APIRouter(prefix="/appointments", tags=["afspraken"])


@router.post("", response_model=AppointmentRead, status_code=201)
def create_appointment(body: AppointmentCreate, session: SessionDep, actor: StaffDep) -> object:
    return appointments.create_appointment(session=session, actor=actor, data=body)


@router.patch("/{appointment_id}", response_model=AppointmentRead)
def update_appointment(appointment_id: DbId, body: AppointmentUpdate, session: SessionDep,
                       actor: StaffDep) -> object:
    return appointments.update_appointment(session=session, actor=actor, appointment_id=appointment_id, data=body)


@router.delete("/{appointment_id}", status_code=204)
def delete_appointment(appointment_id: DbId, session: SessionDep, actor: StaffDep) -> Response:
    appointments.delete_appointment(session=session, actor=actor, appointment_id=appointment_id)
    return Response(status_code=204)
