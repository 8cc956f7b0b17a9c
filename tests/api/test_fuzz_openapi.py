"""Property test over the whole OpenAPI schema: no generated request may produce a 5xx.

Runs against SQLite and PostgreSQL with the demo region loaded, each request with the credential its
endpoint needs (the service token for the assistant's endpoints, the NLG and the message log; a
cultuurvertaler for editing translations, a consultant for flagging; the region admin for the rest), so
requests reach the real handlers. test_fuzz_reach.py checks afterwards that every operation was reached.
"""

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from app import demo
from app.db import Base, get_session
from app.main import create_app
from app.models import StaffSession, StaffUser
from app.services.security import new_token, sha256
from conftest import SERVICE_TOKEN

app = create_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
_engine: list[Engine] = []
# Status codes seen per operation ("GET /path"), for test_fuzz_reach.py.
SEEN: dict[str, set[int]] = defaultdict(set)
_SERVICE = re.compile(r"^/nlg$|^/api/v1/assistant/|^/api/v1/whatsapp/(inbound|outbound)")
_REVIEWER = re.compile(r"^/api/v1/translations/\{language\}/\{key\}(/approve|/reject)?$")


def credential(method: str, path: str) -> str:
    """Who may call this endpoint: "service", or the e-mail of a demo staff member with that role."""
    if _SERVICE.search(path):
        return "service"
    if _REVIEWER.match(path) and method in ("PUT", "POST"):
        return "vertaler@gooise-meren.example"
    if path.endswith("/flag"):
        return "consulent1@gooise-meren.example"
    return "admin@regio.example"


def _staff_token(email: str) -> str:
    """A fresh session per case: a fuzzed password change ends earlier sessions."""
    token = new_token()
    with Session(_engine[0]) as session:
        user = session.scalar(select(StaffUser).where(StaffUser.email == email))
        session.add(StaffSession(token_hash=sha256(token), user_id=user.id,
                                 expires_at=datetime.now(UTC) + timedelta(hours=1)))
        session.commit()
    return token


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fuzz_db(request: pytest.FixtureRequest) -> Iterator[None]:
    engine = create_engine(request.getfixturevalue(f"{request.param}_url"))
    with Session(engine) as session:
        demo.load(session)
        demo.add_pairing_codes(session)

    def _session() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as session:
            yield session

    app.dependency_overrides[get_session] = _session
    _engine[:] = [engine]
    yield
    app.dependency_overrides.clear()
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_server_errors(case: schemathesis.Case, fuzz_db: None) -> None:
    who = credential(case.method.upper(), case.path)
    token = SERVICE_TOKEN if who == "service" else _staff_token(who)
    # Replace whatever Authorization (any spelling) the generator made up with a real token.
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    headers["Authorization"] = f"Bearer {token}"
    if case.path.startswith("/api/v1/assistant/me"):
        headers.setdefault("X-Client-Phone", demo.demo_phone(1))
    response = case.call(headers=headers)
    SEEN[f"{case.method.upper()} {case.path}"].add(response.status_code)
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"
