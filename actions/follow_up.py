"""A short follow-up ("and Thursday?", "and the energy?", "and KNM?") continues the topic of the last answer:
the same action answers it, with the day, item or term of the new message. The topic is kept in the slot
`last_topic` for a few turns (actions.base sets and ages it); without one, the words of the follow-up name the
topic (a term, a bill, a day), or it was not understood."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.base import BaseAction, Events, Reply, delegate, latest_text
from actions.dates import find_period
from actions.routes import ROUTES

# A message of at most this many words that names only a day, an item or a term is a follow-up when the
# classifier did not understand it ("iyo khamiis?"), if there is a topic to continue.
SHORT = 4


# Without a topic to continue, what a follow-up names says what it is about ("and KNM?" as a first message).
BY_ENTITY = {"term": "explain_term", "item": "ask_payment_status"}
BY_DAY = "ask_lessons"


def _entities(tracker: Tracker) -> list[str]:
    return [str(e.get("entity")) for e in (tracker.latest_message or {}).get("entities") or []]


def topic_of(tracker: Tracker) -> str | None:
    """The topic a follow-up continues: the last answer's, else the one its words name, else none."""
    topic = tracker.get_slot("last_topic")
    if topic in ROUTES:
        return str(topic)
    named = next((BY_ENTITY[e] for e in _entities(tracker) if e in BY_ENTITY), None)
    return named or (BY_DAY if find_period(latest_text(tracker)) else None)


def continues(tracker: Tracker) -> bool:
    """Is this not-understood message a short follow-up to the last answer's topic?"""
    text = latest_text(tracker)
    if tracker.get_slot("last_topic") not in ROUTES or len(text.split()) > SHORT:
        return False
    return find_period(text) is not None or bool(set(_entities(tracker)) & set(BY_ENTITY))


class ActionFollowUp(BaseAction):
    needs_consent = False  # the action it continues asks for consent where it needs it

    def name(self) -> str:
        return "action_follow_up"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        topic = topic_of(tracker)
        if topic is None:
            return await delegate("action_not_understood", say, tracker)
        return await delegate(ROUTES[topic], say, tracker)
