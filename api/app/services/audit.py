"""The audit log of reads and changes of personal data."""

from sqlalchemy.orm import Session

from app.models import AuditEntry
from app.services.access import Actor


def record(session: Session, *, actor: Actor, action: str, client_id: int | None,
           detail: str | None = None) -> None:
    """Add an audit entry to the current transaction (committed with the work it describes)."""
    session.add(AuditEntry(actor_kind=actor.kind, actor=actor.name, client_id=client_id,
                           action=action, detail=detail))
