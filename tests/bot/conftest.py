"""The real stack for conversation tests: scripts/run.sh (API on a fresh SQLite with demo data, the
action server, Rasa with the trained model) on free ports, talked to over Rasa's REST channel."""

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CONVERSATIONS = yaml.safe_load((REPO / "tests" / "bot" / "conversations.yml").read_text(encoding="utf-8"))
LANGUAGES = ["nl", "ar", "ti", "fa", "ps", "so", "tr", "en"]  # demo client i speaks LANGUAGES[i-1]
RASA_TOKEN = "test-rasa-token"
SERVICE_TOKEN = "test-service-token"
STACK_LOG: list[Path] = []  # the running stack's log, read when a test fails


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Reply:
    key: str
    language: str  # the person's language
    text: str
    sent_in: str = ""  # the language of the text itself (Dutch when a translation is not approved)


@dataclass
class Stack:
    api: str
    rasa: str
    standin: str
    db: Path
    staff_headers: dict[str, str] = field(default_factory=dict)

    def say(self, sender: str, text: str) -> list[Reply]:
        res = httpx.post(f"{self.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
        res.raise_for_status()
        # Rasa's REST channel splits a text at blank lines and sends our NLG's "custom" part after it.
        replies: list[Reply] = []
        pending: list[str] = []
        for message in res.json():
            if "text" in message:
                pending.append(message["text"])
            elif "custom" in message and pending:
                custom = message["custom"]
                replies.append(Reply(key=custom["key"], language=custom["language"], text="\n\n".join(pending),
                                     sent_in=custom.get("sent_in", custom["language"])))
                pending = []
        replies += [Reply(key="", language="", text=text) for text in pending]
        return replies

    def keys(self, sender: str, text: str) -> list[str]:
        return [r.key for r in self.say(sender, text)]

    def staff(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        return httpx.request(method, f"{self.api}/api/v1{path}", headers=self.staff_headers, timeout=30,
                             **kwargs)  # type: ignore[arg-type]

    def tracker(self, sender: str) -> dict:  # type: ignore[type-arg]
        res = httpx.get(f"{self.rasa}/conversations/{sender}/tracker", params={"token": RASA_TOKEN}, timeout=30)
        return dict(res.json())


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    ports = {name: free_port() for name in ("API_PORT", "ACTIONS_PORT", "RASA_PORT", "STANDIN_PORT")}
    db = tmp_path_factory.mktemp("stack") / "stack.db"
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "API_DATABASE_URL": f"sqlite:///{db}",
           "RASA_EVENTS_DB_FILE": str(db.parent / "rasa-events.db"),
           "RASA_TRACKER_DB_FILE": str(db.parent / "rasa-tracker.db"), "RUN_DIR": str(db.parent),
           "RASA_AUTH_TOKEN": RASA_TOKEN, "API_SERVICE_TOKEN": SERVICE_TOKEN,
           # quick retries and recovery, so the tests need not wait long
           "API_WHATSAPP_RETRY_BASE_SECONDS": "0.2", "WHATSAPP_RECOVER_AFTER": "3",
           "SAFETY_LEXICON_REFRESH": "1"}
    env.pop("TWILIO_ACCOUNT_SID", None)  # the local stand-in plays Twilio
    log = (tmp_path_factory.mktemp("logs") / "stack.log").open("w")
    STACK_LOG[:] = [Path(log.name)]
    proc = subprocess.Popen(["scripts/run.sh"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    api = f"http://127.0.0.1:{ports['API_PORT']}"
    rasa = f"http://127.0.0.1:{ports['RASA_PORT']}"
    deadline = time.monotonic() + 900  # the first run trains the model
    try:
        while True:
            assert proc.poll() is None, Path(log.name).read_text()[-3000:]
            try:
                up = httpx.get(f"{rasa}/status", params={"token": RASA_TOKEN}, timeout=2).status_code == 200
                up = up and httpx.get(f"http://127.0.0.1:{ports['ACTIONS_PORT']}/health", timeout=2).is_success
                if up and httpx.get(f"{api}/ready", timeout=2).is_success:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the stack did not come up"
            time.sleep(1)
        login = httpx.post(f"{api}/api/v1/auth/login", json={"email": "admin@regio.example",
                                                             "password": "demo-wachtwoord"}).json()
        yield Stack(api=api, rasa=rasa, standin=f"http://127.0.0.1:{ports['STANDIN_PORT']}", db=db,
                    staff_headers={"Authorization": f"Bearer {login['access_token']}"})
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failed conversation test shows what the stack logged meanwhile (CI keeps nothing else): a reply
    like "service unavailable" is explained only there."""
    if call.when == "setup":
        item.stash[_LOG_START] = STACK_LOG[0].stat().st_size if STACK_LOG and STACK_LOG[0].exists() else 0
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call" and report.failed and STACK_LOG and STACK_LOG[0].exists():
        with STACK_LOG[0].open(encoding="utf-8", errors="replace") as f:
            f.seek(item.stash.get(_LOG_START, 0))
            lines = [line for line in f.read().splitlines()
                     if any(w in line for w in ("WARNING", "ERROR", "Traceback", "Error", "CRITICAL"))]
        report.sections.append(("stack log (warnings and errors during this test)", "\n".join(lines[-60:])))


_LOG_START = pytest.StashKey[int]()


def client_id(stack: Stack, phone: str) -> int:
    clients = stack.staff("GET", "/clients", params={"limit": 500}).json()["data"]
    return next(c["id"] for c in clients if c["whatsapp"] == phone)


def json_dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)
