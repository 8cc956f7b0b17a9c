"""Messages that need no classifier: a 6-digit pairing code, a menu number, a bare language name,
an empty or emoji-only message. Runs after the intent classifier and overrides it."""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import resources
from bot.text import normalise

_CODE = re.compile(r"^\D{0,30}(\d{3})[ -]?(\d{3})\D{0,3}$")
_DIGIT = re.compile(r"^(\d{1,2})[.)]?$")
_WORD = re.compile(r"[^\W_]", re.UNICODE)
# Emoji people answer with; anything else without letters or digits is "empty".
_EMOJI_INTENTS = {"👍": "affirm", "👌": "affirm", "✅": "affirm", "👎": "deny", "❌": "deny",
                  "🙏": "thank", "❤": "thank", "👋": "greet", "😢": "distress", "😭": "distress"}


def shortcut(text: str, language_names: dict[str, str]) -> dict[str, Any] | None:
    """The intent (and entity) a message gets without the classifier, or None."""
    clean = normalise(text)
    if not _WORD.search(clean):
        for emoji, intent in _EMOJI_INTENTS.items():
            if emoji in text:
                return {"intent": intent}
        return {"intent": "empty_message"}
    match = _CODE.match(clean)
    if match:
        return {"intent": "provide_code", "entity": ("code", match.group(1) + match.group(2))}
    match = _DIGIT.match(clean)
    if match:
        return {"intent": "menu_choice", "entity": ("number", match.group(1))}
    code = language_names.get(clean)
    if code:
        return {"intent": "choose_language", "entity": ("language", code)}
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class Shortcuts(GraphComponent):
    def __init__(self) -> None:
        self._names = {normalise(name): code for code, names in resources.terms()["language"].items()
                       for name in names}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> Shortcuts:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            found = shortcut(message.get(TEXT) or "", self._names)
            if not found:
                continue
            intent = {"name": found["intent"], "confidence": 1.0}
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
            if "entity" in found:
                name, value = found["entity"]
                entities = [e for e in message.get(ENTITIES, []) if e["entity"] != name]
                entities.append({"entity": name, "value": value, "start": 0, "end": len(message.get(TEXT) or ""),
                                 "confidence": 1.0, "extractor": "Shortcuts"})
                message.set(ENTITIES, entities, add_to_output=True)
        return messages
