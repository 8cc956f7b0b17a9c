"""The rules of the Wet inburgering 2021 the system relies on, and the per-gemeente settings.

This is the one place for them: national rules are constants here, everything a gemeente decides is a
field of GemeenteSettings (stored per gemeente, validated here). The assistant explains these rules; it
never decides on them.
"""

import calendar
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.models.enums import Doelgroep, Leerroute

# The inburgeringstermijn starts at the PIP and lasts three years; DUO may extend it.
TERMIJN_YEARS = 3

# What each leerroute asks (domain brief, "Leerroutes").
ROUTES: dict[Leerroute, dict[str, object]] = {
    Leerroute.b1: {"language_level": "B1", "exam": True, "modules": ("knm", "map", "pvt"),
                   "afschalen_after_hours": 600},
    Leerroute.onderwijs: {"language_level": "B1+", "exam": False, "modules": ("pvt",)},
    Leerroute.z: {"language_level": "A1", "exam": False, "language_hours": 800,
                  "participation_hours": 800, "modules": ("map", "pvt")},
    Leerroute.undecided: {"modules": ("knm", "map", "pvt")},
}

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class OpeningSpan(BaseModel):
    model_config = ConfigDict(extra="forbid")
    opens: HHMM
    closes: HHMM

    @model_validator(mode="after")
    def _closes_after_opens(self) -> "OpeningSpan":
        if time.fromisoformat(self.closes) <= time.fromisoformat(self.opens):
            raise ValueError("closes must be after opens")
        return self


class TravelReimbursement(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reimbursed: bool = True
    min_distance_km: float = Field(default=10, ge=0, le=1000)
    how: str = Field(default="", max_length=500)


class EmergencyNumber(BaseModel):
    """A number for someone in danger or crisis, told in the person's language: the label is a translated
    message (utter_emergency_<kind>), the number is the same in every language."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["emergency", "gp_post", "crisis", "suicide_prevention", "veilig_thuis", "gemeente"]
    number: str = Field(min_length=2, max_length=30, pattern=r"^[0-9+][0-9 ()+-]*$")


class GemeenteSettings(BaseModel):
    """Everything that differs between gemeenten. Defaults follow common practice."""

    model_config = ConfigDict(extra="forbid")

    consultant_title: str = Field(default="consulent inburgering", min_length=2, max_length=60)
    timezone: Literal["Europe/Amsterdam"] = "Europe/Amsterdam"
    office_hours: dict[Weekday, list[OpeningSpan]] = Field(
        default_factory=lambda: {d: [OpeningSpan(opens="09:00", closes="17:00")]
                                 for d in ("mon", "tue", "wed", "thu", "fri")}
    )
    phone: str = Field(default="14 0000", max_length=30)
    email: str = Field(default="", max_length=254)
    address: str = Field(default="", max_length=200)
    # For staff only (free Dutch text); the assistant sends emergency_numbers, with labels in the person's language.
    emergency_contact: str = Field(default="", max_length=300)
    # Sent with every urgent hand-off (distress, money emergency, violence), after the national numbers that the
    # messages themselves name (112, 113, Veilig Thuis): the gemeente's own lines.
    emergency_numbers: list[EmergencyNumber] = Field(default_factory=list, max_length=6)
    ontzorgen_months: int = Field(default=6, ge=0, le=36)
    ontzorgen_extension_months: int = Field(default=3, ge=0, le=36)
    uses_fines: bool = True
    travel: TravelReimbursement = Field(default_factory=TravelReimbursement)
    # Gooise Meren: everything in the own language and Dutch during the first months.
    bilingual_months: int = Field(default=0, ge=0, le=36)
    # How long a consultant takes per waiting hand-off, to tell people when a person will answer.
    minutes_per_handoff: int = Field(default=15, ge=1, le=480)
    # Machine translation for consultants (LibreTranslate-compatible URL); off when empty.
    machine_translation_url: str = Field(default="", max_length=300, pattern=r"^(https?://\S+)?$")

    @field_validator("office_hours")
    @classmethod
    def _spans_ordered(cls, value: dict[str, list[OpeningSpan]]) -> dict[str, list[OpeningSpan]]:
        for day, spans in value.items():
            for a, b in pairwise(spans):
                if time.fromisoformat(b.opens) < time.fromisoformat(a.closes):
                    raise ValueError(f"opening hours of {day} overlap")
        return value


def add_months(d: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def termijn_end(pip_date: date | None, duo_extension_months: int = 0) -> date | None:
    """End of the inburgeringstermijn: PIP + 3 years + any DUO extensions; None before the PIP."""
    if pip_date is None:
        return None
    return add_months(pip_date, 12 * TERMIJN_YEARS + duo_extension_months)


def ontzorgen_default_end(start: date, settings: GemeenteSettings) -> date:
    return add_months(start, settings.ontzorgen_months)


def ontzorgen_eligible(doelgroep: Doelgroep) -> bool:
    """Only asielstatushouders are ontzorgd; gezinsmigranten arrange their own costs."""
    return doelgroep == Doelgroep.asielstatushouder


def modules_required(route: Leerroute) -> tuple[str, ...]:
    return tuple(ROUTES[route]["modules"])  # type: ignore[arg-type]


def local_today(tz: str = "Europe/Amsterdam") -> date:
    """Today's date where the client lives: "today" at 00:30 in Amsterdam is not UTC's today."""
    return datetime.now(ZoneInfo(tz)).date()


WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def is_open(settings: GemeenteSettings, moment: datetime) -> bool:
    """Is a person at the gemeente working at this moment (its office hours, local time)?"""
    local = moment.astimezone(ZoneInfo(settings.timezone))
    spans = settings.office_hours.get(WEEKDAYS[local.weekday()], [])
    return any(time.fromisoformat(s.opens) <= local.time() < time.fromisoformat(s.closes) for s in spans)


def person_answers_by(settings: GemeenteSettings, moment: datetime, waiting_before: int) -> datetime:
    """When a person will likely answer a new hand-off: the office hours' working minutes, with
    `minutes_per_handoff` for each hand-off already waiting and for this one."""
    tz = ZoneInfo(settings.timezone)
    local = moment.astimezone(tz)
    need = settings.minutes_per_handoff * (waiting_before + 1)
    for offset in range(15):  # two weeks ahead is plenty; no office hours at all: answer "later"
        day = local.date() + timedelta(days=offset)
        for span in settings.office_hours.get(WEEKDAYS[day.weekday()], []):
            opens = datetime.combine(day, time.fromisoformat(span.opens), tz)
            closes = datetime.combine(day, time.fromisoformat(span.closes), tz)
            start = max(opens, local)
            if start >= closes:
                continue
            available = (closes - start).total_seconds() / 60
            if need <= available:
                return start + timedelta(minutes=need)
            need -= available
    return local + timedelta(days=14)
