"""Ontzorgen: what the gemeente pays for me, until when, and whether this month's bills are paid."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker

from actions import api
from actions.base import BaseAction, Events, Reply, entity, phone_of
from actions.dates import today
from actions.handoff import hand_off


async def overview(tracker: Tracker) -> dict[str, Any]:
    body = await api.fetch("/me/ontzorgen", phone=phone_of(tracker))
    return dict(body)


def _no_arrangement(say: Reply, info: dict[str, Any]) -> bool:
    if info.get("start_date"):
        return False
    say("utter_ontzorgen_none" if info["eligible"] else "utter_ontzorgen_not_eligible")
    return True


class ActionOntzorgen(BaseAction):
    needs_client = True

    def name(self) -> str:
        return "action_ontzorgen"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        info = await overview(tracker)
        if _no_arrangement(say, info):
            return []
        if info["active"]:
            say("utter_ontzorgen_active", items=[f"@utter_item_{i['kind']}" for i in info["items"]],
                end_date=info["ends"], run_by=info["run_by"])
            say("utter_ontzorgen_after", end_date=info["ends"])
        else:
            say("utter_ontzorgen_ended", end_date=info["ends"])
        say("utter_source_ontzorgen")
        return []


class ActionPaymentStatus(BaseAction):
    """Has this month's rent (or energy, water, insurance) been paid? From the payment ledger."""

    needs_client = True

    def name(self) -> str:
        return "action_payment_status"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        info = await overview(tracker)
        if _no_arrangement(say, info):
            return []
        wanted = entity(tracker, "item")
        month = date(today().year, today().month, 1).isoformat()
        payments = [p for p in info["recent_payments"] if p["period"] == month
                    and (wanted is None or p["kind"] == wanted)]
        if not payments:
            if info.get("ends") and date.fromisoformat(str(info["ends"])[:10]) <= today():
                say("utter_ontzorgen_ended", end_date=info["ends"])  # not "no payment yet": it has stopped
            else:
                say("utter_payment_unknown", month=month)
            return []
        events: Events = []
        for payment in payments:
            item = f"@utter_item_{payment['kind']}"
            if payment["status"] == "paid":
                say("utter_payment_paid", item=item, month=month, paid_date=payment["paid_at"] or payment["due_date"])
            elif payment["status"] == "scheduled":
                say("utter_payment_scheduled", item=item, month=month, due_date=payment["due_date"])
            else:
                say("utter_payment_failed", item=item, month=month)
                events += await hand_off(None, tracker, "payment_failed", topic=f"payment:{payment['kind']}")
        say("utter_source_ontzorgen")
        return events
