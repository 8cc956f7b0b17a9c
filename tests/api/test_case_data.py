"""Staff keep the case data; a consultant sees only their own gemeente."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Client, Gemeente
from conftest import login

NEW_CLIENT = {"first_name": "Testa", "last_name": "Synthetisch", "preferred_language": "ti",
              "whatsapp": "0630000001", "doelgroep": "asielstatushouder", "pip_date": "2025-06-01",
              "leerroute": "z"}


def _gemeente(db: Session, slug: str) -> Gemeente:
    return db.scalar(select(Gemeente).where(Gemeente.slug == slug))


def test_consultant_sees_only_own_gemeente(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    lochem, deventer = _gemeente(db, "lochem"), _gemeente(db, "deventer")
    staff = login(api, "consulent1@lochem.example")
    listed = api.get("/api/v1/clients", headers=staff, params={"limit": 500}).json()
    assert listed["count"] == db.scalar(select(func.count()).where(Client.gemeente_id == lochem.id))
    assert {c["gemeente_id"] for c in listed["data"]} == {lochem.id}
    # asking for another gemeente's list gives nothing, another gemeente's client is "not found"
    assert api.get("/api/v1/clients", headers=staff, params={"gemeente_id": deventer.id}).json()["count"] == 0
    foreign = db.scalar(select(Client).where(Client.gemeente_id == deventer.id).limit(1))
    for path in ("", "/route", "/lessons", "/appointments", "/ontzorgen", "/absences"):
        assert api.get(f"/api/v1/clients/{foreign.id}{path}", headers=staff).status_code == 404, path
    assert api.patch(f"/api/v1/clients/{foreign.id}", json={"first_name": "X"}, headers=staff).status_code == 404
    assert api.post("/api/v1/clients", json={**NEW_CLIENT, "gemeente_id": deventer.id},
                    headers=staff).status_code == 404


def test_region_admin_sees_all_and_cultuurvertaler_sees_no_case_data(api: TestClient, demo_data: dict[str, int],
                                                                    db: Session) -> None:
    admin = login(api, "admin@regio.example")
    assert api.get("/api/v1/clients", headers=admin).json()["count"] == demo_data["clients"]
    vertaler = login(api, "vertaler@lochem.example")
    assert api.get("/api/v1/clients", headers=vertaler).status_code == 403
    some = db.scalar(select(Client.id).limit(1))
    assert api.get(f"/api/v1/clients/{some}", headers=vertaler).status_code in (403, 404)


def test_client_lifecycle(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    lochem = _gemeente(db, "lochem")
    staff = login(api, "consulent1@lochem.example")
    res = api.post("/api/v1/clients", json={**NEW_CLIENT, "gemeente_id": lochem.id}, headers=staff)
    assert res.status_code == 201, res.text
    client = res.json()
    assert client["whatsapp"] == "+31630000001"
    assert client["whatsapp_verified"] is False
    route = api.get(f"/api/v1/clients/{client['id']}/route", headers=staff).json()
    assert route["termijn_end"] == "2028-06-01"
    assert api.patch(f"/api/v1/clients/{client['id']}", json={"duo_extension_months": 4},
                     headers=staff).status_code == 200
    assert api.get(f"/api/v1/clients/{client['id']}/route", headers=staff).json()["termijn_end"] == "2028-10-01"
    dup = api.post("/api/v1/clients", json={**NEW_CLIENT, "gemeente_id": lochem.id}, headers=staff)
    assert dup.status_code == 409
    assert api.delete(f"/api/v1/clients/{client['id']}", headers=staff).status_code == 204
    assert api.get(f"/api/v1/clients/{client['id']}", headers=staff).status_code == 404


def test_lesrooster_membership_and_lessons(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    lochem = _gemeente(db, "lochem")
    staff = login(api, "consulent1@lochem.example")
    client = api.post("/api/v1/clients", json={**NEW_CLIENT, "gemeente_id": lochem.id}, headers=staff).json()
    group = api.post("/api/v1/groups", json={"gemeente_id": lochem.id, "school": "Taalschool Test", "name": "Z1"},
                     headers=staff).json()
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    lesson = {"kind": "taalles", "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=3)).isoformat(),
              "address": "Schoolstraat 1, Lochem"}
    made = api.post(f"/api/v1/groups/{group['id']}/lessons", json=lesson, headers=staff)
    assert made.status_code == 201, made.text
    lessons = api.get(f"/api/v1/clients/{client['id']}/lessons", headers=staff).json()
    assert lessons["count"] == 0  # not in the group yet
    assert api.post(f"/api/v1/groups/{group['id']}/members", json={"client_id": client["id"]},
                    headers=staff).status_code == 204
    lessons = api.get(f"/api/v1/clients/{client['id']}/lessons", headers=staff).json()
    assert [x["id"] for x in lessons["data"]] == [made.json()["id"]]
    assert api.patch(f"/api/v1/lessons/{made.json()['id']}", json={"cancelled": True},
                     headers=staff).json()["cancelled"] is True
    bad = api.patch(f"/api/v1/lessons/{made.json()['id']}",
                    json={"ends_at": (start - timedelta(hours=1)).isoformat()}, headers=staff)
    assert bad.status_code == 422


def test_appointments_and_ontzorgen_for_staff(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    lochem = _gemeente(db, "lochem")
    staff = login(api, "consulent1@lochem.example")
    client = api.post("/api/v1/clients", json={**NEW_CLIENT, "gemeente_id": lochem.id}, headers=staff).json()
    start = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    res = api.post("/api/v1/appointments", json={
        "client_id": client["id"], "counterpart": "vluchtelingenwerk", "with_name": "VluchtelingenWerk",
        "starts_at": start.isoformat(), "purpose": "hulp bij post", "mode": "video"}, headers=staff)
    assert res.status_code == 201, res.text
    upcoming = api.get(f"/api/v1/clients/{client['id']}/appointments", headers=staff).json()
    assert upcoming["count"] == 1
    assert upcoming["data"][0]["kind"] == "other" and upcoming["data"][0]["bring_items"] == []
    # What it is for and what to bring as keys (the person reads their labels in their own language).
    keyed = {"client_id": client["id"], "counterpart": "consultant", "with_name": "Lotte",
             "starts_at": (start + timedelta(days=1)).isoformat(), "kind": "pip",
             "bring_items": ["passport", "bills", "passport"]}
    made = api.post("/api/v1/appointments", json=keyed, headers=staff)
    assert made.status_code == 201, made.text
    assert made.json()["bring_items"] == ["passport", "bills"] and made.json()["purpose"] is None
    for bad in ({"kind": "other"}, {"kind": "party"}, {"bring_items": ["cake"]}, {"bring_items": "passport"}):
        assert api.post("/api/v1/appointments", json={**keyed, **bad}, headers=staff).status_code == 422, bad
    path = f"/api/v1/appointments/{made.json()['id']}"
    assert api.patch(path, json={"kind": "other"}, headers=staff).status_code == 422  # then say what it is for
    assert api.patch(path, json={"kind": "other", "purpose": "uitleg brief"}, headers=staff).status_code == 200
    assert api.patch(path, json={"purpose": None}, headers=staff).status_code == 422
    # ontzorgen: default length from the gemeente's settings (Lochem: 6 months)
    res = api.put(f"/api/v1/clients/{client['id']}/ontzorgen", json={"start_date": "2026-09-01",
                                                                     "run_by": "Kredietbank"}, headers=staff)
    assert res.status_code == 201, res.text
    assert res.json()["planned_end"] == "2027-03-01"
    item = api.post(f"/api/v1/clients/{client['id']}/ontzorgen/items",
                    json={"kind": "rent", "payee": "Corporatie", "monthly_amount_cents": 61000}, headers=staff)
    assert item.status_code == 201
    today = datetime.now(UTC).date()
    pay = api.post(f"/api/v1/clients/{client['id']}/ontzorgen/items/{item.json()['id']}/payments",
                   json={"period": today.isoformat(), "due_date": today.isoformat(), "amount_cents": 61000,
                         "status": "paid"}, headers=staff)
    assert pay.status_code == 201, pay.text
    assert pay.json()["period"] == today.replace(day=1).isoformat()
    twice = api.post(f"/api/v1/clients/{client['id']}/ontzorgen/items/{item.json()['id']}/payments",
                     json={"period": today.isoformat(), "due_date": today.isoformat(), "amount_cents": 1},
                     headers=staff)
    assert twice.status_code == 409
    overview = api.get(f"/api/v1/clients/{client['id']}/ontzorgen", headers=staff).json()
    assert overview["recent_payments"][0]["status"] == "paid"
    # gezinsmigranten are not ontzorgd
    other = api.post("/api/v1/clients", json={**NEW_CLIENT, "whatsapp": None, "doelgroep": "gezinsmigrant",
                                              "gemeente_id": lochem.id}, headers=staff).json()
    res = api.put(f"/api/v1/clients/{other['id']}/ontzorgen", json={"start_date": "2026-09-01", "run_by": "X"},
                  headers=staff)
    assert res.status_code == 409


def test_admin_manages_staff_of_own_gemeente(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    lochem, deventer = _gemeente(db, "lochem"), _gemeente(db, "deventer")
    admin = login(api, "admin@lochem.example")
    new = {"email": "nieuw@lochem.example", "name": "Nieuwe Consulent", "role": "consultant",
           "gemeente_id": lochem.id, "languages": ["nl", "so"], "password": "een-lang-wachtwoord"}
    assert api.post("/api/v1/staff", json=new, headers=admin).status_code == 201
    assert api.post("/api/v1/staff", json=new, headers=admin).status_code == 409
    other = {**new, "email": "x@deventer.example", "gemeente_id": deventer.id}
    assert api.post("/api/v1/staff", json=other, headers=admin).status_code == 403
    consultant = login(api, "consulent1@lochem.example")
    assert api.post("/api/v1/staff", json={**new, "email": "y@lochem.example"}, headers=consultant).status_code == 403
    # settings differ per gemeente and are edited in one place
    res = api.patch("/api/v1/gemeenten/lochem", json={"settings": {"consultant_title": "klantregisseur"}},
                    headers=admin)
    assert res.status_code == 200
    assert res.json()["settings"]["consultant_title"] == "klantregisseur"
    assert api.patch("/api/v1/gemeenten/deventer", json={"name": "X"}, headers=admin).status_code == 404
