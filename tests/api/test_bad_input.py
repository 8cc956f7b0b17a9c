"""Bad input gets a clear 4xx and changes nothing."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Appointment, Client, Gemeente
from conftest import assistant_headers, login


def _count(db: Session, model: type) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("body,why", [
    ('{"first_name": ', "json"),
    ('{"first_name": "A", "last_name": "B", "doelgroep": "asielstatushouder", "gemeente_id": GID, "shoe": 1}',
     "extra_forbidden"),
    ('{"first_name": "A", "last_name": "B", "doelgroep": "asielstatushouder", "gemeente_id": GID, '
     '"whatsapp": "12345"}', "phone"),
    ('{"first_name": "A", "last_name": "B", "doelgroep": "asielstatushouder", "gemeente_id": GID, '
     '"pip_date": "2025-02-30"}', "date"),
    ('{"first_name": "A\\u0000", "last_name": "B", "doelgroep": "asielstatushouder", "gemeente_id": GID}',
     "control characters"),
    ('{"first_name": "   ", "last_name": "B", "doelgroep": "asielstatushouder", "gemeente_id": GID}', "empty"),
    ('{"first_name": "A", "last_name": "B", "doelgroep": "toerist", "gemeente_id": GID}', "enum"),
    ('{"first_name": "A", "last_name": "B", "doelgroep": "asielstatushouder", "gemeente_id": 99999999999}', "less"),
    ('[]', "model"),
])
def test_malformed_client_bodies(api: TestClient, demo_data: dict[str, int], db: Session, body: str,
                                 why: str) -> None:
    gid = db.scalar(select(Gemeente.id).where(Gemeente.slug == "lochem"))
    staff = login(api, "consulent1@lochem.example")
    before = _count(db, Client)
    res = api.post("/api/v1/clients", content=body.replace("GID", str(gid)),
                   headers={**staff, "Content-Type": "application/json"})
    assert res.status_code == 422, res.text
    assert why.split()[0] in res.text.lower() or res.json()["detail"]
    assert _count(db, Client) == before


def test_end_before_start_is_refused(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    staff = login(api, "consulent1@lochem.example")
    client = db.scalar(select(Client).join(Gemeente).where(Gemeente.slug == "lochem").limit(1))
    before = _count(db, Appointment)
    res = api.post("/api/v1/appointments", json={
        "client_id": client.id, "counterpart": "consultant", "with_name": "X", "purpose": "gesprek",
        "starts_at": "2026-12-01T10:00:00+01:00", "ends_at": "2026-12-01T09:00:00+01:00"}, headers=staff)
    assert res.status_code == 422
    assert "ends_at must be after starts_at" in res.text
    res = api.post("/api/v1/appointments", json={
        "client_id": client.id, "counterpart": "consultant", "with_name": "X", "purpose": "gesprek",
        "starts_at": "9999-12-01T10:00:00+01:00"}, headers=staff)
    assert res.status_code == 422
    assert _count(db, Appointment) == before


def test_unknown_ids_and_wrong_methods(api: TestClient, demo_data: dict[str, int]) -> None:
    staff = login(api, "admin@regio.example")
    assert api.get("/api/v1/clients/0", headers=staff).status_code == 422
    assert api.get(f"/api/v1/clients/{2**31 - 1}", headers=staff).status_code == 404
    assert api.get("/api/v1/clients/abc", headers=staff).status_code == 422
    assert api.get(f"/api/v1/clients/{2**40}", headers=staff).status_code == 422
    assert api.put("/api/v1/clients", headers=staff).status_code == 405


def test_huge_and_odd_text(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    gid = db.scalar(select(Gemeente.id).where(Gemeente.slug == "lochem"))
    staff = login(api, "consulent1@lochem.example")
    base = {"last_name": "B", "doelgroep": "asielstatushouder", "gemeente_id": gid}
    assert api.post("/api/v1/clients", json={**base, "first_name": "A" * 10_000}, headers=staff).status_code == 422
    # right-to-left, Ge'ez and emoji are ordinary names
    for name in ("أمل", "ሰናይት", "Zeynep 🌷", "\u200fمريم\u200f"):
        res = api.post("/api/v1/clients", json={**base, "first_name": name}, headers=staff)
        assert res.status_code == 201, res.text
        assert res.json()["first_name"] == name.strip()


def test_assistant_bad_requests(api: TestClient, demo_data: dict[str, int]) -> None:
    verify = "/api/v1/assistant/pairing/verify"
    assert api.post(verify, json={"phone": "+31610000012"}, headers=assistant_headers()).status_code == 422
    assert api.post(verify, json={"phone": "hello", "code": "1"}, headers=assistant_headers()).status_code == 422
    assert api.get("/api/v1/assistant/me", headers=assistant_headers()).status_code == 422  # no phone header
    res = api.post("/api/v1/assistant/me/absences", json={"for_date": "2026-11-23", "reason": "sick",
                                                          "lesson_id": 1, "appointment_id": 1},
                   headers=assistant_headers("+31610000001"))
    assert res.status_code == 422


def test_a_nul_in_an_email_is_refused_not_a_server_error(api: TestClient, demo_data: dict[str, int]) -> None:
    """PostgreSQL cannot compare a text with NUL in it (found by the OpenAPI fuzz test on PostgreSQL)."""
    staff = login(api, "admin@regio.example")
    res = api.post("/api/v1/staff", headers=staff, json={"email": "0@0.\u0000", "name": "Nul", "role": "admin",
                                                          "password": "lang-genoeg-wachtwoord"})
    assert res.status_code == 422 and "control characters" in res.text
