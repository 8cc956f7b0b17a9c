"""Load benchmark of the WhatsApp path, open loop.

Starts the whole stack with scripts/run.sh (embedded defaults, local Twilio stand-in) on free ports,
then simulates WhatsApp users in multi-turn conversations (distinct numbers, a few seconds between
their messages) posting webhooks signed as Twilio signs them, at a fixed offered rate: messages go out
on schedule whether or not earlier ones were answered, so a slow server cannot hide behind slow clients.

Per rate: webhook response time, time from webhook to the first reply reaching the Twilio stand-in
(p50/p95/p99), lost and duplicated replies. The same schedule against Rasa's REST channel (same model,
same actions; the reply comes in the HTTP response) is the baseline; it exists in the embedded stack only
(production replicas have no unsigned channel). Run with the API environment:

    python bench/load.py --rates 5 15 30 --seconds 40 --json var/bench-load.json

With --replicas 1 2 the same runs go through the production topology instead (scripts/topology.sh:
nginx in front of that many Rasa replicas, PostgreSQL tracker store, Redis lock store, API on
PostgreSQL), one topology after the other, each on fresh databases, in production mode with secrets
made for the run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

REPO = Path(__file__).resolve().parents[1]
AUTH_TOKEN = "demo-twilio-auth-token"  # the embedded stand-in's (development mode)
SERVICE_TOKEN = "bench-service-token"
SCRIPT = ["hallo", "1", "wat is KNM", "3", "wanneer is mijn les morgen", "dank je"]
PAUSE = (2.0, 5.0)  # seconds a person takes between messages


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Stack:
    proc: subprocess.Popen
    api: str
    rasa: str
    standin: str
    databases: list[str] = field(default_factory=list)
    run_dir: Path | None = None  # the supervisors' pid files (scripts/supervise.sh)
    service_token: str = SERVICE_TOKEN
    twilio_token: str = AUTH_TOKEN
    rest: bool = True  # Rasa's REST channel (embedded stack only)

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=60)
        for name in self.databases:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc",
                            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=False)


def start_stack(extra_env: dict[str, str] | None = None) -> Stack:
    ports = {k: _port() for k in ("API_PORT", "ACTIONS_PORT", "RASA_PORT", "STANDIN_PORT")}
    run_dir = Path(tempfile.mkdtemp())
    db = run_dir / "bench.db"
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "API_DATABASE_URL": f"sqlite:///{db}",
           "API_SERVICE_TOKEN": SERVICE_TOKEN, "RUN_DIR": str(run_dir),
           "RASA_EVENTS_DB_FILE": str(run_dir / "rasa-events.db"),
           "RASA_TRACKER_DB_FILE": str(run_dir / "rasa-tracker.db"), **(extra_env or {})}
    env.pop("TWILIO_ACCOUNT_SID", None)
    proc = subprocess.Popen(["scripts/run.sh"], cwd=REPO, env=env, stdout=(run_dir / "stack.log").open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    stack = Stack(proc, f"http://127.0.0.1:{ports['API_PORT']}", f"http://127.0.0.1:{ports['RASA_PORT']}",
                  f"http://127.0.0.1:{ports['STANDIN_PORT']}", run_dir=run_dir)
    for _ in range(900):
        try:
            if httpx.get(f"{stack.rasa}/", timeout=2).is_success and httpx.get(f"{stack.api}/ready").is_success \
                    and httpx.get(f"{stack.standin}/health").is_success:
                time.sleep(3)
                return stack
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError("stack did not start")


def start_topology(replicas: int, extra_env: dict[str, str] | None = None) -> Stack:
    suffix = uuid.uuid4().hex[:6]
    ports = {k: _port() for k in ("TOPO_PORT", "API_PORT", "ACTIONS_PORT", "STANDIN_PORT")}
    run_dir = Path(tempfile.mkdtemp())
    service_token, twilio_token = secrets.token_hex(32), secrets.token_hex(16)  # production mode wants real ones
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "API_SERVICE_TOKEN": service_token,
           "STANDIN_AUTH_TOKEN": twilio_token, "RASA_PORTS": " ".join(str(_port()) for _ in range(replicas)),
           "TOPO_RUN": str(run_dir),
           "TOPO_DB": f"inb_bench_{suffix}", "RASA_TRACKER_DB": f"rasa_tracker_{suffix}",
           "RASA_EVENTS_DB": f"rasa_events_{suffix}", "REDIS_DB": "9", **(extra_env or {})}
    for var in ("TWILIO_ACCOUNT_SID", "API_DATABASE_URL", "DATABASE_URL", "API_ENVIRONMENT", "RASA_AUTH_TOKEN"):
        env.pop(var, None)
    log = run_dir / "topology.log"
    proc = subprocess.Popen(["scripts/topology.sh"], cwd=REPO, env=env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    front = f"http://127.0.0.1:{ports['TOPO_PORT']}"
    stack = Stack(proc, f"http://127.0.0.1:{ports['API_PORT']}", front, f"http://127.0.0.1:{ports['STANDIN_PORT']}",
                  databases=[env["TOPO_DB"], env["RASA_TRACKER_DB"], env["RASA_EVENTS_DB"]],
                  service_token=service_token, twilio_token=twilio_token, rest=False, run_dir=run_dir)
    for _ in range(900):
        if "The topology is up" in log.read_text():
            time.sleep(3)
            return stack
        if proc.poll() is not None:
            break
        time.sleep(1)
    raise RuntimeError("topology did not start: " + log.read_text()[-2000:])


@dataclass
class Sent:
    phone: str
    sid: str
    at: float
    webhook_ms: float = 0.0
    status: int = 0


@dataclass
class Run:
    sent: list[Sent] = field(default_factory=list)


def schedule(rate: float, seconds: float, rng: random.Random) -> list[tuple[float, str, str]]:
    """(when, phone, text): new users start so that the messages add up to `rate` per second."""
    per_user = len(SCRIPT)
    users = max(1, int(rate * seconds / per_user))
    plan = []
    for _ in range(users):
        phone = f"+316{rng.randint(30000000, 39999999)}"
        start = rng.uniform(0, seconds - sum(PAUSE) / 2 * (per_user - 1))
        at = max(0.0, start)
        for text in SCRIPT:
            plan.append((at, phone, text))
            at += rng.uniform(*PAUSE)
    return sorted(plan)


async def whatsapp_run(stack: Stack, plan: list[tuple[float, str, str]]) -> Run:
    url = f"{stack.rasa}/webhooks/whatsapp/webhook"
    validator = RequestValidator(stack.twilio_token)
    run = Run()
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=500)) as client:
        begin = time.monotonic()

        async def fire(offset: float, phone: str, text: str) -> None:
            await asyncio.sleep(max(0.0, begin + offset - time.monotonic()))
            form = {"MessageSid": "SM" + secrets.token_hex(16), "AccountSid": "AC" + "0" * 32,
                    "From": f"whatsapp:{phone}", "To": "whatsapp:+3197010000000", "Body": text, "NumMedia": "0"}
            sent = Sent(phone, form["MessageSid"], time.time())
            run.sent.append(sent)
            t0 = time.perf_counter()
            try:
                res = await client.post(url, data=form,
                                        headers={"X-Twilio-Signature": validator.compute_signature(url, form)})
                sent.status = res.status_code
            except httpx.HTTPError:
                sent.status = 0  # counted as an HTTP error; Twilio would retry it
            sent.webhook_ms = 1000 * (time.perf_counter() - t0)

        await asyncio.gather(*(fire(*item) for item in plan))
    return run


def drain(stack: Stack, staff: dict[str, str], phones: set[str], seconds: float = 120) -> None:
    """Wait until every stored message was processed and every reply left the outbox (read from the
    message log: the recovery sweep's endpoint would count as a run of each message)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        busy = False
        for phone in phones:
            log = httpx.get(f"{stack.api}/api/v1/whatsapp/messages", params={"phone": phone}, headers=staff,
                            timeout=30).json()
            if any(m["status"] in ("received", "queued", "sending") for m in log):
                busy = True
                break
        if not busy:
            break
        time.sleep(1)
    time.sleep(3)


def whatsapp_results(stack: Stack, run: Run) -> dict:
    """Pair each message with its replies (the API log's idempotency keys are "<MessageSid>:<n>") and
    the moment the stand-in received them."""
    login = httpx.post(f"{stack.api}/api/v1/auth/login",
                       json={"email": "admin@regio.example", "password": "demo-wachtwoord"}).json()
    staff = {"Authorization": f"Bearer {login['access_token']}"}
    drain(stack, staff, {s.phone for s in run.sent})
    standin = httpx.get(f"{stack.standin}/_standin/messages").json()
    arrived = {m["sid"]: m["received_at"] for m in standin}
    latencies: list[float] = []
    lost = duplicated = 0
    for phone in {s.phone for s in run.sent}:
        log = httpx.get(f"{stack.api}/api/v1/whatsapp/messages", params={"phone": phone}, headers=staff).json()
        outbound = [m for m in log if m["direction"] == "outbound" and m["message_sid"]]
        duplicated += max(0, sum(1 for m in standin if m["to"] == f"whatsapp:{phone}") - len(outbound))
        for s in (s for s in run.sent if s.phone == phone):
            times = [arrived[m["message_sid"]] for m in outbound
                     if (m["idempotency_key"] or "").startswith(f"{s.sid}:") and m["message_sid"] in arrived]
            if times:
                latencies.append(1000 * (min(times) - s.at))
            else:
                lost += 1
    return summarise(latencies, [s.webhook_ms for s in run.sent], lost, duplicated,
                     sum(1 for s in run.sent if s.status != 200))


def summarise(latencies: list[float], webhook: list[float], lost: int, duplicated: int, errors: int) -> dict:
    def pct(values: list[float], p: float) -> float:
        values = sorted(values)
        return round(values[min(len(values) - 1, int(p * len(values)))], 1) if values else float("nan")

    return {"messages": len(webhook), "p50_ms": pct(latencies, 0.5), "p95_ms": pct(latencies, 0.95),
            "p99_ms": pct(latencies, 0.99), "webhook_p50_ms": pct(webhook, 0.5), "webhook_p95_ms": pct(webhook, 0.95),
            "lost": lost, "duplicated": duplicated, "http_errors": errors}


async def rest_run(stack: Stack, plan: list[tuple[float, str, str]]) -> dict:
    """The same schedule on Rasa's REST channel: the reply is in the response."""
    latencies, errors = [], 0
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=500)) as client:
        begin = time.monotonic()

        async def fire(offset: float, phone: str, text: str) -> None:
            nonlocal errors
            await asyncio.sleep(max(0.0, begin + offset - time.monotonic()))
            t0 = time.perf_counter()
            try:
                res = await client.post(f"{stack.rasa}/webhooks/rest/webhook",
                                        json={"sender": "rest" + phone, "message": text})
                ok = res.status_code == 200 and bool(res.json())
            except httpx.HTTPError:
                ok = False
            latencies.append(1000 * (time.perf_counter() - t0))
            errors += not ok

        await asyncio.gather(*(fire(*item) for item in plan))
    return summarise(latencies, latencies, 0, 0, errors)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", type=float, nargs="+", default=[5, 15, 30])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--search", type=float, nargs="*", default=[45, 60, 80],
                        help="higher rates to try for the highest one with p95 under 500 ms")
    parser.add_argument("--json")
    parser.add_argument("--replicas", type=int, nargs="*", default=[],
                        help="run through the production topology with this many Rasa replicas (e.g. 1 2)")
    args = parser.parse_args()
    if not args.replicas:
        results = run_all(start_stack(), args)
    else:
        results = {}
        for replicas in args.replicas:
            print(f"--- {replicas} replica(s) behind nginx", flush=True)  # noqa: T201
            results[f"{replicas}_replicas"] = run_all(start_topology(replicas), args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


def run_all(stack: Stack, args: argparse.Namespace) -> dict:
    results: dict = {"whatsapp": {}, "rest": {}}
    try:
        for rate in [*args.rates, *args.search]:
            plan = schedule(rate, args.seconds, random.Random(int(rate)))
            httpx.delete(f"{stack.standin}/_standin/messages")
            run = asyncio.run(whatsapp_run(stack, plan))
            results["whatsapp"][rate] = whatsapp_results(stack, run)
            results["rest"][rate] = asyncio.run(rest_run(stack, plan)) if stack.rest else {}
            w, r = results["whatsapp"][rate], results["rest"][rate] or {"p50_ms": "-", "p95_ms": "-"}
            print(f"{rate:>5} msg/s  whatsapp p50/p95/p99 {w['p50_ms']}/{w['p95_ms']}/{w['p99_ms']} ms, "  # noqa: T201
                  f"webhook p95 {w['webhook_p95_ms']} ms, lost {w['lost']}, dup {w['duplicated']}  |  "
                  f"rest p50/p95 {r['p50_ms']}/{r['p95_ms']} ms", flush=True)
            if rate in args.search and w["p95_ms"] > 500:
                break
    finally:
        stack.stop()
    ok = [rate for rate, w in results["whatsapp"].items() if w["p95_ms"] <= 500 and not w["lost"]]
    results["highest_rate_p95_under_500ms"] = max(ok) if ok else None
    return results


if __name__ == "__main__":
    main()
