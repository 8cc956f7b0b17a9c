"""Translation review: access per role and language, each check, states, flags and counts, PO round trip,
the coverage report, and the pages' login and CSRF protection."""

import re
from pathlib import Path

import polib
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.locales import coverage_table
from app.models import ReviewState, StaffUser, TranslationEvent, TranslationUnit
from app.services import checks, po_sync, translations
from app.services.access import staff_actor
from app.services.catalog import cached_sources
from conftest import assistant_headers, login

pytestmark = pytest.mark.usefixtures("demo_data", "catalog")
TI = "vertaler@gooise-meren.example"  # reviews ar, ti
SO = "vertaler@lochem.example"  # reviews so, fa, ps
CONSULTANT = "consulent1@gooise-meren.example"


def unit(db: Session, lang: str, key: str) -> TranslationUnit:
    db.expire_all()
    return translations.get_unit(db, lang, key).unit


# -- checks -------------------------------------------------------------------------------------------

def test_each_check() -> None:
    ok = checks.run("Uw les is op {start_date}.", "Dersiniz {start_date} tarihinde.", rtl=False, glossary={})
    assert ok == []
    names = lambda failed: [f.name for f in failed]  # noqa: E731
    assert names(checks.run("Op {start_date}.", "   ", rtl=False, glossary={})) == ["empty"]
    assert names(checks.run("Op {start_date}.", "On {date}.", rtl=False, glossary={})) == ["placeholders"]
    assert names(checks.run("Op {a} en {a}.", "On {a}.", rtl=False, glossary={})) == ["placeholders"]
    assert names(checks.run("Uw PIP is klaar.", "Your plan is ready.", rtl=False, glossary={"PIP": "PIP"})) == [
        "glossary"]
    assert checks.run("Uw PIP is klaar.", "Your PIP is ready.", rtl=False, glossary={"PIP": "PIP"}) == []
    assert names(checks.run("Dank u wel voor uw bericht.", "x" * 200, rtl=False, glossary={})) == ["length"]
    assert names(checks.run("Hallo", "\u2067مرحبا", rtl=True, glossary={})) == ["bidi"]  # isolate never closed
    assert names(checks.run("Hallo", "مرحبا\u2069", rtl=True, glossary={})) == ["bidi"]  # closed, never opened
    assert checks.run("Hallo {name}", "مرحبا \u2068{name}\u2069", rtl=True, glossary={}) == []
    assert names(checks.run("Hallo", "Hello", rtl=True, glossary={})) == ["script"]


# -- access and states ---------------------------------------------------------------------------------

def test_only_the_languages_own_cultuurvertaler_edits_and_approves(api: TestClient, db: Session) -> None:
    key = "utter_lessons_none_day"
    ti, so, consultant = login(api, TI), login(api, SO), login(api, CONSULTANT)
    assert api.post(f"/api/v1/translations/ti/{key}/approve", headers=so).status_code == 403
    assert api.put(f"/api/v1/translations/ti/{key}", json={"target": "x {day_date}"}, headers=so).status_code == 403
    assert api.post(f"/api/v1/translations/ti/{key}/approve", headers=consultant).status_code == 403
    assert api.get("/api/v1/translations/ti", headers=so).status_code == 403  # not their language
    assert api.get("/api/v1/translations/ti", headers=consultant).status_code == 200  # read-only for consultants
    assert api.get("/api/v1/translations/nl", headers=ti).status_code == 404  # Dutch is the source
    assert api.post("/api/v1/translations/ti/utter_nope/approve", headers=ti).status_code == 404
    assert unit(db, "ti", key).state == ReviewState.needs_review
    res = api.post(f"/api/v1/translations/ti/{key}/approve", headers=ti)
    assert res.status_code == 200 and res.json()["state"] == "approved"
    events = db.query(TranslationEvent).filter_by(unit_id=unit(db, "ti", key).id).all()
    assert [e.kind for e in events][-1] == "approved" and events[-1].actor_id is not None


def test_edit_needs_review_again_and_a_failing_check_blocks_approval(api: TestClient, db: Session) -> None:
    key, ti = "utter_lessons_none_day", login(api, TI)
    assert api.post(f"/api/v1/translations/ti/{key}/approve", headers=ti).status_code == 200
    good = unit(db, "ti", key).target
    res = api.put(f"/api/v1/translations/ti/{key}", json={"target": "ኣብ {date} ትምህርቲ የብልኩምን።"}, headers=ti)
    assert res.status_code == 200 and res.json()["state"] == "needs_review"  # an edit is never an approval
    res = api.post(f"/api/v1/translations/ti/{key}/approve", headers=ti)
    assert res.status_code == 422 and "Placeholders" in res.json()["detail"]
    assert unit(db, "ti", key).state == ReviewState.needs_review
    api.put(f"/api/v1/translations/ti/{key}", json={"target": good, "note": "Formeel 'ኹም' gebruikt."}, headers=ti)
    assert api.post(f"/api/v1/translations/ti/{key}/approve", headers=ti).status_code == 200
    assert unit(db, "ti", key).note == "Formeel 'ኹም' gebruikt."
    kinds = [e.kind for e in translations.history(db, unit(db, "ti", key))]
    assert kinds[:4] == ["approved", "edited", "edited", "approved"]


def test_reject_needs_a_reason_and_flags_send_approved_text_back(api: TestClient, db: Session) -> None:
    key, ti, consultant = "utter_lessons_none_day", login(api, TI), login(api, CONSULTANT)
    assert api.post(f"/api/v1/translations/ti/{key}/reject", json={"reason": ""}, headers=ti).status_code == 422
    assert api.post(f"/api/v1/translations/ti/{key}/reject", json={"reason": " "}, headers=ti).status_code == 400
    res = api.post(f"/api/v1/translations/ti/{key}/reject", json={"reason": "Te formeel."}, headers=ti)
    assert res.json()["state"] == "rejected" and res.json()["reject_reason"] == "Te formeel."
    api.post(f"/api/v1/translations/ti/{key}/approve", headers=ti)
    res = api.post(f"/api/v1/translations/ti/{key}/flag", json={"note": "Cliënt begreep 'les' niet", "handoff_id": 3},
                   headers=consultant)
    assert res.status_code == 200 and res.json()["state"] == "needs_review" and res.json()["flags"] == 1
    assert api.post(f"/api/v1/translations/ti/{key}/flag", json={}, headers=ti).status_code == 403


def test_i_dont_understand_counts_against_the_last_message(api: TestClient, db: Session) -> None:
    body = {"key": "utter_termijn", "slots": {"client_language": "ti", "detected_language": None}}
    for _ in range(3):
        assert api.post("/api/v1/assistant/not-understood", json=body, headers=assistant_headers()).status_code == 204
    api.post("/api/v1/assistant/not-understood", json={"key": "utter_menu", "slots": {"language": "ti"}},
             headers=assistant_headers())
    # Dutch speakers and unknown keys count nowhere (and break nothing).
    for odd in ({"key": "utter_termijn", "slots": {}}, {"key": "utter_nope", "slots": {"language": "ti"}}):
        assert api.post("/api/v1/assistant/not-understood", json=odd, headers=assistant_headers()).status_code == 204
    assert api.post("/api/v1/assistant/not-understood", json=body).status_code == 401
    listed = api.get("/api/v1/translations/ti", params={"sort": "not_understood"}, headers=login(api, TI)).json()
    assert [(u["key"], u["not_understood"]) for u in listed[:2]] == [("utter_termijn", 3), ("utter_menu", 1)]


def test_filters(api: TestClient) -> None:
    ti = login(api, TI)
    high = api.get("/api/v1/translations/ti", params={"impact": "high"}, headers=ti).json()
    assert high and all(u["impact"] == "high" for u in high)
    assert len(high) == sum(1 for s in cached_sources().values() if s.impact == "high")
    review = api.get("/api/v1/translations/ti", params={"state": 20}, headers=ti).json()
    assert review and all(u["state"] == "needs_review" for u in review)


# -- PO files ----------------------------------------------------------------------------------------

def _states(db: Session) -> dict[tuple[str, str], tuple[str, int, str, str | None]]:
    db.expire_all()
    return {(u.language, u.key): (u.target, u.state, u.note, u.reject_reason) for u in db.query(TranslationUnit)}


def test_po_round_trip_keeps_review_state(db: Session, tmp_path: Path) -> None:
    reviewer = staff_actor(db.query(StaffUser).filter_by(email=TI).one())
    translations.approve(db, reviewer, "ti", "utter_termijn")
    translations.reject(db, reviewer, "ar", "utter_get_well", "Te koud.")
    translations.edit(db, reviewer, "ti", "utter_greet", "ሰላም!", note="Kort gehouden.")
    translations.edit(db, reviewer, "ti", "utter_thank", "")  # untranslated again
    db.commit()
    before = _states(db)
    po_sync.export_all(db, tmp_path)
    po = polib.pofile(str(tmp_path / "ti" / "LC_MESSAGES" / "bot.po"))
    entry = {e.msgctxt: e for e in po}
    assert "approved" in entry["utter_termijn"].flags and entry["utter_termijn"].comment == "impact: high"
    assert entry["utter_thank"].msgstr == "" and entry["utter_greet"].tcomment == "Kort gehouden."
    rejected = polib.pofile(str(tmp_path / "ar" / "LC_MESSAGES" / "bot.po")).find("utter_get_well", by="msgctxt")
    assert {"fuzzy", "rejected"} <= set(rejected.flags) and "Rejected: Te koud." in rejected.tcomment
    # Into an empty database: every state comes back.
    for table in (TranslationEvent.__table__, TranslationUnit.__table__):
        db.execute(table.delete())
    db.commit()
    po_sync.import_all(db, tmp_path)
    db.commit()
    assert _states(db) == before
    # Exported again: byte-identical files.
    first = (tmp_path / "ti" / "LC_MESSAGES" / "bot.po").read_bytes()
    po_sync.export_all(db, tmp_path)
    assert (tmp_path / "ti" / "LC_MESSAGES" / "bot.po").read_bytes() == first


def test_import_takes_file_changes_keeps_page_changes_and_reports_conflicts(db: Session, tmp_path: Path) -> None:
    reviewer = staff_actor(db.query(StaffUser).filter_by(email=TI).one())
    translations.approve(db, reviewer, "ti", "utter_termijn")
    po_sync.export_all(db, tmp_path)
    path = tmp_path / "ti" / "LC_MESSAGES" / "bot.po"
    po = polib.pofile(str(path))
    po.find("utter_termijn", by="msgctxt").msgstr += " (Poedit)"  # changed in a tool
    po.find("utter_menu", by="msgctxt").msgstr += " (Poedit)"  # changed in a tool and on the pages
    po.save(str(path))
    translations.edit(db, reviewer, "ti", "utter_menu", unit(db, "ti", "utter_menu").target + " (page)")
    translations.edit(db, reviewer, "ti", "utter_goodbye", unit(db, "ti", "utter_goodbye").target + " (page)")
    report = po_sync.import_all(db, tmp_path)
    assert report.conflicts == ["utter_menu"] and report.created == 0
    termijn = unit(db, "ti", "utter_termijn")
    assert termijn.target.endswith("(Poedit)") and termijn.state == ReviewState.needs_review  # a file never approves
    assert unit(db, "ti", "utter_menu").target.endswith("(page)")
    assert unit(db, "ti", "utter_goodbye").target.endswith("(page)")  # file unchanged: the page edit stays


def test_changed_dutch_source_sends_the_translation_back(db: Session, tmp_path: Path) -> None:
    po_sync.export_all(db, tmp_path)
    path = tmp_path / "tr" / "LC_MESSAGES" / "bot.po"
    po = polib.pofile(str(path))
    entry = po.find("utter_goodbye", by="msgctxt")
    entry.msgid = "Een oude Nederlandse zin."  # translated from an older source
    entry.flags = ["approved"]
    po.save(str(path))
    for table in (TranslationEvent.__table__, TranslationUnit.__table__):
        db.execute(table.delete())
    po_sync.import_all(db, tmp_path)
    view = translations.get_unit(db, "tr", "utter_goodbye")
    assert view.outdated
    po_sync.export_all(db, tmp_path)
    again = polib.pofile(str(path)).find("utter_goodbye", by="msgctxt")
    assert again.msgid == cached_sources()["utter_goodbye"].text
    assert again.previous_msgid == "Een oude Nederlandse zin." and "fuzzy" in again.flags


def test_repo_catalogs_match_the_domain(db: Session, catalog: po_sync.ImportReport) -> None:
    """The committed PO files are complete and made from the current Dutch text."""
    assert catalog.unknown == [] and catalog.conflicts == []
    for lang in translations.targets():
        for view in translations.list_units(db, lang):
            assert view.unit.target, (lang, view.unit.key)
            assert not view.outdated, (lang, view.unit.key)


def test_coverage_report(api: TestClient, db: Session) -> None:
    reviewer = staff_actor(db.query(StaffUser).filter_by(email=TI).one())
    before = {row.language: row for row in translations.coverage(db)}
    assert set(before) == {"ar", "ti", "fa", "ps", "so", "tr", "en"}
    assert "utter_termijn" in before["ti"].high_fallback
    translations.approve(db, reviewer, "ti", "utter_termijn")
    db.commit()
    after = {row.language: row for row in translations.coverage(db)}
    assert after["ti"].approved == before["ti"].approved + 1 and "utter_termijn" not in after["ti"].high_fallback
    table = coverage_table(db)
    assert re.search(r"^ti\s+1/\d+", table.splitlines()[list(after).index("ti") + 1])
    res = api.get("/api/v1/translations/coverage", headers=login(api, CONSULTANT)).json()
    assert {r["language"]: r["approved"] for r in res}["ti"] == 1


# -- pages -------------------------------------------------------------------------------------------

def test_pages_need_login_and_csrf(api: TestClient) -> None:
    res = api.get("/review/ti", follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/login?next=/review/ti"
    res = api.post("/login", data={"email": TI, "password": "wrong", "next": "/review"})
    assert res.status_code == 401 and "Wrong e-mail or password" in res.text
    res = api.post("/login", data={"email": TI, "password": "demo-wachtwoord", "next": "https://evil.example/"},
                   follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/"  # no open redirect
    assert "httponly" in res.headers["set-cookie"].lower() and "samesite=strict" in res.headers["set-cookie"].lower()
    page = api.get("/review/ti/utter_termijn")
    assert page.status_code == 200 and 'dir="ltr" lang="ti"' in page.text
    res = api.post("/review/ti/utter_termijn/approve", data={"csrf": "forged"})
    assert res.status_code == 403 and "expired" in res.text
    csrf = re.search(r'name="csrf" value="(\w+)"', page.text).group(1)  # type: ignore[union-attr]
    res = api.post("/review/ti/utter_termijn/approve", data={"csrf": csrf}, follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"].endswith("?flash=approved")
    assert api.get("/review/so").status_code == 403  # not this reviewer's language
    assert "<script>" not in api.get("/review/ti", params={"q": "<script>"}).text  # escaped


def test_arabic_page_is_right_to_left(api: TestClient) -> None:
    api.post("/login", data={"email": TI, "password": "demo-wachtwoord"})
    page = api.get("/review/ar/utter_greet").text
    assert 'dir="rtl" lang="ar"' in page
