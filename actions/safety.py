"""The safety layer's actions. When bot.nlu.safety found a safety class in a message, whatever the intent
classifier made of it, a person takes over: the hand-off is recorded with the class and the words that
fired, with the class's urgency and, for urgent classes, the emergency numbers and the gemeente's
emergency contact first, before anything else is asked (a legal matter waits for the privacy notice, as
before). A question in the same message that only reads information is still answered.
When the detector is unsure, the person is asked once whether they want to talk to someone. These
actions decide nothing about the case; they only route to a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.base import BaseAction, Events, Reply, delegate, privacy_question, said_yes
from actions.handoff import TRIGGERS, hand_off
from actions.routes import ROUTES

# Questions that only read information (answered with the action data/rules gives them, actions.routes).
# Flows that change something or ask back (absence, appointment changes, pairing) wait for the person.
ANSWERABLE = ("ask_lessons", "ask_appointments", "ask_route", "ask_termijn", "explain_term", "ask_ontzorgen",
              "ask_payment_status", "ask_contact_person", "ask_privacy", "bot_challenge")
PENDING = "safety"  # pending_menu while the person is asked "1 yes 2 no"
# Which hit leads when several classes fire: the most urgent (by its hand-off trigger), and words a
# consultant can read first.
RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
# The classifier saw the whole message, safety part included: the safety part and a decision question ("will
# I lose ...?") draw its confidence to themselves. So an information question counts by its share of what is
# left, from this share on (below it, a guess is too weak to answer). Chosen over the safety sets' tune part
# (56 two-part, 288 other safety messages): 0.45 answers 40 two-part questions and adds an answer to 107 of the
# others, where the share of the whole (0.2, before decision questions were a class) answered 37 and added 88.
QUESTION_CONFIDENCE = 0.45
# A message of several sentences: the sentences the safety layer did not fire on were also read alone
# (bot/nlu/safety.py, "rest"); an information question there counts by its own confidence, from this on. Over the
# same tune part (bench/questions.py): 36 of 56 two-part questions answered and 2 of 288 other safety messages
# given an answer nobody asked for, where the whole message's share (0.45) answers 34 and adds 102.
SENTENCE_CONFIDENCE = 0.4
NOT_QUESTIONS = ("safety_case", "distress", "money_emergency", "legal_matter", "ask_decision", "nlu_fallback")


def _guesses(ranking: Any) -> list[tuple[str, float]]:
    return [(str(g.get("name")), float(g.get("confidence") or 0)) for g in ranking or [] if isinstance(g, dict)]


def _hits(tracker: Tracker) -> tuple[list[dict[str, Any]], str | None]:
    """The safety hits, and the information question the classifier found in the rest of the message."""
    found = (tracker.latest_message or {}).get("safety") or {}
    hits = [h for h in found.get("hits") or [] if isinstance(h, dict)]
    if isinstance(found.get("rest"), list):  # several sentences: the question is in those without the safety part
        guesses = [g for part in found["rest"] if isinstance(part, dict) for g in _guesses(part.get("ranking"))]
        best = max(((c, name) for name, c in guesses if name in ANSWERABLE), default=(0.0, None))
        return hits, best[1] if best[0] >= SENTENCE_CONFIDENCE else None
    ranking = found.get("ranking") or [{"name": found.get("intent"), "confidence": found.get("confidence")}]
    guesses = _guesses(ranking)
    left = max(1.0 - sum(c for name, c in guesses if name in NOT_QUESTIONS), 1e-6)
    question = next((name for name, c in guesses if name in ANSWERABLE and c / left >= QUESTION_CONFIDENCE), None)
    return hits, question


async def _answer_too(say: Reply, tracker: Tracker, intent: str | None) -> Events:
    """Answer the other question in the message (only with consent: the safety part never waits for it)."""
    target = ROUTES.get(intent or "") if intent in ANSWERABLE else None
    if target is None or tracker.get_slot("consent") is not True:
        return []
    if target.startswith("utter_"):
        say(target)
        return []
    return await delegate(target, say, tracker)


async def _hand_off(say: Reply, tracker: Tracker, hit: dict[str, Any]) -> Events:
    cls = str(hit.get("safety_class"))
    # A hit of the classifier has no words of its own: the consultant sees which intent it was.
    words = str(hit.get("words") or f"({hit.get('phrase') or 'classifier'})")[:200]
    return await hand_off(say, tracker, cls, topic=f"safety:{cls}", safety={"safety_class": cls,
                                                                             "safety_words": words})


class ActionSafety(BaseAction):
    needs_consent = False

    def name(self) -> str:
        return "action_safety"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        hits, intent = _hits(tracker)
        sure = [h for h in hits if h.get("level") == "sure"]
        if sure:
            lead = min(sure, key=lambda h: (RANK[TRIGGERS.get(str(h.get("safety_class")), ("low",))[0]],
                                            not h.get("words")))
            consent = tracker.get_slot("consent")
            if lead.get("safety_class") == "legal" and consent is not True:
                # Not urgent: as before, the privacy notice first; a yes hands off (action_safety_answer).
                say(privacy_question(tracker))
                return [SlotSet("pending_menu", "consent"), SlotSet("pending_action", "action_safety_answer"),
                        SlotSet("safety_asked", f"legal|{str(lead.get('words') or '')[:200]}")]
            events = await _hand_off(say, tracker, lead)
            return events + await _answer_too(say, tracker, intent)
        events = await _answer_too(say, tracker, intent)
        if not hits:  # not from the safety layer after all (e.g. "/safety_case" typed in development)
            say("utter_menu")
            return events
        say("utter_safety_ask")
        asked = f"{hits[0].get('safety_class')}|{str(hits[0].get('words') or '')[:200]}"
        return [*events, SlotSet("pending_menu", PENDING), SlotSet("safety_asked", asked)]


class ActionSafetyAnswer(BaseAction):
    """The answer to "do you want to talk to a person about this? 1 yes 2 no"."""

    needs_consent = False

    def name(self) -> str:
        return "action_safety_answer"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        cls, _, words = str(tracker.get_slot("safety_asked") or "distress|").partition("|")
        done: Events = [SlotSet("pending_menu", None), SlotSet("safety_asked", None)]
        if said_yes(tracker):
            return done + await _hand_off(say, tracker, {"safety_class": cls, "words": words})
        say("utter_safety_declined")
        return done
