"""A question that asks for a decision (did I pass, can I get more time, may I stop the lessons): who decides,
and the offer of the person's consultant. The assistant explains; it never decides."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.base import BaseAction, Events, Reply, said_yes
from actions.handoff import hand_off

PENDING = "decision"  # pending_menu while "shall your contact person call you? 1 yes 2 no" is open


class ActionDecision(BaseAction):
    def name(self) -> str:
        return "action_decision"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        say("utter_decision_by_person")
        return [SlotSet("pending_menu", PENDING)]


class ActionDecisionAnswer(BaseAction):
    """1 (or a yes): the consultant is asked to contact the person about it; 2 (or a no): nothing."""

    def name(self) -> str:
        return "action_decision_answer"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        done: Events = [SlotSet("pending_menu", None)]
        if said_yes(tracker):
            return done + await hand_off(say, tracker, "request_human", topic="ask_decision")
        say("utter_decision_no_call")
        return done
