"""Done-when of the translation review: a cultuurvertaler logs in on the review pages and approves
Tigrinya messages, and the next WhatsApp reply to a Tigrinya-speaking demo client uses the approved text
(before: the Dutch text with the approved notice in Tigrinya)."""

import re

import httpx
from test_whatsapp import form, phone, post, settle, wait_for

from conftest import CONVERSATIONS, Stack, client_id

KEYS = ("utter_ontzorgen_active", "utter_ontzorgen_after")  # left unreviewed by the demo reviewers


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert match, "no CSRF field on the page"
    return match.group(1)


def _longest_fixed_part(template: str) -> str:
    return max(re.split(r"\{\w+\}", template), key=len).strip()


def _ti_client_with_active_ontzorgen(stack: Stack) -> str:
    for index in (11, 35, 43, 51):  # verified Tigrinya demo clients no other test talks to
        overview = stack.staff("GET", f"/clients/{client_id(stack, phone(index))}/ontzorgen").json()
        if overview["active"]:
            return phone(index)
    raise AssertionError("no verified Tigrinya demo client with ontzorgen")


def test_approved_tigrinya_text_reaches_the_client_over_whatsapp(stack: Stack) -> None:
    sender = _ti_client_with_active_ontzorgen(stack)
    ti = CONVERSATIONS["ti"]
    assert post(stack, form(sender, ti["greet"])).status_code == 200
    wait_for(stack, sender, 1)
    assert post(stack, form(sender, "1")).status_code == 200  # consent
    wait_for(stack, sender, 2)

    with httpx.Client(base_url=stack.api, timeout=30, follow_redirects=False) as browser:
        res = browser.post("/login", data={"email": "vertaler@gooise-meren.example", "password": "demo-wachtwoord",
                                           "next": "/review/ti"})
        assert res.status_code == 303 and res.headers["location"] == "/review/ti"
        page = browser.get(f"/review/ti/{KEYS[0]}").text
        notice = re.search(r'id="sent-now">([^<]*)', page)
        units = {u["key"]: u for u in browser.get("/api/v1/translations/ti").json()}
        assert all(units[key]["state"] == "needs_review" for key in KEYS)

        before = len(settle(stack, sender))
        post(stack, form(sender, ti["ask_ontzorgen"]))
        sent = [m["body"] for m in settle(stack, sender)[before:]]
        active = next(body for body in sent if "De gemeente betaalt nu voor u" in body)
        assert notice and notice.group(1).split("\n")[0] in active  # the approved Tigrinya notice, then Dutch
        assert _longest_fixed_part(units[KEYS[0]]["target"]) not in active

        for key in KEYS:
            csrf = _csrf(browser.get(f"/review/ti/{key}").text)
            res = browser.post(f"/review/ti/{key}/approve", data={"csrf": csrf})
            assert res.status_code == 303 and httpx.URL(res.headers["location"]).params["flash"] == "approved"

    before = len(settle(stack, sender))
    post(stack, form(sender, ti["ask_ontzorgen"]))
    # Bilingual clients also get the Dutch text, after the Dutch flag.
    sent = ["\n\n".join(p for p in m["body"].split("\n\n") if not p.startswith("🇳🇱"))
            for m in settle(stack, sender)[before:]]
    assert not any("De gemeente betaalt" in body for body in sent), sent
    assert any(_longest_fixed_part(units[KEYS[0]]["target"]) in body for body in sent), sent
