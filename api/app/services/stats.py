"""How the assistant is doing, for a gemeente (or the region): aggregates only, never a person.

What people asked and how well it was understood comes from Rasa's event broker table (the same one the
inbox reads, so Rasa is not asked); hand-offs and deliveries from the API's own tables.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy import text as sql
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.config import get_settings
from app.models import Client, Gemeente, Handoff, WhatsAppMessage
from app.models.enums import Direction, MessageStatus, Role
from app.models.types import utcnow
from app.services import audit
from app.services.access import Actor, require_role
from app.services.inbox import INTENT_NL, events_engine, language_name

PERIODS = (7, 30, 90)
# Rasa's broker keeps each event as JSON text; the filter runs in the database (no JSON column type there).
_USER_EVENTS = {
    "postgresql": "SELECT sender_id, data FROM events WHERE data::json->>'event' = 'user' "
                  "AND (data::json->>'timestamp')::float >= :since",
    "sqlite": "SELECT sender_id, data FROM events WHERE json_extract(data, '$.event') = 'user' "
              "AND json_extract(data, '$.timestamp') >= :since",
}
NOT_UNDERSTOOD = "nlu_fallback"  # Rasa's FallbackClassifier (config.yml): too unsure to pick a topic


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    share: float  # of the section's total, 0..1


@dataclass(frozen=True)
class Stats:
    days: int
    scope: str
    events_available: bool  # False: no event broker configured or reachable
    people: int
    messages_in: int
    not_understood: int
    topics: list[Count]
    languages: list[Count]
    handoffs_opened: int
    handoffs_by_trigger: list[Count]
    handoffs_by_outcome: list[Count]
    median_minutes_to_claim: float | None
    sent: int
    failed: int


def _counts(counter: Counter[str]) -> list[Count]:
    total = sum(counter.values()) or 1
    return [Count(label, n, n / total) for label, n in counter.most_common()]


def _user_events(since_ts: float) -> list[tuple[str, dict]] | None:  # type: ignore[type-arg]
    """(sender, event) for user messages since the timestamp; None when there is no event table."""
    url = get_settings().events_database_url
    if not url:
        return None
    engine = events_engine(url)
    query = _USER_EVENTS.get(engine.dialect.name, _USER_EVENTS["sqlite"])
    try:
        with engine.connect() as conn:
            rows = conn.execute(sql(query), {"since": since_ts}).all()
    except SQLAlchemyError:
        return None
    return [(sender, json.loads(raw)) for sender, raw in rows]


def assistant_stats(session: Session, actor: Actor, days: int = 7) -> Stats:
    user = require_role(actor, Role.consultant, Role.admin)
    days = days if days in PERIODS else PERIODS[0]
    since = utcnow() - timedelta(days=days)
    gemeente_id = None if actor.is_region_admin else user.gemeente_id
    gemeente = session.get(Gemeente, gemeente_id) if gemeente_id is not None else None
    scope = gemeente.name if gemeente else "the region"
    phones: set[str] | None = None
    if gemeente_id is not None:
        phones = {p for p in session.scalars(select(Client.whatsapp).where(Client.gemeente_id == gemeente_id)) if p}

    events = _user_events(since.timestamp())
    topics: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    people: set[str] = set()
    for sender, event in events or []:
        if phones is not None and sender not in phones:
            continue
        people.add(sender)
        parse = event.get("parse_data") or {}
        intent = (parse.get("intent") or {}).get("name") or NOT_UNDERSTOOD
        topics[INTENT_NL.get(intent, "niet begrepen" if intent == NOT_UNDERSTOOD else intent)] += 1
        language = next((str(e.get("value")) for e in parse.get("entities") or []
                         if e.get("entity") == "detected_language"), None)
        if language:
            languages[language_name(language)] += 1
    messages_in = sum(topics.values())

    handoff_filter = [Handoff.created_at >= since]
    if gemeente_id is not None:
        handoff_filter.append(Handoff.gemeente_id == gemeente_id)
    opened = list(session.execute(select(Handoff.trigger, Handoff.outcome, Handoff.created_at, Handoff.claimed_at)
                                  .where(*handoff_filter)).all())
    waits = [(claimed - created).total_seconds() / 60 for _, _, created, claimed in opened if claimed]

    message_filter = [WhatsAppMessage.direction == Direction.outbound, WhatsAppMessage.created_at >= since]
    if phones is not None:
        message_filter.append(WhatsAppMessage.phone.in_(phones or {""}))
    by_status = dict(session.execute(select(WhatsAppMessage.status, func.count()).where(*message_filter)
                                     .group_by(WhatsAppMessage.status)).all())
    failed = sum(by_status.get(s, 0) for s in (MessageStatus.failed, MessageStatus.undelivered))
    sent = sum(by_status.values()) - failed

    audit.record(session, actor=actor, action="view_statistics", client_id=None,
                 detail=f"{scope}, {days} days")
    session.commit()
    return Stats(
        days=days, scope=scope, events_available=events is not None, people=len(people), messages_in=messages_in,
        not_understood=topics.get("niet begrepen", 0), topics=_counts(topics), languages=_counts(languages),
        handoffs_opened=len(opened),
        handoffs_by_trigger=_counts(Counter(t.value.replace("_", " ") for t, _, _, _ in opened)),
        handoffs_by_outcome=_counts(Counter(o.value.replace("_", " ") if o else "still open"
                                            for _, o, _, _ in opened)),
        median_minutes_to_claim=statistics.median(waits) if waits else None, sent=sent, failed=failed)
