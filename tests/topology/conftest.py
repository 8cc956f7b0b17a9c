"""The native production topology (scripts/topology.sh) on free ports, its own PostgreSQL databases and
Redis database: two Rasa replicas behind nginx."""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[2]
# The topology runs in production mode: it refuses weak secrets, so these are real random ones.
RASA_TOKEN = secrets.token_hex(32)
SERVICE_TOKEN = secrets.token_hex(32)
TWILIO_TOKEN = secrets.token_hex(16)  # the stand-in's account (a Twilio auth token has 32 hex digits)
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_DB = "7"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Topology:
    front: str  # nginx, public port
    internal: str  # nginx, internal port (Rasa's HTTP API)
    api: str
    actions_port: str
    standin: str
    replicas: list[str]
    run_dir: Path
    dbs: dict[str, str]
    admin: dict[str, str]

    @property
    def webhook(self) -> str:
        return f"{self.front}/webhooks/whatsapp/webhook"

    def replica_pid(self, index: int) -> int:
        port = self.replicas[index].rsplit(":", 1)[1]
        return int((self.run_dir / f"rasa-{port}.pid").read_text())

    def staff(self, path: str, **params: str) -> httpx.Response:
        return httpx.get(f"{self.api}/api/v1{path}", params=params, headers=self.admin, timeout=30)


@pytest.fixture(scope="session")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    suffix = uuid.uuid4().hex[:6]
    dbs = {"TOPO_DB": f"inb_topo_{suffix}", "RASA_TRACKER_DB": f"rasa_tracker_{suffix}",
           "RASA_EVENTS_DB": f"rasa_events_{suffix}"}
    ports = {name: free_port() for name in ("TOPO_PORT", "TOPO_INTERNAL_PORT", "API_PORT", "ACTIONS_PORT",
                                            "STANDIN_PORT")}
    replicas = [free_port(), free_port()]
    run_dir = tmp_path_factory.mktemp("topology")
    subprocess.run(["redis-cli", "-n", REDIS_DB, "FLUSHDB"], check=True, capture_output=True)
    env = {**os.environ, **dbs, **{k: str(v) for k, v in ports.items()}, "RASA_PORTS": " ".join(map(str, replicas)),
           "TOPO_RUN": str(run_dir), "REDIS_DB": REDIS_DB, "RASA_AUTH_TOKEN": RASA_TOKEN,
           "API_SERVICE_TOKEN": SERVICE_TOKEN, "STANDIN_AUTH_TOKEN": TWILIO_TOKEN, "WHATSAPP_RECOVER_AFTER": "5"}
    env.pop("API_ENVIRONMENT", None)  # production, as deployed (make test sets "test" for the other tests)
    for var in ("API_DATABASE_URL", "DATABASE_URL", "TWILIO_ACCOUNT_SID"):
        env.pop(var, None)
    log = (run_dir / "topology.log").open("w")
    proc = subprocess.Popen(["scripts/topology.sh"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    front = f"http://127.0.0.1:{ports['TOPO_PORT']}"
    try:
        deadline = time.monotonic() + 600
        while "The topology is up" not in (run_dir / "topology.log").read_text():
            assert proc.poll() is None, (run_dir / "topology.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "topology did not come up in 10 minutes"
            time.sleep(1)
        api = f"http://127.0.0.1:{ports['API_PORT']}"
        token = httpx.post(f"{api}/api/v1/auth/login", json={"email": "admin@regio.example",
                                                              "password": "demo-wachtwoord"}).json()["access_token"]
        yield Topology(front=front, internal=f"http://127.0.0.1:{ports['TOPO_INTERNAL_PORT']}", api=api,
                       actions_port=str(ports["ACTIONS_PORT"]), standin=f"http://127.0.0.1:{ports['STANDIN_PORT']}",
                       replicas=[f"http://127.0.0.1:{p}" for p in replicas], run_dir=run_dir, dbs=dbs,
                       admin={"Authorization": f"Bearer {token}"})
    finally:
        with contextlib.suppress(ProcessLookupError):  # the script may have stopped by itself
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        subprocess.run(["pkill", "-f", f"nginx.*{run_dir}"], check=False)
        log.close()
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in dbs.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
