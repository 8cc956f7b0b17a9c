"""Sends the outbox through Twilio's official client, off the event loop, with retries.

Network errors, Twilio 5xx and 429 are retried with exponential backoff up to a limit; other Twilio
errors (an invalid number, outside the 24-hour session window) fail at once. Either way the row keeps the
outcome, so staff see every failure. Messages to one phone go out in order: a later one never overtakes
an earlier one that is waiting for a retry.
"""

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

import requests
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client as TwilioClient

from app.config import Settings
from app.models import WhatsAppMessage
from app.models.enums import Direction, MessageStatus
from app.models.types import utcnow
from app.services.security import phone_key

log = logging.getLogger("inburgering.whatsapp")
TWILIO_API = "https://api.twilio.com"


class RebasedHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, pointed at another base URL (the local stand-in) when configured."""

    def __init__(self, base: str) -> None:
        super().__init__(timeout=10)
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
        self.loop: asyncio.AbstractEventLoop | None = None

    async def run(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._recover()
        while True:
            try:
                await self.send_due()
            except Exception:
                log.exception("sender round failed; trying again")
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=self._next_due_in())

    def _recover(self) -> None:
        """Rows left in `sending` by a stopped process go back to the queue."""
        with self.sessions() as session:
            session.execute(update(WhatsAppMessage).where(
                WhatsAppMessage.status == MessageStatus.sending,
                WhatsAppMessage.updated_at < utcnow() - timedelta(minutes=2)).values(status=MessageStatus.queued))
            session.commit()

    def _next_due_in(self) -> float:
        with self.sessions() as session:
            due = session.scalar(select(WhatsAppMessage.next_attempt_at).where(
                WhatsAppMessage.status == MessageStatus.queued).order_by(WhatsAppMessage.next_attempt_at).limit(1))
        if due is None:
            return 5.0
        return max(0.05, min(5.0, (due - utcnow()).total_seconds()))

    def _due(self) -> list[int]:
        """The oldest unfinished message per phone, if it is due now."""
        now = utcnow()
        with self.sessions() as session:
            rows = session.execute(select(WhatsAppMessage.id, WhatsAppMessage.phone, WhatsAppMessage.status,
                                          WhatsAppMessage.next_attempt_at).where(
                WhatsAppMessage.direction == Direction.outbound,
                WhatsAppMessage.status.in_((MessageStatus.queued, MessageStatus.sending)),
            ).order_by(WhatsAppMessage.id).limit(2000)).all()
        seen: set[str] = set()
        due = []
        for row_id, phone, status, next_at in rows:
            if phone in seen:
                continue
            seen.add(phone)
            if status == MessageStatus.queued and phone not in self.in_flight and (next_at is None or next_at <= now):
                due.append(row_id)
        return due

    async def send_due(self) -> None:
        tasks = [asyncio.create_task(self._send_one(row_id)) for row_id in self._due()]
        if tasks:
            await asyncio.gather(*tasks)

    async def _send_one(self, row_id: int) -> None:
        with self.sessions() as session:
            claimed = session.execute(update(WhatsAppMessage).where(
                WhatsAppMessage.id == row_id, WhatsAppMessage.status == MessageStatus.queued,
            ).values(status=MessageStatus.sending, updated_at=utcnow())).rowcount
            session.commit()
            if not claimed:
                return  # another sender took it
            row = session.get(WhatsAppMessage, row_id)
            phone, body, attempts = row.phone, row.body, row.attempts  # type: ignore[union-attr]
        self.in_flight.add(phone)
        try:
            async with self.slots:
                sid = await asyncio.to_thread(self._create, phone, body)
        except Exception as exc:  # noqa: BLE001 - classified below, nothing is lost
            self._failed(row_id, attempts + 1, exc)
        else:
            with self.sessions() as session:
                session.execute(update(WhatsAppMessage).where(WhatsAppMessage.id == row_id).values(
                    status=MessageStatus.sent, message_sid=sid, attempts=attempts + 1, error=None,
                    updated_at=utcnow()))
                session.commit()
        finally:
            self.in_flight.discard(phone)
            self.wake.set()  # the next message for this phone may go now

    def _create(self, phone: str, body: str) -> str:
        message = self.client.messages.create(
            from_=self.settings.twilio_whatsapp_from, to=f"whatsapp:{phone}", body=body,
            status_callback=f"{self.settings.public_url.rstrip('/')}/webhooks/twilio/status")
        return str(message.sid)

    def _failed(self, row_id: int, attempts: int, exc: Exception) -> None:
        retry = is_retryable(exc) and attempts < self.settings.whatsapp_max_attempts
        detail = f"{type(exc).__name__}: {getattr(exc, 'status', '')} {getattr(exc, 'code', '') or ''}".strip()
        values: dict[str, Any] = {"attempts": attempts, "error": detail[:300], "updated_at": utcnow()}
        if retry:
            delay = min(60.0, self.settings.whatsapp_retry_base_seconds * 2 ** (attempts - 1))
            values.update(status=MessageStatus.queued, next_attempt_at=utcnow() + timedelta(seconds=delay))
        else:
            values.update(status=MessageStatus.failed)
        with self.sessions() as session:
            phone = session.scalar(select(WhatsAppMessage.phone).where(WhatsAppMessage.id == row_id)) or ""
            session.execute(update(WhatsAppMessage).where(WhatsAppMessage.id == row_id).values(**values))
            session.commit()
        log.warning("send to %s failed (%s), %s", phone_key(phone), detail,
                    "will retry" if retry else "given up")
