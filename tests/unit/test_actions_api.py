"""The actions against an API that answers badly (actions/api.py): an HTML 502 from nginx, a plain-text 500,
an HTML page with status 200, an unexpected 4xx. The person gets "service unavailable", never a crash, a
half answer built from an error body, or "recorded" for something that was not; a hand-off that could not
be recorded still gives the emergency numbers and the way to the gemeente, and does not pause.
The actions need rasa_sdk, which only the bot's environment has: they run there, against a small HTTP
server that plays the API."""

import json

import pytest
from test_safety_model import in_bot_env

HARNESS = """
import asyncio, json, os, threading
from http.server import BaseHTTPRequestHandler, HTTPServer
ROUTES = json.loads(os.environ["ROUTES"])

class Handler(BaseHTTPRequestHandler):
    def answer(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, ctype, body = ROUTES.get(self.command + " " + self.path.split("?")[0],
                                         [404, "application/json", '{"detail": "not found"}'])
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.end_headers()
        self.wfile.write(body.encode())
    do_GET = do_POST = answer
    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
os.environ["ACTIONS_API_URL"] = f"http://127.0.0.1:{server.server_port}"
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from actions.handoff import ActionHandoff
from actions.lessons import ActionReportAbsence
from actions.route import ActionRoute
ACTIONS = {"route": ActionRoute(), "absence": ActionReportAbsence(), "handoff": ActionHandoff()}
slots = {"consent": True, **json.loads(os.environ["SLOTS"])}
message = json.loads(os.environ["MESSAGE"])
tracker = Tracker("whatsapp:+31612345678", slots, message, [{"event": "user", "text": message.get("text", "")}],
                  False, None, {}, None)
dispatcher = CollectingDispatcher()
events = asyncio.run(ACTIONS[os.environ["ACTION"]].run(dispatcher, tracker, {}))
print(json.dumps({"keys": [m.get("response") for m in dispatcher.messages],
                  "events": [e.get("event") for e in events],
                  "contact": [m["contact"] for m in dispatcher.messages if "contact" in m]}))
"""
ME = [200, "application/json", json.dumps({"id": 1, "first_name": "Amal", "preferred_language": "nl",
                                             "bilingual": False, "gemeente": "Lochem"})]
ROUTE = [200, "application/json", json.dumps({"leerroute": "b1", "modules": [], "termijn_end": None,
                                                "days_left": None})]
BAD = {
    "HTML 502 from nginx": [502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"],
    "plain-text 500": [500, "text/plain", "Internal Server Error"],
    "HTML page with 200": [200, "text/html", "<html><body>Sign in</body></html>"],
    "unexpected 404": [404, "application/json", '{"detail": "Not Found"}'],
}


def act(action: str, routes: dict[str, list], slots: dict | None = None,  # type: ignore[type-arg]
        message: dict | None = None) -> dict:  # type: ignore[type-arg]
    code = f"import os\nos.environ.update({{'ROUTES': {json.dumps(json.dumps(routes))}, "
    code += f"'SLOTS': {json.dumps(json.dumps(slots or {}))}, 'MESSAGE': {json.dumps(json.dumps(message or {}))}, "
    code += f"'ACTION': {action!r}, 'API_ENVIRONMENT': 'test'}})\n" + HARNESS
    return dict(json.loads(in_bot_env(code).strip().splitlines()[-1]))


def test_a_good_answer_is_used() -> None:
    got = act("route", {"GET /api/v1/assistant/me": ME, "GET /api/v1/assistant/me/route": ROUTE})
    assert got["keys"][0] == "utter_route_b1" and "utter_service_unavailable" not in got["keys"]


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_answer_is_service_unavailable(bad: str) -> None:
    got = act("route", {"GET /api/v1/assistant/me": ME, "GET /api/v1/assistant/me/route": BAD[bad]})
    assert got["keys"] == ["utter_service_unavailable"]
    if bad != "unexpected 404":  # /me itself answering badly: the same, not "please verify"
        got = act("route", {"GET /api/v1/assistant/me": BAD[bad]})
        assert got["keys"] == ["utter_service_unavailable"]


def test_an_absence_the_api_refused_is_not_reported_as_recorded() -> None:
    routes = {"GET /api/v1/assistant/me": ME,
              "GET /api/v1/assistant/me/lessons": [200, "application/json", '{"data": []}'],
              "POST /api/v1/assistant/me/absences": [422, "application/json", '{"detail": "invalid"}']}
    slots = {"pending_menu": "absence_reason", "absence_date": "2026-12-07"}
    message = {"text": "1", "intent": {"name": "menu_choice"}, "entities": [{"entity": "number", "value": "1"}]}
    got = act("absence", routes, slots, message)
    assert got["keys"] == ["utter_service_unavailable"]
    routes["POST /api/v1/assistant/me/absences"] = [201, "application/json", '{"id": 1}']
    assert act("absence", routes, slots, message)["keys"][0] == "utter_absence_recorded"


@pytest.mark.parametrize("bad", ["HTML 502 from nginx", "plain-text 500"])
def test_a_hand_off_the_api_could_not_record_still_gives_the_emergency_numbers(bad: str) -> None:
    message = {"text": "ik wil niet meer leven", "intent": {"name": "distress"}}
    got = act("handoff", {"POST /api/v1/assistant/handoffs": BAD[bad]}, message=message)
    assert "utter_handoff_distress" in got["keys"] and got["keys"][-1] == "utter_contact_general"
    assert "pause" not in got["events"] and "utter_service_unavailable" not in got["keys"]


@pytest.mark.parametrize("pauses", [True, False])
def test_the_assistant_pauses_only_when_the_api_says_the_hand_off_pauses_it(pauses: bool) -> None:
    """The API holds the rule (a correction or payment note does not pause); the action follows it."""
    opened = {"id": 3, "client_id": 1, "phone": "+31612345678", "gemeente_id": 1, "trigger": "request_human",
              "topic": "request_human", "urgency": "normal", "language": "nl", "status": "open",
              "outside_hours": False, "emergency_numbers": None, "pauses_assistant": pauses}
    got = act("handoff", {"POST /api/v1/assistant/handoffs": [201, "application/json", json.dumps(opened)]},
              message={"text": "ik wil een mens spreken", "intent": {"name": "request_human"}})
    assert got["keys"] == ["utter_handoff"]
    assert ("pause" in got["events"]) is pauses


def test_the_gemeentes_emergency_numbers_go_out_with_translatable_labels() -> None:
    """An urgent hand-off: each number the API returns is said with its label's message key (rendered in the
    person's language by the NLG), never a free Dutch text."""
    opened = {"id": 3, "client_id": 1, "phone": "+31612345678", "gemeente_id": 1, "trigger": "distress",
              "topic": "distress", "urgency": "urgent", "language": "ar", "status": "open", "outside_hours": False,
              "emergency_numbers": [{"kind": "gp_post", "number": "035 000 0001"}], "pauses_assistant": True}
    got = act("handoff", {"POST /api/v1/assistant/handoffs": [201, "application/json", json.dumps(opened)]},
              message={"text": "ik kan niet meer", "intent": {"name": "distress"}})
    assert got["keys"] == ["utter_handoff_distress", "utter_handoff_emergency"]
    assert got["contact"] == [[{"label": "@utter_emergency_gp_post", "value": "035 000 0001"}]]


LOST_CONNECTION = """
import asyncio, json, os
os.environ.update({"ACTIONS_API_URL": "http://127.0.0.1:%d" % 0, "API_ENVIRONMENT": "test"})
ANSWER = b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: 2\\r\\n\\r\\n{}"
served = []

async def handle(reader, writer):
    # Answers the first request of a connection and keeps it open; a second request on it finds the
    # connection closed as it arrives (what a server does when its keep-alive time runs out at that moment).
    for count in (1, 2):
        head = await reader.readuntil(b"\\r\\n\\r\\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\\r\\n")
                       if line.lower().startswith(b"content-length")), 0)
        await reader.readexactly(length)
        if count == 2:
            break
        served.append(head.split(b" ")[0].decode())
        writer.write(ANSWER)
        await writer.drain()
    writer.close()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    os.environ["ACTIONS_API_URL"] = "http://127.0.0.1:%d" % server.sockets[0].getsockname()[1]
    from actions import api
    got = []
    for method in ("GET", "GET", "POST", "POST"):
        try:
            got.append((method, (await api.call(method, "/me", json={} if method == "POST" else None))[0]))
        except api.ApiUnavailable:
            got.append((method, "unavailable"))
    print(json.dumps({"got": got, "served": served}))

asyncio.run(main())
"""


def test_a_read_on_a_connection_closed_under_it_is_tried_again_and_a_write_is_not() -> None:
    """A kept-alive connection the API closes as the next request arrives: the read is asked again on a new
    connection (the person gets the answer, not "service unavailable"); a write is not sent twice."""
    out = json.loads(in_bot_env(LOST_CONNECTION).strip().splitlines()[-1])
    # The second GET and the first POST each arrive as the second request on a kept-alive connection.
    assert out["got"] == [["GET", 200], ["GET", 200], ["POST", "unavailable"], ["POST", 200]], out
    assert out["served"] == ["GET", "GET", "POST"], out  # the lost write was not sent again
