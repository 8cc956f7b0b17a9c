"""Route and termijn from the case data; explanations of terms for everyone."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions import api
from actions.base import BaseAction, Events, Reply, entity, phone_of

MODULE_NAMES = {"knm": "KNM", "map": "MAP", "pvt": "PVT"}
FINISHED = ("completed", "exempt", "not_applicable")
# Canonical term (bot/terms.yml) -> explanation; terms without one get "which word?".
EXPLANATIONS = {"b1": "utter_explain_b1", "onderwijs": "utter_explain_onderwijs", "z": "utter_explain_z",
                "leerbaarheidstoets": "utter_explain_leerbaarheidstoets",
                "brede_intake": "utter_explain_brede_intake", "pip": "utter_explain_pip",
                "knm": "utter_explain_knm", "map": "utter_explain_map", "pvt": "utter_explain_pvt",
                "duo": "utter_explain_duo", "afschalen": "utter_explain_afschalen",
                "verlenging": "utter_explain_verlenging", "ontheffing": "utter_explain_ontheffing",
                "ontzorgen": "utter_explain_ontzorgen"}


class ActionRoute(BaseAction):
    needs_client = True

    def name(self) -> str:
        return "action_route"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        route = await api.fetch("/me/route", phone=phone_of(tracker))
        say(f"utter_route_{route['leerroute']}")
        required = [m for m in route["modules"] if m["required"]]
        todo = [MODULE_NAMES[m["module"]] for m in required if m["status"] not in FINISHED]
        done = [MODULE_NAMES[m["module"]] for m in route["modules"] if m["status"] == "completed"]
        if route["leerroute"] != "undecided":
            if todo:
                say("utter_route_todo", todo=todo)
            if done:
                say("utter_route_done", done=done)
            if not todo:
                say("utter_route_all_done")
        say("utter_source_dossier")
        return []


class ActionTermijn(BaseAction):
    needs_client = True

    def name(self) -> str:
        return "action_termijn"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        route = await api.fetch("/me/route", phone=phone_of(tracker))
        if route["termijn_end"] is None:
            say("utter_termijn_unknown")
            return []
        if route["days_left"] < 0:
            say("utter_termijn_passed", end_date=route["termijn_end"])
        else:
            say("utter_termijn", end_date=route["termijn_end"], days=route["days_left"])
        if route["duo_extension_months"]:
            say("utter_termijn_extended", months=route["duo_extension_months"])
        say("utter_source_dossier")
        return []


class ActionExplainTerm(BaseAction):
    needs_consent = False

    def name(self) -> str:
        return "action_explain_term"

    async def act(self, say: Reply, tracker: Tracker, client: dict[str, Any] | None) -> Events:
        term = entity(tracker, "term")
        say(EXPLANATIONS.get(term or "", "utter_explain_which"))
        return []
