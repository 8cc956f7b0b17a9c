"""Fault run of the WhatsApp path: does every reply reach the person once, in order, while parts crash?

Starts the embedded stack (scripts/run.sh) and/or the production topology (scripts/topology.sh, two Rasa
replicas), both with their parts supervised (scripts/supervise.sh restarts what dies, as docker-compose's
restart policy does). Many numbers then talk to the assistant as in bench/load.py (a script of messages,
a few seconds apart), while on a fixed timeline the run
  - kills -9 the API (its sender dies mid-send, its database work mid-transaction),
  - kills -9 a Rasa replica (the embedded stack's only one) mid-turn,
  - makes the Twilio stand-in answer every send with 503 for a minute,
  - restarts PostgreSQL (topology only: the embedded stack has SQLite).
Webhooks are posted as Twilio posts them, retried like Twilio's connection overrides (#rc=5&rp=ct,5xx:
five retries on a refused connection, a timeout or a 5xx, then Twilio gives up and logs error 11200).

Then it waits until nothing is left to do and counts, per stack: messages sent, accepted (a webhook got
200), refused (Twilio gave up: the message never reached us), replies expected (what the accepted messages
get when nothing fails, measured on a new number afterwards) and delivered, lost (accepted, but no reply
ever reached the phone), short (a turn answered with fewer replies than expected), duplicated (a reply
delivered more than once), out of order (a reply delivered after a reply to a later message of the same
person), handed to a person (a turn that kept failing: the person got an apology, a consultant the
message), and how often a supervisor started a part again.

    python bench/chaos.py --stacks embedded topology --json var/bench-chaos.json
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import SCRIPT, Stack, drain, schedule, start_stack, start_topology

RETRY_AFTER = [0.5, 1, 2, 4, 8]  # Twilio's connection overrides: at most five retries, about 15 s in all


async def post_like_twilio(client: httpx.AsyncClient, url: str, token: str, form: dict[str, str]) -> int:
    """The webhook with Twilio's retries (the same MessageSid each time); the last status, 0 if none."""
    status = 0
    for pause in [0.0, *RETRY_AFTER]:
        await asyncio.sleep(pause)
        try:
            res = await client.post(url, data=form, headers={
                "X-Twilio-Signature": RequestValidator(token).compute_signature(url, form)})
            status = res.status_code
            if status < 500:
                return status
        except httpx.HTTPError:
            status = 0
    return status


def pid(stack: Stack, name: str) -> int:
    assert stack.run_dir is not None
    return int((stack.run_dir / f"{name}.pid").read_text())


def faults(stack: Stack, topology: bool) -> list[tuple[float, str, object]]:
    """(seconds into the run, what, how): spread over the conversations."""
    rasa = "rasa-" + sorted(p.name[5:-4] for p in stack.run_dir.glob("rasa-*.pid"))[0] if topology else "rasa"  # type: ignore[union-attr]

    def kill(name: str) -> None:
        os.kill(pid(stack, name), signal.SIGKILL)

    def outage() -> None:
        httpx.post(f"{stack.standin}/_standin/fail", json={"status": 503, "seconds": 60})

    def restart_postgres() -> None:
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)

    plan: list[tuple[float, str, object]] = [
        (12, "kill -9 the API", lambda: kill("api")),
        (35, f"kill -9 {rasa}", lambda: kill(rasa)),
        (60, "Twilio answers 503 for 60 s", outage),
    ]
    if topology:
        plan.append((95, "restart PostgreSQL", restart_postgres))
    return plan


async def conversations(stack: Stack, plan: list[tuple[float, str, str]],
                        events: list[tuple[float, str, object]]) -> list[dict]:  # type: ignore[type-arg]
    url = f"{stack.rasa}/webhooks/whatsapp/webhook"
    sent: list[dict] = []  # type: ignore[type-arg]
    async with httpx.AsyncClient(timeout=15, limits=httpx.Limits(max_connections=200)) as client:
        begin = time.monotonic()

        async def person(phone: str, messages: list[tuple[float, str]]) -> None:
            for offset, text in messages:  # one person waits for their own webhook before the next message
                await asyncio.sleep(max(0.0, begin + offset - time.monotonic()))
                form = {"MessageSid": "SM" + secrets.token_hex(16), "AccountSid": "AC" + "0" * 32,
                        "From": f"whatsapp:{phone}", "To": "whatsapp:+3197010000000", "Body": text,
                        "NumMedia": "0"}
                record = {"phone": phone, "sid": form["MessageSid"], "text": text, "status": 0}
                sent.append(record)
                record["status"] = await post_like_twilio(client, url, stack.twilio_token, form)

        async def fault(at: float, what: str, act: object) -> None:
            await asyncio.sleep(max(0.0, begin + at - time.monotonic()))
            print(f"  {time.monotonic() - begin:5.1f} s  {what}", flush=True)  # noqa: T201
            await asyncio.to_thread(act)  # type: ignore[arg-type]

        people: dict[str, list[tuple[float, str]]] = {}
        for offset, phone, text in plan:
            people.setdefault(phone, []).append((offset, text))
        await asyncio.gather(*(person(p, m) for p, m in people.items()), *(fault(*e) for e in events))
    return sent


def replies_per_turn(stack: Stack, staff: dict[str, str], phone: str) -> dict[str, int]:
    """Inbound MessageSid -> replies delivered for it (from the API's log and the stand-in)."""
    log = httpx.get(f"{stack.api}/api/v1/whatsapp/messages", params={"phone": phone}, headers=staff,
                    timeout=30).json()
    delivered = {m["sid"] for m in httpx.get(f"{stack.standin}/_standin/messages", params={"to": f"whatsapp:{phone}"},
                                             timeout=30).json()}
    return dict(Counter((m["idempotency_key"] or "").split(":")[0] for m in log
                        if m["direction"] == "outbound" and m["message_sid"] in delivered))


def control(stack: Stack, staff: dict[str, str]) -> list[int]:
    """Replies per message of the script, for a new number, with nothing failing: what every person of the
    run should have got (they are all new numbers)."""
    phone, url = f"+316{random.randint(40000000, 49999999)}", f"{stack.rasa}/webhooks/whatsapp/webhook"
    counts = []
    for text in SCRIPT:
        form = {"MessageSid": "SM" + secrets.token_hex(16), "AccountSid": "AC" + "0" * 32,
                "From": f"whatsapp:{phone}", "To": "whatsapp:+3197010000000", "Body": text, "NumMedia": "0"}
        assert asyncio.run(_post_once(url, stack.twilio_token, form)) == 200
        drain(stack, staff, {phone}, seconds=60)
        counts.append(replies_per_turn(stack, staff, phone).get(form["MessageSid"], 0))
    return counts


async def _post_once(url: str, token: str, form: dict[str, str]) -> int:
    async with httpx.AsyncClient(timeout=15) as client:
        return await post_like_twilio(client, url, token, form)


def restarts(stack: Stack) -> int:
    """How often a supervisor started a part again (scripts/supervise.sh logs it)."""
    logs = list(stack.run_dir.glob("*.log")) if stack.run_dir else []
    return sum(path.read_text(errors="replace").count("starting it again") for path in logs)


def count(stack: Stack, sent: list[dict]) -> dict:  # type: ignore[type-arg]
    login = httpx.post(f"{stack.api}/api/v1/auth/login",
                       json={"email": "admin@regio.example", "password": "demo-wachtwoord"}).json()
    staff = {"Authorization": f"Bearer {login['access_token']}"}
    phones = {s["phone"] for s in sent}
    drain(stack, staff, phones, seconds=600)
    expected = control(stack, staff)
    delivered = httpx.get(f"{stack.standin}/_standin/messages", timeout=30).json()
    accepted = [s for s in sent if s["status"] == 200]
    result = Counter(sent=len(sent), accepted=len(accepted), refused=len(sent) - len(accepted),
                     replies_expected=sum(expected[SCRIPT.index(s["text"])] for s in accepted))
    for phone in phones:
        per_turn = replies_per_turn(stack, staff, phone)
        for s in accepted:
            want = expected[SCRIPT.index(s["text"])]
            if s["phone"] == phone and 0 < per_turn.get(s["sid"], 0) < want:
                result["turns_short"] += 1
                print(f"  short: {s['text']!r} got {per_turn[s['sid']]} of {want} replies", flush=True)  # noqa: T201
    for phone in phones:
        log = httpx.get(f"{stack.api}/api/v1/whatsapp/messages", params={"phone": phone}, headers=staff,
                        timeout=30).json()
        inbound = [m["message_sid"] for m in log if m["direction"] == "inbound"]  # in the order they came
        outbound = [m for m in log if m["direction"] == "outbound"]
        turn_of = {m["message_sid"]: (m["idempotency_key"] or "").split(":")[0] for m in outbound if m["message_sid"]}
        got = [m for m in delivered if m["to"] == f"whatsapp:{phone}"]
        result["delivered"] += len(got)
        # A reply sent twice reaches the phone twice; the log keeps one row for it.
        result["duplicated"] += sum((Counter(m["body"] for m in got)
                                     - Counter(m["body"] for m in outbound if m["message_sid"])).values())
        answered = {turn_of.get(m["sid"]) for m in got}
        result["handed_to_a_person"] += sum(1 for m in log if m["direction"] == "inbound" and m["status"] == "failed")
        result["lost"] += sum(1 for s in accepted if s["phone"] == phone and s["sid"] not in answered
                              and not any(m["message_sid"] == s["sid"] and m["status"] == "failed" for m in log))
        # The turns of the replies, as they reached the phone, follow the order the messages came in.
        order = [inbound.index(turn) for m in got if (turn := turn_of.get(m["sid"])) in inbound]
        result["out_of_order"] += sum(1 for a, b in itertools.pairwise(order) if b < a)
    return dict(result)


def run(kind: str, args: argparse.Namespace) -> dict:  # type: ignore[type-arg]
    print(f"--- {kind}", flush=True)  # noqa: T201
    stack = start_topology(2) if kind == "topology" else start_stack()
    try:
        plan = schedule(args.rate, args.seconds, random.Random(7))
        sent = asyncio.run(conversations(stack, plan, faults(stack, kind == "topology")))
        result = count(stack, sent)
        result["restarts"] = restarts(stack)
    finally:
        stack.stop()
    print("  " + ", ".join(f"{k} {v}" for k, v in result.items()), flush=True)  # noqa: T201
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stacks", nargs="+", default=["embedded", "topology"], choices=["embedded", "topology"])
    parser.add_argument("--rate", type=float, default=2.0, help="messages per second offered")
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--json")
    args = parser.parse_args()
    results = {kind: run(kind, args) for kind in args.stacks}
    results["script"] = SCRIPT  # type: ignore[assignment]
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
