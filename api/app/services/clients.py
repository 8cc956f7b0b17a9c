"""Clients (cases): keeping them, and what the assistant may read of them."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import Conflict, NotFound
from app.models import Client, Gemeente, StaffUser
from app.models.enums import Role
from app.rules import local_today, modules_required, termijn_end
from app.schemas.client import (
    ClientCreate,
    ClientProfile,
    ClientUpdate,
    ContactPerson,
    ModuleStatus,
    RouteRead,
)
from app.services import audit
from app.services.access import Actor, check_client, check_gemeente
from app.services.gemeenten import settings_of


def get_client(*, session: Session, actor: Actor, client_id: int, action: str = "read:client") -> Client:
    """Fetch a client the actor may see, and audit the read."""
    client = check_client(actor, session.get(Client, client_id))
    audit.record(session, actor=actor, action=action, client_id=client.id)
    session.commit()
    return client


def verified_client_by_phone(*, session: Session, phone: str) -> Client:
    client = session.scalar(select(Client).where(Client.whatsapp == phone))
    if client is None or not client.whatsapp_verified:
        raise NotFound("no verified client for this number")
    return client


def _check_consultant(session: Session, gemeente_id: int, consultant_id: int | None) -> None:
    if consultant_id is None:
        return
    consultant = session.get(StaffUser, consultant_id)
    if consultant is None or consultant.role != Role.consultant or consultant.gemeente_id != gemeente_id:
        raise Conflict("consultant_id must be a consultant of the same gemeente")


def _check_phone_free(session: Session, phone: str | None, client_id: int | None = None) -> None:
    if phone is None:
        return
    other = session.scalar(select(Client.id).where(Client.whatsapp == phone))
    if other is not None and other != client_id:
        raise Conflict("this WhatsApp number belongs to another client")


def create_client(*, session: Session, actor: Actor, data: ClientCreate) -> Client:
    check_gemeente(actor, data.gemeente_id)
    if session.get(Gemeente, data.gemeente_id) is None:
        raise NotFound("gemeente not found")
    _check_consultant(session, data.gemeente_id, data.consultant_id)
    _check_phone_free(session, data.whatsapp)
    client = Client(**data.model_dump())
    session.add(client)
    session.flush()
    audit.record(session, actor=actor, action="create:client", client_id=client.id)
    session.commit()
    return client


def update_client(*, session: Session, actor: Actor, client_id: int, data: ClientUpdate) -> Client:
    client = check_client(actor, session.get(Client, client_id))
    changes = data.model_dump(exclude_unset=True)
    required = {"first_name", "last_name", "preferred_language", "doelgroep", "leerroute", "route_status",
                "knm_status", "map_status", "pvt_status", "bilingual", "interpreter_needed",
                "duo_extension_months"}
    empty = sorted(k for k in required if k in changes and changes[k] is None)
    if empty:
        raise Conflict(f"cannot be empty: {', '.join(empty)}")
    if "consultant_id" in changes:
        _check_consultant(session, client.gemeente_id, changes["consultant_id"])
    if "whatsapp" in changes and changes["whatsapp"] != client.whatsapp:
        _check_phone_free(session, changes["whatsapp"], client.id)
        client.whatsapp_verified_at = None
    for key, value in changes.items():
        setattr(client, key, value)
    audit.record(session, actor=actor, action="update:client", client_id=client.id,
                 detail=",".join(sorted(changes)))
    session.commit()
    return client


def delete_client(*, session: Session, actor: Actor, client_id: int) -> None:
    client = check_client(actor, session.get(Client, client_id))
    audit.record(session, actor=actor, action="delete:client", client_id=client.id)
    session.delete(client)
    session.commit()


def list_clients(*, session: Session, actor: Actor, gemeente_id: int | None, consultant_id: int | None,
                 limit: int, offset: int) -> tuple[list[Client], int]:
    query = select(Client)
    if not actor.is_region_admin:
        own = actor.user.gemeente_id if actor.user else None
        check_gemeente(actor, own or 0)
        if gemeente_id is not None and gemeente_id != own:
            return [], 0
        gemeente_id = own
    if gemeente_id is not None:
        query = query.where(Client.gemeente_id == gemeente_id)
    if consultant_id is not None:
        query = query.where(Client.consultant_id == consultant_id)
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(session.scalars(query.order_by(Client.last_name, Client.id).limit(limit).offset(offset)))
    audit.record(session, actor=actor, action="list:clients", client_id=None, detail=f"{len(rows)} rows")
    session.commit()
    return rows, count


def profile(*, session: Session, actor: Actor, client: Client) -> ClientProfile:
    settings = settings_of(client.gemeente)
    audit.record(session, actor=actor, action="read:profile", client_id=client.id)
    session.commit()
    return ClientProfile(
        client_id=client.id, first_name=client.first_name, preferred_language=client.preferred_language,
        bilingual=client.bilingual, interpreter_needed=client.interpreter_needed,
        gemeente=client.gemeente.name, gemeente_slug=client.gemeente.slug,
        contact=ContactPerson(
            name=client.consultant.name if client.consultant else None,
            title=settings.consultant_title, phone=settings.phone, email=settings.email,
            office_hours={d: [s.model_dump() for s in spans] for d, spans in settings.office_hours.items()},
        ),
    )


def route(*, session: Session, actor: Actor, client: Client, today: date | None = None) -> RouteRead:
    today = today or local_today()
    end = termijn_end(client.pip_date, client.duo_extension_months)
    required = modules_required(client.leerroute)
    modules = [
        ModuleStatus(module=m, status=getattr(client, f"{m}_status"), required=m in required)
        for m in ("knm", "map", "pvt")
    ]
    audit.record(session, actor=actor, action="read:route", client_id=client.id)
    session.commit()
    return RouteRead(
        leerroute=client.leerroute, route_status=client.route_status, doelgroep=client.doelgroep,
        pip_date=client.pip_date, termijn_end=end, days_left=(end - today).days if end else None,
        duo_extension_months=client.duo_extension_months, modules=modules,
    )
