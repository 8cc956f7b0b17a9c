"""The reviewers' lexicon changes (bot.safety.Change), fetched from the API for the Rasa process.

Reviewers add and remove safety phrases on the review pages; the API keeps them. Every replica fetches them
in the background every REFRESH seconds, so a change reaches every replica within seconds without a
retrain, and a message is never held up by the fetch: until the first answer, and while the API cannot be
reached, the last good list (or the files alone) is used.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import urllib.request

from bot.safety import Change

log = logging.getLogger(__name__)
PATH = "/api/v1/assistant/safety-lexicon"


class RemoteChanges:
    def __init__(self, api_url: str | None, token: str, every: float) -> None:
        self._url = f"{api_url.rstrip('/')}{PATH}" if api_url else None
        self._token, self._every = token, every
        self._changes: tuple[Change, ...] = ()
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    @classmethod
    def from_env(cls) -> RemoteChanges:
        return cls(os.environ.get("ACTIONS_API_URL"), os.environ.get("API_SERVICE_TOKEN", ""),
                   float(os.environ.get("SAFETY_LEXICON_REFRESH", "5")))

    def start(self) -> RemoteChanges:
        """Fetch once now (at start-up), then every `every` seconds in a thread of its own, whether
        messages come or not (a change must count for the first message after it)."""
        if self._url and self._thread is None:
            self._fetch()
            self._thread = threading.Thread(target=self._loop, name="safety-lexicon", daemon=True)
            self._thread.start()
        return self

    def current(self) -> tuple[Change, ...]:
        """The last fetched changes (never waits for the API)."""
        return self._changes

    def stop(self) -> None:
        self._stopped.set()

    def _loop(self) -> None:
        while not self._stopped.wait(self._every):
            self._fetch()

    def _fetch(self) -> None:
        try:
            request = urllib.request.Request(str(self._url), headers={"Authorization": f"Bearer {self._token}"})
            with urllib.request.urlopen(request, timeout=3) as response:
                rows = json.loads(response.read())["changes"]
            self._changes = tuple(Change(str(r["language"]), str(r["level"]), str(r["safety_class"]),
                                         str(r["phrase"]), bool(r["removed"])) for r in rows)
        except Exception as exc:  # noqa: BLE001 - the API down or restarting: keep the last list, try later
            log.warning("safety lexicon changes not fetched: %s", type(exc).__name__)
