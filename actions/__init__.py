"""The Rasa SDK action server: does I/O against the case-data API and validates, nothing more.
Which step follows which lives in data/rules."""

from bot import logs

logs.install()  # redacted (and with LOG_FORMAT=json, structured) log output
