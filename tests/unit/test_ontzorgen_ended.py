"""'Has my rent been paid?' after the ontzorgen arrangement ended: the person hears that it stopped (and
that they pay themselves now), not "I see no payment yet" (issue 18). Against a small API with the real
one's answer shape."""

from fake_api import ME, act

ANSWER = f"""
ME = {ME!r}
ENDS = os.environ["ENDS"]

def answer(path, query):
    if path.startswith("/api/v1/assistant/me/ontzorgen"):
        return {{"active": date.fromisoformat(ENDS) > date.today(), "eligible": True, "start_date": "2025-01-01",
                "ends": ENDS, "run_by": "gemeente", "items": [{{"kind": "rent"}}], "recent_payments": []}}
    return ME
"""


def said(ends: str) -> list[str]:
    messages = act("actions.ontzorgen.ActionPaymentStatus", ANSWER, {"text": "is mijn huur betaald?",
                   "intent": {"name": "ask_payment_status"}}, env={"ENDS": ends})
    return [m["response"] for m in messages]


def test_an_ended_arrangement_is_said_to_have_ended() -> None:
    assert said("2025-06-30") == ["utter_ontzorgen_ended"]
    assert said("2099-06-30") == ["utter_payment_unknown"]  # running, nothing paid yet this month
