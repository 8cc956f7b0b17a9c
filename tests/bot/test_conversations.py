"""Whole conversations with the real assistant (Rasa + action server + API), per language.

Each test asserts what the assistant said (response keys and the language they were rendered in)
against the case data the API holds for that demo client."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.rules import GemeenteSettings, is_open
from conftest import CONVERSATIONS, LANGUAGES, Stack, client_id

TZ = ZoneInfo("Europe/Amsterdam")


def phone(index: int) -> str:
    return f"+3161000{index:04d}"  # app.demo.demo_phone


def agree(stack: Stack, sender: str, lang: str) -> None:
    replies = stack.say(sender, CONVERSATIONS[lang]["greet"])
    assert [r.key for r in replies] == ["utter_greet", "utter_privacy_notice"]
    assert stack.keys(sender, "1") == ["utter_privacy_agreed", "utter_menu"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_topic_in_each_language(stack: Stack, lang: str) -> None:
    index = LANGUAGES.index(lang) + 1  # demo clients 1-8: verified, one per language
    sender = phone(index)
    said = CONVERSATIONS[lang]
    greeting = stack.say(sender, said["greet"])
    assert [r.key for r in greeting] == ["utter_greet", "utter_privacy_notice"]
    assert stack.keys(sender, "1") == ["utter_privacy_agreed", "utter_menu"]
    cid = client_id(stack, sender)
    client = stack.staff("GET", f"/clients/{cid}").json()

    def ask(topic: str) -> list[str]:
        replies = stack.say(sender, said[topic])
        assert replies, topic
        assert {r.language for r in replies} == {lang}, (topic, [(r.key, r.language) for r in replies])
        return [r.key for r in replies]

    keys = ask("ask_route")
    assert keys[0] == f"utter_route_{client['leerroute']}"
    assert keys[-1] == "utter_source_dossier"

    keys = ask("ask_termijn")
    assert keys[0] in ("utter_termijn", "utter_termijn_passed", "utter_termijn_unknown")

    tomorrow = datetime.now(TZ).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), TZ)
    lessons = stack.staff("GET", f"/clients/{cid}/lessons", params={
        "start": start.isoformat(), "end": (start + timedelta(days=1)).isoformat()}).json()["data"]
    keys = ask("ask_lessons")
    if lessons:
        assert keys.count("utter_lesson_item") + keys.count("utter_lesson_cancelled") == len(lessons)
        assert keys[-1] == "utter_source_lesrooster"
    else:
        assert keys == ["utter_lessons_none_day"]

    upcoming = stack.staff("GET", f"/clients/{cid}/appointments").json()["data"]
    keys = ask("ask_appointments")
    assert keys.count("utter_appointment_item") == min(3, len(upcoming)) or (
        not upcoming and keys == ["utter_appointments_none"])

    overview = stack.staff("GET", f"/clients/{cid}/ontzorgen").json()
    keys = ask("ask_ontzorgen")
    if not overview["start_date"]:
        assert keys == ["utter_ontzorgen_none" if overview["eligible"] else "utter_ontzorgen_not_eligible"]
    else:
        assert keys[0] in ("utter_ontzorgen_active", "utter_ontzorgen_ended")
    keys = ask("ask_payment_status")
    if overview["start_date"]:
        allowed = {"utter_payment_paid", "utter_payment_scheduled", "utter_payment_failed",
                   "utter_payment_unknown", "utter_source_ontzorgen"}
        if overview["ends"] and date.fromisoformat(overview["ends"][:10]) <= datetime.now(TZ).date():
            allowed = allowed - {"utter_payment_unknown"} | {"utter_ontzorgen_ended"}  # it stopped: say so
        assert set(keys) <= allowed, keys

    assert ask("ask_contact_person")[0] == "utter_contact"
    assert ask("explain_term")[0].startswith("utter_explain_")
    assert ask("bot_challenge") == ["utter_bot_challenge"]
    assert ask("out_of_scope") == ["utter_out_of_scope", "utter_menu"]
    # What is known, and the offer to withdraw the consent (1 withdraws, 2 keeps it).
    assert ask("ask_privacy") == ["utter_what_i_know", "utter_consent_withdraw_offer"]


def test_unverified_number_gets_no_personal_data_until_paired(stack: Stack) -> None:
    sender = phone(16)  # unverified demo client (English)
    agree(stack, sender, "en")
    assert stack.keys(sender, "when is my next lesson") == ["utter_need_verification"]
    assert stack.keys(sender, "what is my route") == ["utter_need_verification"]
    assert stack.keys(sender, "000000") == ["utter_code_wrong"]
    keys = stack.keys(sender, "135790")  # the demo pairing code
    assert keys[0] == "utter_code_ok"
    # the question asked before pairing is answered right after it
    assert keys[1].startswith("utter_route_")


def test_absence_report_is_recorded(stack: Stack) -> None:
    sender = phone(9)  # Dutch
    agree(stack, sender, "nl")
    assert stack.keys(sender, "ik ben ziek ik kan vandaag niet komen") == ["utter_ask_absence_reason"]
    assert stack.keys(sender, "1") == ["utter_absence_recorded", "utter_get_well"]
    absences = stack.staff("GET", f"/clients/{client_id(stack, sender)}/absences").json()
    assert [(a["reason"], a["via"], a["for_date"]) for a in absences] == [
        ("sick", "assistant", datetime.now(TZ).date().isoformat())]


def test_reschedule_request_is_recorded_not_applied(stack: Stack) -> None:
    sender = phone(10)  # Arabic
    agree(stack, sender, "ar")
    cid = client_id(stack, sender)
    before = stack.staff("GET", f"/clients/{cid}/appointments").json()["data"]
    keys = stack.keys(sender, CONVERSATIONS["ar"]["request_reschedule"])
    if len(before) > 1:  # the number chosen is the choice
        assert keys[-1] == "utter_ask_which_appointment"
    else:  # one appointment: passed on only after a yes
        assert keys[-1] == "utter_confirm_reschedule"
    keys = stack.keys(sender, "1")
    assert keys == ["utter_reschedule_recorded"]
    requests = stack.staff("GET", f"/clients/{cid}/appointment-requests").json()
    assert [(r["kind"], r["via"], r["status"]) for r in requests] == [("reschedule", "assistant", "open")]
    after = stack.staff("GET", f"/clients/{cid}/appointments").json()["data"]
    assert after[0]["starts_at"] == before[0]["starts_at"]  # never silently moved
    assert after[0]["status"] == "reschedule_requested"


def _handoffs(stack: Stack, sender: str) -> list[dict]:  # type: ignore[type-arg]
    return [h for h in stack.staff("GET", "/handoffs").json() if h["phone"] == sender]


@pytest.mark.parametrize("index,lang,intent,trigger,urgency,reply", [
    (14, "so", "request_human", "request_human", "normal", "utter_handoff"),
    (15, "tr", "legal_matter", "legal", "high", "utter_handoff_legal"),
    (17, "nl", "money_emergency", "money", "urgent", "utter_handoff_money"),  # eviction, cut off, no food
    (18, "ar", "distress", "distress", "urgent", "utter_handoff_distress"),
])
def test_handoff_triggers(stack: Stack, index: int, lang: str, intent: str, trigger: str, urgency: str,
                          reply: str) -> None:
    sender = phone(index)
    agree(stack, sender, lang)
    replies = stack.say(sender, CONVERSATIONS[lang][intent])
    [handoff] = _handoffs(stack, sender)
    assert replies[0].key == reply and {r.language for r in replies} == {lang}
    # Distress and money problems: the gemeente's emergency numbers at once, where it set any (the messages
    # name 112 and 113 themselves). Outside the gemeente's office hours (depends on when the suite runs): when a
    # person will likely answer.
    gemeente = next(g for g in stack.staff("GET", "/gemeenten").json() if g["id"] == handoff["gemeente_id"])
    settings = GemeenteSettings.model_validate(gemeente["settings"])
    urgent = trigger in ("distress", "money") and settings.emergency_numbers
    expected = [reply] + (["utter_handoff_emergency"] if urgent else [])
    if not is_open(settings, datetime.now(UTC)):
        expected.append("utter_handoff_after_hours")
    assert [r.key for r in replies] == expected
    assert (handoff["trigger"], handoff["urgency"], handoff["language"]) == (trigger, urgency, lang)
    assert handoff["client_id"] == client_id(stack, sender)
    assert CONVERSATIONS[lang][intent] in handoff["summary"]
    # the assistant is paused for this person: the next message waits for a person
    assert stack.say(sender, CONVERSATIONS[lang]["ask_lessons"]) == []
    assert stack.tracker(sender)["paused"] is True


def test_not_understood_twice_hands_off(stack: Stack) -> None:
    sender = phone(19)  # Tigrinya
    agree(stack, sender, "ti")
    assert stack.keys(sender, "qqq zzzx vlorp") == ["utter_not_understood"]
    assert stack.keys(sender, "blarf wuzzle q")[0] == "utter_rephrase_offer_human"
    [handoff] = _handoffs(stack, sender)
    assert handoff["trigger"] == "not_understood"


def test_verification_lockout_hands_off(stack: Stack) -> None:
    sender = phone(20)  # unverified (Dari)
    agree(stack, sender, "fa")
    keys = [stack.keys(sender, f"{n:06d}")[0] for n in range(111111, 111116)]
    assert keys == ["utter_code_wrong"] * 4 + ["utter_code_locked"]
    [handoff] = _handoffs(stack, sender)
    assert (handoff["trigger"], handoff["client_id"]) == ("verification", None)


def test_switch_language_by_name_and_menu(stack: Stack) -> None:
    sender = phone(21)  # Pashto speaker
    agree(stack, sender, "ps")
    replies = stack.say(sender, "English please")
    assert [(r.key, r.language) for r in replies] == [("utter_language_set", "en")]
    # the choice sticks, even when they write Pashto
    assert {r.language for r in stack.say(sender, CONVERSATIONS["ps"]["ask_route"])} == {"en"}
    menu = stack.say(sender, "6")
    assert menu[0].key == "utter_language_menu"
    assert "پښتو" in menu[0].text and "ትግርኛ" in menu[0].text
    assert [(r.key, r.language) for r in stack.say(sender, "5")] == [("utter_language_set", "ps")]


def test_correction_request_keeps_the_conversation_going(stack: Stack) -> None:
    sender = phone(22)  # Somali
    agree(stack, sender, "so")
    stack.say(sender, CONVERSATIONS["so"]["ask_route"])
    assert stack.keys(sender, "klopt niet") == ["utter_correction_recorded"]
    [handoff] = _handoffs(stack, sender)
    assert handoff["trigger"] == "correction"
    assert handoff["topic"] == "correction:utter_source_dossier"
    assert stack.keys(sender, CONVERSATIONS["so"]["ask_contact_person"])[0] == "utter_contact"


def test_explaining_a_term_never_reads_as_a_statement_about_the_case(stack: Stack) -> None:
    sender = "+31650000001"  # unknown number: general questions need no consent or pairing
    keys = stack.keys(sender, "wat is KNM")
    assert keys == ["utter_explain_knm"]
    # "termijn" has no explanation of its own: ask which word, never "you have no PIP yet"
    assert stack.keys(sender, "wat betekent termijn") in (["utter_explain_which"], ["utter_need_verification"],
                                                            ["utter_privacy_notice"])
