"""Afspraken: what is planned, and asking to move or cancel one (a person decides)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import api
from actions.base import BaseAction, Events, Reply, entity, phone_of, said_no, said_yes

MAX_LISTED = 3


async def upcoming(tracker: Tracker) -> list[dict[str, Any]]:
    body = await api.fetch("/me/appointments", phone=phone_of(tracker), params={"limit": "5"})
    return list(body["data"])


def _say_appointment(say: Reply, number: int, item: dict[str, Any]) -> None:
    place = item["location"] or {"phone": "@utter_appointment_by_phone",
                                 "video": "@utter_appointment_by_video"}.get(item["mode"], "")
    say("utter_appointment_item", number=number, start_date=item["starts_at"], start_time=item["starts_at"],
        purpose=item["purpose"], with_name=item["with_name"], place=place)
    if item.get("bring"):
        say("utter_appointment_bring", bring=item["bring"])


class ActionAppointments(BaseAction):
    needs_client = True

    def name(self) -> str:
        return "action_appointments"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        items = await upcoming(tracker)
        if not items:
            say("utter_appointments_none")
            return []
        for number, item in enumerate(items[:MAX_LISTED], start=1):
            _say_appointment(say, number, item)
        say("utter_source_afspraken")
        return []


class ActionChangeAppointment(BaseAction):
    """Reschedule or cancel. Nothing is passed on that the person did not choose: with several appointments
    after "which one?" (the number is the choice), with one after "shall I? 1 yes 2 no" (a question that only
    mentions an appointment may be read as a request)."""

    needs_client = True

    def name(self) -> str:
        return "action_change_appointment"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        pending = tracker.get_slot("pending_menu") or ""
        kind = "cancel" if intent == "request_cancel" or pending.endswith("_cancel") else "reschedule"
        number = entity(tracker, "number")
        done: Events = [SlotSet("pending_menu", None)]
        if pending.startswith("confirm_") and said_no(tracker):
            say("utter_change_kept")
            return done
        confirmed = pending.startswith("confirm_") and said_yes(tracker)
        items = await upcoming(tracker)
        if not items:
            say("utter_appointments_none")
            return done
        if len(items) > 1 and not (pending.startswith("appointment_") and number):
            for index, item in enumerate(items[:MAX_LISTED], start=1):
                _say_appointment(say, index, item)
            say("utter_ask_which_appointment")
            return [SlotSet("pending_menu", f"appointment_{kind}")]
        if len(items) == 1 and not confirmed:
            _say_appointment(say, 1, items[0])
            say(f"utter_confirm_{kind}")
            return [SlotSet("pending_menu", f"confirm_{kind}")]
        index = int(number) - 1 if number and len(items) > 1 else 0
        if not 0 <= index < min(len(items), MAX_LISTED):
            say("utter_ask_which_appointment")
            return []
        chosen = items[index]
        status, _ = await api.call("POST", f"/me/appointments/{chosen['id']}/requests", phone=phone_of(tracker),
                                   json={"kind": kind})
        if status == 201:
            say(f"utter_{kind}_recorded", start_date=chosen["starts_at"])
        else:
            say("utter_change_not_possible")
        return done
