"""Clarification instead of "not understood": when the intent classifier falls back (its best guess too
weak, or the two best too close; FallbackClassifier in config.yml), the person is asked "Do you mean
1) ... or 2) ...?" with the classifier's two best topics, and the answer continues the original question.

Plain data and one function, shared by the action server (actions/clarify.py) and the benchmark that chose
the numbers (bench/nlu.py, docs/benchmarks.md): both decide the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Intents that can be offered as an option: each has a short label, the response utter_topic_<intent>, in
# every language (tied to the domain and to the actions by tests). Greetings, yes/no, thanks and the like are
# never offered: asking "did you mean thanks?" helps nobody.
TOPICS = (
    "ask_lessons", "report_absence", "ask_appointments", "request_reschedule", "request_cancel", "ask_route",
    "ask_termijn", "explain_term", "ask_ontzorgen", "ask_payment_status", "ask_contact_person", "request_human",
    "ask_privacy", "choose_language", "legal_matter", "ask_decision",
)
# An option must have at least this confidence (chosen by bench/nlu.py on the first held-out part).
FLOOR = 0.05
LABEL_PREFIX = "utter_topic_"
IGNORED = ("nlu_fallback", "safety_case")


def options(ranking: Sequence[Any] | None, floor: float = FLOOR) -> list[str]:
    """The two topics to offer, best first, or [] when there are not two good ones (then: not understood)."""
    found: list[str] = []
    for guess in ranking or ():
        if not isinstance(guess, dict) or guess.get("name") in IGNORED:
            continue
        name, confidence = guess.get("name"), guess.get("confidence")
        if not isinstance(confidence, (int, float)) or confidence < floor:
            break  # the ranking is sorted: nothing after this is better
        if name in TOPICS and name not in found:
            found.append(str(name))
        if len(found) == 2:
            return found
    return []


def label(intent: str) -> str:
    """The response key of a topic's label, as an NLG argument (rendered in the person's language)."""
    return f"@{LABEL_PREFIX}{intent}"
