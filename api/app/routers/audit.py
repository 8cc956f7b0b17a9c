from fastapi import APIRouter, Query
from sqlalchemy import select

from app.deps import SessionDep, StaffDep
from app.models import AuditEntry, Client
from app.models.enums import Role
from app.schemas.common import DbId
from app.schemas.records import AuditRead
from app.services.access import require_role

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=list[AuditRead])
def list_audit(session: SessionDep, actor: StaffDep, client_id: DbId | None = None,
               limit: int = Query(default=100, ge=1, le=1000)) -> object:
    """Admins read the audit log; a gemeente admin sees entries about clients of their gemeente."""
    admin = require_role(actor, Role.admin)
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if client_id is not None:
        query = query.where(AuditEntry.client_id == client_id)
    if admin.gemeente_id is not None:
        own = select(Client.id).where(Client.gemeente_id == admin.gemeente_id)
        query = query.where(AuditEntry.client_id.in_(own))
    return list(session.scalars(query))
