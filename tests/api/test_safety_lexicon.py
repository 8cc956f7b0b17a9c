"""The safety lexicons on the review pages: reviewers read every lexicon, try a phrase on the safety data, add
phrases to the languages they may change and take phrases out with a reason; the detector in the API (and,
through GET /api/v1/assistant/safety-lexicon, in every Rasa replica) uses the change at once; every change
is audited and can be undone."""

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import bot.safety
from app.models import AuditEntry, Client, Handoff, SafetyPhrase, StaffUser
from app.models.enums import Urgency
from app.services import safety_lexicon
from conftest import assistant_headers, csrf, inbound, page_login

pytestmark = pytest.mark.usefixtures("demo_data", "catalog")
# Dutch idiom for "I am at the end of my strength"; no lexicon phrase fires on it (checked below).
NEW_PHRASE = "water staat tot aan mijn lippen"
MESSAGE = "het water staat mij tot aan mijn lippen, ik weet het niet meer"
CULTUURVERTALER = "vertaler@gooise-meren.example"  # reviews ar and ti (app/demo.py)
ADMIN = "admin@lochem.example"


def consultant_of_5(db: Session) -> StaffUser:
    client = db.query(Client).filter_by(whatsapp="+31610000005").one()
    user = db.get(StaffUser, client.consultant_id)
    assert user is not None
    return user


def post(api: TestClient, language: str, action: str, **form: str):  # type: ignore[no-untyped-def]
    token = csrf(api, f"/review/{language}/safety")
    return api.post(f"/review/{language}/safety/{action}", data={"csrf": token, **form}, follow_redirects=False)


def lexicon_changes(api: TestClient) -> list[dict]:  # type: ignore[type-arg]
    res = api.get("/api/v1/assistant/safety-lexicon", headers=assistant_headers())
    assert res.status_code == 200, res.text
    return list(res.json()["changes"])


def test_a_phrase_added_on_the_page_makes_a_thread_urgent_at_once(api: TestClient, db: Session) -> None:
    assert bot.safety.detect(MESSAGE) == []
    opened = api.post("/api/v1/assistant/handoffs", headers=assistant_headers(), json={
        "phone": "+31610000005", "trigger": "request_human", "topic": "request_human", "urgency": "normal",
        "language": "nl", "summary": "Ik wil iemand spreken"}).json()
    inbound(api, 5, MESSAGE)
    db.expire_all()
    assert db.get(Handoff, opened["id"]).urgency == Urgency.normal  # type: ignore[union-attr]

    page_login(api, consultant_of_5(db).email)  # consultants change the Dutch lexicon
    res = post(api, "nl", "add", level="sure", safety_class="distress", phrase=NEW_PHRASE,
               note="gemist in een gesprek")
    assert res.status_code == 303 and res.headers["location"] == "/review/nl/safety?flash=phrase-added"
    page = api.get("/review/nl/safety").text
    assert NEW_PHRASE in page and "gemist in een gesprek" in page
    assert lexicon_changes(api) == [{"language": "nl", "level": "sure", "safety_class": "distress",
                                     "phrase": NEW_PHRASE, "removed": False}]
    inbound(api, 5, MESSAGE)
    db.expire_all()
    row = db.get(Handoff, opened["id"])
    assert row is not None and (row.urgency, row.safety_class) == (Urgency.urgent, "distress")
    assert row.safety_words == "water staat mij tot aan mijn lippen"
    assert db.query(AuditEntry).filter_by(action="safety_lexicon:add").count() == 1


def test_taking_a_phrase_out_needs_a_reason_and_can_be_undone(api: TestClient, db: Session) -> None:
    text = "ik wil niet meer leven"
    [hit] = [h for h in bot.safety.detect(text) if h.language == "nl"]
    page_login(api, ADMIN)
    res = post(api, "nl", "remove", level=hit.level, safety_class=hit.safety_class, phrase=hit.phrase, reason="")
    assert res.status_code == 422 and "say why" in res.text
    assert lexicon_changes(api) == []
    res = post(api, "nl", "remove", level=hit.level, safety_class=hit.safety_class, phrase=hit.phrase,
               reason="te breed")
    assert res.status_code == 303
    changes = tuple(bot.safety.Change(**c) for c in lexicon_changes(api))
    remaining = bot.safety.effective(changes)["nl"][hit.level][hit.safety_class]
    assert hit.phrase not in [p.text for p in remaining]
    assert all(h.phrase != hit.phrase for h in bot.safety.detect(text, changes=changes))
    assert f"<del dir=\"auto\" lang=\"nl\">{hit.phrase}</del>" in api.get("/review/nl/safety").text
    # Undo: the phrase counts again, the history keeps both.
    change = db.query(SafetyPhrase).one()
    token = csrf(api, "/review/nl/safety")
    res = api.post(f"/review/safety-changes/{change.id}/undo", data={"csrf": token}, follow_redirects=False)
    assert res.status_code == 303 and lexicon_changes(api) == []
    assert any(h.phrase == hit.phrase for h in bot.safety.detect(text))
    assert [a.action for a in db.query(AuditEntry).filter(AuditEntry.action.like("safety_lexicon:%"))
            .order_by(AuditEntry.id)] == ["safety_lexicon:remove", "safety_lexicon:undo"]


def test_who_may_change_which_lexicon(api: TestClient, db: Session) -> None:
    page_login(api, CULTUURVERTALER)
    assert api.get("/review/tr/safety").status_code == 200  # everyone of these roles reads every lexicon
    assert post(api, "tr", "add", level="ask", safety_class="money", phrase="kira parasi yok").status_code == 403
    assert post(api, "ar", "add", level="ask", safety_class="money", phrase="ما عندي حق الايجار").status_code == 303
    page_login(api, consultant_of_5(db).email)
    assert post(api, "ar", "add", level="ask", safety_class="money", phrase="ما معي مصاري").status_code == 403
    page_login(api, ADMIN)
    assert post(api, "tr", "add", level="ask", safety_class="money", phrase="kira parasi yok").status_code == 303
    assert [c["language"] for c in lexicon_changes(api)] == ["ar", "tr"]
    api.cookies.clear()
    res = api.get("/review/nl/safety", follow_redirects=False)
    assert res.status_code in (302, 303) and "/login" in res.headers["location"]
    assert api.get("/api/v1/assistant/safety-lexicon").status_code == 401


@pytest.mark.parametrize(("phrase", "why"), [
    ("ab", "at least 3 letters"), ("* *", "needs words"), (" ".join(["woord"] * 9), "at most 8 words"),
    ("wil dood", "already in the lexicon"),
])
def test_a_phrase_is_refused_with_the_reason_and_kept_in_the_form(api: TestClient, phrase: str, why: str) -> None:
    page_login(api, ADMIN)
    res = post(api, "nl", "add", level="sure", safety_class="distress", phrase=phrase)
    assert res.status_code == 422 and why in res.text
    assert f'name="phrase" value="{phrase}"' in res.text
    assert lexicon_changes(api) == []


def test_a_phrase_is_tried_on_the_safety_data_before_it_is_added(api: TestClient) -> None:
    page_login(api, ADMIN)
    page = api.get("/review/nl/safety", params={"test": "huur"}).text
    assert 'id="trial"' in page and "harmless messages it would send to a person" in page.lower()
    tried = page[page.index('id="trial"'):]
    assert int(tried.split("fires on <strong>")[1].split("<")[0]) > 0  # rent arrears in the safety data
    refused = api.get("/review/nl/safety", params={"test": "a"}).text
    assert "at least 3 letters" in refused


def test_the_changes_are_folded_into_the_files_with_their_comments(api: TestClient, db: Session,
                                                                   tmp_path: Path) -> None:
    page_login(api, ADMIN)
    assert post(api, "nl", "add", level="sure", safety_class="distress", phrase=NEW_PHRASE).status_code == 303
    assert post(api, "nl", "remove", level="sure", safety_class="distress", phrase="wil dood",
                reason="te breed").status_code == 303
    assert post(api, "tr", "add", level="ask", safety_class="money", phrase="kira parasi yok").status_code == 303
    for path in bot.safety.LEXICONS.glob("*.yml"):
        shutil.copy(path, tmp_path / path.name)
    before = (tmp_path / "nl.yml").read_text(encoding="utf-8")

    assert safety_lexicon.fold_into_files(db, tmp_path) == ["nl", "tr"]
    assert safety_lexicon.fold_into_files(db, tmp_path) == []  # twice changes nothing
    changes = safety_lexicon.changes(db)
    assert bot.safety.lexicons(tmp_path) == bot.safety.effective(changes)  # the files now say what the pages said
    assert bot.safety.effective(changes, tmp_path) == bot.safety.lexicons(tmp_path)  # laid over: no change
    after = (tmp_path / "nl.yml").read_text(encoding="utf-8")
    assert [line for line in before.splitlines() if line.lstrip().startswith("#")] == \
        [line for line in after.splitlines() if line.lstrip().startswith("#")]
    assert f'"{NEW_PHRASE}"' in after and '"wil dood"' not in after
