"""The languages the assistant speaks: one data file per language in bot/languages (adding one is data)."""

from dataclasses import dataclass
from functools import lru_cache

import yaml

from app.config import REPO_ROOT
from bot.resources import SOURCE

LANGUAGES_DIR = REPO_ROOT / "bot" / "languages"


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    babel_locale: str
    rtl: bool


@lru_cache
def all_languages() -> dict[str, Language]:
    found = {}
    for path in sorted(LANGUAGES_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["code"]] = Language(code=data["code"], name=data.get("name", data["code"]),
                                       babel_locale=data.get("babel_locale", data["code"]),
                                       rtl=bool(data.get("rtl", False)))
    return found


def targets() -> list[str]:
    """Languages messages are translated into (all but the Dutch source)."""
    return [code for code in all_languages() if code != SOURCE]
