"""Statistics of the assistant: what people asked (from Rasa's event broker table), hand-offs and deliveries,
per gemeente for consultants and gemeente admins, for the whole region for region admins; totals only."""

import json
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from app.config import get_settings
from app.models import AuditEntry, Client, StaffUser
from conftest import assistant_headers, login

pytestmark = pytest.mark.usefixtures("demo_data", "catalog")
DAY = 86400.0


def user_event(intent: str, confidence: float = 0.9, language: str | None = None, age_days: float = 0.1) -> dict:  # type: ignore[type-arg]
    entities = [{"entity": "detected_language", "value": language}] if language else []
    return {"event": "user", "timestamp": time.time() - age_days * DAY, "text": "...",
            "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": entities}}


@pytest.fixture
def events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The URL of an event broker table like Rasa's SQLEventBroker makes (id, sender_id, data as JSON)."""
    url = f"sqlite:///{tmp_path / 'events.db'}"
    monkeypatch.setattr(get_settings(), "events_database_url", url)
    store(url, [])
    return url


def store(url: str, rows: list[tuple[str, dict]]) -> None:  # type: ignore[type-arg]
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), "
                          "data TEXT)"))
        for sender, event in rows:
            conn.execute(text("INSERT INTO events (sender_id, data) VALUES (:s, :d)"),
                         {"s": sender, "d": json.dumps(event)})
    engine.dispose()


def two_gemeenten(db: Session) -> tuple[Client, Client, StaffUser, StaffUser]:
    clients = [c for c in db.query(Client).order_by(Client.id) if c.whatsapp and c.consultant_id]
    first = clients[0]
    second = next(c for c in clients if c.gemeente_id != first.gemeente_id)
    consultants = (db.get(StaffUser, first.consultant_id), db.get(StaffUser, second.consultant_id))
    assert consultants[0] is not None and consultants[1] is not None
    return first, second, consultants[0], consultants[1]


def test_what_people_asked_per_gemeente_and_for_the_region(api: TestClient, db: Session, events: str) -> None:
    first, second, mine, theirs = two_gemeenten(db)
    store(events, [
        (first.whatsapp, user_event("ask_lessons", language="ar")),
        (first.whatsapp, user_event("ask_lessons", language="ar")),
        (first.whatsapp, user_event("nlu_fallback", 0.2, language="ar")),
        (first.whatsapp, user_event("ask_route", age_days=40)),  # only in the 90-day view
        (first.whatsapp, {"event": "bot", "timestamp": time.time(), "text": "..."}),  # not a question
        (second.whatsapp, user_event("ask_route", language="ti")),
        ("+3197000000001", user_event("greet")),  # an unknown number: the region's, no gemeente's
    ])
    res = api.get("/api/v1/stats", headers=login(api, mine.email))
    assert res.status_code == 200, res.text
    stats = res.json()
    assert stats["events_available"] is True
    assert (stats["people"], stats["messages_in"], stats["not_understood"]) == (1, 3, 1)
    topics = {t["label"]: t["count"] for t in stats["topics"]}
    assert topics == {"vraag over lessen": 2, "niet begrepen": 1}
    assert [(row["count"], round(row["share"], 2)) for row in stats["languages"]] == [(3, 1.0)]
    assert stats["languages"][0]["label"].endswith("(ar)")
    assert first.whatsapp not in res.text and first.last_name not in res.text  # totals, never a person

    wide = api.get("/api/v1/stats", params={"days": 90}, headers=login(api, mine.email)).json()
    assert wide["days"] == 90 and wide["messages_in"] == 4

    other = api.get("/api/v1/stats", headers=login(api, theirs.email)).json()
    assert (other["people"], other["messages_in"]) == (1, 1)
    assert {t["label"] for t in other["topics"]} == {"vraag over route"}

    region = api.get("/api/v1/stats", headers=login(api, "admin@regio.example")).json()
    assert (region["scope"], region["people"], region["messages_in"]) == ("the region", 3, 5)


def test_hand_offs_and_deliveries_are_counted_per_gemeente(api: TestClient, db: Session, events: str) -> None:
    first, _, mine, theirs = two_gemeenten(db)
    before = api.get("/api/v1/stats", headers=login(api, mine.email)).json()
    before_other = api.get("/api/v1/stats", headers=login(api, theirs.email)).json()
    res = api.post("/api/v1/assistant/handoffs", headers=assistant_headers(), json={
        "phone": first.whatsapp, "trigger": "request_human", "topic": "request_human", "urgency": "normal",
        "language": "ar", "summary": "بدي احكي مع شخص"})
    assert res.status_code == 201, res.text
    after = api.get("/api/v1/stats", headers=login(api, mine.email)).json()
    assert after["handoffs_opened"] == before["handoffs_opened"] + 1
    triggers = {t["label"]: t["count"] for t in after["handoffs_by_trigger"]}
    assert triggers["request human"] >= 1
    assert any(o["label"] == "still open" for o in after["handoffs_by_outcome"])
    assert api.get("/api/v1/stats", headers=login(api, theirs.email)).json()["handoffs_opened"] == \
        before_other["handoffs_opened"]


def test_without_an_event_broker_the_rest_still_shows(api: TestClient, db: Session,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "events_database_url", "")
    _, _, mine, _ = two_gemeenten(db)
    stats = api.get("/api/v1/stats", headers=login(api, mine.email)).json()
    assert stats["events_available"] is False and stats["topics"] == []
    api.cookies.clear()
    assert api.post("/login", data={"email": mine.email, "password": "demo-wachtwoord"},
                    follow_redirects=False).status_code == 303
    page = api.get("/stats")
    assert page.status_code == 200 and "event broker is not configured" in page.text


def test_access_and_audit(api: TestClient, db: Session, events: str) -> None:
    first, _, mine, _ = two_gemeenten(db)
    store(events, [(first.whatsapp, user_event("ask_appointments"))])
    vertaler = db.query(StaffUser).filter_by(role="cultuurvertaler").first()
    assert vertaler is not None
    assert api.get("/api/v1/stats", headers=login(api, vertaler.email)).status_code == 403
    assert api.get("/api/v1/stats").status_code == 401
    api.cookies.clear()
    assert api.post("/login", data={"email": mine.email, "password": "demo-wachtwoord"},
                    follow_redirects=False).status_code == 303
    page = api.get("/stats", params={"days": 30})
    assert page.status_code == 200
    assert "vraag over afspraken" in page.text and 'aria-current="page">last 30 days' in page.text
    assert not re.search(r"\+31\d{9}", page.text)
    db.expire_all()
    assert db.query(AuditEntry).filter_by(actor=f"staff:{mine.id}", action="view_statistics").count() >= 1
    api.cookies.clear()
    assert api.get("/stats", follow_redirects=False).status_code in (303, 307)  # to the login page
