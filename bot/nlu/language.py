"""Detects the language of each message: the script first, then a character n-gram model trained on
our own training data (knows Arabizi and Dutch words mixed in), checked against CLD2 (packaged with
pycld2, no downloads). Emits entity `detected_language` when fairly sure, and also `written_language` when
sure: a message of a few words on which both models agree. A greeting like "salaam" is written the same way
in several of our languages; for it the case-data language of a verified person wins (bot.resources)."""

from __future__ import annotations

import pickle
import re
from pathlib import Path
from typing import Any

import pycld2
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from bot.text import normalise

ENTITY = "detected_language"
SURE_ENTITY = "written_language"
_GEEZ = re.compile("[\u1200-\u137f]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_FILE = "language_model.pkl"


def detect(model: Pipeline, text: str) -> tuple[str | None, float]:
    """(language code, confidence) or (None, 0) for text that says nothing about its language."""
    clean = normalise(text)
    if len(_LETTER.findall(clean)) < 2:
        return None, 0.0
    if _GEEZ.search(clean):
        return "ti", 1.0
    probs = model.predict_proba([clean])[0]
    best = int(probs.argmax())
    own, own_conf = str(model.classes_[best]), float(probs[best])
    try:
        reliable, _, details = pycld2.detect(clean, bestEffort=True)
    except pycld2.error:
        return own, own_conf
    cld_code, cld_percent = details[0][1], details[0][2]
    if cld_code == own:
        return own, max(own_conf, 0.9)
    # CLD2 knows general language well but not Arabizi or one-word Dutch terms: trust it on longer
    # text in one of our languages, and our own model otherwise.
    if cld_code in model.classes_ and reliable and cld_percent >= 90 and len(clean) >= 20 and own_conf < 0.8:
        return cld_code, 0.8
    return own, own_conf


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class LanguageDetector(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # data_dir: one NLU file per language, named <code>.yml; min_confidence: below it, say nothing;
        # sure_confidence (both models agree: 0.9) and sure_words (words with letters): the written language
        # outweighs the case data.
        return {"data_dir": "data/nlu", "min_confidence": 0.55, "sure_confidence": 0.9, "sure_words": 3}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: Pipeline | None = None) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LanguageDetector:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        texts: list[str] = []
        labels: list[str] = []
        for path in sorted(Path(self._config["data_dir"]).glob("*.yml")):
            for message in load_data(str(path)).intent_examples:
                texts.append(normalise(message.get(TEXT)))
                labels.append(path.stem)
        model = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), max_features=40000, sublinear_tf=True),
            LogisticRegression(max_iter=2000, C=5.0),
        )
        model.fit(texts, labels)
        with self._storage.write_to(self._resource) as directory:
            (directory / _FILE).write_bytes(pickle.dumps(model))
        self._model = model
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LanguageDetector:
        with model_storage.read_from(resource) as directory:
            model = pickle.loads((directory / _FILE).read_bytes())  # our own artefact
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            code, confidence = detect(self._model, text)
            if not code or confidence < self._config["min_confidence"]:
                continue
            words = sum(bool(_LETTER.search(word)) for word in normalise(text).split())
            sure = confidence >= self._config["sure_confidence"] and words >= self._config["sure_words"]
            entities = message.get(ENTITIES, [])
            for name in (ENTITY, SURE_ENTITY) if sure else (ENTITY,):
                entities.append({"entity": name, "value": code, "start": 0, "end": 0,
                                 "confidence": round(confidence, 3), "extractor": "LanguageDetector"})
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
