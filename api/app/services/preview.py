"""Example data for previews on the review pages, and where in the conversation a message appears."""

import re
from functools import lru_cache

from app.config import REPO_ROOT

# One realistic (synthetic) value per placeholder; dates and times are formatted per language.
EXAMPLES: dict[str, object] = {
    "start_date": "2026-12-01", "end_date": "2027-06-30", "from_date": "2026-12-01", "to_date": "2026-12-07",
    "for_date": "2026-12-01", "day_date": "2026-12-01", "paid_date": "2026-12-01", "due_date": "2026-12-28",
    "month": "2026-12-01", "start_time": "09:00", "end_time": "12:00", "name": "Amina",
    "item": "@utter_item_rent", "items": ["@utter_item_rent", "@utter_item_energy"], "kind": "@utter_kind_taalles",
    "with_name": "Lotte Bakker", "todo": ["@utter_kind_knm", "@utter_kind_map"], "done": ["@utter_kind_pvt"],
    "title": "klantmanager", "run_by": "Kredietbank", "purpose": "@utter_appointment_kind_pip",
    "place": "Stadhuis, Balie 3",
    "phone": "035 123 45 67", "email": "inburgering@gemeente.example", "options": "1. Nederlands 2. العربية",
    "number": 1, "months": 6, "hours": "ma-vr 9:00-17:00", "gemeente": "Gooise Meren", "days": 412,
    "bring": ["@utter_bring_id_document", {"dutch": "de brief van de Belastingdienst"}],
    "text": "de brief van de Belastingdienst", "address": "Taalschool De Brug, Stationsweg 1",
    "first": "@utter_topic_ask_lessons", "second": "@utter_topic_report_absence",
}

TOPICS = {
    "core": "Greeting, menu, privacy consent, not understood, corrections.",
    "language": "Choosing the language of the conversation.",
    "verification": "Pairing the phone with the client's case (the six-digit code).",
    "route": "The client's leerroute, termijn, modules, and explanations of terms.",
    "lessons": "The lesrooster and reporting an absence.",
    "appointments": "The client's afspraken, moving or cancelling one.",
    "ontzorgen": "Ontzorgen: which bills the gemeente pays and the payment status.",
    "contact": "Who the client's consultant is and how to reach them.",
    "handoff": "Handing the conversation to a person.",
    "staff_replies": "Ready-made replies a consultant picks in the inbox.",
    "clarify": "Asking 'do you mean 1) ... or 2) ...?' when two topics are close, and the topics' short labels.",
    "decision": "Questions that ask for a decision: who decides, and the offer of the contact person.",
}


@lru_cache
def senders() -> dict[str, list[str]]:
    """Which action modules send each message key (read from the action server's source)."""
    found: dict[str, list[str]] = {}
    for path in sorted((REPO_ROOT / "actions").glob("*.py")):
        for key in sorted(set(re.findall(r"\"(utter_\w+)\"", path.read_text(encoding="utf-8")))):
            found.setdefault(key, []).append(f"actions/{path.name}")
    return found
