"""Hand-offs from the assistant to a person: opening (routing, office hours) and the consultant's work
(claim, assign, note, reply, close). The single writer of hand-off state; every change is a HandoffEvent."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import get_settings
from app.errors import Conflict, DomainError, NotFound, TooManyAttempts
from app.models import Client, Handoff, HandoffEvent, PairingCode, StaffUser, WhatsAppMessage
from app.models.enums import Channel, HandoffOutcome, HandoffStatus, HandoffTrigger, Role, Urgency
from app.models.types import utcnow
from app.rules import GemeenteSettings, is_open, person_answers_by
from app.schemas.handoff import HandoffCreate
from app.schemas.whatsapp import OutboundCreate
from app.services import audit, nlg, pairing, rasa_api, whatsapp
from app.services.access import Actor, check_gemeente, require_role
from app.services.catalog import cached_sources
from app.services.gemeenten import settings_of

RANK = {Urgency.low: 0, Urgency.normal: 1, Urgency.high: 2, Urgency.urgent: 3}
OPEN = (HandoffStatus.open, HandoffStatus.claimed)
# Triggers for which the gemeente's emergency contact is given at once.
EMERGENCY = (HandoffTrigger.distress, HandoffTrigger.money, HandoffTrigger.violence)
# The safety layer's classes (bot/safety.py) as the inbox shows them.
SAFETY_LABELS = {"distress": "Nood / wanhoop", "money": "Geldnood", "legal": "Juridisch / brief",
                 "violence": "Onveilig thuis / geweld"}
# Classes for which a "sure" hit in a client's message makes the open hand-off urgent: the emergency ones.
SAFETY_URGENT = tuple(trigger.value for trigger in EMERGENCY)
SAFETY_VERDICTS = ("not_safety", *SAFETY_LABELS)
MAX_TEXT = 4000
BACK_WITH_ASSISTANT = "utter_handoff_closed"
FROM_STAFF = "utter_from_staff"  # "Message from {name}, your contact person:", the first line of a reply
TEMPLATE_PREFIX = "utter_staff_"  # bot/domain/staff_replies.yml
# New hand-offs a number that is no verified client's may open per day: anyone can write to the
# assistant, and each hand-off costs a consultant's time (adding to an open one is always allowed).
MAX_NEW_UNKNOWN_PER_DAY = 3


@dataclass
class Opened:
    handoff: Handoff
    outside_hours: bool
    answer_by: datetime | None
    emergency_numbers: list[dict[str, str]] | None
    notify: StaffUser | None  # who gets an e-mail (after the commit)


def _settings(client: Client | None) -> GemeenteSettings | None:
    return settings_of(client.gemeente) if client and client.gemeente else None


def _event(session: Session, handoff: Handoff, actor: Actor | None, kind: str, *, to: StaffUser | None = None,
           body: str | None = None) -> None:
    session.add(HandoffEvent(handoff_id=handoff.id, actor_id=actor.user.id if actor and actor.user else None,
                             kind=kind, to_id=to.id if to else None, body=body))


def handler_for(client: Client | None) -> StaffUser | None:
    """The client's own consultant, or the colleague covering while they are away."""
    consultant = client.consultant if client else None
    seen: set[int] = set()
    while consultant is not None and consultant.away and consultant.cover_id and consultant.id not in seen:
        seen.add(consultant.id)
        consultant = consultant.cover
    return consultant


def open_handoff(*, session: Session, actor: Actor, data: HandoffCreate, now: datetime | None = None) -> Opened:
    """Open a hand-off, or add to the one already open for this phone (one thread per person)."""
    now = now or utcnow()
    registered = session.scalar(select(Client).where(Client.whatsapp == data.phone))
    # An unverified phone is not linked to anyone's case.
    client = registered if registered is not None and registered.whatsapp_verified else None
    settings = _settings(client)
    urgent_class = data.trigger in EMERGENCY or data.safety_class in SAFETY_URGENT
    emergency = ([n.model_dump() for n in settings.emergency_numbers] or None) if settings and urgent_class else None
    existing = session.scalar(select(Handoff).where(Handoff.phone == data.phone, Handoff.status.in_(OPEN)))
    if existing is not None:
        # The trigger says whether the assistant is paused (and resumed at close): one that pauses wins over
        # one that does not, then the more urgent one.
        if (pauses_assistant(data.trigger), RANK[data.urgency]) > (pauses_assistant(existing.trigger),
                                                                    RANK[existing.urgency]):
            existing.trigger, existing.topic = data.trigger, data.topic
        if RANK[data.urgency] > RANK[existing.urgency]:
            existing.urgency = data.urgency
        if data.safety_class and not existing.safety_class:
            existing.safety_class, existing.safety_words = data.safety_class, data.safety_words
        existing.summary = (existing.summary + " | " + data.summary)[:1000]
        _event(session, existing, None, "added", body=data.summary)
        session.commit()
        return Opened(existing, bool(settings and not is_open(settings, now)), existing.answer_by, emergency, None)
    if client is None:
        recent = session.scalar(select(func.count(Handoff.id)).where(
            Handoff.phone == data.phone, Handoff.client_id.is_(None),
            Handoff.created_at > now - timedelta(days=1))) or 0
        if recent >= MAX_NEW_UNKNOWN_PER_DAY:
            raise TooManyAttempts("this number asked for a person too often today; try again tomorrow or call "
                                  "the gemeente")
    handler = handler_for(client)
    answer_by = None
    if settings is not None and client is not None:
        waiting = session.scalar(select(func.count(Handoff.id)).where(
            Handoff.gemeente_id == client.gemeente_id, Handoff.status == HandoffStatus.open)) or 0
        answer_by = person_answers_by(settings, now, waiting)
    handoff = Handoff(
        # A number registered for a client but not yet paired goes to that gemeente's inbox, without
        # case data, so a consultant there can help with pairing (see pairing.issue_and_unlock).
        client_id=client.id if client else None,
        gemeente_id=client.gemeente_id if client else registered.gemeente_id if registered else None,
        phone=data.phone, trigger=data.trigger, topic=data.topic, urgency=data.urgency, language=data.language,
        summary=data.summary, interpreter_needed=bool(client and client.interpreter_needed),
        safety_class=data.safety_class, safety_words=data.safety_words,
        assigned_to_id=handler.id if handler else None, answer_by=answer_by, created_at=now,
    )
    session.add(handoff)
    session.flush()
    _event(session, handoff, None, "opened", to=handler, body=data.summary)
    if client is not None:
        audit.record(session, actor=actor, action=f"handoff:{data.trigger.value}", client_id=client.id)
    session.commit()
    return Opened(handoff, bool(settings and not is_open(settings, now)), answer_by, emergency, handler)


NOT_PAUSING = (HandoffTrigger.correction, HandoffTrigger.payment_failed, HandoffTrigger.failed_turn)


def pauses_assistant(trigger: HandoffTrigger) -> bool:
    """A correction request, a failed payment and a message the assistant could not process wait for the
    consultant without stopping the conversation (actions/handoff.py pauses for the others)."""
    return trigger not in NOT_PAUSING


def open_for_phone(session: Session, phone: str) -> Handoff | None:
    """The hand-off that paused the assistant for this phone: its thread gets the person's messages."""
    return session.scalar(select(Handoff).where(Handoff.phone == phone, Handoff.status.in_(OPEN),
                                                Handoff.trigger.not_in(NOT_PAUSING)))


def safety_label(safety_class: str | None) -> str | None:
    return SAFETY_LABELS.get(safety_class or "")


def safety_in_thread(session: Session, handoff: Handoff, safety_class: str, words: str) -> bool:
    """A client's message in an open hand-off's thread touched a safety class for sure (bot.safety): the
    hand-off becomes urgent, takes the class and words if it had none, and its history says so. Adds to
    the caller's transaction; returns whether anything changed."""
    if safety_class not in SAFETY_URGENT:
        return False
    raised = handoff.urgency != Urgency.urgent
    named = not handoff.safety_class
    if not raised and not named and handoff.safety_class == safety_class:
        return False  # already urgent for this: the message itself is in the thread
    if raised:
        handoff.urgency = Urgency.urgent
    if named:
        handoff.safety_class, handoff.safety_words = safety_class, words[:200]
    body = f"{SAFETY_LABELS[safety_class]} in a client message; herkend aan: {words}"
    _event(session, handoff, None, "safety", body=(body + ("; now urgent" if raised else ""))[:MAX_TEXT])
    return True


# -- the inbox --------------------------------------------------------------------------------------------

def _visible(actor: Actor):  # type: ignore[no-untyped-def]
    query = select(Handoff)
    if not actor.is_region_admin:
        own = actor.user.gemeente_id if actor.user else None
        check_gemeente(actor, own or 0)
        query = query.where(Handoff.gemeente_id == own)
    return query


def list_handoffs(*, session: Session, actor: Actor, status: HandoffStatus | None) -> list[Handoff]:
    """Hand-offs the actor may see: their gemeente's, or all for a region admin (unknown numbers too)."""
    query = _visible(actor).order_by(Handoff.id)
    if status is not None:
        query = query.where(Handoff.status == status)
    rows = list(session.scalars(query))
    for row in rows:
        if row.client_id is not None:
            audit.record(session, actor=actor, action="read:handoff", client_id=row.client_id)
    session.commit()
    return rows


def queue(*, session: Session, actor: Actor, tab: str = "all") -> list[Handoff]:
    """Open hand-offs: the actor's own first, then by urgency, then longest waiting.
    Tabs: mine (assigned to me), unassigned (nobody claimed), all."""
    me = actor.user.id if actor.user else None
    query = _visible(actor).where(Handoff.status.in_(OPEN))
    if tab == "mine":
        query = query.where(Handoff.assigned_to_id == me)
    elif tab == "unassigned":
        query = query.where(Handoff.claimed_at.is_(None))
    rows = list(session.scalars(query))
    return sorted(rows, key=lambda h: (h.assigned_to_id != me, -RANK[h.urgency], h.created_at))


def unread(handoff: Handoff) -> bool:
    return handoff.last_client_at is not None and (handoff.seen_at is None or handoff.last_client_at > handoff.seen_at)


def unread_count(*, session: Session, actor: Actor) -> int:
    # Mine and never opened counts too: a new hand-off is unread until its page is seen.
    return sum(1 for h in queue(session=session, actor=actor, tab="mine") if unread(h) or h.seen_at is None)


def get(*, session: Session, actor: Actor, handoff_id: int, view: bool = True, poll: bool = False) -> Handoff:
    handoff = session.get(Handoff, handoff_id)
    if handoff is None:
        raise NotFound("hand-off not found")
    if not actor.is_region_admin:
        check_gemeente(actor, handoff.gemeente_id or 0)
    if view:
        if handoff.client_id is not None:
            # The open page refreshes its thread every few seconds: audited once a minute, not per refresh.
            (audit.record_once if poll else audit.record)(session, actor=actor, action="read:handoff",
                                                          client_id=handoff.client_id)
        if actor.user is not None and handoff.assigned_to_id == actor.user.id:
            handoff.seen_at = utcnow()
        session.commit()
    return handoff


def _staff(session: Session, actor: Actor, handoff_id: int) -> tuple[Handoff, StaffUser]:
    user = require_role(actor, Role.consultant, Role.admin)
    handoff = get(session=session, actor=actor, handoff_id=handoff_id, view=False)
    return handoff, user


def _still_open(handoff: Handoff) -> None:
    if handoff.status == HandoffStatus.closed:
        raise Conflict("this hand-off is closed")


def claim(*, session: Session, actor: Actor, handoff_id: int) -> Handoff:
    handoff, user = _staff(session, actor, handoff_id)
    _still_open(handoff)
    handoff.assigned_to_id, handoff.status, handoff.claimed_at = user.id, HandoffStatus.claimed, utcnow()
    _event(session, handoff, actor, "claimed", to=user)
    session.commit()
    return handoff


def assign(*, session: Session, actor: Actor, handoff_id: int, to_id: int) -> Handoff:
    """Transfer to a colleague of the same gemeente."""
    handoff, _ = _staff(session, actor, handoff_id)
    _still_open(handoff)
    colleague = session.get(StaffUser, to_id)
    if (colleague is None or not colleague.active or colleague.role != Role.consultant
            or colleague.gemeente_id != handoff.gemeente_id):
        raise DomainError("choose a consultant of this gemeente")
    handoff.assigned_to_id, handoff.seen_at = colleague.id, None
    _event(session, handoff, actor, "assigned", to=colleague)
    session.commit()
    return handoff


def _text(text: str, what: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if not text or "\x00" in text or len(text) > MAX_TEXT:
        raise DomainError(f"{what} must be 1 to {MAX_TEXT} characters")
    return text


def note(*, session: Session, actor: Actor, handoff_id: int, text: str) -> Handoff:
    handoff, _ = _staff(session, actor, handoff_id)
    _event(session, handoff, actor, "note", body=_text(text, "a note"))
    session.commit()
    return handoff


def new_pairing_code(*, session: Session, actor: Actor, handoff_id: int) -> tuple[Client, str, PairingCode]:
    """A new pairing code for the client registered with this hand-off's number, and that number's wrong
    tries forgotten. The code is returned in clear once; the event and the audit never contain it."""
    handoff, _ = _staff(session, actor, handoff_id)
    client = pairing.client_to_pair(session, actor, handoff)
    if client is None:
        raise Conflict("this number is not waiting to be paired with a client of your gemeente")
    _event(session, handoff, actor, "pairing_code", body="new pairing code issued; the number's wrong tries reset")
    code, row = pairing.issue_and_unlock(session=session, actor=actor, client_id=client.id)  # commits the event
    return client, code, row


def safety_feedback(*, session: Session, actor: Actor, handoff_id: int, verdict: str) -> Handoff:
    """The consultant's verdict on the safety layer for this hand-off: "not_safety" (it fired, or would
    have, wrongly) or the class it really was. Kept for people reviewing the lexicons; nothing learns from it."""
    handoff, _ = _staff(session, actor, handoff_id)
    if verdict not in SAFETY_VERDICTS:
        raise DomainError("choose not_safety or a safety class")
    handoff.safety_feedback = verdict
    label = "not a safety case" if verdict == "not_safety" else f"a safety case: {SAFETY_LABELS[verdict]}"
    _event(session, handoff, actor, "safety_feedback", body=f"{label} (detected: "
           f"{SAFETY_LABELS.get(handoff.safety_class or '', 'nothing')})")
    audit.record(session, actor=actor, action="safety:feedback", client_id=handoff.client_id,
                 detail=f"handoff {handoff.id}: {verdict}")
    session.commit()
    return handoff


def templates(session: Session, handoff: Handoff) -> list[tuple[str, str]]:
    """Ready-made replies as the client would get them: (key, text in their language or Dutch + notice)."""
    client = session.get(Client, handoff.client_id) if handoff.client_id else None
    found = []
    for key in cached_sources():
        if key.startswith(TEMPLATE_PREFIX):
            rendered = nlg.render(session, key, {}, handoff.language, bilingual=bool(client and client.bilingual))
            if rendered is not None:
                found.append((key, rendered[0]))
    return found


def reply(*, session: Session, actor: Actor, handoff_id: int, text: str, key: str,
          template: str | None = None) -> Handoff:
    """Send a WhatsApp message to the client through the same outbox as the assistant. `key` makes a
    double-submitted form send once. A template goes out in the client's language when approved.
    Replying claims an unclaimed hand-off."""
    handoff, user = _staff(session, actor, handoff_id)
    _still_open(handoff)
    dutch = None
    if template:
        chosen = dict(templates(session, handoff))
        if template not in chosen:
            raise DomainError("no such ready-made reply")
        body, dutch = chosen[template], nlg.render(session, template, {}, "nl")[0]  # type: ignore[index]
    else:
        body = _text(text, "a reply")
    # Who writes, first: a person's reply must not look like the assistant's.
    signed, signed_nl = _from_staff(session, user, handoff.language)
    body, dutch = f"{signed}\n{body}", f"{signed_nl}\n{dutch or body}"
    if handoff.claimed_at is None:
        handoff.assigned_to_id, handoff.status, handoff.claimed_at = user.id, HandoffStatus.claimed, utcnow()
        _event(session, handoff, actor, "claimed", to=user)
    _event(session, handoff, actor, "reply", body=body)
    if handoff.client_id is not None:
        audit.record(session, actor=actor, action="reply:handoff", client_id=handoff.client_id)
    session.flush()
    whatsapp.enqueue(session=session, data=OutboundCreate(
        phone=handoff.phone, body=body, idempotency_key=f"staff:{handoff.id}:{key}"[:100], origin=Channel.staff,
        handoff_id=handoff.id, response_key=template or None, dutch=dutch), limit=get_settings().whatsapp_body_limit)
    return handoff


def _from_staff(session: Session, user: StaffUser, language: str) -> tuple[str, str]:
    """The first line of a staff reply, in the person's language once approved (else in Dutch, without the
    "not reviewed yet" notice: a name needs none), and in Dutch for the thread."""
    arguments = {"name": (user.name.split() or [""])[0]}
    text, used = nlg.template(session, FROM_STAFF, language)  # type: ignore[misc]
    dutch, _ = nlg.template(session, FROM_STAFF, "nl")  # type: ignore[misc]
    return nlg.decorate(nlg.fill(session, text, arguments, used), used), nlg.fill(session, dutch, arguments, "nl")


def close(*, session: Session, actor: Actor, handoff_id: int, outcome: HandoffOutcome, text: str = "") -> Handoff:
    """Close, resume the assistant for this person, and tell them in their language they are back."""
    handoff, user = _staff(session, actor, handoff_id)
    _still_open(handoff)
    if pauses_assistant(handoff.trigger):
        rasa_api.resume(handoff.phone)  # first: if Rasa is away nothing changes and the consultant retries
        client = session.get(Client, handoff.client_id) if handoff.client_id else None
        rendered = nlg.render(session, BACK_WITH_ASSISTANT, {}, handoff.language,
                              bilingual=bool(client and client.bilingual))
        if rendered is not None:
            whatsapp.enqueue(session=session, data=OutboundCreate(
                phone=handoff.phone, body=rendered[0], idempotency_key=f"handoff:{handoff.id}:closed",
                handoff_id=handoff.id, response_key=BACK_WITH_ASSISTANT,
                dutch=nlg.render(session, BACK_WITH_ASSISTANT, {}, "nl")[0]),  # type: ignore[index]
                limit=get_settings().whatsapp_body_limit)
    handoff.status, handoff.closed_at, handoff.closed_by_id, handoff.outcome = (
        HandoffStatus.closed, utcnow(), user.id, outcome)
    _event(session, handoff, actor, "closed", body=f"{outcome.value}: {text.strip()}"[:MAX_TEXT] if text.strip()
           else outcome.value)
    session.commit()
    return handoff


def events(session: Session, handoff: Handoff) -> list[HandoffEvent]:
    return list(session.scalars(select(HandoffEvent).where(HandoffEvent.handoff_id == handoff.id)
                                .order_by(HandoffEvent.created_at, HandoffEvent.id)))


def retry_reply(*, session: Session, actor: Actor, message: WhatsAppMessage) -> None:
    """A consultant's reply that failed is sent again (the same row: never a duplicate), while the person's
    24-hour window is open."""
    require_role(actor, Role.consultant, Role.admin)
    whatsapp.requeue(session, message)
    handoff = session.get(Handoff, message.handoff_id)
    if handoff is not None:
        _event(session, handoff, actor, "retry", body=str(message.id))
    session.commit()


def consultants(session: Session, gemeente_id: int | None) -> list[StaffUser]:
    """Active consultants of a gemeente: who a hand-off can go to, who can cover."""
    return list(session.scalars(select(StaffUser).where(StaffUser.gemeente_id == gemeente_id,
                                                        StaffUser.role == Role.consultant, StaffUser.active)
                                .order_by(StaffUser.name)))


def set_away(*, session: Session, actor: Actor, away: bool, cover_id: int | None) -> StaffUser:
    """A consultant marks themselves away and names a colleague who covers meanwhile."""
    user = require_role(actor, Role.consultant)
    if away:
        cover = session.get(StaffUser, cover_id) if cover_id else None
        if (cover is None or cover.id == user.id or cover.role != Role.consultant
                or cover.gemeente_id != user.gemeente_id):
            raise DomainError("name a colleague of your gemeente who covers for you")
        user.cover_id = cover.id
    user.away = away
    session.commit()
    return user
