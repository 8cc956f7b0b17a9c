"""The intent classifier in the NLU graph (bot/intent_model.py): our own code behind Rasa's component interface,
so it moves with us if the framework is replaced. Sets `intent` and `intent_ranking` as Rasa's classifiers do;
the shortcuts, the fallback and the safety layer come after it."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
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
# The sentences of a message of two or more, each ranked on its own when asked (by the safety layer, only when it
# fired: the question beside a safety part is read from the sentences it did not fire on, and other messages pay
# nothing for it). Not in the parse output; up to this many sentences.
SENTENCES = "sentence_rankings"
MAX_SENTENCES = 4


@dataclass(frozen=True)
class SentenceRankings:
    model: VotingClassifier
    sentences: list[str]

    def __call__(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """Each sentence with its intent ranking."""
        rankings = intent_model.rank(self.model, self.sentences)
        return [(sentence, _as_dicts(ranking)) for sentence, ranking in zip(self.sentences, rankings, strict=True)]


def _as_dicts(ranking: list[tuple[str, float]]) -> list[dict[str, Any]]:
    """A ranking as Rasa's classifiers write it."""
    return [{"name": name, "confidence": confidence} for name, confidence in ranking]


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
        for message, ranking in zip(messages, intent_model.rank(self._model, [m.get(TEXT) or "" for m in messages]),
                                    strict=True):
            intents = _as_dicts(ranking)
            message.set(INTENT, intents[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, intents, add_to_output=True)
            split = safety_model.sentences(message.get(TEXT) or "")
            if 1 < len(split) <= MAX_SENTENCES:
                message.set(SENTENCES, SentenceRankings(self._model, split))
        return messages
