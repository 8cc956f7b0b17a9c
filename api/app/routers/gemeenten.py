from fastapi import APIRouter, Path

from app.deps import SessionDep, StaffDep
from app.schemas.gemeente import GemeenteCreate, GemeenteRead, GemeenteUpdate
from app.services import gemeenten

router = APIRouter(prefix="/gemeenten", tags=["gemeenten"])
Slug = Path(pattern=r"^[a-z0-9-]{2,64}$")


@router.get("", response_model=list[GemeenteRead])
def list_gemeenten(session: SessionDep, actor: StaffDep) -> object:
    return gemeenten.list_gemeenten(session=session)


@router.post("", response_model=GemeenteRead, status_code=201)
def create_gemeente(body: GemeenteCreate, session: SessionDep, actor: StaffDep) -> object:
    return gemeenten.create_gemeente(session=session, actor=actor, data=body)


@router.get("/{slug}", response_model=GemeenteRead)
def read_gemeente(session: SessionDep, actor: StaffDep, slug: str = Slug) -> object:
    return gemeenten.get_gemeente(session=session, slug=slug)


@router.patch("/{slug}", response_model=GemeenteRead)
def update_gemeente(body: GemeenteUpdate, session: SessionDep, actor: StaffDep, slug: str = Slug) -> object:
    return gemeenten.update_gemeente(session=session, actor=actor, slug=slug, data=body)
