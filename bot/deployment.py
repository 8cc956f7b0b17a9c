"""Which mode a process runs in and what its secrets must be: one rule for the API, the Rasa channel and
the action server (pure Python, imported from both environments).

Production is the default: local defaults for tokens and salts exist only when API_ENVIRONMENT says
development or test (scripts/run.sh and scripts/test.sh say so), so a deployment that forgets a secret
stops with a message naming it instead of running on a value anyone can read in this repository.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

MODE_VARIABLE = "API_ENVIRONMENT"
DEV_MODES = ("development", "test")
MIN_LENGTH = 32
# Values of this repository (dev defaults, the demo's Twilio stand-in, examples): never real secrets.
_PLACEHOLDERS = ("dev-", "demo-", "test-", "bench-", "changethis", "changeme", "secret", "example", "password")
DEV_DEFAULTS = {
    "API_SERVICE_TOKEN": "dev-service-token",
    "API_LOG_SALT": "dev-log-salt",
    "RASA_AUTH_TOKEN": "dev-rasa-token",
}


def mode(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return (env.get(MODE_VARIABLE) or "production").strip().lower()


def is_dev(env: Mapping[str, str] | None = None) -> bool:
    return mode(env) in DEV_MODES


def secret(name: str, env: Mapping[str, str] | None = None) -> str:
    """A secret from the environment; the local default only in development and tests."""
    env = os.environ if env is None else env
    return env.get(name) or (DEV_DEFAULTS.get(name, "") if is_dev(env) else "")


def weakness(value: str) -> str | None:
    """Why a value is no secret, or None."""
    if not value.strip():
        return "is empty"
    if len(value) < MIN_LENGTH:
        return f"is shorter than {MIN_LENGTH} characters"
    if value.lower().startswith(_PLACEHOLDERS):
        return "is a development or example value"
    if len(set(value)) < 10:
        return "has too few different characters"
    return None


class WeakSecrets(SystemExit):
    """Stops the process at start-up (SystemExit: a message, no traceback)."""


def require_secrets(values: Mapping[str, str], env: Mapping[str, str] | None = None) -> None:
    """In production, refuse to start when any of these secrets (variable name -> value) is weak."""
    if is_dev(env):
        return
    problems = [f"{name} {why}" for name, value in values.items() if (why := weakness(value or ""))]
    if problems:
        raise WeakSecrets(
            "refusing to start in production: " + "; ".join(problems)
            + f". Set each to a long random value (e.g. `openssl rand -hex 32`); {MODE_VARIABLE}=development"
            " allows the local defaults.")
