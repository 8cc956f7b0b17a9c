"""Consent over the signed webhook (issue 18): a question before the notice is answered gets a short reminder,
not the long notice again; a yes continues with the question asked, without the notice again in the same
turn; a later menu number is the menu, not a "no"."""

from test_after_handoff import each, keys
from test_whatsapp import form, post, replies, settle, wait_for

from conftest import CONVERSATIONS, Stack


def turn(stack: Stack, sender: str, text: str) -> list[str]:
    count = len(replies(stack, sender))
    post(stack, form(sender, text))
    wait_for(stack, sender, count + 1)
    settle(stack, sender)
    return each(keys(stack, sender)[count:])


def test_consent_is_asked_once(stack: Stack) -> None:
    sender = "+31687650040"  # not a client
    first = turn(stack, sender, CONVERSATIONS["nl"]["ask_lessons"])
    assert "utter_privacy_notice" in first  # asked before anything personal
    again = turn(stack, sender, CONVERSATIONS["nl"]["ask_appointments"])
    assert again == ["utter_privacy_reminder"]  # not the long notice again: answer it first
    second = turn(stack, sender, "1")
    assert second[0] == "utter_privacy_agreed" and "utter_privacy_notice" not in second, second
    assert len(second) > 1  # ... and the question asked first is answered (here: how to pair this number)
    third = turn(stack, sender, "2")  # the menu's "appointments", not a "no" to the notice
    assert not any(k.startswith("utter_privacy") for k in third), third
