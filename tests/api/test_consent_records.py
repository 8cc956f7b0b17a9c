"""Consent to the privacy notice through the API (issue 18): per phone, with the notice's version and how it
was given; the newest answer counts; a new version of the notice is 'outdated', so the person is asked again."""

import hashlib

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Client, Consent
from app.services import consent
from app.services.catalog import cached_sources
from conftest import assistant_headers


def test_the_notice_version_belongs_to_the_notice_text() -> None:
    text = cached_sources()["utter_privacy_notice"].text
    assert hashlib.sha256(text.encode()).hexdigest() == consent.NOTICE_TEXT_SHA256, (
        "the privacy notice changed: if what it says changed, raise consent.NOTICE_VERSION (everyone is asked "
        "again); then set NOTICE_TEXT_SHA256 to the new text's hash")


def test_consent_is_recorded_per_phone_with_version_and_how(api: TestClient, db: Session,
                                                            demo_data: dict[str, int]) -> None:
    phone = "+31610000002"  # a verified demo client

    def state() -> dict:  # type: ignore[type-arg]
        res = api.get("/api/v1/assistant/consent", headers=assistant_headers(phone))
        assert res.status_code == 200, res.text
        return dict(res.json())

    assert state()["state"] == "unknown"
    given = api.post("/api/v1/assistant/consent", headers=assistant_headers(phone),
                     json={"given": True, "how": "number"})
    assert given.status_code == 201 and given.json()["version"] == consent.NOTICE_VERSION
    assert state()["state"] == "given"
    client = db.scalar(select(Client).where(Client.whatsapp == phone))
    row = db.scalar(select(Consent).where(Consent.phone == phone))
    assert row is not None and client is not None and (row.client_id, row.how) == (client.id, "number")
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "consent:given", AuditEntry.client_id == client.id))

    row.version = "2020-01"  # as if given for an older notice
    db.commit()
    assert state()["state"] == "outdated"  # asked again

    api.post("/api/v1/assistant/consent", headers=assistant_headers(phone), json={"given": False, "how": "withdrawn"})
    assert state()["state"] == "withdrawn"
    assert len(db.scalars(select(Consent).where(Consent.phone == phone)).all()) == 2  # the history is kept
    other = api.get("/api/v1/assistant/consent", headers=assistant_headers("+31687650099")).json()
    assert other["state"] == "unknown"  # per phone


def test_bad_consent_requests_are_refused(api: TestClient) -> None:
    headers = assistant_headers("+31610000002")
    menu = api.post("/api/v1/assistant/consent", headers=headers, json={"given": True, "how": "menu"})
    assert menu.status_code == 422
    assert api.post("/api/v1/assistant/consent", headers=headers, json={"given": "ja"}).status_code == 422
    assert api.get("/api/v1/assistant/consent", headers=assistant_headers("not a number")).status_code in (400, 422)
    assert api.get("/api/v1/assistant/consent").status_code == 401  # the assistant's token only
