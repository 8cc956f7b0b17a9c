"""The production topology as an attacker on the internet sees it (nginx's public port), and as a
caller on the machine without the service token: no unsigned way to a client's case data, Rasa's HTTP
API only on the internal port, staff only within their role, invisible-character commands are text,
log-ins throttled through Redis."""

import json
import secrets

import httpx
import pytest
import redis
from test_replicas import phone, post, received, settle, start, tracker

from conftest import RASA_TOKEN, REDIS_DB, SERVICE_TOKEN, Topology

VERIFIED = phone(42)  # demo client 42: verified, Dutch


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/webhooks/rest/webhook"),  # Rasa's REST channel: a sender is whatever the caller says
    ("GET", f"/conversations/{VERIFIED}/tracker"),  # Rasa's HTTP API, even with its token
    ("POST", f"/conversations/{VERIFIED}/trigger_intent"),
    ("POST", "/model/parse"),
    ("GET", "/status"),
    ("GET", "/webhooks/whatsapp/metrics"),
    ("POST", "/nlg"),
    ("GET", "/api/v1/assistant/me"),
    ("GET", "/api/v1/assistant/consent"),
    ("GET", "/api/v1/assistant/safety-lexicon"),  # for the replicas, which reach the API directly
    ("POST", "/api/v1/whatsapp/inbound"),
    ("POST", "/api/v1/whatsapp/inbound/SM0123456789abcdef/processing"),
    ("POST", "/api/v1/whatsapp/inbound/pending"),  # the recovery sweep claims messages to run again
    ("POST", "/api/v1/whatsapp/outbound"),
    ("POST", "/api/v1/whatsapp/outbound/turn"),
    ("GET", "/metrics"),
    ("GET", "/docs"),
    ("GET", "/openapi.json"),
])
def test_internal_endpoints_are_not_reachable_through_nginx(topology: Topology, method: str, path: str) -> None:
    # Even with every credential: the route itself is closed at the edge.
    res = httpx.request(method, f"{topology.front}{path}", params={"token": RASA_TOKEN}, timeout=10,
                        headers={"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Client-Phone": VERIFIED},
                        json={"sender": VERIFIED, "message": "wanneer is mijn les?", "text": "hallo"})
    assert res.status_code == 404, (path, res.status_code, res.text[:200])


def test_no_replica_has_an_unsigned_channel(topology: Topology) -> None:
    checked = 0
    for replica in topology.replicas:
        try:  # test_replicas.py may have killed one
            res = httpx.post(f"{replica}/webhooks/rest/webhook", json={"sender": VERIFIED, "message": "mijn route"},
                             timeout=10)
        except httpx.ConnectError:
            continue
        assert res.status_code == 404, res.text[:200]
        checked += 1
    assert checked
    # Rasa's HTTP API answers on the internal port, with its token only.
    assert httpx.get(f"{topology.internal}/conversations/{VERIFIED}/tracker", timeout=10).status_code == 401
    assert httpx.get(f"{topology.internal}/status", params={"token": RASA_TOKEN}, timeout=10).status_code == 200


def test_unsigned_requests_read_no_case_data(topology: Topology) -> None:
    sender = phone(48)  # no other test writes from it
    data = {"MessageSid": "SM" + secrets.token_hex(16), "From": f"whatsapp:{sender}", "Body": "wat is mijn route?",
            "NumMedia": "0"}
    for signature in (None, "forged", "c2lnbmF0dXJl"):
        headers = {"X-Twilio-Signature": signature} if signature else {}
        res = httpx.post(topology.webhook, data=data, headers=headers, timeout=10)
        assert res.status_code == 403
    # Nothing was stored or answered for that number.
    assert topology.staff("/whatsapp/messages", phone=sender).json() == []
    assert received(topology, sender) == []
    # The API's assistant endpoints and NLG want the service token, also on the machine itself.
    for path in ("/api/v1/assistant/me", "/api/v1/assistant/me/route", "/api/v1/assistant/me/appointments"):
        res = httpx.get(f"{topology.api}{path}", headers={"X-Client-Phone": VERIFIED}, timeout=10)
        assert res.status_code == 401
    assert httpx.post(f"{topology.api}/nlg", json={"response": "utter_menu"}, timeout=10).status_code == 401
    # The action server serves Rasa only (the service token): a made-up tracker for a client's number
    # would otherwise run action_route and return that client's route.
    actions = topology.api.rsplit(":", 1)[0] + ":" + topology.actions_port
    call = {"next_action": "action_route", "sender_id": VERIFIED, "domain": {},
            "tracker": {"sender_id": VERIFIED, "slots": {"consent": True}, "events": [], "latest_message": {}}}
    res = httpx.post(f"{actions}/webhook", json=call, timeout=10)
    assert res.status_code == 401 and "route" not in res.text
    assert httpx.get(f"{actions}/health", timeout=10).status_code == 200


def test_invisible_characters_do_not_make_a_command(topology: Topology) -> None:
    sender = phone(47)
    before = start(topology, sender)
    for hidden in ("\u200b/restart", "\ufeff/restart", "\u202e/restart", "\u064b/restart"):
        post(topology, sender, hidden)
    got = settle(topology, sender, before + 2, timeout=120)
    events = tracker(topology, sender)["events"]
    assert not [e for e in events if e["event"] == "restart"]
    users = [e for e in events if e["event"] == "user"][-4:]
    # Each reached the NLU as text, with the slash made harmless (U+2215), not as Rasa's "/restart".
    assert all(e["text"].startswith("\u2215") for e in users), [e["text"] for e in users]
    assert all(e["parse_data"]["intent"]["name"] != "restart" for e in users)
    # Plain text nobody understands may end with a person (not understood twice), never as "asked for one".
    triggers = [h["trigger"] for h in topology.staff("/handoffs").json() if h["phone"] == sender]
    assert "request_human" not in triggers
    assert len(got) >= before + 2
    # What is stored (and what a consultant would see) is the cleaned text, without the hidden marks.
    bodies = [m["body"] for m in topology.staff("/whatsapp/messages", phone=sender).json()
              if m["direction"] == "inbound"][-4:]
    assert bodies[0] == "/restart" and "\u200b" not in json.dumps(bodies, ensure_ascii=False)


def test_a_cultuurvertaler_cannot_change_their_own_languages(topology: Topology) -> None:
    token = httpx.post(f"{topology.front}/api/v1/auth/login", timeout=10, json={
        "email": "vertaler@lochem.example", "password": "demo-wachtwoord"}).json()["access_token"]
    me = httpx.get(f"{topology.front}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    res = httpx.patch(f"{topology.front}/api/v1/staff/{me['id']}", json={"languages": ["ar", "tr"]}, timeout=10,
                      headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 403
    after = httpx.get(f"{topology.front}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert after["languages"] == me["languages"]
    res = httpx.post(f"{topology.front}/api/v1/translations/ar/utter_menu/approve", timeout=10,
                     headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 403


def test_login_is_throttled_and_shared_through_redis(topology: Topology) -> None:
    email = "consulent2@deventer.example"
    url = f"{topology.front}/api/v1/auth/login"
    codes = [httpx.post(url, json={"email": email, "password": f"wrong-{i}"}, timeout=10).status_code
             for i in range(6)]
    assert codes[:5] == [403] * 5 and codes[5] == 429
    right = httpx.post(url, json={"email": email, "password": "demo-wachtwoord"}, timeout=10)
    assert right.status_code == 429 and int(right.headers["Retry-After"]) > 0
    assert "Too many failed log-ins" in right.json()["detail"]
    page = httpx.post(f"{topology.front}/login", data={"email": email, "password": "demo-wachtwoord"}, timeout=10)
    assert page.status_code == 429 and "Too many failed log-ins" in page.text
    # The counters are in Redis (every API process shares them), under pseudonyms, not the address.
    keys = [k.decode() for k in redis.Redis(db=int(REDIS_DB)).keys("*login-account*")]
    assert keys and not any(email in k for k in keys)
    # Other accounts are not locked by it.
    other = httpx.post(url, json={"email": "consulent1@deventer.example", "password": "demo-wachtwoord"}, timeout=10)
    assert other.status_code == 200
    audit = topology.staff("/audit", limit="50").json()
    assert any(row["action"] == "login:throttled" for row in audit)
