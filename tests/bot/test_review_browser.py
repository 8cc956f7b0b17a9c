"""The review pages in headless Chromium: a cultuurvertaler logs in, filters, edits, fails a check,
fixes it, approves, and the assistant's next message changes; other roles and languages are refused."""

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from test_phone_browser import CHROMIUM, FLAGS

from conftest import Stack

KEY = "utter_termijn"  # high impact: sent in Tigrinya only when approved


def nlg(stack: Stack) -> dict:  # type: ignore[type-arg]
    res = httpx.post(f"{stack.api}/nlg", json={"response": KEY, "arguments": {"end_date": "2027-06-30", "days": 200},
                                               "tracker": {"slots": {"client_language": "ti"}}},
                     headers={"Authorization": "Bearer test-service-token"}, timeout=30)
    return dict(res.json())


def log_in(browser: Browser, stack: Stack, email: str, target: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(f"{stack.api}{target}")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "demo-wachtwoord")
    page.click("button[type=submit]")
    return page


@pytest.fixture(scope="module")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: scripts/services.sh installs it")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def test_cultuurvertaler_reviews_tigrinya(stack: Stack, browser: Browser) -> None:
    page = log_in(browser, stack, "vertaler@gooise-meren.example", "/review")
    expect(page).to_have_url(f"{stack.api}/review")
    expect(page.locator("table.grid tbody tr")).to_have_count(2)  # their languages: Arabic and Tigrinya
    page.click("text=ትግርኛ (ti)")
    page.select_option("select[name=impact]", "high")
    page.click("#filters button")
    expect(page).to_have_url(re.compile(r"impact=high"))
    impacts = page.locator("tr[data-key] .badge[class*=impact]").all_inner_texts()
    assert impacts and set(impacts) == {"high"}
    page.click(f"a[href='/review/ti/{KEY}']")
    original = page.input_value("textarea[name=target]")
    assert "{days}" in original and page.locator("#preview").get_attribute("lang") == "ti"
    assert "{" not in page.inner_text("#preview")  # filled with example data

    page.fill("textarea[name=target]", original.replace("{days}", "{dagen}"))
    page.click("#edit button")
    expect(page.locator("p[role=status]")).to_contain_text("needs review")
    expect(page.locator("#state")).to_have_text("needs review")
    expect(page.locator("#checks li[data-check=placeholders]")).to_be_visible()
    expect(page.locator("#approve button")).to_be_disabled()
    assert nlg(stack)["custom"]["sent_in"] == "nl"  # unapproved high-impact: the Dutch text goes out

    page.fill("textarea[name=target]", original)
    page.fill("textarea[name=note]", "'termijn' uitgelegd als 'ግዜ'.")
    page.click("#edit button")
    expect(page.locator("#checks")).to_have_text("All checks pass.")
    page.click("#approve button")
    expect(page.locator("p[role=status]")).to_contain_text("Approved")
    expect(page.locator("#state")).to_have_text("approved")
    history = page.locator(".history li").all_inner_texts()
    assert "approved" in history[0] and "Cultuurvertaler (demo)" in history[0]
    body = nlg(stack)
    assert body["custom"]["sent_in"] == "ti"
    assert max(re.split(r"\{\w+\}", original), key=len).strip() in body["text"]
    assert "Uw inburgeringstermijn" not in body["text"]


def test_other_languages_and_roles_cannot_approve(stack: Stack, browser: Browser) -> None:
    page = log_in(browser, stack, "vertaler@lochem.example", f"/review/ti/{KEY}")
    expect(page.locator("h1")).to_have_text("Not allowed")
    page.goto(f"{stack.api}/review/so/{KEY}")
    expect(page.locator("#approve button")).to_be_visible()  # their own language

    page = log_in(browser, stack, "consulent1@gooise-meren.example", f"/review/ti/{KEY}")
    expect(page.locator("#state")).to_be_visible()
    expect(page.locator("#approve")).to_have_count(0)
    expect(page.locator("#edit")).to_have_count(0)
    page.fill("#flag input[name=note]", "Cliënt vroeg wat 'termijn' betekent")
    page.click("#flag button")
    expect(page.locator("p[role=status]")).to_contain_text("Flagged")
    expect(page.locator("#state")).to_have_text("needs review")
