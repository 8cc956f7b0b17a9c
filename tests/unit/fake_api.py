"""Run one action in the bot's environment against a small HTTP server that plays the API: `answer` is the
source of a function `answer(path: str, query: dict) -> dict` (the JSON body for a GET). Returns what the
action said: each message's response key and arguments."""

import json
import textwrap

from test_safety_model import in_bot_env

# A small API on a free port, answering every GET with answer(path, query); ACTIONS_API_URL points at it.
SERVER = """
import asyncio, json, os, threading
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo
{answer}

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        raw = json.dumps(answer(url.path, parse_qs(url.query))).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(raw)
    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
os.environ["ACTIONS_API_URL"] = f"http://127.0.0.1:{{server.server_port}}"
"""
PLUMBING = SERVER + """
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from {module} import {action}
message = json.loads({message!r})
tracker = Tracker("whatsapp:+31612345678", {{"consent": True}}, message, [], False, None, {{}}, None)
dispatcher = CollectingDispatcher()
asyncio.run({action}().run(dispatcher, tracker, {{}}))
print(json.dumps(dispatcher.messages))
"""
ME = {"id": 1, "first_name": "Amal", "preferred_language": "nl", "bilingual": False}


def act(action: str, answer: str, message: dict, env: dict[str, str] | None = None) -> list[dict]:  # type: ignore[type-arg]
    module, name = action.rsplit(".", 1)
    setup = f"import os\nos.environ.update({{'API_ENVIRONMENT': 'test', **{env or {}!r}}})\n"
    code = setup + PLUMBING.format(answer=textwrap.dedent(answer), module=module, action=name,
                                   message=json.dumps(message))
    return list(json.loads(in_bot_env(code).strip().splitlines()[-1]))
