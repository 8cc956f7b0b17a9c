"""The WhatsApp message log: inbound rows written before processing, outbound rows as the outbox."""

import logging
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import Conflict, NotFound
from app.models import Client, Handoff, WhatsAppMessage
from app.models.enums import Direction, MessageStatus, Urgency
from app.models.types import utcnow
from app.schemas.whatsapp import InboundCreate, OutboundCreate, TurnCreate, TurnReply
from app.services import audit, notify
from app.services.access import Actor, check_gemeente

# Twilio's delivery states, in the order they happen; a late callback never moves a message back.
_DELIVERY_ORDER = [MessageStatus.queued, MessageStatus.sending, MessageStatus.sent, MessageStatus.delivered,
                   MessageStatus.read]
_FINAL_FAILURES = (MessageStatus.failed, MessageStatus.undelivered)
_SENTENCE_END = re.compile(r"(?<=[.!?؟።])\s+|\n+")
log = logging.getLogger("inburgering.whatsapp")


def _safety_check(session: Session, handoff: Handoff, body: str) -> None:
    """The safety layer on a message in an open hand-off's thread (the assistant is paused, so only the
    consultant reads it): a sure hit makes the hand-off urgent. Never fails the message."""
    from app.services.handoffs import SAFETY_URGENT, safety_in_thread
    from app.services.safety_lexicon import sure_hits

    hit = next((h for h in sure_hits(session, body) if h.safety_class in SAFETY_URGENT), None)
    was_urgent = handoff.urgency == Urgency.urgent
    if hit is not None and safety_in_thread(session, handoff, hit.safety_class, hit.words) and not was_urgent \
            and handoff.assigned_to is not None and handoff.assigned_to.email:
        # In a thread of its own: the webhook's answer must not wait for a mail server.
        threading.Thread(target=notify.now_urgent, args=(handoff.assigned_to.email, handoff.id),
                         daemon=True).start()


def record_inbound(*, session: Session, data: InboundCreate) -> tuple[WhatsAppMessage, bool]:
    """Store an inbound message once; a second delivery of the same MessageSid is reported as old."""
    existing = session.scalar(select(WhatsAppMessage).where(WhatsAppMessage.message_sid == data.message_sid))
    if existing is not None:
        return existing, False
    from app.services.handoffs import open_for_phone  # hand-offs send through this module

    # While a person handles this phone, its messages belong to the hand-off's thread.
    handoff = open_for_phone(session, data.phone)
    row = WhatsAppMessage(direction=Direction.inbound, message_sid=data.message_sid, phone=data.phone,
                          body=data.body, num_media=data.num_media, media_kind=data.media_kind,
                          status=MessageStatus.received, handoff_id=handoff.id if handoff else None)
    if handoff is not None:
        handoff.last_client_at = utcnow()
        if data.body:
            _safety_check(session, handoff, data.body)
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # the same webhook on another replica, a moment earlier
        session.rollback()
        return session.scalar(select(WhatsAppMessage).where(WhatsAppMessage.message_sid == data.message_sid)), False  # type: ignore[return-value]
    return row, True


def mark_processed(*, session: Session, message_sid: str) -> None:
    row = session.scalar(select(WhatsAppMessage).where(WhatsAppMessage.message_sid == message_sid,
                                                       WhatsAppMessage.direction == Direction.inbound))
    if row is None:
        raise NotFound("message not found")
    row.status = MessageStatus.processed
    session.commit()


def still_processing(*, session: Session, message_sid: str) -> int:
    """The replica processing this message is alive: renew its lease (updated_at), so the recovery sweep of
    another replica does not run a slow turn a second time (with its side effects: an absence, a hand-off).

    Returns how many earlier messages of the same person still wait to be processed: a turn starts only when
    there are none, so quick messages that reach different replicas are answered in the order they came."""
    row = session.scalar(select(WhatsAppMessage).where(
        WhatsAppMessage.message_sid == message_sid, WhatsAppMessage.direction == Direction.inbound,
        WhatsAppMessage.status == MessageStatus.received))
    if row is None:
        raise NotFound("no message waiting for processing with this id")
    row.updated_at = utcnow()
    earlier = session.scalar(select(func.count(WhatsAppMessage.id)).where(
        WhatsAppMessage.phone == row.phone, WhatsAppMessage.direction == Direction.inbound,
        WhatsAppMessage.status == MessageStatus.received, WhatsAppMessage.id < row.id)) or 0
    session.commit()
    return earlier


def pending_inbound(*, session: Session, older_than: timedelta, reruns: int) -> list[WhatsAppMessage]:
    """Inbound messages received but not processed for a while (the process stopped mid-way, or the turn
    failed), to be run again.

    Returning them renews their lease (updated_at), so another replica asking soon after does not take
    the same messages too. A message handed out `reruns` times already is not run again: a person takes
    it over and the one who wrote is told (failed_turns.give_up)."""
    from app.services.failed_turns import give_up  # it opens hand-offs, which send through this module

    now = utcnow()
    rows = list(session.scalars(select(WhatsAppMessage).where(
        WhatsAppMessage.direction == Direction.inbound, WhatsAppMessage.status == MessageStatus.received,
        WhatsAppMessage.updated_at < now - older_than).order_by(WhatsAppMessage.id).limit(100)))
    again = []
    for row in rows:
        row.updated_at = now
        if row.attempts >= reruns:
            give_up(session, row, tries=row.attempts + 1)
        else:
            row.attempts += 1
            again.append(row)
    session.commit()
    return again


def split_body(text: str, limit: int) -> list[str]:
    """Parts of at most `limit` characters, cut at sentence ends where possible, else at spaces."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    for sentence in (s for s in _SENTENCE_END.split(text) if s.strip()):
        while len(sentence) > limit:  # one sentence longer than a message: cut at a space
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            if current:
                parts.append(current)
                current = ""
            parts.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        joined = f"{current} {sentence}".strip() if current else sentence
        if len(joined) <= limit:
            current = joined
        else:
            parts.append(current)
            current = sentence
    if current:
        parts.append(current)
    return parts


def owns_turn(session: Session, turn_sid: str, run: str) -> bool:
    """Whether this run answers the inbound message: the first run to ask does (atomically: a conditional
    update, so two replicas racing get one yes), and keeps doing so; any other run is a re-run."""
    owner = session.execute(select(WhatsAppMessage.answered_by).where(
        WhatsAppMessage.message_sid == turn_sid, WhatsAppMessage.direction == Direction.inbound)).first()
    if owner is None:
        return True  # no such inbound message (sent without the log): nothing to guard
    if owner[0] is not None:
        return bool(owner[0] == run)  # decided already: no write for the turn's later replies
    claimed = session.execute(update(WhatsAppMessage).where(
        WhatsAppMessage.message_sid == turn_sid, WhatsAppMessage.direction == Direction.inbound,
        (WhatsAppMessage.answered_by.is_(None)) | (WhatsAppMessage.answered_by == run),
    ).values(answered_by=run)).rowcount
    return bool(claimed)


def enqueue(*, session: Session, data: OutboundCreate, limit: int) -> list[WhatsAppMessage]:
    """Put a message in the outbox (split when too long). The same idempotency key twice queues nothing new."""
    rows = _add(session, data, limit)
    session.commit()
    return rows


def _add(session: Session, data: OutboundCreate, limit: int) -> list[WhatsAppMessage]:
    parts = split_body(data.body, limit)
    rows = []
    for index, part in enumerate(parts):
        key = data.idempotency_key if len(parts) == 1 else f"{data.idempotency_key}#{index + 1}"
        existing = session.scalar(select(WhatsAppMessage).where(WhatsAppMessage.idempotency_key == key))
        if existing is not None:
            rows.append(existing)
            continue
        row = WhatsAppMessage(direction=Direction.outbound, idempotency_key=key, phone=data.phone, body=part,
                              origin=data.origin, handoff_id=data.handoff_id, status=MessageStatus.queued,
                              next_attempt_at=utcnow(), response_key=data.response_key,
                              dutch=data.dutch if index == 0 else None)
        session.add(row)
        rows.append(row)
    return rows


def enqueue_turn(*, session: Session, data: TurnCreate, limit: int) -> list[WhatsAppMessage]:
    """Queue a turn's replies as few WhatsApp messages as fit (each is billed, and WhatsApp limits how fast one
    person may be sent messages): replies joined as paragraphs up to `limit` characters, the "not yet
    checked, Dutch below" notice once. All or nothing, in one transaction; keys "<turn>:<n>", so a re-run of
    the same turn queues nothing new, and a run that does not own the turn queues nothing at all."""
    if not owns_turn(session, data.turn_sid, data.run):
        session.commit()
        log.info("replies of a re-run dropped: the turn was answered by another run")
        return []
    rows = []
    for n, group in enumerate(join_replies(data.replies, limit), start=1):
        keys = " ".join(r.response_key for r in group if r.response_key)
        message = OutboundCreate(phone=data.phone, body="\n\n".join(r.body for r in group),
                                 idempotency_key=f"{data.turn_sid}:{n}", response_key=keys or None,
                                 dutch="\n\n".join(r.dutch or r.body for r in group))
        rows += _add(session, message, limit)
    session.commit()
    return rows


def join_replies(replies: list[TurnReply], limit: int) -> list[list[TurnReply]]:
    """The replies grouped into messages of at most `limit` characters, in order (a reply longer than that is
    a message of its own, which enqueue splits); a notice that opened an earlier reply is left off."""
    groups: list[list[TurnReply]] = []
    size = 0
    noticed: set[str] = set()
    for reply in replies:
        if reply.notice and reply.notice in noticed and reply.body.startswith(reply.notice + "\n\n"):
            reply = reply.model_copy(update={"body": reply.body[len(reply.notice) + 2:]})
        elif reply.notice:
            noticed.add(reply.notice)
        if groups and size + 2 + len(reply.body) <= limit:
            groups[-1].append(reply)
            size += 2 + len(reply.body)
        else:
            groups.append([reply])
            size = len(reply.body)
    return groups


def apply_status(*, session: Session, message_sid: str, status: str, error_code: str | None) -> bool:
    """A delivery status callback from Twilio. Returns False for unknown messages or states."""
    try:
        new = MessageStatus(status)
    except ValueError:
        return False
    row = session.scalar(select(WhatsAppMessage).where(WhatsAppMessage.message_sid == message_sid))
    if row is None:
        return False
    if new in _FINAL_FAILURES:
        row.status = new
        row.error = f"twilio error {error_code}" if error_code else "not delivered"
    elif new in _DELIVERY_ORDER and row.status in _DELIVERY_ORDER \
            and _DELIVERY_ORDER.index(new) > _DELIVERY_ORDER.index(row.status):
        row.status = new
    session.commit()
    return True


def failed_messages(*, session: Session, actor: Actor, since: datetime | None = None) -> list[WhatsAppMessage]:
    """Outbound messages that could not be delivered, for staff: nothing is dropped silently."""
    query = select(WhatsAppMessage).where(WhatsAppMessage.direction == Direction.outbound,
                                          WhatsAppMessage.status.in_(_FINAL_FAILURES))
    if since is not None:
        query = query.where(WhatsAppMessage.updated_at >= since)
    if not actor.is_region_admin:
        own = actor.user.gemeente_id if actor.user else None
        check_gemeente(actor, own or 0)
        query = query.where(WhatsAppMessage.phone.in_(select(Client.whatsapp).where(Client.gemeente_id == own)))
    return list(session.scalars(query.order_by(WhatsAppMessage.id.desc()).limit(500)))


WINDOW = timedelta(hours=24)  # WhatsApp's customer-service window after the person's last message
_TWILIO_STATUS = re.compile(r"TwilioRestException: (\d+)")


def window_open(session: Session, phone: str) -> bool:
    """Within 24 hours of the person's last message to us: free-form messages may go (outside it only an
    approved template may, which this assistant does not send yet)."""
    last = session.scalar(select(func.max(WhatsAppMessage.created_at)).where(
        WhatsAppMessage.phone == phone, WhatsAppMessage.direction == Direction.inbound))
    return last is not None and utcnow() < last + WINDOW


@dataclass(frozen=True)
class Undelivered:
    message: WhatsAppMessage
    client: Client | None
    window_open: bool

    @property
    def reason(self) -> str:
        """Why, in words for staff (the technical error stays in the row and the logs). The sender writes
        "<exception>: <HTTP status> <Twilio error code>"; a status callback "twilio error <code>"."""
        error = self.message.error or ""
        status = _TWILIO_STATUS.match(error)
        if "63016" in error:
            return "more than 24 hours after the person's last message (WhatsApp needs a template)"
        if status and (int(status[1]) >= 500 or int(status[1]) == 429):
            return f"WhatsApp (Twilio) was not available ({status[1]})"
        if status or error.startswith("twilio error"):
            return f"WhatsApp refused the message ({error.removeprefix('TwilioRestException: ')})"
        if self.message.status == MessageStatus.undelivered or error == "not delivered":
            return "sent, but it did not reach the phone"
        return f"no connection to WhatsApp ({error})" if error else "not delivered"


def undelivered(*, session: Session, actor: Actor, days: int = 14) -> list[Undelivered]:
    """Replies that could not be delivered (the assistant's and staff's alike), newest first, for the staff
    of the person's gemeente, with whether they can still be sent; each client shown is audited."""
    rows = failed_messages(session=session, actor=actor, since=utcnow() - timedelta(days=days))
    phones = {r.phone for r in rows}
    clients = {c.whatsapp: c for c in session.scalars(select(Client).where(Client.whatsapp.in_(phones)))}
    for client in clients.values():
        audit.record(session, actor=actor, action="read:undelivered", client_id=client.id)
    open_now = {phone: window_open(session, phone) for phone in phones}
    found = [Undelivered(r, clients.get(r.phone), open_now[r.phone]) for r in rows]
    session.commit()
    return found


def requeue(session: Session, row: WhatsAppMessage) -> None:
    """An undelivered message back in the outbox: the same row, so never a second copy (the caller commits).
    Only while the person's 24-hour window is open: after it WhatsApp would refuse it again (63016)."""
    if row.status not in _FINAL_FAILURES:
        raise Conflict("only an undelivered message can be sent again")
    if not window_open(session, row.phone):
        raise Conflict("the person has not written in the last 24 hours: WhatsApp only lets an approved "
                       "template through now; call or write to them another way")
    row.status, row.attempts, row.next_attempt_at, row.error = MessageStatus.queued, 0, utcnow(), None


def resend(*, session: Session, actor: Actor, message_id: int) -> WhatsAppMessage:
    """Send an undelivered reply again (the same row: never a duplicate), while the window is open."""
    row = session.get(WhatsAppMessage, message_id)
    if row is None or row.direction != Direction.outbound:
        raise NotFound("no such message")
    client = session.scalar(select(Client).where(Client.whatsapp == row.phone))
    if client is not None:
        check_gemeente(actor, client.gemeente_id)
    elif not actor.is_region_admin:
        raise NotFound("no such message")
    requeue(session, row)
    audit.record(session, actor=actor, action="whatsapp:resend", client_id=client.id if client else None,
                 detail=f"message {row.id}")
    session.commit()
    return row


def conversation(*, session: Session, actor: Actor, phone: str, limit: int = 200) -> list[WhatsAppMessage]:
    """The WhatsApp messages with one phone, newest last, for staff of the client's gemeente."""
    client = session.scalar(select(Client).where(Client.whatsapp == phone))
    if client is not None:
        check_gemeente(actor, client.gemeente_id)
    elif not actor.is_region_admin:
        raise NotFound("no client with this number")
    rows = list(session.scalars(select(WhatsAppMessage).where(WhatsAppMessage.phone == phone)
                                .order_by(WhatsAppMessage.id.desc()).limit(limit)))
    audit.record(session, actor=actor, action="read:messages", client_id=client.id if client else None)
    session.commit()
    return rows[::-1]
