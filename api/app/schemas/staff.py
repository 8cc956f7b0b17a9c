from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from app.models.enums import Role
from app.schemas.common import DbId, Email, Language, Read, Strict, Text
from app.services.languages import all_languages


def _known(code: str) -> str:
    # A staff member's languages decide what they review; a made-up code is a typo, not a language.
    if code not in all_languages():
        raise ValueError(f"unknown language; known: {', '.join(sorted(all_languages()))}")
    return code


StaffLanguage = Annotated[Language, AfterValidator(_known)]


class LoginRequest(Strict):
    email: str = Field(max_length=254)  # control characters: refused by the log-in itself (403, like a wrong one)
    password: str = Field(max_length=200)


class TokenResponse(Read):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


class StaffCreate(Strict):
    email: Email
    name: Text(120)
    role: Role
    gemeente_id: DbId | None = None
    languages: list[StaffLanguage] = Field(default_factory=list, max_length=20)
    password: str = Field(min_length=10, max_length=200)


class StaffUpdate(Strict):
    """Who may change which field: app.services.access.check_staff_change."""

    name: Text(120) | None = None
    languages: list[StaffLanguage] | None = Field(default=None, max_length=20)
    role: Role | None = None
    gemeente_id: DbId | None = None  # null: a region admin (admins only)
    password: str | None = Field(default=None, min_length=10, max_length=200)
    active: bool | None = None


class StaffRead(Read):
    id: int
    email: str
    name: str
    role: Role
    gemeente_id: int | None
    languages: list[str]
    active: bool
