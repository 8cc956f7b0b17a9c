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


def _handler_output(monkeypatch: pytest.MonkeyPatch, log_format: str) -> tuple[str, logging.Logger]:
    import io

    from bot import logs

    monkeypatch.setenv("LOG_FORMAT", log_format)
    monkeypatch.setenv("LOG_SERVICE", "rasa-1")
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)  # install() formats handlers that write to the process output
    logger = logging.getLogger(f"test.logs.{log_format}")
    handler = logging.StreamHandler()
    logger.addHandler(handler)
    logger.propagate = False
    logs.install()
    logs.install()  # twice, as the channel does: no double wrapping
    try:
        raise KeyError("+31610000002")
    except KeyError:
        logger.exception("turn failed for %s", "whatsapp:+31610000002")
    logger.removeHandler(handler)
    return stream.getvalue(), logger


def test_json_log_lines_carry_fields_and_no_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    output, _ = _handler_output(monkeypatch, "json")
    lines = output.strip().splitlines()
    assert len(lines) == 1  # the traceback is inside the one JSON object
    entry = json.loads(lines[0])
    assert entry["level"] == "ERROR" and entry["service"] == "rasa-1" and entry["logger"] == "test.logs.json"
    assert entry["message"].startswith("turn failed for tel:") and "KeyError" in entry["error"]
    assert "31610000002" not in output
    assert entry["time"].endswith("+00:00")


def test_text_logs_redact_tracebacks_too(monkeypatch: pytest.MonkeyPatch) -> None:
    output, _ = _handler_output(monkeypatch, "text")
    assert "turn failed for tel:" in output and "KeyError" in output
    assert "31610000002" not in output  # the exception's own text named the number


def test_capturing_handlers_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from bot import logs

    monkeypatch.setenv("LOG_FORMAT", "json")
    capture = logging.StreamHandler(io.StringIO())  # like a test harness's or a file's handler
    logging.getLogger("test.logs.capture").addHandler(capture)
    logs.install()
    assert capture.formatter is None
    logging.getLogger("test.logs.capture").removeHandler(capture)
