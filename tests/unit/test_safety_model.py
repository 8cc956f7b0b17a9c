"""The safety classifier (bot/safety_model.py) and its data (bot/safety_data/). The classifier needs
scikit-learn, which only the bot's environment has: its behaviour is checked there, in a subprocess."""

import os
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "bot" / "safety_data"
CLASSES = {"distress", "money", "legal", "violence", "none"}


def in_bot_env(code: str) -> str:
    bot_env = os.environ.get("INB_BOT_ENV")
    if not bot_env:
        pytest.fail("INB_BOT_ENV is not set: run the suite with `make test`")
    result = subprocess.run([f"{bot_env}/bin/python", "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_every_language_has_safety_data_of_every_class() -> None:
    """Adding a language is a data task: its lexicon and its classifier data, each with every class."""
    languages = {p.stem for p in (REPO / "bot" / "languages").glob("*.yml")}
    assert {p.stem for p in DATA.glob("*.yml")} == languages
    assert {p.stem for p in (REPO / "bot" / "safety_lexicons").glob("*.yml")} == languages
    seen: set[str] = set()
    for path in sorted(DATA.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["language"] == path.stem
        assert set(data["examples"]) == CLASSES, path
        for cls, texts in data["examples"].items():
            assert len(texts) >= 30, (path, cls)
            assert all(isinstance(t, str) and t.strip() for t in texts), (path, cls)
        texts = [t for ts in data["examples"].values() for t in ts]
        assert len(set(texts)) == len(texts), f"{path.name}: a message twice"
        seen |= set(texts)


def test_the_evaluation_sets_are_not_in_the_training_data() -> None:
    """The safety sets (tests/safety) measure; a message of theirs in the data would measure nothing."""
    trained = {t.strip().lower() for p in DATA.glob("*.yml")
               for ts in yaml.safe_load(p.read_text(encoding="utf-8"))["examples"].values() for t in ts}
    for path in (REPO / "tests" / "safety").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        leaked = [i["text"] for part, items in data.items() if part != "language" for i in items
                  if i["text"].strip().lower() in trained]
        assert leaked == [], (path.name, leaked)


def test_parts_and_two_part_messages() -> None:
    """A safety matter after an everyday question is read in its own part, and found there."""
    out = in_bot_env("""
        from bot.safety_model import parts, score, train
        print(parts("Wanneer is mijn les? Ik wil niet meer leven"))
        examples = [(t, "distress") for t in ("ik wil niet meer leven", "ik wil dood", "ik kan niet meer")]
        examples += [(t, "none") for t in ("wanneer is mijn les", "waar is mijn les", "hoe laat is de les morgen",
                                           "wanneer is mijn afspraak", "dank je wel", "hallo")]
        model = train(examples)
        found = score(model, "wanneer is mijn les morgen en hoe laat? ik wil eigenlijk niet meer leven")
        print(found.safety_class, found.part)
        print(round(score(model, "wanneer is mijn les").probability, 2))
    """).splitlines()
    assert out[0] == "['wanneer is mijn les? ik wil niet meer leven', 'wanneer is mijn les', 'ik wil niet meer leven']"
    cls, part = out[1].split(" ", 1)
    assert cls == "distress" and "les" not in part
    assert float(out[2]) < 0.5


def test_the_intent_classifiers_safety_guess_counts_only_with_the_safety_classifiers_agreement() -> None:
    """bot.safety.AGREEMENT: the intent classifier's top safety guess on a message the safety
    classifier reads as harmless opens nothing; where the safety classifier agrees a little, it counts."""
    out = in_bot_env("""
        from bot.safety import AGREEMENT, detect
        from bot.safety_model import score, train
        examples = [(t, "distress") for t in ("ik wil niet meer leven", "ik wil dood", "ik kan niet meer",
                                              "alles is zwart voor mij", "ik slaap niet meer en huil")]
        examples += [(t, "none") for t in ("wanneer is mijn les", "waar is mijn les", "hoe laat is de les morgen",
                                           "wanneer is mijn afspraak", "dank je wel", "hallo", "ik ben ziek vandaag",
                                           "de bus was te laat", "mijn examen is morgen")]
        model = train(examples)
        # "money_emergency": a class this small model has no data for, so the hit can only come from the guess.
        ranking = [{"name": "money_emergency", "confidence": 0.9}, {"name": "ask_lessons", "confidence": 0.1}]
        for text in ("hoe laat is de les morgen", "ik slaap niet meer"):
            p = score(model, text).probability
            hits = detect(text, ranking=ranking, model=model, folder=__import__("pathlib").Path("/nonexistent"))
            print(p >= AGREEMENT, [h.phrase for h in hits])
        print([h.phrase for h in detect("hoe laat is de les morgen", ranking=ranking,
                                         folder=__import__("pathlib").Path("/nonexistent"))])
    """).splitlines()
    assert out[0] == "False []"
    agreed, phrases = out[1].split(" ", 1)
    assert agreed == "True" and "classifier:money_emergency" in phrases
    assert out[2] == "['classifier:money_emergency']"  # no safety classifier (the API): the guess counts alone


def test_a_one_word_phrase_counts_only_with_the_classifiers_agreement_or_in_a_too_short_message() -> None:
    """bot.safety.AGREEMENT: "deurwaarder" in "what does deurwaarder mean in my book" opens nothing when the
    classifier gives the message less than AGREEMENT, and fires from AGREEMENT on; alone (too short for the
    classifier) it still fires, and so does a phrase of two words (a reviewer's) in any message. The classifier
    here gives a set probability to every part, so both sides of the rule are tried."""
    out = in_bot_env("""
        import pathlib, tempfile
        import numpy as np
        from bot.safety import AGREEMENT, ASK_PROBABILITY, detect

        class Fixed:  # a trained classifier's interface: classes_ and predict_proba
            classes_ = np.array(["legal", "none"])
            def __init__(self, p): self.p = p
            def predict_proba(self, parts): return np.array([[self.p, 1 - self.p]] * len(parts))

        folder = pathlib.Path(tempfile.mkdtemp())
        (folder / "nl.yml").write_text('language: nl\\nsure:\\n  legal: ["deurwaarder", "blauwe tram"]\\n')
        below, above = AGREEMENT - 0.05, (AGREEMENT + ASK_PROBABILITY) / 2
        assert above < ASK_PROBABILITY  # the classifier alone would not fire
        texts = ("wat betekent deurwaarder in mijn boek", "deurwaarder", "wat betekent blauwe tram in mijn boek")
        for p in (below, above):
            for text in texts:
                print(p == above, [h.words for h in detect(text, folder=folder, model=Fixed(p))])
        print([h.words for h in detect("wat betekent deurwaarder in mijn boek", folder=folder)])
    """).splitlines()
    assert out == ["False []", "False ['deurwaarder']", "False ['blauwe tram']",
                   "True ['deurwaarder']", "True ['deurwaarder']", "True ['blauwe tram']", "['deurwaarder']"]


def test_sentence_meaning_is_shared_across_languages_and_needs_no_download() -> None:
    """bot/embeddings.py: the model ships inside the package (no network here), a cry for help in Dutch lies
    nearer to the same in Arabic and Somali than to a question about a lesson in those languages, and a
    trained classifier pickles without the engine (the engine is loaded again where the model is used)."""
    out = in_bot_env("""
        import pickle
        from bot.embeddings import embed
        from bot.safety_model import score, train
        e = embed(["ik wil niet meer leven", "أريد أن أموت", "ma rabo inaan noolaado", "متى درسي غدا؟",
                   "casharkaygu goorma ayuu yahay?"])
        print(*(round(float(s), 3) for s in e[1:] @ e[0]))
        examples = [(t, "distress") for t in ("ik wil niet meer leven", "ik wil dood", "ik kan niet meer")]
        examples += [(t, "none") for t in ("wanneer is mijn les", "waar is mijn les", "dank je wel", "hallo")]
        blob = pickle.dumps(train(examples))
        print(len(blob), score(pickle.loads(blob), "ik wil niet meer leven").safety_class)
    """).split()
    arabic, somali, lesson_ar, lesson_so = map(float, out[:4])
    assert arabic > lesson_ar and somali > lesson_so, out
    assert int(out[4]) < 5_000_000 and out[5] == "distress"


def test_a_long_message_is_read_whole_in_a_bounded_number_of_parts() -> None:
    """A pasted letter of 90 sentences: at most MAX_SENTENCE_PARTS parts besides the whole (each is embedded,
    so the work per message stays bounded), every sentence still in one of them, and a cry for help in its
    last sentence is still found; the embedder reads the first MAX_CHARS characters of a part."""
    out = in_bot_env("""
        import numpy as np
        from bot.embeddings import MAX_CHARS, embed
        from bot.safety_model import MAX_SENTENCE_PARTS, parts, score, train
        filler = [f"regel {i} van de brief over de uitkering van de maand" for i in range(89)]
        text = ". ".join([*filler, "ik wil niet meer leven"])
        pieces = parts(text)
        print(len(pieces) <= 1 + MAX_SENTENCE_PARTS, all(any(s in p for p in pieces[1:]) for s in filler))
        examples = [(t, "distress") for t in ("ik wil niet meer leven", "ik wil dood", "ik kan niet meer")]
        examples += [(t, "none") for t in ("regel 3 van de brief over de uitkering", "wanneer is mijn les",
                                           "dank je wel", "hallo", "de brief over de uitkering van de maand")]
        print(score(train(examples), text).safety_class)
        print(bool(np.allclose(embed([text])[0], embed([text[:MAX_CHARS]])[0])))
    """).split()
    assert out == ["True", "True", "distress", "True"]


@pytest.mark.parametrize("text", ["...", "\u200b\u200f ", "", "?!", "😀🎉"])
def test_a_message_without_words_has_no_parts(text: str) -> None:
    """Punctuation, invisible characters or emoji alone: nothing to read, and no error (the model server
    answered such a message with a 500, so the person heard nothing)."""
    assert in_bot_env(f"""
        from bot.safety_model import parts
        print(parts({text!r}))
    """).strip() == "[]"


def test_characters_that_expand_do_not_crash_the_sentence_embedder() -> None:
    """Arabic ligatures ("ﷺ", "﷽", "ﷲ") stand for many letters; the engine's tokeniser overran its buffer on
    fifty of them and aborted the whole Rasa process, for everyone (a message from one person could do it)."""
    out = in_bot_env("""
        from bot.embeddings import DIM, embed
        texts = ["ﷺ" * 500, "ﷺ " * 300, "﷽" * 300, "ان شاء ﷲ " * 40, "ﳲ" * 256, "ǅ" * 300]
        print(embed(texts).shape == (len(texts), DIM))
    """).split()
    assert out == ["True"]


def test_the_question_beside_a_safety_part_is_read_from_the_other_sentences() -> None:
    """A message of several sentences: the question is taken from the sentences the safety layer did not fire
    on, each read alone, not from the whole message (whose ranking the safety part pulls towards itself)."""
    out = in_bot_env("""
        from rasa_sdk import Tracker
        from actions.safety import SENTENCE_CONFIDENCE, _hits
        hit = {"safety_class": "money", "level": "sure", "words": "evi bosalt", "phrase": "", "language": "tr"}
        whole = [{"name": "ask_payment_status", "confidence": 0.47}, {"name": "ask_lessons", "confidence": 0.3}]
        def question(safety):
            tracker = Tracker("s", {}, {"text": "t", "safety": safety}, [], False, None, {}, None)
            return _hits(tracker)[1]
        rest = [{"text": "yarin ders kacta", "ranking": [{"name": "ask_lessons", "confidence": 0.99}]}]
        print(question({"hits": [hit], "ranking": whole}))  # one sentence: the whole message's ranking
        print(question({"hits": [hit], "ranking": whole, "rest": rest}))
        print(question({"hits": [hit], "ranking": whole, "rest": []}))  # every sentence is the safety part
        weak = [{"text": "ve", "ranking": [{"name": "ask_lessons", "confidence": SENTENCE_CONFIDENCE - 0.01}]}]
        print(question({"hits": [hit], "ranking": whole, "rest": weak}))
    """).split()
    assert out == ["ask_payment_status", "ask_lessons", "None", "None"]


def test_sentences_are_split_in_every_script() -> None:
    from bot.safety_model import sentences

    assert sentences("Hoe laat is de les? En de huisbaas zegt: ik moet eruit.") == [
        "hoe laat is de les", "en de huisbaas zegt: ik moet eruit"]
    assert len(sentences("ايمتى الدرس بكرا؟ وكمان وصلتني ورقة")) == 2
    assert len(sentences("ጽባሕ ትምህርቲ ሰዓት ክንደይ እዩ። ካልእ ድማ")) == 2
    assert sentences("...") == []
