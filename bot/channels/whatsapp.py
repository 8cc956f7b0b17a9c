"""Rasa input/output channel for WhatsApp through Twilio.

Unlike Rasa's built-in Twilio channel, this one
- checks every request's X-Twilio-Signature (twilio's RequestValidator, against the public URL);
- stores each MessageSid before processing, through the API, so a retried webhook is answered once and
  a crash mid-way is picked up again at the next start;
- acknowledges Twilio at once and runs the turn in the background (Twilio waits 15 s at most);
- never calls Twilio from Rasa's event loop: replies go to the API's outbox, whose sender uses the
  official client in a thread, with retries, splitting and delivery status;
- answers voice notes, images, documents, locations and stickers kindly instead of failing.
Phone numbers are logged only as salted pseudonyms.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot import deployment, logs, privacy
from bot.metrics import Metrics
from bot.text import clean, defuse

logs.install()  # Rasa's own warnings name the sender: our senders are phone numbers
log = logging.getLogger(__name__)
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
MEDIA_TEXT = "/media_message"  # Rasa's intent syntax: a kind reply instead of an NLU guess
MAX_MEDIA = 10  # Twilio sends at most 10 media per WhatsApp message
# How long a reply or the end of a turn waits for the API to come back (a restart takes seconds). The
# turn's lease is renewed meanwhile, so no other replica runs it again.
PATIENCE = 30.0
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class ApiError(Exception):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the API's HTTP status, None when it was not reached


class MessageLog:
    """The API's WhatsApp message log, over HTTP (the channel keeps no state of its own)."""

    def __init__(self, api_url: str, service_token: str, timeout: float = 5.0) -> None:
        self.api_url = api_url.rstrip("/") + "/api/v1/whatsapp"
        self.headers = {"Authorization": f"Bearer {service_token}"}
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(headers=self.headers, timeout=self.timeout)
        try:
            async with self._session.request(method, self.api_url + path, **kwargs) as res:
                if res.status >= 300:
                    raise ApiError(f"{method} {path}: {res.status}", res.status)
                return await res.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise ApiError(f"{method} {path}: {type(exc).__name__}") from exc

    async def record_inbound(self, **fields: Any) -> bool:
        return bool((await self._call("POST", "/inbound", json=fields))["new"])

    async def processed(self, message_sid: str) -> None:
        await self._patiently("POST", f"/inbound/{message_sid}/processed")

    async def _patiently(self, method: str, path: str, **kwargs: Any) -> Any:
        """A call that must not be lost to the API restarting (a reply, the end of a turn): tried again with
        back-off for up to PATIENCE seconds. Both are idempotent, so a try that did land is harmless."""
        deadline, pause = time.monotonic() + PATIENCE, 0.2
        while True:
            try:
                return await self._call(method, path, **kwargs)
            except ApiError as exc:
                if (exc.status is not None and exc.status < 500) or time.monotonic() + pause > deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 3.0)

    async def still_processing(self, message_sid: str) -> int:
        """Renew this turn's lease; the answer is how many of the person's earlier messages still wait."""
        return int((await self._call("POST", f"/inbound/{message_sid}/processing"))["earlier"])

    async def pending(self, older_than: int) -> list:
        return list(await self._call("POST", "/inbound/pending", params={"older_than_seconds": str(older_than)}))

    async def send_turn(self, phone: str, turn: tuple[str, str],
                        replies: list[tuple[str, dict[str, Any] | None]]) -> None:
        """Queue a turn's replies (text, the NLG's metadata) together; the API joins them into as few
        messages as fit and drops them when another run (`turn`: inbound MessageSid, run) owns the turn."""
        await self._patiently("POST", "/outbound/turn", json={
            "phone": phone, "turn_sid": turn[0], "run": turn[1],
            "replies": [{"body": text, "response_key": (meta or {}).get("key"), "dutch": (meta or {}).get("dutch"),
                         "notice": (meta or {}).get("notice")} for text, meta in replies]})


class WhatsAppOutput(OutputChannel):
    """Replies of one turn, queued in the API's outbox together (as one WhatsApp message where they fit) once
    the turn has run: a turn that fails half-way (the API or the NLG away) queues nothing, so its re-run is
    the one that answers, whole, instead of a first run's half answer standing."""

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def __init__(self, messages: MessageLog, inbound_sid: str) -> None:
        self.messages = messages
        self.inbound_sid = inbound_sid
        # This processing of the message: a re-run (another replica, the recovery sweep) gets another.
        self.run = secrets.token_hex(8)
        self.count = 0
        self.replies: list[tuple[str, str, dict[str, Any] | None]] = []
        self.pending: tuple[str, str] | None = None

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        # Held until the NLG's metadata for it arrives (Rasa sends text, then custom), or the turn ends.
        if not text:
            return
        self._settle()
        self.pending = (recipient_id, text)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """The NLG's metadata (response key, Dutch text) is stored with the message, not sent."""
        self._settle(json_message if isinstance(json_message, dict) else None)

    def _settle(self, meta: dict[str, Any] | None = None) -> None:
        if self.pending is not None:
            self.replies.append((*self.pending, meta))
            self.pending = None

    async def flush(self) -> None:
        """The turn has run: queue its replies, in order, in one request (one WhatsApp message where they fit)."""
        self._settle()
        if self.replies:
            await self.messages.send_turn(self.replies[0][0], (self.inbound_sid, self.run),
                                          [(text, meta) for _, text, meta in self.replies])
        self.count = len(self.replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, image)


def form_fields(request: Request) -> dict[str, str]:
    """The posted form, empty fields included: Twilio signs them too (an empty Body with a voice note)."""
    try:
        return dict(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        return {}


def num_media(form: dict[str, str]) -> int:
    """NumMedia as a number; a malformed value counts as none (the text is still answered, not lost)."""
    value = (form.get("NumMedia") or "0").strip()
    return min(int(value), MAX_MEDIA) if value.isdigit() and value.isascii() else 0


def media_kind(form: dict[str, str]) -> str | None:
    if form.get("Latitude") or form.get("Longitude"):
        return "location"
    if num_media(form) > 0:
        return clean(form.get("MediaContentType0") or "media").split(";")[0][:40] or "media"
    return None


class WhatsAppInput(InputChannel):
    """POST /webhooks/whatsapp/webhook: Twilio's inbound message webhook."""

    rejected = 0  # requests with a missing or wrong signature, for the logs and metrics

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WhatsAppInput:
        credentials = credentials or {}
        # In production a Twilio token, service token, log salt or Rasa API token that is missing, short or
        # a development value stops the replica here, with the variable named (bot/deployment.py).
        deployment.require_secrets({
            "TWILIO_AUTH_TOKEN": str(credentials.get("auth_token") or ""),
            "API_SERVICE_TOKEN": str(credentials.get("service_token") or ""),
            "API_LOG_SALT": str(credentials.get("log_salt") or ""),
            "RASA_AUTH_TOKEN": os.environ.get("RASA_AUTH_TOKEN", ""),
        })
        return cls(
            auth_token=str(credentials.get("auth_token") or ""),
            public_url=str(credentials.get("public_url") or ""),
            api_url=str(credentials.get("api_url") or "http://127.0.0.1:8000"),
            service_token=str(credentials.get("service_token") or ""),
            log_salt=str(credentials.get("log_salt") or deployment.secret("API_LOG_SALT")),
            recover_after=int(credentials.get("recover_after_seconds") or 60),
        )

    def __init__(self, auth_token: str, public_url: str, api_url: str, service_token: str, log_salt: str,
                 recover_after: int = 60) -> None:
        self.validator = RequestValidator(auth_token)
        self.auth_token = auth_token
        self.public_url = public_url
        self.messages = MessageLog(api_url, service_token)
        self.log_salt = log_salt
        self.recover_after = recover_after
        self.tasks: set[asyncio.Task] = set()
        self.in_progress: set[str] = set()
        self.metrics = Metrics()
        self.app: Any = None  # the Sanic app, whose context holds Rasa's agent (for its tracker store)

    def _url(self, request: Request) -> str:
        """The URL Twilio signed: the configured public one (behind a proxy), else as we were reached."""
        if self.public_url:
            query = f"?{request.query_string}" if request.query_string else ""
            return self.public_url + query
        return request.url

    def _signed(self, request: Request, form: dict[str, str]) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        return bool(self.auth_token and signature and self.validator.validate(self._url(request), form, signature))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        logs.install()  # again: the Sanic server and its loggers exist by now
        hook = Blueprint("whatsapp_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "rejected_signatures": WhatsAppInput.rejected})

        @hook.route("/metrics", methods=["GET"])
        async def metrics(_: Request) -> HTTPResponse:
            return response.text(self.metrics.render(), content_type="text/plain; version=0.0.4")

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            form = form_fields(request)
            if not self._signed(request, form):
                self.metrics.webhooks["bad_signature"] += 1
                WhatsAppInput.rejected += 1
                log.warning("whatsapp webhook rejected: bad or missing signature (%d so far)", WhatsAppInput.rejected)
                return response.text("invalid signature", status=403)
            phone = (form.get("From") or "").removeprefix("whatsapp:")
            sid = form.get("MessageSid") or form.get("SmsMessageSid") or ""
            if not _E164.match(phone) or not re.match(r"^[A-Za-z0-9]{10,64}$", sid):
                self.metrics.webhooks["bad_request"] += 1
                return response.text("missing From or MessageSid", status=400)
            # Cleaned before anything reads or stores it: invisible characters, controls, lone surrogates.
            body = clean(form.get("Body") or "")[:20000]
            kind = media_kind(form)
            try:
                new = await self.messages.record_inbound(message_sid=sid, phone=phone, body=body,
                                                         num_media=num_media(form), media_kind=kind)
            except ApiError:
                # Not stored, so not acknowledged: Twilio will deliver it again.
                log.warning("whatsapp webhook: message log unavailable; asking Twilio to retry")
                self.metrics.webhooks["unavailable"] += 1
                return response.text("try again", status=503)
            self.metrics.webhooks["accepted" if new else "duplicate"] += 1
            if new:
                self._start(on_new_message, sid, phone, body, kind)
            return response.text(EMPTY_TWIML, content_type="text/xml")

        @hook.listener("after_server_start")
        async def start_recovery(app: Any, _loop: Any) -> None:
            self.app = app
            self._keep(asyncio.create_task(self._recover(on_new_message)))

        return hook

    async def _recover(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Now and then, process messages that were stored but never processed (a crash mid-way, a failed
        turn), unless this replica is processing them right now."""
        while True:
            try:
                for row in await self.messages.pending(self.recover_after):
                    if row["message_sid"] not in self.in_progress:
                        self._start(on_new_message, row["message_sid"], row["phone"], row["body"], row["media_kind"],
                                    rerun=True)
            except ApiError:
                log.warning("whatsapp: could not fetch unprocessed messages")
            await asyncio.sleep(max(1, self.recover_after // 2))

    def _keep(self, task: asyncio.Task) -> None:
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _start(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], sid: str, phone: str, body: str,
               kind: str | None, rerun: bool = False) -> None:
        self._keep(asyncio.create_task(self._process(on_new_message, sid, phone, body, kind, rerun)))

    async def _process(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], sid: str, phone: str,
                       body: str, kind: str | None, rerun: bool = False) -> None:
        # People cannot use Rasa's "/intent" syntax (/restart would wipe the conversation), however hidden.
        text = defuse(clean(body)) if body.strip() or not kind else MEDIA_TEXT
        self.in_progress.add(sid)
        started = time.monotonic()
        output = WhatsAppOutput(self.messages, sid)
        message = UserMessage(text, output, phone, input_channel=self.name(), message_id=sid,
                              metadata={"media_kind": kind} if kind else None)
        beat = asyncio.create_task(self._heartbeat(sid))
        try:
            if not await self._wait_for_turn(sid):
                return
            given = await self._given_before(sid, phone) if rerun else None
            if given is not None:  # the turn ran, only its replies were not queued: queue them, run nothing
                output.replies = [(phone, text, meta) for text, meta in given]
            else:
                await on_new_message(message)
            await output.flush()
            await self.messages.processed(sid)
            self.metrics.turns.observe(time.monotonic() - started)
            self.metrics.replies += output.count
        except Exception:
            # Left `received`: the recovery sweep (of any replica) runs it again, a few times at most; then
            # the API hands it to a person and tells the one who wrote (api/app/services/failed_turns.py).
            log.exception("whatsapp: processing failed for %s", privacy.pseudonym(phone, self.log_salt))
        finally:
            beat.cancel()
            self.in_progress.discard(sid)

    async def _given_before(self, sid: str, phone: str) -> list[tuple[str, dict[str, Any] | None]] | None:
        """For a message run again: the replies Rasa gave it, if its tracker already holds the message (the
        replica stopped after the turn was saved, before its replies were queued); None if it does not.
        Running such a turn a second time would start from where the first left the conversation (a
        consent given, a question answered) and say something else."""
        agent = getattr(getattr(self.app, "ctx", None), "agent", None)
        store = getattr(agent, "tracker_store", None)
        if store is None:
            return None
        tracker = await store.retrieve(phone)
        found, replies = False, []
        for event in tracker.events if tracker is not None else []:
            if event.type_name == "user":
                if found:
                    break
                found = getattr(event, "message_id", None) == sid
            elif found and event.type_name == "bot" and getattr(event, "text", None):
                custom = (getattr(event, "data", None) or {}).get("custom")
                replies.append((event.text, custom if isinstance(custom, dict) else None))
        return replies if found else None

    async def _wait_for_turn(self, sid: str) -> bool:
        """Start only when the person's earlier messages are done: quick messages that reach different
        replicas are otherwise taken in whatever order the replicas get to them (Rasa's lock store hands out
        its tickets when a replica starts a turn, not when the message came). An earlier message that is
        stuck (its replica died) is taken by the recovery sweep within `recover_after`; after three times
        that this one goes anyway: late and out of order is better than not at all. False: the message is not
        waiting any more (another replica's sweep got to it first)."""
        deadline, pause = time.monotonic() + 3 * self.recover_after, 0.05
        while time.monotonic() < deadline:
            try:
                if await self.messages.still_processing(sid) == 0:
                    return True
            except ApiError as exc:
                if exc.status == 404:
                    return False
                log.warning("whatsapp: could not learn whether earlier messages are done")
            await asyncio.sleep(pause)
            pause = min(pause * 2, 1.0)
        log.warning("whatsapp: earlier messages still not processed; answering this one anyway")
        return True

    async def _heartbeat(self, sid: str) -> None:
        """While a turn runs, renew its lease now and then: a slow turn is not run again by the sweep."""
        while True:
            await asyncio.sleep(max(1.0, self.recover_after / 3))
            try:
                await self.messages.still_processing(sid)
            except ApiError:
                log.warning("whatsapp: could not renew a turn's lease")
