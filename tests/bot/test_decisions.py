"""Questions that ask for a decision (issue 18 point 6): in every language, over the signed webhook, the
person hears who decides (the gemeente or DUO, where exam results are found) and is offered their contact
person; nothing is decided, and a person is asked only after a yes."""

import pytest
from test_consent import turn
from test_safety_conversations import handoffs, paired_client

from conftest import CONVERSATIONS, LANGUAGES, Stack


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_decision_question_is_answered_with_who_decides_and_the_offer_of_a_person(stack: Stack,
                                                                                  language: str) -> None:
    sender = paired_client(stack, language)
    turn(stack, sender, "hallo")
    turn(stack, sender, "1")
    question = CONVERSATIONS[language]["ask_decision"]
    assert turn(stack, sender, question) == ["utter_decision_by_person"]
    assert handoffs(stack, sender) == []
    assert turn(stack, sender, "2") == ["utter_decision_no_call"]
    assert handoffs(stack, sender) == []
    turn(stack, sender, question)
    assert turn(stack, sender, "1")[0] == "utter_handoff"
    assert [h["topic"] for h in handoffs(stack, sender)] == ["ask_decision"]
