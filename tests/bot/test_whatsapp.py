"""The WhatsApp channel end to end: webhooks signed exactly as Twilio signs them (twilio library),
posted to the running stack; replies arrive at the local Twilio stand-in through the official client."""

import os
import secrets
import signal
import sqlite3
import time

import httpx
import pytest
from twilio.request_validator import RequestValidator

from conftest import RASA_TOKEN, Stack

AUTH_TOKEN = "demo-twilio-auth-token"  # scripts/run.sh's stand-in account


def phone(index: int) -> str:
    return f"+3161000{index:04d}"


def form(sender: str, body: str, sid: str | None = None, **extra: str) -> dict[str, str]:
    return {"MessageSid": sid or "SM" + secrets.token_hex(16), "AccountSid": "ACdemo0000000000000000000000000000",
            "From": f"whatsapp:{sender}", "To": "whatsapp:+3197010000000", "Body": body, "NumMedia": "0", **extra}


def webhook_url(stack: Stack) -> str:
    return f"{stack.rasa}/webhooks/whatsapp/webhook"


def post(stack: Stack, data: dict[str, str], signature: str | None = "valid") -> httpx.Response:
    headers = {}
    if signature == "valid":
        headers["X-Twilio-Signature"] = RequestValidator(AUTH_TOKEN).compute_signature(webhook_url(stack), data)
    elif signature is not None:
        headers["X-Twilio-Signature"] = signature
    return httpx.post(webhook_url(stack), data=data, headers=headers, timeout=10)


def replies(stack: Stack, sender: str) -> list[dict]:  # type: ignore[type-arg]
    return list(httpx.get(f"{stack.standin}/_standin/messages", params={"to": f"whatsapp:{sender}"}).json())


def wait_for(stack: Stack, sender: str, count: int, timeout: float = 30) -> list[dict]:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = replies(stack, sender)
        if len(got) >= count:
            return got
        time.sleep(0.1)
    raise AssertionError(f"expected {count} replies, got {replies(stack, sender)}")


def settle(stack: Stack, sender: str, seconds: float = 2.0) -> list[dict]:  # type: ignore[type-arg]
    """Replies once nothing new has come for a while."""
    last, still_since = -1, time.monotonic()
    while time.monotonic() - still_since < seconds:
        now = len(replies(stack, sender))
        if now != last:
            last, still_since = now, time.monotonic()
        time.sleep(0.1)
    return replies(stack, sender)


def rendered(stack: Stack, key: str, language: str) -> str:
    res = httpx.post(f"{stack.api}/nlg", json={"response": key, "tracker": {"slots": {"language": language}}},
                     headers={"Authorization": "Bearer test-service-token"})
    return str(res.json()["text"])


def joined(stack: Stack, language: str, *keys: str) -> str:
    """A turn's replies as the one WhatsApp message they make: paragraphs."""
    return "\n\n".join(rendered(stack, key, language) for key in keys)


def test_signed_message_is_answered_in_turkish(stack: Stack) -> None:
    sender = phone(23)  # verified, Turkish
    res = post(stack, form(sender, "merhaba"))
    assert res.status_code == 200
    assert "<Response>" in res.text  # acknowledged at once with empty TwiML
    got = settle(stack, sender)
    # One WhatsApp message for the turn (each is billed): the greeting and the privacy notice as paragraphs.
    assert [m["body"] for m in got] == [joined(stack, "tr", "utter_greet", "utter_privacy_notice")]
    assert all(m["from"] == "whatsapp:+3197010000000" for m in got)


def test_bad_or_missing_signature_is_refused_and_nothing_happens(stack: Stack) -> None:
    sender = phone(25)
    data = form(sender, "hallo")
    assert post(stack, data, signature=None).status_code == 403
    assert post(stack, data, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    forged = dict(data, Body="iets anders")  # signed for one body, sent with another
    signature = RequestValidator(AUTH_TOKEN).compute_signature(webhook_url(stack), data)
    assert post(stack, forged, signature=signature).status_code == 403
    assert settle(stack, sender) == []
    messages = stack.staff("GET", "/whatsapp/messages", params={"phone": sender}).json()
    assert messages == []  # nothing stored either


def test_same_message_sid_twice_gets_one_answer(stack: Stack) -> None:
    sender = phone(26)
    data = form(sender, "hallo")
    assert post(stack, data).status_code == 200
    assert post(stack, data).status_code == 200  # Twilio's retry
    first = settle(stack, sender)
    assert len(first) == 1  # greeting and privacy notice, once
    inbound = [m for m in stack.staff("GET", "/whatsapp/messages", params={"phone": sender}).json()
               if m["direction"] == "inbound"]
    assert len(inbound) == 1 and inbound[0]["status"] == "processed"


def test_replies_arrive_despite_twilio_500_and_429(stack: Stack) -> None:
    sender = phone(27)  # verified, Tigrinya: "hallo" is too short to outweigh the case data
    httpx.post(f"{stack.standin}/_standin/fail", json={"status": 500, "count": 2})
    httpx.post(f"{stack.standin}/_standin/fail", json={"status": 429, "count": 1})
    assert post(stack, form(sender, "hallo")).status_code == 200
    got = wait_for(stack, sender, 1)
    assert [m["body"] for m in got] == [joined(stack, "ti", "utter_greet", "utter_privacy_notice")]  # in order
    log = [m for m in stack.staff("GET", "/whatsapp/messages", params={"phone": sender}).json()
           if m["direction"] == "outbound"]
    assert log[0]["attempts"] == 4  # 500, 500, 429, then sent


def test_delivery_status_is_stored(stack: Stack) -> None:
    sender = phone(29)
    post(stack, form(sender, "hoi"))
    wait_for(stack, sender, 1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        log = [m for m in stack.staff("GET", "/whatsapp/messages", params={"phone": sender}).json()
               if m["direction"] == "outbound"]
        if log and all(m["status"] == "delivered" for m in log):
            break
        time.sleep(0.2)
    assert {m["status"] for m in log} == {"delivered"}


def test_permanent_failure_is_kept_and_shown_to_staff(stack: Stack) -> None:
    sender = phone(30)  # verified, Somali
    httpx.post(f"{stack.standin}/_standin/fail", json={"status": 400, "count": 1})
    post(stack, form(sender, "hallo"))
    deadline = time.monotonic() + 30
    while not (failed := [m for m in stack.staff("GET", "/whatsapp/failed").json() if m["phone"] == sender]):
        assert time.monotonic() < deadline, "the refused message is not on the failed list"
        time.sleep(0.2)
    assert len(failed) == 1 and failed[0]["attempts"] == 1 and "400" in failed[0]["error"]
    assert failed[0]["body"] == joined(stack, "so", "utter_greet", "utter_privacy_notice")
    post(stack, form(sender, "hallo"))
    assert wait_for(stack, sender, 1)[0]["body"]  # the next message still goes


@pytest.mark.parametrize("media_type", ["audio/ogg", "image/jpeg", "application/pdf", "image/webp"])
def test_media_gets_a_kind_answer(stack: Stack, media_type: str) -> None:
    sender = f"+3162000{secrets.randbelow(10000):04d}"
    post(stack, form(sender, "", NumMedia="1", MediaContentType0=media_type, MediaUrl0="https://example/x"))
    got = settle(stack, sender)
    assert [m["body"] for m in got] == [joined(stack, "nl", "utter_media_message", "utter_menu")]


def test_location_gets_a_kind_answer(stack: Stack) -> None:
    sender = f"+3162100{secrets.randbelow(10000):04d}"
    post(stack, form(sender, "", Latitude="52.37", Longitude="4.89"))
    assert wait_for(stack, sender, 1)[0]["body"].startswith(rendered(stack, "utter_media_message", "nl"))


@pytest.mark.parametrize("body", ["", "   ", "🙏", "😀🎉", "\u200b\u200f", "a" * 10_000, "‏مرحبا‏ hallo 👋",
                                  "wanneer\u200b is mijn les", "ሰላም hello سلام", "<script>alert(1)</script>"])
def test_odd_messages_get_a_sensible_answer(stack: Stack, body: str) -> None:
    sender = f"+3162200{secrets.randbelow(10000):04d}"
    assert post(stack, form(sender, body)).status_code == 200
    got = wait_for(stack, sender, 1)
    assert all(0 < len(m["body"]) <= 1600 for m in got)


def test_rasa_commands_cannot_be_injected(stack: Stack) -> None:
    sender = f"+3162300{secrets.randbelow(10000):04d}"
    post(stack, form(sender, "hallo"))
    wait_for(stack, sender, 1)
    post(stack, form(sender, "1"))  # agrees to the privacy notice
    wait_for(stack, sender, 2)
    post(stack, form(sender, "/restart"))  # would wipe the conversation, consent included
    settle(stack, sender)
    count = len(replies(stack, sender))
    post(stack, form(sender, "wanneer is mijn les"))
    got = wait_for(stack, sender, count + 1)
    assert got[count]["body"].startswith(rendered(stack, "utter_need_verification", "nl"))  # consent was kept


def test_long_messages_are_split_at_sentences(stack: Stack) -> None:
    sender = phone(31)
    sentence = "Dit is een zin over uw afspraak bij de gemeente. "
    body = sentence * 100  # about 5,000 characters
    res = httpx.post(f"{stack.api}/api/v1/whatsapp/outbound/turn",
                     headers={"Authorization": "Bearer test-service-token"},
                     json={"phone": sender, "turn_sid": "SMsplittest01", "run": "splittest0000001",
                           "replies": [{"body": body}]})
    assert res.status_code == 202
    parts = wait_for(stack, sender, 4)
    assert all(len(p["body"]) <= 1600 and p["body"].endswith(".") for p in parts)
    assert " ".join(p["body"] for p in settle(stack, sender)) == body.strip()


def test_malformed_webhooks(stack: Stack) -> None:
    assert post(stack, {"Body": "hallo"}).status_code == 400  # no From, no MessageSid
    assert post(stack, form("+31", "hallo")).status_code == 400
    assert post(stack, form("not-a-number", "hallo")).status_code == 400


def test_stored_but_unprocessed_message_is_picked_up(stack: Stack) -> None:
    """A crash between storing and processing: the stored message is processed later, once."""
    sender = phone(33)
    sid = "SM" + secrets.token_hex(16)
    res = httpx.post(f"{stack.api}/api/v1/whatsapp/inbound", headers={"Authorization": "Bearer test-service-token"},
                     json={"message_sid": sid, "phone": sender, "body": "hallo"})
    assert res.status_code == 201  # stored as the webhook does, but never handed to Rasa
    with sqlite3.connect(stack.db) as db:  # as if it had arrived a while before the crash
        db.execute("UPDATE whatsapp_messages SET updated_at = datetime('now', '-1 hour') WHERE message_sid = ?",
                   (sid,))
    got = wait_for(stack, sender, 1, timeout=30)
    assert got[0]["body"] == joined(stack, "nl", "utter_greet", "utter_privacy_notice")
    assert post(stack, form(sender, "hallo", sid=sid)).status_code == 200  # Twilio's late retry
    assert len(settle(stack, sender)) == 1


def test_a_message_waits_for_the_persons_earlier_message(stack: Stack) -> None:
    """Two quick messages, the first taken by a replica that stalled (stored, never processed): the second
    is not answered before the first, which the recovery sweep takes up; the replies come in order."""
    sender = phone(35)  # verified, Tigrinya
    first = "SM" + secrets.token_hex(16)
    res = httpx.post(f"{stack.api}/api/v1/whatsapp/inbound", headers={"Authorization": "Bearer test-service-token"},
                     json={"message_sid": first, "phone": sender, "body": "hallo"})
    assert res.status_code == 201
    assert post(stack, form(sender, "1")).status_code == 200  # the consent, which only makes sense second
    got = [m["body"] for m in wait_for(stack, sender, 2, timeout=30)]
    assert got[0] == joined(stack, "ti", "utter_greet", "utter_privacy_notice")
    assert got[1].startswith(rendered(stack, "utter_privacy_agreed", "ti"))


def test_a_message_that_cannot_be_processed_goes_to_a_person(stack: Stack) -> None:
    """Stored, and every run of it failed (here: as if run twice already): the next sweep does not run it a
    third time; a consultant gets a hand-off and the person an apology, through the real sender."""
    sender = phone(37)  # verified
    before = len(replies(stack, sender))
    sid = "SM" + secrets.token_hex(16)
    res = httpx.post(f"{stack.api}/api/v1/whatsapp/inbound", headers={"Authorization": "Bearer test-service-token"},
                     json={"message_sid": sid, "phone": sender, "body": "wanneer is mijn les?"})
    assert res.status_code == 201
    with sqlite3.connect(stack.db) as db:
        db.execute("UPDATE whatsapp_messages SET attempts = 2, updated_at = datetime('now', '-1 hour') "
                   "WHERE message_sid = ?", (sid,))
    got = wait_for(stack, sender, before + 1, timeout=30)[before:]
    log = stack.staff("GET", "/whatsapp/messages", params={"phone": sender}).json()
    assert [m["status"] for m in log if m["message_sid"] == sid] == ["failed"]
    assert [(m["response_key"], m["body"]) for m in log if m["direction"] == "outbound"][-1:] == \
        [("utter_turn_failed", got[0]["body"])]
    assert len(settle(stack, sender)) == before + 1  # nothing else: the assistant did not answer it after all
    thread = next(m["handoff_id"] for m in log if m["message_sid"] == sid)
    handoff = next(h for h in stack.staff("GET", "/handoffs").json() if h["id"] == thread)
    assert handoff["phone"] == sender and handoff["status"] != "closed"  # a person has it (its own or merged)


def test_local_phone_page_holds_an_arabic_conversation(stack: Stack) -> None:
    """What the demo's chat page does: send through the stand-in (signed webhook) and show the chat."""
    page = httpx.get(f"{stack.standin}/phone")
    assert page.status_code == 200 and "Demo-cliënt" in page.text
    sender = phone(34)  # verified, Arabic
    for text in ("مرحبا", "1", "متى موعدي"):
        res = httpx.post(f"{stack.standin}/phone/send", json={"phone": sender, "body": text}, timeout=20)
        assert res.json()["status"] == 200
        time.sleep(1.5)
    chat = httpx.get(f"{stack.standin}/phone/messages", params={"phone": sender}).json()
    mine = [m["body"] for m in chat if m["from"] == "me"]
    theirs = [m["body"] for m in chat if m["from"] == "assistant"]
    assert mine == ["مرحبا", "1", "متى موعدي"]
    # A bilingual client (the demo's flag): the Dutch follows the Arabic, from the first reply on.
    assert theirs[0].startswith(rendered(stack, "utter_greet", "ar")) and "🇳🇱" in theirs[0]
    assert any(m.startswith(rendered(stack, "utter_privacy_agreed", "ar")) for m in theirs)
    assert len(theirs) == 3  # one message per turn: greeting and notice; thanks and menu; the appointments


def test_a_turn_that_ran_but_whose_replies_were_not_queued_is_not_run_again(stack: Stack) -> None:
    """The replica stopped after Rasa had saved the turn, before its replies reached the outbox: the re-run
    queues the replies that turn gave (they are in the tracker) instead of running the message a second
    time from where the first run left the conversation."""
    sender, sid = "+31687650039", "SM" + secrets.token_hex(16)
    res = httpx.post(f"{stack.api}/api/v1/whatsapp/inbound", headers={"Authorization": "Bearer test-service-token"},
                     json={"message_sid": sid, "phone": sender, "body": "hallo"})
    assert res.status_code == 201
    given = ["Het antwoord dat de eerste keer werd gegeven.", "En het tweede."]
    # Timestamps after the session start Rasa adds to a new conversation (events before it are not read).
    at = time.time() + 2
    events = [{"event": "user", "text": "hallo", "message_id": sid, "timestamp": at,
               "parse_data": {"intent": {"name": "greet", "confidence": 1.0}, "entities": []}},
              *({"event": "bot", "text": text, "data": {"custom": {"key": key}}, "timestamp": at + n / 100}
                for n, (text, key) in enumerate(zip(given, ["utter_greet", "utter_privacy_notice"], strict=True), 1))]
    res = httpx.post(f"{stack.rasa}/conversations/{sender}/tracker/events", params={"token": RASA_TOKEN},
                     json=events, timeout=30)
    assert res.status_code == 200, res.text
    with sqlite3.connect(stack.db) as db:  # its lease ran out: the sweep takes it
        db.execute("UPDATE whatsapp_messages SET updated_at = datetime('now', '-1 hour') WHERE message_sid = ?",
                   (sid,))
    assert [m["body"] for m in wait_for(stack, sender, 1)] == ["\n\n".join(given)]
    assert len(settle(stack, sender)) == 1
    log = stack.staff("GET", "/whatsapp/messages", params={"phone": sender}).json()
    assert [m["response_key"] for m in log if m["direction"] == "outbound"] == ["utter_greet utter_privacy_notice"]
    assert [e.get("message_id") for e in stack.tracker(sender)["events"] if e["event"] == "user"] == [sid]


def test_rasa_killed_comes_back_and_remembers_the_conversation(stack: Stack) -> None:
    """kill -9 of Rasa between two messages: its supervisor starts it again (scripts/supervise.sh), and the
    conversation is kept in the tracker store's file, so the person's consent and open question are not
    forgotten: "1" still answers the privacy question instead of starting over. Last in this module: the
    restart takes a while."""
    sender = "+31687650038"  # not a client: Dutch
    assert post(stack, form(sender, "hallo")).status_code == 200
    wait_for(stack, sender, 1)
    before = (stack.db.parent / "rasa.pid").read_text()
    os.kill(int(before), signal.SIGKILL)
    deadline = time.monotonic() + 180
    while True:  # the supervisor starts a new Rasa, which needs its model loaded before it answers
        assert time.monotonic() < deadline, "Rasa was not started again"
        try:
            if (stack.db.parent / "rasa.pid").read_text() != before and \
                    httpx.get(f"{stack.rasa}/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(1)
    assert post(stack, form(sender, "1")).status_code == 200
    got = wait_for(stack, sender, 2)
    assert got[1]["body"].startswith(rendered(stack, "utter_privacy_agreed", "nl"))
