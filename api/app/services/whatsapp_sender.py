"""Sends the outbox through Twilio's official client, off the event loop, with retries.

A row is claimed with a lease (`claimed_until`): a sender that dies mid-send leaves the row `sending` only
until the lease runs out, then any sender (this one after a restart, or another API process) queues it
again. Claims are conditional updates, so two senders never send the same row. Messages to one phone go out
in order: only the oldest unfinished row per phone (its head) is ever sent, and a later one never overtakes
an earlier one that is waiting for a retry. Each send runs as its own task, so one phone's slow send holds
no other phone; the loop sleeps until the next head is due (or something is queued) and does its database
work in a thread, off the API's event loop.

Network errors, Twilio 5xx and 429 are retried with capped exponential backoff while the person's 24-hour
customer-service window is open (after that WhatsApp refuses free-form messages anyway); other Twilio
errors (an invalid number, outside the window) fail at once. Either way the row keeps the outcome, so staff
see every failure.
"""

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from typing import Any

import requests
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client as TwilioClient

from app.config import Settings
from app.models import WhatsAppMessage
from app.models.enums import Direction, MessageStatus
from app.models.types import utcnow
from app.services.security import phone_key
from app.services.whatsapp import window_open

log = logging.getLogger("inburgering.whatsapp")
TWILIO_API = "https://api.twilio.com"
SEND_TIMEOUT = 10  # seconds for one call to Twilio; a lease is longer than this
IDLE = 5.0  # seconds between looks when nothing is due (another API process may queue without waking us)


class RebasedHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, pointed at another base URL (the local stand-in) when configured."""

    def __init__(self, base: str) -> None:
        super().__init__(timeout=SEND_TIMEOUT)
        self.base = base.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if self.base and url.startswith(TWILIO_API):
            url = self.base + url[len(TWILIO_API):]
        return super().request(method, url, *args, **kwargs)


def twilio_client(settings: Settings) -> TwilioClient:
    return TwilioClient(settings.twilio_account_sid, settings.twilio_auth_token.get_secret_value(),
                        http_client=RebasedHttpClient(settings.twilio_api_base))


def is_retryable(exc: Exception) -> bool:
    if isinstance(exc, TwilioRestException):
        return exc.status == 429 or exc.status >= 500
    return isinstance(exc, (requests.RequestException, OSError))


def nudge(state: object) -> None:
    """Something was queued (from a request thread): let the app's sender look now, not at its next round."""
    sender = getattr(state, "sender", None)
    loop = getattr(sender, "loop", None)
    if sender is not None and loop is not None:
        loop.call_soon_threadsafe(sender.wake.set)


class Sender:
    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self.settings = settings
        self.sessions = sessions
        self.client = twilio_client(settings)
        self.wake = asyncio.Event()
        self.slots = asyncio.Semaphore(settings.whatsapp_parallel_sends)
        self.in_flight: set[str] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.rounds = 0  # looks at the outbox, for the logs and tests: bounded while Twilio is down
        self._reclaimed_at: datetime | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.settings.whatsapp_lease_seconds)

    async def run(self) -> None:
        self.loop = asyncio.get_running_loop()
        while True:
            # Cleared before the look, not after: a send that ends (or a message queued) while we look
            # sets it again, and the wait below returns at once instead of sleeping past it.
            self.wake.clear()
            try:
                await self.send_due()
                timeout = await asyncio.to_thread(self._next_due_in)
            except Exception:
                log.exception("sender round failed; trying again")
                timeout = IDLE
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancel that arrives as the
            # wake-up does, and the loop then never stops (a shutdown, or the suite, hung on it once).
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self.wake.wait()

    async def send_due(self) -> None:
        """Start a send for every head that is due; never waits for the sends themselves."""
        self.rounds += 1
        for row_id in await asyncio.to_thread(self._due):
            task = asyncio.create_task(self._send_one(row_id))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    def _heads(self, session: Session) -> list[tuple[int, str, MessageStatus, Any, Any]]:
        """The oldest unfinished outbound row per phone: (id, phone, status, next_attempt_at, claimed_until)."""
        first = select(func.min(WhatsAppMessage.id)).where(
            WhatsAppMessage.direction == Direction.outbound,
            WhatsAppMessage.status.in_((MessageStatus.queued, MessageStatus.sending)),
        ).group_by(WhatsAppMessage.phone)
        return [tuple(row) for row in session.execute(  # type: ignore[misc]
            select(WhatsAppMessage.id, WhatsAppMessage.phone, WhatsAppMessage.status,
                   WhatsAppMessage.next_attempt_at, WhatsAppMessage.claimed_until)
            .where(WhatsAppMessage.id.in_(first)).order_by(WhatsAppMessage.id))]

    def _reclaim(self, session: Session) -> None:
        """Rows whose sender died mid-send (lease run out) go back to the queue, whoever left them. At most
        once a second, and a write only when there is something to give back (SQLite has one writer)."""
        now = utcnow()
        if self._reclaimed_at is not None and (now - self._reclaimed_at).total_seconds() < 1:
            return
        self._reclaimed_at = now
        expired = (WhatsAppMessage.status == MessageStatus.sending) & (
            (WhatsAppMessage.claimed_until < now)
            | (WhatsAppMessage.claimed_until.is_(None) & (WhatsAppMessage.updated_at < now - self.lease)))
        if session.scalar(select(WhatsAppMessage.id).where(expired).limit(1)) is None:
            return
        session.execute(update(WhatsAppMessage).where(expired).values(status=MessageStatus.queued,
                                                                      claimed_until=None))
        session.commit()

    def _due(self) -> list[int]:
        """Heads that are queued and due now (after giving back expired leases)."""
        now = utcnow()
        with self.sessions() as session:
            self._reclaim(session)
            heads = self._heads(session)
        return [row_id for row_id, phone, status, next_at, _ in heads if status == MessageStatus.queued
                and phone not in self.in_flight and (next_at is None or next_at <= now)]

    def _next_due_in(self) -> float:
        """Seconds until the next head is due: a retry's time, or a lease running out."""
        now = utcnow()
        with self.sessions() as session:
            heads = self._heads(session)
        times = [(claimed or now + self.lease) if status == MessageStatus.sending else (next_at or now)
                 for _, phone, status, next_at, claimed in heads if phone not in self.in_flight]
        if not times:
            return IDLE
        return max(0.05, min(IDLE, (min(times) - now).total_seconds()))

    async def _send_one(self, row_id: int) -> None:
        claimed = await asyncio.to_thread(self._claim, row_id)
        if claimed is None:
            return  # another sender took it
        phone, body, attempts = claimed
        self.in_flight.add(phone)
        try:
            async with self.slots:
                sid = await asyncio.to_thread(self._create, phone, body)
        except Exception as exc:  # noqa: BLE001 - classified below, nothing is lost
            await asyncio.to_thread(self._failed, row_id, attempts + 1, exc)
        else:
            await asyncio.to_thread(self._sent, row_id, sid, attempts + 1)
        finally:
            self.in_flight.discard(phone)
            self.wake.set()  # the next message for this phone may go now

    def _claim(self, row_id: int) -> tuple[str, str, int] | None:
        with self.sessions() as session:
            claimed = session.execute(update(WhatsAppMessage).where(
                WhatsAppMessage.id == row_id, WhatsAppMessage.status == MessageStatus.queued,
            ).values(status=MessageStatus.sending, claimed_until=utcnow() + self.lease, updated_at=utcnow())).rowcount
            session.commit()
            if not claimed:
                return None
            row = session.get(WhatsAppMessage, row_id)
            return row.phone, row.body, row.attempts  # type: ignore[union-attr]

    def _sent(self, row_id: int, sid: str, attempts: int) -> None:
        with self.sessions() as session:
            session.execute(update(WhatsAppMessage).where(WhatsAppMessage.id == row_id).values(
                status=MessageStatus.sent, message_sid=sid, attempts=attempts, error=None, claimed_until=None,
                updated_at=utcnow()))
            session.commit()

    def _create(self, phone: str, body: str) -> str:
        message = self.client.messages.create(
            from_=self.settings.twilio_whatsapp_from, to=f"whatsapp:{phone}", body=body,
            status_callback=f"{self.settings.public_url.rstrip('/')}/webhooks/twilio/status")
        return str(message.sid)

    def _failed(self, row_id: int, attempts: int, exc: Exception) -> None:
        detail = f"{type(exc).__name__}: {getattr(exc, 'status', '')} {getattr(exc, 'code', '') or ''}".strip()
        with self.sessions() as session:
            phone = session.scalar(select(WhatsAppMessage.phone).where(WhatsAppMessage.id == row_id)) or ""
            retry = is_retryable(exc) and (window_open(session, phone)
                                           or attempts < self.settings.whatsapp_max_attempts)
            values: dict[str, Any] = {"attempts": attempts, "error": detail[:300], "updated_at": utcnow(),
                                      "claimed_until": None}
            if retry:
                delay = min(self.settings.whatsapp_retry_max_seconds,
                            self.settings.whatsapp_retry_base_seconds * 2 ** min(attempts - 1, 20))
                values.update(status=MessageStatus.queued, next_attempt_at=utcnow() + timedelta(seconds=delay))
            else:
                values.update(status=MessageStatus.failed)
            session.execute(update(WhatsAppMessage).where(WhatsAppMessage.id == row_id).values(**values))
            session.commit()
        log.warning("send to %s failed (%s), %s", phone_key(phone), detail,
                    "will retry" if retry else "given up")
