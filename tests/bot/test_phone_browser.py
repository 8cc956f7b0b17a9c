"""The local phone page in headless Chromium: a demo client chats with the assistant in Arabic."""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from test_whatsapp import rendered

from conftest import Stack

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_arabic_conversation_on_the_local_phone(stack: Stack) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: scripts/services.sh installs it")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.goto(f"{stack.standin}/phone")
            page.select_option("#phone", "+31610000042")  # verified demo client, Arabic
            page.fill("#text", "مرحبا")
            page.click("#send")
            page.wait_for_function("document.querySelectorAll('.bubble.assistant').length >= 1", timeout=30_000)
            bubbles = page.locator(".bubble.assistant")
            assert bubbles.first.inner_text().startswith(rendered(stack, "utter_greet", "ar"))
            # Arabic bubbles are laid out right to left
            assert bubbles.first.evaluate("e => getComputedStyle(e).direction") == "rtl"
            page.fill("#text", "1")
            page.keyboard.press("Enter")
            page.wait_for_function("document.querySelectorAll('.bubble.assistant').length >= 2", timeout=30_000)
            said = page.locator(".bubble.assistant").all_inner_texts()
            assert said[1].startswith(rendered(stack, "utter_privacy_agreed", "ar")), said
            page.click("#voice")  # a voice note gets a kind answer
            page.wait_for_function("document.querySelectorAll('.bubble.assistant').length >= 3", timeout=30_000)
            said = page.locator(".bubble.assistant").all_inner_texts()
            assert said[2].startswith(rendered(stack, "utter_media_message", "ar")), said
        finally:
            browser.close()
