"""Consent over the signed webhook (issue 18): a question before the notice is answered gets a short reminder,
not the long notice again; a yes continues with the question asked, without the notice again in the same
turn; a later menu number is the menu, not a "no". The API keeps the answer (with the notice's version): a
lost conversation does not ask again, a new notice does; consent is withdrawn only when asked and confirmed."""

import sqlite3

import httpx
import pytest
from test_after_handoff import each, keys
from test_whatsapp import form, post, replies, settle, wait_for

from conftest import CONVERSATIONS, LANGUAGES, RASA_TOKEN, SERVICE_TOKEN, Stack


def turn(stack: Stack, sender: str, text: str) -> list[str]:
    count = len(replies(stack, sender))
    post(stack, form(sender, text))
    wait_for(stack, sender, count + 1)
    settle(stack, sender)
    return each(keys(stack, sender)[count:])


@pytest.mark.parametrize("language", LANGUAGES)
def test_consent_is_asked_once(stack: Stack, language: str) -> None:
    sender = f"+316876501{LANGUAGES.index(language):02d}"  # not a client
    first = turn(stack, sender, CONVERSATIONS[language]["ask_lessons"])
    assert "utter_privacy_notice" in first  # asked before anything personal
    again = turn(stack, sender, CONVERSATIONS[language]["ask_appointments"])
    assert again == ["utter_privacy_reminder"]  # not the long notice again: answer it first
    second = turn(stack, sender, "1")
    assert second[0] == "utter_privacy_agreed" and "utter_privacy_notice" not in second, second
    assert len(second) > 1  # ... and the question asked first is answered (here: how to pair this number)
    third = turn(stack, sender, "2")  # the menu's "appointments", not a "no" to the notice
    assert not any(k.startswith("utter_privacy") for k in third), third


def new_session(stack: Stack, sender: str) -> None:
    """A new session, as after a day of silence or when Rasa lost the conversation: Rasa runs
    action_session_start, which carries every slot over except consent (the API keeps that)."""
    res = httpx.post(f"{stack.rasa}/conversations/{sender}/execute", params={"token": RASA_TOKEN},
                     json={"name": "action_session_start"}, timeout=30)
    assert res.status_code == 200, res.text


def api_consent(stack: Stack, sender: str) -> str:
    res = httpx.get(f"{stack.api}/api/v1/assistant/consent", headers={"Authorization": f"Bearer {SERVICE_TOKEN}",
                                                                      "X-Client-Phone": sender}, timeout=30)
    return str(res.json()["state"])


def test_consent_is_kept_by_the_api_and_a_new_notice_asks_again(stack: Stack) -> None:
    sender = "+31687650041"  # not a client
    turn(stack, sender, "hallo")
    assert turn(stack, sender, "1")[0] == "utter_privacy_agreed"
    assert api_consent(stack, sender) == "given"
    new_session(stack, sender)
    again = turn(stack, sender, CONVERSATIONS["nl"]["ask_lessons"])
    assert not any(k.startswith("utter_privacy") for k in again), again  # not asked twice
    with sqlite3.connect(stack.db) as db:  # a new version of the notice since
        db.execute("UPDATE consents SET version = '2000-01' WHERE phone = ?", (sender,))
    new_session(stack, sender)
    assert "utter_privacy_notice" in turn(stack, sender, CONVERSATIONS["nl"]["ask_lessons"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_consent_is_withdrawn_only_when_asked_and_confirmed(stack: Stack, language: str) -> None:
    said = CONVERSATIONS[language]
    sender = f"+316876502{LANGUAGES.index(language):02d}"  # not a client
    turn(stack, sender, said["greet"])
    turn(stack, sender, "1")
    offered = turn(stack, sender, said["ask_privacy"])
    assert offered[-1] == "utter_consent_withdraw_offer", offered
    turn(stack, sender, said["ask_contact_person"])  # another question first: the offer lapses
    assert "utter_consent_withdrawn" not in turn(stack, sender, "1")  # the main menu's 1
    assert api_consent(stack, sender) == "given"
    turn(stack, sender, said["ask_privacy"])
    assert turn(stack, sender, "2") == ["utter_consent_kept"]  # "leave it": nothing changes
    assert api_consent(stack, sender) == "given"
    assert turn(stack, sender, "1") != ["utter_consent_withdrawn"]  # the main menu's 1 now, not a withdrawal
    assert api_consent(stack, sender) == "given"
    turn(stack, sender, said["ask_privacy"])
    assert turn(stack, sender, "1") == ["utter_consent_withdrawn"]
    assert api_consent(stack, sender) == "withdrawn"
    assert "utter_privacy_agreed" not in turn(stack, sender, "ok")  # an ok to nothing in particular is no consent
    assert api_consent(stack, sender) == "withdrawn"
    assert turn(stack, sender, said["ask_lessons"]) == ["utter_privacy_needed"]
    assert turn(stack, sender, "akkoord")[0] == "utter_privacy_agreed"  # as the withdrawal's answer says
    assert api_consent(stack, sender) == "given"
