"""Staff accounts and their logins."""

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.config import get_settings
from app.errors import Conflict, Forbidden, NotFound
from app.models import Gemeente, StaffSession, StaffUser
from app.models.enums import Role
from app.models.types import utcnow
from app.schemas.common import has_control
from app.schemas.staff import StaffCreate, StaffUpdate
from app.services.access import Actor, require_role
from app.services.security import hash_password, new_token, sha256, verify_password


def login(*, session: Session, email: str, password: str) -> tuple[str, StaffSession]:
    # No address has control characters; PostgreSQL cannot even compare text holding NUL (the fuzzer's find).
    user = None if has_control(email) else session.scalar(select(StaffUser).where(
        StaffUser.email == email.strip().lower()))
    ok = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.active:
        raise Forbidden("wrong e-mail or password")
    token = new_token()
    now = utcnow()
    row = StaffSession(token_hash=sha256(token), user_id=user.id, created_at=now,
                       expires_at=now + timedelta(hours=get_settings().session_hours))
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id,
                                               StaffSession.expires_at < now))
    session.add(row)
    session.commit()
    return token, row


def user_for_token(*, session: Session, token: str) -> StaffUser | None:
    row = session.scalar(select(StaffSession).where(StaffSession.token_hash == sha256(token)))
    if row is None or row.expires_at < utcnow() or not row.user.active:
        return None
    return row.user


def logout(*, session: Session, token: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.token_hash == sha256(token)))
    session.commit()


def _manageable(actor: Actor, gemeente_id: int | None) -> None:
    admin = require_role(actor, Role.admin)
    if admin.gemeente_id is not None and gemeente_id != admin.gemeente_id:
        raise Forbidden("you manage only your own gemeente")


def create_staff(*, session: Session, actor: Actor, data: StaffCreate) -> StaffUser:
    _manageable(actor, data.gemeente_id)
    if data.gemeente_id is not None and session.get(Gemeente, data.gemeente_id) is None:
        raise NotFound("gemeente not found")
    if data.role != Role.admin and data.gemeente_id is None:
        raise Conflict("consultants and cultuurvertalers belong to a gemeente")
    email = data.email.lower()
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise Conflict("a staff user with this e-mail exists")
    user = StaffUser(email=email, name=data.name, role=data.role, gemeente_id=data.gemeente_id,
                     languages=data.languages, password_hash=hash_password(data.password))
    session.add(user)
    session.commit()
    return user


def list_staff(*, session: Session, actor: Actor, gemeente_id: int | None) -> list[StaffUser]:
    query = select(StaffUser).order_by(StaffUser.id)
    if not actor.is_region_admin:
        own = actor.user.gemeente_id if actor.user else None
        if gemeente_id is not None and gemeente_id != own:
            return []
        gemeente_id = own
    if gemeente_id is not None:
        query = query.where(StaffUser.gemeente_id == gemeente_id)
    return list(session.scalars(query))


def get_staff(*, session: Session, actor: Actor, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None or not (actor.is_region_admin or (actor.user and user.gemeente_id == actor.user.gemeente_id)):
        raise NotFound("staff user not found")
    return user


def update_staff(*, session: Session, actor: Actor, user_id: int, data: StaffUpdate) -> StaffUser:
    user = get_staff(session=session, actor=actor, user_id=user_id)
    if actor.user is None or actor.user.id != user.id:
        _manageable(actor, user.gemeente_id)
    elif data.active is not None:
        raise Forbidden("you cannot (de)activate yourself")
    changes = data.model_dump(exclude_unset=True)
    if "password" in changes:
        if changes["password"] is None:
            raise Conflict("password cannot be empty")
        user.password_hash = hash_password(changes.pop("password"))
        session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    for field in ("name", "languages", "active"):
        if changes.get(field) is not None:
            setattr(user, field, changes[field])
    session.commit()
    return user
