"""The question beside a safety part: how often does the assistant answer it, and how often does it answer
something nobody asked? Over the safety sets' tune part (tests/safety/<lang>.yml: two-part messages, and the
other safety messages), with the trained model (the newest in the model cache), two ways:

- whole message (as `actions/safety.py` does now): the best information intent of the whole message's ranking,
  by its share of what the safety and decision intents leave;
- per part: every sentence parsed on its own; sentences the safety layer fires on are skipped, the best
  information intent of the others counts by its own confidence.

Bot environment, repository root:  python bench/questions.py
"""

from __future__ import annotations

import asyncio
import glob
import os
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from actions.safety import ANSWERABLE, NOT_QUESTIONS  # noqa: E402
from bot.safety_model import sentences  # noqa: E402

THRESHOLDS = (0.3, 0.4, 0.45, 0.5, 0.6)


def whole(parse: dict) -> float:  # type: ignore[type-arg]
    ranking = (parse.get("safety") or {}).get("ranking") or []
    guesses = [(g["name"], float(g["confidence"] or 0)) for g in ranking]
    left = max(1.0 - sum(c for name, c in guesses if name in NOT_QUESTIONS), 1e-6)
    return max((c / left for name, c in guesses if name in ANSWERABLE), default=0.0)


async def main() -> None:
    from rasa.core.agent import Agent

    model = max(glob.glob(os.path.expanduser("~/.cache/inburgering/models/*.tar.gz")), key=os.path.getmtime)
    agent = Agent.load(model)
    rows: list[tuple[bool, float, float]] = []  # two-part?, whole-message score, per-part score
    for path in sorted((REPO / "tests" / "safety").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["tune"]:
            if item["class"] == "none":
                continue
            split = sentences(item["text"])
            best = 0.0
            for sentence in split if len(split) > 1 else []:
                parse = await agent.parse_message(sentence)
                if not parse.get("safety"):
                    best = max([best, *(g["confidence"] for g in parse["intent_ranking"] if g["name"] in ANSWERABLE)])
            rows.append((item["kind"] == "two_part", whole(await agent.parse_message(item["text"])), best))
    two, other = sum(r[0] for r in rows), sum(not r[0] for r in rows)
    print(f"model {Path(model).name}: {two} two-part, {other} other safety messages")  # noqa: T201
    print("| needed | whole message: two-part answered / others given an answer | per part |")  # noqa: T201
    for t in THRESHOLDS:
        w = (sum(r[0] and r[1] >= t for r in rows), sum(not r[0] and r[1] >= t for r in rows))
        p = (sum(r[0] and r[2] >= t for r in rows), sum(not r[0] and r[2] >= t for r in rows))
        print(f"| {t} | {w[0]} / {w[1]} | {p[0]} / {p[1]} |")  # noqa: T201


if __name__ == "__main__":
    asyncio.run(main())
