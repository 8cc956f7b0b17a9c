"""Pairing the phone with the client's case through the consultant's one-time code."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import api
from actions.base import BaseAction, Events, Reply, delegate, entity, phone_of
from actions.handoff import hand_off


class ActionVerifyCode(BaseAction):
    def name(self) -> str:
        return "action_verify_code"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        code = entity(tracker, "code") or ""
        status, body = await api.call("POST", "/pairing/verify", json={"phone": phone_of(tracker), "code": code})
        if status == 200:
            say("utter_code_ok", name=body["first_name"], client_language=body["preferred_language"])
            events: Events = [SlotSet("verified", True), SlotSet("client_language", body["preferred_language"]),
                              SlotSet("bilingual", bool(body.get("bilingual")))]
            pending = tracker.get_slot("pending_action")
            if pending and pending != self.name():
                events += [SlotSet("pending_action", None)] + await delegate(pending, say, tracker)
            return events
        if status == 429:
            say("utter_code_locked")
            return await hand_off(None, tracker, "verification", topic="verification")
        if status == 410:
            say("utter_code_expired")
        elif status == 404:
            say("utter_no_pairing")
        else:
            say("utter_code_wrong")
        return []
