"""Shared fixtures: a migrated database per backend (SQLite and the machine's PostgreSQL),
an API client wired to it, and the demo region loaded into it."""

import os
import re
import secrets
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

# Tests run on the local defaults; production (the default mode) would refuse them (bot/deployment.py).
os.environ.setdefault("API_ENVIRONMENT", "test")

import pytest
from aiosmtpd.controller import Controller
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from app import demo
from app.config import get_settings
from app.db import Base, get_session
from app.main import create_app
from app.services import po_sync

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SERVICE_TOKEN = get_settings().service_token.get_secret_value()


def migrate(url: str, revision: str = "head") -> None:
    cfg = Config(str(REPO / "api" / "alembic.ini"))
    cfg.attributes["configure_logging"] = False
    cfg.cmd_opts = type("Opts", (), {"x": [f"url={url}"]})()  # type: ignore[assignment]
    command.upgrade(cfg, revision)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    migrate(url)
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    name = f"inb_test_{uuid.uuid4().hex[:8]}"
    # pre-ping: the topology tests restart PostgreSQL before this fixture drops its database.
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    migrate(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    url = request.getfixturevalue(f"{request.param}_url")
    eng = create_engine(url)
    yield eng
    with eng.begin() as conn:  # every test starts from empty tables
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    eng.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def api(engine: Engine) -> Iterator[TestClient]:
    app = create_app()

    def _session() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as session:
            yield session

    app.dependency_overrides[get_session] = _session
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def demo_data(db: Session) -> dict[str, int]:
    counts = demo.load(db)
    demo.add_pairing_codes(db)
    return counts


@pytest.fixture
def catalog(db: Session) -> po_sync.ImportReport:
    """The translations from locales/ in the database, as `make run` loads them (all "needs review")."""
    report = po_sync.import_all(db)
    db.commit()
    return report


def login(api: TestClient, email: str, password: str = demo.DEMO_PASSWORD) -> dict[str, str]:
    res = api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert res.status_code == 200, res.text
    return {"Authorization": f"Bearer {res.json()['access_token']}"}


def assistant_headers(phone: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    if phone:
        headers["X-Client-Phone"] = phone
    return headers


def page_login(api: TestClient, email: str, password: str = demo.DEMO_PASSWORD) -> None:
    """Log in on the staff pages: the session cookie stays on the client."""
    api.cookies.clear()
    res = api.post("/login", data={"email": email, "password": password}, follow_redirects=False)
    assert res.status_code == 303, res.text[:300]


def csrf(api: TestClient, path: str) -> str:
    """The CSRF token of a staff page's forms."""
    page = api.get(path)
    assert page.status_code == 200, page.text[:500]
    return re.search(r'name="csrf" value="(\w+)"', page.text).group(1)  # type: ignore[union-attr]


def inbound(api: TestClient, index: int, body: str) -> None:
    """A WhatsApp message from demo client `index`, stored as the channel stores it."""
    res = api.post("/api/v1/whatsapp/inbound", headers=assistant_headers(), json={
        "message_sid": "SM" + secrets.token_hex(16), "phone": f"+3161000{index:04d}", "body": body})
    assert res.status_code == 201, res.text


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append(envelope.content)  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    box = Mailbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setattr(get_settings(), "smtp_host", "127.0.0.1")
    monkeypatch.setattr(get_settings(), "smtp_port", port)
    yield box
    controller.stop()
