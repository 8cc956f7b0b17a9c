"""The topic a short follow-up continues (issue 18 point 5): set by an answer that has one, kept for a few
understood turns, then forgotten; a follow-up runs that topic's action on the new message."""

import json

from test_safety_model import in_bot_env

RUN = """
import asyncio, json, os
os.environ['API_ENVIRONMENT'] = 'test'
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from actions.base import _context
from actions.follow_up import ActionFollowUp
from actions.routes import CONTEXT_TURNS

def tracker(slots, message=None):
    return Tracker("+31612345678", {"consent": True, "verified": True, **slots}, message or {}, [], False, None, {},
                   "action_listen")

def slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}

out = {"turns": CONTEXT_TURNS}
out["set"] = slots(_context("action_lessons", True, tracker({}), []))
out["aged"] = slots(_context("action_route", True, tracker({"last_topic": "ask_lessons", "topic_age": 1.0}), []))
out["forgotten"] = slots(_context("action_route", True, tracker({"last_topic": "ask_lessons",
                                                                 "topic_age": float(CONTEXT_TURNS)}), []))
out["not_understood"] = slots(_context("action_not_understood", False, tracker({"last_topic": "ask_lessons"}), []))
nested = [{"event": "slot", "name": "last_topic", "value": "ask_appointments"}]
out["nested"] = _context("action_menu_choice", True, tracker({"last_topic": "ask_lessons"}), nested)
message = {"text": "en KNM?", "intent": {"name": "follow_up", "confidence": 0.9},
           "entities": [{"entity": "term", "value": "knm"}]}
for topic in ("explain_term", None):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionFollowUp().run(dispatcher, tracker({"last_topic": topic}, message), {}))
    out[str(topic)] = [[m["response"] for m in dispatcher.messages], slots(events).get("last_topic", "unset")]
vague = {"text": "en de andere?", "intent": {"name": "follow_up", "confidence": 0.9}, "entities": []}
dispatcher = CollectingDispatcher()
asyncio.run(ActionFollowUp().run(dispatcher, tracker({"last_topic": None}, vague), {}))
out["vague"] = [m["response"] for m in dispatcher.messages]
from actions.clarify import ActionNotUnderstood
for text in ("KNM dan?", "ik snap echt niet wat ik moet doen met KNM"):
    lost = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.2},
            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.2}, {"name": "thank", "confidence": 0.19}],
            "entities": [{"entity": "term", "value": "knm"}]}
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionNotUnderstood().run(dispatcher, tracker({"last_topic": "explain_term"}, lost), {}))
    out[text] = [m["response"] for m in dispatcher.messages]
print(json.dumps(out))
"""


def test_the_topic_is_kept_for_a_few_turns_and_a_follow_up_continues_it() -> None:
    out = json.loads(in_bot_env(RUN).strip().splitlines()[-1])
    assert out["set"] == {"last_topic": "ask_lessons", "topic_age": 0.0}
    assert out["aged"] == {"topic_age": 2.0}
    assert out["forgotten"] == {"last_topic": None, "topic_age": 0.0}
    assert out["not_understood"] == {}
    assert out["nested"] == []  # the action it ran set the topic: that one counts
    assert out["explain_term"] == [["utter_explain_knm"], "explain_term"]  # the term of the follow-up itself
    assert out["None"] == [["utter_explain_knm"], "explain_term"]  # no topic yet: the term it names says it
    assert out["vague"] == ["utter_not_understood"]  # nothing to continue and nothing named
    assert out["turns"] >= 2
    # Not understood by the classifier, but short and naming a term right after an explanation: continued.
    assert out["KNM dan?"] == ["utter_explain_knm"]
    assert out["ik snap echt niet wat ik moet doen met KNM"] == ["utter_not_understood"]  # too long to be one
