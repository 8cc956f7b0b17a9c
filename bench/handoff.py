"""Hand-off latency on a running stack (make run, demo data, Twilio stand-in):
  visible: client's "I want a person" webhook -> the hand-off is listed for staff;
  reply:   consultant submits a reply in the inbox -> the message is at the Twilio stand-in.

  python bench/handoff.py --clients 8      (ports of make run; changes the demo data: hand-offs are opened
                                            and closed for demo clients 39-49)
"""

import argparse
import re
import secrets
import statistics
import time

import httpx
from twilio.request_validator import RequestValidator

VERIFIED = [39, 41, 42, 43, 45, 46, 47, 49]  # demo clients with a paired phone that no bench step reuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", default="http://127.0.0.1:8000")
    parser.add_argument("--rasa", default="http://127.0.0.1:5005")
    parser.add_argument("--standin", default="http://127.0.0.1:8090")
    parser.add_argument("--twilio-token", default="demo-twilio-auth-token")
    parser.add_argument("--password", default="demo-wachtwoord")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    webhook = f"{args.rasa}/webhooks/whatsapp/webhook"
    validator = RequestValidator(args.twilio_token)
    admin = httpx.post(f"{args.api}/api/v1/auth/login", json={"email": "admin@regio.example",
                                                               "password": args.password}).json()["access_token"]
    staff = httpx.Client(base_url=f"{args.api}/api/v1", headers={"Authorization": f"Bearer {admin}"}, timeout=30)

    def say(phone: str, body: str) -> None:
        data = {"MessageSid": "SM" + secrets.token_hex(16), "AccountSid": "ACdemo0000000000000000000000000000",
                "From": f"whatsapp:{phone}", "To": "whatsapp:+3197010000000", "Body": body, "NumMedia": "0"}
        httpx.post(webhook, data=data, headers={"X-Twilio-Signature": validator.compute_signature(webhook, data)},
                   timeout=10).raise_for_status()

    def received(phone: str) -> list[dict]:  # type: ignore[type-arg]
        return list(httpx.get(f"{args.standin}/_standin/messages", params={"to": f"whatsapp:{phone}"}).json())

    def wait(check, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise SystemExit("timed out")
            time.sleep(0.01)

    visible, reply = [], []
    clients = {c["whatsapp"]: c for c in staff.get("/clients", params={"limit": 500}).json()["data"]}
    for index in VERIFIED[: args.clients]:
        phone = f"+3161000{index:04d}"
        consultant = staff.get(f"/staff/{clients[phone]['consultant_id']}").json()
        say(phone, "hallo")
        wait(lambda p=phone: len(received(p)) >= 2)
        say(phone, "1")
        wait(lambda p=phone: len(received(p)) >= 4)
        start = time.monotonic()
        say(phone, "ik wil een mens spreken")
        wait(lambda p=phone: any(h["phone"] == p for h in staff.get("/handoffs", params={"status": "open"}).json()))
        visible.append(time.monotonic() - start)
        handoff = next(h for h in staff.get("/handoffs", params={"status": "open"}).json() if h["phone"] == phone)
        page = httpx.Client(base_url=args.api, timeout=30)
        page.post("/login", data={"email": consultant["email"], "password": args.password})
        csrf = re.search(r'name="csrf" value="(\w+)"', page.get(f"/inbox/{handoff['id']}").text).group(1)  # type: ignore[union-attr]
        text = f"Ik bel u zo. ({secrets.token_hex(3)})"
        start = time.monotonic()
        page.post(f"/inbox/{handoff['id']}/reply", data={"csrf": csrf, "text": text, "key": secrets.token_hex(6)})
        wait(lambda p=phone, t=text: any(m["body"] == t for m in received(p)))
        reply.append(time.monotonic() - start)
        page.post(f"/inbox/{handoff['id']}/close", data={"csrf": csrf, "outcome": "answered"})

    for name, values in (("request -> visible in inbox", visible), ("reply -> at Twilio", reply)):
        ms = sorted(v * 1000 for v in values)
        print(f"{name}: n={len(ms)} p50 {statistics.median(ms):.0f} ms, max {ms[-1]:.0f} ms")  # noqa: T201


if __name__ == "__main__":
    main()
