"""Language resources of the bot, read from data files: adding a language adds files, not code.

bot/languages/<code>.yml  name, Babel locale, direction, names of the language, date words
bot/terms.yml             Dutch institutional terms and ontzorgen items with the ways people write them
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

BOT_DIR = Path(__file__).resolve().parent
LANGUAGES_DIR = BOT_DIR / "languages"
TERMS_FILE = BOT_DIR / "terms.yml"


@cache
def languages(directory: str = str(LANGUAGES_DIR)) -> dict[str, dict[str, Any]]:
    """All language resource files, keyed by language code (Dutch first)."""
    found = {}
    for path in sorted(Path(directory).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["code"]] = data
    return dict(sorted(found.items(), key=lambda kv: kv[0] != "nl"))


def language_codes() -> list[str]:
    return list(languages())


@cache
def terms(path: str = str(TERMS_FILE)) -> dict[str, dict[str, list[str]]]:
    """{entity: {canonical value: [ways of writing it]}} for term, item and language."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    result: dict[str, dict[str, list[str]]] = {k: dict(v) for k, v in data.items()}
    # Language names come from the language files, so a new language needs no edit here.
    result["language"] = {code: [*lang.get("names", []), lang["name"]] for code, lang in languages().items()}
    return result
