"""Property test over the whole OpenAPI schema: no generated request may produce a 5xx.

Runs against SQLite and PostgreSQL with the demo region loaded, authenticated as the region admin
(staff endpoints) or as the assistant (assistant endpoints), so requests reach the real handlers.
"""

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


def _staff_token() -> str:
    """A fresh region-admin session per case: a fuzzed password change ends earlier sessions."""
    token = new_token()
    with Session(_engine[0]) as session:
        admin = session.scalar(select(StaffUser).where(StaffUser.email == "admin@regio.example"))
        session.add(StaffSession(token_hash=sha256(token), user_id=admin.id,
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
    token = SERVICE_TOKEN if case.path.startswith("/api/v1/assistant") else _staff_token()
    # Replace whatever Authorization (any spelling) the generator made up with a real token.
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    headers["Authorization"] = f"Bearer {token}"
    if case.path.startswith("/api/v1/assistant/me"):
        headers.setdefault("X-Client-Phone", demo.demo_phone(1))
    response = case.call(headers=headers)
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"
