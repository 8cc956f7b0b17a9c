"""The two environments exist and the run command brings the API up with demo data."""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]


def test_bot_environment_has_rasa_3_6() -> None:
    bot_env = os.environ.get("INB_BOT_ENV")
    if not bot_env:
        pytest.fail("INB_BOT_ENV is not set: run the suite with `make test`")
    out = subprocess.run([f"{bot_env}/bin/python", "-c",
                          "import sys, rasa, rasa_sdk, spacy; print(rasa.__version__, sys.version_info[:2])"],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.startswith("3.6.21 (3, 10)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, token: str | None = None) -> dict:  # type: ignore[type-arg]
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=5) as res:
        return json.loads(res.read())


def test_run_command_serves_demo_data(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "API_DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}", "API_PORT": str(port),
           "RASA_TRACKER_DB_FILE": str(tmp_path / "tracker.db"), "RASA_EVENTS_DB_FILE": str(tmp_path / "events.db"),
           "RUN_DIR": str(tmp_path),
           "ACTIONS_PORT": str(_free_port()), "RASA_PORT": str(_free_port()), "STANDIN_PORT": str(_free_port())}
    proc = subprocess.Popen(["scripts/run.sh"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 900  # may train the model first
        while time.monotonic() < deadline:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            lines.append(line)
            if f"http://127.0.0.1:{port}/docs" in line:
                break
            assert proc.poll() is None, "".join(lines)
        else:
            pytest.fail("no URL printed:\n" + "".join(lines))
        for _ in range(100):
            try:
                assert _get(f"http://127.0.0.1:{port}/ready")["status"] == "ready"
                break
            except OSError:
                time.sleep(0.2)
        body = json.dumps({"email": "consulent1@gooise-meren.example", "password": "demo-wachtwoord"}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/auth/login", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as res:
            token = json.loads(res.read())["access_token"]
        clients = _get(f"http://127.0.0.1:{port}/api/v1/clients", token)
        assert clients["count"] > 10
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)


COMPOSE_ENV = {"POSTGRES_PASSWORD": "p", "API_SERVICE_TOKEN": "s", "API_LOG_SALT": "l",
               "API_PUBLIC_URL": "https://assistent.example", "TWILIO_ACCOUNT_SID": "AC0", "TWILIO_AUTH_TOKEN": "t",
               "TWILIO_WHATSAPP_FROM": "whatsapp:+3197010000000", "RASA_AUTH_TOKEN": "r",
               "WHATSAPP_PUBLIC_URL": "https://assistent.example/webhooks/whatsapp/webhook"}


def test_compose_file_is_valid_and_complete() -> None:
    """`docker-compose config` (no Docker engine needed) accepts the production topology, and refuses to
    start without its secrets."""
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose is missing: scripts/services.sh installs Debian's package"
    base = {k: v for k, v in os.environ.items() if k not in COMPOSE_ENV}
    result = subprocess.run([compose, "-f", "docker-compose.yml", "config"], cwd=REPO, capture_output=True, text=True,
                            env={**base, **COMPOSE_ENV}, timeout=60)
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    services = config["services"]
    assert {"db", "redis", "api", "actions", "trainer", "rasa-1", "rasa-2", "proxy"} <= set(services)
    assert services["db"]["image"].startswith("postgres:") and services["redis"]["image"].startswith("redis:")
    assert services["proxy"]["image"].startswith("nginx:")
    for name in ("rasa-1", "rasa-2"):
        assert "endpoints.production.yml" in " ".join(services[name]["command"])
        assert services[name]["healthcheck"] and services[name]["environment"]["REDIS_HOST"] == "redis"
    for dockerfile, base_image in (("bot/Dockerfile", "rasa/rasa:3.6.21"), ("actions/Dockerfile", "rasa/rasa-sdk:3.6")):
        assert (REPO / dockerfile).read_text().count(f"FROM {base_image}") == 1
    missing = subprocess.run([compose, "-f", "docker-compose.yml", "config", "-q"], cwd=REPO, capture_output=True,
                             text=True, env=base, timeout=60)
    assert missing.returncode != 0 and "set POSTGRES_PASSWORD" in missing.stderr
