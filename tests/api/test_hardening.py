"""Security hardening: response headers and a script-free CSP for the pages, CSRF and Origin checks on the JSON
API for cookie sessions, 422 (not 500) for out-of-range ids on the pages, flash notices from a fixed list, and
who may change which field of a staff record (every role against every field)."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import demo
from app.headers import CSP
from app.models import Gemeente, StaffUser
from app.models.enums import Role
from app.pages import FLASH, csrf_token
from app.routers import inbox_pages, review_pages
from app.services.security import hash_password, verify_password
from conftest import REPO, login

pytestmark = pytest.mark.usefixtures("demo_data")
PASSWORD = demo.DEMO_PASSWORD
TEMPLATES = REPO / "api" / "app" / "templates"
HUGE = "99999999999999999999"


def page_login(api: TestClient, email: str) -> str:
    """Logs the test client in the way a browser does; returns the CSRF token of the session."""
    api.cookies.clear()
    res = api.post("/login", data={"email": email, "password": PASSWORD}, follow_redirects=False)
    assert res.status_code == 303, res.text
    return csrf_token(api.cookies["session"])


def staff_id(db: Session, email: str) -> int:
    return db.query(StaffUser).filter_by(email=email).one().id


def gemeente_id(db: Session, slug: str) -> int:
    return db.query(Gemeente).filter_by(slug=slug).one().id


# -- 1. headers ---------------------------------------------------------------------------------------

def test_security_headers_on_every_response(api: TestClient) -> None:
    for path in ("/health", "/login", "/api/v1/nothing-here", "/static/staff.css", "/docs"):
        res = api.get(path)
        assert res.headers["x-content-type-options"] == "nosniff", path
        assert res.headers["referrer-policy"] == "same-origin", path
        assert res.headers["x-frame-options"] == "DENY", path
    assert api.get("/login").headers["content-security-policy"] == CSP
    assert "frame-ancestors 'none'" in CSP and "script-src 'self';" in CSP
    assert "content-security-policy" not in api.get("/health").headers  # JSON needs none
    assert "content-security-policy" not in api.get("/docs").headers  # Swagger UI loads from a CDN
    assert "content-security-policy" not in api.get("/redoc").headers
    assert api.get("/health").headers["cache-control"] == "no-store"
    assert api.get("/login").headers["cache-control"] == "no-store"
    assert "no-store" not in api.get("/static/staff.css").headers.get("cache-control", "")


def test_templates_need_no_inline_script_or_style() -> None:
    """The CSP blocks inline scripts, style= attributes and on...= handlers: none may be left in a template."""
    for path in TEMPLATES.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), f"inline <script> in {path.name}"
        assert not re.search(r"<style|\sstyle=", html), f"inline style in {path.name}"
        assert not re.search(r"\son[a-z]+\s*=", html), f"event handler attribute in {path.name}"
        assert "javascript:" not in html, path.name


def test_pages_load_their_scripts_from_static(api: TestClient, db: Session) -> None:
    page_login(api, "consulent1@lochem.example")
    inbox = api.get("/inbox")
    assert inbox.status_code == 200 and '<script src="/static/staff.js" defer></script>' in inbox.text
    assert inbox.headers["content-security-policy"] == CSP
    for script, needle in (("staff.js", "/inbox/badge"), ("inbox.js", "setInterval(refresh, 2000)")):
        res = api.get(f"/static/{script}")
        assert res.status_code == 200 and "javascript" in res.headers["content-type"] and needle in res.text
    handoff = (TEMPLATES / "inbox" / "handoff.html").read_text(encoding="utf-8")
    assert '<script src="/static/inbox.js" defer></script>' in handoff and 'id="live" data-url=' in handoff
    page_login(api, "vertaler@lochem.example")
    assert "staff.js" not in api.get("/review").text  # no inbox, no badge polling


# -- 2. CSRF and Origin on the JSON API -----------------------------------------------------------------

def test_cookie_sessions_need_the_csrf_token_and_our_origin(api: TestClient, db: Session) -> None:
    me = staff_id(db, "consulent1@lochem.example")
    token = page_login(api, "consulent1@lochem.example")
    page = api.get("/inbox").text
    assert f'<meta name="csrf-token" content="{token}">' in page  # what page scripts would send
    url = f"/api/v1/staff/{me}"
    name = api.get(url).json()["name"]  # reading needs no token

    res = api.patch(url, json={"name": "Gezet door een andere site"})
    assert res.status_code == 403 and "X-CSRF-Token" in res.json()["detail"]
    assert api.patch(url, json={"name": "Fout"}, headers={"X-CSRF-Token": "forged"}).status_code == 403
    res = api.patch(url, json={"name": "Van elders"},
                    headers={"X-CSRF-Token": token, "Origin": "https://evil.example"})
    assert res.status_code == 403 and "origin" in res.json()["detail"]
    assert api.patch(url, json={"name": "Null"}, headers={"X-CSRF-Token": token, "Origin": "null"}).status_code == 403
    db.expire_all()
    assert db.get(StaffUser, me).name == name  # type: ignore[union-attr]

    assert api.patch(url, json={"name": "Lotte B."}, headers={"X-CSRF-Token": token}).status_code == 200
    res = api.patch(url, json={"name": "Lotte Bakker"},
                    headers={"X-CSRF-Token": token, "Origin": "http://testserver"})
    assert res.status_code == 200 and res.json()["name"] == "Lotte Bakker"


def test_bearer_clients_need_no_csrf_token(api: TestClient, db: Session) -> None:
    me = staff_id(db, "consulent1@lochem.example")
    bearer = login(api, "consulent1@lochem.example")
    api.cookies.clear()
    res = api.patch(f"/api/v1/staff/{me}", json={"name": "Via de API"}, headers=bearer)
    assert res.status_code == 200
    page_login(api, "consulent1@lochem.example")  # a cookie too: the bearer header decides
    res = api.patch(f"/api/v1/staff/{me}", json={"name": "Via de API 2"},
                    headers={**bearer, "Origin": "https://elsewhere.example"})
    assert res.status_code == 200 and res.json()["name"] == "Via de API 2"
    api.cookies.clear()
    assert api.patch(f"/api/v1/staff/{me}", json={"name": "x"}).status_code == 401  # neither: log in first


# -- 3. out-of-range ids on the pages -------------------------------------------------------------------

def test_out_of_range_ids_and_bad_form_fields_are_422_not_500(api: TestClient, db: Session) -> None:
    token = page_login(api, "consulent1@lochem.example")
    for path in (f"/inbox/{HUGE}", "/inbox/0", f"/inbox/{HUGE}/thread", "/inbox/-1/thread"):
        assert api.get(path).status_code == 422, path
    for to_id in ("abc", HUGE, "0"):
        assert api.post("/inbox/1/assign", data={"csrf": token, "to_id": to_id}).status_code == 422, to_id
    for path in (f"/inbox/{HUGE}/claim", f"/inbox/{HUGE}/note", f"/inbox/1/retry/{HUGE}",
                 f"/inbox/{HUGE}/retry/1", f"/inbox/{HUGE}/translate"):
        assert api.post(path, data={"csrf": token, "text": "x"}).status_code == 422, path
    for cover_id in ("abc", HUGE):
        res = api.post("/inbox/away", data={"csrf": token, "away": "on", "cover_id": cover_id})
        assert res.status_code == 422, cover_id
    res = api.post("/inbox/away", data={"csrf": token, "away": "", "cover_id": ""}, follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/inbox?flash=back"  # empty still means none


# -- 4. flash notices -----------------------------------------------------------------------------------

def test_flash_shows_only_known_codes(api: TestClient) -> None:
    page_login(api, "vertaler@lochem.example")
    for text in ("<script>evil", "Your account is blocked"):
        page = api.get("/review", params={"flash": text, "kind": "error"})
        assert page.status_code == 200
        assert text not in page.text and "evil" not in page.text and 'role="status"' not in page.text
    page = api.get("/review", params={"flash": "approved", "kind": "evil"}).text
    assert '<p class="flash ok" role="status">Approved. The assistant now sends this translation.</p>' in page
    assert "evil" not in page
    assert 'class="flash error" role="status">Not closed' in api.get("/review?flash=close-failed").text


def test_every_redirect_uses_a_known_flash_code() -> None:
    """Redirects name a FLASH code; a free text (or a typo) would show nothing, so it is caught here."""
    used: set[str] = set()
    for module in (inbox_pages, review_pages):
        for line in Path(module.__file__).read_text(encoding="utf-8").splitlines():  # type: ignore[arg-type]
            if "_back(" in line and "def _back" not in line:
                used |= set(re.findall(r'"([^"]*)"', line.split("#")[0]))
            used |= set(re.findall(r"flash=([\w-]+)", line))
    used |= {"away", "back"}  # the away form's redirect chooses between two
    assert len(used) >= 16 and used <= set(FLASH), used - set(FLASH)
    assert all(kind in ("ok", "error", "warn") for _, kind in FLASH.values())


# -- 5. who may change which field of a staff record ------------------------------------------------------

ACTORS = {"consultant": "consulent1@lochem.example", "cultuurvertaler": "vertaler@lochem.example",
          "gemeente admin": "admin@lochem.example", "region admin": "admin@regio.example",
          "admin of another gemeente": "admin@gooise-meren.example"}
FIELDS = ("name", "password", "languages", "role", "gemeente_id", "active")
NEW_PASSWORD = "een-heel-nieuw-wachtwoord"
ADMIN_ON_SELF = {"name", "password", "languages"}  # never their own role, gemeente or active: no lock-out
# What each actor may change, on themselves and on another user (a consultant of Lochem).
ALLOWED: dict[tuple[str, bool], set[str]] = {
    ("consultant", True): {"name", "password"},
    ("consultant", False): set(),
    ("cultuurvertaler", True): {"name", "password"},  # not languages: that is what they approve
    ("cultuurvertaler", False): set(),
    ("gemeente admin", True): ADMIN_ON_SELF,
    ("gemeente admin", False): {"name", "password", "languages", "role", "active"},  # not to another gemeente
    ("region admin", True): ADMIN_ON_SELF,
    ("region admin", False): set(FIELDS),
    ("admin of another gemeente", True): ADMIN_ON_SELF,
    ("admin of another gemeente", False): set(),  # does not even see Lochem's staff: 404
}


def _snapshot(db: Session, user_id: int) -> dict[str, object]:
    db.expire_all()
    user = db.get(StaffUser, user_id)
    assert user is not None
    return {f: getattr(user, f) for f in ("name", "password_hash", "languages", "role", "gemeente_id", "active")}


def _new_value(field: str, target: StaffUser, deventer: int) -> object:
    return {"name": "Nieuwe Naam", "password": NEW_PASSWORD, "languages": ["nl", "so"],
            "role": "consultant" if target.role == Role.admin else "admin",
            "gemeente_id": deventer, "active": False}[field]


@pytest.mark.parametrize("who", list(ACTORS))
def test_every_role_against_every_staff_field(api: TestClient, db: Session, who: str) -> None:
    deventer, lochem = gemeente_id(db, "deventer"), gemeente_id(db, "lochem")
    email = ACTORS[who]
    me = db.query(StaffUser).filter_by(email=email).one()
    password = PASSWORD
    for oneself in (True, False):
        for field in FIELDS:
            if oneself:
                target = me
                value = _new_value(field, target, deventer)
            else:  # a fresh colleague per field, so earlier changes cannot interfere
                target = StaffUser(email=f"doel-{field}@lochem.example", name="Doel", role=Role.consultant,
                                   gemeente_id=lochem, languages=["nl"], password_hash=hash_password(PASSWORD))
                db.add(target)
                db.commit()
                value = "cultuurvertaler" if field == "role" else _new_value(field, target, deventer)
            before = _snapshot(db, target.id)
            res = api.patch(f"/api/v1/staff/{target.id}", json={field: value},
                            headers=login(api, email, password))
            case = f"{who} changes {field} of {'themselves' if oneself else 'a colleague'}"
            after = _snapshot(db, target.id)
            if field in ALLOWED[who, oneself]:
                assert res.status_code == 200, f"{case}: {res.status_code} {res.text}"
                if field == "password":
                    assert verify_password(NEW_PASSWORD, str(after["password_hash"]))
                    password = NEW_PASSWORD if oneself else password
                else:
                    assert after[field] == (Role(value) if field == "role" else value), case
                    assert res.json()[field] == value, case
            else:
                expected = 404 if who == "admin of another gemeente" and not oneself else 403
                assert res.status_code == expected, f"{case}: {res.status_code} {res.text}"
                assert after == before, case


def test_more_staff_rules(api: TestClient, db: Session) -> None:
    lochem, deventer = gemeente_id(db, "lochem"), gemeente_id(db, "deventer")
    target = staff_id(db, "consulent2@lochem.example")
    url = f"/api/v1/staff/{target}"
    region, local = login(api, "admin@regio.example"), login(api, "admin@lochem.example")
    # a gemeente admin makes no region admins, a region admin may
    assert api.patch(url, json={"role": "admin", "gemeente_id": None}, headers=local).status_code == 403
    res = api.patch(url, json={"role": "admin", "gemeente_id": None}, headers=region)
    assert res.status_code == 200 and res.json()["gemeente_id"] is None
    # consultants and cultuurvertalers belong to a gemeente
    assert api.patch(url, json={"role": "consultant"}, headers=region).status_code == 409
    assert api.patch(url, json={"role": "consultant", "gemeente_id": 2**31 - 1}, headers=region).status_code == 404
    assert api.patch(url, json={"role": "consultant", "gemeente_id": lochem}, headers=region).status_code == 200
    assert api.patch(url, json={"gemeente_id": None}, headers=region).status_code == 409
    # only known language codes
    res = api.patch(url, json={"languages": ["nl", "xx"]}, headers=local)
    assert res.status_code == 422 and "unknown language" in res.text
    # sending back an unchanged field is no change, so needs no right
    me = staff_id(db, "vertaler@lochem.example")
    own = login(api, "vertaler@lochem.example")
    res = api.patch(f"/api/v1/staff/{me}", json={"role": "cultuurvertaler", "languages": ["so", "fa", "ps"],
                                                 "name": "Vertaler"}, headers=own)
    assert res.status_code == 200 and res.json()["name"] == "Vertaler"
    assert api.patch(f"/api/v1/staff/{me}", json={"languages": ["so", "ti"]}, headers=own).status_code == 403
    # creating follows the same rule
    new = {"email": "nieuw@lochem.example", "name": "Nieuw", "role": "admin", "gemeente_id": None,
           "password": "een-lang-wachtwoord"}
    assert api.post("/api/v1/staff", json=new, headers=local).status_code == 403  # no region admin
    assert api.post("/api/v1/staff", json={**new, "gemeente_id": deventer}, headers=local).status_code == 403
    new = {**new, "role": "cultuurvertaler", "gemeente_id": lochem}
    assert api.post("/api/v1/staff", json={**new, "languages": ["zz"]}, headers=local).status_code == 422
    assert api.post("/api/v1/staff", json={**new, "gemeente_id": None}, headers=region).status_code == 409
    assert api.post("/api/v1/staff", json={**new, "languages": ["ti"]}, headers=local).status_code == 201
