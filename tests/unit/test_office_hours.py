"""Office hours and the estimate of when a person answers (app/rules.py)."""

from datetime import UTC, datetime

from app.rules import GemeenteSettings, OpeningSpan, is_open, person_answers_by

HOURS = GemeenteSettings(office_hours={d: [OpeningSpan(opens="09:00", closes="12:30")]
                                       for d in ("mon", "tue", "wed", "thu", "fri")}, minutes_per_handoff=15)


def at(day: int, hhmm: str) -> datetime:
    """A moment in November 2026 given in Amsterdam time (UTC+1 in winter)."""
    h, m = map(int, hhmm.split(":"))
    return datetime(2026, 11, day, h - 1, m, tzinfo=UTC)


def test_is_open() -> None:
    assert is_open(HOURS, at(23, "09:00"))  # Monday 09:00
    assert is_open(HOURS, at(23, "12:29"))
    assert not is_open(HOURS, at(23, "12:30"))
    assert not is_open(HOURS, at(22, "10:00"))  # Sunday


def test_answer_estimate_uses_office_hours_and_the_queue() -> None:
    # Open, nobody waiting: 15 minutes.
    assert person_answers_by(HOURS, at(23, "10:00"), 0) == at(23, "10:15")
    # Three waiting before: 4 x 15 minutes.
    assert person_answers_by(HOURS, at(23, "10:00"), 3) == at(23, "11:00")
    # Friday evening: Monday morning.
    assert person_answers_by(HOURS, at(27, "20:00"), 0) == at(30, "09:15")
    # Queue longer than what is left today: continues the next working morning.
    assert person_answers_by(HOURS, at(23, "12:00"), 3) == at(24, "09:30")


def test_no_office_hours_at_all_still_answers() -> None:
    closed = GemeenteSettings(office_hours={})
    assert person_answers_by(closed, at(23, "10:00"), 0) > at(23, "10:00")
