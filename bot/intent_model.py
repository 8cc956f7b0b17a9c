"""The intent classifier: what a message asks (a lesson, an appointment, the route ...), in any of our languages.

The average of two models, as the safety classifier (bot/safety_model.py): one over word and character n-grams
(spellings, prefixes and suffixes; what Rasa's CountVectorsFeaturizer and LogisticRegressionClassifier did here
before) and one over what a sentence means (multilingual sentence embeddings, bot/embeddings.py), so a question
asked in words the training data does not have still lands on its topic. The weight of meaning was chosen by
5-fold cross-validation over the training data (docs/benchmarks.md), not on the held-out sets.

scikit-learn and the embedder, no Rasa: the NLU component (bot/nlu/intents.py) wraps it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sklearn.ensemble import VotingClassifier

MEANING_WEIGHT = 0.4  # cross-validated accuracy per language, mean / worst: 0 -> 83.8 / 73.8, 0.4 -> 89.8 / 80.2
RANKING_LENGTH = 10  # as Rasa's classifiers: the intents after the tenth are left out of the ranking


def train(examples: list[tuple[str, str]]) -> VotingClassifier:
    """Fit on (normalised text, intent) pairs."""
    from sklearn.ensemble import VotingClassifier
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    from bot.embeddings import meaning_model
    from bot.text import fold

    spelling = Pipeline([
        ("features", FeatureUnion([
            ("words", CountVectorizer(analyzer="word", preprocessor=fold, max_features=6000)),
            ("chars", CountVectorizer(analyzer="char_wb", preprocessor=fold, ngram_range=(2, 4), max_features=20000)),
        ])),
        ("model", LogisticRegression(max_iter=300, random_state=2021)),
    ])
    model = VotingClassifier([("spelling", spelling), ("meaning", meaning_model())], voting="soft",
                             weights=[1 - MEANING_WEIGHT, MEANING_WEIGHT])
    model.fit([text for text, _ in examples], [intent for _, intent in examples])
    return model


def rank(model: VotingClassifier, texts: list[str]) -> list[list[tuple[str, float]]]:
    """Per text, the intents with their probability, most likely first."""
    if not texts:
        return []
    labels = [str(label) for label in model.classes_]
    return [sorted(zip(labels, map(float, row), strict=True), key=lambda pair: -pair[1])[:RANKING_LENGTH]
            for row in model.predict_proba(texts)]
