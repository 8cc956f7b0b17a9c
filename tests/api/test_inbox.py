"""The consultant inbox on the API: routing (own consultant, absence cover), office hours and emergency
contact, client messages into the thread, replies and retry, close and resume, e-mail notification,
machine translation through the local stand-in, access and audit."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.config import get_settings
from app.models import AuditEntry, Client, Handoff, StaffUser, WhatsAppMessage
from app.models.enums import Channel, Direction, HandoffStatus, MessageStatus
from app.schemas.handoff import HandoffCreate
from app.services import handoffs, nlg, rasa_api
from app.services.access import ASSISTANT
from conftest import REPO, Mailbox, assistant_headers, csrf, inbound, page_login

pytestmark = pytest.mark.usefixtures("demo_data", "catalog")
PASSWORD = "demo-wachtwoord"


def client(db: Session, index: int) -> Client:
    return db.query(Client).filter_by(whatsapp=f"+3161000{index:04d}").one()


def open_handoff(api: TestClient, index: int, trigger: str = "request_human", urgency: str = "normal") -> dict:  # type: ignore[type-arg]
    res = api.post("/api/v1/assistant/handoffs", headers=assistant_headers(), json={
        "phone": f"+3161000{index:04d}", "trigger": trigger, "topic": trigger, "urgency": urgency,
        "language": "ar", "summary": "بدي احكي مع شخص"})
    assert res.status_code == 201, res.text
    return dict(res.json())








def test_hand_off_goes_to_the_clients_consultant_or_their_cover(api: TestClient, db: Session) -> None:
    first = client(db, 5)
    opened = open_handoff(api, 5)
    assert opened["assigned_to_id"] == first.consultant_id and opened["status"] == "open"
    consultant = db.get(StaffUser, first.consultant_id)
    assert consultant is not None
    cover = db.query(StaffUser).filter(StaffUser.gemeente_id == consultant.gemeente_id, StaffUser.role == "consultant",
                                       StaffUser.id != consultant.id).first()
    assert cover is not None
    page_login(api, consultant.email)
    token = csrf(api, "/inbox")
    res = api.post("/inbox/away", data={"csrf": token, "away": "on", "cover_id": str(cover.id)}, follow_redirects=False)
    assert res.status_code == 303
    other = next(c for c in db.query(Client).filter_by(consultant_id=consultant.id)
                 if c.id != first.id and c.whatsapp_verified)
    index = int(other.whatsapp[-4:])
    assert open_handoff(api, index)["assigned_to_id"] == cover.id
    # Someone else as cover, or a colleague of another gemeente, is refused.
    stranger = db.query(StaffUser).filter(StaffUser.gemeente_id != consultant.gemeente_id,
                                          StaffUser.role == "consultant").first()
    res = api.post("/inbox/away", data={"csrf": token, "away": "on", "cover_id": str(stranger.id)})  # type: ignore[union-attr]
    assert res.status_code == 400


def test_outside_office_hours_and_emergency_numbers(db: Session) -> None:
    sunday = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)
    data = HandoffCreate(phone=client(db, 5).whatsapp, trigger="distress", topic="distress", urgency="urgent",
                         language="ar", summary="...")
    opened = handoffs.open_handoff(session=db, actor=ASSISTANT, data=data, now=sunday)
    assert opened.outside_hours and opened.answer_by is not None and opened.answer_by.weekday() == 0
    assert opened.emergency_numbers and opened.emergency_numbers[0]["kind"] == "gp_post"
    data = HandoffCreate(phone=client(db, 6).whatsapp, trigger="request_human", topic="x", urgency="normal",
                         language="ar", summary="...")
    monday = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # 10:30 in Amsterdam: open everywhere
    opened = handoffs.open_handoff(session=db, actor=ASSISTANT, data=data, now=monday)
    assert not opened.outside_hours and opened.emergency_numbers is None


def test_access_and_audit(api: TestClient, db: Session) -> None:
    opened = open_handoff(api, 5)  # Lochem
    mine = db.get(StaffUser, client(db, 5).consultant_id)
    page_login(api, "consulent1@deventer.example")
    assert api.get(f"/inbox/{opened['id']}").status_code == 404  # another gemeente: as if it does not exist
    assert f"data-id=\"{opened['id']}\"" not in api.get("/inbox").text
    page_login(api, "vertaler@lochem.example")
    assert api.get(f"/inbox/{opened['id']}").status_code == 403
    page_login(api, mine.email)  # type: ignore[union-attr]
    before = db.query(AuditEntry).filter_by(action="read:handoff", client_id=opened["client_id"]).count()
    page = api.get(f"/inbox/{opened['id']}")
    assert page.status_code == 200 and "بدي احكي مع شخص" in page.text
    db.expire_all()
    assert db.query(AuditEntry).filter_by(action="read:handoff", client_id=opened["client_id"]).count() == before + 1
    assert api.get("/inbox/999999").status_code == 404
    assert api.get("/inbox", follow_redirects=False).status_code == 200
    api.cookies.clear()
    assert api.get("/inbox", follow_redirects=False).status_code == 303


def test_client_messages_land_in_the_thread_with_an_unread_badge(api: TestClient, db: Session) -> None:
    opened = open_handoff(api, 5)
    page_login(api, db.get(StaffUser, client(db, 5).consultant_id).email)  # type: ignore[union-attr]
    api.get(f"/inbox/{opened['id']}")  # seen
    assert api.get("/inbox/badge").json() == {"unread": 0}
    inbound(api, 5, "متى سيتصل بي أحد؟ 🙏")
    inbound(api, 5, "\u202bنص\u202c " + "x" * 3000)  # right-to-left marks, long: kept as sent
    assert api.get("/inbox/badge").json() == {"unread": 1}
    db.expire_all()
    rows = db.query(WhatsAppMessage).filter_by(handoff_id=opened["id"], direction=Direction.inbound).all()
    assert len(rows) == 2 and rows[0].body == "متى سيتصل بي أحد؟ 🙏"
    thread = api.get(f"/inbox/{opened['id']}/thread").text
    assert "متى سيتصل بي أحد؟ 🙏" in thread
    assert api.get("/inbox/badge").json() == {"unread": 0}  # viewing marks it read


def test_reply_once_per_form_and_retry_after_failure(api: TestClient, db: Session) -> None:
    opened = open_handoff(api, 5)
    page_login(api, db.get(StaffUser, client(db, 5).consultant_id).email)  # type: ignore[union-attr]
    token = csrf(api, f"/inbox/{opened['id']}")
    for _ in range(2):  # a double click sends once
        api.post(f"/inbox/{opened['id']}/reply", data={"csrf": token, "text": "Ik bel u om 15:00.", "key": "k1"})
    assert api.post(f"/inbox/{opened['id']}/reply", data={"csrf": token, "text": "  "}).status_code == 400
    assert api.post(f"/inbox/{opened['id']}/reply", data={"csrf": "x", "text": "hoi"}).status_code == 403
    db.expire_all()
    [reply] = db.query(WhatsAppMessage).filter_by(handoff_id=opened["id"], origin=Channel.staff).all()
    assert reply.body.endswith("\nIk bel u om 15:00.") and reply.status == MessageStatus.queued
    # Who writes comes first, in the client's language: a person's reply must not look like the assistant's.
    # (Dutch here, without the "not reviewed" notice: the Arabic line is not approved in this catalog.)
    first = db.get(StaffUser, client(db, 5).consultant_id).name.split()[0]  # type: ignore[union-attr]
    assert reply.body.split("\n")[0] == f"Bericht van {first}, uw contactpersoon:"
    assert reply.dutch == f"Bericht van {first}, uw contactpersoon:\nIk bel u om 15:00."
    assert db.get(Handoff, opened["id"]).status == HandoffStatus.claimed  # type: ignore[union-attr]
    reply.status, reply.error = MessageStatus.failed, "63016"
    db.commit()
    page = api.get(f"/inbox/{opened['id']}").text
    assert "Send again" in page and "63016" in page
    # The person has not written in 24 hours: WhatsApp would refuse it again, so it is not queued.
    refused = api.post(f"/inbox/{opened['id']}/retry/{reply.id}", data={"csrf": token})
    assert refused.status_code == 409 and "24 hours" in refused.text
    db.expire_all()
    assert db.get(WhatsAppMessage, reply.id).status == MessageStatus.failed  # type: ignore[union-attr]
    inbound(api, 5, "Hallo?")  # they write: the window is open again
    api.post(f"/inbox/{opened['id']}/retry/{reply.id}", data={"csrf": token})
    db.expire_all()
    assert db.get(WhatsAppMessage, reply.id).status == MessageStatus.queued  # type: ignore[union-attr]


def test_transfer_and_note(api: TestClient, db: Session) -> None:
    opened = open_handoff(api, 5)
    owner = db.get(StaffUser, client(db, 5).consultant_id)
    page_login(api, owner.email)  # type: ignore[union-attr]
    token = csrf(api, f"/inbox/{opened['id']}")
    colleague = next(c for c in handoffs.consultants(db, owner.gemeente_id) if c.id != owner.id)  # type: ignore[union-attr, arg-type]
    api.post(f"/inbox/{opened['id']}/note", data={"csrf": token, "text": "Belt liever 's middags."})
    api.post(f"/inbox/{opened['id']}/assign", data={"csrf": token, "to_id": str(colleague.id)})
    db.expire_all()
    assert db.get(Handoff, opened["id"]).assigned_to_id == colleague.id  # type: ignore[union-attr]
    kinds = [e.kind for e in handoffs.events(db, db.get(Handoff, opened["id"]))]  # type: ignore[arg-type]
    assert kinds == ["opened", "note", "assigned"]
    other = db.query(StaffUser).filter(StaffUser.gemeente_id != owner.gemeente_id,  # type: ignore[union-attr]
                                       StaffUser.role == "consultant").first()
    assert api.post(f"/inbox/{opened['id']}/assign", data={"csrf": token, "to_id": str(other.id)}).status_code == 400  # type: ignore[union-attr]


def test_close_resumes_the_assistant_or_stays_open(api: TestClient, db: Session,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    opened = open_handoff(api, 5)
    page_login(api, db.get(StaffUser, client(db, 5).consultant_id).email)  # type: ignore[union-attr]
    token = csrf(api, f"/inbox/{opened['id']}")
    monkeypatch.setattr(get_settings(), "rasa_url", "http://127.0.0.1:9")  # nothing listens there
    res = api.post(f"/inbox/{opened['id']}/close", data={"csrf": token, "outcome": "answered"})
    assert res.status_code == 200 and "not reachable" in res.text
    db.expire_all()
    assert db.get(Handoff, opened["id"]).status == HandoffStatus.open  # type: ignore[union-attr]
    resumed: list[str] = []
    monkeypatch.setattr(rasa_api, "resume", resumed.append)
    res = api.post(f"/inbox/{opened['id']}/close", data={"csrf": token, "outcome": "answered", "text": "Gebeld."})
    assert "Closed" in res.text and resumed == [opened["phone"]]
    db.expire_all()
    assert db.get(Handoff, opened["id"]).status == HandoffStatus.closed  # type: ignore[union-attr]
    back = db.query(WhatsAppMessage).filter_by(handoff_id=opened["id"], response_key="utter_handoff_closed").one()
    assert back.body == nlg.render(db, "utter_handoff_closed", {}, "ar", bilingual=client(db, 5).bilingual)[0]  # type: ignore[index]
    assert api.post(f"/inbox/{opened['id']}/reply", data={"csrf": token, "text": "nog iets"}).status_code == 409


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_consultant_gets_an_email_without_personal_data(api: TestClient, db: Session, smtp: Mailbox) -> None:
    opened = open_handoff(api, 5, trigger="distress", urgency="urgent")
    deadline = time.monotonic() + 10
    while not smtp.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    [mail] = smtp.messages
    text = mail.decode()
    owner = db.get(StaffUser, client(db, 5).consultant_id)
    assert f"To: {owner.email}" in text and f"/inbox/{opened['id']}" in text and "DRINGEND" in text  # type: ignore[union-attr]
    assert client(db, 5).whatsapp not in text and client(db, 5).last_name not in text


@pytest.fixture(scope="module")
def mt_standin() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "tools.mt_standin.app:app", "--port", str(port),
                             "--log-level", "warning"], cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.post(f"{url}/translate", json={"q": "x"}, timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_machine_translation_only_when_the_gemeente_configures_it(api: TestClient, db: Session,
                                                                   mt_standin: str) -> None:
    opened = open_handoff(api, 5)
    inbound(api, 5, "بدي احكي مع شخص")
    page_login(api, db.get(StaffUser, client(db, 5).consultant_id).email)  # type: ignore[union-attr]
    assert "machine translation" not in api.get(f"/inbox/{opened['id']}").text  # off by default
    gemeente = client(db, 5).gemeente
    gemeente.settings = {**gemeente.settings, "machine_translation_url": mt_standin}
    db.commit()
    token = csrf(api, f"/inbox/{opened['id']}")
    page = api.post(f"/inbox/{opened['id']}/translate", data={"csrf": token})
    assert page.status_code == 200 and "Machine translation:</b> Ik wil met iemand praten" in page.text
    db.expire_all()
    assert db.query(AuditEntry).filter_by(action="translate:handoff", client_id=opened["client_id"]).count() == 1


def test_ready_made_reply_goes_out_in_the_clients_language_once_approved(api: TestClient, db: Session) -> None:
    from app.services import translations
    from app.services.access import staff_actor

    opened = open_handoff(api, 5)
    page_login(api, db.get(StaffUser, client(db, 5).consultant_id).email)  # type: ignore[union-attr]
    token = csrf(api, f"/inbox/{opened['id']}")
    dutch = "Ik bel u vandaag of morgen. Houd uw telefoon bij u, alstublieft."
    api.post(f"/inbox/{opened['id']}/reply", data={"csrf": token, "template": "utter_staff_will_call", "key": "a"})
    reviewer = staff_actor(db.query(StaffUser).filter_by(email="vertaler@gooise-meren.example").one())
    translations.approve(db, reviewer, "ar", "utter_staff_will_call")
    db.commit()
    api.post(f"/inbox/{opened['id']}/reply", data={"csrf": token, "template": "utter_staff_will_call", "key": "b"})
    assert api.post(f"/inbox/{opened['id']}/reply", data={"csrf": token, "template": "utter_nope"}).status_code == 400
    db.expire_all()
    first, second = db.query(WhatsAppMessage).filter_by(handoff_id=opened["id"], origin=Channel.staff).order_by(
        WhatsAppMessage.id).all()
    # Dutch until approved, then Arabic; each under the line that says who writes.
    assert first.body.endswith(dutch) and second.body.split("\n", 1)[1].startswith("سأتصل بك")
    assert second.response_key == "utter_staff_will_call" and second.dutch.endswith("\n" + dutch)  # type: ignore[union-attr]


def test_the_live_thread_is_audited_once_a_minute_not_per_refresh(api: TestClient, db: Session) -> None:
    opened = open_handoff(api, 5)
    page_login(api, db.get(StaffUser, client(db, 5).consultant_id).email)  # type: ignore[union-attr]
    count = lambda: db.query(AuditEntry).filter_by(action="read:handoff", client_id=opened["client_id"]).count()  # noqa: E731
    before = count()
    for _ in range(3):
        assert api.get(f"/inbox/{opened['id']}/thread").status_code == 200
    db.expire_all()
    assert count() == before + 1
    api.get(f"/inbox/{opened['id']}")  # opening the page is a view of its own
    db.expire_all()
    assert count() == before + 2
