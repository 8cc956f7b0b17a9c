"""A new session (a new conversation, one Rasa lost, or after a day of silence) keeps the conversation's slots
but takes the consent from the API, which keeps it with the notice's version (issue 18): asked once, and
again for a new version of the notice."""

import json

from test_safety_model import in_bot_env

HARNESS = """
import asyncio, json, os, threading
from http.server import BaseHTTPRequestHandler, HTTPServer
os.environ['API_ENVIRONMENT'] = 'test'

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        raw = json.dumps({{"state": {state!r}, "current_version": "2026-11"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(raw)
    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
os.environ["ACTIONS_API_URL"] = f"http://127.0.0.1:{{server.server_port}}"
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from actions.core import ActionSessionStart

tracker = Tracker("+31612345678", {{"consent": True, "language": "ar", "verified": True, "pending_menu": None}},
                  {{}}, [], False, None, {{}}, "action_listen")
print(json.dumps(asyncio.run(ActionSessionStart().run(CollectingDispatcher(), tracker, {{}}))))
"""


def session_start(state: str) -> tuple[list[dict], dict]:  # type: ignore[type-arg]
    events = json.loads(in_bot_env(HARNESS.format(state=state)).strip().splitlines()[-1])
    return events, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_a_new_session_keeps_the_slots_and_takes_the_consent_from_the_api() -> None:
    events, slots = session_start("given")
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"
    assert slots == {"language": "ar", "verified": True, "consent": True}
    assert session_start("withdrawn")[1]["consent"] is False
    # Never answered, or answered for an older notice: no consent, so the notice is asked (again).
    assert "consent" not in session_start("outdated")[1]
    assert "consent" not in session_start("unknown")[1]
