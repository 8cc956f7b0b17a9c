"""The safety layer in the NLU graph: runs on every message after the intent classifier and the fallback,
whatever they decided. When a safety class fires (bot/safety.py), the intent becomes `safety_case`, and
what the classifier made of the message travels along in `safety`, so the action can hand off and still
answer the other question in the same message. The classifier's own safety intents count too (its
ranking: its top guess, before the fallback hides it)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety import detect

INTENT_NAME = "safety_case"
PROPERTY = "safety"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyDetector(GraphComponent):
    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SafetyDetector:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            hits = detect(message.get(TEXT) or "", ranking=message.get(INTENT_RANKING_KEY))
            if not hits:
                continue
            classified = message.get(INTENT) or {}
            ranking = [{"name": g.get("name"), "confidence": g.get("confidence")}
                       for g in (message.get(INTENT_RANKING_KEY) or [])[:5]]
            message.set(PROPERTY, {"hits": [asdict(h) for h in hits], "intent": classified.get("name"),
                                   "confidence": classified.get("confidence"), "ranking": ranking},
                        add_to_output=True)
            intent = {"name": INTENT_NAME, "confidence": 1.0}
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent, *(message.get(INTENT_RANKING_KEY) or [])[:4]],
                        add_to_output=True)
        return messages
