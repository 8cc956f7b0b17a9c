"""Consent to the privacy notice, per phone: asked once, recorded with the notice's version and how it was
given, withdrawn only on an explicit, confirmed request. The newest answer counts."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Client, Consent
from app.schemas.client import ConsentHow, ConsentRead, ConsentState
from app.services import audit
from app.services.access import Actor

# The version of the privacy notice (utter_privacy_notice). Raise it when what the notice says changes: everyone
# is asked again (at their next conversation). NOTICE_TEXT_SHA256 is the hash of the Dutch text it belongs to:
# a changed text fails tests/api/test_consent_records.py until someone has decided whether the meaning changed.
NOTICE_VERSION = "2026-11"
NOTICE_TEXT_SHA256 = "73f8888e3321fb4dad748af31c495f6938aea518d793a7c71618d6dc0d1e26b8"


def latest(session: Session, phone: str) -> Consent | None:
    return session.scalar(select(Consent).where(Consent.phone == phone).order_by(Consent.id.desc()).limit(1))


def state_of(row: Consent | None) -> ConsentState:
    if row is None:
        return "unknown"
    if not row.given:
        return "withdrawn" if row.how == "withdrawn" else "declined"
    return "given" if row.version == NOTICE_VERSION else "outdated"


def as_read(row: Consent | None) -> ConsentRead:
    return ConsentRead(state=state_of(row), version=row.version if row else None, at=row.at if row else None,
                       current_version=NOTICE_VERSION)


def read(session: Session, *, actor: Actor, phone: str) -> Consent | None:
    row = latest(session, phone)
    if row is not None and row.client_id is not None:
        audit.record_once(session, actor=actor, action="read:consent", client_id=row.client_id)
        session.commit()
    return row


def record(session: Session, *, actor: Actor, phone: str, given: bool, how: ConsentHow) -> Consent:
    """The person's answer (or withdrawal), for the current notice; audited for a known client."""
    client_id = session.scalar(select(Client.id).where(Client.whatsapp == phone))
    row = Consent(phone=phone, client_id=client_id, version=NOTICE_VERSION, given=given, how=how)
    session.add(row)
    action = "consent:given" if given else ("consent:withdrawn" if how == "withdrawn" else "consent:declined")
    audit.record(session, actor=actor, action=action, client_id=client_id, detail=f"notice {NOTICE_VERSION}")
    session.commit()
    return row
