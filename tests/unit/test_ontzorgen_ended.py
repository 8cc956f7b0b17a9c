"""'Has my rent been paid?' after the ontzorgen arrangement ended: the person hears that it stopped (and
that they pay themselves now), not "I see no payment yet" (issue 18). In the bot's environment, against a
small API with the real one's answer shape."""

import json

from test_safety_model import in_bot_env

HARNESS = """
import asyncio, json, os, threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
ENDS = os.environ["ENDS"]

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/api/v1/assistant/me/ontzorgen"):
            body = {"active": date.fromisoformat(ENDS) > date.today(), "eligible": True, "start_date": "2025-01-01",
                    "ends": ENDS, "run_by": "gemeente", "items": [{"kind": "rent"}], "recent_payments": []}
        else:
            body = {"id": 1, "first_name": "Amal", "preferred_language": "nl", "bilingual": False}
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
from actions.ontzorgen import ActionPaymentStatus
message = {"text": "is mijn huur betaald?", "intent": {"name": "ask_payment_status"}}
tracker = Tracker("whatsapp:+31612345678", {"consent": True}, message, [], False, None, {}, None)
dispatcher = CollectingDispatcher()
asyncio.run(ActionPaymentStatus().run(dispatcher, tracker, {}))
print(json.dumps([m.get("response") for m in dispatcher.messages]))
"""


def said(ends: str) -> list[str]:
    out = in_bot_env(f"import os\nos.environ.update({{'API_ENVIRONMENT': 'test', 'ENDS': {ends!r}}})\n" + HARNESS)
    return list(json.loads(out.strip().splitlines()[-1]))


def test_an_ended_arrangement_is_said_to_have_ended() -> None:
    assert said("2025-06-30") == ["utter_ontzorgen_ended"]
    assert said("2099-06-30") == ["utter_payment_unknown"]  # running, nothing paid yet this month
