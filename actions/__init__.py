"""The Rasa SDK action server: does I/O against the case-data API and validates, nothing more.
Which step follows which lives in data/rules."""

from bot import privacy

privacy.install()
