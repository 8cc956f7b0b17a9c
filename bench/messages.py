"""WhatsApp messages per turn: how many messages a person gets for one message, over the conversation tests'
script (tests/bot/conversations.yml) in all eight languages, sent over the signed webhook to the embedded
stack. Each message is billed and WhatsApp limits how fast one person may be sent messages, so the goal is
one message per turn where the replies fit in 1,600 characters.

Reports, per language and overall, the median and maximum of messages per turn, of replies per turn (what
the turn sent as separate messages before replies were joined: one message each), and the longest message.

    python bench/messages.py --json var/bench-messages.json     (API environment, about 5 minutes)
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
from pathlib import Path

import httpx
import yaml
from twilio.request_validator import RequestValidator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import REPO, drain, start_stack

LANGUAGES = ["nl", "ar", "ti", "fa", "ps", "so", "tr", "en"]  # demo client i speaks LANGUAGES[i - 1]
# A hand-off pauses the assistant and a safety message opens one: these come last.
LAST = ("report_absence", "request_reschedule", "legal_matter", "money_emergency", "distress", "request_human")


def script(language: str) -> list[str]:
    topics = yaml.safe_load((REPO / "tests" / "bot" / "conversations.yml").read_text(encoding="utf-8"))[language]
    middle = sorted(t for t in topics if t not in LAST and t != "greet" and "{" not in topics[t])  # no templates
    return [topics["greet"], "1", *(topics[t] for t in middle), "2", topics["request_human"]]


def converse(stack, staff: dict[str, str], phone: str, texts: list[str]) -> list[dict]:  # type: ignore[no-untyped-def]
    url = f"{stack.rasa}/webhooks/whatsapp/webhook"
    turns = []
    for text in texts:
        form = {"MessageSid": "SM" + secrets.token_hex(16), "AccountSid": "AC" + "0" * 32,
                "From": f"whatsapp:{phone}", "To": "whatsapp:+3197010000000", "Body": text, "NumMedia": "0"}
        signature = RequestValidator(stack.twilio_token).compute_signature(url, form)
        assert httpx.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=30).status_code == 200
        drain(stack, staff, {phone}, seconds=60)
        log = httpx.get(f"{stack.api}/api/v1/whatsapp/messages", params={"phone": phone}, headers=staff,
                        timeout=30).json()
        sent = [m for m in log if m["direction"] == "outbound"
                and (m["idempotency_key"] or "").split(":")[0] == form["MessageSid"]]
        turns.append({"text": text, "messages": len(sent),
                      "replies": sum(len((m["response_key"] or "").split()) for m in sent),
                      "longest": max((len(m["body"]) for m in sent), default=0)})
    return turns


def summary(turns: list[dict]) -> dict:  # type: ignore[type-arg]
    answered = [t for t in turns if t["messages"]]
    return {"turns": len(answered),
            "messages_median": statistics.median(t["messages"] for t in answered),
            "messages_max": max(t["messages"] for t in answered),
            "replies_median": statistics.median(t["replies"] for t in answered),
            "replies_max": max(t["replies"] for t in answered),
            "longest_message": max(t["longest"] for t in answered)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    stack = start_stack()
    try:
        login = httpx.post(f"{stack.api}/api/v1/auth/login",
                           json={"email": "admin@regio.example", "password": "demo-wachtwoord"}).json()
        staff = {"Authorization": f"Bearer {login['access_token']}"}
        results, everything = {}, []
        for index, language in enumerate(LANGUAGES, start=1):  # demo clients 1-8: verified, one per language
            turns = converse(stack, staff, f"+3161000{index:04d}", script(language))
            everything += turns
            results[language] = summary(turns)
        results["all"] = summary(everything)
    finally:
        stack.stop()
    print("| language | turns answered | messages per turn: median / max | replies per turn: median / max "  # noqa: T201
          "| longest message (characters) |\n|---|---|---|---|---|")
    for language, r in results.items():
        print(f"| {language} | {r['turns']} | {r['messages_median']} / {r['messages_max']} | "  # noqa: T201
              f"{r['replies_median']} / {r['replies_max']} | {r['longest_message']} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
