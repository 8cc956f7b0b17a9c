"""The assistant's messages: Dutch sources from the Rasa domain, translations from gettext PO files.

Every message has a key (the response name, used as msgctxt). The domain in bot/domain holds the Dutch
source text; locales/<lang>/LC_MESSAGES/bot.po holds the translations.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polib
import yaml

from app.config import REPO_ROOT

DOMAIN_DIR = REPO_ROOT / "bot" / "domain"
LOCALES_DIR = REPO_ROOT / "locales"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Source:
    key: str
    text: str
    topic: str  # the domain file it is defined in: where in the conversation it appears


def load_sources(domain_dir: Path = DOMAIN_DIR) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for path in sorted(domain_dir.glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        for key, variations in responses.items():
            sources[key] = Source(key=key, text=variations[0]["text"], topic=path.stem)
    return sources


def po_path(lang: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / "bot.po"


def load_translations(lang: str, locales_dir: Path = LOCALES_DIR) -> dict[str, polib.POEntry]:
    path = po_path(lang, locales_dir)
    if not path.exists():
        return {}
    return {e.msgctxt: e for e in polib.pofile(str(path)) if e.msgctxt and not e.obsolete}


def languages(locales_dir: Path = LOCALES_DIR) -> list[str]:
    """Languages with a catalog; Dutch is the source and always there."""
    return ["nl", *sorted(p.parent.parent.name for p in locales_dir.glob("*/LC_MESSAGES/bot.po"))]


@lru_cache
def cached_sources() -> dict[str, Source]:
    return load_sources()


@lru_cache
def cached_translations(lang: str) -> dict[str, polib.POEntry]:
    return load_translations(lang)


def write_template(path: Path, sources: dict[str, Source]) -> None:
    """locales/bot.pot: what translators start from."""
    pot = polib.POFile()
    pot.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "nl"}
    for source in sources.values():
        pot.append(polib.POEntry(msgctxt=source.key, msgid=source.text, msgstr="",
                                 occurrences=[(f"bot/domain/{source.topic}.yml", "")]))
    path.parent.mkdir(parents=True, exist_ok=True)
    pot.save(str(path))
