"""The intent classifier (bot/intent_model.py): its half that reads meaning carries a topic learnt in Dutch and
English to a question in Arabic or Turkish with no word in common, which the n-gram half cannot; the two together
raise the right topic where the n-grams alone see nothing. Runs in the bot's environment (scikit-learn and the
sentence embedder), in a subprocess."""

from test_safety_model import in_bot_env


def test_a_topic_learnt_in_dutch_and_english_is_read_in_arabic_and_turkish() -> None:
    out = in_bot_env("""
        from bot.intent_model import RANKING_LENGTH, rank, train
        lessons = ("wanneer is mijn les", "hoe laat begint de taalles", "when is my class",
                   "what time does my lesson start", "heb ik morgen les")
        appointments = ("wanneer is mijn afspraak", "ik heb een afspraak bij de gemeente", "when is my appointment",
                        "my meeting with the consultant")
        examples = [(t, "ask_lessons") for t in lessons] + [(t, "ask_appointments") for t in appointments]
        examples += [(t, "greet") for t in ("hallo", "goedemorgen", "hello", "good morning", "hoi")]
        model = train(examples)
        meaning, spelling = model.named_estimators_["meaning"], model.named_estimators_["spelling"]
        labels = list(model.classes_)
        for text in ("متى يبدأ درس اللغة", "موعدي مع البلدية متى", "dil dersim saat kaçta başlıyor", "السلام عليكم"):
            print(labels[meaning.predict_proba([text])[0].argmax()])
        text, lessons = "متى يبدأ درس اللغة", labels.index("ask_lessons")
        both = dict(rank(model, [text])[0])["ask_lessons"]
        print(both > spelling.predict_proba([text])[0][lessons] + 0.2)
        ranking = rank(model, ["hallo"])[0]
        print(len(ranking) <= RANKING_LENGTH, [p for _, p in ranking] == sorted((p for _, p in ranking), reverse=True))
    """).split()
    assert out == ["ask_lessons", "ask_appointments", "ask_lessons", "greet", "True", "True", "True"]


def test_words_typed_without_accents_read_as_with_them() -> None:
    """Many people type Turkish, Dutch or Somali without accents on a phone keyboard: the n-gram half reads
    "sinavi gectim mi" as the "sınavı geçtim mi" it learnt; Arabic and Ethiopic letters keep their marks."""
    from bot.text import fold

    assert fold("Sınavı geçtim mi?") == fold("sinavi gectim mi?") == "sinavi gectim mi?"
    assert fold("İntihar") == "intihar" and fold("Één afspraak") == "een afspraak"
    assert fold("آیا در امتحان کامیاب شدم") == "ایا در امتحان کامیاب شدم"  # normalise's letter forms only
    assert fold("ፈተና ሓሊፈ ዶ") == "ፈተና ሓሊፈ ዶ" and fold("پښتو") == "پښتو"
    out = in_bot_env("""
        from bot.intent_model import train
        examples = [("sınavı geçtim mi", "ask_decision"), ("sınav sonucum ne oldu", "ask_decision"),
                    ("yarın ders kaçta", "ask_lessons"), ("derse saat kaçta gideceğim", "ask_lessons")]
        spelling = train(examples).named_estimators_["spelling"]
        a, b = spelling.predict_proba(["sınavı geçtim mi", "sinavi gectim mi"])
        print(list(a) == list(b))
    """).split()
    assert out == ["True"]
