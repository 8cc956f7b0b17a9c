"""The safety layer's detector: which safety classes a message touches, and on which words.

Pure Python (no Rasa), so the NLU component, the action server and the benchmark share one rule. The
lexicons are data (bot/safety_lexicons/<code>.yml), one per language, for reviewers to read and extend:

    language: nl
    sure:        # a person takes over
      distress: ["wil dood", "niet meer leven", ...]
    ask:         # the assistant asks once whether the person wants to talk to someone
      distress: ["geen zin meer", ...]

An entry is a phrase in the NLU's normal form (bot.text.normalise: lower case, one form per Arabic letter,
no zero-width marks). Its words must appear in the message in that order, at most GAP other words apart;
a word ending in "*" matches any ending (Turkish and Somali suffixes, Dutch compounds), one starting with
"*" any beginning (Arabic and Tigrinya prefixes such as "و", "ال", "ብ"). Reviewers add and remove phrases on the
review pages; those changes (Change) live in the API's database and are laid over the files here. Every lexicon is
applied to every
message: people mix languages and the detected language can be wrong, and a missed cry for help costs
far more than a question too many. The detector decides nothing about the case; it only routes to a person.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bot.text import normalise

if TYPE_CHECKING:
    from sklearn.ensemble import VotingClassifier

    from bot.safety_model import Score

CLASSES = ("distress", "money", "legal", "violence")
# A second, independent signal: the intent classifier's own safety intents (learned from data/nlu). As its
# top guess (not overruled by the fallback) it hands off, as the assistant did before the safety layer, so
# nothing it caught is lost. Lower in its ranking it is not used: on the safety sets' tune part that only
# added false alarms (bench/safety.py; the frozen part chose nothing).
CLASSIFIER_INTENTS = {"distress": "distress", "money_emergency": "money", "legal_matter": "legal"}
SURE_CONFIDENCE = 0.25  # the FallbackClassifier's threshold: below it a guess was never acted on
# Signals without context count only when the safety classifier gives the message at least AGREEMENT:
# - the intent classifier's guess: alone it added false alarms and no recall (5-fold cross-validation over
#   the fourth data round: false alarms 35.1% -> 33.1%, recall unchanged at 95.6%; bench/safety.py);
# - a lexicon phrase of one word ("boete", "deurwaarder"): such a word is also in "what does deurwaarder mean?"
#   (cross-validation over the fifth round, bench/safety.py --cv: false alarms 24.6% -> 22.2%, recall 95.1%
#   unchanged). A message too short for the classifier (under MIN_WORDS words) is the lexicons' alone.
# Where no safety classifier runs (the API's own check), they count alone.
AGREEMENT = 0.2
LEVELS = ("sure", "ask")
# The safety classifier (bot/safety_model.py): from SURE_PROBABILITY on a person takes over, from
# ASK_PROBABILITY on the person is asked first. Chosen by 5-fold cross-validation over the classifier's own data
# with the lexicons (bench/safety.py --cv; sixth round with the sentence embedder: "ask" from 0.3 finds 97.2% at
# 19.0% false alarms, from 0.35 96.4% at 17.2%, from 0.4 95.4% at 15.2%; recall first; a hand-off from 0.8
# alone: 1.8% false alarms); the safety sets chose nothing.
SURE_PROBABILITY = 0.8
ASK_PROBABILITY = 0.3
GAP = 3  # other words allowed between two words of a phrase
# Read this much of a message: WhatsApp's own maximum. Longer texts (a pasted document) cost time on every
# path that calls the detector (Rasa's NLU, the API's thread check) and add no new situation.
MAX_CHARS = 4096
LEXICONS = Path(__file__).resolve().parent / "safety_lexicons"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    safety_class: str
    level: str  # "sure": hand off; "ask": ask the person first
    words: str  # what matched, as the person wrote it (normalised), for the consultant
    phrase: str  # the lexicon entry
    language: str  # whose lexicon


@dataclass(frozen=True)
class Change:
    """A reviewer's change to a lexicon, made on the review pages: a phrase added, or one taken out."""

    language: str
    level: str
    safety_class: str
    phrase: str
    removed: bool = False


Lexicons = dict[str, dict[str, dict[str, tuple["_Phrase", ...]]]]  # language -> level -> class -> phrases


@dataclass(frozen=True)
class _Phrase:
    text: str
    words: tuple[re.Pattern[str], ...]


def _word(pattern: str) -> re.Pattern[str]:
    body = re.escape(pattern.strip("*"))
    return re.compile(("\\w*" if pattern.startswith("*") else "") + body + ("\\w*" if pattern.endswith("*") else ""))


def _phrase(entry: str) -> _Phrase | None:
    words = [w for w in normalise(entry).split(" ") if w.strip("*")]
    return _Phrase(entry, tuple(_word(w) for w in words)) if words else None


def key(phrase: str) -> str:
    """The form two phrases are compared in (the NLU's normal form, single spaces)."""
    return " ".join(normalise(phrase).split())


@cache
def lexicons(folder: Path = LEXICONS) -> Lexicons:
    """The lexicon files: language -> level -> class -> phrases."""
    found: Lexicons = {}
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        language = str(data.get("language") or path.stem)
        found[language] = {
            level: {cls: tuple(p for p in (_phrase(str(e)) for e in (data.get(level) or {}).get(cls) or ()) if p)
                    for cls in CLASSES}
            for level in LEVELS}
    return found


@lru_cache(maxsize=8)
def effective(changes: tuple[Change, ...] = (), folder: Path = LEXICONS) -> Lexicons:
    """The files with the reviewers' changes laid over them, in order (a later change wins)."""
    merged = {lang: {level: dict(classes) for level, classes in levels.items()}
              for lang, levels in lexicons(folder).items()}
    for change in changes:
        if change.level not in LEVELS or change.safety_class not in CLASSES:
            continue
        levels = merged.setdefault(change.language, {level: {c: () for c in CLASSES} for level in LEVELS})
        phrases = levels[change.level][change.safety_class]
        kept = tuple(p for p in phrases if key(p.text) != key(change.phrase))
        added = None if change.removed else _phrase(change.phrase)
        levels[change.level][change.safety_class] = kept + ((added,) if added else ())
    return merged


def _file_lines(text: str) -> list[tuple[str, str, str, str | None]]:
    """A lexicon file's lines as (line, level, class, phrase key): level and class of the section a line is in
    ("" outside one), the key for a phrase line (else None). An empty section ("money: []") is opened up."""
    rows: list[tuple[str, str, str, str | None]] = []
    level = cls = ""
    for line in text.splitlines():
        phrase = None
        if (top := re.match(r"^(\w+):", line)) is not None:
            level, cls = (top[1], "") if top[1] in LEVELS else ("", "")
        elif level and (section := re.match(r"^  (\w+):\s*(\[\])?\s*$", line)) is not None:
            cls = section[1] if section[1] in CLASSES else ""
            line = f"  {section[1]}:" if cls else line
        elif level and cls and (item := re.match(r"^\s+- (.+)$", line)) is not None:
            phrase = key(str(yaml.safe_load(item[1])))
        rows.append((line, level, cls, phrase))
    return rows


def fold_changes(path: Path, changes: tuple[Change, ...]) -> bool:
    """Write the reviewers' changes for this file's language into the file itself: phrases taken out are
    deleted, added ones appended to their level and class, line by line so the reviewers' comments stay.
    Folding twice changes nothing, and a folded change laid over the new file changes nothing either.
    Returns whether the file changed."""
    old = path.read_text(encoding="utf-8")
    language = str((yaml.safe_load(old) or {}).get("language") or path.stem)
    mine = [c for c in changes if c.language == language and c.level in LEVELS and c.safety_class in CLASSES]
    gone = {(c.level, c.safety_class, key(c.phrase)) for c in mine if c.removed}
    rows = [r for r in _file_lines(old) if r[3] is None or (r[1], r[2], r[3]) not in gone]
    for change in (c for c in mine if not c.removed):
        at = (change.level, change.safety_class, key(change.phrase))
        section = [i for i, r in enumerate(rows) if r[1:3] == at[:2]]
        if section and not any(r[1:] == at for r in rows):
            rows.insert(section[-1] + 1, (f"    - {json.dumps(change.phrase, ensure_ascii=False)}", *at))
    new = "\n".join(r[0] for r in rows) + "\n"
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old


def _match(words: tuple[re.Pattern[str], ...], tokens: list[str]) -> tuple[int, int] | None:
    """(first, last) token index of the earliest match of the phrase, or None."""
    def rest(k: int, after: int) -> int | None:
        if k == len(words):
            return after
        for i in range(after + 1, min(len(tokens), after + 2 + GAP)):
            if words[k].fullmatch(tokens[i]) and (end := rest(k + 1, i)) is not None:
                return end
        return None

    for start, token in enumerate(tokens):
        if words[0].fullmatch(token) and (end := rest(1, start)) is not None:
            return start, end
    return None


def from_ranking(ranking: list[dict] | None) -> list[Hit]:
    """Safety classes the intent classifier saw (its ranking: [{"name", "confidence"}], best first)."""
    # When the fallback won (too unsure, or two guesses too close) the guess was never acted on: not now either.
    guesses = [g for g in ranking or [] if g.get("name") != "safety_case"]
    top = guesses[0] if guesses else {}
    cls = CLASSIFIER_INTENTS.get(str(top.get("name")))
    if cls is None or float(top.get("confidence") or 0) < SURE_CONFIDENCE:
        return []
    return [Hit(cls, "sure", "", f"classifier:{top['name']}", "")]


def _model_score(model: VotingClassifier | None, text: str) -> Score | None:
    if model is None:
        return None
    from bot.safety_model import score  # scikit-learn: only where a model exists (not in the API)

    return score(model, text[:MAX_CHARS])


def from_model(model: VotingClassifier | None, text: str, found: Score | None = None) -> list[Hit]:
    """What the safety classifier makes of the text: at most one hit, on the part that fired."""
    found = found or _model_score(model, text)
    if found is None:
        return []
    level = ("sure" if found.probability >= SURE_PROBABILITY else
             "ask" if found.probability >= ASK_PROBABILITY else None)
    return [Hit(found.safety_class, level, found.part, f"model:{found.probability:.2f}", "")] if level else []


def detect(text: str, folder: Path = LEXICONS, ranking: list[dict] | None = None,
           model: VotingClassifier | None = None, changes: tuple[Change, ...] = ()) -> list[Hit]:
    """Every safety class the text touches ("sure" before "ask" per class): the lexicons' words first (with
    the reviewers' changes), then what the safety classifier and the intent classifier's ranking add."""
    tokens = _WORD.findall(normalise(text[:MAX_CHARS]))
    found = _model_score(model, text)
    agreed = found is None or found.probability >= AGREEMENT
    one_word_counts = agreed or not found.part  # type: ignore[union-attr]  # no part: too short to read
    hits: dict[str, Hit] = {}
    for level in LEVELS:
        for language, levels in effective(changes, folder).items():
            for cls, phrases in levels[level].items():
                if cls in hits:
                    continue
                for phrase in phrases:
                    if len(phrase.words) == 1 and not one_word_counts:
                        continue
                    span = _match(phrase.words, tokens)
                    if span is not None:
                        hits[cls] = Hit(cls, level, " ".join(tokens[span[0]:span[1] + 1]), phrase.text, language)
                        break
    for hit in [*from_model(model, text, found), *(from_ranking(ranking) if agreed else [])]:
        known = hits.get(hit.safety_class)
        if known is None or (known.level == "ask" and hit.level == "sure"):
            words = known.words if known else hit.words
            hits[hit.safety_class] = Hit(hit.safety_class, hit.level, words, hit.phrase, "")
    return sorted(hits.values(), key=lambda h: (LEVELS.index(h.level), CLASSES.index(h.safety_class)))


def matches(phrase: str, text: str) -> bool:
    """Whether a lexicon phrase fires on a text (the review page tries a phrase before it is added)."""
    found = _phrase(phrase)
    return found is not None and _match(found.words, _WORD.findall(normalise(text[:MAX_CHARS]))) is not None
