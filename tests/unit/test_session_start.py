"""A new session (a new conversation, one Rasa lost, or after a day of silence) keeps the conversation's slots
but takes the consent from the API, which keeps it with the notice's version (issue 18): asked once, and
again for a new version of the notice."""

import json

from fake_api import SERVER
from test_safety_model import in_bot_env

RUN = """
os.environ['API_ENVIRONMENT'] = 'test'
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from actions.core import ActionSessionStart

tracker = Tracker("+31612345678", {"consent": True, "language": "ar", "verified": True, "pending_menu": None},
                  {}, [], False, None, {}, "action_listen")
print(json.dumps(asyncio.run(ActionSessionStart().run(CollectingDispatcher(), tracker, {}))))
"""


def session_start(state: str) -> tuple[list[dict], dict]:  # type: ignore[type-arg]
    answer = f"def answer(path, query):\n    return {{'state': {state!r}, 'current_version': '2026-11'}}"
    events = json.loads(in_bot_env(SERVER.format(answer=answer) + RUN).strip().splitlines()[-1])
    return events, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_a_new_session_keeps_the_slots_and_takes_the_consent_from_the_api() -> None:
    events, slots = session_start("given")
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"
    assert slots == {"language": "ar", "verified": True, "consent": True}
    assert session_start("withdrawn")[1]["consent"] is False
    # Never answered, or answered for an older notice: no consent, so the notice is asked (again).
    assert "consent" not in session_start("outdated")[1]
    assert "consent" not in session_start("unknown")[1]
