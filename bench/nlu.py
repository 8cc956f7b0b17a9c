"""NLU benchmark: trains each pipeline config, serves the model with the real `rasa run`, and measures
on the held-out sets, written apart from the training data: the first part (tests/nlu_heldout/<lang>.yml)
and the part written after the model was frozen (tests/nlu_heldout/after/<lang>.yml):

- per language and part: intent accuracy, macro-F1, out-of-scope recall (shortcuts and fallback included,
  as the assistant uses them);
- per language and part: right first time and right after one clarification, as the assistant decides
  (the fallback's thresholds in the config, bot.clarify for the options offered), and over the first part
  the same for a grid of thresholds: what chose them (--grid);
- training wall time and peak memory, model size;
- the running server's resident memory and per-message parse latency over HTTP (p50/p95).

Run with the bot environment from the repository root:

    python bench/nlu.py --configs config.yml bench/configs/diet.yml --json var/bench-nlu.json
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import yaml
from sklearn.metrics import accuracy_score, f1_score

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from bot import clarify  # noqa: E402

BIN = Path(sys.executable).parent
_ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")
PARTS = {"first": REPO / "tests" / "nlu_heldout", "after": REPO / "tests" / "nlu_heldout" / "after"}
# The safety layer hands these off (bot.nlu.safety): right when the message was one of them.
SAFETY_INTENTS = ("legal_matter", "money_emergency", "distress")


def fallback_settings(config: str) -> tuple[float, float]:
    """(threshold, ambiguity_threshold) of the config's FallbackClassifier (Rasa's defaults when unset)."""
    pipeline = yaml.safe_load((REPO / config).read_text(encoding="utf-8"))["pipeline"]
    found = next((c for c in pipeline if c["name"] == "FallbackClassifier"), {})
    return float(found.get("threshold", 0.3)), float(found.get("ambiguity_threshold", 0.1))


def outcome(parse: dict, truth: str, threshold: float, ambiguity: float, floor: float) -> tuple[bool, bool]:
    """(right first time, right after one clarification) for a message the server parsed, as the assistant
    would answer it with these thresholds: the classifier's own ranking is in the parse (the fallback only
    puts itself first), so any threshold can be replayed."""
    intent = (parse.get("intent") or {}).get("name")
    if intent == "safety_case":  # a person takes over, whatever the thresholds
        right = truth in SAFETY_INTENTS
        return right, right
    ranking = [g for g in parse.get("intent_ranking") or [] if g.get("name") not in clarify.IGNORED]
    if not ranking:
        return False, False
    top = ranking[0]
    second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
    if top["confidence"] >= threshold and top["confidence"] - second >= ambiguity:
        right = top["name"] == truth
        return right, right
    choices = clarify.options(ranking, floor)
    if choices:
        return False, truth in choices
    right = truth == "out_of_scope"  # "not understood" is the right answer to a question out of scope
    return right, right


def rates(results: list[tuple[str, dict]], threshold: float, ambiguity: float, floor: float) -> tuple[float, float]:
    pairs = [outcome(parse, truth, threshold, ambiguity, floor) for truth, parse in results]
    return (round(sum(a for a, _ in pairs) / len(pairs), 3), round(sum(b for _, b in pairs) / len(pairs), 3))


def grid(parsed: dict[str, list[tuple[str, dict]]]) -> list[dict]:
    """Every combination over the first part: mean and worst language, right first time and after one
    clarification."""
    rows = []
    for threshold in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        for ambiguity in (0.0, 0.05, 0.1, 0.15, 0.2, 0.3):
            for floor in (0.0, 0.05, 0.1, 0.15, 0.2):
                per = {lang: rates(results, threshold, ambiguity, floor) for lang, results in parsed.items()}
                rows.append({"threshold": threshold, "ambiguity": ambiguity, "floor": floor,
                             "first_mean": round(sum(v[0] for v in per.values()) / len(per), 3),
                             "first_worst": min(v[0] for v in per.values()),
                             "after_mean": round(sum(v[1] for v in per.values()) / len(per), 3),
                             "after_worst": min(v[1] for v in per.values())})
    return sorted(rows, key=lambda r: (-r["after_worst"], -r["first_worst"], -r["after_mean"]))


def heldout(folder: Path = PARTS["first"]) -> dict[str, list[tuple[str, str]]]:
    sets = {}
    for path in sorted(folder.glob("*.yml")):
        examples = []
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    examples.append((_ANNOTATION.sub(r"\1", text), block["intent"]))
        sets[path.stem] = examples
    return sets


def train(config: str, out: Path) -> dict:
    start = time.monotonic()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", str(BIN / "rasa"), "train", "--domain", "bot/domain", "--data", "data",
         "--config", config, "--out", str(out), "--fixed-model-name", "bench", "--quiet"],
        cwd=REPO, capture_output=True, text=True, check=True)
    seconds = time.monotonic() - start
    peak_kb = int(re.findall(r"(\d+)\s*$", result.stderr.strip())[-1])
    model = out / "bench.tar.gz"
    return {"model": str(model), "train_seconds": round(seconds, 1), "train_peak_mb": round(peak_kb / 1024),
            "model_mb": round(model.stat().st_size / 1e6, 1)}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as res:
        return dict(json.loads(res.read()))


def serve_and_measure(model: str, config: str) -> dict:
    port = _port()
    proc = subprocess.Popen([str(BIN / "rasa"), "run", "--model", model, "--enable-api", "--port", str(port),
                             "--interface", "127.0.0.1", "--quiet"], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/status", timeout=2)
                break
            except OSError:
                time.sleep(1)
        figures: dict = {"languages": {}, "after": {}}
        latencies: list[float] = []
        threshold, ambiguity = fallback_settings(config)
        parsed_first: dict[str, list[tuple[str, dict]]] = {}
        for part, folder in PARTS.items():
            for lang, examples in heldout(folder).items():
                truth, predicted, parses = [], [], []
                confusions: dict = defaultdict(int)
                for text, intent in examples:
                    start = time.perf_counter()
                    parse = _post(f"{base}/model/parse", {"text": text})
                    latencies.append(time.perf_counter() - start)
                    guess = parse["intent"]["name"]
                    truth.append(intent)
                    predicted.append(guess)
                    parses.append((intent, parse))
                    if guess != intent:
                        confusions[f"{intent}->{guess}"] += 1
                oos = [p == "out_of_scope" for t, p in zip(truth, predicted, strict=True) if t == "out_of_scope"]
                first, after = rates(parses, threshold, ambiguity, clarify.FLOOR)
                figures["languages" if part == "first" else "after"][lang] = {
                    "examples": len(truth),
                    "accuracy": round(accuracy_score(truth, predicted), 3),
                    "macro_f1": round(f1_score(truth, predicted, average="macro", labels=sorted(set(truth))), 3),
                    "out_of_scope_recall": round(sum(oos) / len(oos), 3) if oos else None,
                    "right_first_time": first,
                    "right_after_clarification": after,
                    "top_confusions": sorted(confusions.items(), key=lambda kv: -kv[1])[:4],
                }
                if part == "first":
                    parsed_first[lang] = parses
        figures["grid"] = grid(parsed_first)
        latencies.sort()
        figures["parse_ms_p50"] = round(1000 * latencies[len(latencies) // 2], 1)
        figures["parse_ms_p95"] = round(1000 * latencies[int(len(latencies) * 0.95)], 1)
        status = Path(f"/proc/{proc.pid}/status").read_text()
        figures["server_rss_mb"] = round(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)  # type: ignore[union-attr]
        return figures
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", nargs="+", default=["config.yml"])
    parser.add_argument("--json", help="write all figures here")
    args = parser.parse_args()
    results = {}
    for config in args.configs:
        with tempfile.TemporaryDirectory() as tmp:
            figures = train(config, Path(tmp))
            figures.update(serve_and_measure(figures.pop("model"), config))
        results[config] = figures
        worst = min(v["macro_f1"] for v in figures["languages"].values())
        print(f"{config}: train {figures['train_seconds']} s (peak {figures['train_peak_mb']} MB), "  # noqa: T201
              f"model {figures['model_mb']} MB, server {figures['server_rss_mb']} MB, "
              f"parse p50/p95 {figures['parse_ms_p50']}/{figures['parse_ms_p95']} ms, lowest macro-F1 {worst}")
        for part in ("languages", "after"):
            print(f"  {'first part' if part == 'languages' else 'written after freezing'}:")  # noqa: T201
            for lang, v in figures[part].items():
                print(f"  {lang}: acc {v['accuracy']:.3f} F1 {v['macro_f1']:.3f} oos {v['out_of_scope_recall']} "  # noqa: T201
                      f"first {v['right_first_time']:.3f} after clarification {v['right_after_clarification']:.3f} "
                      f"{v['top_confusions'][:3]}")
        print("  best thresholds on the first part (threshold, ambiguity, floor: first mean/worst, after mean/worst):")  # noqa: T201
        for row in figures["grid"][:8]:
            print(f"    {row['threshold']} {row['ambiguity']} {row['floor']}: {row['first_mean']}/{row['first_worst']} "  # noqa: T201
                  f"{row['after_mean']}/{row['after_worst']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
