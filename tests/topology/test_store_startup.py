"""Replicas that start at the same moment against a new database all come up: the stores that Rasa
creates tables for (tracker store, event broker) survive the race to create them."""

import os
import subprocess
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

REPO = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

# Runs in the bot's virtualenv: N threads build the stores at once, as N replicas do at start.
RACE = """
import sys, threading, traceback
from rasa.utils.endpoints import EndpointConfig
from bot.stores import ResilientSQLEventBroker, ResilientSQLTrackerStore
from rasa.shared.core.domain import Domain

kind, db, threads, host, port, user = sys.argv[1], sys.argv[2], int(sys.argv[3]), *sys.argv[4:]
where = dict(dialect="postgresql", host=host, port=int(port), db=db, username=user)
barrier, failures = threading.Barrier(threads), []

def start() -> None:
    barrier.wait()
    try:
        if kind == "broker":
            ResilientSQLEventBroker(**where)
        else:
            ResilientSQLTrackerStore(Domain.empty(), **where)
    except Exception:
        failures.append(traceback.format_exc())

workers = [threading.Thread(target=start) for _ in range(threads)]
for w in workers: w.start()
for w in workers: w.join()
print("".join(failures))
sys.exit(1 if failures else 0)
"""


def race(kind: str, rounds: int = 4, threads: int = 4) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    url = make_url(PG_ADMIN_URL)
    server = [url.host or "127.0.0.1", str(url.port or 5432), url.username or "postgres"]
    try:
        for _ in range(rounds):
            name = f"rasa_race_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                result = subprocess.run([f"{os.environ['INB_BOT_ENV']}/bin/python", "-c", RACE, kind, name,
                                         str(threads), *server], cwd=REPO, capture_output=True, text=True, timeout=300,
                                        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
                assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
                tables = create_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
                with tables.connect() as conn:
                    names = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
                                .scalars())
                tables.dispose()
                assert "events" in names
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def test_event_brokers_starting_together_all_start() -> None:
    race("broker")


def test_tracker_stores_starting_together_all_start() -> None:
    race("tracker")
