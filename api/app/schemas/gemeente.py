from datetime import datetime

from pydantic import Field

from app.rules import GemeenteSettings
from app.schemas.common import Read, Strict, Text


class GemeenteCreate(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]{2,64}$")
    name: Text(120)
    settings: GemeenteSettings = Field(default_factory=GemeenteSettings)


class GemeenteUpdate(Strict):
    name: Text(120) | None = None
    settings: GemeenteSettings | None = None


class GemeenteRead(Read):
    id: int
    slug: str
    name: str
    settings: GemeenteSettings
    created_at: datetime


class GemeentePublic(Read):
    """What anyone may know: the assistant's general answers use this."""

    slug: str
    name: str
    settings: GemeenteSettings
