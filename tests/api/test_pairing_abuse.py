"""Abuse of the ways in: guessing pairing codes from another number, the real client locked out and
unlocked by a consultant's new code from the inbox, and unknown numbers flooding the hand-off queue."""

import logging
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app import demo
from app.models import AuditEntry, Client, Handoff, HandoffEvent, PairingCode, PairingFailure
from app.models.enums import HandoffStatus
from app.services.handoffs import MAX_NEW_UNKNOWN_PER_DAY
from app.services.security import phone_key
from conftest import assistant_headers

pytestmark = pytest.mark.usefixtures("demo_data")
PHONE = demo.demo_phone(16)  # unverified, Gooise Meren, demo code 135790
STRANGER = "+31687654321"  # nobody's number
VERIFY = "/api/v1/assistant/pairing/verify"
HANDOFFS = "/api/v1/assistant/handoffs"
CONSULTANT = "consulent1@gooise-meren.example"


def verify(api: TestClient, phone: str, code: str) -> int:
    return api.post(VERIFY, json={"phone": phone, "code": code}, headers=assistant_headers()).status_code


def hand_off(api: TestClient, phone: str, trigger: str = "request_human") -> int:
    res = api.post(HANDOFFS, headers=assistant_headers(), json={
        "phone": phone, "trigger": trigger, "topic": trigger, "urgency": "normal", "language": "nl",
        "summary": "ik wil een mens spreken"})
    assert res.status_code in (201, 429), res.text
    return res.status_code


def page_login(api: TestClient, email: str) -> None:
    api.cookies.clear()
    res = api.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD}, follow_redirects=False)
    assert res.status_code == 303


def csrf(page: str) -> str:
    return re.search(r'name="csrf" value="(\w+)"', page).group(1)  # type: ignore[union-attr]


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def lock_out_and_hand_off(api: TestClient, db: Session) -> int:
    """The real client mistypes until the number is locked; the assistant hands over."""
    answers = [verify(api, PHONE, wrong(demo.DEMO_PAIRING_CODE)) for _ in range(10)]
    assert answers[-1] == 429
    assert verify(api, PHONE, demo.DEMO_PAIRING_CODE) == 429  # even the right code: locked
    assert hand_off(api, PHONE, "verification") == 201
    return db.scalars(select(Handoff.id).where(Handoff.phone == PHONE)).one()


def test_a_strangers_wrong_codes_never_count_against_the_client(api: TestClient, db: Session) -> None:
    answers = [verify(api, STRANGER, f"{n:06d}") for n in range(12)]
    assert answers[:10] == [404] * 10 and answers[10:] == [429, 429]  # the stranger's number is locked
    # The right code from the stranger's number does nothing either.
    assert verify(api, STRANGER, demo.DEMO_PAIRING_CODE) == 429
    client = db.scalars(select(Client).where(Client.whatsapp == PHONE)).one()
    code = db.scalars(select(PairingCode).where(PairingCode.client_id == client.id)).one()
    assert code.attempts == 0 and code.used_at is None
    assert db.scalar(select(func.count()).select_from(PairingFailure)
                     .where(PairingFailure.phone_key == phone_key(PHONE))) == 0
    assert verify(api, PHONE, demo.DEMO_PAIRING_CODE) == 200


def test_locked_out_client_pairs_with_a_new_code_from_the_inbox(api: TestClient, db: Session,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    handoff_id = lock_out_and_hand_off(api, db)
    page_login(api, CONSULTANT)
    page = api.get(f"/inbox/{handoff_id}")
    assert page.status_code == 200 and f'action="/inbox/{handoff_id}/pairing-code"' in page.text
    res = api.post(f"/inbox/{handoff_id}/pairing-code", data={"csrf": csrf(page.text)}, follow_redirects=False)
    assert res.status_code == 200, res.text[:500]  # rendered here, not redirected: no code in any URL
    found = re.search(r'id="pairing-code".*?<b>(\d{6})</b>', res.text, re.S)
    assert found is not None and "by phone or in person" in res.text
    code = found.group(1)
    assert code not in str(res.url) and res.headers["cache-control"] == "no-store"
    assert code not in caplog.text  # nor in the logs
    # Shown once: the page itself no longer has it.
    assert code not in api.get(f"/inbox/{handoff_id}").text
    if code != demo.DEMO_PAIRING_CODE:
        assert verify(api, PHONE, demo.DEMO_PAIRING_CODE) == 400  # the old code no longer works
    assert verify(api, PHONE, code) == 200
    assert api.get("/api/v1/assistant/me", headers=assistant_headers(PHONE)).status_code == 200
    events = db.scalars(select(HandoffEvent).where(HandoffEvent.handoff_id == handoff_id,
                                                   HandoffEvent.kind == "pairing_code")).all()
    assert len(events) == 1 and code not in (events[0].body or "")


def test_other_gemeente_gets_404_and_the_code_is_in_no_audit_row(api: TestClient, db: Session) -> None:
    handoff_id = lock_out_and_hand_off(api, db)
    page_login(api, "consulent1@deventer.example")
    token = csrf(api.get("/inbox").text)
    assert api.get(f"/inbox/{handoff_id}").status_code == 404
    assert api.post(f"/inbox/{handoff_id}/pairing-code", data={"csrf": token}).status_code == 404
    page_login(api, "vertaler@gooise-meren.example")  # cultuurvertalers see no case data
    token = csrf(api.get("/review").text)
    assert api.post(f"/inbox/{handoff_id}/pairing-code", data={"csrf": token}).status_code == 403
    page_login(api, CONSULTANT)
    assert api.post(f"/inbox/{handoff_id}/pairing-code", data={"csrf": "forged"}).status_code == 403
    res = api.post(f"/inbox/{handoff_id}/pairing-code", data={"csrf": csrf(api.get(f"/inbox/{handoff_id}").text)})
    code = re.search(r'id="pairing-code".*?<b>(\d{6})</b>', res.text, re.S).group(1)  # type: ignore[union-attr]
    assert code in res.text
    audit = db.scalars(select(AuditEntry)).all()
    assert {"issue:pairing_code", "unlock:pairing"} <= {a.action for a in audit}
    assert not any(code in f"{a.action} {a.detail or ''}" for a in audit)
    assert verify(api, PHONE, code) == 200  # the other gemeente's tries changed nothing


def test_no_pairing_button_for_a_paired_client(api: TestClient, db: Session) -> None:
    assert hand_off(api, demo.demo_phone(1)) == 201  # verified, Gooise Meren
    handoff_id = db.scalars(select(Handoff.id).where(Handoff.phone == demo.demo_phone(1))).one()
    page_login(api, CONSULTANT)
    page = api.get(f"/inbox/{handoff_id}")
    assert page.status_code == 200 and "/pairing-code" not in page.text
    assert api.post(f"/inbox/{handoff_id}/pairing-code", data={"csrf": csrf(page.text)}).status_code == 409


def _close_all(db: Session, phone: str) -> None:
    db.execute(update(Handoff).where(Handoff.phone == phone).values(status=HandoffStatus.closed))
    db.commit()


def _count(db: Session, phone: str | None = None) -> int:
    query = select(func.count(Handoff.id))
    return db.scalar(query.where(Handoff.phone == phone) if phone else query) or 0


def test_unknown_numbers_open_few_new_hand_offs_a_day(api: TestClient, db: Session) -> None:
    for n in range(MAX_NEW_UNKNOWN_PER_DAY):
        assert hand_off(api, STRANGER) == 201
        if n < MAX_NEW_UNKNOWN_PER_DAY - 1:
            _close_all(db, STRANGER)
    assert hand_off(api, STRANGER) == 201  # adding to the open one stays allowed
    assert _count(db, STRANGER) == MAX_NEW_UNKNOWN_PER_DAY
    _close_all(db, STRANGER)
    before, open_before = _count(db), db.scalar(select(func.count(Handoff.id)).where(
        Handoff.status == HandoffStatus.open))
    res = api.post(HANDOFFS, headers=assistant_headers(), json={
        "phone": STRANGER, "trigger": "request_human", "topic": "x", "urgency": "normal", "language": "nl",
        "summary": "nog een keer"})
    assert res.status_code == 429 and "too often today" in res.json()["detail"]
    db.expire_all()
    assert _count(db) == before  # nothing stored, the queue did not grow
    assert db.scalar(select(func.count(Handoff.id)).where(Handoff.status == HandoffStatus.open)) == open_before
    assert db.scalar(select(func.count(HandoffEvent.id)).where(HandoffEvent.body == "nog een keer")) == 0
    # Another unknown number is not affected; nor is a verified client.
    assert hand_off(api, "+31687654322") == 201
    verified = demo.demo_phone(2)
    for _ in range(MAX_NEW_UNKNOWN_PER_DAY + 2):
        assert hand_off(api, verified) == 201
        _close_all(db, verified)
    assert _count(db, verified) == MAX_NEW_UNKNOWN_PER_DAY + 2
