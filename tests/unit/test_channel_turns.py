"""The WhatsApp channel's output (bot/channels/whatsapp.py) queues a turn's replies only once the turn has
run, in order, each with its key and the NLG's metadata: a turn that fails half-way queues nothing, so the
re-run answers it whole. It runs in the bot's environment (Rasa), with a message log that records."""

import json

from test_safety_model import in_bot_env

HARNESS = """
import asyncio, json
from bot.channels.whatsapp import WhatsAppOutput

class Log:
    def __init__(self):
        self.sent = []
    async def send(self, phone, body, key, meta=None, turn=None):
        self.sent.append([body, key, (meta or {}).get("key"), turn[0]])

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
    assert got["whole"]["sent"] == [["tekst 0", "SMturn0000000001:1", "utter_greet", "SMturn0000000001"],
                                    ["tekst 1", "SMturn0000000001:2", "utter_privacy_notice", "SMturn0000000001"],
                                    ["tekst 2", "SMturn0000000001:3", "utter_menu", "SMturn0000000001"]]
    assert got["half"]["sent"] == []  # failed half-way: no half answer stands in the way of the re-run


def test_the_dutch_notice_opens_only_the_first_reply_of_a_turn() -> None:
    out = in_bot_env("""
import os, asyncio, json
os.environ['API_ENVIRONMENT'] = 'test'
from bot.channels.whatsapp import WhatsAppOutput

class Log:
    def __init__(self):
        self.sent = []
    async def send(self, phone, body, key, meta=None, turn=None):
        self.sent.append(body)

async def turn():
    log = Log()
    out = WhatsAppOutput(log, "SMturn0000000002")
    notice = "Nog niet nagekeken: hieronder het Nederlands."
    for key, text, meta in [("utter_greet", "Hallo!", {}),
                            ("utter_a", notice + "\\n\\nEerste.", {"notice": notice}),
                            ("utter_b", notice + "\\n\\nTweede.", {"notice": notice}),
                            ("utter_c", "Derde.", {})]:
        await out.send_text_message("+31612345678", text)
        await out.send_custom_json("+31612345678", {"key": key, **meta})
    await out.flush()
    return log.sent

print(json.dumps(asyncio.run(turn())))
""")
    sent = json.loads(out.strip().splitlines()[-1])
    assert sent == ["Hallo!", "Nog niet nagekeken: hieronder het Nederlands.\n\nEerste.", "Tweede.", "Derde."]
