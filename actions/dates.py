"""Resolves day words in a message ("morgen", "غدا", "yarın", "on Thursday") to dates in
Europe/Amsterdam. The words come from bot/languages/<code>.yml, so a new language needs no code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import resources
from bot.text import normalise

TZ = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    single_day: bool


def today() -> date:
    return datetime.now(TZ).date()


def _phrases() -> list[tuple[str, str]]:
    """(normalised phrase, meaning) pairs, longest first so "overmorgen" wins over "morgen"."""
    pairs = []
    for lang in resources.languages().values():
        dates = lang.get("dates", {})
        for key in ("today", "tomorrow", "day_after_tomorrow", "yesterday", "this_week", "next_week"):
            pairs += [(normalise(p), key) for p in dates.get(key, []) if p]
        for index, names in enumerate(dates.get("weekdays", [])):
            pairs += [(normalise(p), f"weekday:{index}") for p in names if p]
    return sorted(set(pairs), key=lambda pair: -len(pair[0]))


_CACHE: dict[str, list[tuple[str, str]]] = {}


def find_period(text: str, now: date | None = None) -> Period | None:
    """The day or week the message speaks of, or None."""
    phrases = _CACHE.setdefault("phrases", _phrases())
    clean = f" {normalise(text)} "
    day = now or today()
    for phrase, meaning in phrases:
        # Whole words only; Arabic-script languages glue prefixes on (بكرا / ببكرا) so allow them there.
        pattern = rf"(?<![^\W\d_]){re.escape(phrase)}(?![^\W\d_])"
        if not re.search(pattern, clean) and not (re.search("[\u0600-\u06ff]", phrase) and phrase in clean):
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
