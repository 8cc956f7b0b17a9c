"""NLU benchmark on the held-out set (tests/nlu_heldout/<lang>.yml, written apart from the training data).

Per language: intent accuracy and macro-F1 (intents as the assistant uses them: shortcuts and the
fallback included), out-of-scope recall; the model's size. Run with the bot environment:

    python bench/nlu.py MODEL.tar.gz [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rasa.core.agent import Agent  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402


def heldout() -> dict[str, list[tuple[str, str]]]:
    sets = {}
    for path in sorted((REPO / "tests" / "nlu_heldout").glob("*.yml")):
        data = load_data(str(path))
        sets[path.stem] = [(m.get("text"), m.get("intent")) for m in data.intent_examples]
    return sets


async def evaluate(model: str) -> dict:
    agent = Agent.load(model)
    results: dict = {"model": model, "model_mb": round(Path(model).stat().st_size / 1e6, 1), "languages": {}}
    latencies = []
    for lang, examples in heldout().items():
        truth, predicted = [], []
        confusions: dict = defaultdict(int)
        for text, intent in examples:
            start = time.perf_counter()
            parsed = await agent.parse_message(text)
            latencies.append(time.perf_counter() - start)
            guess = parsed["intent"]["name"]
            truth.append(intent)
            predicted.append(guess)
            if guess != intent:
                confusions[f"{intent}->{guess}"] += 1
        oos = [p == "out_of_scope" for t, p in zip(truth, predicted, strict=True) if t == "out_of_scope"]
        results["languages"][lang] = {
            "examples": len(truth),
            "accuracy": round(accuracy_score(truth, predicted), 3),
            "macro_f1": round(f1_score(truth, predicted, average="macro", labels=sorted(set(truth))), 3),
            "out_of_scope_recall": round(sum(oos) / len(oos), 3) if oos else None,
            "top_confusions": sorted(confusions.items(), key=lambda kv: -kv[1])[:5],
        }
    latencies.sort()
    results["parse_ms_in_process"] = {"p50": round(1000 * latencies[len(latencies) // 2], 1),
                                      "p95": round(1000 * latencies[int(len(latencies) * 0.95)], 1)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    results = asyncio.run(evaluate(args.model))
    for lang, r in results["languages"].items():
        print(f"{lang}: accuracy {r['accuracy']:.3f}  macro-F1 {r['macro_f1']:.3f}  "  # noqa: T201
              f"out-of-scope recall {r['out_of_scope_recall']}  confusions {r['top_confusions'][:3]}")
    print(f"model {results['model_mb']} MB, parse p50/p95 {results['parse_ms_in_process']} ms")  # noqa: T201
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
