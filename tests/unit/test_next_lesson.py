"""'When is my lesson?' answers with the next lesson that has not ended: not one that ended earlier today
(issue 18). The action runs in the bot's environment against a small API that keeps the real one's
contract for GET /me/lessons (lessons that overlap [start, end))."""

import json

from test_safety_model import in_bot_env

HARNESS = """
import asyncio, json, os, threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

now = datetime.now(ZoneInfo("Europe/Amsterdam"))
midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
ended = {"id": 1, "kind": "taal", "starts_at": midnight.isoformat(), "cancelled": False, "address": "Stadhuis",
         "ends_at": max(midnight + timedelta(seconds=1), now - timedelta(seconds=10)).isoformat()}
tomorrow = midnight + timedelta(days=1, hours=9)
later = {"id": 2, "kind": "taal", "starts_at": tomorrow.isoformat(), "cancelled": False, "address": "Stadhuis",
         "ends_at": (tomorrow + timedelta(hours=2)).isoformat()}

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/api/v1/assistant/me":
            body = {"id": 1, "first_name": "Amal", "preferred_language": "nl", "bilingual": False}
        else:
            q = parse_qs(url.query)
            start, end = datetime.fromisoformat(q["start"][0]), datetime.fromisoformat(q["end"][0])
            data = [x for x in (ended, later) if datetime.fromisoformat(x["ends_at"]) > start
                    and datetime.fromisoformat(x["starts_at"]) < end]
            body = {"data": data, "count": len(data), "start": q["start"][0], "end": q["end"][0]}
        raw = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(raw)
    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
os.environ["ACTIONS_API_URL"] = f"http://127.0.0.1:{server.server_port}"
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from actions.lessons import ActionLessons
message = {"text": "wanneer is mijn les?", "intent": {"name": "ask_lessons"}}
tracker = Tracker("whatsapp:+31612345678", {"consent": True}, message, [], False, None, {}, None)
dispatcher = CollectingDispatcher()
asyncio.run(ActionLessons().run(dispatcher, tracker, {}))
print(json.dumps([[m.get("response"), m.get("start_date")] for m in dispatcher.messages]))
"""


def test_the_next_lesson_is_one_that_has_not_ended() -> None:
    out = in_bot_env("import os\nos.environ['API_ENVIRONMENT'] = 'test'\n" + HARNESS)
    said = json.loads(out.strip().splitlines()[-1])
    lessons = [start for key, start in said if key == "utter_lesson_item"]
    assert len(lessons) == 1 and "T09:00:00" in lessons[0]  # tomorrow's, not the one that ended just now
