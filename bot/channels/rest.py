"""Rasa's REST channel for local development, the conversation tests and the load benchmark's baseline.

It is unsigned: whoever can reach it can speak as any number. So it exists only in development and
tests (it refuses to load in production) and scripts/run.sh binds it to loopback; production replicas
load bot/credentials.production.yml, which has only the signed WhatsApp channel."""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.request import Request

from bot import deployment
from bot.text import clean, defuse


class LocalRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"  # the same URL as Rasa's own: /webhooks/rest/webhook

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> LocalRestInput:
        if not deployment.is_dev():
            raise deployment.WeakSecrets(
                "refusing to start in production: the REST channel is unsigned (anyone could speak as any "
                "number); use bot/credentials.production.yml")
        return cls()

    def _extract_message(self, req: Request) -> str | None:
        # The same text rules as WhatsApp: invisible characters and lone surrogates go, no Rasa commands.
        text = super()._extract_message(req)
        return defuse(clean(text)) if isinstance(text, str) else text
