"""A new session (after a day of silence) keeps the conversation's slots but not the consent: the action
server asks the API again, so a new version of the privacy notice is asked again (issue 18)."""

import json

from test_safety_model import in_bot_env


def test_a_new_session_keeps_the_slots_but_looks_up_the_consent_again() -> None:
    out = in_bot_env("""
import asyncio, json, os
os.environ['API_ENVIRONMENT'] = 'test'
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from actions.core import ActionSessionStart

tracker = Tracker("+31612345678", {"consent": True, "language": "ar", "verified": True, "pending_menu": None},
                  {}, [], False, None, {}, "action_listen")
events = asyncio.run(ActionSessionStart().run(CollectingDispatcher(), tracker, {}))
print(json.dumps(events))
""")
    events = json.loads(out.strip().splitlines()[-1])
    assert events[0]["event"] == "session_started" and events[-1] == {**events[-1], "name": "action_listen"}
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots == {"language": "ar", "verified": True}  # consent left out: looked up in the API again
