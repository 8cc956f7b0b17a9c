"""A message the assistant could not process, however often it tried (a bug on one input, a part down for
long): it is not dropped. A person takes over (a hand-off with the message in its thread, urgent when the
safety layer is sure it is a cry for help) and the person who wrote is told, in their language, that a
staff member will read it."""

import logging
import threading

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import get_settings
from app.errors import TooManyAttempts
from app.models import Client, WhatsAppMessage
from app.models.enums import HandoffTrigger, MessageStatus, Urgency
from app.schemas.handoff import HandoffCreate
from app.schemas.whatsapp import OutboundCreate
from app.services import handoffs, nlg, notify, whatsapp
from app.services.access import ASSISTANT
from app.services.safety_lexicon import sure_hits

APOLOGY = "utter_turn_failed"  # bot/domain/handoff.yml
log = logging.getLogger("inburgering.whatsapp")


def give_up(session: Session, row: WhatsAppMessage, tries: int) -> None:
    """Mark the inbound message failed, hand it to a person and tell the person who wrote (commits). The
    hand-off does not pause the assistant: the next message may well be answered."""
    row.status, row.error = MessageStatus.failed, f"not processed after {tries} tries"
    client = session.scalar(select(Client).where(Client.whatsapp == row.phone))
    language = client.preferred_language if client is not None else "nl"
    hit = next(iter(sure_hits(session, row.body)), None) if row.body else None
    safety_class, words = (hit.safety_class, hit.words) if hit else (None, None)
    urgent = safety_class in handoffs.SAFETY_URGENT
    try:
        opened = handoffs.open_handoff(session=session, actor=ASSISTANT, data=HandoffCreate(
            phone=row.phone, trigger=HandoffTrigger.failed_turn, topic="failed_turn",
            urgency=Urgency.urgent if urgent else Urgency.high, language=language,
            summary="Dit bericht kon door een storing niet automatisch worden beantwoord.",
            safety_class=safety_class, safety_words=words))
        row.handoff_id = opened.handoff.id
        if opened.notify is not None and opened.notify.email:  # as for any new hand-off; not on this thread
            threading.Thread(target=notify.new_handoff, args=(opened.notify.email, opened.handoff.id,
                                                              opened.handoff.urgency), daemon=True).start()
    except TooManyAttempts:  # an unknown number with many hand-offs today: no promise of a person either
        log.warning("failed message not handed off: too many hand-offs for this number today")
        session.commit()
        return
    rendered = nlg.render(session, APOLOGY, {}, language, bilingual=bool(client and client.bilingual))
    if rendered is not None:
        whatsapp.enqueue(session=session, data=OutboundCreate(
            phone=row.phone, body=rendered[0], idempotency_key=f"failed:{row.message_sid}", response_key=APOLOGY,
            handoff_id=row.handoff_id, dutch=nlg.render(session, APOLOGY, {}, "nl")[0]),  # type: ignore[index]
            limit=get_settings().whatsapp_body_limit)
    log.error("an inbound message could not be processed after %d tries; handed to a person", tries)
