"""Login throttling: failed log-ins counted per account and per address in moving windows that grow
(a quarter of an hour, an hour, a day), so guessing slows down more the longer it goes on. Counters live
in Redis in production (every API process shares them) and in memory otherwise, through the `limits`
library rather than counters of our own. Keys are pseudonyms: no e-mail address or IP address is stored."""

import hashlib
import hmac
import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import DomainError, Forbidden
from app.models import StaffSession
from app.models.enums import Channel
from app.services import audit
from app.services import staff as staff_service
from app.services.access import Actor

log = logging.getLogger("inburgering.api.throttle")
# A person who mistypes gets a few tries; a guesser gets 20 a day per account.
ACCOUNT_LIMITS = parse_many("5/15 minutes; 10/hour; 20/day")
# One address may be a shared office: more room, but not for a scan over many accounts.
ADDRESS_LIMITS = parse_many("20/15 minutes; 50/hour; 200/day")
ANONYMOUS = Actor(kind=Channel.staff, name="anonymous")


class Throttled(DomainError):
    status_code = 429

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(f"Too many failed log-ins. Try again in {minutes} minute{'s' if minutes > 1 else ''}.")
        self.retry_after = retry_after


@dataclass
class Throttle:
    limiter: MovingWindowRateLimiter
    salt: bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> "Throttle":
        storage = storage_from_string(settings.redis_url or "memory://")
        return cls(MovingWindowRateLimiter(storage), settings.log_salt.get_secret_value().encode())

    def pseudonym(self, kind: str, value: str) -> str:
        return kind + ":" + hmac.new(self.salt, value.encode(), hashlib.sha256).hexdigest()[:20]

    def _rules(self, email: str, address: str) -> list[tuple[RateLimitItem, str]]:
        account = self.pseudonym("login-account", email.strip().lower())
        origin = self.pseudonym("login-address", address)
        return [(item, account) for item in ACCOUNT_LIMITS] + [(item, origin) for item in ADDRESS_LIMITS]

    def wait(self, email: str, address: str) -> int:
        """Seconds until this account may be tried again from this address (0: now)."""
        waits = [self.limiter.get_window_stats(item, key).reset_time - time.time()
                 for item, key in self._rules(email, address) if not self.limiter.test(item, key)]
        return math.ceil(max(waits)) if waits else 0

    def failed(self, email: str, address: str) -> None:
        for item, key in self._rules(email, address):
            self.limiter.hit(item, key)


def login(*, session: Session, throttle: Throttle, email: str, password: str,
          address: str) -> tuple[str, StaffSession]:
    """Log in, unless this account or address failed too often lately; failures and refusals are audited."""
    wait = throttle.wait(email, address)
    if wait > 0:
        audit.record(session, actor=ANONYMOUS, action="login:throttled", client_id=None,
                     detail=throttle.pseudonym("account", email.strip().lower()))
        session.commit()
        log.warning("log-in refused: too many failures for this account or address")
        raise Throttled(wait)
    try:
        return staff_service.login(session=session, email=email, password=password)
    except Forbidden:
        throttle.failed(email, address)
        session.rollback()
        audit.record(session, actor=ANONYMOUS, action="login:failed", client_id=None,
                     detail=throttle.pseudonym("account", email.strip().lower()))
        session.commit()
        raise
