"""The NLG endpoint renders every message: language choice, translations, placeholders, formats."""

from fastapi.testclient import TestClient

from app.services import nlg
from conftest import assistant_headers


def _render(api: TestClient, response: str, slots: dict | None = None, **arguments: object) -> dict:  # type: ignore[type-arg]
    res = api.post("/nlg", json={"response": response, "arguments": arguments,
                                 "tracker": {"sender_id": "x", "slots": slots or {}}, "channel": {"name": "rest"}},
                   headers=assistant_headers())
    assert res.status_code == 200, res.text
    return dict(res.json())


def test_language_precedence() -> None:
    assert nlg.pick_language({}) == "nl"
    assert nlg.pick_language({"client_language": "ti"}) == "ti"
    assert nlg.pick_language({"client_language": "ti", "detected_language": "ar"}) == "ar"
    assert nlg.pick_language({"language": "en", "detected_language": "ar", "client_language": "ti"}) == "en"
    assert nlg.pick_language({"language": "xx"}) == "nl"  # unknown codes are ignored


def test_renders_in_each_language_with_placeholders(api: TestClient) -> None:
    seen = set()
    for lang in ("nl", "ar", "ti", "fa", "ps", "so", "tr", "en"):
        body = _render(api, "utter_absence_recorded", {"detected_language": lang}, for_date="2026-11-24")
        assert body["custom"] == {"key": "utter_absence_recorded", "language": lang}
        assert "{" not in body["text"]
        seen.add(body["text"])
    assert len(seen) == 8  # really eight different texts
    nl = _render(api, "utter_absence_recorded", for_date="2026-11-24")["text"]
    assert "dinsdag 24 november" in nl
    tr = _render(api, "utter_absence_recorded", {"language": "tr"}, for_date="2026-11-24")["text"]
    assert "24 Kasım Salı" in tr or "Salı" in tr


def test_nested_keys_lists_and_times(api: TestClient) -> None:
    text = _render(api, "utter_ontzorgen_active", {"language": "en"}, items=["@utter_item_rent", "@utter_item_water"],
                   end_date="2027-03-01", run_by="Kredietbank")["text"]
    assert "rent" in text.lower() and "water" in text.lower() and "Kredietbank" in text
    text = _render(api, "utter_lesson_item", kind="@utter_kind_taalles", start_date="2026-11-24T08:00:00+00:00",
                   start_time="2026-11-24T08:00:00+00:00", end_time="2026-11-24T11:00:00+00:00", address="X")["text"]
    assert "09:00" in text and "12:00" in text  # UTC shown in Amsterdam time
    assert text.startswith("Taalles")


def test_unknown_key_and_bad_bodies(api: TestClient) -> None:
    assert _render(api, "utter_does_not_exist")["text"] is None
    for body in ({}, {"tracker": "x"}, {"tracker": {"slots": []}, "arguments": 5}, {"response": 12}):
        assert api.post("/nlg", json=body, headers=assistant_headers()).status_code == 200
    assert api.post("/nlg", json={"response": "utter_greet"}).status_code == 401
