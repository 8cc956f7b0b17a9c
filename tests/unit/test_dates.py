"""Day words in eight languages resolve to the right dates (Europe/Amsterdam)."""

from datetime import date

import pytest

from actions.dates import day_bounds, find_period

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize("text,expected", [
    ("wanneer is mijn les morgen", date(2026, 11, 24)),
    ("les overmorgen?", date(2026, 11, 25)),
    ("when is my lesson tomorrow", date(2026, 11, 24)),
    ("متى درسي بكرا", date(2026, 11, 24)),
    ("الدرس غداً", date(2026, 11, 24)),
    ("wen el dars bukra", date(2026, 11, 24)),
    ("yarın ders var mı", date(2026, 11, 24)),
    ("yarin ders", date(2026, 11, 24)),
    ("ጽባሕ ትምህርቲ ኣሎ", date(2026, 11, 24)),
    ("فردا درس دارم", date(2026, 11, 24)),
    ("سبا درس شته", date(2026, 11, 24)),
    ("berri cashar ma jiraa", date(2026, 11, 24)),
    ("les op donderdag", date(2026, 11, 26)),
    ("lesson on thursday", date(2026, 11, 26)),
    ("perşembe ders", date(2026, 11, 26)),
    ("les vandaag", MONDAY),
])
def test_single_days(text: str, expected: date) -> None:
    period = find_period(text, now=MONDAY)
    assert period is not None, text
    assert (period.start, period.single_day) == (expected, True)


def test_weeks_and_nothing() -> None:
    nxt = find_period("mijn rooster volgende week", now=MONDAY)
    assert nxt is not None and (nxt.start, nxt.end) == (date(2026, 11, 30), date(2026, 12, 6))
    this = find_period("lessons this week", now=date(2026, 11, 25))
    assert this is not None and (this.start, this.end) == (date(2026, 11, 25), date(2026, 11, 29))
    assert find_period("wanneer is mijn les", now=MONDAY) is None
    # a weekday that is today means today, not next week
    assert find_period("les maandag", now=MONDAY).start == MONDAY  # type: ignore[union-attr]


def test_day_bounds_follow_amsterdam_time() -> None:
    start, end = day_bounds(date(2026, 3, 29), date(2026, 3, 29))  # the night the clocks go forward
    assert start == "2026-03-29T00:00:00+01:00"
    assert end == "2026-03-30T00:00:00+02:00"


@pytest.mark.parametrize("text,expected", [
    ("ብሓሙስ ትምህርቲ ኣሎኒ ዶ", date(2026, 11, 26)),  # Tigrinya "on Thursday": a prefix on the day name
    ("ንጽባሕ ትምህርቲ ኣሎ ዶ", date(2026, 11, 24)),  # "for tomorrow"
    ("ሓሙስከ?", date(2026, 11, 26)),  # "and Thursday?": a follow-up's ending
    ("perşembeye ders var mı", date(2026, 11, 26)),  # Turkish: a case ending on the day name
    ("yarına ders var mi", date(2026, 11, 24)),
    ("cumaya kadar ders yok mu", date(2026, 11, 27)),
    ("casharka khamiista goormaa", date(2026, 11, 26)),  # Somali: the article glued on (listed form)
    ("casharka sabtiga ma jiraa", date(2026, 11, 28)),
])
def test_day_words_with_prefixes_and_endings(text: str, expected: date) -> None:
    period = find_period(text, now=MONDAY)
    assert period is not None, text
    assert (period.start, period.single_day) == (expected, True)


@pytest.mark.parametrize("text", ["dünya çok güzel", "dunyada ders", "ሰኑይነት"])
def test_an_ending_makes_no_day_of_another_word(text: str) -> None:
    assert find_period(text, now=MONDAY) is None, text
