"""Log output of the Rasa server and the action server.

Every handler's output is redacted (phone numbers become salted pseudonyms, tracebacks included), and
with LOG_FORMAT=json each record is one JSON object per line (time, level, logger, service, message,
error), for a log pipeline to index without parsing text. Rasa and Sanic set up their handlers at
different moments of start-up, so `install()` is called again once the server exists (see the channel).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import datetime, timezone

from bot import privacy

TEXT_FORMAT = "%(asctime)s %(levelname)-8s %(name)s  - %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if os.environ.get("LOG_SERVICE"):
            entry["service"] = os.environ["LOG_SERVICE"]
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RedactingFormatter(logging.Formatter):
    """Wraps a handler's formatter: what it writes never holds a phone number in clear."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        return privacy.redact(self.inner.format(record))


def install() -> None:
    """Redact (and, if asked, JSON-format) every output handler present now; safe to call again."""
    privacy.install()
    logging.captureWarnings(True)  # Python warnings become records too, in the same format
    as_json = os.environ.get("LOG_FORMAT", "text").lower() == "json"
    loggers = [logging.getLogger(), *(item for item in logging.root.manager.loggerDict.values()
                                      if isinstance(item, logging.Logger))]
    for logger in loggers:
        for handler in logger.handlers:
            # Only what goes to the process's output; a test harness's capturing handlers stay as they are.
            if not (isinstance(handler, logging.StreamHandler) and handler.stream in (sys.stdout, sys.stderr)):
                continue
            current = handler.formatter
            if isinstance(current, RedactingFormatter):
                if as_json and not isinstance(current.inner, JsonFormatter):
                    current.inner = JsonFormatter()
                continue
            handler.setFormatter(RedactingFormatter(JsonFormatter() if as_json
                                                    else current or logging.Formatter(TEXT_FORMAT)))
