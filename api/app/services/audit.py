"""The audit log of reads and changes of personal data."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry
from app.models.types import utcnow
from app.services.access import Actor


def record_once(session: Session, *, actor: Actor, action: str, client_id: int | None,
                window: timedelta = timedelta(minutes=1)) -> None:
    """Audit a repeated read (a page refreshing itself) once per window, not on every refresh."""
    since = utcnow() - window
    seen = session.scalar(select(AuditEntry.id).where(AuditEntry.actor == actor.name, AuditEntry.action == action,
                                                      AuditEntry.client_id == client_id, AuditEntry.at >= since)
                          .limit(1))
    if seen is None:
        record(session, actor=actor, action=action, client_id=client_id)


def record(session: Session, *, actor: Actor, action: str, client_id: int | None,
           detail: str | None = None) -> None:
    """Add an audit entry to the current transaction (committed with the work it describes)."""
    session.add(AuditEntry(actor_kind=actor.kind, actor=actor.name, client_id=client_id,
                           action=action, detail=detail))
