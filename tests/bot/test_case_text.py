"""Case data in the person's language (issue 18 point 9), over the signed webhook in all eight languages: what an
appointment is for and what to bring are keys the gemeente picks, read by the person as labels in their own
language; what the gemeente typed itself reaches them as written, marked as Dutch, with one line that says so."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from test_after_handoff import each, keys
from test_whatsapp import form, post, replies, settle, wait_for

from conftest import CONVERSATIONS, LANGUAGES, SERVICE_TOKEN, Stack

RLM = "\u200f"
FREE_TEXT = "de brief van de Belastingdienst over de huurtoeslag"


def render(stack: Stack, key: str, language: str, **arguments: object) -> str:
    res = httpx.post(f"{stack.api}/nlg", json={"response": key, "arguments": arguments,
                                               "tracker": {"slots": {"language": language}}},
                     headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}, timeout=30)
    return str(res.json()["text"])


def turn(stack: Stack, sender: str, text: str) -> str:
    """The one WhatsApp message the turn's replies make."""
    count = len(replies(stack, sender))
    post(stack, form(sender, text))
    wait_for(stack, sender, count + 1)
    return "\n\n".join(m["body"] for m in settle(stack, sender)[count:])


def new_client(stack: Stack, language: str, sender: str) -> int:
    """A client of their own (no other test talks to it), paired over WhatsApp with a code from staff."""
    gemeente = stack.staff("GET", "/gemeenten").json()[0]
    made = stack.staff("POST", "/clients", json={
        "gemeente_id": gemeente["id"], "first_name": "Testa", "last_name": "Synthetisch", "whatsapp": sender,
        "preferred_language": language, "doelgroep": "asielstatushouder", "leerroute": "b1"})
    assert made.status_code == 201, made.text
    cid = int(made.json()["id"])
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    for days, extra in ((0, {"kind": "pip", "bring_items": ["passport", "bills"]}),
                        (1, {"kind": "help_post", "bring_items": ["letters"], "bring": FREE_TEXT})):
        res = stack.staff("POST", "/appointments", json={
            "client_id": cid, "counterpart": "consultant", "with_name": "Lotte Bakker", "mode": "phone",
            "starts_at": (starts + timedelta(days=days)).isoformat(), **extra})
        assert res.status_code == 201, res.text
    code = stack.staff("POST", f"/clients/{cid}/pairing-codes").json()["code"]
    turn(stack, sender, CONVERSATIONS[language]["greet"])
    assert each(keys(stack, sender))[-1] == "utter_privacy_notice"
    turn(stack, sender, "1")
    count = len(keys(stack, sender))
    turn(stack, sender, code)
    assert "utter_code_ok" in each(keys(stack, sender)[count:])
    return cid


@pytest.mark.parametrize("language", LANGUAGES)
def test_appointments_in_the_persons_language(stack: Stack, language: str) -> None:
    sender = f"+316876503{LANGUAGES.index(language):02d}"
    new_client(stack, language, sender)
    count = len(replies(stack, sender))
    body = turn(stack, sender, CONVERSATIONS[language]["ask_appointments"])
    assert "utter_appointment_item" in each(keys(stack, sender)[count:]), body
    for key in ("utter_appointment_kind_pip", "utter_bring_passport", "utter_bring_bills",
                "utter_appointment_kind_help_post", "utter_bring_letters"):
        label = render(stack, key, language)
        assert label in body, (key, label, body)
        if language != "nl":
            assert render(stack, key, "nl") not in body, (key, body)  # no Dutch label inside the translation
    marked = render(stack, "utter_dutch_text", language, text=FREE_TEXT).lstrip(RLM)  # alone it opens a line
    note = render(stack, "utter_dutch_text_note", language)
    if language == "nl":
        assert FREE_TEXT in body and "«" not in body and note not in body
    else:
        assert marked != FREE_TEXT and marked in body, body  # as written, marked as Dutch
        assert body.count(note) == 1, body  # and once, what that mark means
