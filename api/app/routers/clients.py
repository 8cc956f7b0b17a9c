"""Case data for staff: clients and everything hanging off one client."""

from datetime import timedelta

from fastapi import APIRouter, Query, Response

from app.deps import SessionDep, StaffDep
from app.models.types import utcnow
from app.rules import local_today
from app.schemas.appointment import AppointmentList, ChangeRequestRead
from app.schemas.client import ClientCreate, ClientList, ClientRead, ClientUpdate, RouteRead
from app.schemas.common import AwareDatetime, DbId
from app.schemas.ontzorgen import (
    ArrangementCreate,
    ArrangementUpdate,
    ItemCreate,
    ItemRead,
    OntzorgenRead,
    PaymentCreate,
    PaymentRead,
    PaymentUpdate,
)
from app.schemas.records import AbsenceCreate, AbsenceRead, PairingCodeIssued
from app.schemas.schedule import LessonList
from app.services import absences, appointments, clients, ontzorgen, pairing, schedule

router = APIRouter(prefix="/clients", tags=["clients"])


@router.get("", response_model=ClientList)
def list_clients(session: SessionDep, actor: StaffDep, gemeente_id: DbId | None = None,
                 consultant_id: DbId | None = None, limit: int = Query(default=50, ge=1, le=500),
                 offset: int = Query(default=0, ge=0, le=1_000_000)) -> ClientList:
    rows, count = clients.list_clients(session=session, actor=actor, gemeente_id=gemeente_id,
                                       consultant_id=consultant_id, limit=limit, offset=offset)
    return ClientList(data=rows, count=count)  # type: ignore[arg-type]


@router.post("", response_model=ClientRead, status_code=201)
def create_client(body: ClientCreate, session: SessionDep, actor: StaffDep) -> object:
    return clients.create_client(session=session, actor=actor, data=body)


@router.get("/{client_id}", response_model=ClientRead)
def read_client(client_id: DbId, session: SessionDep, actor: StaffDep) -> object:
    return clients.get_client(session=session, actor=actor, client_id=client_id)


@router.patch("/{client_id}", response_model=ClientRead)
def update_client(client_id: DbId, body: ClientUpdate, session: SessionDep, actor: StaffDep) -> object:
    return clients.update_client(session=session, actor=actor, client_id=client_id, data=body)


@router.delete("/{client_id}", status_code=204)
def delete_client(client_id: DbId, session: SessionDep, actor: StaffDep) -> Response:
    clients.delete_client(session=session, actor=actor, client_id=client_id)
    return Response(status_code=204)


@router.get("/{client_id}/route", response_model=RouteRead)
def read_route(client_id: DbId, session: SessionDep, actor: StaffDep) -> RouteRead:
    client = clients.get_client(session=session, actor=actor, client_id=client_id)
    return clients.route(session=session, actor=actor, client=client)


@router.get("/{client_id}/lessons", response_model=LessonList)
def list_lessons(client_id: DbId, session: SessionDep, actor: StaffDep, start: AwareDatetime | None = None,
                 end: AwareDatetime | None = None) -> LessonList:
    client = clients.get_client(session=session, actor=actor, client_id=client_id)
    start = start or utcnow()
    end = end or start + timedelta(days=7)
    lessons = schedule.lessons_for_client(session=session, actor=actor, client=client, start=start, end=end)
    return LessonList(data=lessons, count=len(lessons), start=start, end=end)


@router.get("/{client_id}/appointments", response_model=AppointmentList)
def list_appointments(client_id: DbId, session: SessionDep, actor: StaffDep,
                      include_past: bool = False) -> AppointmentList:
    client = clients.get_client(session=session, actor=actor, client_id=client_id)
    rows = appointments.upcoming(session=session, actor=actor, client=client, now=utcnow(), limit=200,
                                 include_past=include_past)
    return AppointmentList(data=rows, count=len(rows))  # type: ignore[arg-type]


@router.get("/{client_id}/appointment-requests", response_model=list[ChangeRequestRead])
def list_requests(client_id: DbId, session: SessionDep, actor: StaffDep) -> object:
    client = clients.get_client(session=session, actor=actor, client_id=client_id)
    return appointments.list_requests(session=session, actor=actor, client=client)


@router.get("/{client_id}/absences", response_model=list[AbsenceRead])
def list_absences(client_id: DbId, session: SessionDep, actor: StaffDep) -> object:
    client = clients.get_client(session=session, actor=actor, client_id=client_id)
    return absences.list_absences(session=session, actor=actor, client=client)


@router.post("/{client_id}/absences", response_model=AbsenceRead, status_code=201)
def report_absence(client_id: DbId, body: AbsenceCreate, session: SessionDep, actor: StaffDep) -> object:
    client = clients.get_client(session=session, actor=actor, client_id=client_id)
    return absences.report(session=session, actor=actor, client=client, data=body)


@router.post("/{client_id}/pairing-codes", response_model=PairingCodeIssued, status_code=201)
def issue_pairing_code(client_id: DbId, session: SessionDep, actor: StaffDep) -> PairingCodeIssued:
    code, row = pairing.issue_code(session=session, actor=actor, client_id=client_id)
    return PairingCodeIssued(code=code, expires_at=row.expires_at)


@router.get("/{client_id}/ontzorgen", response_model=OntzorgenRead)
def read_ontzorgen(client_id: DbId, session: SessionDep, actor: StaffDep) -> OntzorgenRead:
    client = clients.get_client(session=session, actor=actor, client_id=client_id)
    return ontzorgen.overview(session=session, actor=actor, client=client, today=local_today(), months=12)


@router.put("/{client_id}/ontzorgen", response_model=OntzorgenRead, status_code=201)
def create_arrangement(client_id: DbId, body: ArrangementCreate, session: SessionDep,
                       actor: StaffDep) -> OntzorgenRead:
    ontzorgen.create_arrangement(session=session, actor=actor, client_id=client_id, data=body)
    return read_ontzorgen(client_id, session, actor)


@router.patch("/{client_id}/ontzorgen", response_model=OntzorgenRead)
def update_arrangement(client_id: DbId, body: ArrangementUpdate, session: SessionDep,
                       actor: StaffDep) -> OntzorgenRead:
    ontzorgen.update_arrangement(session=session, actor=actor, client_id=client_id, data=body)
    return read_ontzorgen(client_id, session, actor)


@router.post("/{client_id}/ontzorgen/items", response_model=ItemRead, status_code=201)
def add_item(client_id: DbId, body: ItemCreate, session: SessionDep, actor: StaffDep) -> object:
    return ontzorgen.add_item(session=session, actor=actor, client_id=client_id, data=body)


@router.post("/{client_id}/ontzorgen/items/{item_id}/payments", response_model=PaymentRead, status_code=201)
def add_payment(client_id: DbId, item_id: DbId, body: PaymentCreate, session: SessionDep,
                actor: StaffDep) -> PaymentRead:
    return ontzorgen.add_payment(session=session, actor=actor, client_id=client_id, item_id=item_id, data=body)


@router.patch("/{client_id}/ontzorgen/items/{item_id}/payments/{payment_id}", response_model=PaymentRead)
def update_payment(client_id: DbId, item_id: DbId, payment_id: DbId, body: PaymentUpdate, session: SessionDep,
                   actor: StaffDep) -> PaymentRead:
    return ontzorgen.update_payment(session=session, actor=actor, client_id=client_id, item_id=item_id,
                                    payment_id=payment_id, data=body)
