"""Secrets are real in production: the API, the Rasa channel and the action server refuse to start on a
missing, short or development secret, naming the variable; the embedded demo refuses production and
addresses other than loopback. Each process is started as deployed (a subprocess, its own environment)."""

import contextlib
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
STRONG = {name: secrets.token_hex(32) for name in ("API_SERVICE_TOKEN", "API_LOG_SALT", "RASA_AUTH_TOKEN")}
PRODUCTION_API = {
    "API_ENVIRONMENT": "production", "API_SERVICE_TOKEN": STRONG["API_SERVICE_TOKEN"],
    "API_LOG_SALT": STRONG["API_LOG_SALT"], "API_RASA_TOKEN": STRONG["RASA_AUTH_TOKEN"],
    "API_TWILIO_ACCOUNT_SID": "AC" + "1" * 32, "API_TWILIO_AUTH_TOKEN": secrets.token_hex(16),
    "API_TWILIO_WHATSAPP_FROM": "whatsapp:+3197010000000", "API_REDIS_URL": "redis://127.0.0.1:6379/9",
    "API_DATABASE_URL": "sqlite://",
}
WEAK = {"empty": "", "short": "a1b2c3d4e5f6", "development default": "dev-service-token-0123456789abcdefghijk",
        "one character": "x" * 40}


def _bot_python() -> str:
    bot_env = os.environ.get("INB_BOT_ENV")
    if not bot_env:
        pytest.fail("INB_BOT_ENV is not set: run the suite with `make test`")
    return f"{bot_env}/bin/python"


def _run(argv: list[str], env: dict[str, str], cwd: Path = REPO, timeout: float = 120) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("API_", "RASA_", "TWILIO_", "ACTIONS_"))}
    # A process group of its own: if a refusal fails and it starts servers, they are stopped with it.
    proc = subprocess.Popen(argv, cwd=cwd, env={**clean, "PYTHONPATH": str(REPO), **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        out, err = "", "timed out"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(argv, proc.wait(), out, err)


def test_api_starts_in_production_with_real_secrets() -> None:
    res = _run([sys.executable, "-c", "import app.main"], PRODUCTION_API, cwd=REPO / "api")
    assert res.returncode == 0, res.stderr[-2000:]


@pytest.mark.parametrize("variable", ["API_SERVICE_TOKEN", "API_LOG_SALT", "API_RASA_TOKEN", "API_TWILIO_AUTH_TOKEN"])
@pytest.mark.parametrize("kind", list(WEAK))
def test_api_refuses_a_weak_secret_in_production(variable: str, kind: str) -> None:
    res = _run([sys.executable, "-c", "import app.main"], {**PRODUCTION_API, variable: WEAK[kind]},
               cwd=REPO / "api")
    assert res.returncode != 0
    assert f"refusing to start in production: {variable}" in res.stderr, res.stderr[-2000:]
    assert WEAK[kind] == "" or WEAK[kind] not in res.stderr  # the value itself is never printed


def test_api_without_a_mode_is_production() -> None:
    env = {k: v for k, v in PRODUCTION_API.items() if k not in ("API_ENVIRONMENT", "API_SERVICE_TOKEN")}
    res = _run([sys.executable, "-c", "import app.main"], env, cwd=REPO / "api")
    assert res.returncode != 0 and "API_SERVICE_TOKEN is empty" in res.stderr, res.stderr[-2000:]


def test_api_needs_redis_and_twilio_in_production() -> None:
    for missing in ("API_REDIS_URL", "API_TWILIO_ACCOUNT_SID"):
        env = {k: v for k, v in PRODUCTION_API.items() if k != missing}
        res = _run([sys.executable, "-c", "import app.main"], env, cwd=REPO / "api")
        assert res.returncode != 0 and missing in res.stderr, res.stderr[-2000:]


CHANNEL = """
import os
from bot.channels.whatsapp import WhatsAppInput
env = os.environ
WhatsAppInput.from_credentials({"auth_token": env["TWILIO_AUTH_TOKEN"], "public_url": "https://x.example/w",
                                "service_token": env["API_SERVICE_TOKEN"], "log_salt": env["API_LOG_SALT"]})
print("started")
"""


def test_whatsapp_channel_refuses_weak_secrets_in_production() -> None:
    strong = {"API_ENVIRONMENT": "production", "TWILIO_AUTH_TOKEN": secrets.token_hex(16), **STRONG}
    ok = _run([_bot_python(), "-c", CHANNEL], strong)
    assert ok.returncode == 0 and "started" in ok.stdout, ok.stderr[-2000:]
    for variable in ("TWILIO_AUTH_TOKEN", "API_SERVICE_TOKEN", "API_LOG_SALT", "RASA_AUTH_TOKEN"):
        res = _run([_bot_python(), "-c", CHANNEL], {**strong, variable: "dev-rasa-token"})
        assert res.returncode != 0 and "started" not in res.stdout
        assert f"{variable} is shorter than 32 characters" in res.stderr, res.stderr[-2000:]
    # The same weak values are fine in development (scripts/run.sh's local defaults).
    dev = _run([_bot_python(), "-c", CHANNEL], {**strong, "API_ENVIRONMENT": "development",
                                                 "RASA_AUTH_TOKEN": "dev-rasa-token"})
    assert dev.returncode == 0, dev.stderr[-2000:]


def test_rest_channel_refuses_to_load_in_production() -> None:
    code = "from bot.channels.rest import LocalRestInput; LocalRestInput.from_credentials(None); print('started')"
    res = _run([_bot_python(), "-c", code], {"API_ENVIRONMENT": "production", **STRONG})
    assert res.returncode != 0 and "REST channel is unsigned" in res.stderr, res.stderr[-2000:]
    assert _run([_bot_python(), "-c", code], {"API_ENVIRONMENT": "development"}).returncode == 0


def test_action_server_refuses_weak_secrets_in_production() -> None:
    argv = [_bot_python(), "-m", "actions.server", "--port", "1"]  # exits before it would bind
    res = _run(argv, {"API_ENVIRONMENT": "production", "API_SERVICE_TOKEN": "dev-service-token",
                      "API_LOG_SALT": STRONG["API_LOG_SALT"]})
    assert res.returncode != 0 and "API_SERVICE_TOKEN is shorter than 32 characters" in res.stderr, res.stderr[-2000:]
    res = _run(argv, {"API_ENVIRONMENT": "production", "API_SERVICE_TOKEN": STRONG["API_SERVICE_TOKEN"]})
    assert res.returncode != 0 and "API_LOG_SALT is empty" in res.stderr, res.stderr[-2000:]


@pytest.mark.parametrize("env", [{"API_ENVIRONMENT": "production"}, {"API_HOST": "0.0.0.0"}])
def test_the_embedded_demo_is_never_production_nor_public(env: dict[str, str]) -> None:
    res = _run(["scripts/run.sh"], env, timeout=30)
    assert res.returncode == 1 and "error:" in res.stderr and "Traceback" not in res.stderr, res.stderr[-2000:]
