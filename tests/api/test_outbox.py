"""The outbox sender (app/services/whatsapp_sender.py) against a database of each backend and a Twilio
client that can be slow or down: leases survive a quick restart, an outage costs a bounded number of
rounds and loses nothing, one phone's slow send holds no other phone, two senders never send a row twice,
and retries last as long as the person's 24-hour window."""

import asyncio
import itertools
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from twilio.base.exceptions import TwilioRestException

from app.config import Settings
from app.models import WhatsAppMessage
from app.models.enums import Direction, MessageStatus
from app.models.types import utcnow
from app.services.whatsapp_sender import Sender
from conftest import csrf, page_login

_SIDS = itertools.count(1)


class FakeTwilio:
    """`client.messages.create` as the sender calls it; `behave(phone)` may sleep or raise."""

    def __init__(self, behave: Callable[[str], None] = lambda phone: None) -> None:
        self.behave = behave
        self.calls: list[tuple[str, str]] = []  # (phone, body), in the order Twilio accepted them
        self.attempts = 0
        self.lock = threading.Lock()
        self.messages = self

    def create(self, *, from_: str, to: str, body: str, status_callback: str) -> SimpleNamespace:
        phone = to.removeprefix("whatsapp:")
        with self.lock:
            self.attempts += 1
        self.behave(phone)
        with self.lock:
            self.calls.append((phone, body))
        return SimpleNamespace(sid=f"SM{next(_SIDS):032d}")


def settings(**extra: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test", "twilio_account_sid": "AC" + "0" * 32, "twilio_auth_token": "t" * 32,
        "twilio_whatsapp_from": "whatsapp:+14155238886", "whatsapp_lease_seconds": 1.0,
        "whatsapp_retry_base_seconds": 0.1, "whatsapp_retry_max_seconds": 0.4, **extra}
    return Settings(**values)  # type: ignore[arg-type]


def queue(db: Session, phone: str, count: int, wrote_ago: timedelta | None = timedelta(minutes=1)) -> list[int]:
    """`count` replies queued for `phone`; the person wrote `wrote_ago` (their 24-hour window)."""
    if wrote_ago is not None:
        db.add(WhatsAppMessage(direction=Direction.inbound, phone=phone, body="vraag", status=MessageStatus.processed,
                               message_sid=f"SM{next(_SIDS):032d}", created_at=utcnow() - wrote_ago))
    rows = [WhatsAppMessage(direction=Direction.outbound, phone=phone, body=f"{phone} {i}",
                            status=MessageStatus.queued) for i in range(count)]
    db.add_all(rows)
    db.commit()
    return [r.id for r in rows]


def run(senders: list[Sender], until: Callable[[], bool], seconds: float,
        on_stop: Callable[[], None] = lambda: None) -> float:
    """Run the senders until `until()` holds (or `seconds` pass); returns the time it took."""
    async def main() -> float:
        tasks = [asyncio.create_task(s.run()) for s in senders]
        start = time.monotonic()
        try:
            while time.monotonic() - start < seconds and not await asyncio.to_thread(until):
                await asyncio.sleep(0.05)
            return time.monotonic() - start
        finally:
            on_stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for sender in senders:
                await asyncio.gather(*sender.tasks, return_exceptions=True)

    return asyncio.run(main())


def sender(engine: Engine, twilio: FakeTwilio, **extra: object) -> Sender:
    s = Sender(settings(**extra), sessionmaker(engine, expire_on_commit=False))
    s.client = twilio  # type: ignore[assignment]
    return s


def statuses(engine: Engine, ids: list[int]) -> list[MessageStatus]:
    with Session(engine) as session:
        rows = {r.id: r.status for r in session.scalars(select(WhatsAppMessage).where(WhatsAppMessage.id.in_(ids)))}
    return [rows[i] for i in ids]


def test_a_row_left_sending_by_a_quick_restart_is_delivered_once(engine: Engine, db: Session) -> None:
    ids = queue(db, "+31620000001", 3)
    # The process that claimed the first row died a moment ago, mid-send: its lease runs a little longer.
    db.get(WhatsAppMessage, ids[0]).status = MessageStatus.sending  # type: ignore[union-attr]
    db.get(WhatsAppMessage, ids[0]).claimed_until = utcnow() + timedelta(seconds=0.5)  # type: ignore[union-attr]
    db.commit()
    twilio = FakeTwilio()
    took = run([sender(engine, twilio)], lambda: len(twilio.calls) == 3, seconds=10)
    assert twilio.calls == [("+31620000001", f"+31620000001 {i}") for i in range(3)], twilio.calls
    assert statuses(engine, ids) == [MessageStatus.sent] * 3
    assert took < 5


def test_twilio_down_costs_bounded_rounds_and_loses_nothing(engine: Engine, db: Session) -> None:
    phones = [f"+3162000010{i}" for i in range(3)]
    ids = {phone: queue(db, phone, 3) for phone in phones}
    down_until = time.monotonic() + 2.0

    def behave(phone: str) -> None:
        if time.monotonic() < down_until:
            raise TwilioRestException(status=503, uri="/Messages.json", msg="Service Unavailable")

    twilio = FakeTwilio(behave)
    s = sender(engine, twilio, whatsapp_max_attempts=2)  # the window, not the attempts, bounds retries here
    run([s], lambda: len(twilio.calls) == 9, seconds=15)
    for phone in phones:  # everything delivered, once, in order per phone
        assert [b for p, b in twilio.calls if p == phone] == [f"{phone} {i}" for i in range(3)]
        assert statuses(engine, ids[phone]) == [MessageStatus.sent] * 3
    failed_attempts = twilio.attempts - len(twilio.calls)
    assert failed_attempts >= 6  # it did keep trying while Twilio was down
    # Each round follows a send's end or a due time: no polling in between.
    assert s.rounds <= 2 * twilio.attempts + 10, (s.rounds, twilio.attempts)


def test_one_phones_slow_send_does_not_hold_another_phone(engine: Engine, db: Session) -> None:
    slow, quick = "+31620000201", "+31620000202"
    queue(db, slow, 2)
    queue(db, quick, 3)
    release = threading.Event()

    def behave(phone: str) -> None:
        if phone == slow:
            release.wait(5)

    twilio = FakeTwilio(behave)
    seen: list[tuple[str, str]] = []

    def quick_done() -> bool:
        seen[:] = list(twilio.calls)
        return len([p for p, _ in seen if p == quick]) == 3

    run([sender(engine, twilio)], quick_done, seconds=4, on_stop=release.set)
    assert [b for p, b in seen if p == quick] == [f"{quick} {i}" for i in range(3)]
    assert not [p for p, _ in seen if p == slow]  # still in its first send while the other phone got three


def test_two_senders_never_send_a_row_twice(engine: Engine, db: Session) -> None:
    phones = [f"+3162000030{i}" for i in range(5)]
    for phone in phones:
        queue(db, phone, 4)
    twilio = FakeTwilio(lambda phone: time.sleep(0.01))
    run([sender(engine, twilio), sender(engine, twilio)], lambda: len(twilio.calls) >= 20, seconds=15)
    time.sleep(0.2)
    assert sorted(twilio.calls) == sorted((p, f"{p} {i}") for p in phones for i in range(4))  # no duplicates
    for phone in phones:
        assert [b for p, b in twilio.calls if p == phone] == [f"{phone} {i}" for i in range(4)]


@pytest.mark.parametrize(("wrote_ago", "still_trying"), [(timedelta(minutes=5), True), (timedelta(hours=25), False),
                                                        (None, False)])
def test_retries_last_as_long_as_the_window(engine: Engine, db: Session, wrote_ago: timedelta | None,
                                            still_trying: bool) -> None:
    """Within the person's 24-hour window a failing send is retried past the attempt limit; outside it (or
    with no message from the person) it fails after the attempts, for staff to see."""
    [row_id] = queue(db, "+31620000401", 1, wrote_ago=wrote_ago)

    def down(phone: str) -> None:
        raise TwilioRestException(status=500, uri="/Messages.json", msg="Internal Server Error")

    twilio = FakeTwilio(down)
    run([sender(engine, twilio, whatsapp_max_attempts=2, whatsapp_retry_base_seconds=0.05,
                whatsapp_retry_max_seconds=0.05)],
        lambda: twilio.attempts >= 4 or statuses(engine, [row_id]) == [MessageStatus.failed], seconds=5)
    [status] = statuses(engine, [row_id])
    if still_trying:
        assert twilio.attempts >= 4 and status in (MessageStatus.queued, MessageStatus.sending)
    else:
        assert twilio.attempts == 2 and status == MessageStatus.failed


def test_a_phones_replies_follow_each_other_without_waiting_for_the_idle_timer(engine: Engine, db: Session) -> None:
    """A send that ends while the sender is between looks must not be missed (the next reply would wait for
    the idle timer, seconds, instead of going at once)."""
    phone = "+31620000501"
    ids = queue(db, phone, 6)
    twilio = FakeTwilio(lambda p: time.sleep(0.02))
    s = sender(engine, twilio)
    look = s._next_due_in

    def slow_look() -> float:  # a busy database: the sends end while the sender is still looking
        seconds = look()
        time.sleep(0.1)
        return seconds

    s._next_due_in = slow_look  # type: ignore[method-assign]
    took = run([s], lambda: len(twilio.calls) == 6, seconds=20)
    assert statuses(engine, ids) == [MessageStatus.sent] * 6
    assert took < 3, f"six replies took {took:.1f} s"


@pytest.mark.usefixtures("demo_data")
def test_undelivered_replies_are_shown_to_the_clients_gemeente_with_send_again(api: TestClient, db: Session) -> None:
    """Assistant and staff replies alike: the reason, "send again" while the window is open (the same row,
    queued again, audited), none after it; staff of another gemeente see nothing of it."""
    from app.models import AuditEntry, Client, StaffUser

    lochem = db.query(Client).filter_by(whatsapp="+31610000005").one()
    owner = db.get(StaffUser, lochem.consultant_id)
    other = db.query(Client).filter(Client.gemeente_id != lochem.gemeente_id, Client.whatsapp.is_not(None)).first()
    assert owner is not None and other is not None
    neighbour = db.query(Client).filter(Client.gemeente_id == lochem.gemeente_id, Client.id != lochem.id,
                                        Client.whatsapp.is_not(None)).first()
    assert neighbour is not None
    recent, stale = str(lochem.whatsapp), str(neighbour.whatsapp)
    queue(db, recent, 0, wrote_ago=timedelta(hours=1))
    queue(db, stale, 0, wrote_ago=timedelta(hours=30))
    failed = []
    for phone, dutch in ((recent, "Uw les is morgen om 9 uur."), (stale, "Uw afspraak is verzet.")):
        row = WhatsAppMessage(direction=Direction.outbound, phone=phone, body=f"[{dutch}]", dutch=dutch,
                              status=MessageStatus.failed, error="TwilioRestException: 503", attempts=8)
        db.add(row)
        failed.append(row)
    db.commit()

    page_login(api, owner.email)  # type: ignore[union-attr]
    page = api.get("/inbox/undelivered").text
    assert "Uw les is morgen om 9 uur." in page and "Uw afspraak is verzet." in page
    assert "WhatsApp (Twilio) was not available (503)" in page
    assert page.count("Send again</button>") == 1  # only where the person wrote in the last 24 hours
    token = csrf(api, "/inbox/undelivered")
    res = api.post(f"/inbox/undelivered/{failed[0].id}/resend", data={"csrf": token}, follow_redirects=False)
    assert res.status_code == 303
    db.refresh(failed[0])
    assert (failed[0].status, failed[0].attempts, failed[0].error) == (MessageStatus.queued, 0, None)
    res = api.post(f"/inbox/undelivered/{failed[1].id}/resend", data={"csrf": token}, follow_redirects=False)
    assert res.status_code == 409 and "24 hours" in res.text
    assert "Uw les is morgen om 9 uur." not in api.get("/inbox/undelivered").text  # on its way again
    assert db.query(AuditEntry).filter_by(action="whatsapp:resend", client_id=lochem.id).count() == 1
    assert db.query(AuditEntry).filter_by(action="read:undelivered", client_id=lochem.id).count() >= 1

    stranger = db.query(StaffUser).filter(StaffUser.gemeente_id == other.gemeente_id,
                                          StaffUser.email.like("consulent%")).first()
    page_login(api, stranger.email)  # type: ignore[union-attr]
    assert "Uw afspraak is verzet." not in api.get("/inbox/undelivered").text
    token = csrf(api, "/inbox/undelivered")
    res = api.post(f"/inbox/undelivered/{failed[1].id}/resend", data={"csrf": token}, follow_redirects=False)
    assert res.status_code in (403, 404)


@pytest.mark.parametrize(("error", "status", "reason"), [
    ("TwilioRestException: 503", MessageStatus.failed, "WhatsApp (Twilio) was not available (503)"),
    ("TwilioRestException: 429 20429", MessageStatus.failed, "WhatsApp (Twilio) was not available (429)"),
    ("TwilioRestException: 400 21211", MessageStatus.failed, "WhatsApp refused the message (400 21211)"),
    ("TwilioRestException: 400 63016", MessageStatus.failed, "more than 24 hours after the person's last message"),
    ("twilio error 63016", MessageStatus.undelivered, "more than 24 hours after the person's last message"),
    ("twilio error 30008", MessageStatus.undelivered, "WhatsApp refused the message (twilio error 30008)"),
    ("not delivered", MessageStatus.undelivered, "sent, but it did not reach the phone"),
    ("ConnectionError:", MessageStatus.failed, "no connection to WhatsApp (ConnectionError:)"),
])
def test_the_reason_staff_read(error: str, status: MessageStatus, reason: str) -> None:
    """The sender's and the status callback's error texts, in words (a Twilio error code is not an HTTP status)."""
    from app.services.whatsapp import Undelivered

    row = WhatsAppMessage(direction=Direction.outbound, phone="+31620000601", body="x", status=status, error=error)
    assert Undelivered(row, None, True).reason.startswith(reason)
