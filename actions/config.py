"""Settings of the action server, from the environment (prefix ACTIONS_)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from bot import deployment


@dataclass(frozen=True)
class ActionsSettings:
    api_url: str
    service_token: str
    timeout_seconds: float


@cache
def get_settings() -> ActionsSettings:
    env = os.environ
    return ActionsSettings(
        api_url=env.get("ACTIONS_API_URL", "http://127.0.0.1:8000").rstrip("/"),
        # The same secret as the API's API_SERVICE_TOKEN (local default only in development and tests).
        service_token=env.get("ACTIONS_SERVICE_TOKEN") or deployment.secret("API_SERVICE_TOKEN"),
        timeout_seconds=float(env.get("ACTIONS_API_TIMEOUT", "5")),
    )
