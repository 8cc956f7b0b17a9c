"""What every action shares: the person's phone, the consent and verification gates, replies by key."""

from __future__ import annotations

import abc
import importlib
import logging
import pkgutil
from functools import cache
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api
from actions.routes import CONTEXT, CONTEXT_TURNS
from bot import resources

log = logging.getLogger(__name__)
Events = list[EventType]


def phone_of(tracker: Tracker) -> str:
    """The sender id is the WhatsApp number (channels pass it as whatsapp:+31... or +31...)."""
    return tracker.sender_id.removeprefix("whatsapp:")


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def entity(tracker: Tracker, name: str) -> str | None:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value is not None else None


def answered(tracker: Tracker, number: str, words: str) -> bool:
    """The answer to "1 yes 2 no": the number, or yes/no in words (intent `words`) with no number."""
    said = entity(tracker, "number")
    return said == number or (said is None and (tracker.latest_message.get("intent") or {}).get("name") == words)


def said_yes(tracker: Tracker) -> bool:
    return answered(tracker, "1", "affirm")


def said_no(tracker: Tracker) -> bool:
    return answered(tracker, "2", "deny")


def language(tracker: Tracker, say: Reply | None = None) -> str:
    """The person's language: the rule the NLG applies to replies (with what this turn learnt, `say.slots`)."""
    slots = {slot: tracker.get_slot(slot) for slot in resources.LANGUAGE_SLOTS}
    return resources.reply_language({**slots, **{k: v for k, v in (say.slots if say else {}).items() if k in slots}})


def dutch(text: str) -> dict[str, str]:
    """Free text from the case data, as the gemeente wrote it: the NLG marks it as Dutch in a translated reply."""
    return {"dutch": text}


class Reply:
    """Collects replies by response key and remembers the last one (for "I don't understand")."""

    def __init__(self, dispatcher: CollectingDispatcher, domain: dict[str, Any] | None = None) -> None:
        self.dispatcher = dispatcher
        self.domain = domain or {}
        self.last: str | None = None
        # Slots this turn's replies must be rendered with although they are set only after it (the NLG sees
        # the tracker as it was before the action's events).
        self.slots: dict[str, Any] = {}

    def __call__(self, key: str, **arguments: Any) -> None:
        self.dispatcher.utter_message(response=key, **{**self.slots, **arguments})
        self.last = key


def privacy_question(tracker: Tracker) -> str:
    """What to say to a question that needs consent first: the notice, or, when it was just shown and is not
    answered yet, a short reminder to answer it (not the same long block again)."""
    if tracker.get_slot("consent") is False:
        return "utter_privacy_needed"
    return "utter_privacy_reminder" if tracker.get_slot("pending_menu") == "consent" else "utter_privacy_notice"


class BaseAction(Action, abc.ABC):
    """Subclasses implement act(). Personal actions set needs_client: they get the verified client."""

    needs_consent = True
    needs_client = False
    # Anything understood breaks a run of "not understood".
    understood = True

    @abc.abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> Events:
        say = Reply(dispatcher, domain)
        if self.needs_consent and tracker.get_slot("consent") is not True:
            say(privacy_question(tracker))
            return [SlotSet("pending_menu", "consent"), SlotSet("pending_action", self.name())]
        events = await self._run(say, tracker)
        events += _context(self.name(), self.understood, tracker, events)
        if self.understood and tracker.get_slot("pending_menu") and \
                not any(e.get("event") == "slot" and e.get("name") == "pending_menu" for e in events):
            # A numbered question is open for the next message only: a "2" sent after another question
            # means the main menu, not an answer to something asked earlier (e.g. withdrawing consent).
            events.append(SlotSet("pending_menu", None))
        return events

    async def _run(self, say: Reply, tracker: Tracker) -> Events:
        client: dict[str, Any] | None = None
        looked = False
        try:
            if self.needs_client:
                status, client = await api.call("GET", "/me", phone=phone_of(tracker))
                if status == 401:  # our own credential refused: a fault here, not the person's
                    raise api.ApiUnavailable("GET /me: 401")
                if status != 200:
                    say("utter_need_verification")
                    return [SlotSet("pending_action", self.name()), SlotSet("verified", False)]
            elif tracker.get_slot("verified") is None:
                looked, client = await _first_look(tracker)
            if client:
                say.slots.update(client_language=client["preferred_language"], bilingual=bool(client.get("bilingual")))
            events = await self.act(say, tracker, client if self.needs_client else None)
        except api.ApiUnavailable:
            say("utter_service_unavailable")
            events = []
        extra: Events = [SlotSet("not_understood", 0.0)] if self.understood else []
        if say.last:
            extra.append(SlotSet("last_response", say.last))
        if client:
            extra += [SlotSet("verified", True), SlotSet("client_language", client["preferred_language"]),
                      SlotSet("bilingual", bool(client.get("bilingual")))]
        elif looked:
            extra.append(SlotSet("verified", False))  # looked once; pairing or a personal question looks again
        return extra + events

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        raise NotImplementedError


def _context(action: str, understood: bool, tracker: Tracker, events: Events) -> Events:
    """The topic a short follow-up continues (actions.follow_up): set by an answer that has one, kept for a
    few other understood turns, then forgotten."""
    if not understood or any(e.get("event") == "slot" and e.get("name") == "last_topic" for e in events):
        return []  # not understood, or an action this one ran has set it
    if action in CONTEXT:
        return [SlotSet("last_topic", CONTEXT[action]), SlotSet("topic_age", 0.0)]
    if tracker.get_slot("last_topic") is None:
        return []
    age = (tracker.get_slot("topic_age") or 0) + 1
    if age > CONTEXT_TURNS:
        return [SlotSet("last_topic", None), SlotSet("topic_age", 0.0)]
    return [SlotSet("topic_age", float(age))]


async def recorded_consent(tracker: Tracker) -> bool | None:
    """The person's answer to the current privacy notice as the API keeps it: None when never answered, when
    the notice changed since (asked again), or when the API is away (asked; the answer is then recorded)."""
    try:
        status, body = await api.call("GET", "/consent", phone=phone_of(tracker))
    except api.ApiUnavailable:
        return None
    state = (body or {}).get("state") if status == 200 else None
    return {"given": True, "declined": False, "withdrawn": False}.get(str(state))


async def record_consent(tracker: Tracker, given: bool, how: str) -> None:
    """Record an answer to the notice (or a withdrawal); a failure is the API being away: nothing is taken
    as given that is not recorded."""
    status, _ = await api.call("POST", "/consent", phone=phone_of(tracker), json={"given": given, "how": how})
    if status != 201:
        raise api.ApiUnavailable(f"POST /consent: {status}")


async def _first_look(tracker: Tracker) -> tuple[bool, dict[str, Any] | None]:
    """(looked, the verified client) behind a new conversation, so its first replies are in the case-data
    language: a greeting like "salaam" is written alike in several languages (the written language still
    wins when the detector is sure, bot.resources.reply_language). Not looked when the API is away."""
    try:
        status, client = await api.call("GET", "/me", phone=phone_of(tracker))
    except api.ApiUnavailable:
        return False, None
    return status != 401, client if status == 200 else None


@cache
def _actions() -> dict[str, BaseAction]:
    # Every module of the package, as the action server loads them: an action may hand over to one it
    # never imports (a clarification's answer to any topic).
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        importlib.import_module(f"actions.{module.name}")
    found: dict[str, BaseAction] = {}
    todo = list(BaseAction.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        found[cls().name()] = cls()
    return found


async def delegate(name: str, say: Reply, tracker: Tracker, after: Events = (),
                   message: dict[str, Any] | None = None) -> Events:
    """Run another action now, in this turn (a menu number or a yes continues with what was asked).
    `after`: the events of this turn so far, whose slots the other action must see (a consent just given:
    else it would ask for consent again in the same turn). `message`: the message it answers, when that is
    not the latest one (a clarified question answers the message that was unclear).

    Calling it directly keeps the dialogue rules simple: every turn is one rule, intent -> action."""
    if after or message is not None:
        tracker = tracker.copy()
        for event in after:
            if event.get("event") == "slot":
                tracker.slots[event["name"]] = event["value"]
        if message is not None:
            tracker.latest_message = message
    return await _actions()[name].run(say.dispatcher, tracker, say.domain)
