"""Hand-offs to a person: recorded through the API with topic, language, urgency and a summary;
the assistant then pauses itself for this person when the API says the hand-off pauses it (not for a
correction request or a failed payment)."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, SlotSet

from actions import api
from actions.base import BaseAction, Events, Reply, language, latest_text, phone_of

log = logging.getLogger(__name__)
# trigger: (urgency, reply); the triggers are the API's HandoffTrigger values.
TRIGGERS: dict[str, tuple] = {
    "request_human": ("normal", "utter_handoff"),
    "legal": ("high", "utter_handoff_legal"),
    # A money emergency (eviction, cut off, no food) is urgent: the emergency contact comes at once.
    "money": ("urgent", "utter_handoff_money"),
    "distress": ("urgent", "utter_handoff_distress"),
    "violence": ("urgent", "utter_handoff_violence"),
    "not_understood": ("normal", "utter_rephrase_offer_human"),
    "verification": ("normal", "utter_handoff_verification"),
    "correction": ("low", "utter_correction_recorded"),
    "payment_failed": ("high", None),
}
INTENT_TRIGGERS = {"request_human": "request_human", "legal_matter": "legal", "money_emergency": "money",
                   "distress": "distress"}


def summary(tracker: Tracker, limit: int = 3) -> str:
    """The person's last few messages, in their own words, for the consultant."""
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user" and e.get("text")]
    return " / ".join(t[:300] for t in texts[-limit:]) or "(geen tekst)"


async def hand_off(say: Reply | None, tracker: Tracker, trigger: str, topic: str,
                   safety: dict[str, str] | None = None) -> Events:
    """Record the hand-off and pause, unless the API says this hand-off does not pause the assistant (a
    correction or payment note). `safety`: the safety layer's class and the words that fired, shown to the
    consultant."""
    urgency, reply = TRIGGERS[trigger]
    try:
        status, opened = await api.call("POST", "/handoffs", json={
            "phone": phone_of(tracker), "trigger": trigger, "topic": topic[:64], "urgency": urgency,
            "language": language(tracker), "summary": summary(tracker)[:1000], **(safety or {})})
    except api.ApiUnavailable:
        status, opened = 503, None
    if status != 201:
        # Not recorded: too many new hand-offs from this unknown number today (429), or the API down or
        # refusing. Nobody was asked to answer, so no promise and no pause (a paused conversation would
        # wait for a person who never comes); the emergency numbers still go out, and the way to the
        # gemeente.
        if status != 429:
            log.error("hand-off not recorded (%s, trigger %s)", status, trigger)
        if say:
            if trigger in ("distress", "violence"):
                say(reply)  # the emergency numbers matter more than the promise in it
            say("utter_contact_general")
        return []
    pauses = isinstance(opened, dict) and bool(opened.get("pauses_assistant"))
    if say and reply:
        say(reply)
    if say and isinstance(opened, dict):
        if opened.get("emergency_numbers"):  # distress, money, violence: the gemeente's own lines at once
            say("utter_handoff_emergency", contact=[{"label": f"@utter_emergency_{n['kind']}", "value": n["number"]}
                                                    for n in opened["emergency_numbers"]])
        if pauses and opened.get("outside_hours") and opened.get("answer_by"):
            say("utter_handoff_after_hours", answer_date=opened["answer_by"], answer_time=opened["answer_by"])
    return [SlotSet("handoff_open", True), ConversationPaused()] if pauses else []


class ActionHandoff(BaseAction):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "distress" and tracker.get_slot("consent") is not True:
            # Safety first: the emergency numbers go out before anything else is asked.
            dispatcher.utter_message(response="utter_handoff_distress")
        return await super().run(dispatcher, tracker, domain)

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or "request_human"
        if intent == "menu_choice":
            intent = "request_human"
        trigger = INTENT_TRIGGERS.get(intent, "request_human")
        return await hand_off(say, tracker, trigger, topic=intent)


class ActionCorrection(BaseAction):
    def name(self) -> str:
        return "action_correction"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        topic = f"correction:{tracker.get_slot('last_response') or 'unknown'}"
        return await hand_off(say, tracker, "correction", topic=topic)


__all__ = ["ActionCorrection", "ActionHandoff", "hand_off", "latest_text"]
