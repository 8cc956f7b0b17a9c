"""Hand-off end to end on the real stack, the consultant driving the inbox in headless Chromium:
an Arabic client asks for a person over the signed WhatsApp webhook -> the hand-off is in their
consultant's inbox -> the client's next messages land in the thread (live), not at the bot -> the
consultant's reply reaches the Twilio stand-in -> close -> the assistant answers again."""

import re
import time

import httpx
from playwright.sync_api import Browser, expect
from test_review_browser import browser, log_in  # noqa: F401 - the shared Chromium fixture
from test_whatsapp import form, phone, post, replies, settle, wait_for

from conftest import CONVERSATIONS, Stack, client_id

CLIENT = 50  # verified, Arabic; no other test talks to this number


def rendered(stack: Stack, key: str, language: str) -> str:
    res = httpx.post(f"{stack.api}/nlg", json={"response": key, "tracker": {"slots": {"client_language": language}}},
                     headers={"Authorization": "Bearer test-service-token"}, timeout=30)
    return str(res.json()["text"])


def test_arabic_hand_off_through_the_inbox(stack: Stack, browser: Browser) -> None:  # noqa: F811
    sender, ar = phone(CLIENT), CONVERSATIONS["ar"]
    client = stack.staff("GET", f"/clients/{client_id(stack, sender)}").json()
    consultant = stack.staff("GET", f"/staff/{client['consultant_id']}").json()
    post(stack, form(sender, ar["greet"]))
    wait_for(stack, sender, 1)
    post(stack, form(sender, "1"))
    wait_for(stack, sender, 2)

    start = time.monotonic()
    post(stack, form(sender, ar["request_human"]))
    while not [h for h in stack.staff("GET", "/handoffs", params={"status": "open"}).json() if h["phone"] == sender]:
        assert time.monotonic() - start < 30, "no hand-off after 30 s"
        time.sleep(0.05)
    visible_after = time.monotonic() - start
    [handoff] = [h for h in stack.staff("GET", "/handoffs").json() if h["phone"] == sender]
    assert (handoff["trigger"], handoff["language"], handoff["assigned_to_id"]) == (
        "request_human", "ar", consultant["id"])
    told = [m["body"] for m in settle(stack, sender)]
    assert any(rendered(stack, "utter_handoff", "ar") in m for m in told)

    page = log_in(browser, stack, consultant["email"], "/inbox")
    row = page.locator(f"#queue tr[data-id='{handoff['id']}']")
    expect(row).to_contain_text("request human")
    row.locator("a").click()
    expect(page.locator("#why")).to_contain_text("request human")
    expect(page.locator("#thread")).to_contain_text(ar["request_human"])
    expect(page.locator("#thread")).to_contain_text("wil een mens spreken")  # what the assistant understood
    expect(page.locator("#thread .msg.outbound .dutch").first).to_contain_text("NL:")  # bot messages in Dutch

    # The client writes on while the page is open: the message appears without reloading, the bot is quiet.
    before = len(replies(stack, sender))
    post(stack, form(sender, "متى سيتصل بي أحد؟ 🙏"))
    expect(page.locator("#thread")).to_contain_text("متى سيتصل بي أحد؟", timeout=15_000)
    assert len(settle(stack, sender)) == before

    page.fill("#reply textarea", "Goedemiddag, ik bel u vandaag om 15:00 met een tolk.")
    sent_at = time.monotonic()
    page.click("#reply button")
    expect(page.locator("p[role=status]")).to_contain_text("Reply queued")
    got = wait_for(stack, sender, before + 1)
    reply_sent_after = time.monotonic() - sent_at
    signed, text = got[-1]["body"].split("\n", 1)
    assert text == "Goedemiddag, ik bel u vandaag om 15:00 met een tolk."
    assert consultant["name"].split()[0] in signed  # who writes, first
    expect(page.locator("#thread .msg.staff .status")).not_to_have_text("queued", timeout=15_000)
    expect(page.locator("#assignee")).to_have_text(consultant["name"])  # replying claimed it

    page.fill("#note input[name=text]", "Tolk Arabisch gevraagd voor 15:00.")
    page.click("#note button")
    expect(page.locator(".history")).to_contain_text("Tolk Arabisch gevraagd")
    page.select_option("#close select[name=outcome]", "answered")
    page.click("#close button")
    expect(page.locator("p[role=status]")).to_contain_text("Closed")
    expect(page.locator("#status")).to_have_text("closed")
    back = wait_for(stack, sender, before + 2)
    assert back[-1]["body"] == rendered(stack, "utter_handoff_closed", "ar")

    post(stack, form(sender, ar["ask_lessons"]))  # the assistant answers again, the question asked
    answered = settle(stack, sender)
    assert len(answered) > before + 2
    said = [k for m in stack.staff("GET", "/whatsapp/messages", params={"phone": sender}).json()[before + 2:]
            if m["direction"] == "outbound" for k in (m["response_key"] or "").split()]
    assert any(k.startswith(("utter_lesson", "utter_lessons")) for k in said), said
    print(f"\nhand-off visible after {visible_after * 1000:.0f} ms; reply at Twilio after "  # noqa: T201
          f"{reply_sent_after * 1000:.0f} ms")
    assert re.search(r"\S", answered[-1]["body"])

    # The statistics page counts this conversation (from Rasa's event broker table) and the hand-off.
    page.click("nav >> text=Statistics")
    expect(page.locator("#topics")).to_contain_text("wil een mens spreken")
    expect(page.locator("#languages")).to_contain_text("(ar)")
    expect(page.locator("#outcomes")).to_contain_text("answered")
    assert not re.search(r"\+31\d{9}", page.content())  # totals only
