"""Greeting, menu numbers, yes/no, privacy, and not being understood."""

from __future__ import annotations

import contextlib
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import api
from actions.base import BaseAction, Events, Reply, delegate, entity, phone_of
from actions.handoff import hand_off
from bot import resources

# The main menu (utter_menu): number -> action.
MAIN_MENU = {"1": "action_lessons", "2": "action_appointments", "3": "action_route", "4": "action_ontzorgen",
             "5": "action_contact", "6": "action_choose_language", "7": "action_handoff"}


class ActionGreet(BaseAction):
    needs_consent = False

    def name(self) -> str:
        return "action_greet"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        say("utter_greet")
        if tracker.get_slot("consent") is None:
            say("utter_privacy_notice")
            return [SlotSet("pending_menu", "consent")]
        say("utter_menu")
        return []


class ActionHelp(BaseAction):
    needs_consent = False

    def name(self) -> str:
        return "action_help"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        say("utter_menu")
        return [SlotSet("pending_menu", None)]


class ActionMenuChoice(BaseAction):
    """A number answers the open numbered question, or else picks from the main menu."""

    needs_consent = False

    def name(self) -> str:
        return "action_menu_choice"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        number = entity(tracker, "number") or ""
        pending = tracker.get_slot("pending_menu")
        if pending == "consent" and number in ("1", "2"):
            return await delegate("action_privacy_answer", say, tracker)
        if pending == "safety" and number in ("1", "2"):  # "do you want to talk to a person about this?"
            return await delegate("action_safety_answer", say, tracker)
        if pending in ("language", "absence_reason", "appointment_reschedule", "appointment_cancel"):
            target = {"language": "action_choose_language", "absence_reason": "action_report_absence",
                      "appointment_reschedule": "action_change_appointment",
                      "appointment_cancel": "action_change_appointment"}[pending]
            return await delegate(target, say, tracker)
        action = MAIN_MENU.get(number)
        if action is None:
            say("utter_menu")
            return []
        return [SlotSet("pending_menu", None)] + await delegate(action, say, tracker)


class ActionPrivacyAnswer(BaseAction):
    """Yes or no to the privacy notice; a yes continues with what the person asked before."""

    needs_consent = False

    def name(self) -> str:
        return "action_privacy_answer"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        number = entity(tracker, "number")
        if tracker.get_slot("pending_menu") == "safety" and intent in ("affirm", "deny"):
            return await delegate("action_safety_answer", say, tracker)
        agreed = number == "1" or (number is None and intent == "affirm")
        if tracker.get_slot("pending_menu") != "consent" and intent in ("affirm", "deny"):
            say("utter_menu")  # a yes or no to nothing in particular
            return []
        if not agreed:
            say("utter_privacy_declined")
            return [SlotSet("consent", False), SlotSet("pending_menu", None), SlotSet("pending_action", None)]
        say("utter_privacy_agreed")
        events: Events = [SlotSet("consent", True), SlotSet("pending_menu", None), SlotSet("pending_action", None)]
        pending = tracker.get_slot("pending_action")
        if pending and pending != self.name():
            events += await delegate(pending, say, tracker, after=events)
        else:
            say("utter_menu")
        return events


class ActionWhatIKnow(BaseAction):
    needs_consent = False

    def name(self) -> str:
        return "action_what_i_know"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        status, me = await api.call("GET", "/me", phone=phone_of(tracker))
        if status == 200:
            say("utter_what_i_know", name=me["first_name"], gemeente=me["gemeente"])
        else:
            say("utter_what_i_know_general")
        return []


class ActionNotUnderstood(BaseAction):
    """Not understood: say so; the second time in a row a person takes over."""

    needs_consent = False
    understood = False

    def name(self) -> str:
        return "action_not_understood"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        count = (tracker.get_slot("not_understood") or 0) + 1
        if count >= 2 and tracker.get_slot("consent") is True:
            return [SlotSet("not_understood", 0.0)] + await hand_off(say, tracker, "not_understood",
                                                                      topic="not_understood")
        say("utter_not_understood")
        return [SlotSet("not_understood", float(count))]


class ActionDontUnderstand(BaseAction):
    """The person did not understand our last message: offer it shorter, or a person."""

    needs_consent = False

    def name(self) -> str:
        return "action_dont_understand"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        last = tracker.get_slot("last_response")
        if last:  # counts against that message's translation on the review pages
            slots = {s: tracker.get_slot(s) for s in resources.LANGUAGE_SLOTS}
            with contextlib.suppress(api.ApiUnavailable):  # a lost count must not cost the answer
                await api.call("POST", "/not-understood", json={"key": last, "slots": slots})
        say("utter_dont_understand")
        say("utter_menu")
        return []


class ActionOutOfScope(BaseAction):
    needs_consent = False

    def name(self) -> str:
        return "action_out_of_scope"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        say("utter_out_of_scope")
        say("utter_menu")
        return []
