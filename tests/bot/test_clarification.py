"""Clarification instead of "not understood" (issue 18 point 3), over the signed webhook in every language:
a message the classifier finds ambiguous between two topics gets "Do you mean 1) ... 2) ...?" with those
two topics, and the answer is that topic's answer. Which messages are ambiguous depends on the trained
model, so the test asks the running model (Rasa's /model/parse) and takes the first message of the language
whose parse the assistant answers with a question: from the first held-out part, then from two questions
of the conversation script run together."""

import itertools
import re

import httpx
import pytest
import yaml
from test_consent import turn
from test_safety_conversations import paired_client

from bot import clarify
from conftest import CONVERSATIONS, LANGUAGES, RASA_TOKEN, REPO, Stack

# What each topic's answer opens with (key prefixes), for a new client without lessons or appointments.
ANSWERS = {
    "ask_lessons": ("utter_lesson_", "utter_lessons_none"), "report_absence": ("utter_ask_absence_reason",),
    "ask_appointments": ("utter_appointment_item", "utter_appointments_none"),
    "request_reschedule": ("utter_appointments_none", "utter_ask_which_appointment", "utter_appointment_item",
                           "utter_change_not_possible"),
    "ask_route": ("utter_route_",), "ask_termijn": ("utter_termijn",), "explain_term": ("utter_explain_",),
    "ask_ontzorgen": ("utter_ontzorgen_",), "ask_payment_status": ("utter_payment_", "utter_ontzorgen_"),
    "ask_contact_person": ("utter_contact",), "ask_privacy": ("utter_what_i_know",),
    "choose_language": ("utter_language_",), "ask_decision": ("utter_decision_by_person",),
}
ANSWERS["request_cancel"] = ANSWERS["request_reschedule"]
_ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


def candidates(language: str) -> list[str]:
    heldout = yaml.safe_load((REPO / "tests" / "nlu_heldout" / f"{language}.yml").read_text(encoding="utf-8"))
    found = [_ANNOTATION.sub(r"\1", line.strip().removeprefix("- ").strip())
             for block in heldout["nlu"] for line in block["examples"].splitlines() if line.strip()]
    said = CONVERSATIONS[language]
    return found + [f"{said[a]} {said[b]}" for a, b in itertools.permutations(
        [t for t in ANSWERS if t in said], 2)]


def ambiguous(stack: Stack, language: str) -> tuple[str, list[str]]:
    """A message the running assistant answers with a clarification (options without a hand-off, which
    would pause the conversation), and its two options."""
    for text in candidates(language):
        parse = httpx.post(f"{stack.rasa}/model/parse", params={"token": RASA_TOKEN}, json={"text": text},
                           timeout=30).json()
        options = clarify.options(parse.get("intent_ranking"))
        if parse["intent"]["name"] == "nlu_fallback" and len(options) == 2 and set(options) <= set(ANSWERS):
            return text, options
    pytest.fail(f"no message of {language} is answered with a clarification")


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_close_guesses_are_asked_and_the_answer_continues(stack: Stack, language: str) -> None:
    text, options = ambiguous(stack, language)
    for number, chosen in (("2", options[1]), ("1", options[0])):
        sender = paired_client(stack, language)  # a new person: no earlier answer for the message to follow up
        turn(stack, sender, "hallo")
        turn(stack, sender, "1")
        assert turn(stack, sender, text) == ["utter_clarify"], text
        answer = turn(stack, sender, number)
        assert answer and answer[0].startswith(ANSWERS[chosen]), (text, chosen, answer)
