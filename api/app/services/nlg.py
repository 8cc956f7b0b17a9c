"""Rasa's NLG endpoint: every message the assistant sends is rendered here.

Picks the language (the person's own choice, else the language they write in, else the case data,
else Dutch), takes the translation of the keyed template (Dutch source when there is none), and fills
the placeholders, formatting dates and times for that language.
"""

import re
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from babel.dates import format_date, format_datetime, format_time

from app.config import REPO_ROOT
from app.services.catalog import cached_sources, cached_translations

TZ = ZoneInfo("Europe/Amsterdam")
LANGUAGES_DIR = REPO_ROOT / "bot" / "languages"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@lru_cache
def babel_locales() -> dict[str, str]:
    found = {}
    for path in LANGUAGES_DIR.glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["code"]] = data.get("babel_locale", data["code"])
    return found


def pick_language(slots: dict[str, Any]) -> str:
    """The one rule for the reply language."""
    known = babel_locales()
    for slot in ("language", "detected_language", "client_language"):
        value = slots.get(slot)
        if isinstance(value, str) and value in known:
            return value
    return "nl"


def template(key: str, language: str) -> str | None:
    source = cached_sources().get(key)
    if source is None:
        return None
    if language != "nl":
        entry = cached_translations(language).get(key)
        if entry is not None and entry.msgstr.strip():
            return entry.msgstr
    return source.text


def _format_value(name: str, value: Any, language: str) -> str:
    locale = babel_locales().get(language, "nl_NL")
    if isinstance(value, list):
        return ", ".join(_format_value(name, v, language) for v in value)
    if isinstance(value, str) and value.startswith("@"):
        return template(value[1:], language) or value[1:]
    try:
        if name.endswith("_date") and isinstance(value, str):
            return format_date(date.fromisoformat(value[:10]), format="EEEE d MMMM", locale=locale)
        if name.endswith("_time") and isinstance(value, str):
            moment = datetime.fromisoformat(value)
            local = moment.astimezone(TZ) if moment.tzinfo else moment
            return format_time(local.time() if moment.tzinfo else time.fromisoformat(value), format="HH:mm",
                               locale=locale)
        if name == "month" and isinstance(value, str):
            return format_datetime(datetime.fromisoformat(value[:10]), format="LLLL yyyy", locale=locale)
    except ValueError:
        pass
    return str(value)


def render(key: str, arguments: dict[str, Any], language: str) -> str | None:
    text = template(key, language)
    if text is None:
        return None
    return _PLACEHOLDER.sub(lambda m: _format_value(m.group(1), arguments.get(m.group(1), ""), language), text)


def respond(body: dict[str, Any]) -> dict[str, Any]:
    """Answer one request in Rasa's NLG protocol."""
    tracker = body.get("tracker") if isinstance(body.get("tracker"), dict) else {}
    slots = tracker.get("slots") if isinstance(tracker.get("slots"), dict) else {}
    given = body.get("arguments") if isinstance(body.get("arguments"), dict) else {}
    arguments = {**slots, **given}
    language = pick_language(arguments)
    key = str(body.get("response") or body.get("template") or "")
    text = render(key, arguments, language)
    return {"text": text, "buttons": [], "image": None, "elements": [], "attachments": [],
            "custom": {"key": key, "language": language}}
