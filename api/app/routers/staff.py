from fastapi import APIRouter

from app.deps import SessionDep, StaffDep
from app.schemas.common import DbId
from app.schemas.staff import StaffCreate, StaffRead, StaffUpdate
from app.services import staff as staff_service

router = APIRouter(prefix="/staff", tags=["staff"])


@router.get("", response_model=list[StaffRead])
def list_staff(session: SessionDep, actor: StaffDep, gemeente_id: DbId | None = None) -> object:
    return staff_service.list_staff(session=session, actor=actor, gemeente_id=gemeente_id)


@router.post("", response_model=StaffRead, status_code=201)
def create_staff(body: StaffCreate, session: SessionDep, actor: StaffDep) -> object:
    return staff_service.create_staff(session=session, actor=actor, data=body)


@router.get("/{user_id}", response_model=StaffRead)
def read_staff(user_id: DbId, session: SessionDep, actor: StaffDep) -> object:
    return staff_service.get_staff(session=session, actor=actor, user_id=user_id)


@router.patch("/{user_id}", response_model=StaffRead)
def update_staff(user_id: DbId, body: StaffUpdate, session: SessionDep, actor: StaffDep) -> object:
    return staff_service.update_staff(session=session, actor=actor, user_id=user_id, data=body)
