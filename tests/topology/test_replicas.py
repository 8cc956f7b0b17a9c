"""Two Rasa replicas behind nginx, sharing a PostgreSQL tracker store and a Redis lock store: order,
exactly-once, a replica killed mid-conversation, PostgreSQL restarted; events reach the API's side through
the SQL event broker; every service reports health and metrics."""

import json
import os
import re
import secrets
import signal
import subprocess
import time
from pathlib import Path

import httpx
import yaml
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from conftest import PG_ADMIN_URL, RASA_TOKEN, TWILIO_TOKEN, Topology

REPO = Path(__file__).resolve().parents[2]
NL = yaml.safe_load((REPO / "tests" / "bot" / "conversations.yml").read_text(encoding="utf-8"))["nl"]
SIGNER = RequestValidator(TWILIO_TOKEN)


def phone(index: int) -> str:
    return f"+3161000{index:04d}"


def post(topo: Topology, sender: str, body: str, target: str | None = None, sid: str | None = None) -> str:
    """A webhook signed for the public URL (nginx), posted to nginx or straight to one replica."""
    sid = sid or "SM" + secrets.token_hex(16)
    data = {"MessageSid": sid, "AccountSid": "ACdemo0000000000000000000000000000", "From": f"whatsapp:{sender}",
            "To": "whatsapp:+3197010000000", "Body": body, "NumMedia": "0"}
    url = f"{target}/webhooks/whatsapp/webhook" if target else topo.webhook
    res = httpx.post(url, data=data, headers={"X-Twilio-Signature": SIGNER.compute_signature(topo.webhook, data)},
                     timeout=15)
    assert res.status_code == 200, res.text
    return sid


def received(topo: Topology, sender: str) -> list[dict]:  # type: ignore[type-arg]
    return list(httpx.get(f"{topo.standin}/_standin/messages", params={"to": f"whatsapp:{sender}"}).json())


def settle(topo: Topology, sender: str, at_least: int, seconds: float = 3.0, timeout: float = 90) -> list[dict]:  # type: ignore[type-arg]
    deadline, last, still = time.monotonic() + timeout, -1, time.monotonic()
    while True:
        now = len(received(topo, sender))
        if now != last:
            last, still = now, time.monotonic()
        if now >= at_least and time.monotonic() - still >= seconds:
            return received(topo, sender)
        assert time.monotonic() < deadline, f"expected {at_least} replies, got {received(topo, sender)}"
        time.sleep(0.1)


def start(topo: Topology, sender: str) -> int:
    post(topo, sender, NL["greet"])
    settle(topo, sender, 1)  # one message per turn
    post(topo, sender, "1")  # consent
    return len(settle(topo, sender, 2))


def tracker(topo: Topology, sender: str) -> dict:  # type: ignore[type-arg]
    return dict(httpx.get(f"{topo.internal}/conversations/{sender}/tracker", params={"token": RASA_TOKEN},
                          timeout=30).json())


GROUPS = [("ask_lessons", ("utter_lesson_item", "utter_lessons_none")), ("ask_contact_person", ("utter_contact",)),
          ("ask_route", ("utter_route_",)), ("bot_challenge", ("utter_bot_challenge",)),
          ("out_of_scope", ("utter_out_of_scope",))]


def test_quick_messages_on_different_replicas_are_answered_in_order_once(topology: Topology) -> None:
    sender = phone(41)  # verified, Dutch
    before = start(topology, sender)
    sids = [post(topology, sender, NL[topic], target=topology.replicas[i % 2]) for i, (topic, _) in enumerate(GROUPS)]

    def answered() -> tuple[list[str], list[int]]:
        keys = [k for m in topology.staff("/whatsapp/messages", phone=sender).json()
                if m["direction"] == "outbound" for k in (m["response_key"] or "").split()]
        return keys, [next(i for i, (_, prefixes) in enumerate(GROUPS) if k.startswith(prefixes)) for k in keys
                      if any(k.startswith(p) for _, prefixes in GROUPS for p in prefixes)]

    # A loaded machine may answer late; late is not lost. Lost is no answer after a long wait, and says so.
    start_wait, deadline = time.monotonic(), time.monotonic() + 90
    while sorted(set(answered()[1])) != list(range(len(GROUPS))):
        keys, order = answered()
        missing = [GROUPS[i][0] for i in range(len(GROUPS)) if i not in order]
        assert time.monotonic() < deadline, f"lost: no reply to {missing} after 90 s; replies: {keys}"
        time.sleep(0.2)
    waited = time.monotonic() - start_wait
    settle(topology, sender, before + len(GROUPS), seconds=3)  # a duplicate would come now
    keys, order = answered()
    assert sorted(set(order)) == list(range(len(GROUPS))), (keys, f"{waited:.1f} s")  # every message answered
    assert order == sorted(order), keys  # ... in the order sent, though two replicas handled them
    user_events = [e for e in tracker(topology, sender)["events"] if e["event"] == "user"]
    assert [e["message_id"] for e in user_events if e.get("message_id") in sids] == sids  # each once, in order


def test_events_reach_the_event_broker_table(topology: Topology) -> None:
    sender = phone(42)
    start(topology, sender)
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + topology.dbs["RASA_EVENTS_DB"]
    engine = create_engine(url)
    with engine.connect() as conn:
        kinds = conn.execute(text("SELECT data::json->>'event' FROM events WHERE sender_id = :s"),
                             {"s": sender}).scalars().all()
    engine.dispose()
    assert "user" in kinds and "bot" in kinds
    # The API's statistics read the same table (PostgreSQL's JSON operators).
    stats = httpx.get(f"{topology.api}/api/v1/stats", headers=topology.admin).json()
    assert stats["events_available"] is True and stats["messages_in"] >= 2 and stats["people"] >= 1


def test_health_and_metrics_everywhere(topology: Topology) -> None:
    assert httpx.get(f"{topology.api}/ready").json() == {"status": "ready"}
    for replica in topology.replicas:
        assert httpx.get(f"{replica}/status", params={"token": RASA_TOKEN}).status_code == 200
        metrics = httpx.get(f"{replica}/webhooks/whatsapp/metrics").text
        assert "whatsapp_webhooks_total" in metrics and "whatsapp_turn_seconds_bucket" in metrics
    metrics = httpx.get(f"{topology.api}/metrics").text  # the API's, on the internal network
    for name in ("whatsapp_messages_total", "handoffs_open", "whatsapp_send_failures_total",
                 "http_request_duration_seconds_bucket"):
        assert name in metrics, name
    assert "+316" not in metrics  # no numbers in metrics
    # Nothing tries to leave the machine: Rasa's telemetry and its Sentry error reports are off.
    log = (topology.run_dir / "topology.log").read_text()
    assert "sentry.io" not in log and "telemetry" not in log.lower()


def test_logs_are_json_lines_naming_the_service_without_numbers(topology: Topology) -> None:
    sender = phone(44)
    for replica in topology.replicas:  # a forged webhook: each replica logs a warning about it
        data = {"MessageSid": "SM" + secrets.token_hex(16), "From": f"whatsapp:{sender}", "Body": "hallo"}
        res = httpx.post(f"{replica}/webhooks/whatsapp/webhook", data=data, headers={"X-Twilio-Signature": "forged"})
        assert res.status_code == 403
    entries = []
    text_record = re.compile(r"^(INFO|WARNING|ERROR):|^\d{4}-\d\d-\d\d [\d:]{8} (DEBUG|INFO|WARNING|ERROR)")
    for line in (topology.run_dir / "topology.log").read_text().splitlines():
        assert not text_record.match(line), line  # uvicorn's and Rasa's text formats are replaced
        if line.startswith("{"):
            entry = json.loads(line)  # every structured line is whole JSON
            assert {"time", "level", "logger", "message", "service"} <= entry.keys(), entry
            entries.append(entry)
    services = {e["service"] for e in entries}
    ports = [r.rsplit(":", 1)[1] for r in topology.replicas]
    assert {"api", *(f"rasa-{p}" for p in ports)} <= services, services
    rejected = [e for e in entries if "signature" in e["message"] and e["level"] == "WARNING"]
    assert {e["service"] for e in rejected} >= {f"rasa-{p}" for p in ports}
    assert not any(sender[1:] in json.dumps(e) for e in entries)


def test_a_phrase_added_on_the_review_page_reaches_every_replica(topology: Topology) -> None:
    """A reviewer's new lexicon phrase counts on every replica within seconds, without a retrain or restart."""
    message = "kijk, de blauwe tram rijdt weer"  # nothing reads this as a safety case (checked first)

    def safety_case(replica: str) -> bool:
        parsed = httpx.post(f"{replica}/model/parse", params={"token": RASA_TOKEN}, json={"text": message},
                            timeout=30).json()
        return bool(parsed["intent"]["name"] == "safety_case")

    assert not any(safety_case(r) for r in topology.replicas)
    with httpx.Client(base_url=topology.api, headers={"Origin": topology.api}, timeout=30) as page:
        assert page.post("/login", data={"email": "admin@regio.example", "password": "demo-wachtwoord"}
                         ).status_code in (200, 303)
        token = re.search(r'name="csrf" value="(\w+)"', page.get("/review/nl/safety").text)
        assert token is not None
        added = page.post("/review/nl/safety/add", data={"csrf": token[1], "level": "sure", "safety_class": "money",
                                                         "phrase": "blauwe tram rijdt"})
        assert added.status_code in (200, 303), added.text[:300]
    deadline = time.monotonic() + 30  # each replica fetches the changes every 5 s (SAFETY_LEXICON_REFRESH)
    while not all(safety_case(r) for r in topology.replicas):
        assert time.monotonic() < deadline, "a replica did not pick up the new phrase in 30 s"
        time.sleep(0.5)
    for index, sender in enumerate((phone(49), phone(50))):  # verified demo clients; one per replica
        start(topology, sender)
        post(topology, sender, message, target=topology.replicas[index])
        deadline = time.monotonic() + 60
        while not (opened := [h for h in topology.staff("/handoffs").json() if h["phone"] == sender]):
            assert time.monotonic() < deadline, f"no hand-off from replica {index}"
            time.sleep(0.3)
        assert (opened[0]["safety_class"], opened[0]["safety_words"]) == ("money", "blauwe tram rijdt")


def test_postgres_restart_recovers_without_manual_steps(topology: Topology) -> None:
    sender = phone(43)
    before = start(topology, sender)
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    # Only this machine's PostgreSQL can be restarted; the suite's other databases come back with it.
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
    post(topology, sender, NL["bot_challenge"])
    got = settle(topology, sender, before + 1, timeout=120)
    assert len(got) == before + 1
    assert httpx.get(f"{topology.api}/ready").status_code == 200


def test_killed_replica_the_other_answers_and_a_retry_is_answered_once(topology: Topology) -> None:
    sender = phone(45)
    before = start(topology, sender)
    os.kill(topology.replica_pid(0), signal.SIGKILL)
    time.sleep(0.5)
    for _ in range(4):  # round robin would have sent half of these to the dead replica
        post(topology, sender, NL["bot_challenge"])
    got = settle(topology, sender, before + 4)
    assert len(got) == before + 4
    sid = "SM" + secrets.token_hex(16)
    post(topology, sender, NL["out_of_scope"], sid=sid)
    post(topology, sender, NL["out_of_scope"], sid=sid)  # Twilio's retry after a timeout
    got = settle(topology, sender, before + 5)
    assert len(got) == before + 5  # out_of_scope answers with one message (two replies), once
    assert "\n\n" in got[-1]["body"]
    assert [e["message_id"] for e in tracker(topology, sender)["events"] if e["event"] == "user"].count(sid) == 1
