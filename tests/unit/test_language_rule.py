"""The one rule for the reply language (bot.resources.reply_language), as the API's NLG and the actions use it."""

import pytest

from bot.resources import reply_language


@pytest.mark.parametrize(("slots", "expected"), [
    ({"client_language": "ps", "detected_language": "fa"}, "ps"),  # "salaam": a fair guess, the case data wins
    ({"client_language": "ps", "detected_language": "en", "written_language": "en"}, "en"),  # sure: it wins
    ({"language": "ar", "written_language": "en", "client_language": "ps"}, "ar"),  # chosen from the menu
    ({"detected_language": "so"}, "so"),  # an unknown number: the guess is all there is
    ({"client_language": "xx", "detected_language": "tr"}, "tr"),  # unknown codes are skipped
    ({"client_language": None}, "nl"),
])
def test_reply_language(slots: dict, expected: str) -> None:  # type: ignore[type-arg]
    assert reply_language(slots) == expected


def test_the_api_and_the_actions_apply_the_same_rule() -> None:
    from app.services.nlg import pick_language

    slots = {"client_language": "ps", "detected_language": "fa"}
    assert pick_language(slots) == reply_language(slots) == "ps"
