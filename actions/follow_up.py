"""A short follow-up ("and Thursday?", "and the energy?", "and KNM?") continues the topic of the last answer:
the same action answers it, with the day, item or term of the new message. The topic is kept in the slot
`last_topic` for a few turns (actions.base sets and ages it); after that, or without one, it was not
understood."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.base import BaseAction, Events, Reply, delegate, latest_text
from actions.dates import find_period
from actions.routes import ROUTES

# A message of at most this many words that names only a day, an item or a term is a follow-up when the
# classifier did not understand it ("iyo khamiis?"), if there is a topic to continue.
SHORT = 4


def continues(tracker: Tracker) -> bool:
    """Is this not-understood message a short follow-up to the last answer's topic?"""
    text = latest_text(tracker)
    if tracker.get_slot("last_topic") not in ROUTES or len(text.split()) > SHORT:
        return False
    entities = {e.get("entity") for e in (tracker.latest_message or {}).get("entities") or []}
    return find_period(text) is not None or bool(entities & {"term", "item"})


class ActionFollowUp(BaseAction):
    needs_consent = False  # the action it continues asks for consent where it needs it

    def name(self) -> str:
        return "action_follow_up"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        topic = tracker.get_slot("last_topic")
        if topic not in ROUTES:
            return await delegate("action_not_understood", say, tracker)
        return await delegate(ROUTES[topic], say, tracker)
