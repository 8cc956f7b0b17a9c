from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, NotFound
from app.models import Gemeente
from app.models.enums import Role
from app.rules import GemeenteSettings
from app.schemas.gemeente import GemeenteCreate, GemeenteUpdate
from app.services.access import Actor, require_role


def list_gemeenten(*, session: Session) -> list[Gemeente]:
    return list(session.scalars(select(Gemeente).order_by(Gemeente.name)))


def get_gemeente(*, session: Session, slug: str) -> Gemeente:
    gemeente = session.scalar(select(Gemeente).where(Gemeente.slug == slug))
    if gemeente is None:
        raise NotFound("gemeente not found")
    return gemeente


def settings_of(gemeente: Gemeente) -> GemeenteSettings:
    return GemeenteSettings.model_validate(gemeente.settings or {})


def create_gemeente(*, session: Session, actor: Actor, data: GemeenteCreate) -> Gemeente:
    admin = require_role(actor, Role.admin)
    if admin.gemeente_id is not None:
        raise Conflict("only a region admin adds gemeenten")
    if session.scalar(select(Gemeente.id).where(Gemeente.slug == data.slug)) is not None:
        raise Conflict("a gemeente with this slug exists")
    gemeente = Gemeente(slug=data.slug, name=data.name, settings=data.settings.model_dump(mode="json"))
    session.add(gemeente)
    session.commit()
    return gemeente


def update_gemeente(*, session: Session, actor: Actor, slug: str, data: GemeenteUpdate) -> Gemeente:
    admin = require_role(actor, Role.admin)
    gemeente = get_gemeente(session=session, slug=slug)
    if admin.gemeente_id not in (None, gemeente.id):
        raise NotFound("gemeente not found")
    if data.name is not None:
        gemeente.name = data.name
    if data.settings is not None:
        gemeente.settings = data.settings.model_dump(mode="json")
    session.commit()
    return gemeente
