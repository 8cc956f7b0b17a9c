"""The embedded stack (make run) as an attacker would try it: hidden commands over the signed webhook and
over the local REST channel are plain text, bad fields get a clear answer and lose nothing, a
cultuurvertaler cannot widen their own languages, log-ins are throttled."""

import secrets

import httpx
from test_whatsapp import form, post, replies, settle, wait_for

from conftest import Stack


def stranger() -> str:
    """A number of no client: these tests need no case data, and no other test talks to it."""
    return f"+3162400{secrets.randbelow(10000):04d}"


def _consent(stack: Stack, sender: str) -> int:
    post(stack, form(sender, "hallo"))
    wait_for(stack, sender, 1)
    post(stack, form(sender, "1"))
    return len(settle(stack, sender))


def test_hidden_commands_over_whatsapp_are_text(stack: Stack) -> None:
    sender = stranger()
    before = _consent(stack, sender)
    for hidden in ("\u200b/restart", "\u2066/restart\u2069", "\ufeff/restart"):
        assert post(stack, form(sender, hidden)).status_code == 200
    settle(stack, sender)
    events = stack.tracker(sender)["events"]
    assert not [e for e in events if e["event"] == "restart"]
    users = [e for e in events if e["event"] == "user"][-3:]
    assert all(e["text"].startswith("\u2215") and e["parse_data"]["intent"]["name"] != "restart" for e in users)
    # Plain text nobody understands may end with a person (not understood twice), never as "asked for one".
    triggers = [h["trigger"] for h in stack.staff("GET", "/handoffs").json() if h["phone"] == sender]
    assert "request_human" not in triggers
    assert len(replies(stack, sender)) > before


def test_persian_zwnj_is_kept_and_stored_clean(stack: Stack) -> None:
    sender = stranger()
    text = "\u200bمی\u200cخواهم با مشاور صحبت کنم\u200e"
    post(stack, form(sender, text))
    settle(stack, sender)
    bodies = [m["body"] for m in stack.staff("GET", "/whatsapp/messages", params={"phone": sender}).json()
              if m["direction"] == "inbound"]
    assert bodies[-1] == "می\u200cخواهم با مشاور صحبت کنم"  # the word's ZWNJ stays, the marks around go


def test_malformed_num_media_is_answered_not_a_crash(stack: Stack) -> None:
    sender = stranger()
    res = post(stack, form(sender, "hallo", NumMedia="veel"))
    assert res.status_code == 200
    assert wait_for(stack, sender, 1)
    res = post(stack, form(sender, "hallo", NumMedia="99999999999999999999"))
    assert res.status_code == 200


def test_rest_channel_commands_and_lone_surrogates(stack: Stack) -> None:
    sender = stranger()
    stack.say(sender, "hallo")
    stack.say(sender, "1")
    replies_ = stack.say(sender, "\u200b/restart")
    assert replies_ and not [e for e in stack.tracker(sender)["events"] if e["event"] == "restart"]
    res = httpx.post(f"{stack.rasa}/webhooks/rest/webhook", timeout=60,
                     content='{"sender": "' + sender + '", "message": "hallo \\ud800 daar"}',
                     headers={"Content-Type": "application/json"})
    assert res.status_code == 200 and res.json(), res.text[:300]


def test_cultuurvertaler_cannot_widen_their_own_languages(stack: Stack) -> None:
    token = httpx.post(f"{stack.api}/api/v1/auth/login", json={"email": "vertaler@deventer.example",
                                                               "password": "demo-wachtwoord"}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{stack.api}/api/v1/auth/me", headers=headers).json()
    res = httpx.patch(f"{stack.api}/api/v1/staff/{me['id']}", json={"languages": ["ar"]}, headers=headers)
    assert res.status_code == 403
    assert httpx.get(f"{stack.api}/api/v1/auth/me", headers=headers).json()["languages"] == me["languages"]


def test_login_is_throttled(stack: Stack) -> None:
    url = f"{stack.api}/api/v1/auth/login"
    email = "consulent3@lochem.example"
    codes = [httpx.post(url, json={"email": email, "password": f"wrong-{i}"}).status_code for i in range(5)]
    assert codes == [403] * 5
    right = httpx.post(url, json={"email": email, "password": "demo-wachtwoord"})
    assert right.status_code == 429 and "Too many failed log-ins" in right.json()["detail"]
