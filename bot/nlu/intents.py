"""The intent classifier in the NLU graph (bot/intent_model.py): our own code behind Rasa's component interface,
so it moves with us if the framework is replaced. Sets `intent` and `intent_ranking` as Rasa's classifiers do;
the shortcuts, the fallback and the safety layer come after it."""

from __future__ import annotations

import pickle
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.ensemble import VotingClassifier

from bot import fingerprints, intent_model, safety_model

_FILE = "intent_model.pkl"
# The sentences of a message of two or more, each ranked on its own (for the safety layer: the question beside
# a safety part is read from the sentences it did not fire on). Not in the parse output; up to this many.
SENTENCES = "sentence_rankings"
MAX_SENTENCES = 4


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class IntentClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"code": fingerprints.of_code("intent_model.py")}  # retrained when the code changes

    def __init__(self, model_storage: ModelStorage, resource: Resource, model: VotingClassifier | None = None) -> None:
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntentClassifier:
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [(m.get(TEXT) or "", m.get(INTENT)) for m in training_data.intent_examples]
        self._model = intent_model.train(examples)
        with self._storage.write_to(self._resource) as directory:
            (directory / _FILE).write_bytes(pickle.dumps(self._model))
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> IntentClassifier:
        with model_storage.read_from(resource) as directory:
            model = pickle.loads((directory / _FILE).read_bytes())  # our own artefact
        intent_model.rank(model, ["warm up"])  # loads the sentence embedder now, not on someone's first message
        return cls(model_storage, resource, model)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            split = safety_model.sentences(text)
            split = split if 1 < len(split) <= MAX_SENTENCES else []
            ranked = [[{"name": name, "confidence": confidence} for name, confidence in ranking]
                      for ranking in intent_model.rank(self._model, [text, *split])]
            message.set(INTENT, ranked[0][0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranked[0], add_to_output=True)
            if split:
                message.set(SENTENCES, [[sentence, ranks] for sentence, ranks in zip(split, ranked[1:], strict=True)])
        return messages
