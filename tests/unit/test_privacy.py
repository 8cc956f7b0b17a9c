"""Phone numbers never reach the logs in clear."""

import logging

import pytest

from bot import privacy


def test_numbers_are_replaced_by_a_stable_pseudonym() -> None:
    text = privacy.redact("Stopped predicting more actions for sender '+31610000002' (whatsapp:+31610000002)")
    assert "31610000002" not in text
    assert text.count(privacy.pseudonym("+31610000002")) == 2
    assert privacy.redact("at 09:00 on 2026-11-24, 3 lessons, code 135790") == \
        "at 09:00 on 2026-11-24, 3 lessons, code 135790"  # times, dates and short numbers stay


def test_every_log_record_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    privacy.install()
    with caplog.at_level(logging.WARNING):
        logging.getLogger("rasa.core.processor").warning("sender %s failed", "+31 6 1000 0002")
    assert "1000 0002" not in caplog.text
    assert "tel:" in caplog.text
