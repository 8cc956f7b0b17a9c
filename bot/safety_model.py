"""The safety layer's classifier: a second, learned signal beside the lexicons (bot/safety.py).

Trained for recall on its own data (bot/safety_data/<code>.yml: per language messages per safety class
and harmless look-alikes, written apart from the evaluation sets in tests/safety) plus the assistant's
NLU examples (its safety intents as positives, every other intent as "none"). One model over all
languages: the average of one on character n-grams within words (prefixes, suffixes, spellings, mixed
scripts) and word pairs, and one on what a sentence means (multilingual sentence embeddings,
bot/embeddings.py). A message is read whole and sentence by sentence, so a safety matter after an everyday question is
not drowned by it (splitting further, at commas, conjunctions or into windows of words, found no more on
the safety sets' tune part and raised false alarms: bench/safety.py). It only routes to a person: the
thresholds (bot/safety.py) turn a probability into "hand off" or "ask first".

scikit-learn and the embedder, no Rasa: the NLU component (bot/nlu/safety.py), the benchmark and the tests share it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bot import fingerprints
from bot.text import normalise

if TYPE_CHECKING:  # scikit-learn only where a model is trained or used (not in the API, which reads the data)
    from sklearn.ensemble import VotingClassifier

DATA = Path(__file__).resolve().parent / "safety_data"
NONE = "none"
CLASSES = ("distress", "money", "legal", "violence")
# The assistant's own intents that are safety cases; request_human is left out (its own rule hands off,
# and it is no class). Every other intent is an everyday message: "none".
# request_human is "none" too: asking for a person has its own rule and is no safety case by itself.
NLU_CLASSES = {"distress": "distress", "money_emergency": "money", "legal_matter": "legal"}
MIN_WORDS = 2  # words with letters in a part: a number, "..." or one word is the lexicons' and shortcuts' job
# A longer message (a pasted letter) is read in at most this many parts of consecutive sentences besides the
# whole: every sentence is still read, and the time per message stays bounded (each part is embedded; no
# message of the data or the safety sets has more than three sentences).
MAX_SENTENCE_PARTS = 8
# Sentence ends in the scripts of our languages (Arabic ?, Urdu/Pashto full stop, Ethiopic full stop).
_SENTENCE = re.compile(r"[.!?؟۔።\n;]+\s*")


@dataclass(frozen=True)
class Score:
    safety_class: str
    probability: float  # that the part is a safety case of any class (1 - P(none))
    part: str  # the part of the message it was read on (normalised)


def load_examples_from(path: Path) -> list[tuple[str, str]]:
    """(text, class) from one safety data file; class is one of CLASSES or "none"."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples: list[tuple[str, str]] = []
    for cls, texts in (data.get("examples") or {}).items():
        if cls not in (*CLASSES, NONE):
            raise ValueError(f"{path.name}: unknown safety class {cls!r}")
        examples += [(str(t), cls) for t in texts or []]
    return examples


def load_examples(folder: Path = DATA) -> list[tuple[str, str]]:
    """(text, class) from all safety data files."""
    return [example for path in sorted(folder.glob("*.yml")) for example in load_examples_from(path)]


def fingerprint(folder: Path = DATA) -> str:
    """Changes when the safety data or the code that trains on it does."""
    return fingerprints.of_code("safety_model.py", data=folder)


def from_intents(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The NLU's (text, intent) examples as safety examples."""
    return [(text, NLU_CLASSES.get(intent, NONE)) for text, intent in pairs]


def _pipeline() -> VotingClassifier:
    from sklearn.ensemble import VotingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    from bot.embeddings import meaning_model

    features = FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 6), sublinear_tf=True, min_df=1,
                                  max_features=200_000)),
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                  token_pattern=r"\S+")),
    ])
    # Balanced classes: "none" outnumbers each safety class many times over; a miss costs more than a
    # question too many. n-grams of 1-6 characters and C=30 rank best by 5-fold cross-validation over the fifth
    # data round (bench/safety.py --cv; at recall 95%: false alarms 20.2% with 2-5 and C=10, 18.0% now).
    spelling = Pipeline([("features", features), ("model", LogisticRegression(
        C=30.0, class_weight="balanced", max_iter=3000, random_state=2021))])
    # What a sentence means, whatever its words: a small network over multilingual sentence embeddings
    # (bot/embeddings.py). Alone it ranks about as well as the n-grams; the two make different mistakes, and
    # their average halves the distance to the goal's false alarms at the same recall (5-fold cross-validation,
    # sixth round: at recall 95% 17.7% -> 12.0%, at 97% 23.7% -> 17.1%; docs/benchmarks.md).
    meaning = meaning_model()
    return VotingClassifier([("spelling", spelling), ("meaning", meaning)], voting="soft")


def train(examples: list[tuple[str, str]]) -> VotingClassifier:
    pipeline = _pipeline()
    pipeline.fit([normalise(t) for t, _ in examples], [c for _, c in examples])
    return pipeline


def sentences(text: str) -> list[str]:
    """A message's sentences, normalised."""
    return [piece for piece in map(normalise, _SENTENCE.split(text)) if piece]


def parts(text: str) -> list[str]:
    """The whole message and its sentences (grouped, in a long message)."""
    whole = normalise(text)
    split = sentences(text)
    size = max(1, -(-len(split) // MAX_SENTENCE_PARTS))  # sentences per part: 1 unless the message is long
    pieces = [" ".join(split[i:i + size]) for i in range(0, len(split), size)]
    return [piece for piece in dict.fromkeys([whole, *pieces])
            if sum(any(ch.isalpha() for ch in word) for word in piece.split()) >= MIN_WORDS]


def score(pipeline: VotingClassifier, text: str) -> Score:
    """The part of the message most likely a safety case, and its most likely class."""
    pieces = parts(text)
    if not pieces:
        return Score(NONE, 0.0, "")
    probabilities = pipeline.predict_proba(pieces)
    labels = list(pipeline.classes_)
    none = labels.index(NONE)
    best = max(range(len(pieces)), key=lambda i: 1 - probabilities[i][none])
    row = probabilities[best]
    cls = max((c for c in labels if c != NONE), key=lambda c: row[labels.index(c)])
    return Score(cls, float(1 - row[none]), pieces[best])
