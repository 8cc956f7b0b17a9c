"""The WhatsApp message log in the API: dedup of inbound, the outbox, splitting, status callbacks."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.request_validator import RequestValidator

from app.config import Settings, get_settings
from app.models import WhatsAppMessage
from app.models.enums import Direction, MessageStatus
from app.services.whatsapp import split_body
from conftest import assistant_headers, login


def test_split_body_keeps_every_character_and_cuts_at_sentences() -> None:
    text = " ".join(f"Zin nummer {i} is hier." for i in range(400))
    parts = split_body(text, 1600)
    assert all(len(p) <= 1600 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts) == text
    assert split_body("kort", 1600) == ["kort"]
    assert split_body("   ", 1600) == []
    one_long_sentence = "woord " * 1000
    parts = split_body(one_long_sentence, 1600)
    assert all(len(p) <= 1600 for p in parts) and " ".join(parts).split() == one_long_sentence.split()
    arabic = "هذه جملة طويلة عن موعدك. " * 200
    assert all(len(p) <= 1600 for p in split_body(arabic, 1600))


def test_inbound_is_stored_once(api: TestClient, db: Session) -> None:
    body = {"message_sid": "SM" + "a" * 32, "phone": "+31610000001", "body": "hallo"}
    first = api.post("/api/v1/whatsapp/inbound", json=body, headers=assistant_headers())
    second = api.post("/api/v1/whatsapp/inbound", json=body, headers=assistant_headers())
    assert (first.status_code, first.json()["new"]) == (201, True)
    assert (second.status_code, second.json()["new"]) == (200, False)
    assert len(db.scalars(select(WhatsAppMessage)).all()) == 1
    assert api.post(f"/api/v1/whatsapp/inbound/{body['message_sid']}/processed",
                    headers=assistant_headers()).status_code == 204
    assert api.post("/api/v1/whatsapp/inbound/SMunknown00000/processed", headers=assistant_headers()).status_code == 404
    bad = api.post("/api/v1/whatsapp/inbound", json={**body, "message_sid": "x"}, headers=assistant_headers())
    assert bad.status_code == 422


def test_outbox_is_idempotent(api: TestClient, db: Session) -> None:
    body = {"phone": "0610000001", "turn_sid": "SMabc0000001", "run": "aaaaaaaa11111111",
            "replies": [{"body": "Hallo!"}]}
    a = api.post("/api/v1/whatsapp/outbound/turn", json=body, headers=assistant_headers())
    b = api.post("/api/v1/whatsapp/outbound/turn", json=body, headers=assistant_headers())
    assert a.status_code == b.status_code == 202
    assert a.json()[0]["id"] == b.json()[0]["id"]
    assert a.json()[0]["phone"] == "+31610000001" and a.json()[0]["status"] == "queued"


def test_status_callbacks_count_only_with_a_valid_signature(api: TestClient, db: Session) -> None:
    """With WhatsApp enabled (Twilio's token known), a wrongly signed status callback changes nothing and a
    validly signed one moves the row on."""
    enabled = Settings(environment="test", twilio_account_sid="AC" + "0" * 32,  # type: ignore[arg-type]
                       twilio_auth_token="t" * 32, twilio_whatsapp_from="whatsapp:+14155238886")
    api.app.dependency_overrides[get_settings] = lambda: enabled  # type: ignore[attr-defined]
    row = WhatsAppMessage(direction=Direction.outbound, phone="+31610000002", body="Uw les is morgen.",
                          status=MessageStatus.sent, message_sid="SM" + "7" * 32)
    db.add(row)
    db.commit()
    url = f"{enabled.public_url}/webhooks/twilio/status"
    form = {"MessageSid": row.message_sid, "MessageStatus": "delivered", "AccountSid": enabled.twilio_account_sid}
    for signature in ("nope", RequestValidator("x" * 32).compute_signature(url, form), ""):
        res = api.post("/webhooks/twilio/status", data=form, headers={"X-Twilio-Signature": signature})
        assert res.status_code == 403
        db.refresh(row)
        assert row.status == MessageStatus.sent
    signature = RequestValidator("t" * 32).compute_signature(url, form)
    res = api.post("/webhooks/twilio/status", data=form, headers={"X-Twilio-Signature": signature})
    assert res.status_code == 204, res.text
    db.refresh(row)
    assert row.status == MessageStatus.delivered
    tampered = {**form, "MessageStatus": "failed"}  # signed for "delivered"
    assert api.post("/webhooks/twilio/status", data=tampered,
                    headers={"X-Twilio-Signature": signature}).status_code == 403
    db.refresh(row)
    assert row.status == MessageStatus.delivered


def test_staff_see_only_their_gemeente(api: TestClient, demo_data: dict[str, int]) -> None:
    lochem = login(api, "consulent1@lochem.example")
    # demo client 1 is in Gooise Meren
    assert api.get("/api/v1/whatsapp/messages", params={"phone": "+31610000001"}, headers=lochem).status_code == 404
    assert api.get("/api/v1/whatsapp/messages", params={"phone": "+31610000002"}, headers=lochem).status_code == 200
    assert api.get("/api/v1/whatsapp/failed", headers=lochem).status_code == 200


def test_a_re_run_of_a_turn_sends_nothing_even_when_it_says_something_else(api: TestClient, db: Session) -> None:
    """The first run that queues a turn owns it; a re-run (another replica, the recovery sweep) with other
    replies queues none; the owner's own retry is still deduplicated."""
    sid = "SM" + "5" * 32
    res = api.post("/api/v1/whatsapp/inbound", headers=assistant_headers(),
                   json={"message_sid": sid, "phone": "+31610000002", "body": "wanneer is mijn les?"})
    assert res.status_code == 201

    def turn(run: str, *texts: str) -> list:  # type: ignore[type-arg]
        res = api.post("/api/v1/whatsapp/outbound/turn", headers=assistant_headers(), json={
            "phone": "+31610000002", "turn_sid": sid, "run": run, "replies": [{"body": t} for t in texts]})
        assert res.status_code == 202, res.text
        return list(res.json())

    first = turn("aaaaaaaa11111111", "Uw les is morgen.", "Om 9 uur.")
    assert turn("bbbbbbbb22222222", "Uw les is dinsdag.", "Om 10 uur.", "Neem uw boek mee.") == []  # the re-run
    assert [m["id"] for m in turn("aaaaaaaa11111111", "Uw les is morgen.", "Om 9 uur.")] == \
        [m["id"] for m in first]  # the owner's retry: the same row
    bodies = [m.body for m in db.scalars(select(WhatsAppMessage).where(
        WhatsAppMessage.phone == "+31610000002", WhatsAppMessage.direction == Direction.outbound))]
    assert bodies == ["Uw les is morgen.\n\nOm 9 uur."]


def test_a_turn_that_is_still_running_is_not_taken_by_the_recovery_sweep(api: TestClient, db: Session) -> None:
    """The replica processing a message renews its lease; the sweep takes only messages nobody is working on."""
    from datetime import timedelta

    from app.models.types import utcnow

    sids = ["SM" + "6" * 32, "SM" + "7" * 31 + "1"]
    for sid in sids:
        assert api.post("/api/v1/whatsapp/inbound", headers=assistant_headers(),
                        json={"message_sid": sid, "phone": "+31610000002", "body": "hallo"}).status_code == 201
    for row in db.scalars(select(WhatsAppMessage).where(WhatsAppMessage.message_sid.in_(sids))):
        row.updated_at = utcnow() - timedelta(minutes=2)  # both taken up two minutes ago
    db.commit()
    assert api.post(f"/api/v1/whatsapp/inbound/{sids[0]}/processing", headers=assistant_headers()).status_code == 200
    pending = api.post("/api/v1/whatsapp/inbound/pending", params={"older_than_seconds": "60"},
                      headers=assistant_headers()).json()
    assert [m["message_sid"] for m in pending] == [sids[1]]  # the one nobody renewed
    assert api.post(f"/api/v1/whatsapp/inbound/{sids[0]}/processed", headers=assistant_headers()).status_code == 204
    assert api.post(f"/api/v1/whatsapp/inbound/{sids[0]}/processing", headers=assistant_headers()).status_code == 404
    assert api.post("/api/v1/whatsapp/inbound/SMunknown0000/processing", headers=assistant_headers()).status_code == 404


def test_a_turn_waits_for_the_same_persons_earlier_messages(api: TestClient, db: Session) -> None:
    """Quick messages may reach different replicas: each learns, with its lease, how many of the person's
    earlier messages are still unprocessed, and starts at zero; another person's messages never count."""
    def lease(sid: str) -> int:
        res = api.post(f"/api/v1/whatsapp/inbound/{sid}/processing", headers=assistant_headers())
        assert res.status_code == 200, res.text
        return int(res.json()["earlier"])

    mine = [f"SM{n}" + "8" * 31 for n in range(3)]
    other = "SM" + "9" * 32
    for sid, phone in [(mine[0], "+31610000003"), (other, "+31610000004"), (mine[1], "+31610000003"),
                       (mine[2], "+31610000003")]:
        assert api.post("/api/v1/whatsapp/inbound", headers=assistant_headers(),
                        json={"message_sid": sid, "phone": phone, "body": "hallo"}).status_code == 201
    assert [lease(s) for s in mine] == [0, 1, 2] and lease(other) == 0
    assert api.post(f"/api/v1/whatsapp/inbound/{mine[0]}/processed", headers=assistant_headers()).status_code == 204
    assert [lease(s) for s in mine[1:]] == [0, 1]


def test_a_turns_replies_go_as_one_message_where_they_fit(api: TestClient, db: Session) -> None:
    """Every WhatsApp message is billed and one person may be sent only so many: a turn's replies are joined
    as paragraphs into one message up to the limit, the 'not yet checked' notice once; a re-run of the
    turn queues nothing new, and a run that does not own the turn queues nothing."""
    sid = "SM" + "8" * 32
    assert api.post("/api/v1/whatsapp/inbound", headers=assistant_headers(),
                    json={"message_sid": sid, "phone": "+31610000002", "body": "afspraken"}).status_code == 201
    notice = "\u200fلم تتم مراجعة هذه الرسالة بعد، النص الهولندي أدناه."
    replies = [{"body": "مرحبا", "response_key": "utter_greet", "dutch": "Hallo"},
               {"body": f"{notice}\n\nUw afspraak is op maandag.", "response_key": "utter_appointment",
                "notice": notice},
               {"body": f"{notice}\n\nNeem uw paspoort mee.", "response_key": "utter_bring", "notice": notice}]

    def turn(run: str, given: list[dict[str, str]]) -> list:  # type: ignore[type-arg]
        res = api.post("/api/v1/whatsapp/outbound/turn", headers=assistant_headers(),
                       json={"phone": "+31610000002", "turn_sid": sid, "run": run, "replies": given})
        assert res.status_code == 202, res.text
        return list(res.json())

    first = turn("aaaaaaaa11111111", replies)
    assert [m["body"] for m in first] == [f"مرحبا\n\n{notice}\n\nUw afspraak is op maandag.\n\nNeem uw paspoort mee."]
    assert first[0]["response_key"].split() == ["utter_greet", "utter_appointment", "utter_bring"]
    assert turn("aaaaaaaa11111111", replies)[0]["id"] == first[0]["id"]  # the same run again: the same row
    assert turn("bbbbbbbb22222222", replies[:1]) == []  # another run of the same turn
    row = db.get(WhatsAppMessage, first[0]["id"])
    assert row is not None and row.dutch == f"Hallo\n\n{notice}\n\nUw afspraak is op maandag.\n\nNeem uw paspoort mee."

    sid2 = "SM" + "9" * 32
    long = [{"body": f"Paragraaf {i}. " + "x" * 700, "response_key": f"utter_{i}"} for i in range(5)]
    res = api.post("/api/v1/whatsapp/outbound/turn", headers=assistant_headers(),
                   json={"phone": "+31610000002", "turn_sid": sid2, "run": "cccccccc33333333", "replies": long})
    got = res.json()
    assert [len(m["body"]) <= 1600 for m in got] == [True] * 3  # 2 + 2 + 1 paragraphs
    assert [m["response_key"] for m in got] == ["utter_0 utter_1", "utter_2 utter_3", "utter_4"]
    assert "\n\n".join(m["body"] for m in got) == "\n\n".join(r["body"] for r in long)  # nothing lost
    empty = api.post("/api/v1/whatsapp/outbound/turn", headers=assistant_headers(),
                     json={"phone": "+31610000002", "turn_sid": sid2, "run": "cccccccc33333333", "replies": []})
    assert empty.status_code == 422
