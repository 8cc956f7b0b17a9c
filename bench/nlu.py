"""NLU benchmark: trains each pipeline config, serves the model with the real `rasa run`, and measures
on the held-out set (tests/nlu_heldout/<lang>.yml, written apart from the training data):

- per language: intent accuracy, macro-F1, out-of-scope recall (shortcuts and fallback included,
  as the assistant uses them);
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
BIN = Path(sys.executable).parent
_ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


def heldout() -> dict[str, list[tuple[str, str]]]:
    sets = {}
    for path in sorted((REPO / "tests" / "nlu_heldout").glob("*.yml")):
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


def serve_and_measure(model: str) -> dict:
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
        figures: dict = {"languages": {}}
        latencies: list[float] = []
        for lang, examples in heldout().items():
            truth, predicted = [], []
            confusions: dict = defaultdict(int)
            for text, intent in examples:
                start = time.perf_counter()
                guess = _post(f"{base}/model/parse", {"text": text})["intent"]["name"]
                latencies.append(time.perf_counter() - start)
                truth.append(intent)
                predicted.append(guess)
                if guess != intent:
                    confusions[f"{intent}->{guess}"] += 1
            oos = [p == "out_of_scope" for t, p in zip(truth, predicted, strict=True) if t == "out_of_scope"]
            figures["languages"][lang] = {
                "examples": len(truth),
                "accuracy": round(accuracy_score(truth, predicted), 3),
                "macro_f1": round(f1_score(truth, predicted, average="macro", labels=sorted(set(truth))), 3),
                "out_of_scope_recall": round(sum(oos) / len(oos), 3) if oos else None,
                "top_confusions": sorted(confusions.items(), key=lambda kv: -kv[1])[:4],
            }
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
            figures.update(serve_and_measure(figures.pop("model")))
        results[config] = figures
        worst = min(v["macro_f1"] for v in figures["languages"].values())
        print(f"{config}: train {figures['train_seconds']} s (peak {figures['train_peak_mb']} MB), "  # noqa: T201
              f"model {figures['model_mb']} MB, server {figures['server_rss_mb']} MB, "
              f"parse p50/p95 {figures['parse_ms_p50']}/{figures['parse_ms_p95']} ms, lowest macro-F1 {worst}")
        for lang, v in figures["languages"].items():
            print(f"  {lang}: acc {v['accuracy']:.3f} F1 {v['macro_f1']:.3f} oos {v['out_of_scope_recall']} "  # noqa: T201
                  f"{v['top_confusions'][:3]}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
