"""Which action answers an intent, for an action that continues a question in the same turn (the answer to
a clarification, the other question beside a safety hand-off). The same pairs as data/rules (a test ties them)."""

ROUTES = {
    "ask_lessons": "action_lessons", "report_absence": "action_report_absence",
    "ask_appointments": "action_appointments", "request_reschedule": "action_change_appointment",
    "request_cancel": "action_change_appointment", "ask_route": "action_route", "ask_termijn": "action_termijn",
    "explain_term": "action_explain_term", "ask_ontzorgen": "action_ontzorgen",
    "ask_payment_status": "action_payment_status", "ask_contact_person": "action_contact",
    "request_human": "action_handoff", "legal_matter": "action_handoff", "ask_privacy": "action_what_i_know",
    "choose_language": "action_choose_language", "ask_decision": "action_decision",
    "bot_challenge": "utter_bot_challenge",
}

# Answers whose topic a short follow-up continues (actions.follow_up): action -> the topic it continues as.
# After what the gemeente pays, "and the energy?" asks whether that bill is paid.
CONTEXT = {"action_lessons": "ask_lessons", "action_appointments": "ask_appointments",
           "action_payment_status": "ask_payment_status", "action_ontzorgen": "ask_payment_status",
           "action_explain_term": "explain_term", "action_termijn": "ask_termijn"}
# How many other understood turns a topic is kept for a follow-up.
CONTEXT_TURNS = 3
