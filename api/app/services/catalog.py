"""The assistant's messages: Dutch sources (B1) from the Rasa domain, keyed by response name.

Translations live in the database with their review state (services/translations.py) and are exchanged
with locales/<lang>/LC_MESSAGES/bot.po (services/po_sync.py), where the key is the msgctxt.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from app.config import REPO_ROOT

DOMAIN_DIR = REPO_ROOT / "bot" / "domain"


@dataclass(frozen=True)
class Source:
    key: str
    text: str
    topic: str  # the domain file it is defined in: where in the conversation it appears
    # "high": obligations, money, deadlines, hand-off, privacy; sent in a language only once approved.
    impact: str = "normal"


def load_sources(domain_dir: Path = DOMAIN_DIR) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for path in sorted(domain_dir.glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        for key, variations in responses.items():
            impact = (variations[0].get("metadata") or {}).get("impact", "normal")
            sources[key] = Source(key=key, text=variations[0]["text"], topic=path.stem, impact=impact)
    return sources


@lru_cache
def cached_sources() -> dict[str, Source]:
    return load_sources()
