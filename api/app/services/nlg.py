"""Rasa's NLG endpoint: every message the assistant sends is rendered here.

Picks the language (the person's own choice, else the language they write in, else the case data,
else Dutch), takes the translation of the keyed template, and fills the placeholders, formatting
dates and times for that language. What may be sent (the approval gate):
- high-impact messages (obligations, money, deadlines, hand-off, privacy) only once a cultuurvertaler
  approved that translation; otherwise the Dutch source goes out with an approved one-line notice;
- other messages once translated, unless a reviewer rejected the translation;
- never a translation made from an older Dutch text.
Bilingual clients get their language and the Dutch text in one message.
"""

import re
import unicodedata
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time, get_day_names
from babel.lists import format_list
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ReviewState, TranslationUnit
from app.services.catalog import Source, cached_sources
from app.services.languages import SOURCE, all_languages
from bot.resources import reply_language

TZ = ZoneInfo("Europe/Amsterdam")
NOTICE = "utter_notice_dutch"
DUTCH_MARK = "🇳🇱"
# Free text from the case data ({"dutch": text}: what no key and label covers) is marked as Dutch in a translation.
DUTCH_TEXT = "utter_dutch_text"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
RLM = "\u200f"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # GemeenteSettings.office_hours keys


def pick_language(slots: dict[str, Any]) -> str:
    """The reply language (bot.resources.reply_language), among the languages the API knows."""
    return reply_language(slots, all_languages(), SOURCE)


def usable(unit: TranslationUnit | None, source: Source) -> bool:
    """May this translation be sent? The one rule of the approval gate."""
    if unit is None or not unit.target.strip() or unit.source != source.text:
        return False
    if source.impact == "high":
        return unit.state == ReviewState.approved
    return unit.state >= ReviewState.needs_review


def _unit(session: Session, key: str, language: str) -> TranslationUnit | None:
    return session.scalar(select(TranslationUnit).where(TranslationUnit.language == language,
                                                        TranslationUnit.key == key))


def template(session: Session, key: str, language: str) -> tuple[str, str] | None:
    """(text, language it is in): the translation if it may be sent, else the Dutch source."""
    source = cached_sources().get(key)
    if source is None:
        return None
    if language != SOURCE:
        unit = _unit(session, key, language)
        if usable(unit, source):
            assert unit is not None
            return unit.target, language
    return source.text, SOURCE


def _opening_hours(hours: dict[str, Any], locale: str) -> str:
    """{"mon": [{"opens": "09:00", "closes": "17:00"}], ...} as "maandag–vrijdag 09:00–17:00": day names
    in the person's language, consecutive days with the same hours together, closed days left out."""
    names = get_day_names("wide", locale=locale)
    groups: list[tuple[int, int, str]] = []  # (first day, last day, spans)
    for index, day in enumerate(WEEKDAYS):
        spans = ", ".join(
            f"{format_time(time.fromisoformat(s['opens']), 'HH:mm', locale=locale)}–"
            f"{format_time(time.fromisoformat(s['closes']), 'HH:mm', locale=locale)}"
            for s in hours.get(day) or [] if isinstance(s, dict))
        if not spans:
            continue
        if groups and groups[-1][1] == index - 1 and groups[-1][2] == spans:
            groups[-1] = (groups[-1][0], index, spans)
        else:
            groups.append((index, index, spans))
    return "; ".join(f"{names[first]}{'–' + names[last] if last > first else ''} {spans}"
                     for first, last, spans in groups)


def _format_value(session: Session, name: str, value: Any, language: str) -> str:
    locale = all_languages()[language].babel_locale if language in all_languages() else "nl_NL"
    if name == "hours" and isinstance(value, dict):
        try:
            return _opening_hours(value, locale)
        except (KeyError, TypeError, ValueError):
            return ""  # malformed hours: better nothing than a Python dict in a client's message
    if isinstance(value, list):  # "a, b and c" as the language writes a list
        return format_list([_format_value(session, name, v, language) for v in value], locale=locale)
    if isinstance(value, dict) and set(value) == {"label", "value"}:  # "label: value", e.g. a number or details
        return f"{_format_value(session, name, value['label'], language)}: " \
               f"{_format_value(session, name, value['value'], language)}"
    if isinstance(value, dict) and set(value) == {"dutch"}:
        marker = template(session, DUTCH_TEXT, language) if language != SOURCE else None
        return fill(session, marker[0], {"text": str(value["dutch"])}, marker[1]) if marker else str(value["dutch"])
    if isinstance(value, str) and value.startswith("@"):
        found = template(session, value[1:], language)
        return found[0] if found else value[1:]
    try:
        if name.endswith("_date") and isinstance(value, str):
            day = date.fromisoformat(value[:10])
            if len(value) > 10:  # a moment: its date in Amsterdam, not in UTC
                moment = datetime.fromisoformat(value)
                day = (moment.astimezone(TZ) if moment.tzinfo else moment).date()
            return format_date(day, format="EEEE d MMMM", locale=locale)
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


def fill(session: Session, text: str, arguments: dict[str, Any], language: str) -> str:
    return _PLACEHOLDER.sub(lambda m: _format_value(session, m.group(1), arguments.get(m.group(1), ""), language),
                            text)


def _right_to_left(text: str) -> str:
    """WhatsApp lays out each line by its first letter; a line opening with a number or a Dutch word
    ("1.", "KNM") in Arabic text would come out mirrored. A right-to-left mark puts it right."""
    def fix(line: str) -> str:
        for ch in line:
            kind = unicodedata.bidirectional(ch)
            if kind in ("R", "AL"):
                return line
            if kind == "L" or ch.isdigit():
                return RLM + line
        return line
    return "\n".join(fix(line) for line in text.split("\n"))


def render(session: Session, key: str, arguments: dict[str, Any], language: str,
           bilingual: bool = False) -> tuple[str, str] | None:
    """(text, language the main text is in)."""
    rendered = _render(session, key, arguments, language, bilingual)
    return rendered[:2] if rendered else None


def _render(session: Session, key: str, arguments: dict[str, Any], language: str,
            bilingual: bool) -> tuple[str, str, str | None] | None:
    """(text, language the main text is in, the "not yet checked, here is the Dutch" notice put before it)."""
    found = template(session, key, language)
    if found is None:
        return None
    text, used = found
    filled = fill(session, text, arguments, used)
    if language == SOURCE:
        return filled, SOURCE, None
    if used == SOURCE:
        notice = template(session, NOTICE, language)  # the notice itself only once it is approved
        if notice is None or notice[1] != language:
            return filled, SOURCE, None
        line = decorate(notice[0], language)
        return f"{line}\n\n{filled}", SOURCE, line
    filled = decorate(filled, language)
    if bilingual:
        dutch = fill(session, cached_sources()[key].text, arguments, SOURCE)
        filled += f"\n\n{DUTCH_MARK} {dutch}"
    return filled, language, None


def decorate(text: str, language: str) -> str:
    return _right_to_left(text) if all_languages()[language].rtl else text


def respond(session: Session, body: dict[str, Any]) -> dict[str, Any]:
    """Answer one request in Rasa's NLG protocol."""
    tracker = body.get("tracker") if isinstance(body.get("tracker"), dict) else {}
    slots = tracker.get("slots") if isinstance(tracker.get("slots"), dict) else {}
    given = body.get("arguments") if isinstance(body.get("arguments"), dict) else {}
    arguments = {**slots, **given}
    language = pick_language(arguments)
    key = str(body.get("response") or body.get("template") or "")
    rendered = _render(session, key, arguments, language, bilingual=arguments.get("bilingual") is True)
    text, used, notice = rendered if rendered else (None, language, None)
    # The Dutch text travels along for the consultant inbox (consultants read Dutch).
    dutch = text if used == SOURCE or text is None else fill(session, cached_sources()[key].text, arguments, SOURCE)
    custom = {"key": key, "language": language, "sent_in": used, "dutch": dutch}
    if notice:
        custom["notice"] = notice  # a channel that joins a turn's replies shows it once
    return {"text": text, "buttons": [], "image": None, "elements": [], "attachments": [], "custom": custom}
