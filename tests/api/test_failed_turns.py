"""A message the assistant cannot process, however often the recovery sweep runs it again, is handed to a
person, with an apology to the one who wrote; the hand-off does not pause the assistant, and a hand-off
that does pause it is never turned into one that does not (the assistant would stay paused)."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Client, Handoff, WhatsAppMessage
from app.models.enums import Direction, HandoffTrigger, MessageStatus, Urgency
from app.models.types import utcnow
from app.services import nlg
from conftest import assistant_headers

pytestmark = pytest.mark.usefixtures("demo_data", "catalog")
DISTRESS = "ik wil niet meer leven"  # bot/safety_lexicons/nl.yml, sure: distress


def verified(db: Session, language: str) -> Client:
    return next(c for c in db.scalars(select(Client).where(Client.preferred_language == language).order_by(Client.id))
                if c.whatsapp_verified and c.whatsapp)


def store(api: TestClient, phone: str, body: str, sid: str) -> None:
    res = api.post("/api/v1/whatsapp/inbound", headers=assistant_headers(),
                   json={"message_sid": sid, "phone": phone, "body": body})
    assert res.status_code == 201, res.text


def sweep(api: TestClient, db: Session, sid: str) -> list[str]:
    """The recovery sweep, a while after the last try (the row's lease ran out)."""
    db.query(WhatsAppMessage).filter_by(message_sid=sid).update({"updated_at": utcnow() - timedelta(minutes=5)})
    db.commit()
    res = api.post("/api/v1/whatsapp/inbound/pending", params={"older_than_seconds": "60"}, headers=assistant_headers())
    assert res.status_code == 200, res.text
    return [m["message_sid"] for m in res.json()]


def test_a_message_that_keeps_failing_goes_to_a_person(api: TestClient, db: Session) -> None:
    person = verified(db, "ar")
    sid = "SM" + "a1" * 16
    store(api, person.whatsapp, "متى درسي القادم؟", sid)  # type: ignore[arg-type]
    assert sweep(api, db, sid) == [sid] and sweep(api, db, sid) == [sid]  # run again twice (the setting)
    assert sweep(api, db, sid) == []  # then not again: a person takes it
    db.expire_all()
    row = db.scalar(select(WhatsAppMessage).where(WhatsAppMessage.message_sid == sid))
    assert row is not None and row.status == MessageStatus.failed and row.handoff_id is not None
    handoff = db.get(Handoff, row.handoff_id)
    assert handoff is not None and handoff.trigger == HandoffTrigger.failed_turn
    assert handoff.client_id == person.id and handoff.urgency == Urgency.high and handoff.language == "ar"
    apology = db.scalars(select(WhatsAppMessage).where(WhatsAppMessage.phone == person.whatsapp,
                                                       WhatsAppMessage.direction == Direction.outbound)).all()
    expected = nlg.render(db, "utter_turn_failed", {}, "ar", bilingual=person.bilingual)
    assert expected is not None
    assert [(m.response_key, m.body) for m in apology] == [("utter_turn_failed", expected[0])]
    assert apology[0].dutch == nlg.render(db, "utter_turn_failed", {}, "nl")[0]  # type: ignore[index]
    assert sweep(api, db, sid) == [] and len(db.scalars(select(Handoff)).all()) == 1  # given up once
    # The assistant goes on for this person: their next message is its to answer, not the hand-off's thread.
    store(api, person.whatsapp, "شكرا", "SM" + "a2" * 16)  # type: ignore[arg-type]
    nxt = db.scalar(select(WhatsAppMessage).where(WhatsAppMessage.message_sid == "SM" + "a2" * 16))
    assert nxt is not None and nxt.handoff_id is None


def test_a_failed_cry_for_help_is_urgent(api: TestClient, db: Session) -> None:
    person = verified(db, "nl")
    sid = "SM" + "b1" * 16
    store(api, person.whatsapp, DISTRESS, sid)  # type: ignore[arg-type]
    for _ in range(3):
        sweep(api, db, sid)
    db.expire_all()
    handoff = db.scalar(select(Handoff).where(Handoff.phone == person.whatsapp))
    assert handoff is not None and handoff.urgency == Urgency.urgent and handoff.safety_class == "distress"


def test_a_pausing_hand_off_stays_one_that_pauses(api: TestClient, db: Session) -> None:
    """Merged into one thread per person: a trigger that pauses the assistant wins over one that does not
    (else closing would not resume it), then the more urgent one; the assistant is told whether to pause."""
    person = verified(db, "tr")

    def open_(trigger: str, urgency: str) -> dict:  # type: ignore[type-arg]
        res = api.post("/api/v1/assistant/handoffs", headers=assistant_headers(), json={
            "phone": person.whatsapp, "trigger": trigger, "topic": trigger, "urgency": urgency, "language": "tr",
            "summary": "..."})
        assert res.status_code == 201, res.text
        return dict(res.json())

    first = open_("correction", "low")
    assert (first["trigger"], first["pauses_assistant"]) == ("correction", False)
    second = open_("request_human", "normal")
    assert (second["id"], second["trigger"], second["pauses_assistant"]) == (first["id"], "request_human", True)
    sid = "SM" + "c1" * 16
    store(api, person.whatsapp, "merhaba", sid)  # type: ignore[arg-type]
    for _ in range(3):
        sweep(api, db, sid)
    db.expire_all()
    handoff = db.get(Handoff, first["id"])
    assert handoff is not None and handoff.trigger == HandoffTrigger.request_human  # still pauses
    assert handoff.urgency == Urgency.high  # the failed message's urgency
    assert open_("payment_failed", "high")["pauses_assistant"] is True  # the thread's trigger pauses
