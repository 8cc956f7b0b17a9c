"""The safety detector's matching rules (bot/safety.py) on a small lexicon of its own, and the shape of
the real lexicons (bot/safety_lexicons/), which reviewers edit as data."""

from pathlib import Path

import pytest
import yaml

from bot.safety import CLASSES, LEVELS, LEXICONS, detect, lexicons

LEXICON = {
    "language": "xx",
    "sure": {"distress": ["wil dood", "zelfmoord"], "money": ["huur* achterstand", "afgesloten"],
             "legal": ["*boete"], "violence": ["slaat mij"]},
    "ask": {"distress": ["geen zin meer"], "legal": ["brief gemeente"]},
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "xx.yml").write_text(yaml.safe_dump(LEXICON, allow_unicode=True), encoding="utf-8")
    lexicons.cache_clear()
    yield tmp_path
    lexicons.cache_clear()


def classes(text: str, folder: Path) -> dict[str, str]:
    return {h.safety_class: h.level for h in detect(text, folder)}


def test_words_in_order_with_a_gap(folder: Path) -> None:
    assert classes("ik wil echt heel graag dood", folder) == {"distress": "sure"}  # three words between
    assert classes("ik wil echt heel erg graag dood", folder) == {}  # four: too far apart
    assert classes("dood wil ik niet", folder) == {}  # order matters


def test_wildcards_take_endings_and_beginnings(folder: Path) -> None:
    assert classes("ik heb een huurachterstand achterstand", folder)["money"] == "sure"
    assert classes("een verkeersboete van de politie", folder) == {"legal": "sure"}
    assert classes("boetes", folder) == {}  # no "*" at the end: no ending


def test_normal_form_case_marks_and_punctuation(folder: Path) -> None:
    assert classes("ZELF\u200bMOORD!!!", folder) == {"distress": "sure"}
    assert classes("de stroom is afgesloten.", folder) == {"money": "sure"}


def test_every_part_of_a_message_and_sure_before_ask(folder: Path) -> None:
    hits = detect("Wanneer is mijn les? Mijn man slaat mij. En ik heb geen zin meer", folder)
    assert [(h.safety_class, h.level) for h in hits] == [("violence", "sure"), ("distress", "ask")]
    assert hits[0].words == "slaat mij" and hits[0].language == "xx"
    assert classes("brief van de gemeente, en een boete", folder) == {"legal": "sure"}


def test_harmless_and_empty(folder: Path) -> None:
    assert detect("ik ben ziek vandaag, ik kom niet naar de les", folder) == []
    assert detect("", folder) == [] and detect("🙂🙂", folder) == []


def test_the_lexicons_are_well_formed() -> None:
    lexicons.cache_clear()
    files = sorted(LEXICONS.glob("*.yml"))
    assert files, "no safety lexicons"
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["language"] == path.stem
        assert set(data) <= {"language", *LEVELS}, path
        for level in LEVELS:
            assert set(data.get(level) or {}) <= set(CLASSES), (path, level)
            for cls, entries in (data.get(level) or {}).items():
                assert all(isinstance(e, str) and e.strip("* ") for e in entries or []), (path, level, cls)
    sure = lexicons()
    assert all(sure[lang]["sure"][cls] for lang in sure for cls in CLASSES), "every class needs entries"


def test_routes_match_the_rules() -> None:
    """actions.routes (a clarification's answer, the question beside a safety hand-off) runs the action
    data/rules gives the intent; every question the safety layer answers has a route."""
    import ast

    from actions.routes import ROUTES

    source = (Path(__file__).resolve().parents[2] / "actions" / "safety.py").read_text(encoding="utf-8")
    answerable = next(ast.literal_eval(node.value) for node in ast.walk(ast.parse(source))
                      if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "ANSWERABLE")
    rules = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "rules" / "assistant.yml")
                           .read_text(encoding="utf-8"))["rules"]
    by_intent = {r["steps"][0]["intent"]: r["steps"][1]["action"] for r in rules}
    assert {intent: by_intent.get(intent) for intent in ROUTES} == ROUTES
    assert answerable and set(answerable) <= set(ROUTES)


def test_the_classifier_counts_only_with_its_own_top_guess() -> None:
    guess = [{"name": "money_emergency", "confidence": 0.6}, {"name": "ask_lessons", "confidence": 0.3}]
    assert [(h.safety_class, h.level) for h in detect("", ranking=guess)] == [("money", "sure")]
    lower = [{"name": "ask_lessons", "confidence": 0.6}, {"name": "distress", "confidence": 0.3}]
    overruled = [{"name": "nlu_fallback", "confidence": 0.25}, {"name": "distress", "confidence": 0.4}]
    weak = [{"name": "distress", "confidence": 0.2}]
    assert detect("", ranking=lower) == detect("", ranking=overruled) == detect("", ranking=weak) == []


def test_reviewers_changes_are_laid_over_the_files(folder: Path) -> None:
    """Phrases added on the review pages fire, taken-out ones do not, later changes win (bot.safety.effective)."""
    from bot.safety import Change

    added = Change("xx", "sure", "money", "rode envelop")
    assert classes("ik kreeg een rode envelop", folder) == {}
    assert {h.safety_class: h.level for h in detect("ik kreeg een rode envelop", folder, changes=(added,))} == \
        {"money": "sure"}
    gone = Change("xx", "sure", "distress", "WIL  dood", removed=True)  # compared in the normal form
    assert {h.safety_class for h in detect("ik wil dood", folder, changes=(gone,))} == set()
    back = Change("xx", "sure", "distress", "wil dood")
    assert {h.safety_class for h in detect("ik wil dood", folder, changes=(gone, back))} == {"distress"}
    new_language = Change("yy", "ask", "violence", "bang thuis")
    assert {h.language for h in detect("ik ben bang thuis", folder, changes=(new_language,))} == {"yy"}
    nonsense = Change("xx", "later", "money", "rode envelop")  # unknown level: ignored, not a crash
    assert classes("rode envelop", folder) == {} and detect("rode envelop", folder, changes=(nonsense,)) == []


def test_the_replicas_fetch_the_changes_in_the_background() -> None:
    """bot.safety_changes: a message never waits for the API; the last good list survives an outage."""
    import json
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from bot.safety import Change
    from bot.safety_changes import PATH, RemoteChanges

    state: dict[str, object] = {"up": True, "calls": 0, "phrase": "rode envelop"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state["calls"] = int(state["calls"]) + 1  # type: ignore[call-overload]
            ok = state["up"] and self.path == PATH and self.headers["Authorization"] == "Bearer t0ken"
            body = json.dumps({"changes": [{"language": "nl", "level": "sure", "safety_class": "money",
                                            "phrase": state["phrase"], "removed": False}]}).encode()
            self.send_response(200 if ok else 503)
            self.end_headers()
            self.wfile.write(body if ok else b"<html>502</html>")

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        remote = RemoteChanges(f"http://127.0.0.1:{server.server_port}/", "t0ken", every=0.2)
        wanted = (Change("nl", "sure", "money", "rode envelop"),)
        assert remote.current() == ()  # not started: the files alone
        assert remote.start().current() == wanted  # the first fetch before the first message
        state["up"] = False
        calls = state["calls"]
        time.sleep(1)  # no message comes in: it keeps looking all the same
        assert int(state["calls"]) >= int(calls) + 3  # type: ignore[call-overload]
        assert remote.current() == wanted  # the last good list survives
        state.update(up=True, phrase="blauwe envelop")  # a reviewer's next change
        time.sleep(0.6)
        assert remote.current() == (Change("nl", "sure", "money", "blauwe envelop"),)
        assert RemoteChanges(None, "", 1).start().current() == ()  # no API configured (training, the benchmark)
    finally:
        remote.stop()
        server.shutdown()
