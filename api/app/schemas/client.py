from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.models.enums import Doelgroep, Leerroute, Progress
from app.schemas.common import Day, DbId, Language, Phone, Read, Strict, Text


class ClientCreate(Strict):
    gemeente_id: DbId
    consultant_id: DbId | None = None
    first_name: Text(80)
    last_name: Text(80)
    preferred_language: Language = "nl"
    whatsapp: Phone | None = None
    doelgroep: Doelgroep
    pip_date: Day | None = None
    duo_extension_months: int = Field(default=0, ge=0, le=60)
    leerroute: Leerroute = Leerroute.undecided
    route_status: Progress = Progress.not_started
    knm_status: Progress = Progress.not_started
    map_status: Progress = Progress.not_started
    pvt_status: Progress = Progress.not_started
    bilingual: bool = False
    interpreter_needed: bool = False


class ClientUpdate(Strict):
    consultant_id: DbId | None = None
    first_name: Text(80) | None = None
    last_name: Text(80) | None = None
    preferred_language: Language | None = None
    # Changing the number drops its verification: the new phone must pair again.
    whatsapp: Phone | None = None
    doelgroep: Doelgroep | None = None
    pip_date: Day | None = None
    duo_extension_months: int | None = Field(default=None, ge=0, le=60)
    leerroute: Leerroute | None = None
    route_status: Progress | None = None
    knm_status: Progress | None = None
    map_status: Progress | None = None
    pvt_status: Progress | None = None
    bilingual: bool | None = None
    interpreter_needed: bool | None = None


class ClientRead(Read):
    id: int
    gemeente_id: int
    consultant_id: int | None
    first_name: str
    last_name: str
    preferred_language: str
    whatsapp: str | None
    whatsapp_verified: bool
    doelgroep: Doelgroep
    pip_date: date | None
    duo_extension_months: int
    leerroute: Leerroute
    route_status: Progress
    knm_status: Progress
    map_status: Progress
    pvt_status: Progress
    bilingual: bool
    interpreter_needed: bool
    created_at: datetime


class ClientList(Read):
    data: list[ClientRead]
    count: int


class ContactPerson(Read):
    name: str | None
    title: str
    phone: str
    email: str
    office_hours: dict[str, list[dict[str, str]]]


class ClientProfile(Read):
    """What the assistant knows about a verified client: enough to greet and route, no more."""

    client_id: int
    first_name: str
    preferred_language: str
    bilingual: bool
    interpreter_needed: bool
    gemeente: str
    gemeente_slug: str
    contact: ContactPerson


class ModuleStatus(Read):
    module: str
    status: Progress
    required: bool


class RouteRead(Read):
    leerroute: Leerroute
    route_status: Progress
    doelgroep: Doelgroep
    pip_date: date | None
    termijn_end: date | None
    days_left: int | None
    duo_extension_months: int
    modules: list[ModuleStatus]


ConsentHow = Literal["number", "words", "withdrawn"]  # answered 1/2, in words, or withdrawn after confirming
ConsentState = Literal["given", "declined", "withdrawn", "outdated", "unknown"]  # outdated: an older notice's yes


class ConsentGiven(Strict):
    given: bool
    how: ConsentHow


class ConsentRead(BaseModel):
    state: ConsentState
    version: str | None = None  # of the notice answered
    at: datetime | None = None
    current_version: str
