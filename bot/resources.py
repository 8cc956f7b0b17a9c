"""Language resources of the bot, read from data files: adding a language adds files, not code.

bot/languages/<code>.yml  name, Babel locale, direction, names of the language, date words
bot/terms.yml             Dutch institutional terms and ontzorgen items with the ways people write them
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

BOT_DIR = Path(__file__).resolve().parent
LANGUAGES_DIR = BOT_DIR / "languages"
TERMS_FILE = BOT_DIR / "terms.yml"
SOURCE = "nl"  # every message is written in Dutch first and translated from there


@cache
def languages(directory: str = str(LANGUAGES_DIR)) -> dict[str, dict[str, Any]]:
    """All language resource files, keyed by language code (Dutch first)."""
    found = {}
    for path in sorted(Path(directory).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["code"]] = data
    return dict(sorted(found.items(), key=lambda kv: kv[0] != SOURCE))


def language_codes() -> list[str]:
    return list(languages())


# Where the reply language comes from, strongest first: the person's own choice from the language menu, the
# language they write in when the detector is sure, the case data of a verified number, the detector's fair
# guess (an unknown number has nothing better). Slot names of the bot's domain.
LANGUAGE_SLOTS = ("language", "written_language", "client_language", "detected_language")


def reply_language(slots: Mapping[str, Any], known: Container[str] | None = None, fallback: str = SOURCE) -> str:
    """The one rule for the language a reply is written in (the API's NLG and the actions both use it)."""
    codes = languages() if known is None else known
    for slot in LANGUAGE_SLOTS:
        value = slots.get(slot)
        if isinstance(value, str) and value in codes:
            return value
    return fallback


@cache
def terms(path: str = str(TERMS_FILE)) -> dict[str, dict[str, list[str]]]:
    """{entity: {canonical value: [ways of writing it]}} for term, item and language."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    result: dict[str, dict[str, list[str]]] = {k: dict(v) for k, v in data.items()}
    # Language names come from the language files, so a new language needs no edit here.
    result["language"] = {code: [*lang.get("names", []), lang["name"]] for code, lang in languages().items()}
    return result
