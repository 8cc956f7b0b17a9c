"""Staff accounts and their logins."""

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.config import get_settings
from app.errors import Conflict, Forbidden, NotFound
from app.models import Gemeente, StaffSession, StaffUser
from app.models.types import utcnow
from app.schemas.common import has_control
from app.schemas.staff import StaffCreate, StaffUpdate
from app.services.access import Actor, check_staff_change
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


def create_staff(*, session: Session, actor: Actor, data: StaffCreate) -> StaffUser:
    check_staff_change(actor, None, data.model_dump(exclude={"email"}))  # a new address needs no right of its own
    if data.gemeente_id is not None and session.get(Gemeente, data.gemeente_id) is None:
        raise NotFound("gemeente not found")
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
    given = data.model_dump(exclude_unset=True)
    if "password" in given and given["password"] is None:
        raise Conflict("password cannot be empty")
    # Only gemeente_id has a meaningful null (a region admin); elsewhere null means "leave as is".
    given = {k: v for k, v in given.items() if v is not None or k == "gemeente_id"}
    # Rights are checked for what really changes, so sending back an unchanged field is harmless.
    changes = {k: v for k, v in given.items() if k == "password" or getattr(user, k) != v}
    check_staff_change(actor, user, changes)
    if changes.get("gemeente_id") is not None and session.get(Gemeente, changes["gemeente_id"]) is None:
        raise NotFound("gemeente not found")
    if "password" in changes:
        user.password_hash = hash_password(changes.pop("password"))
        session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    for field, value in changes.items():
        setattr(user, field, value)
    session.commit()
    return user
