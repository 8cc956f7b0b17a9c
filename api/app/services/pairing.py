"""Pairing a WhatsApp number with a client through a one-time code from the consultant."""

from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.config import get_settings
from app.errors import Conflict, DomainError, Gone, NotFound, TooManyAttempts
from app.models import Client, Handoff, PairingCode, PairingFailure
from app.models.enums import HandoffTrigger
from app.models.types import utcnow
from app.services import audit
from app.services.access import Actor, can_see_gemeente, check_client
from app.services.security import new_pairing_code, phone_key, same, sha256


def _new_code(session: Session, actor: Actor, client: Client) -> tuple[str, PairingCode]:
    if client.whatsapp is None:
        raise Conflict("enter the client's WhatsApp number first")
    now = utcnow()
    session.execute(update(PairingCode).where(PairingCode.client_id == client.id, PairingCode.used_at.is_(None),
                                              PairingCode.revoked_at.is_(None)).values(revoked_at=now))
    code = new_pairing_code()
    row = PairingCode(client_id=client.id, code_hash=sha256(f"{client.id}:{code}"),
                      issued_by_id=actor.user.id if actor.user else None, created_at=now,
                      expires_at=now + timedelta(minutes=get_settings().pairing_code_minutes))
    session.add(row)
    audit.record(session, actor=actor, action="issue:pairing_code", client_id=client.id)
    return code, row


def issue_code(*, session: Session, actor: Actor, client_id: int) -> tuple[str, PairingCode]:
    """A new code for the client; earlier unused codes stop working. Returns the code in clear once."""
    code, row = _new_code(session, actor, check_client(actor, session.get(Client, client_id)))
    session.commit()
    return code, row


def issue_and_unlock(*, session: Session, actor: Actor, client_id: int) -> tuple[str, PairingCode]:
    """A new code, and the wrong tries from the client's number forgotten: the real client, locked out
    after mistakes (or someone else's guessing from that number), can pair again with the new code.
    Committed together with whatever the caller added (the hand-off event)."""
    client = check_client(actor, session.get(Client, client_id))
    code, row = _new_code(session, actor, client)
    assert client.whatsapp is not None  # _new_code refuses a client without a number
    session.execute(delete(PairingFailure).where(PairingFailure.phone_key == phone_key(client.whatsapp),
                                                 PairingFailure.at > utcnow() - timedelta(days=1)))
    audit.record(session, actor=actor, action="unlock:pairing", client_id=client.id)
    session.commit()
    return code, row


def client_to_pair(session: Session, actor: Actor, handoff: Handoff) -> Client | None:
    """Whom a new code from this hand-off would be for: the actor's gemeente's client registered with the
    hand-off's number, while that number is not paired or after a pairing lock-out; else nobody."""
    client = session.scalar(select(Client).where(Client.whatsapp == handoff.phone))
    if client is None or not can_see_gemeente(actor, client.gemeente_id):
        return None
    if client.whatsapp_verified and handoff.trigger != HandoffTrigger.verification:
        return None
    return client


def _fail(session: Session, key: str, message: str, exc: type[Exception] = DomainError) -> Exception:
    session.add(PairingFailure(phone_key=key))
    session.commit()
    return exc(message)


def verify_code(*, session: Session, actor: Actor, phone: str, code: str) -> Client:
    """Mark the phone verified when the code matches the client registered with that number.

    Wrong codes count against the code and against the phone; past either limit a person must help.
    """
    settings = get_settings()
    now = utcnow()
    key = phone_key(phone)
    failures = session.scalar(select(func.count()).select_from(PairingFailure).where(
        PairingFailure.phone_key == key, PairingFailure.at > now - timedelta(days=1))) or 0
    if failures >= settings.pairing_max_failures_per_phone:
        raise TooManyAttempts("too many wrong codes from this number; your consultant will help you")
    client = session.scalar(select(Client).where(Client.whatsapp == phone))
    if client is None:
        raise _fail(session, key, "no pairing is waiting for this number", NotFound)
    pending = session.scalar(
        select(PairingCode).where(PairingCode.client_id == client.id, PairingCode.revoked_at.is_(None))
        .order_by(PairingCode.created_at.desc()).limit(1))
    if pending is None:
        raise _fail(session, key, "no pairing is waiting for this number", NotFound)
    if pending.used_at is not None:
        raise _fail(session, key, "this code was already used; ask your consultant for a new one", Gone)
    if pending.expires_at < now:
        raise _fail(session, key, "this code has expired; ask your consultant for a new one", Gone)
    if pending.attempts >= settings.pairing_max_attempts:
        raise _fail(session, key, "too many wrong tries; ask your consultant for a new code", TooManyAttempts)
    if not same(pending.code_hash, sha256(f"{client.id}:{code.strip()}")):
        pending.attempts += 1
        left = settings.pairing_max_attempts - pending.attempts
        if left <= 0:
            raise _fail(session, key, "too many wrong tries; ask your consultant for a new code", TooManyAttempts)
        raise _fail(session, key, f"wrong code; {left} tries left")
    pending.used_at = now
    client.whatsapp_verified_at = now
    audit.record(session, actor=actor, action="verify:phone", client_id=client.id)
    session.commit()
    return client
