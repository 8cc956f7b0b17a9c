"""The reply language: when the detector is not sure (a short message, a word several languages share), a
verified person's case-data language wins; when it is sure, the language the person writes in wins."""

import pytest
from test_safety_conversations import paired_client

from conftest import Stack

SHARED_GREETINGS = [("ps", "سلام"), ("fa", "سلام"), ("ar", "سلام"), ("ps", "salaam"), ("so", "salaam"),
                    ("ar", "salam alaikum"), ("tr", "merhaba"), ("nl", "hallo"), ("en", "hallo")]


@pytest.mark.parametrize(("language", "greeting"), SHARED_GREETINGS)
def test_a_short_or_shared_greeting_is_answered_in_the_clients_language(stack: Stack, language: str,
                                                                       greeting: str) -> None:
    sender = paired_client(stack, language)
    replies = [r for r in stack.say(sender, greeting) if r.key]
    assert replies and {r.language for r in replies} == {language}, [(r.key, r.language) for r in replies]


def test_a_sentence_clearly_in_another_language_is_answered_in_that_language(stack: Stack) -> None:
    sender = paired_client(stack, "ps")
    stack.say(sender, "سلام")
    stack.say(sender, "1")  # consent
    replies = [r for r in stack.say(sender, "Hello, can you please tell me when my next lesson is?") if r.key]
    assert replies and {r.language for r in replies} == {"en"}, [(r.key, r.language) for r in replies]


def test_over_the_signed_webhook_a_pashto_client_saying_salaam_is_answered_in_pashto(stack: Stack) -> None:
    from test_whatsapp import form, joined, post, wait_for

    sender = paired_client(stack, "ps")
    assert post(stack, form(sender, "سلام")).status_code == 200
    got = wait_for(stack, sender, 1)
    assert [m["body"] for m in got] == [joined(stack, "ps", "utter_greet", "utter_privacy_notice")]
