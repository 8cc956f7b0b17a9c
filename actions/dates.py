"""Resolves day words in a message ("morgen", "غدا", "yarın", "on Thursday") to dates in
Europe/Amsterdam. The words, and the prefixes and endings glued onto them, come from
bot/languages/<code>.yml, so a new language needs no code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from bot import resources
from bot.text import normalise

TZ = ZoneInfo("Europe/Amsterdam")
# An ending is tried only on a day word of at least this many letters: "dün" (yesterday) + "ya" is "dünya".
# A language's file may set its own (`affixes: min_stem`): a Ge'ez letter is a whole syllable.
MIN_STEM = 4


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    single_day: bool


def today() -> date:
    return datetime.now(TZ).date()


@cache
def _phrases() -> list[tuple[re.Pattern[str], str]]:
    """(pattern, meaning) per day word, longest first so "overmorgen" wins over "morgen". Whole words, with
    the prefixes and endings the language's file lists (Tigrinya "ብሓሙስ" = on Thursday, Turkish "perşembeye");
    in a language whose file's affixes say `inside_words` (Arabic script: "بكرا" / "ببكرا") anywhere in a word, except
    the file's words in Latin letters (Arabizi, Dutch)."""
    found: dict[str, tuple[int, re.Pattern[str], str]] = {}
    for lang in resources.languages().values():
        dates, affixes = lang.get("dates", {}), lang.get("affixes", {})
        pairs = [(normalise(p), key) for key in ("today", "tomorrow", "day_after_tomorrow", "yesterday",
                                                 "this_week", "next_week") for p in dates.get(key, []) if p]
        pairs += [(normalise(p), f"weekday:{index}") for index, names in enumerate(dates.get("weekdays", []))
                  for p in names if p]
        prefixes = "|".join(re.escape(normalise(a)) for a in affixes.get("prefixes", []))
        suffixes = "|".join(re.escape(normalise(a)) for a in affixes.get("suffixes", []))
        for phrase, meaning in pairs:
            word = re.escape(phrase)
            if not (affixes.get("inside_words") and not phrase.isascii()):  # Latin letters: whole words
                before = f"(?:{prefixes})?" if prefixes else ""
                after = f"(?:{suffixes})?" if suffixes and len(phrase) >= affixes.get("min_stem", MIN_STEM) else ""
                word = rf"(?<![^\W\d_]){before}{word}{after}(?![^\W\d_])"
            found.setdefault(word, (len(phrase), re.compile(word), meaning))
    return [(pattern, meaning) for _, pattern, meaning in sorted(found.values(), key=lambda f: -f[0])]


def find_period(text: str, now: date | None = None) -> Period | None:
    """The day or week the message speaks of, or None."""
    clean = f" {normalise(text)} "
    day = now or today()
    for pattern, meaning in _phrases():
        if not pattern.search(clean):
            continue
        if meaning == "today":
            return Period(day, day, True)
        if meaning == "tomorrow":
            return Period(day + timedelta(days=1), day + timedelta(days=1), True)
        if meaning == "day_after_tomorrow":
            return Period(day + timedelta(days=2), day + timedelta(days=2), True)
        if meaning == "yesterday":
            return Period(day - timedelta(days=1), day - timedelta(days=1), True)
        if meaning == "this_week":
            return Period(day, day + timedelta(days=6 - day.weekday()), False)
        if meaning == "next_week":
            monday = day + timedelta(days=7 - day.weekday())
            return Period(monday, monday + timedelta(days=6), False)
        weekday = int(meaning.split(":")[1])
        ahead = (weekday - day.weekday()) % 7
        target = day + timedelta(days=ahead)
        return Period(target, target, True)
    return None


def day_bounds(start: date, end: date) -> tuple[str, str]:
    """ISO datetimes of [start 00:00, end+1 00:00) in Amsterdam time, for the API's range query."""
    begin = datetime.combine(start, datetime.min.time(), TZ)
    stop = datetime.combine(end + timedelta(days=1), datetime.min.time(), TZ)
    return begin.isoformat(), stop.isoformat()
