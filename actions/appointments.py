"""Afspraken: what is planned, and asking to move or cancel one (a person decides)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import api
from actions.base import BaseAction, Events, Reply, dutch, entity, language, phone_of, said_no, said_yes
from bot.resources import SOURCE

MAX_LISTED = 3


async def upcoming(tracker: Tracker) -> list[dict[str, Any]]:
    body = await api.fetch("/me/appointments", phone=phone_of(tracker), params={"limit": "5"})
    return list(body["data"])


def _say_appointment(say: Reply, number: int, item: dict[str, Any]) -> bool:
    """One appointment, what it is for and what to bring in the person's language (labels of the API's keys);
    the gemeente's free text as written, marked as Dutch. True when there was such free text."""
    place = item["location"] or {"phone": "@utter_appointment_by_phone",
                                 "video": "@utter_appointment_by_video"}.get(item["mode"], "")
    kind = f"@utter_appointment_kind_{item['kind']}" if item["kind"] != "other" else None
    details = dutch(item["purpose"]) if item.get("purpose") else None
    purpose: Any = {"label": kind, "value": details} if kind and details else kind or details or ""
    say("utter_appointment_item", number=number, start_date=item["starts_at"], start_time=item["starts_at"],
        purpose=purpose, with_name=item["with_name"], place=place)
    bring = [f"@utter_bring_{thing}" for thing in item.get("bring_items") or []]
    bring += [dutch(item["bring"])] if item.get("bring") else []
    if bring:
        say("utter_appointment_bring", bring=bring)
    return bool(item.get("purpose") or item.get("bring"))


def say_appointments(say: Reply, tracker: Tracker, items: list[dict[str, Any]]) -> None:
    """Numbered; once after them, when the gemeente's free text was among them, the line that says it is Dutch."""
    free_text = [_say_appointment(say, number, item) for number, item in enumerate(items, start=1)]
    if any(free_text) and language(tracker, say) != SOURCE:
        say("utter_dutch_text_note")


class ActionAppointments(BaseAction):
    needs_client = True

    def name(self) -> str:
        return "action_appointments"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        items = await upcoming(tracker)
        if not items:
            say("utter_appointments_none")
            return []
        say_appointments(say, tracker, items[:MAX_LISTED])
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
            say_appointments(say, tracker, items[:MAX_LISTED])
            say("utter_ask_which_appointment")
            return [SlotSet("pending_menu", f"appointment_{kind}")]
        if len(items) == 1 and not confirmed:
            say_appointments(say, tracker, items[:1])
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
