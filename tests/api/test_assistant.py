"""The endpoints the action server uses, as the verified client's phone."""

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.models import AbsenceReport, Appointment, AuditEntry, Client
from conftest import assistant_headers

ANCHOR = demo.demo_phone(1)  # verified, B1-route, Gooise Meren
UNVERIFIED = demo.demo_phone(16)


def test_profile_for_verified_phone_only(api: TestClient, demo_data: dict[str, int]) -> None:
    res = api.get("/api/v1/assistant/me", headers=assistant_headers(ANCHOR))
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["gemeente_slug"] == "gooise-meren"
    assert body["contact"]["title"] == "klantmanager"  # titles differ per gemeente
    assert body["preferred_language"] == "nl"
    assert api.get("/api/v1/assistant/me", headers=assistant_headers(UNVERIFIED)).status_code == 404
    assert api.get("/api/v1/assistant/me", headers=assistant_headers("+31687654321")).status_code == 404


def test_local_and_whatsapp_forms_of_the_number_are_the_same_client(api: TestClient, demo_data: dict[str, int]) -> None:
    for form in ("0610000001", "whatsapp:+31610000001", "+31 6 1000 0001"):
        res = api.get("/api/v1/assistant/me", headers=assistant_headers(form))
        assert res.status_code == 200, (form, res.text)
    res = api.get("/api/v1/assistant/me", headers=assistant_headers("not a number"))
    assert res.status_code == 400
    assert "31" not in res.text  # the error does not echo the number


def test_route_and_termijn(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    client = db.scalar(select(Client).where(Client.whatsapp == ANCHOR))
    res = api.get("/api/v1/assistant/me/route", headers=assistant_headers(ANCHOR))
    assert res.status_code == 200
    body = res.json()
    assert body["leerroute"] == "b1"
    pip = client.pip_date
    leap_day = (pip.month, pip.day) == (2, 29)
    expected = date(pip.year + 3, 2, 28) if leap_day else pip.replace(year=pip.year + 3)
    assert body["termijn_end"] == expected.isoformat()
    assert {m["module"]: m["required"] for m in body["modules"]} == {"knm": True, "map": True, "pvt": True}
    assert body["days_left"] > 0


def test_lessons_of_own_groups_in_range(api: TestClient, demo_data: dict[str, int]) -> None:
    start = datetime.now(UTC)
    res = api.get("/api/v1/assistant/me/lessons", headers=assistant_headers(ANCHOR),
                  params={"start": start.isoformat(), "end": (start + timedelta(days=14)).isoformat()})
    assert res.status_code == 200, res.text
    lessons = res.json()["data"]
    assert lessons, "an active B1 client has lessons in the next two weeks"
    assert all(lesson["group"].startswith("B1") for lesson in lessons)
    starts = [lesson["starts_at"] for lesson in lessons]
    assert starts == sorted(starts)
    assert res.json()["source"] == "lesrooster"
    # end before start, and too long a range, are refused
    bad = api.get("/api/v1/assistant/me/lessons", headers=assistant_headers(ANCHOR),
                  params={"start": start.isoformat(), "end": (start - timedelta(days=1)).isoformat()})
    assert bad.status_code == 422
    bad = api.get("/api/v1/assistant/me/lessons", headers=assistant_headers(ANCHOR),
                  params={"start": start.isoformat(), "end": (start + timedelta(days=400)).isoformat()})
    assert bad.status_code == 422
    naive = api.get("/api/v1/assistant/me/lessons", headers=assistant_headers(ANCHOR),
                    params={"start": "2026-11-23T09:00:00"})
    assert naive.status_code == 422


def test_appointments_and_change_requests(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    res = api.get("/api/v1/assistant/me/appointments", headers=assistant_headers(ANCHOR))
    assert res.status_code == 200
    appointments = res.json()["data"]
    assert appointments
    first = appointments[0]
    url = f"/api/v1/assistant/me/appointments/{first['id']}/requests"
    made = api.post(url, json={"kind": "reschedule", "reason": "mijn kind is ziek 🤒"},
                    headers=assistant_headers(ANCHOR))
    assert made.status_code == 201, made.text
    again = api.post(url, json={"kind": "reschedule"}, headers=assistant_headers(ANCHOR))
    assert again.json()["id"] == made.json()["id"]  # asking twice is one request
    appointment = db.get(Appointment, first["id"])
    db.refresh(appointment)
    assert appointment.status == "reschedule_requested"
    assert appointment.starts_at.isoformat() == datetime.fromisoformat(first["starts_at"]).isoformat()
    # another client's appointment is invisible
    other = db.scalar(select(Appointment).join(Client).where(Client.whatsapp == demo.demo_phone(2)))
    res = api.post(f"/api/v1/assistant/me/appointments/{other.id}/requests", json={"kind": "cancel"},
                   headers=assistant_headers(ANCHOR))
    assert res.status_code == 404


def test_absence_report_recorded_once(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    lessons = api.get("/api/v1/assistant/me/lessons", headers=assistant_headers(ANCHOR)).json()["data"]
    lesson = lessons[0]
    body = {"for_date": lesson["starts_at"][:10], "reason": "sick", "note": "ik ben ziek", "lesson_id": lesson["id"]}
    first = api.post("/api/v1/assistant/me/absences", json=body, headers=assistant_headers(ANCHOR))
    second = api.post("/api/v1/assistant/me/absences", json=body, headers=assistant_headers(ANCHOR))
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert db.scalar(select(AbsenceReport).where(AbsenceReport.id == first.json()["id"])).via == "assistant"
    # a lesson of a group the client is not in
    res = api.post("/api/v1/assistant/me/absences", json={**body, "lesson_id": 2**31 - 1},
                   headers=assistant_headers(ANCHOR))
    assert res.status_code == 404


def test_ontzorgen_overview(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    found = False
    for index in range(1, 9):
        res = api.get("/api/v1/assistant/me/ontzorgen", headers=assistant_headers(demo.demo_phone(index)))
        assert res.status_code == 200
        body = res.json()
        if body["start_date"]:
            found = True
            assert {i["kind"] for i in body["items"]} == {"rent", "energy", "water", "health_insurance"}
            assert body["recent_payments"]
            assert all(p["status"] in ("paid", "scheduled", "failed") for p in body["recent_payments"])
            assert body["ends"] >= body["planned_end"]
    assert found


def test_every_read_is_audited(api: TestClient, demo_data: dict[str, int], db: Session) -> None:
    before = db.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0
    for path in ("me", "me/route", "me/lessons", "me/appointments", "me/ontzorgen"):
        assert api.get(f"/api/v1/assistant/{path}", headers=assistant_headers(ANCHOR)).status_code == 200
    rows = db.scalars(select(AuditEntry).where(AuditEntry.id > before)).all()
    assert [r.action for r in rows] == ["read:profile", "read:route", "read:lessons", "read:appointments",
                                         "read:ontzorgen"]
    assert {r.actor for r in rows} == {"assistant"}
