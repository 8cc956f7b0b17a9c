"""Context carry-over (issue 18 point 5): a short follow-up ("and Thursday?") continues the topic of the last
answer, over the signed webhook in every language: after a lesson question "and the day after tomorrow?" is
answered with that day's lessons, after an appointments question with the appointments; the topic is a
slot a test can read."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml
from test_consent import turn
from test_safety_conversations import paired_client

from conftest import CONVERSATIONS, LANGUAGES, REPO, Stack, client_id

TZ = ZoneInfo("Europe/Amsterdam")


def day_after_tomorrow(language: str) -> str:
    """The language's word for it (a fixed word, so the test reads the same on every day of the week)."""
    data = yaml.safe_load((REPO / "bot" / "languages" / f"{language}.yml").read_text(encoding="utf-8"))
    return str(data["dates"]["day_after_tomorrow"][0])


@pytest.mark.parametrize("language", LANGUAGES)
def test_and_another_day_continues_the_last_topic(stack: Stack, language: str) -> None:
    sender = paired_client(stack, language)
    cid = client_id(stack, sender)
    lesson_day = datetime.now(TZ).replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=2)
    group = stack.staff("POST", "/groups", json={"gemeente_id": 1, "school": "Taalschool", "name": f"Groep {cid}"})
    assert group.status_code == 201, group.text
    assert stack.staff("POST", f"/groups/{group.json()['id']}/members", json={"client_id": cid}).status_code == 204
    ends = lesson_day + timedelta(hours=2)
    made = stack.staff("POST", f"/groups/{group.json()['id']}/lessons", json={
        "kind": "taalles", "starts_at": lesson_day.isoformat(), "ends_at": ends.isoformat(),
        "address": "Stationsplein 1"})
    assert made.status_code == 201, made.text
    said = CONVERSATIONS[language]

    def follow_up() -> list[str]:  # "and the day after tomorrow?"
        return turn(stack, sender, said["follow_up_day"].format(day=day_after_tomorrow(language)))

    turn(stack, sender, "hallo")
    turn(stack, sender, "1")
    assert turn(stack, sender, said["ask_lessons"]) == ["utter_lessons_none_day"]  # tomorrow: none
    assert stack.tracker(sender)["slots"]["last_topic"] == "ask_lessons"
    assert follow_up() == ["utter_lesson_item", "utter_source_lesrooster"]
    # After an appointments question the same words continue with the appointments, not the lessons.
    assert turn(stack, sender, said["ask_appointments"]) == ["utter_appointments_none"]
    assert follow_up() == ["utter_appointments_none"]
    assert stack.tracker(sender)["slots"]["last_topic"] == "ask_appointments"
