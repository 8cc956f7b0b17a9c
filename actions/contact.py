"""Who is my contact person, and how to reach them (the title differs per gemeente)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.base import BaseAction, Events, Reply


class ActionContact(BaseAction):
    needs_client = True

    def name(self) -> str:
        return "action_contact"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        contact = client["contact"] if client else None
        if not contact or not contact.get("name"):
            say("utter_contact_general")
            return []
        say("utter_contact", name=contact["name"], title=contact["title"], phone=contact["phone"],
            email=contact["email"], hours=contact["office_hours"])
        say("utter_source_dossier")
        return []
