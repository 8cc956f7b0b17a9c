"""Hand-offs from the assistant to a person. The inbox (claim, reply, close) builds on these rows."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Client, Handoff
from app.models.enums import HandoffStatus, HandoffTrigger, Urgency
from app.schemas.handoff import HandoffCreate
from app.services import audit
from app.services.access import Actor, check_gemeente

_RANK = {Urgency.low: 0, Urgency.normal: 1, Urgency.high: 2, Urgency.urgent: 3}


def open_handoff(*, session: Session, actor: Actor, data: HandoffCreate) -> Handoff:
    """Open a hand-off, or add to the one already open for this phone (one thread per person)."""
    client = session.scalar(select(Client).where(Client.whatsapp == data.phone))
    if client is not None and not client.whatsapp_verified:
        client = None  # an unverified phone is not linked to anyone's case
    existing = session.scalar(select(Handoff).where(Handoff.phone == data.phone,
                                                    Handoff.status != HandoffStatus.closed))
    if existing is not None:
        if _RANK[data.urgency] > _RANK[existing.urgency]:
            existing.urgency, existing.trigger, existing.topic = data.urgency, data.trigger, data.topic
        existing.summary = (existing.summary + " | " + data.summary)[:1000]
        session.commit()
        return existing
    handoff = Handoff(
        client_id=client.id if client else None, gemeente_id=client.gemeente_id if client else None,
        phone=data.phone, trigger=data.trigger, topic=data.topic, urgency=data.urgency, language=data.language,
        summary=data.summary, interpreter_needed=bool(client and client.interpreter_needed),
    )
    session.add(handoff)
    if client is not None:
        audit.record(session, actor=actor, action=f"handoff:{data.trigger.value}", client_id=client.id)
    session.commit()
    return handoff


def pauses_assistant(trigger: HandoffTrigger) -> bool:
    """A correction request waits for the consultant without stopping the conversation."""
    return trigger != HandoffTrigger.correction


def list_handoffs(*, session: Session, actor: Actor, status: HandoffStatus | None) -> list[Handoff]:
    """Hand-offs the actor may see: their gemeente's, or all for a region admin (unknown numbers too)."""
    query = select(Handoff).order_by(Handoff.id)
    if not actor.is_region_admin:
        own = actor.user.gemeente_id if actor.user else None
        check_gemeente(actor, own or 0)
        query = query.where(Handoff.gemeente_id == own)
    if status is not None:
        query = query.where(Handoff.status == status)
    rows = list(session.scalars(query))
    for row in rows:
        if row.client_id is not None:
            audit.record(session, actor=actor, action="read:handoff", client_id=row.client_id)
    session.commit()
    return rows
