"""Ties between the API's keyed case data and the assistant's messages: every key a client can be shown has a
Dutch label in the domain (the actions build the response keys from these values), so adding a key without its
label fails here, not in a conversation."""

from typing import get_args

import pytest

from app.models.enums import AppointmentKind, BringItem, LessonKind, OntzorgenItemKind
from app.rules import EmergencyNumber
from app.services.catalog import cached_sources

LABELS = [
    (AppointmentKind, "utter_appointment_kind_{}", {AppointmentKind.other}),  # "other": the free text only
    (BringItem, "utter_bring_{}", set()),
    (LessonKind, "utter_kind_{}", set()),
    (OntzorgenItemKind, "utter_item_{}", set()),
    (get_args(EmergencyNumber.model_fields["kind"].annotation), "utter_emergency_{}", set()),
]


@pytest.mark.parametrize(("enum", "pattern", "without"), LABELS, ids=lambda v: getattr(v, "__name__", "emergency"))
def test_every_key_has_a_label(enum: type, pattern: str, without: set) -> None:  # type: ignore[type-arg]
    sources = cached_sources()
    values = [getattr(member, "value", member) for member in enum]
    missing = [value for value in values if value not in without and pattern.format(value) not in sources]
    assert not missing, f"no Dutch label for {missing}"
