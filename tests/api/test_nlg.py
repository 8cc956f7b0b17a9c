"""The NLG endpoint renders every message: language choice, the approval gate, bilingual mode,
placeholders and formats, right-to-left text."""

import re
import unicodedata

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import ReviewState
from app.services import nlg, translations
from app.services.catalog import cached_sources
from conftest import assistant_headers

LANGS = ("ar", "ti", "fa", "ps", "so", "tr", "en")
pytestmark = pytest.mark.usefixtures("catalog")


def _render(api: TestClient, response: str, slots: dict | None = None, **arguments: object) -> dict:  # type: ignore[type-arg]
    res = api.post("/nlg", json={"response": response, "arguments": arguments,
                                 "tracker": {"sender_id": "x", "slots": slots or {}}, "channel": {"name": "rest"}},
                   headers=assistant_headers())
    assert res.status_code == 200, res.text
    return dict(res.json())


def _set_state(db: Session, lang: str, key: str, state: ReviewState) -> None:
    view = translations.get_unit(db, lang, key)
    view.unit.state = state
    db.commit()


def test_language_precedence() -> None:
    assert nlg.pick_language({}) == "nl"
    assert nlg.pick_language({"client_language": "ti"}) == "ti"
    assert nlg.pick_language({"client_language": "ti", "detected_language": "ar"}) == "ti"  # a guess: case data wins
    assert nlg.pick_language({"client_language": "ti", "detected_language": "ar", "written_language": "ar"}) == "ar"
    assert nlg.pick_language({"language": "en", "detected_language": "ar", "client_language": "ti"}) == "en"
    assert nlg.pick_language({"language": "xx"}) == "nl"  # unknown codes are ignored


def test_normal_messages_render_in_each_language_with_placeholders(api: TestClient) -> None:
    assert cached_sources()["utter_lessons_none_day"].impact == "normal"
    seen = set()
    for lang in ("nl", *LANGS):
        body = _render(api, "utter_lessons_none_day", {"detected_language": lang}, day_date="2026-11-24")
        assert body["custom"] == {"key": "utter_lessons_none_day", "language": lang, "sent_in": lang,
                                  "dutch": "Op dinsdag 24 november heeft u geen les."}  # for the inbox
        assert "{" not in body["text"]
        seen.add(body["text"])
    assert len(seen) == 8  # really eight different texts
    assert "dinsdag 24 november" in _render(api, "utter_lessons_none_day", day_date="2026-11-24")["text"]
    assert "Salı" in _render(api, "utter_lessons_none_day", {"language": "tr"}, day_date="2026-11-24")["text"]


def test_unapproved_high_impact_message_is_never_sent_in_that_language(api: TestClient, db: Session) -> None:
    """The approval gate: Dutch source, plus the notice once the notice itself is approved."""
    key, dutch = "utter_absence_recorded", "Ik heb doorgegeven dat u niet komt op dinsdag 24 november."
    assert cached_sources()[key].impact == "high"
    for lang in LANGS:
        body = _render(api, key, {"language": lang}, for_date="2026-11-24")
        assert body["custom"]["sent_in"] == "nl" and body["text"].startswith(dutch), (lang, body)
        translation = translations.get_unit(db, lang, key).unit.target
        assert max(re.split(r"\{\w+\}", translation), key=len) not in body["text"]
    notice = translations.get_unit(db, "ti", nlg.NOTICE).unit.target
    _set_state(db, "ti", nlg.NOTICE, ReviewState.approved)
    body = _render(api, key, {"language": "ti"}, for_date="2026-11-24")
    assert body["text"].startswith(notice) and dutch in body["text"]
    assert body["custom"]["notice"] == notice  # so the channel can show it once per turn
    _set_state(db, "ti", key, ReviewState.approved)
    body = _render(api, key, {"language": "ti"}, for_date="2026-11-24")
    assert body["custom"]["sent_in"] == "ti" and dutch not in body["text"] and "ሰሉስ" in body["text"]
    assert "notice" not in body["custom"]
    # Other languages: still Dutch.
    assert "ሰሉስ" not in _render(api, key, {"language": "ar"}, for_date="2026-11-24")["text"]


def test_rejected_and_outdated_translations_are_not_sent(api: TestClient, db: Session) -> None:
    key = "utter_lessons_none_day"
    turkish = _render(api, key, {"language": "tr"}, day_date="2026-11-24")["text"]
    _set_state(db, "tr", key, ReviewState.rejected)
    assert _render(api, key, {"language": "tr"}, day_date="2026-11-24")["custom"]["sent_in"] == "nl"
    _set_state(db, "tr", key, ReviewState.approved)
    assert _render(api, key, {"language": "tr"}, day_date="2026-11-24")["text"] == turkish
    view = translations.get_unit(db, "tr", key)
    view.unit.source = "Een oudere Nederlandse tekst."  # the Dutch changed since this was translated
    db.commit()
    assert _render(api, key, {"language": "tr"}, day_date="2026-11-24")["custom"]["sent_in"] == "nl"


def test_bilingual_mode_carries_both_languages(api: TestClient) -> None:
    body = _render(api, "utter_lessons_none_day", {"language": "so", "bilingual": True}, day_date="2026-11-24")
    somali, dutch = body["text"].split(f"\n\n{nlg.DUTCH_MARK} ")
    assert dutch == "Op dinsdag 24 november heeft u geen les."
    assert "Op dinsdag" not in somali and "Talaado" in somali
    # Dutch speakers and Dutch fallbacks are not doubled.
    dutch_only = _render(api, "utter_lessons_none_day", {"bilingual": True}, day_date="2026-11-24")["text"]
    assert nlg.DUTCH_MARK not in dutch_only
    assert _render(api, "utter_absence_recorded", {"language": "so", "bilingual": True},
                   for_date="2026-11-24")["text"].count("dinsdag 24 november") == 1


def test_right_to_left_lines_open_right_to_left(api: TestClient) -> None:
    text = _render(api, "utter_appointment_item", {"language": "ar"}, number=1, start_date="2026-11-24",
                   start_time="10:00", purpose="Gesprek", with_name="Lotte Bakker", place="Stadhuis")["text"]
    # The line starts with "1.": a right-to-left mark keeps WhatsApp from laying it out left-to-right.
    assert text.startswith(nlg.RLM + "1.") and "Lotte Bakker" in text and "Stadhuis" in text
    text = _render(api, "utter_lessons_none_day", {"language": "ar"}, day_date="2026-11-24")["text"]
    assert not text.startswith(nlg.RLM)  # already right-to-left: left alone
    for line in _render(api, "utter_menu", {"language": "fa"})["text"].split("\n"):
        assert line.startswith(nlg.RLM) or not line[:1].isdigit()
    assert nlg.RLM not in _render(api, "utter_lesson_item", {"language": "tr"}, kind="@utter_kind_knm",
                                  start_date="2026-11-24", start_time="09:00", end_time="12:00", address="X")["text"]


def test_nested_keys_lists_and_times(api: TestClient) -> None:
    text = _render(api, "utter_appointment_bring", {"language": "en"},
                   bring=["@utter_kind_knm", "@utter_kind_map"])["text"]
    assert text.startswith("Bring") and "KNM" in text and "MAP" in text and "KNM-les" not in text  # fragments too
    text = _render(api, "utter_lesson_item", kind="@utter_kind_taalles", start_date="2026-11-24T08:00:00+00:00",
                   start_time="2026-11-24T08:00:00+00:00", end_time="2026-11-24T11:00:00+00:00", address="X")["text"]
    assert "09:00" in text and "12:00" in text  # UTC shown in Amsterdam time
    assert text.startswith("Taalles")


def test_unknown_key_and_bad_bodies(api: TestClient) -> None:
    assert _render(api, "utter_does_not_exist")["text"] is None
    for body in ({}, {"tracker": "x"}, {"tracker": {"slots": []}, "arguments": 5}, {"response": 12}):
        assert api.post("/nlg", json=body, headers=assistant_headers()).status_code == 200
    assert api.post("/nlg", json={"response": "utter_greet"}).status_code == 401


def test_after_hours_answer_time_is_shown_in_amsterdam_time(api: TestClient) -> None:
    # 2026-11-23 23:30 UTC is already Tuesday 00:30 in Amsterdam.
    text = _render(api, "utter_handoff_after_hours", answer_date="2026-11-23T23:30:00+00:00",
                   answer_time="2026-11-23T23:30:00+00:00")["text"]
    assert "dinsdag 24 november" in text and "00:30" in text


HOURS = {"mon": [{"opens": "09:00", "closes": "17:00"}], "tue": [{"opens": "09:00", "closes": "17:00"}],
         "wed": [{"opens": "09:00", "closes": "12:30"}, {"opens": "13:30", "closes": "17:00"}],
         "thu": [{"opens": "09:00", "closes": "17:00"}], "fri": [{"opens": "09:00", "closes": "17:00"}],
         "sat": [], "sun": []}
CONTACT = {"name": "Lotte Bakker", "title": "consulent inburgering", "phone": "14 0000", "email": "x@example.org"}


@pytest.mark.parametrize(("lang", "days", "closed"), [
    ("nl", ("maandag–dinsdag", "woensdag", "donderdag–vrijdag"), ("zaterdag", "zondag")),
    ("ar", ("الاثنين–الثلاثاء", "الأربعاء", "الخميس–الجمعة"), ("السبت", "الأحد")),
    ("tr", ("Pazartesi–Salı", "Çarşamba", "Perşembe–Cuma"), ("Cumartesi", "Pazar ")),  # Pazar(tesi): Sunday (Monday)
])
def test_opening_hours_read_as_days_and_times_in_the_persons_language(
        api: TestClient, lang: str, days: tuple[str, ...], closed: tuple[str, ...]) -> None:
    body = _render(api, "utter_contact", {"language": lang}, hours=HOURS, **CONTACT)
    text = body["text"]
    assert body["custom"]["sent_in"] == lang
    assert all(day in text for day in days), text
    assert not any(day in text for day in closed), text  # closed days are left out
    assert "09:00–17:00" in text and "09:00–12:30, 13:30–17:00" in text
    assert "{" not in text and "opens" not in text and "mon" not in text
    if lang == "ar":  # right-to-left decoration still applies after filling
        for line in text.split("\n"):
            assert line.startswith(nlg.RLM) or unicodedata.bidirectional(line[0]) in ("R", "AL"), line
    # The Dutch copy for the inbox gets Dutch day names.
    assert "maandag–dinsdag 09:00–17:00" in body["custom"]["dutch"]


def test_opening_hours_malformed_or_not_a_dict(api: TestClient) -> None:
    assert "{" not in _render(api, "utter_contact", hours={"mon": [{"opens": "nine"}]}, **CONTACT)["text"]
    assert "ma-vr 9-17" in _render(api, "utter_contact", hours="ma-vr 9-17", **CONTACT)["text"]


def test_emergency_numbers_are_labelled_in_the_persons_language(api: TestClient, db: Session) -> None:
    """The gemeente's emergency numbers (structured settings, not Dutch free text): each label is a translated
    message, the number is the same in every language (issue 18 point 9)."""
    contact = [{"label": "@utter_emergency_gp_post", "value": "035 000 0001"},
               {"label": "@utter_emergency_crisis", "value": "035 000 0002"}]
    _set_state(db, "en", "utter_handoff_emergency", ReviewState.approved)
    body = _render(api, "utter_handoff_emergency", {"language": "en"}, contact=contact)
    gp_post = translations.get_unit(db, "en", "utter_emergency_gp_post").unit.target
    assert body["custom"]["sent_in"] == "en", body
    assert f"{gp_post}: 035 000 0001 and " in body["text"] and body["text"].endswith(": 035 000 0002")
    assert "Huisartsenpost" not in body["text"]  # no Dutch label inside an English message
    dutch = _render(api, "utter_handoff_emergency", {"language": "nl"}, contact=contact)["text"]
    assert "Huisartsenpost ('s avonds en in het weekend): 035 000 0001" in dutch


def test_case_data_reaches_the_person_in_their_language_and_free_text_is_marked_dutch(
        api: TestClient, db: Session) -> None:
    """Keyed values (what an appointment is for, what to bring) render from approved labels; the gemeente's own
    free text stays as written, marked as Dutch in a translation and plain in Dutch (issue 18 point 9)."""
    keys = ("utter_appointment_item", "utter_appointment_bring", "utter_appointment_kind_progress",
            "utter_bring_passport", nlg.DUTCH_TEXT)
    for key in keys:
        _set_state(db, "ar", key, ReviewState.approved)
    _set_state(db, "ar", "utter_bring_bills", ReviewState.rejected)
    arguments = {"number": 1, "start_date": "2026-11-24", "start_time": "10:00", "with_name": "Lotte Bakker",
                 "place": "Stadhuis",
                 "purpose": {"label": "@utter_appointment_kind_progress", "value": {"dutch": "met de tolk"}}}
    arabic = _render(api, "utter_appointment_item", {"language": "ar"}, **arguments)["text"]
    label = translations.get_unit(db, "ar", "utter_appointment_kind_progress").unit.target
    assert label and label in arabic and "Gesprek over hoe het gaat" not in arabic
    assert "«met de tolk» (بالهولندية)" in arabic
    dutch = _render(api, "utter_appointment_item", {"language": "nl"}, **arguments)["text"]
    assert "Gesprek over hoe het gaat (voortgangsgesprek): met de tolk, met Lotte Bakker" in dutch
    assert "«" not in dutch
    bring = _render(api, "utter_appointment_bring", {"language": "ar"},
                    bring=["@utter_bring_passport", "@utter_bring_bills", {"dutch": "de brief over de huur"}])["text"]
    assert "جواز سفرك" in bring and ", " not in bring  # approved label; a list as Arabic writes it
    assert "rekeningen" in bring  # a rejected label: the Dutch one, as the gate says
    assert "«de brief over de huur» (بالهولندية)" in bring
    # While the marker's translation may not be sent, the free text goes in with the Dutch marker.
    _set_state(db, "ar", nlg.DUTCH_TEXT, ReviewState.rejected)
    assert "«met de tolk» (in het Nederlands)" in _render(api, "utter_appointment_item", {"language": "ar"},
                                                          **arguments)["text"]
