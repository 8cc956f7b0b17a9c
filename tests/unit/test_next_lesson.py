"""'When is my lesson?' answers with the next lesson that has not ended: not one that ended earlier today
(issue 18). The action runs against a small API that keeps the real one's contract for GET /me/lessons
(lessons that overlap [start, end))."""

from fake_api import ME, act

ANSWER = f"""
ME = {ME!r}
now = datetime.now(ZoneInfo("Europe/Amsterdam"))
midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
ended = {{"id": 1, "kind": "taal", "starts_at": midnight.isoformat(), "cancelled": False, "address": "Stadhuis",
         "ends_at": max(midnight + timedelta(seconds=1), now - timedelta(seconds=10)).isoformat()}}
tomorrow = midnight + timedelta(days=1, hours=9)
later = {{"id": 2, "kind": "taal", "starts_at": tomorrow.isoformat(), "cancelled": False, "address": "Stadhuis",
         "ends_at": (tomorrow + timedelta(hours=2)).isoformat()}}

def answer(path, query):
    if path == "/api/v1/assistant/me":
        return ME
    start, end = datetime.fromisoformat(query["start"][0]), datetime.fromisoformat(query["end"][0])
    data = [x for x in (ended, later) if datetime.fromisoformat(x["ends_at"]) > start
            and datetime.fromisoformat(x["starts_at"]) < end]
    return {{"data": data, "count": len(data), "start": query["start"][0], "end": query["end"][0]}}
"""


def test_the_next_lesson_is_one_that_has_not_ended() -> None:
    said = act("actions.lessons.ActionLessons", ANSWER, {"text": "wanneer is mijn les?",
                                                         "intent": {"name": "ask_lessons"}})
    lessons = [m["start_date"] for m in said if m["response"] == "utter_lesson_item"]
    assert len(lessons) == 1 and "T09:00:00" in lessons[0]  # tomorrow's, not the one that ended just now
