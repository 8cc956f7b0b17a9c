"""Clarification instead of "not understood" (bot.clarify, issue 18 point 3): which two topics are offered,
and the ties between the topics, their labels in the domain and the actions that answer them."""

from pathlib import Path

import yaml

from actions.routes import ROUTES
from bot import clarify

REPO = Path(__file__).resolve().parents[2]


def ranking(*pairs: tuple[str, float]) -> list[dict]:  # type: ignore[type-arg]
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_the_two_best_topics_are_offered() -> None:
    close = ranking(("nlu_fallback", 0.25), ("ask_lessons", 0.31), ("report_absence", 0.27), ("ask_route", 0.2))
    assert clarify.options(close) == ["ask_lessons", "report_absence"]
    # Greetings, thanks, yes/no are never offered: the next topics are.
    mixed = ranking(("thank", 0.3), ("ask_appointments", 0.2), ("affirm", 0.15), ("request_reschedule", 0.1))
    assert clarify.options(mixed) == ["ask_appointments", "request_reschedule"]


def test_no_question_without_two_good_guesses() -> None:
    assert clarify.options(ranking(("ask_lessons", 0.5), ("greet", 0.3), ("thank", 0.2))) == []
    weak = ranking(("ask_lessons", 0.3), ("ask_route", clarify.FLOOR / 2))
    assert clarify.options(weak) == []
    assert clarify.options(None) == clarify.options([{"name": "ask_lessons"}, "junk"]) == []


def test_every_topic_has_a_label_and_an_action() -> None:
    responses: dict = {}  # type: ignore[type-arg]
    for path in (REPO / "bot" / "domain").glob("*.yml"):
        responses.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {})
    labels = {key.removeprefix(clarify.LABEL_PREFIX) for key in responses if key.startswith(clarify.LABEL_PREFIX)}
    assert labels == set(clarify.TOPICS)
    # The answer runs a custom action with the original message (a response alone would lose its words).
    assert all(ROUTES[topic].startswith("action_") for topic in clarify.TOPICS)
    assert "{first}" in responses["utter_clarify"][0]["text"] and "{second}" in responses["utter_clarify"][0]["text"]


ANSWER = """
import asyncio, json, os
os.environ['API_ENVIRONMENT'] = 'test'
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from actions.clarify import ActionClarifyAnswer, ActionNotUnderstood

ranking = [{"name": "nlu_fallback", "confidence": 0.2}, {"name": "explain_term", "confidence": 0.31},
           {"name": "thank", "confidence": 0.29}, {"name": "choose_language", "confidence": 0.28}]
original = {"text": "knm wat is dat eigenlijk", "intent": ranking[0], "intent_ranking": ranking,
            "entities": [{"entity": "term", "value": "knm"}]}
slots = {"consent": True, "verified": True, "pending_menu": "clarify"}
out = {}
asked = Tracker("+31612345678", {**slots, "pending_menu": None}, original, [], False, None, {}, "action_listen")
dispatcher = CollectingDispatcher()
out["asked"] = [asyncio.run(ActionNotUnderstood().run(dispatcher, asked, {})), dispatcher.messages]
for number in ("1", "2", "6"):
    answer = {"text": number, "intent": {"name": "menu_choice", "confidence": 1.0},
              "entities": [{"entity": "number", "value": number}]}
    events = [{"event": "user", "text": original["text"], "parse_data": original},
              {"event": "user", "text": number, "parse_data": answer}]
    tracker = Tracker("+31612345678", slots, answer, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionClarifyAnswer().run(dispatcher, tracker, {}))
    out[number] = [[m["response"] for m in dispatcher.messages],
                   [e.get("value") for e in events if e.get("name") == "pending_menu"]]
print(json.dumps(out))
"""


def test_the_answer_continues_the_original_question() -> None:
    """The two options are asked with their labels; 1 or 2 runs that topic's action on the original message
    (its words: the term asked about), and the open question is closed; another number is the main menu."""
    import json

    from test_safety_model import in_bot_env

    out = json.loads(in_bot_env(ANSWER).strip().splitlines()[-1])
    events, messages = out["asked"]
    assert [m["response"] for m in messages] == ["utter_clarify"]
    labels = (messages[0]["first"], messages[0]["second"])
    assert labels == ("@utter_topic_explain_term", "@utter_topic_choose_language")
    assert {"event": "slot", "name": "pending_menu", "value": "clarify", "timestamp": None} in events
    assert out["1"] == [["utter_explain_knm"], [None]]  # the term of the original message, not "which word?"
    assert out["2"] == [["utter_language_menu"], [None, "language"]]  # the language menu's own question opens
    assert out["6"][0] == ["utter_language_menu"]  # not an option: the main menu's 6 (another language)
