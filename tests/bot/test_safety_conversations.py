"""The safety layer end to end over the signed WhatsApp webhook, in all eight languages: an indirect
distress message and an indirect money emergency each open an urgent hand-off with the gemeente's
emergency contact in the first reply; a two-part message opens the hand-off and still answers the
question; a harmless look-alike opens none. Messages come from the safety sets' tune part (the frozen
part only measures, bench/safety.py); each scenario gets a client of its own, paired for the test."""

import itertools
import re
import secrets
import time
from pathlib import Path

import httpx
import pytest
import yaml
from test_whatsapp import form, post, replies, settle

from conftest import LANGUAGES, SERVICE_TOKEN, Stack

REPO = Path(__file__).resolve().parents[2]
_NUMBERS = itertools.count(secrets.randbelow(8000))  # one new number per scenario, no two alike
EMERGENCY = "035 000 0001"  # the emergency number of gemeente 1 (app/demo.py), the same in every language
SAFETY_KEYS = {"utter_handoff", "utter_handoff_distress", "utter_handoff_money", "utter_handoff_legal",
               "utter_handoff_violence", "utter_handoff_emergency", "utter_handoff_after_hours",
               "utter_safety_ask", "utter_notice_dutch"}


# Known gaps, kept visible (strict: the test fails once they are fixed, so the mark must go):
KNOWN = {
    ("lookalike", "tr"): "the intent classifier itself reads exam worry as distress (0.70); the assistant "
                         "handed this off before the safety layer too",
}


def known(kind: str) -> list:  # type: ignore[type-arg]
    return [pytest.param(lang, marks=pytest.mark.xfail(reason=KNOWN[(kind, lang)], strict=True))
            if (kind, lang) in KNOWN else lang for lang in LANGUAGES]


def tune(language: str) -> list[dict]:  # type: ignore[type-arg]
    return list(yaml.safe_load((REPO / "tests" / "safety" / f"{language}.yml").read_text(encoding="utf-8"))["tune"])


def pick(language: str, kind: str, cls: str | None = None) -> str:
    return next(i["text"] for i in tune(language) if i["kind"] == kind and (cls is None or i["class"] == cls))


def paired_client(stack: Stack, language: str) -> str:
    """A new client of gemeente 1 with a number of its own, verified through the pairing endpoint."""
    phone = f"+3162300{next(_NUMBERS):04d}"
    created = stack.staff("POST", "/clients", json={
        "gemeente_id": 1, "first_name": "Test", "last_name": "Veilig", "preferred_language": language,
        "whatsapp": phone, "doelgroep": "asielstatushouder"})
    assert created.status_code == 201, created.text
    code = stack.staff("POST", f"/clients/{created.json()['id']}/pairing-codes").json()["code"]
    res = httpx.post(f"{stack.api}/api/v1/assistant/pairing/verify", json={"phone": phone, "code": code},
                     headers={"Authorization": f"Bearer {SERVICE_TOKEN}"})
    assert res.status_code == 200, res.text
    return phone


def turn(stack: Stack, sender: str, text: str) -> list[dict]:  # type: ignore[type-arg]
    before = len(replies(stack, sender))
    assert post(stack, form(sender, text)).status_code == 200
    return settle(stack, sender)[before:]


def keys(stack: Stack, sender: str, count: int) -> list[str]:
    rows = stack.staff("GET", "/whatsapp/messages", params={"phone": sender}).json()
    sent = [m["response_key"] or "" for m in rows if m["direction"] == "outbound"][-count:]
    return [key for keys in sent for key in keys.split()]  # a message holds the turn's replies, in order


def handoffs(stack: Stack, sender: str) -> list[dict]:  # type: ignore[type-arg]
    return [h for h in stack.staff("GET", "/handoffs").json() if h["phone"] == sender]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("cls", ["distress", "money"])
def test_indirect_emergency_opens_an_urgent_handoff_with_the_emergency_contact(stack: Stack, language: str,
                                                                              cls: str) -> None:
    sender = paired_client(stack, language)
    got = turn(stack, sender, pick(language, "indirect", cls))
    assert got, "no reply"
    assert any(EMERGENCY in m["body"] for m in got), [m["body"] for m in got]
    opened = handoffs(stack, sender)
    assert len(opened) == 1 and opened[0]["urgency"] == "urgent" and opened[0]["trigger"] == cls, opened


@pytest.mark.parametrize("language", known("two_part"))
def test_two_part_message_answers_the_question_and_hands_off(stack: Stack, language: str) -> None:
    sender = paired_client(stack, language)
    turn(stack, sender, "hallo")
    turn(stack, sender, "1")  # consent: the question's answer needs it (the hand-off never waits for it)
    got = turn(stack, sender, pick(language, "two_part"))
    sent = keys(stack, sender, len(got))
    assert handoffs(stack, sender), sent
    assert [k for k in sent if k not in SAFETY_KEYS], f"the question was not answered: {sent}"
    # The first two-part message of every language asks when a lesson is (the safety part pulls the whole
    # message elsewhere, e.g. a landlord's notice towards the payment status): the lesson question is answered.
    assert any(k.startswith("utter_lesson") for k in sent), f"not the lesson question: {sent}"


@pytest.mark.parametrize("language", known("lookalike"))
def test_look_alike_opens_no_handoff(stack: Stack, language: str) -> None:
    sender = paired_client(stack, language)
    turn(stack, sender, "hallo")
    turn(stack, sender, "1")
    for text in [i["text"] for i in tune(language) if i["kind"] == "lookalike"][:2]:
        got = turn(stack, sender, text)
        assert got and not handoffs(stack, sender), (text, [m["body"] for m in got])


def test_a_phrase_added_on_the_review_page_hands_off_in_the_running_assistant(stack: Stack) -> None:
    """A reviewer's new lexicon phrase reaches the Rasa process within seconds, without a retrain."""
    sender = paired_client(stack, "nl")
    turn(stack, sender, "hallo")
    turn(stack, sender, "1")
    # Words no lexicon phrase or classifier reads as a safety case (the turn below checks that first).
    text = "kijk, de rode tram rijdt weer"
    turn(stack, sender, text)
    assert not handoffs(stack, sender)
    with httpx.Client(base_url=stack.api, headers={"Origin": stack.api}) as page:
        assert page.post("/login", data={"email": "admin@regio.example", "password": "demo-wachtwoord"}
                         ).status_code in (200, 303)
        token = re.search(r'name="csrf" value="(\w+)"', page.get("/review/nl/safety").text).group(1)  # type: ignore[union-attr]
        added = page.post("/review/nl/safety/add", data={"csrf": token, "level": "sure", "safety_class": "money",
                                                         "phrase": "rode tram rijdt"})
        assert added.status_code == 303, added.text[:300]
    time.sleep(2.5)  # every replica fetches the changes every second here (SAFETY_LEXICON_REFRESH)
    turn(stack, sender, text)
    [opened] = handoffs(stack, sender)
    assert (opened["trigger"], opened["safety_class"], opened["safety_words"]) == ("money", "money", "rode tram rijdt")
