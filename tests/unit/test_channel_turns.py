"""The WhatsApp channel's output (bot/channels/whatsapp.py) queues a turn's replies only once the turn has
run, in order, together in one request with the NLG's metadata (the API joins them into one WhatsApp message
where they fit: tests/api/test_whatsapp_log.py): a turn that fails half-way queues nothing, so the re-run
answers it whole. It runs in the bot's environment (Rasa), with a message log that records."""

import json

from test_safety_model import in_bot_env

HARNESS = """
import asyncio, json
from bot.channels.whatsapp import WhatsAppOutput

class Log:
    def __init__(self):
        self.sent = []
    async def send_turn(self, phone, turn, replies):
        self.sent.append([phone, turn[0], [[body, (meta or {}).get("key")] for body, meta in replies]])

async def turn(fail_after):
    log = Log()
    out = WhatsAppOutput(log, "SMturn0000000001")
    seen = []
    try:
        for n, key in enumerate(["utter_greet", "utter_privacy_notice", "utter_menu"]):
            if n == fail_after:
                raise RuntimeError("the NLG went away")
            await out.send_text_message("+31612345678", f"tekst {n}")
            await out.send_custom_json("+31612345678", {"key": key})
            seen.append(len(log.sent))
        await out.flush()
    except RuntimeError:
        pass
    return {"during": seen, "sent": log.sent}

print(json.dumps({"whole": asyncio.run(turn(None)), "half": asyncio.run(turn(2))}))
"""


def test_a_turns_replies_are_queued_together_after_it_ran() -> None:
    out = in_bot_env("import os\nos.environ['API_ENVIRONMENT'] = 'test'\n" + HARNESS)
    got = json.loads(out.strip().splitlines()[-1])
    assert got["whole"]["during"] == [0, 0, 0]  # nothing while the turn runs
    assert got["whole"]["sent"] == [["+31612345678", "SMturn0000000001", [
        ["tekst 0", "utter_greet"], ["tekst 1", "utter_privacy_notice"], ["tekst 2", "utter_menu"]]]]  # one request
    assert got["half"]["sent"] == []  # failed half-way: no half answer stands in the way of the re-run
