"""The safety layer's candidates for its data: hand-offs on which a consultant gave a verdict.

These are read and judged by people (cultuurvertalers and consultants reviewing bot/safety_lexicons/ and
tests/safety/); nothing here is learned automatically, and no lexicon or model changes because of a
verdict. The client's words are personal data: admins only, within their scope, and every read is audited."""

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.deps import SessionDep, StaffDep
from app.models import Handoff
from app.models.enums import Role
from app.schemas.handoff import SafetyCandidate
from app.services import audit
from app.services.access import require_role

router = APIRouter(prefix="/safety", tags=["safety"])


@router.get("/candidates", response_model=list[SafetyCandidate])
def candidates(session: SessionDep, actor: StaffDep, limit: int = Query(default=200, ge=1, le=1000)) -> object:
    """Hand-offs with a consultant's safety verdict, newest first: what fired (class, words), the verdict
    ("not_safety" or the class it was) and the client's first message. For review by people, never learned
    from automatically. Region admins see the region, a gemeente admin their own gemeente."""
    admin = require_role(actor, Role.admin)
    query = select(Handoff).where(Handoff.safety_feedback.is_not(None)).order_by(Handoff.id.desc()).limit(limit)
    if admin.gemeente_id is not None:
        query = query.where(Handoff.gemeente_id == admin.gemeente_id)
    rows = list(session.scalars(query))
    for row in rows:
        audit.record(session, actor=actor, action="read:safety_candidate", client_id=row.client_id,
                     detail=f"handoff {row.id}")
    session.commit()
    return rows
