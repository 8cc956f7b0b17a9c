"""What the running model makes of messages that need no classifier, and of hard input."""

import httpx
import pytest

from conftest import CONVERSATIONS, LANGUAGES, RASA_TOKEN, Stack


def parse(stack: Stack, text: str) -> dict:  # type: ignore[type-arg]
    res = httpx.post(f"{stack.rasa}/model/parse", params={"token": RASA_TOKEN}, json={"text": text}, timeout=30)
    res.raise_for_status()
    return dict(res.json())


def entities(parsed: dict, name: str) -> list[str]:  # type: ignore[type-arg]
    return [e["value"] for e in parsed["entities"] if e["entity"] == name]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_of_each_topic_message_is_detected(stack: Stack, lang: str) -> None:
    for topic in ("ask_lessons", "ask_route", "ask_payment_status", "request_human"):
        assert entities(parse(stack, CONVERSATIONS[lang][topic]), "detected_language") == [lang], topic


@pytest.mark.parametrize("text,intent,entity", [
    ("135790", "provide_code", ("code", "135790")),
    ("mijn code is 135 790", "provide_code", ("code", "135790")),
    ("3", "menu_choice", ("number", "3")),
    ("7.", "menu_choice", ("number", "7")),
    ("English", "choose_language", ("language", "en")),
    ("ትግርኛ", "choose_language", ("language", "ti")),
    ("عربي", "choose_language", ("language", "ar")),
    ("🙏", "thank", None),
    ("👍👍", "affirm", None),
    ("😀🎉", "empty_message", None),
    ("\u200b\u200f ", "empty_message", None),
    ("...", "empty_message", None),
])
def test_shortcuts(stack: Stack, text: str, intent: str, entity: tuple[str, str] | None) -> None:
    parsed = parse(stack, text)
    assert parsed["intent"]["name"] == intent
    if entity:
        assert entities(parsed, entity[0]) == [entity[1]]


def test_dutch_terms_are_found_in_any_script(stack: Stack) -> None:
    assert entities(parse(stack, "wat is de z-route"), "term") == ["z"]
    assert entities(parse(stack, "شو يعني PIP"), "term") == ["pip"]
    assert entities(parse(stack, "KNM ምንታይ እዩ"), "term") == ["knm"]
    assert entities(parse(stack, "is mijn huur betaald"), "item") == ["rent"]
    assert entities(parse(stack, "هل الإيجار مدفوع"), "item") == ["rent"]


@pytest.mark.parametrize(("text", "term"), [
    ("Z-route'u ne demek", "z"), ("KNM'den sınav ne zaman", "knm"), ("DUOdan mektup geldi", "duo"),
    ("pipde ne yaziyor", "pip"), ("ben z-routeda miyim", "z"), ("PIP-ka maxaa ku qoran", "pip"),
    ("onderwijsroutea geçebilir miyim", "onderwijs"),
])
def test_dutch_terms_with_an_ending_glued_on(stack: Stack, text: str, term: str) -> None:
    """Turkish and Somali glue endings onto a Dutch word (bot/languages/<code>.yml, affixes)."""
    assert entities(parse(stack, text), "term") == [term], text


def test_hard_input_gets_an_answer(stack: Stack) -> None:
    for text in ("a" * 10_000, "ﷺ" * 500, "ﷺ " * 300, "mijn\u200b les\u200d morgen", "\u202eأين درسي\u202c",
                 "les 📚 morgen?"):
        parsed = parse(stack, text)
        assert parsed["intent"]["name"]
    sender = "+31610009999"  # unknown number
    for text in ("a" * 10_000, "‏مرحبا‏ hallo 👋", "\u200b"):
        assert stack.say(sender, text), text
