"""Finds Dutch institutional terms (PIP, KNM, Z-route ...), ontzorgen items and language names in a
message with spaCy's PhraseMatcher over a blank multi-language pipeline. The ways of writing each are
data (bot/terms.yml, bot/languages/*.yml); the matched value is the canonical key. Endings glued on, as
the language files list them (Turkish "DUOdan", Somali "PIP-ka"), are matched too, and an ending after
an apostrophe ("Z-route'u", "KNM'den": Turkish writes them so on names) is cut off before matching."""

from __future__ import annotations

import re
from typing import Any

import spacy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.matcher import PhraseMatcher

from bot import resources
from bot.text import normalise

# An ending is tried only on a term of at least this many letters ("pip" + "de"; not "b1" + "a").
MIN_STEM = 3
_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")


def _suffixes() -> set[str]:
    return {normalise(suffix) for lang in resources.languages().values()
            for suffix in lang.get("affixes", {}).get("suffixes", [])}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class TermMatcher(GraphComponent):
    def __init__(self) -> None:
        self._nlp = spacy.blank("xx")
        self._matcher = PhraseMatcher(self._nlp.vocab, attr="LOWER")
        self._values: dict[str, tuple] = {}
        suffixes = _suffixes()
        for entity, values in resources.terms().items():
            for value, variants in values.items():
                label = f"{entity}:{value}"
                self._values[label] = (entity, value)
                patterns = {normalise(v) for v in variants if v}
                if entity == "term":  # Dutch words inside another language's sentence take its endings
                    patterns |= {f"{p}{s}" for p in patterns if len(p) >= MIN_STEM and p.isascii() for s in suffixes}
                self._matcher.add(label, [self._nlp.make_doc(p) for p in sorted(patterns)])

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TermMatcher:
        return cls()

    def find(self, text: str) -> list[dict[str, Any]]:
        doc = self._nlp.make_doc(_APOSTROPHE.sub(" ", text))  # same length: the offsets stay right
        found = []
        # Longest match wins where matches overlap ("b1 route" over "b1").
        spans = sorted(self._matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
        taken_until = -1
        for match_id, start, end in spans:
            if start < taken_until:
                continue
            entity, value = self._values[self._nlp.vocab.strings[match_id]]
            span = doc[start:end]
            found.append({"entity": entity, "value": value, "start": span.start_char, "end": span.end_char,
                          "confidence": 1.0, "extractor": "TermMatcher"})
            taken_until = end
        return found

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                entities = message.get(ENTITIES, []) + self.find(text)
                message.set(ENTITIES, entities, add_to_output=True)
        return messages
