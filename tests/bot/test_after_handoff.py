"""Back with the assistant after a consultant closes a hand-off: the main menu's numbers mean the main menu
again (issue 18: a number was read as "not understood" and opened a new hand-off)."""

import sqlite3
import time

import httpx
from test_whatsapp import form, post, replies, settle, wait_for

from conftest import CONVERSATIONS, Stack

PASSWORD = "demo-wachtwoord"


def dutch_client(stack: Stack) -> str:
    """A verified Dutch demo client no other test talks to (the last one)."""
    with sqlite3.connect(stack.db) as db:
        row = db.execute("SELECT whatsapp FROM clients WHERE preferred_language = 'nl' AND whatsapp_verified_at "
                         "IS NOT NULL AND whatsapp LIKE '+3161000%' ORDER BY id DESC LIMIT 1").fetchone()
    return str(row[0])


def keys(stack: Stack, sender: str) -> list[str]:
    """The response keys of each outbound message (a message holds a turn's replies: keys space-separated)."""
    return [m["response_key"] or "" for m in stack.staff("GET", "/whatsapp/messages", params={"phone": sender}).json()
            if m["direction"] == "outbound"]


def each(messages: list[str]) -> list[str]:
    """The replies' keys of these messages, in order."""
    return [key for keys in messages for key in keys.split()]


def open_handoffs(stack: Stack, sender: str) -> list[dict]:  # type: ignore[type-arg]
    return [h for h in stack.staff("GET", "/handoffs").json() if h["phone"] == sender and h["status"] != "closed"]


def test_menu_numbers_mean_the_menu_after_a_hand_off_closes(stack: Stack) -> None:
    sender = dutch_client(stack)
    post(stack, form(sender, "hallo"))
    wait_for(stack, sender, 1)
    post(stack, form(sender, "1"))  # consent
    wait_for(stack, sender, 2)
    post(stack, form(sender, CONVERSATIONS["nl"]["request_human"]))
    deadline = time.monotonic() + 30
    while not open_handoffs(stack, sender):
        assert time.monotonic() < deadline, "no hand-off"
        time.sleep(0.2)
    [handoff] = open_handoffs(stack, sender)
    consultant = stack.staff("GET", f"/staff/{handoff['assigned_to_id']}").json()
    before = len(settle(stack, sender))

    with httpx.Client(base_url=stack.api, timeout=30) as page:  # the consultant closes it on the inbox page
        assert page.post("/login", data={"email": consultant["email"], "password": PASSWORD}).status_code in (200, 303)
        token = page.get(f"/inbox/{handoff['id']}").text.split('name="csrf" value="')[1].split('"')[0]
        res = page.post(f"/inbox/{handoff['id']}/close", data={"csrf": token, "outcome": "answered"})
        assert res.status_code in (200, 303), res.text[:300]
    wait_for(stack, sender, before + 1)
    assert keys(stack, sender)[-1] == "utter_handoff_closed"

    for number, wanted in (("2", "utter_appointment"), ("3", "utter_route")):
        count = len(replies(stack, sender))
        post(stack, form(sender, number))
        wait_for(stack, sender, count + 1)
        settle(stack, sender)
        said = each(keys(stack, sender)[count:])
        assert any(k.startswith(wanted) for k in said), said  # the menu, not "not understood"
        assert not open_handoffs(stack, sender)  # and no new hand-off
