"""The safety layer in the NLU graph: runs on every message after the intent classifier and the fallback,
whatever they decided. When a safety class fires (bot/safety.py: the lexicons, the safety classifier of
bot/safety_model.py trained here with the model, and the intent classifier's own safety intents), the
intent becomes `safety_case`, and what the classifier made of the message travels along in `safety`, so
the action can hand off and still answer the other question in the same message."""

from __future__ import annotations

import pickle
from dataclasses import asdict
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.ensemble import VotingClassifier

from bot import safety_model
from bot.nlu.intents import SENTENCES
from bot.safety import detect
from bot.safety_changes import RemoteChanges

INTENT_NAME = "safety_case"
PROPERTY = "safety"
_FILE = "safety_model.pkl"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SafetyDetector(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # The safety data is read here, not passed in by Rasa: its fingerprint in the config makes Rasa's
        # training cache retrain the component when the data changes.
        return {"safety_data": safety_model.fingerprint()}

    def __init__(self, model_storage: ModelStorage, resource: Resource, model: VotingClassifier | None = None) -> None:
        self._storage = model_storage
        self._resource = resource
        self._model = model
        self._changes = RemoteChanges.from_env()  # the reviewers' lexicon changes, from the API

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SafetyDetector:
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        intents = [(m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples]
        self._model = safety_model.train(safety_model.load_examples() + safety_model.from_intents(intents))
        with self._storage.write_to(self._resource) as directory:
            (directory / _FILE).write_bytes(pickle.dumps(self._model))
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> SafetyDetector:
        with model_storage.read_from(resource) as directory:
            model = pickle.loads((directory / _FILE).read_bytes())  # our own artefact
        component = cls(model_storage, resource, model)
        safety_model.score(model, "warm up")  # loads the sentence embedder now, not on someone's first message
        component._changes.start()
        return component

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            hits = detect(message.get(TEXT) or "", ranking=message.get(INTENT_RANKING_KEY), model=self._model,
                          changes=self._changes.current())
            if not hits:
                continue
            classified = message.get(INTENT) or {}
            ranking = [{"name": g.get("name"), "confidence": g.get("confidence")}
                       for g in (message.get(INTENT_RANKING_KEY) or [])[:5]]
            # The sentences the layer does not fire on, read alone: where the other question of the message is.
            sentences = message.get(SENTENCES)  # ranked only now, for a message that has a safety part
            rest = [{"text": sentence, "ranking": ranked[:5]} for sentence, ranked in sentences()
                    if not detect(sentence, ranking=ranked, model=self._model, changes=self._changes.current())
                    ] if sentences else None
            message.set(PROPERTY, {"hits": [asdict(h) for h in hits], "intent": classified.get("name"),
                                   "confidence": classified.get("confidence"), "ranking": ranking,
                                   **({"rest": rest} if rest is not None else {})},
                        add_to_output=True)
            intent = {"name": INTENT_NAME, "confidence": 1.0}
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent, *(message.get(INTENT_RANKING_KEY) or [])[:4]],
                        add_to_output=True)
        return messages
