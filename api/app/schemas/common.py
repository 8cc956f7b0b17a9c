"""Field types shared by the request and response schemas."""

import re
import unicodedata
from datetime import UTC, date, datetime
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(value: str) -> bool:
    return _CONTROL.search(value) is not None


def _clean_text(value: str) -> str:
    # NUL and other control characters are refused (PostgreSQL cannot store NUL in text).
    if _CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def _no_control(value: str) -> str:
    if _CONTROL.search(value):  # PostgreSQL cannot even compare a text with NUL in it
        raise ValueError("control characters are not allowed")
    return value


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("give a timezone, e.g. 2026-11-23T09:00:00+01:00")
    if not 2000 <= value.year <= 2100:
        raise ValueError("year must be between 2000 and 2100")
    return value.astimezone(UTC)


def _reasonable_date(value: date) -> date:
    if not 2000 <= value.year <= 2100:
        raise ValueError("year must be between 2000 and 2100")
    return value


def normalise_phone(value: str, region: str = "NL") -> str:
    """E.164 form of a phone number; Dutch numbers may be written locally (06...)."""
    raw = value.removeprefix("whatsapp:").strip()
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def Text(max_length: int) -> type[str]:  # noqa: N802 - reads like a type in schemas
    return Annotated[str, Field(max_length=max_length), AfterValidator(_clean_text)]  # type: ignore[return-value]


Phone = Annotated[str, Field(max_length=40, examples=["+31612345678"]), AfterValidator(normalise_phone)]
Day = Annotated[date, AfterValidator(_reasonable_date)]
AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}$", examples=["ar"])]
DbId = Annotated[int, Field(ge=1, le=2**31 - 1)]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254), AfterValidator(_no_control)]


class Strict(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)
