"""Who is asking, and what they may see. The one place for access rules."""

from collections.abc import Mapping
from dataclasses import dataclass

from app.errors import Conflict, Forbidden, NotFound
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


# Staff records. Who may change which field: the user themselves and/or an admin whose scope covers the user
# (a region admin: everyone; a gemeente admin: the staff of their own gemeente). Languages decide which
# translations a cultuurvertaler approves, so nobody picks their own.
STAFF_SELF_EDITABLE = frozenset({"name", "password"})
STAFF_ADMIN_EDITABLE = frozenset({"name", "password", "languages", "role", "gemeente_id", "active"})
# Never on oneself, admins included: no one locks themselves out or shrinks their own scope by accident.
STAFF_NOT_ON_ONESELF = frozenset({"role", "gemeente_id", "active"})


def check_staff_change(actor: Actor, target: StaffUser | None, changes: Mapping[str, object]) -> None:
    """The one rule for creating (target None) and editing staff records; `changes` holds the fields that
    change, with their new values. Raises Forbidden or Conflict; returns if allowed."""
    me = actor.user
    if me is None:
        raise Forbidden("your role may not do this")
    oneself = target is not None and target.id == me.id
    covers = me.role == Role.admin and (me.gemeente_id is None or target is None
                                        or target.gemeente_id == me.gemeente_id)
    for field in changes:
        if oneself and field in STAFF_NOT_ON_ONESELF:
            raise Forbidden(f"you cannot change your own {field.replace('_id', '')}; ask another admin")
        if not ((oneself and field in STAFF_SELF_EDITABLE) or (covers and field in STAFF_ADMIN_EDITABLE)):
            raise Forbidden(f"only an admin of this gemeente may change {field.replace('_id', '')}")
    # The record as it will be: a gemeente admin keeps everyone in their gemeente (no region admins either).
    role = changes.get("role", target.role if target else None)
    gemeente_id = changes.get("gemeente_id", target.gemeente_id if target else None)
    if me.gemeente_id is not None and gemeente_id != me.gemeente_id:
        raise Forbidden("you manage only your own gemeente")
    if role != Role.admin and gemeente_id is None:
        raise Conflict("consultants and cultuurvertalers belong to a gemeente")
