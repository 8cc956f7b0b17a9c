from fastapi.testclient import TestClient

from conftest import login


def test_login_me_logout(api: TestClient, demo_data: dict[str, int]) -> None:
    headers = login(api, "consulent1@lochem.example")
    me = api.get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 200
    assert me.json()["role"] == "consultant"
    assert "password_hash" not in me.json()
    assert api.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert api.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_wrong_password_and_unknown_email_look_the_same(api: TestClient, demo_data: dict[str, int]) -> None:
    a = api.post("/api/v1/auth/login", json={"email": "consulent1@lochem.example", "password": "wrong-password"})
    b = api.post("/api/v1/auth/login", json={"email": "nobody@lochem.example", "password": "wrong-password"})
    assert a.status_code == b.status_code == 403
    assert a.json() == b.json()


def test_personal_data_needs_authentication(api: TestClient, demo_data: dict[str, int]) -> None:
    assert api.get("/api/v1/clients").status_code == 401
    assert api.get("/api/v1/clients", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert api.get("/api/v1/assistant/me", headers={"X-Client-Phone": "+31610000001"}).status_code == 401
    bad = {"Authorization": "Bearer not-the-token", "X-Client-Phone": "+31610000001"}
    assert api.get("/api/v1/assistant/me", headers=bad).status_code == 403
    # A staff token is not the service token.
    staff = login(api, "admin@regio.example")
    assert api.get("/api/v1/assistant/me", headers={**staff, "X-Client-Phone": "+31610000001"}).status_code == 403


def test_deactivated_staff_cannot_log_in(api: TestClient, demo_data: dict[str, int]) -> None:
    admin = login(api, "admin@lochem.example")
    staff = api.get("/api/v1/staff", headers=admin).json()
    target = next(s for s in staff if s["email"] == "consulent2@lochem.example")
    session = login(api, "consulent2@lochem.example")
    res = api.patch(f"/api/v1/staff/{target['id']}", json={"active": False}, headers=admin)
    assert res.status_code == 200
    assert api.get("/api/v1/auth/me", headers=session).status_code == 401
    res = api.post("/api/v1/auth/login", json={"email": "consulent2@lochem.example", "password": "demo-wachtwoord"})
    assert res.status_code == 403


def test_control_characters_in_the_login_are_refused_not_a_crash(api: TestClient, demo_data: dict[str, int]) -> None:
    """PostgreSQL cannot compare text holding NUL: the fuzzer found a 500 here."""
    for email in ("admin@regio.example\x00", "\x00", "admin\x01@regio.example"):
        res = api.post("/api/v1/auth/login", json={"email": email, "password": "demo-wachtwoord"})
        assert res.status_code == 403, res.text
        page = api.post("/login", data={"email": email, "password": "demo-wachtwoord"})
        assert page.status_code == 401 and "Wrong e-mail or password" in page.text
