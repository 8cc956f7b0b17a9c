from fastapi import APIRouter

from app.deps import SessionDep, StaffDep
from app.models.enums import HandoffStatus
from app.schemas.handoff import HandoffRead
from app.services import handoffs

router = APIRouter(prefix="/handoffs", tags=["hand-offs"])


@router.get("", response_model=list[HandoffRead])
def list_handoffs(session: SessionDep, actor: StaffDep, status: HandoffStatus | None = None) -> object:
    return handoffs.list_handoffs(session=session, actor=actor, status=status)
