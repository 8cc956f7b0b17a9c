"""The lesrooster: next lesson, lessons on a day or in a week; reporting that I can't come."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import api
from actions.base import BaseAction, Events, Reply, entity, latest_text, phone_of
from actions.dates import TZ, day_bounds, find_period, today

REASONS = {"1": "sick", "2": "child", "3": "appointment", "4": "other"}
MAX_LISTED = 6


def _say_lesson(say: Reply, lesson: dict[str, Any]) -> None:
    kind = f"@utter_kind_{lesson['kind']}"
    if lesson["cancelled"]:
        say("utter_lesson_cancelled", kind=kind, start_date=lesson["starts_at"], start_time=lesson["starts_at"])
    else:
        say("utter_lesson_item", kind=kind, start_date=lesson["starts_at"], start_time=lesson["starts_at"],
            end_time=lesson["ends_at"], address=lesson["address"])


async def lessons_between(tracker: Tracker, start: date, end: date, from_now: bool = False) -> list[dict[str, Any]]:
    """Lessons on the days start..end; `from_now`: only those not ended yet (the next lesson is not one that
    ended this morning)."""
    begin, stop = day_bounds(start, end)
    if from_now:
        begin = datetime.now(TZ).isoformat()
    body = await api.fetch("/me/lessons", phone=phone_of(tracker), params={"start": begin, "end": stop})
    return list(body["data"])


class ActionLessons(BaseAction):
    needs_client = True

    def name(self) -> str:
        return "action_lessons"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        period = find_period(latest_text(tracker))
        if period is None:  # "when is my lesson": the next one within four weeks
            lessons = await lessons_between(tracker, today(), today() + timedelta(days=28), from_now=True)
            upcoming = [x for x in lessons if not x["cancelled"]]
            if not lessons:
                say("utter_lessons_none_period", from_date=today().isoformat(),
                    to_date=(today() + timedelta(days=28)).isoformat())
                return []
            for lesson in [x for x in lessons if x["cancelled"]][:2] + upcoming[:1]:
                _say_lesson(say, lesson)
        else:
            lessons = await lessons_between(tracker, period.start, period.end)
            if not lessons:
                if period.single_day:
                    say("utter_lessons_none_day", day_date=period.start.isoformat())
                else:
                    say("utter_lessons_none_period", from_date=period.start.isoformat(),
                        to_date=period.end.isoformat())
                return []
            for lesson in lessons[:MAX_LISTED]:
                _say_lesson(say, lesson)
        say("utter_source_lesrooster")
        return []


class ActionReportAbsence(BaseAction):
    """Asks the reason with a numbered question, then records the absence for that day."""

    needs_client = True

    def name(self) -> str:
        return "action_report_absence"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        number = entity(tracker, "number")
        if tracker.get_slot("pending_menu") != "absence_reason" or number not in REASONS:
            period = find_period(latest_text(tracker))
            day = period.start if period else today()
            say("utter_ask_absence_reason")
            return [SlotSet("pending_menu", "absence_reason"), SlotSet("absence_date", day.isoformat()),
                    SlotSet("absence_note", latest_text(tracker)[:500])]
        day = date.fromisoformat(tracker.get_slot("absence_date") or today().isoformat())
        reason = REASONS[number]
        lessons = [x for x in await lessons_between(tracker, day, day) if not x["cancelled"]]
        body: dict[str, Any] = {"for_date": day.isoformat(), "reason": reason,
                                "note": tracker.get_slot("absence_note") or None}
        if lessons:
            body["lesson_id"] = lessons[0]["id"]
        status, _ = await api.call("POST", "/me/absences", phone=phone_of(tracker), json=body)
        if status != 201:  # not recorded: never tell the person it was
            raise api.ApiUnavailable(f"POST /me/absences: {status}")
        say("utter_absence_recorded", for_date=day.isoformat())
        if reason == "sick":
            say("utter_get_well")
        return [SlotSet("pending_menu", None), SlotSet("absence_date", None), SlotSet("absence_note", None)]
