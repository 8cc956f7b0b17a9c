"""Who is asking, and what they may see. The one place for access rules."""

from dataclasses import dataclass

from app.errors import Forbidden, NotFound
from app.models import Client, StaffUser
from app.models.enums import Channel, Role


@dataclass(frozen=True)
class Actor:
    kind: Channel
    name: str  # for the audit log: "staff:<id>" or "assistant"
    user: StaffUser | None = None

    @property
    def is_region_admin(self) -> bool:
        return self.user is not None and self.user.role == Role.admin and self.user.gemeente_id is None


ASSISTANT = Actor(kind=Channel.assistant, name="assistant")


def staff_actor(user: StaffUser) -> Actor:
    return Actor(kind=Channel.staff, name=f"staff:{user.id}", user=user)


def require_role(actor: Actor, *roles: Role) -> StaffUser:
    if actor.user is None or actor.user.role not in roles:
        raise Forbidden("your role may not do this")
    return actor.user


def can_see_gemeente(actor: Actor, gemeente_id: int) -> bool:
    if actor.kind == Channel.assistant or actor.is_region_admin:
        return True
    user = actor.user
    return user is not None and user.role in (Role.consultant, Role.admin) and user.gemeente_id == gemeente_id


def check_gemeente(actor: Actor, gemeente_id: int) -> None:
    """Case data of another gemeente looks like it does not exist (no probing across tenants)."""
    if actor.user is not None and actor.user.role == Role.cultuurvertaler:
        raise Forbidden("cultuurvertalers do not see case data")
    if not can_see_gemeente(actor, gemeente_id):
        raise NotFound("not found")


def check_client(actor: Actor, client: Client | None) -> Client:
    if client is None:
        raise NotFound("client not found")
    check_gemeente(actor, client.gemeente_id)
    return client
