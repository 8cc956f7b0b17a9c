"""Resolves day words in a message ("morgen", "غدا", "yarın", "on Thursday") to dates in
Europe/Amsterdam. The words come from bot/languages/<code>.yml, so a new language needs no code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from bot import resources
from bot.text import normalise

TZ = ZoneInfo("Europe/Amsterdam")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    single_day: bool


def today() -> date:
    return datetime.now(TZ).date()


@cache
def _phrases() -> list[tuple[re.Pattern[str], str]]:
    """(pattern, meaning) per day word, longest first so "overmorgen" wins over "morgen". Whole words
    only, except in Arabic script, where prefixes are glued on (بكرا / ببكرا)."""
    pairs = []
    for lang in resources.languages().values():
        dates = lang.get("dates", {})
        for key in ("today", "tomorrow", "day_after_tomorrow", "yesterday", "this_week", "next_week"):
            pairs += [(normalise(p), key) for p in dates.get(key, []) if p]
        for index, names in enumerate(dates.get("weekdays", [])):
            pairs += [(normalise(p), f"weekday:{index}") for p in names if p]
    patterns = []
    for phrase, meaning in sorted(set(pairs), key=lambda pair: -len(pair[0])):
        word = re.escape(phrase)
        if not _ARABIC_SCRIPT.search(phrase):
            word = rf"(?<![^\W\d_]){word}(?![^\W\d_])"
        patterns.append((re.compile(word), meaning))
    return patterns


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
