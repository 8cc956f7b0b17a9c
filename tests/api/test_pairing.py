"""Pairing a phone with a client through the consultant's one-time code."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import demo
from app.models import Client, PairingCode
from conftest import assistant_headers, login

PHONE = demo.demo_phone(16)  # unverified, Gooise Meren
VERIFY = "/api/v1/assistant/pairing/verify"


def _issue(api: TestClient, db: Session) -> str:
    client = db.scalar(select(Client).where(Client.whatsapp == PHONE))
    staff = login(api, "consulent1@gooise-meren.example")
    res = api.post(f"/api/v1/clients/{client.id}/pairing-codes", headers=staff)
    assert res.status_code == 201, res.text
    return res.json()["code"]


def test_issue_and_verify_then_reuse_fails(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    code = _issue(api, db)
    assert api.get("/api/v1/assistant/me", headers=assistant_headers(PHONE)).status_code == 404
    res = api.post(VERIFY, json={"phone": PHONE, "code": code}, headers=assistant_headers())
    assert res.status_code == 200, res.text
    assert api.get("/api/v1/assistant/me", headers=assistant_headers(PHONE)).status_code == 200
    again = api.post(VERIFY, json={"phone": PHONE, "code": code}, headers=assistant_headers())
    assert again.status_code == 410


def test_new_code_replaces_old_and_codes_are_per_number(api: TestClient, demo_data: dict[str, int],
                                                       db: Session) -> None:
    old = _issue(api, db)
    new = _issue(api, db)
    if old != new:
        assert api.post(VERIFY, json={"phone": PHONE, "code": old}, headers=assistant_headers()).status_code == 400
    # the right code from another phone does nothing
    other = api.post(VERIFY, json={"phone": demo.demo_phone(20), "code": new}, headers=assistant_headers())
    assert other.status_code in (400, 404)
    assert api.post(VERIFY, json={"phone": PHONE, "code": new}, headers=assistant_headers()).status_code == 200


def test_expired_code(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    code = _issue(api, db)
    db.execute(update(PairingCode).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    db.commit()
    res = api.post(VERIFY, json={"phone": PHONE, "code": code}, headers=assistant_headers())
    assert res.status_code == 410
    assert "expired" in res.json()["detail"]


def test_wrong_codes_are_limited(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    code = _issue(api, db)
    wrong = "000000" if code != "000000" else "111111"
    answers = [api.post(VERIFY, json={"phone": PHONE, "code": wrong}, headers=assistant_headers()) for _ in range(5)]
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 429]
    assert "4 tries left" in answers[0].json()["detail"]
    # after the limit even the right code is refused: a person must help
    res = api.post(VERIFY, json={"phone": PHONE, "code": code}, headers=assistant_headers())
    assert res.status_code == 429
    assert api.get("/api/v1/assistant/me", headers=assistant_headers(PHONE)).status_code == 404


def test_guessing_from_one_phone_is_locked_out(api: TestClient, demo_data: dict[str, int]) -> None:
    stranger = "+31687654321"
    codes = [api.post(VERIFY, json={"phone": stranger, "code": f"{n:06d}"}, headers=assistant_headers())
             for n in range(11)]
    assert [c.status_code for c in codes[:10]] == [404] * 10
    assert codes[10].status_code == 429


def test_changing_the_number_drops_verification(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    anchor = db.scalar(select(Client).where(Client.whatsapp == demo.demo_phone(1)))
    staff = login(api, "consulent1@gooise-meren.example")
    res = api.patch(f"/api/v1/clients/{anchor.id}", json={"whatsapp": "06 2000 0001"}, headers=staff)
    assert res.status_code == 200, res.text
    assert res.json()["whatsapp"] == "+31620000001"
    assert res.json()["whatsapp_verified"] is False
    assert api.get("/api/v1/assistant/me", headers=assistant_headers("+31620000001")).status_code == 404
