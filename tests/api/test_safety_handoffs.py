"""The safety layer on the API and in the inbox: hand-offs carry the class and the words that fired, a
client's message in an open hand-off makes it urgent, consultants give a verdict, admins read the
candidates for review, and violence gets the emergency contact like distress."""

import logging
import re
import time
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import bot.safety
from app.models import AuditEntry, Client, Gemeente, Handoff, HandoffEvent, StaffUser, WhatsAppMessage
from app.models.enums import Urgency
from app.schemas.handoff import HandoffCreate
from app.services import handoffs
from app.services.access import ASSISTANT
from conftest import Mailbox, assistant_headers, csrf, inbound, login, page_login

pytestmark = pytest.mark.usefixtures("demo_data", "catalog")
PASSWORD = "demo-wachtwoord"
DISTRESS = "ik wil niet meer leven"  # bot/safety_lexicons/nl.yml, sure: distress ("niet meer leve*")


def phone(index: int) -> str:
    return f"+3161000{index:04d}"


def client(db: Session, index: int) -> Client:
    return db.query(Client).filter_by(whatsapp=phone(index)).one()


def index_in(db: Session, slug: str) -> int:
    """A verified client of another gemeente than Lochem (client 5)."""
    gemeente = db.query(Gemeente).filter(Gemeente.name.ilike(slug)).one()
    found = next(c for c in db.query(Client).filter_by(gemeente_id=gemeente.id).order_by(Client.id)
                 if c.whatsapp_verified and c.whatsapp and c.whatsapp.startswith("+3161000"))
    return int(found.whatsapp[-4:])  # type: ignore[index]


def open_handoff(api: TestClient, index: int, **extra: object) -> dict:  # type: ignore[type-arg]
    body = {"phone": phone(index), "trigger": "request_human", "topic": "request_human", "urgency": "normal",
            "language": "nl", "summary": "Ik wil iemand spreken", **extra}
    res = api.post("/api/v1/assistant/handoffs", headers=assistant_headers(), json=body)
    assert res.status_code == 201, res.text
    return dict(res.json())








def consultant_of(db: Session, index: int) -> StaffUser:
    user = db.get(StaffUser, client(db, index).consultant_id)
    assert user is not None
    return user


def events(db: Session, handoff_id: int) -> list[HandoffEvent]:
    db.expire_all()
    return handoffs.events(db, db.get(Handoff, handoff_id))  # type: ignore[arg-type]


def test_safety_class_and_words_are_stored_and_shown(api: TestClient, db: Session) -> None:
    opened = open_handoff(api, 5, trigger="distress", topic="distress", urgency="urgent", safety_class="distress",
                          safety_words="niet meer leven")
    assert opened["safety_class"] == "distress" and opened["safety_words"] == "niet meer leven"
    db.expire_all()
    row = db.get(Handoff, opened["id"])
    assert row is not None and (row.safety_class, row.safety_words, row.safety_feedback) == (
        "distress", "niet meer leven", None)
    page_login(api, consultant_of(db, 5).email)
    queue = api.get("/inbox").text
    line = queue[queue.index(f'data-id="{opened["id"]}"'):]
    line = line[:line.index("</tr>")]
    assert "Nood / wanhoop" in line and "Herkend aan:" in line and "niet meer leven" in line
    page = api.get(f"/inbox/{opened['id']}").text
    top = page[page.index('id="safety"'):]
    assert top.index("Nood / wanhoop") < top.index("Herkend aan:") < top.index("niet meer leven") < 400
    assert "style=" not in page and "<script>" not in page  # the CSP allows no inline script or style
    # Blank words are no words (never a refused hand-off).
    blank = open_handoff(api, 7, safety_class="money", safety_words="  ")
    assert (blank["safety_class"], blank["safety_words"]) == ("money", None)
    # A hand-off without a safety class shows none.
    plain = open_handoff(api, 6)
    assert plain["safety_class"] is None
    assert 'id="safety"' not in api.get(f"/inbox/{plain['id']}").text


@pytest.mark.parametrize("extra", [{"safety_class": "other"}, {"safety_words": "x" * 201},
                                   {"safety_words": "niet\x00meer"}, {"safety_words": 3}])
def test_safety_fields_are_checked(api: TestClient, extra: dict) -> None:  # type: ignore[type-arg]
    body = {"phone": phone(5), "trigger": "distress", "topic": "distress", "urgency": "urgent", "language": "nl",
            "summary": "...", **extra}
    assert api.post("/api/v1/assistant/handoffs", headers=assistant_headers(), json=body).status_code == 422


def test_open_hand_off_takes_the_safety_class_of_a_new_one(api: TestClient, db: Session) -> None:
    first = open_handoff(api, 5)
    again = open_handoff(api, 5, trigger="money", topic="money", urgency="high", safety_class="money",
                         safety_words="geen geld voor eten", summary="Ik heb geen geld voor eten")
    assert again["id"] == first["id"] and again["urgency"] == "high" and again["safety_class"] == "money"
    # A later class does not replace the first one, nor does a lower urgency lower it.
    open_handoff(api, 5, trigger="legal", topic="legal", urgency="normal", safety_class="legal",
                 safety_words="rechter")
    db.expire_all()
    row = db.get(Handoff, first["id"])
    assert row is not None and (row.urgency, row.safety_class, row.safety_words) == (
        Urgency.high, "money", "geen geld voor eten")
    assert db.query(Handoff).filter_by(phone=phone(5)).count() == 1


def test_a_client_message_in_an_open_hand_off_makes_it_urgent(api: TestClient, db: Session) -> None:
    assert [h.safety_class for h in bot.safety.detect(DISTRESS) if h.level == "sure"] == ["distress"]
    opened = open_handoff(api, 5)
    inbound(api, 5, "Hoe laat is mijn les morgen?")  # harmless: nothing changes
    db.expire_all()
    row = db.get(Handoff, opened["id"])
    assert row is not None and row.urgency == Urgency.normal and row.safety_class is None
    assert [e.kind for e in events(db, opened["id"])] == ["opened"]
    inbound(api, 5, DISTRESS)
    db.expire_all()
    row = db.get(Handoff, opened["id"])
    assert row is not None and row.urgency == Urgency.urgent
    # The words that fired, as the lexicon matched them (which phrase matches is the lexicon's business).
    assert row.safety_class == "distress" and row.safety_words and row.safety_words in DISTRESS.lower()
    [event] = [e for e in events(db, opened["id"]) if e.kind == "safety"]
    assert "Nood / wanhoop" in (event.body or "") and "urgent" in (event.body or "")
    # Both messages are in the thread; the consultant sees the class in the queue and in the live thread.
    assert db.query(WhatsAppMessage).filter_by(handoff_id=opened["id"]).count() == 2
    page_login(api, consultant_of(db, 5).email)
    queue = api.get("/inbox").text
    line = queue[queue.index(f'data-id="{opened["id"]}"'):]
    assert "urgency-urgent" in line[:line.index("</tr>")] and "Nood / wanhoop" in line[:line.index("</tr>")]
    thread = api.get(f"/inbox/{opened['id']}/thread").text
    assert "safety-alert" in thread and "niet meer leven" in thread
    # The same again adds no event: the message itself is in the thread.
    inbound(api, 5, "ik wil echt niet meer leven")
    assert len([e for e in events(db, opened["id"]) if e.kind == "safety"]) == 1


def test_a_sure_violence_or_money_message_too_but_not_legal(api: TestClient, db: Session) -> None:
    opened = open_handoff(api, 5)
    inbound(api, 5, "ik heb een brief van de rechter")  # legal: for the consultant, not urgent
    db.expire_all()
    assert db.get(Handoff, opened["id"]).urgency == Urgency.normal  # type: ignore[union-attr]
    inbound(api, 5, "mijn man slaat mij")
    db.expire_all()
    row = db.get(Handoff, opened["id"])
    assert row is not None and (row.urgency, row.safety_class) == (Urgency.urgent, "violence")
    # Another class later: noted in the history, the first class stays on the hand-off.
    inbound(api, 5, "ik heb geen geld voor eten")
    db.expire_all()
    assert db.get(Handoff, opened["id"]).safety_class == "violence"  # type: ignore[union-attr]
    bodies = [e.body or "" for e in events(db, opened["id"]) if e.kind == "safety"]
    assert len(bodies) == 2 and "Onveilig thuis / geweld" in bodies[0] and "Geldnood" in bodies[1]


def test_no_hand_off_no_change_and_a_detector_error_loses_no_message(
        api: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    inbound(api, 5, DISTRESS)  # no hand-off open: the assistant itself handles it (action server)
    db.expire_all()
    assert db.query(Handoff).count() == 0
    opened = open_handoff(api, 5)

    def broken(text: str) -> list[bot.safety.Hit]:
        raise RuntimeError(text)

    monkeypatch.setattr(bot.safety, "detect", broken)
    with caplog.at_level(logging.WARNING):
        inbound(api, 5, DISTRESS)
    db.expire_all()
    assert db.query(WhatsAppMessage).filter_by(handoff_id=opened["id"], body=DISTRESS).count() == 1
    assert db.get(Handoff, opened["id"]).urgency == Urgency.normal  # type: ignore[union-attr]
    assert "safety check" in caplog.text and DISTRESS not in caplog.text


def test_feedback_both_ways_is_stored_evented_and_audited(api: TestClient, db: Session) -> None:
    opened = open_handoff(api, 5, trigger="distress", topic="distress", urgency="urgent", safety_class="distress",
                          safety_words="niet meer leven")
    page_login(api, consultant_of(db, 5).email)
    path = f"/inbox/{opened['id']}"
    token = csrf(api, path)
    page = api.get(path).text
    for verdict in ("not_safety", "distress", "money", "legal", "violence"):
        assert f'name="verdict" value="{verdict}"' in page
    res = api.post(f"{path}/safety-feedback", data={"csrf": token, "verdict": "not_safety"}, follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == f"{path}?flash=safety-feedback"
    assert "verdict on the safety signal is saved" in api.get(res.headers["location"]).text
    db.expire_all()
    assert db.get(Handoff, opened["id"]).safety_feedback == "not_safety"  # type: ignore[union-attr]
    # The other way: a hand-off the layer did not flag was a safety case.
    plain = open_handoff(api, 6)
    page_login(api, consultant_of(db, 6).email)
    token = csrf(api, f"/inbox/{plain['id']}")
    res = api.post(f"/inbox/{plain['id']}/safety-feedback", data={"csrf": token, "verdict": "violence"},
                   follow_redirects=False)
    assert res.status_code == 303
    db.expire_all()
    assert db.get(Handoff, plain["id"]).safety_feedback == "violence"  # type: ignore[union-attr]
    assert "Onveilig thuis / geweld" in api.get(f"/inbox/{plain['id']}").text
    [first] = [e for e in events(db, opened["id"]) if e.kind == "safety_feedback"]
    [second] = [e for e in events(db, plain["id"]) if e.kind == "safety_feedback"]
    assert "not a safety case" in (first.body or "") and first.actor_id is not None
    assert "Onveilig thuis / geweld" in (second.body or "")
    audits = db.query(AuditEntry).filter_by(action="safety:feedback").order_by(AuditEntry.id).all()
    assert [(a.client_id, a.detail) for a in audits] == [
        (opened["client_id"], f"handoff {opened['id']}: not_safety"),
        (plain["client_id"], f"handoff {plain['id']}: violence")]
    # Anything else is refused, and so is a form without the token.
    assert api.post(f"/inbox/{plain['id']}/safety-feedback",
                    data={"csrf": token, "verdict": "maybe"}).status_code == 422
    assert api.post(f"/inbox/{plain['id']}/safety-feedback",
                    data={"csrf": "x", "verdict": "money"}).status_code == 403
    db.expire_all()
    assert db.get(Handoff, plain["id"]).safety_feedback == "violence"  # type: ignore[union-attr]


def test_feedback_access(api: TestClient, db: Session) -> None:
    opened = open_handoff(api, 5, safety_class="legal", safety_words="rechter")  # Lochem
    target = f"/inbox/{opened['id']}/safety-feedback"
    page_login(api, "consulent1@deventer.example")  # another gemeente: as if it does not exist
    res = api.post(target, data={"csrf": csrf(api, "/inbox"), "verdict": "not_safety"})
    assert res.status_code == 404
    page_login(api, "vertaler@lochem.example")
    # A cultuurvertaler has no inbox to take a token from; it is the session's, so take it from their page.
    token = re.search(r'name="csrf-token" content="(\w+)"', api.get("/review").text)
    assert token is not None
    res = api.post(target, data={"csrf": token.group(1), "verdict": "not_safety"})
    assert res.status_code == 403 and "expired" not in res.text
    page_login(api, "admin@lochem.example")  # the gemeente's admin may
    res = api.post(target, data={"csrf": csrf(api, "/inbox"), "verdict": "legal"}, follow_redirects=False)
    assert res.status_code == 303
    db.expire_all()
    assert db.get(Handoff, opened["id"]).safety_feedback == "legal"  # type: ignore[union-attr]
    assert db.query(AuditEntry).filter_by(action="safety:feedback").count() == 1


def test_candidates_for_review(api: TestClient, db: Session) -> None:
    other = index_in(db, "Deventer")
    lochem = open_handoff(api, 5, safety_class="distress", safety_words="niet meer leven", summary=DISTRESS)
    deventer = open_handoff(api, other, summary="Mijn buurman is boos")
    open_handoff(api, 6, safety_class="money", safety_words="geen geld")  # no verdict: not a candidate
    for opened, index, verdict in ((lochem, 5, "not_safety"), (deventer, other, "violence")):
        page_login(api, consultant_of(db, index).email)
        token = csrf(api, f"/inbox/{opened['id']}")
        api.post(f"/inbox/{opened['id']}/safety-feedback", data={"csrf": token, "verdict": verdict})
    api.cookies.clear()
    region = api.get("/api/v1/safety/candidates", headers=login(api, "admin@regio.example"))
    assert region.status_code == 200
    rows = {r["id"]: r for r in region.json()}
    assert set(rows) == {lochem["id"], deventer["id"]}
    assert rows[lochem["id"]] == {
        "id": lochem["id"], "created_at": rows[lochem["id"]]["created_at"], "language": "nl",
        "safety_class": "distress", "safety_words": "niet meer leven", "safety_feedback": "not_safety",
        "summary": DISTRESS}
    assert rows[deventer["id"]]["safety_class"] is None and rows[deventer["id"]]["safety_feedback"] == "violence"
    assert datetime.fromisoformat(rows[lochem["id"]]["created_at"]) <= datetime.now(UTC)
    own = api.get("/api/v1/safety/candidates", headers=login(api, "admin@lochem.example"))
    assert own.status_code == 200 and [r["id"] for r in own.json()] == [lochem["id"]]
    for email in ("consulent1@lochem.example", "vertaler@lochem.example"):
        assert api.get("/api/v1/safety/candidates", headers=login(api, email)).status_code == 403
    api.cookies.clear()
    assert api.get("/api/v1/safety/candidates").status_code == 401
    db.expire_all()
    audits = db.query(AuditEntry).filter_by(action="read:safety_candidate").all()
    assert sorted(a.detail for a in audits) == sorted(  # type: ignore[type-var]
        [f"handoff {lochem['id']}", f"handoff {deventer['id']}", f"handoff {lochem['id']}"])


def test_violence_gets_the_emergency_numbers_like_distress(api: TestClient, db: Session) -> None:
    for index, trigger in ((5, "distress"), (8, "violence")):  # Lochem (app.demo: index -> gemeente)
        data = HandoffCreate(phone=phone(index), trigger=trigger, topic=trigger, urgency="urgent", language="nl",
                             summary="...")
        opened = handoffs.open_handoff(session=db, actor=ASSISTANT, data=data)
        assert opened.emergency_numbers and all(n["number"] for n in opened.emergency_numbers)
        assert opened.handoff.trigger == trigger
    # Over HTTP too (adding to the open one), and for a safety class of violence whatever the trigger.
    res = open_handoff(api, 8, trigger="violence", topic="violence", urgency="urgent")
    assert res["trigger"] == "violence" and res["emergency_numbers"][0]["kind"] == "gp_post"
    res = open_handoff(api, 7, safety_class="violence", safety_words="slaat mij")
    assert res["emergency_numbers"]
    # A gemeente that set no numbers of its own: the messages still name 112 and 113 (tests/bot).
    assert open_handoff(api, index_in(db, "Deventer"))["emergency_numbers"] is None


def test_the_assignee_gets_an_email_when_a_thread_turns_urgent(api: TestClient, db: Session, smtp: Mailbox) -> None:
    """Without personal data, like the mail for a new hand-off; once, not for every alarming message."""
    opened = open_handoff(api, 5)

    def mails(count: int) -> list[str]:
        deadline = time.monotonic() + 10
        while len(smtp.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # nothing more is on its way
        return [m.decode() for m in smtp.messages]

    assert len(mails(1)) == 1  # the new hand-off
    inbound(api, 5, DISTRESS)
    [_, urgent] = mails(2)
    owner = consultant_of(db, 5)
    assert f"To: {owner.email}" in urgent and "nu dringend" in urgent and f"/inbox/{opened['id']}" in urgent
    assert client(db, 5).whatsapp not in urgent and client(db, 5).last_name not in urgent and DISTRESS not in urgent
    inbound(api, 5, DISTRESS)  # already urgent: no second mail
    assert len(mails(3)) == 2
