"""Not understood, or two good guesses: "Do you mean 1) ... or 2) ...?" (bot.clarify), and its answer, which
continues the original question as if it had been understood."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import follow_up
from actions.base import BaseAction, Events, Reply, delegate, entity
from actions.handoff import hand_off
from actions.routes import ROUTES
from bot import clarify

PENDING = "clarify"  # pending_menu while the two options are open


def _previous_message(tracker: Tracker) -> dict[str, Any]:
    """The message before this one (the question the clarification was about)."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    return dict(users[-2].get("parse_data") or {}) if len(users) >= 2 else {}


class ActionNotUnderstood(BaseAction):
    """A short follow-up to the last answer ("and Friday?"): continue its topic. Two good guesses: ask which
    one. Else say it was not understood; the second time in a row a person takes over."""

    needs_consent = False
    understood = False

    def name(self) -> str:
        return "action_not_understood"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        if follow_up.continues(tracker):
            return await delegate("action_follow_up", say, tracker)
        choices = clarify.options((tracker.latest_message or {}).get("intent_ranking"))
        if len(choices) == 2:
            say("utter_clarify", first=clarify.label(choices[0]), second=clarify.label(choices[1]))
            return [SlotSet("pending_menu", PENDING)]
        count = (tracker.get_slot("not_understood") or 0) + 1
        if count >= 2 and tracker.get_slot("consent") is True:
            return [SlotSet("not_understood", 0.0)] + await hand_off(say, tracker, "not_understood",
                                                                      topic="not_understood")
        say("utter_not_understood")
        return [SlotSet("not_understood", float(count))]


class ActionClarifyAnswer(BaseAction):
    """1 or 2 after "Do you mean ...?": the chosen topic's action answers the original message (its words,
    days and terms); any other number is the main menu."""

    needs_consent = False

    def name(self) -> str:
        return "action_clarify_answer"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        number = entity(tracker, "number")
        original = _previous_message(tracker)
        choices = clarify.options(original.get("intent_ranking"))
        done: Events = [SlotSet("pending_menu", None)]
        if number not in ("1", "2") or len(choices) != 2:
            return done + await delegate("action_menu_choice", say, tracker, after=done)
        intent = choices[int(number) - 1]
        return done + await delegate(ROUTES[intent], say, tracker, after=done,
                                     message={**original, "intent": {"name": intent, "confidence": 1.0}})
