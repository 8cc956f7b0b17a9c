from datetime import datetime

from pydantic import Field

from app.models.enums import Role
from app.schemas.common import DbId, Language, Read, Strict, Text


class LoginRequest(Strict):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)


class TokenResponse(Read):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


class StaffCreate(Strict):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    name: Text(120)
    role: Role
    gemeente_id: DbId | None = None
    languages: list[Language] = Field(default_factory=list, max_length=20)
    password: str = Field(min_length=10, max_length=200)


class StaffUpdate(Strict):
    name: Text(120) | None = None
    languages: list[Language] | None = Field(default=None, max_length=20)
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
