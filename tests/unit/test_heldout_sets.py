"""The NLU held-out sets (bench/nlu.py) stay apart from the training data: both parts exist for every
language, cover the intents the assistant knows, and repeat no training example."""

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
_ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


def examples(path: Path) -> dict[str, str]:
    """normalised text -> intent"""
    found = {}
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in (block.get("examples") or "").splitlines():
            text = _ANNOTATION.sub(r"\1", line.strip().removeprefix("- ").strip())
            if text:
                found[" ".join(text.lower().strip(" ?!.").split())] = block["intent"]
    return found


def test_both_held_out_parts_exist_apart_from_the_training_data() -> None:
    languages = sorted(p.stem for p in (REPO / "bot" / "languages").glob("*.yml"))
    for language in languages:
        training = examples(REPO / "data" / "nlu" / f"{language}.yml")
        first = examples(REPO / "tests" / "nlu_heldout" / f"{language}.yml")
        after = examples(REPO / "tests" / "nlu_heldout" / "after" / f"{language}.yml")
        assert len(after) >= 150, language
        assert not set(after) & set(training), (language, sorted(set(after) & set(training))[:5])
        assert not set(after) & set(first), language
        # Every intent of the second part is one the assistant is trained on.
        assert set(after.values()) <= set(training.values()), (language, set(after.values()) - set(training.values()))
