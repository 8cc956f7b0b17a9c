"""Nothing is passed on that the person did not choose (issue 18): a message that reads as "change my
appointment" from a client with one appointment shows it and asks "shall I? 1 yes 2 no" before a request
reaches the consultant; 2 leaves it, 1 passes it on. Over the signed webhook, in every language."""

from datetime import datetime, timedelta

import pytest
from test_consent import turn
from test_safety_conversations import paired_client

from conftest import CONVERSATIONS, LANGUAGES, Stack, client_id


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_change_to_the_only_appointment_is_passed_on_after_a_yes(stack: Stack, language: str) -> None:
    sender = paired_client(stack, language)
    cid = client_id(stack, sender)
    starts = (datetime.now().astimezone() + timedelta(days=5)).replace(hour=10, minute=0, second=0, microsecond=0)
    made = stack.staff("POST", "/appointments", json={
        "client_id": cid, "counterpart": "consultant", "with_name": "J. de Vries", "starts_at": starts.isoformat(),
        "location": "Stadhuis", "kind": "pip"})
    assert made.status_code == 201, made.text
    turn(stack, sender, "hallo")
    turn(stack, sender, "1")

    def requests() -> list:  # type: ignore[type-arg]
        return list(stack.staff("GET", f"/clients/{cid}/appointment-requests").json())

    asked = turn(stack, sender, CONVERSATIONS[language]["request_reschedule"])
    assert asked[-2:] == ["utter_appointment_item", "utter_confirm_reschedule"], asked
    assert requests() == []  # nothing passed on yet
    assert turn(stack, sender, "2") == ["utter_change_kept"]
    assert requests() == []
    turn(stack, sender, CONVERSATIONS[language]["request_reschedule"])
    assert turn(stack, sender, "1") == ["utter_reschedule_recorded"]
    assert [(r["kind"], r["status"]) for r in requests()] == [("reschedule", "open")]
