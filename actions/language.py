"""Switching language: by name ("English please", "عربي") or from the numbered language menu."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.base import BaseAction, Events, Reply, entity
from bot import resources


class ActionChooseLanguage(BaseAction):
    needs_consent = False

    def name(self) -> str:
        return "action_choose_language"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        codes = resources.language_codes()
        chosen = entity(tracker, "language")
        number = entity(tracker, "number")
        if chosen is None and number and tracker.get_slot("pending_menu") == "language":
            index = int(number) - 1
            chosen = codes[index] if 0 <= index < len(codes) else None
        if chosen not in codes:
            options = "\n".join(f"{i}. {resources.languages()[c]['name']}" for i, c in enumerate(codes, start=1))
            say("utter_language_menu", options=options)
            return [SlotSet("pending_menu", "language")]
        # The reply is rendered after these events, so it comes in the chosen language.
        say("utter_language_set", language=chosen)
        return [SlotSet("language", chosen), SlotSet("pending_menu", None)]
