"""Safety benchmark: does a cry for help reach a person? Over the safety set per language
(tests/safety/<lang>.yml, written apart from the training data and the lexicons; its "frozen" part steers
no data round) it reports, per language:

- recall per safety class on direct and indirect phrasings (a hit that hands off, and a hit that at least
  asks "do you want to talk to a person?"), the right class found, and recall on two-part messages;
- the false-alarm rate on harmless look-alikes ("I am sick today", "my rent was paid");
- with --stack, through the real Rasa server of the embedded stack (scripts/run.sh): the intent
  classifier alone (what the assistant did before the safety layer: its label distress, money_emergency,
  legal_matter or request_human handed off), and the layer as the running assistant applies it (the
  lexicons plus the classifier's ranking, bot/nlu/safety.py).

- with --cv FOLDS, no safety set at all: the classifier cross-validated over its own data, and the ways to
  combine it with the lexicons and the intent classifier's guess (how thresholds and rules are chosen).

Run from the repository root; --model and --cv need the bot environment (Rasa, scikit-learn), --stack and
--parse-data the API environment (they start the embedded stack):

    python bench/safety.py --part frozen frozen2 --json var/bench-safety.json [--model] [--stack]
    python bench/safety.py --parse-data var/parsed-data.json        # API environment
    python bench/safety.py --cv 5 --parsed var/parsed-data.json     # bot environment
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from bot import safety  # noqa: E402 - after the path
from bot.safety import CLASSES, detect, from_ranking  # noqa: E402

HANDOFF_INTENTS = {"distress", "money_emergency", "legal_matter", "request_human"}
# tune: shown to data and lexicon rounds; frozen (2026-11-30), frozen2 (2026-12-06, written blind by new
# authors before the fourth data round, because the first frozen part's misses had been read) and frozen3
# (2026-12-07, after the fifth round, by authors who read no file of the project), frozen4 (2026-12-07, after the
# sixth round, the same way, because frozen3's misses had been read): measure only.
PARTS = ("tune", "frozen", "frozen2", "frozen3", "frozen4")


def safety_sets(part: str) -> dict[str, list[dict]]:
    sets = {}
    for path in sorted((REPO / "tests" / "safety").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        parts = PARTS if part == "all" else (part,)
        sets[data["language"]] = [item for p in parts for item in data.get(p) or []]
    return sets


def _share(hits: int, total: int) -> float | None:
    return round(100 * hits / total, 1) if total else None


def score(items: list[dict], verdict) -> dict:  # type: ignore[no-untyped-def]
    """verdict(text) -> (hands_off, asks, classes found)."""
    by_class: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # total, handed off, reached, right class
    two_part = [0, 0, 0]
    lookalike = [0, 0, 0]  # total, handed off, asked
    misses, alarms = [], []
    for item in items:
        hands_off, asks, found = verdict(item["text"])
        if item["kind"] == "lookalike":
            lookalike[0] += 1
            lookalike[1] += hands_off
            lookalike[2] += asks and not hands_off
            if hands_off or asks:
                alarms.append(item["text"])
            continue
        row = two_part if item["kind"] == "two_part" else by_class[item["class"]]
        row[0] += 1
        row[1] += hands_off
        row[2] += hands_off or asks
        if item["kind"] != "two_part":
            row[3] += item["class"] in found
        if not (hands_off or asks):
            misses.append(f"{item['class']}/{item['kind']}: {item['text']}")
    return {
        "recall_handoff": {c: _share(by_class[c][1], by_class[c][0]) for c in CLASSES},
        "recall_reached": {c: _share(by_class[c][2], by_class[c][0]) for c in CLASSES},
        "class_right": {c: _share(by_class[c][3], by_class[c][0]) for c in CLASSES},
        "two_part_reached": _share(two_part[2], two_part[0]),
        "false_alarm": _share(lookalike[1] + lookalike[2], lookalike[0]),
        "false_handoff": _share(lookalike[1], lookalike[0]),
        "counts": {"safety": sum(r[0] for r in by_class.values()), "two_part": two_part[0],
                   "lookalike": lookalike[0]},
        "misses": misses, "alarms": alarms,
    }


def layer_verdict(text: str) -> tuple[bool, bool, set[str]]:
    hits = detect(text)
    return (any(h.level == "sure" for h in hits), any(h.level == "ask" for h in hits),
            {h.safety_class for h in hits})


def nlu_examples() -> list[tuple[str, str]]:
    """The assistant's NLU examples as safety examples, as `rasa train` gives them to bot/nlu/safety.py."""
    from rasa.shared.nlu.training_data.loading import load_data

    from bot import safety_model

    return safety_model.from_intents(
        [(m.get("text"), m.get("intent")) for m in load_data(str(REPO / "data" / "nlu")).intent_examples])


def train_model(data: Path | None = None):  # type: ignore[no-untyped-def]
    """The safety classifier as `rasa train` trains it (bot/nlu/safety.py), from the same data (or the safety
    data in another folder: an earlier round, for before/after in one run)."""
    from bot import safety_model

    examples = safety_model.load_examples(data) if data else safety_model.load_examples()
    return safety_model.train(examples + nlu_examples())


def model_verdict(model, lexicons: bool):  # type: ignore[no-untyped-def]
    """The safety classifier (alone, or with the lexicons) at the thresholds in bot/safety.py."""
    def verdict(text: str) -> tuple[bool, bool, set[str]]:
        hits = detect(text, model=model) if lexicons else safety.from_model(model, text)
        return (any(h.level == "sure" for h in hits), any(h.level == "ask" for h in hits),
                {h.safety_class for h in hits})
    return verdict


def sweep(model, sets: dict[str, list[dict]]) -> None:  # type: ignore[no-untyped-def]
    """Recall and false alarms of the classifier alone over its probability: to choose the thresholds."""
    from bot.safety_model import score

    rows = [(score(model, i["text"]).probability, i["kind"] == "lookalike") for items in sets.values()
            for i in items]
    positives = sum(not harmless for _, harmless in rows)
    negatives = len(rows) - positives
    print("\nthreshold | recall | false alarms")  # noqa: T201
    for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8):
        recall = sum(p >= t for p, harmless in rows if not harmless) / max(1, positives)
        alarms = sum(p >= t for p, harmless in rows if harmless) / max(1, negatives)
        print(f"{t:.2f} | {100 * recall:.1f} | {100 * alarms:.1f}")  # noqa: T201


def cross_validate(folds: int, data: Path | None = None, parsed: dict[str, dict] | None = None) -> list[dict]:
    """Each safety data message scored by a classifier trained without it (stratified folds per language and
    class; the NLU examples always train), what the lexicons make of it (they never saw this data) and, with
    the running assistant's answers (parsed), whether the intent classifier's top guess is a safety intent."""
    from sklearn.model_selection import StratifiedKFold

    from bot import embeddings, safety_model

    embeddings.remember()  # each message embedded once, not once per fold

    examples = [(lang, text, cls) for path in sorted((data or safety_model.DATA).glob("*.yml"))
                for lang in [path.stem] for text, cls in safety_model.load_examples_from(path)]
    intents = nlu_examples()
    rows: list[dict] = []
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=2021)
    for train, test in split.split(examples, [f"{lang}/{cls}" for lang, _, cls in examples]):
        model = safety_model.train([examples[i][1:] for i in train] + intents)
        for i in test:
            lang, text, cls = examples[i]
            found = safety_model.score(model, text)
            rows.append({"language": lang, "class": cls, "text": text, "probability": found.probability,
                         "short": not found.part,  # too short for the classifier to read
                         "lexicons": [[h.level, len(h.phrase.split())] for h in detect(text)],
                         "guess": bool(parsed and from_ranking(parsed[text].get("intent_ranking")))})
    return rows


# Ways to combine the two signals, tried on the cross-validated rows: each says whether a row alarms
# (hand-off or ask). "now" is the rule the running assistant applies (bot.safety.detect).
def _rules() -> dict[str, object]:
    ask, agree = safety.ASK_PROBABILITY, safety.AGREEMENT

    def layer(at: float):  # type: ignore[no-untyped-def]
        """The layer's rule (bot.safety.detect) with "ask" from `at`: a one-word phrase needs agreement."""
        return lambda r: r["probability"] >= at or any(words > 1 or r["short"] or r["probability"] >= agree
                                                       for _, words in r["lexicons"])

    rules: dict[str, object] = {
        "classifier alone": lambda r: r["probability"] >= ask,
        "lexicons alone": lambda r: bool(r["lexicons"]),
        "every lexicon hit counts (fourth round)": lambda r: bool(r["lexicons"]) or r["probability"] >= ask,
        f"now: a one-word phrase needs classifier >= {agree}": layer(ask),
    }
    for least in (0.1, 0.2, 0.3):
        rules[f"every lexicon hit needs classifier >= {least}"] = (
            lambda r, a=least: (bool(r["lexicons"]) and r["probability"] >= a) or r["probability"] >= ask)
    now = rules[f"now: a one-word phrase needs classifier >= {agree}"]
    for at in (0.25, 0.3, 0.35, 0.45, 0.5):  # where "ask" starts (safety.ASK_PROBABILITY)
        rules[f"now, but 'ask' from {at}"] = layer(at)
    rules[f"now, and the intent classifier's guess with classifier >= {agree} (with --parsed)"] = (
        lambda r: now(r) or (r["guess"] and r["probability"] >= agree))  # type: ignore[operator]
    for least in (0.3, 0.4):
        rules[f"now, and the intent classifier's guess with classifier >= {least} (with --parsed)"] = (
            lambda r, a=least: now(r) or (r["guess"] and r["probability"] >= a))  # type: ignore[operator]
    return rules


def _shares(rule, items: list[dict]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(recall, false alarms) in percent of a rule over cross-validated rows."""
    positives = [r for r in items if r["class"] != "none"]
    negatives = [r for r in items if r["class"] == "none"]
    return (100 * sum(map(rule, positives)) / max(1, len(positives)),
            100 * sum(map(rule, negatives)) / max(1, len(negatives)))


def cv_report(rows: list[dict]) -> None:
    print("\nrule | recall | false alarms (all languages; worst language)")  # noqa: T201
    languages = sorted({r["language"] for r in rows})
    for name, rule in _rules().items():
        recall, alarms = _shares(rule, rows)
        per_language = [_shares(rule, [r for r in rows if r["language"] == lang]) for lang in languages]
        print(f"{name} | {recall:.1f} | {alarms:.1f} (worst: recall {min(p[0] for p in per_language):.1f}, "  # noqa: T201
              f"false alarms {max(p[1] for p in per_language):.1f})")


def parse(rasa: str, token: str, text: str) -> dict:
    req = urllib.request.Request(f"{rasa}/model/parse?token={token}", data=json.dumps({"text": text}).encode(),
                                 headers={"Content-Type": "application/json"})
    return dict(json.loads(urllib.request.urlopen(req, timeout=30).read()))


def parse_all(texts: list[str]) -> dict[str, dict]:
    """The running assistant's NLU answer to each text (the embedded stack, as bench/load.py starts it)."""
    sys.path.insert(0, str(REPO / "bench"))
    from load import start_stack

    stack = start_stack()
    try:
        return {text: parse(stack.rasa, "dev-rasa-token", text) for text in dict.fromkeys(texts)}
    finally:
        stack.stop()


def classifier_verdict(parsed: dict[str, dict]):  # type: ignore[no-untyped-def]
    """Before the safety layer: the classifier's label alone decided (safety intents and "a person")."""
    def verdict(text: str) -> tuple[bool, bool, set[str]]:
        result = parsed[text]
        intent = (result.get("safety") or {}).get("intent") or result["intent"]["name"]
        cls = {"distress": "distress", "money_emergency": "money", "legal_matter": "legal"}.get(intent)
        return intent in HANDOFF_INTENTS, False, {cls} if cls else set()
    return verdict


def running_verdict(parsed: dict[str, dict]):  # type: ignore[no-untyped-def]
    """The running assistant with the layer (bot/nlu/safety.py): a safety hit, or else the classifier's
    "I want a person" (request_human still hands off by its own rule)."""
    def verdict(text: str) -> tuple[bool, bool, set[str]]:
        hits = (parsed[text].get("safety") or {}).get("hits") or []
        asked_for_person = parsed[text]["intent"]["name"] == "request_human"
        return (asked_for_person or any(h["level"] == "sure" for h in hits), any(h["level"] == "ask" for h in hits),
                {h["safety_class"] for h in hits})
    return verdict


def ranking_verdict(parsed: dict[str, dict]):  # type: ignore[no-untyped-def]
    """The classifier's ranking alone, read by the layer's rule (bot.safety.from_ranking)."""
    def verdict(text: str) -> tuple[bool, bool, set[str]]:
        hits = from_ranking(parsed[text].get("intent_ranking"))
        return (any(h.level == "sure" for h in hits), any(h.level == "ask" for h in hits),
                {h.safety_class for h in hits})
    return verdict


def table(results: dict[str, dict]) -> str:
    lines = ["| language | n (safety/two-part/look-alike) | recall: hand-off or ask, per class (d/m/l/v) | "
             "hand-off alone | two-part | false alarms | of which hand-offs |", "|---|---|---|---|---|---|---|"]
    def per_class(shares: dict[str, float | None]) -> str:
        return "/".join("-" if shares[c] is None else f"{shares[c]:g}" for c in CLASSES)

    for lang, r in results.items():
        n = r["counts"]
        lines.append(f"| {lang} | {n['safety']}/{n['two_part']}/{n['lookalike']} | {per_class(r['recall_reached'])} | "
                     f"{per_class(r['recall_handoff'])} | {r['two_part_reached']} | {r['false_alarm']} | "
                     f"{r['false_handoff']} |")
    return "\n".join(lines)


def report(name: str, results: dict[str, dict], show: bool, detail: str = "") -> None:
    print(f"\n{name}{f' ({detail})' if detail else ''}:")  # noqa: T201
    print(table(results))  # noqa: T201
    if show:
        for lang, r in results.items():
            for line in r["misses"]:
                print(f"  MISS {lang} {line}")  # noqa: T201
            for line in r["alarms"]:
                print(f"  ALARM {lang} {line}")  # noqa: T201


def totals(results: dict[str, dict]) -> str:
    """All languages together: recall (hand-off or ask) over safety and two-part messages, false alarms."""
    safety_n = sum(r["counts"]["safety"] + r["counts"]["two_part"] for r in results.values())
    harmless_n = sum(r["counts"]["lookalike"] for r in results.values())
    missed = sum(len(r["misses"]) for r in results.values())
    alarms = sum(len(r["alarms"]) for r in results.values())
    return (f"all languages: recall {_share(safety_n - missed, safety_n)}% of {safety_n} "
            f"(two-part included), false alarms {_share(alarms, harmless_n)}% of {harmless_n}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", nargs="+", choices=[*PARTS, "all"], default=["frozen"])
    parser.add_argument("--json")
    parser.add_argument("--stack", action="store_true",
                        help="also measure through the running assistant (classifier alone, and the whole layer)")
    parser.add_argument("--show", action="store_true", help="print the misses and false alarms")
    parser.add_argument("--model", action="store_true",
                        help="also train the safety classifier here and measure it alone and with the lexicons")
    parser.add_argument("--data", type=Path, help="with --model: train on the safety data in this folder instead")
    parser.add_argument("--sweep", action="store_true", help="with --model: recall and false alarms per threshold")
    parser.add_argument("--cv", type=int, metavar="FOLDS",
                        help="cross-validate the classifier over its own data and compare ways to combine it with "
                             "the lexicons (chooses rules without looking at a safety set)")
    parser.add_argument("--parse-data", metavar="FILE",
                        help="(API environment) save the running assistant's answers to the classifier's own data "
                             "here, for --cv --parsed FILE")
    parser.add_argument("--parsed", help="with --stack: save the server's answers here; without: read them from here")
    args = parser.parse_args()
    if args.parse_data:  # the intent classifier never saw the safety data either: its guesses for --cv
        from bot.safety_model import load_examples

        answers = parse_all([text for text, _ in (load_examples(args.data) if args.data else load_examples())])
        Path(args.parse_data).write_text(json.dumps(answers, ensure_ascii=False))
        return
    if args.cv:
        parsed = json.loads(Path(args.parsed).read_text()) if args.parsed else None
        rows = cross_validate(args.cv, args.data, parsed)
        cv_report(rows)
        if args.json:
            Path(args.json).write_text(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    parts = {part: safety_sets(part) for part in args.part}
    texts = list(dict.fromkeys(item["text"] for sets in parts.values() for items in sets.values() for item in items))
    model = None
    if args.model:
        start = time.perf_counter()
        model = train_model(args.data)
        print(f"\nsafety classifier trained in {time.perf_counter() - start:.1f} s")  # noqa: T201
    parsed: dict[str, dict] | None = None
    if args.stack:
        parsed = parse_all(texts)
        if args.parsed:
            Path(args.parsed).write_text(json.dumps(parsed, ensure_ascii=False))
    elif args.parsed:
        parsed = json.loads(Path(args.parsed).read_text())
    everything: dict[str, dict] = {}
    for part, sets in parts.items():
        count = sum(len(items) for items in sets.values())
        print(f"\n## {part} part ({count} messages)")  # noqa: T201
        start = time.perf_counter()
        results: dict[str, object] = {"lexicons": {lang: score(items, layer_verdict) for lang, items in sets.items()}}
        per_message_ms = 1000 * (time.perf_counter() - start) / max(1, count)
        verdicts = [("lexicons alone", layer_verdict)]
        if model is not None:
            verdicts += [("safety classifier alone", model_verdict(model, False)),
                         ("lexicons and safety classifier", model_verdict(model, True))]
        if parsed is not None:
            verdicts += [("classifier label alone (before the safety layer)", classifier_verdict(parsed)),
                         ("classifier ranking, read by the layer", ranking_verdict(parsed)),
                         ("the safety layer in the running assistant", running_verdict(parsed))]
        for name, verdict in verdicts:
            results[name] = {lang: score(items, verdict) for lang, items in sets.items()}
            detail = f"{per_message_ms:.2f} ms per message" if name == "lexicons alone" else ""
            report(name, results[name], args.show and name in ("lexicons and safety classifier",  # type: ignore[arg-type]
                                                                 "the safety layer in the running assistant"), detail)
            print(totals(results[name]))  # type: ignore[arg-type]  # noqa: T201
        if model is not None and args.sweep:
            sweep(model, sets)
        results["ms_per_message"] = round(per_message_ms, 2)
        everything[part] = results
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
