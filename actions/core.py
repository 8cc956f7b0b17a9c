"""Greeting, menu numbers, yes/no, privacy, and not being understood."""

from __future__ import annotations

import contextlib
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api
from actions.base import (
    BaseAction,
    Events,
    Reply,
    delegate,
    entity,
    latest_text,
    phone_of,
    record_consent,
    recorded_consent,
    said_yes,
)
from bot import resources

# The main menu (utter_menu): number -> action.
MAIN_MENU = {"1": "action_lessons", "2": "action_appointments", "3": "action_route", "4": "action_ontzorgen",
             "5": "action_contact", "6": "action_choose_language", "7": "action_handoff"}


# Open numbered questions (pending_menu) -> the action that takes the answer. "1 yes 2 no" questions also take
# a yes or no in words: do you want a person about this (safety), withdraw your consent, change this appointment,
# shall your contact person call you about a decision.
YES_NO = {"safety": "action_safety_answer", "withdraw": "action_withdraw_consent",
          "confirm_reschedule": "action_change_appointment", "confirm_cancel": "action_change_appointment",
          "decision": "action_decision_answer"}
NUMBERED = {"language": "action_choose_language", "absence_reason": "action_report_absence",
            "clarify": "action_clarify_answer",
            "appointment_reschedule": "action_change_appointment", "appointment_cancel": "action_change_appointment"}


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
        if pending in YES_NO and number in ("1", "2"):
            return await delegate(YES_NO[pending], say, tracker)
        if pending in NUMBERED:
            return await delegate(NUMBERED[pending], say, tracker)
        action = MAIN_MENU.get(number)
        if action is None:
            say("utter_menu")
            return []
        return [SlotSet("pending_menu", None)] + await delegate(action, say, tracker)


class ActionPrivacyAnswer(BaseAction):
    """Yes or no to the privacy notice, recorded through the API; a yes continues with what the person asked
    before. A yes or no to nothing in particular changes nothing, except that a person who said no may still
    say 'akkoord' (as the answer to the no tells them, in every language)."""

    needs_consent = False

    def name(self) -> str:
        return "action_privacy_answer"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        number = entity(tracker, "number")
        pending_menu = tracker.get_slot("pending_menu")
        if pending_menu in YES_NO and intent in ("affirm", "deny"):
            return await delegate(YES_NO[pending_menu], say, tracker)
        agreed = said_yes(tracker)
        # Only the word the answer to a no names: an "ok" to something else is no consent.
        late_yes = tracker.get_slot("consent") is False and latest_text(tracker).strip(" .!").lower() == "akkoord"
        if pending_menu != "consent" and not late_yes and intent in ("affirm", "deny"):
            say("utter_menu")
            return []
        await record_consent(tracker, agreed, "number" if number else "words")
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


class ActionWithdrawConsent(BaseAction):
    """The answer to "do you want to withdraw your consent? 1 yes 2 no", the only way consent is withdrawn
    (asked after a question about privacy; a menu number elsewhere never changes it)."""

    needs_consent = False

    def name(self) -> str:
        return "action_withdraw_consent"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        done: Events = [SlotSet("pending_menu", None)]
        if not said_yes(tracker):
            say("utter_consent_kept")
            return done
        await record_consent(tracker, False, "withdrawn")
        say("utter_consent_withdrawn")
        return [*done, SlotSet("consent", False), SlotSet("pending_action", None)]


class ActionSessionStart(Action):
    """A new session (a new conversation, one Rasa lost, or after a day of silence): the slots carry over,
    except consent, which the API keeps: it is asked once, and again only for a new version of the notice."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        kept = [SlotSet(name, value) for name, value in tracker.slots.items()
                if value is not None and name not in ("consent", "session_started_metadata")]
        consent = await recorded_consent(tracker)
        known = [SlotSet("consent", consent)] if consent is not None else []
        return [SessionStarted(), *kept, *known, ActionExecuted("action_listen")]


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
        if tracker.get_slot("consent") is True:  # withdrawing it: asked, and confirmed with a number
            say("utter_consent_withdraw_offer")
            return [SlotSet("pending_menu", "withdraw")]
        return []


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
