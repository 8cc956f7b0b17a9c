"""Keeps phone numbers out of the logs of the Rasa server and the action server.

Rasa logs sender ids (our senders are phone numbers) in some warnings. Every log record, from any
library, passes through this record factory, which replaces numbers with a salted pseudonym."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re

from bot import deployment

_PHONE = re.compile(r"(?:whatsapp:)?\+?\d[\d ]{7,17}\d")
_installed = False


def pseudonym(phone: str, salt: str | None = None) -> str:
    key = (salt or deployment.secret("API_LOG_SALT")).encode()
    digits = re.sub(r"\D", "", phone)
    return "tel:" + hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()[:12]


def redact(text: str) -> str:
    return _PHONE.sub(lambda m: pseudonym(m.group(0)) if len(re.sub(r"\D", "", m.group(0))) >= 9 else m.group(0),
                      text)


def install() -> None:
    """Redact numbers in every log record of this process (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is the caller's problem, not ours
            return record
        record.msg, record.args = redact(message), None
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
